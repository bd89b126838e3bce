#!/usr/bin/env bash
# Fault scenarios on throw-away services: scripts/faults.sh [scenario ...] [--json FILE] [--keep]
#
#   worker_kill  a Celery worker killed with SIGKILL in the middle of a dossier build
#   redis_down   Redis stopped while people work, then started again
#   pg_restart   PostgreSQL restarted (pg_ctl restart -m fast) under gunicorn and the worker
#   backup_load  a backup taken while photos are uploaded and tasks handed out, restored and checked
#   backup_tamper  edited backups refused before the database or the files change
#   beat_redis_down   Redis down across a beat firing: the job runs exactly once when it is back
#   db_outage_action  the database cut right after a 提交销号 commits: success shown, job runs later
#   worker_recovery   worker killed mid-dossier, shipped figures: resumes within 60 s (measured)
#   lost_message      messages lost with a Redis restart, shipped figures: run within 60 s (measured)
#   huge_body    a 1 GiB body, anonymous and logged in: refused on its length, nothing read
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
