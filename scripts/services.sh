#!/usr/bin/env bash
# Private PostgreSQL + Redis for this project: scripts/services.sh start|stop|status
#
# No systemd on these machines, so both run as plain processes and are stopped by PID.
#   SVC_DIR     data, sockets, logs, pid files (default: var/services)
#   PGPORT      PostgreSQL port on 127.0.0.1 (default 54320)
#   REDIS_PORT  Redis port on 127.0.0.1 (default 63790)
#   PG_FAST=1   throw-away mode for tests: no fsync in PostgreSQL, no persistence in Redis
# `start` prints DATABASE_URL=... and REDIS_URL=... on stdout; everything else goes to stderr.
set -euo pipefail

# Resolve SVC_DIR against the caller's cwd before moving to the repo root.
SVC_DIR=${SVC_DIR:-$(dirname "$0")/../var/services}
SVC_DIR=$(realpath -m -- "$SVC_DIR")
cd "$(dirname "$0")/.."

PGPORT=${PGPORT:-54320}
REDIS_PORT=${REDIS_PORT:-63790}
PG_FAST=${PG_FAST:-0}

PG_DIR=$SVC_DIR/pg
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/sock
REDIS_DIR=$SVC_DIR/redis
REDIS_PID=$REDIS_DIR/redis.pid
REDIS_PORT_FILE=$REDIS_DIR/port

