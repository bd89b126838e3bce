#!/usr/bin/env bash
# Run the whole portal locally until Ctrl-C: web (gunicorn), Celery worker, Celery beat,
# on a private PostgreSQL + Redis under var/ (kept between runs) unless DATABASE_URL and
# REDIS_URL are both given.  Installs what is missing first (needs root on a fresh machine).
#   HOST (0.0.0.0), PORT (8000), DJANGO_DEBUG (false), DJANGO_SECURE_SSL (false), MEDIA_ROOT (var/media),
#   DJANGO_SECRET_KEY
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
RUN_DIR=$ROOT/var/run
LOG_DIR=$ROOT/var/log
SVC_DIR=$ROOT/var/services
export SVC_DIR

# shellcheck disable=SC2119  # no extra apt packages for run.sh
install_all

mkdir -p "$RUN_DIR" "$LOG_DIR"

# Refuse to start twice: a second gunicorn/celery would fight over the port and the beat schedule.
for name in web worker beat; do
  if [ -f "$RUN_DIR/$name.pid" ]; then
    pid=$(cat "$RUN_DIR/$name.pid")
    if kill -0 "$pid" 2>/dev/null && grep -qE 'gunicorn|celery' "/proc/$pid/cmdline" 2>/dev/null; then
      echo "已有一个实例在运行 ($name pid $pid)。请在它的终端按 Ctrl-C，或: kill -- -$pid" >&2
      exit 1
    fi
    rm -f "$RUN_DIR/$name.pid"
  fi
done

STARTED_SERVICES=0
PIDS=()

# Stop exactly what this script started: each app process leads its own process group
# (setsid below), so killing the group also takes gunicorn workers and Celery pool children.
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  set +e
  if ((${#PIDS[@]})); then
    echo "正在停止 ..." >&2
    # Leaders first, politely: gunicorn and celery shut their own children down on SIGTERM.
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for _ in $(seq 200); do  # up to 20 s for running tasks to finish
      any_alive || break
      sleep 0.1
    done
    # Whatever is left in those sessions (stuck task, orphaned pool child) goes now.
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    rm -f "$RUN_DIR"/web.pid "$RUN_DIR"/worker.pid "$RUN_DIR"/beat.pid
  fi
  if ((STARTED_SERVICES)); then
    scripts/services.sh stop
  fi
  exit "$rc"
}

# Is any process of our sessions still running? Zombies (exited, not yet reaped) don't count.
# shellcheck disable=SC2317
any_alive() {
  local pid
  for pid in "${PIDS[@]}"; do
    # shellcheck disable=SC2009  # pgrep cannot leave out zombies
    ps -o stat= --sid "$pid" 2>/dev/null | grep -qv '^Z' && return 0
  done
  return 1
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- database and broker
if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
  echo "使用外部服务: DATABASE_URL / REDIS_URL 已设置" >&2
else
  # Already running (e.g. started by hand) means someone else owns them: leave them up at exit.
  if ! scripts/services.sh status >/dev/null 2>&1; then STARTED_SERVICES=1; fi
  svc_out=$(scripts/services.sh start)
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' <<<"$svc_out")
  REDIS_URL=$(sed -n 's/^REDIS_URL=//p' <<<"$svc_out")
  export DATABASE_URL REDIS_URL
fi

export MEDIA_ROOT=${MEDIA_ROOT:-$ROOT/var/media}
# The demo runs as production does: DEBUG off, so people trying it see the portal's Chinese error
# pages (templates/404.html …) and static files come from collectstatic through WhiteNoise. Only
# HTTPS is left off: the demo is plain HTTP on this machine (no redirect, no Secure-only cookies).
export DJANGO_DEBUG=${DJANGO_DEBUG:-false}
export DJANGO_SECURE_SSL=${DJANGO_SECURE_SSL:-false}
mkdir -p "$MEDIA_ROOT"

# One secret per checkout, kept so sessions survive a restart.
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s var/secret_key ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' >var/secret_key)
  fi
  chmod 600 var/secret_key
  DJANGO_SECRET_KEY=$(cat var/secret_key)
  export DJANGO_SECRET_KEY
fi

# ---------------------------------------------------------------- Django set-up
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo --if-empty

# ---------------------------------------------------------------- processes
# launch NAME CMD...: own session/process group (pid == pgid), log to var/log/NAME.log.
# setsid does not fork here (a background child of a non-interactive shell is no group
# leader), so $! is the real pid.
launch() {
  local name=$1
  shift
  echo "==== $(date '+%F %T') $*" >>"$LOG_DIR/$name.log"
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  PIDS+=("$!")
  echo "$!" >"$RUN_DIR/$name.pid"
}

launch web .venv/bin/gunicorn campaign.wsgi:application --no-control-socket --bind "$HOST:$PORT" \
  --workers 2 --threads 4 --access-logfile -
launch worker .venv/bin/celery -A campaign worker -l info --concurrency 2
launch beat .venv/bin/celery -A campaign beat -l info --schedule "$RUN_DIR/celerybeat-schedule"

case "$HOST" in
  0.0.0.0 | '::' | '') check_host=127.0.0.1 ;;
  *) check_host=$HOST ;;
esac
URL="http://$check_host:$PORT/"

ready=0
for _ in $(seq 180); do  # 90 s
  code=$(curl -s -o /dev/null -w '%{http_code}' "${URL}accounts/login/" || true)
  if [ "$code" = 200 ]; then ready=1; break; fi
  kill -0 "${PIDS[0]}" 2>/dev/null || break
  sleep 0.5
done
if ((!ready)); then
  echo "网站没有在 90 秒内就绪 (最后的 HTTP 状态: ${code:-无})。var/log/web.log 的最后几行:" >&2
  tail -30 "$LOG_DIR/web.log" >&2
  exit 1
fi

echo
echo "创文通已启动: $URL"
echo
.venv/bin/python manage.py seed_demo --accounts
echo
echo "日志: var/log/web.log, worker.log, beat.log"
echo "按 Ctrl-C 停止"

# Stay until Ctrl-C, or until one of the processes dies (then stop the others too).
rc=0
dead=
wait -n -p dead "${PIDS[@]}" || rc=$?
for name in web worker beat; do
  [ "$(cat "$RUN_DIR/$name.pid" 2>/dev/null)" = "$dead" ] && break
done
echo "$name (pid $dead) 意外退出 (rc=$rc)，请查看 var/log/$name.log" >&2
exit 1
