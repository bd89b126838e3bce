#!/usr/bin/env bash
# The whole test suite on throw-away PostgreSQL + Redis: scripts/test.sh [pytest args...]
# Installs what is missing (with Chromium for the browser tests), starts private services on
# other ports than run.sh (TEST_PGPORT, TEST_REDIS_PORT), and always stops them and removes
# their directory, on success, failure or Ctrl-C.  Exits with pytest's code.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

install_all chromium chromium-driver

SVC_DIR=$(mktemp -d /tmp/cwt-test.XXXXXX)
PGPORT=${TEST_PGPORT:-54329}
REDIS_PORT=${TEST_REDIS_PORT:-63799}
export SVC_DIR PGPORT REDIS_PORT
export PG_FAST=1  # no fsync, no Redis persistence: the data dies with the run

start_private_services

export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API and the ORM in one test body
export CHROMIUM=/usr/bin/chromium       # Playwright cannot download its own browser here
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=test-only-not-secret
export DJANGO_SECURE_SSL=false          # live_server speaks plain HTTP
export MEDIA_ROOT=$SVC_DIR/media
# An empty static root: a staticfiles/ left by run.sh's collectstatic would make pages ask for
# hashed names that the test server (serving from the finders) does not know.
export DJANGO_STATIC_ROOT=$SVC_DIR/static
mkdir -p "$MEDIA_ROOT" "$DJANGO_STATIC_ROOT"

# "No tests collected" must not pass CI: pytest's 5 becomes a failure.
no_tests_is_failure() {
  if [ "$1" = 5 ]; then
    echo "pytest 没有收集到任何测试 (rc 5), 按失败处理" >&2
    echo 1
  else
    echo "$1"
  fi
}

if [ "$#" -gt 0 ]; then
  rc=0
  .venv/bin/pytest "$@" || rc=$?
  exit "$(no_tests_is_failure "$rc")"
fi

# The whole suite in two stages at once. The fault scenarios start their own PostgreSQL, Redis,
# gunicorn and Celery on free ports and spend most of their time waiting for recovery clocks, so
# they run beside the main suite (and two at a time), not after it.
FAULTS_LOG=$SVC_DIR/faults.log
fault_rc=0
.venv/bin/pytest -m faults -n "${TEST_FAULT_PROCESSES:-2}" >"$FAULTS_LOG" 2>&1 &
faults_pid=$!
# The main suite is spread over processes too (pytest-xdist): each has its own test database
# (pytest-django) and its own Redis database as the Celery broker (tests/conftest.py).
main_rc=0
.venv/bin/pytest -m "not faults" -n "${TEST_PROCESSES:-2}" || main_rc=$?
wait "$faults_pid" || fault_rc=$?
echo "---- 故障演练（tests/faults，并行阶段）----"
cat "$FAULTS_LOG"
main_rc=$(no_tests_is_failure "$main_rc")
fault_rc=$(no_tests_is_failure "$fault_rc")
echo "主测试: rc $main_rc；故障演练: rc $fault_rc"
[ "$main_rc" = 0 ] && [ "$fault_rc" = 0 ]
