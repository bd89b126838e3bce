"""Fault scenarios for 创文通: real processes, real damage, automated verdicts.

1. worker_kill — a Celery worker is killed with SIGKILL in the middle of a dossier build: the run
   must be retried (the sweeper re-queues it once its heartbeat stops) or marked failed, never stay
   "running", and leave exactly one output file (none if it failed).
2. redis_down — Redis is stopped while people work: pages keep answering, a dossier request still
   succeeds quickly and its job waits in the transactional outbox; once Redis is back the outbox
   sweeper sends it and the worker builds it (no lost job).
3. pg_restart — PostgreSQL is restarted under gunicorn and the worker: the next requests succeed
   without restarting the app (CONN_HEALTH_CHECKS), and a job queued after the restart runs.
4.–7. Background work and its recovery times (beat_redis_down, db_outage_action, worker_recovery,
   lost_message): see scripts/faults/recovery.py.
8. orphan_race — the orphan-file sweeper runs in a worker while other units re-upload the bytes of
   the old orphaned files it is about to delete: no row may lose its file, and the orphans nobody
   re-uploaded must still be removed (scripts/faults/orphans.py).

Run them with ``bash scripts/faults.sh`` (or ``python -m scripts.faults [names]``); the test suite
runs them through tests/faults/test_faults.py.
"""