# Newest installed major version (Debian 12: 15).
PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$PGBIN/pg_ctl" ] || { echo "找不到 PostgreSQL (/usr/lib/postgresql/*/bin)" >&2; exit 1; }

say() { echo "services: $*" >&2; }
die() { say "$*"; exit 1; }

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1

as_pg() {  # initdb and pg_ctl refuse to run as root
  if ((IS_ROOT)); then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_pid() { head -1 "$PG_DATA/postmaster.pid" 2>/dev/null || true; }

# Port the running cluster listens on (line 4 of postmaster.pid).
pg_actual_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true; }

redis_pid() {
  # A stale pid file can point at a recycled pid: only trust it if that process is redis-server.
  local pid
  pid=$(cat "$REDIS_PID" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    grep -q '^redis-server' "/proc/$pid/comm" 2>/dev/null && echo "$pid"
  return 0
}

redis_actual_port() { cat "$REDIS_PORT_FILE" 2>/dev/null || echo "$REDIS_PORT"; }

# The postgres user must be able to reach $SVC_DIR: give o+x to any parent it cannot traverse
# (e.g. a 0700 mktemp dir or var/), nothing more.
open_path_for_postgres() {
  local d=$SVC_DIR
  chmod 755 "$SVC_DIR"
  while [ "$d" != / ]; do
    d=$(dirname "$d")
    runuser -u postgres -- test -x "$d" || chmod o+x "$d"
  done
}

start_pg() {
  if pg_running; then
    say "PostgreSQL 已在运行 (pid $(pg_pid), 端口 $(pg_actual_port))"
    [ "$(pg_actual_port)" = "$PGPORT" ] || say "注意: 运行中的端口与 PGPORT=$PGPORT 不同"
    PGPORT=$(pg_actual_port)
    return 0
  fi
  mkdir -p "$PG_DIR" "$PG_SOCK"
  if ((IS_ROOT)); then
    chown postgres:postgres "$PG_DIR" "$PG_SOCK"
    # Only when needed: a big data dir makes chown -R slow.
    if [ -d "$PG_DATA" ] && [ "$(stat -c %U "$PG_DATA")" != postgres ]; then
      chown -R postgres:postgres "$PG_DATA"
    fi
    open_path_for_postgres
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "初始化 PostgreSQL 数据目录 $PG_DATA"
    # Local socket: trust (admin below); TCP: password, so other local users need app/app.
    as_pg "$PGBIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
      { cat "$PG_DIR/initdb.log" >&2; die "initdb 失败"; }
  fi
  local opts="-c listen_addresses=127.0.0.1 -p $PGPORT -k $PG_SOCK"
  if [ "$PG_FAST" = 1 ]; then
    # Throw-away test data: durability buys nothing here.
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 -o "$opts" start >/dev/null ||
    { tail -20 "$PG_DIR/server.log" >&2; die "PostgreSQL 启动失败 (端口 $PGPORT 被占用?)"; }

  # Idempotent: role and database are created once, the password is (re)set every start.
  local sql
  sql="SELECT 'CREATE ROLE app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') \\gexec
ALTER ROLE app LOGIN CREATEDB PASSWORD 'app';
SELECT 'CREATE DATABASE app OWNER app' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'app') \\gexec"
  "$PGBIN/psql" -h "$PG_SOCK" -p "$PGPORT" -U postgres -d postgres -qAtX -v ON_ERROR_STOP=1 \
    <<<"$sql" >/dev/null || die "创建角色/数据库 app 失败"
  say "PostgreSQL 已启动 (pid $(pg_pid), 端口 $PGPORT)"
}

start_redis() {
  local pid
  pid=$(redis_pid)
  if [ -n "$pid" ]; then
    say "Redis 已在运行 (pid $pid, 端口 $(redis_actual_port))"
    [ "$(redis_actual_port)" = "$REDIS_PORT" ] || say "注意: 运行中的端口与 REDIS_PORT=$REDIS_PORT 不同"
    REDIS_PORT=$(redis_actual_port)
    return 0
  fi
  # Someone else's Redis on our port would answer our pings and take our data.
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    die "端口 $REDIS_PORT 上已有别的 Redis 在运行; 请换一个 REDIS_PORT"
  fi
  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_PID"
  local persist=(--appendonly yes)
  [ "$PG_FAST" = 1 ] && persist=(--save '' --appendonly no)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_DIR/redis.log" "${persist[@]}" ||
    die "redis-server 启动失败"
  echo "$REDIS_PORT" >"$REDIS_PORT_FILE"
  # Up to 60 s: loading a large append-only file answers LOADING for a while.
  local i
  for i in $(seq 600); do
    if [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then break; fi
    [ "$i" = 600 ] && { tail -20 "$REDIS_DIR/redis.log" >&2; die "Redis 没有响应"; }
    sleep 0.1
  done
  say "Redis 已启动 (pid $(redis_pid), 端口 $REDIS_PORT)"
}

stop_pg() {
  if pg_running; then
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null && say "PostgreSQL 已停止"
  fi
}

stop_redis() {
  local pid i
  pid=$(redis_pid)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    # SIGTERM makes Redis save and exit; give a big dataset time, then force it.
    for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    say "Redis 已停止"
  fi
  rm -f "$REDIS_PID"
}

case "${1:-}" in
  start)
    case "$SVC_DIR" in
      *[[:space:]]*) die "SVC_DIR 不能包含空白: $SVC_DIR" ;;  # pg_ctl -o goes through a shell
    esac
    mkdir -p "$SVC_DIR"
    start_pg
    start_redis
    echo "DATABASE_URL=postgres://app:app@127.0.0.1:$PGPORT/app"
    echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    ;;
  stop)
    # Redis first: nothing depends on it at shutdown. Both are no-ops when already stopped.
    stop_redis
    stop_pg
    ;;
  status)
    rc=0
    if pg_running; then
      echo "postgres: running (pid $(pg_pid), port $(pg_actual_port))"
    else
      echo "postgres: stopped"; rc=3
    fi
    pid=$(redis_pid)
    if [ -n "$pid" ]; then
      echo "redis: running (pid $pid, port $(redis_actual_port))"
    else
      echo "redis: stopped"; rc=3
    fi
    exit "$rc"
    ;;
  *)
    echo "用法: SVC_DIR=... PGPORT=... REDIS_PORT=... $0 start|stop|status" >&2
    exit 2
    ;;
esac
