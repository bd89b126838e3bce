"""Throughput under 32 concurrent connections: gunicorn (as deployed) driven by wrk.

gunicorn serves ``bench.urls`` (the portal plus the naive baseline) with the settings of a
production start (DEBUG off, persistent connections). wrk runs ``-c 32 -t 2`` for a bounded time
with a logged-in office user's session cookie; a Lua script counts every response that is not
HTTP 200 (wrk itself counts 3xx as success: a redirect to the login page must not pass). Errors
are those responses plus wrk's socket errors (connect, read, write, timeout).

Persistent connections are checked, not assumed: PostgreSQL's ``pg_stat_database.sessions``
counts the connections opened during the run (≈ the number of workers when connections are
reused; ≈ the number of requests when they are not).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.latency import client_for

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("BENCH requests=%d duration_us=%d non200=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50_us=%d p99_us=%d\n", summary.requests, summary.duration, total, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, latency:percentile(50),
    latency:percentile(99)))
end
"""


class Server:
    """gunicorn on 127.0.0.1:port, stopped (by its own pid) when the block ends."""

    def __init__(self, port: int, workers: int, log_dir: Path):
        self.port, self.workers, self.log_dir = port, workers, log_dir
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "DJANGO_ROOT_URLCONF": "bench.urls", "DJANGO_DEBUG": "false"}
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "campaign.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", "sync", "--backlog", "256",
             "--timeout", "60", "--no-control-socket", "--error-logfile", str(self.log_dir / "gunicorn.log"),
             "--pid", str(self.log_dir / "gunicorn.pid")],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/bench/naive-tasks/", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn 未在 60 秒内就绪，见 {self.log_dir / 'gunicorn.log'}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def pg_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def wrk(url: str, *, seconds: int, connections: int = 32, threads: int = 2, cookie: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-c", str(connections), "-t", str(threads), "-d", f"{seconds}s", "--timeout", "10s",
               "-H", "Connection: close",
               "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    try:
        proc = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), "")
    if not line:
        raise RuntimeError(f"wrk 没有输出结果：{proc.stdout[-500:]} {proc.stderr[-500:]}")
    raw = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"], "seconds": round(raw["duration_us"] / 1e6, 1),
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "non_200": raw["non200"], "socket_errors": socket_errors, "errors": raw["non200"] + socket_errors,
        "latency_p50_ms": round(raw["p50_us"] / 1000, 1), "latency_p99_ms": round(raw["p99_us"] / 1000, 1),
        "connections": connections, "threads": threads,
    }


def run(*, port: int, workers: int, seconds: int, log_dir: Path, say=print) -> dict:
    """The task list (office session), the naive baseline and the lightest portal page, each under
    the same load."""
    client = client_for("office")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    results = {"workers": workers, "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE")}
    with Server(port, workers, log_dir) as server:
        # The portal's lightest logged-in page (个人资料) shows what the framework and layout alone cost.
        for name, path, with_cookie in (("tasks", "/tasks/", True), ("naive", "/bench/naive-tasks/", False),
                                        ("profile", "/profile/", True)):
            wrk(f"{server.url}{path}", seconds=3, cookie=cookie if with_cookie else "")  # warm every worker
            before = pg_sessions()
            figures = wrk(f"{server.url}{path}", seconds=seconds, cookie=cookie if with_cookie else "")
            figures["db_sessions_opened"] = pg_sessions() - before
            results[name] = figures
            say(f"  {name:6} {figures['rps']:7.1f} 请求/秒  错误 {figures['errors']}  "
                f"p50 {figures['latency_p50_ms']} ms  p99 {figures['latency_p99_ms']} ms  "
                f"新建数据库连接 {figures['db_sessions_opened']}")
    results["ratio"] = round(results["tasks"]["rps"] / max(0.1, results["naive"]["rps"]), 2)
    return results
