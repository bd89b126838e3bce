#!/usr/bin/env bash
# City-scale benchmarks: scripts/bench.sh [measure options, e.g. --only latency,load]
#
# Starts a throw-away PostgreSQL + Redis (BENCH_PGPORT, BENCH_REDIS_PORT), migrates, builds the
# benchmark city (2,200 units in five levels, 3,000 sites, ~100k tasks, 1M task actions, 300k evidence rows over a
# few thousand real image files: `python -m bench seed`, see bench/city.py), then measures every
# figure in one run (`python -m bench measure`): page server time and SQL per request for three
# personas, throughput under 32 connections against gunicorn with wrk next to a naive baseline,
# the chase ladder, a monthly report, and the dossier next to a naive render and img2pdf.
# Prints the table (figure | measured | target | met?) and writes bench/results.json.
# Always stops the services and removes their directory. About 15–20 minutes on 2 cores.
#   BENCH_SIZE=tiny  a few thousand rows instead of the city (checks the script, not the targets)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

install_all wrk

SVC_DIR=$(mktemp -d /tmp/cwt-bench.XXXXXX)
PGPORT=${BENCH_PGPORT:-54331}
REDIS_PORT=${BENCH_REDIS_PORT:-63801}
export SVC_DIR PGPORT REDIS_PORT
export PG_FAST=1  # no fsync: the data dies with the run (reads, which are measured, are unaffected)

# shellcheck disable=SC2317  # called by start_private_services' exit trap
stop_extra() {
  if [ -f "$SVC_DIR/gunicorn.pid" ]; then
    kill "$(cat "$SVC_DIR/gunicorn.pid")" 2>/dev/null
    sleep 2
  fi
}
start_private_services

# A production start, as run.sh makes it, minus TLS (gunicorn speaks plain HTTP on 127.0.0.1).
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=bench-only-not-secret
export DJANGO_SECURE_SSL=false
export DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1
export DJANGO_LOG_LEVEL=ERROR
export MEDIA_ROOT=$SVC_DIR/media
export DJANGO_STATIC_ROOT=$SVC_DIR/static  # collected here, hashed and compressed as deployed; not into the working tree
export PYTHONWARNINGS=ignore
mkdir -p "$MEDIA_ROOT"

echo "负载（开始）：$(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
started=$(date +%s)
.venv/bin/python -m bench seed --size "${BENCH_SIZE:-city}"
.venv/bin/python -m bench measure --log-dir "$SVC_DIR" "$@"
echo "用时 $(( ($(date +%s) - started) / 60 )) 分钟（不含安装与迁移）；负载（结束）：$(cut -d' ' -f1-3 /proc/loadavg)"
echo "结果：bench/results.json"
