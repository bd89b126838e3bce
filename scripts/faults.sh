#!/usr/bin/env bash
# Fault scenarios on throw-away services: scripts/faults.sh [worker_kill] [redis_down] [pg_restart] [orphan_race] [--json FILE] [--keep]
#
#   worker_kill  a Celery worker killed with SIGKILL in the middle of a dossier build
#   redis_down   Redis stopped while people work, then started again
#   pg_restart   PostgreSQL restarted (pg_ctl restart -m fast) under gunicorn and the worker
#   orphan_race  the orphan-file sweeper runs while other units re-upload the files it is about to delete
#
# Each scenario starts its own PostgreSQL + Redis (scripts/services.sh on FAULTS_PGPORT /
# FAULTS_REDIS_PORT, default: free ports) in a temporary folder, plus gunicorn, Celery worker
# and beat as it needs them; every process is stopped at the end, also on failure or Ctrl-C.
# Prints a PASS/FAIL line per scenario and a table; exits non-zero if any scenario failed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

install_all

exec .venv/bin/python -m scripts.faults "$@"
