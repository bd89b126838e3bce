# shellcheck shell=bash
# Shared set-up for run.sh, test.sh and bench.sh: system packages and the Python venv.
# Sourced, not executed: the caller has already done `set -euo pipefail` and cd'd to the repo root.

# What run.sh needs; test.sh adds chromium chromium-driver, bench.sh adds wrk.
APT_BASE=(
  python3-venv curl                                   # venv creation; run.sh's readiness check
  postgresql redis-server libpq-dev                   # database + broker (+ headers for psycopg2)
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint runtime libraries
  fonts-noto-cjk                                      # without a CJK font PDFs show empty boxes
  poppler-utils                                       # pdftotext / pdftoppm
)

# install_apt [extra packages...]: install whatever is missing; needs root (or prints the command).
install_apt() {
  local p missing=()
  for p in "${APT_BASE[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "缺少系统软件包: ${missing[*]}" >&2
    echo "请先运行: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "apt: 安装 ${missing[*]} ..." >&2
  local log
  log=$(mktemp /tmp/cwt-apt.XXXXXX)
  # Quiet on success, the whole log on failure.
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
       >"$log" 2>&1 </dev/null; then
    cat "$log" >&2
    rm -f "$log"
    echo "apt-get 安装失败" >&2
    exit 1
  fi
  rm -f "$log"
}

# install_venv: .venv + requirements.txt, re-installed only when requirements.txt changes.
install_venv() {
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  if [ ! -x .venv/bin/python ]; then
    echo "创建 .venv ..." >&2
    python3 -m venv .venv
    .venv/bin/pip install -q -U pip
  fi
  if [ ! -f requirements.txt ]; then
    echo "警告: 没有 requirements.txt, 跳过 pip install" >&2
    return 0
  fi
  local want have=""
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  [ -f .venv/.requirements.sha256 ] && have=$(cat .venv/.requirements.sha256)
  if [ "$want" != "$have" ]; then
    echo "pip: 安装 requirements.txt ..." >&2
    .venv/bin/pip install -q -r requirements.txt
    # Written only after a successful install, so a failed one is retried next time.
    echo "$want" >.venv/.requirements.sha256
  fi
}

# install_all [extra apt packages...]
install_all() {
  install_apt "$@"
  install_venv
}

# Throw-away PostgreSQL + Redis for one run (test.sh, bench.sh): the caller sets SVC_DIR, PGPORT
# and REDIS_PORT; this starts them, exports DATABASE_URL and REDIS_URL, and on any exit (success,
# failure, Ctrl-C) stops them and removes SVC_DIR, keeping the run's exit code. A caller that
# starts more processes defines stop_extra, which runs first.
start_private_services() {
  trap _stop_private_services EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local out
  out=$(scripts/services.sh start)
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' <<<"$out")
  REDIS_URL=$(sed -n 's/^REDIS_URL=//p' <<<"$out")
  export DATABASE_URL REDIS_URL
}

# shellcheck disable=SC2317  # reached through the trap
_stop_private_services() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if declare -F stop_extra >/dev/null; then
    stop_extra
  fi
  "$ROOT/scripts/services.sh" stop
  rm -rf "$SVC_DIR"
  exit "$rc"
}
