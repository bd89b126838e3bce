"""The processes one fault scenario runs: private PostgreSQL + Redis (scripts/services.sh),
gunicorn, Celery workers and beat. Every process is started in its own session, so its process
group (the main process, prefork children, WeasyPrint renderers) can be killed as a whole, and
everything is stopped by ``Stack.close()`` whatever happened before.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll ``condition()`` until it returns something truthy; raise TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def group_members(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                pids.append(int(entry.name))
    return pids


def env_for(pgport: int, redis_port: int, media: Path) -> dict[str, str]:
    """The environment of every process of a scenario (and of the driver's own Django)."""
    return {
        "DATABASE_URL": f"postgres://app:app@127.0.0.1:{pgport}/app",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "faults-only-not-secret",
        "DJANGO_SECURE_SSL": "false",
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        "PG_FAST": "1",
        "PGPORT": str(pgport),
        "REDIS_PORT": str(redis_port),
        # Recovery in seconds rather than tens of seconds: beat sweeps every second, a run silent for
        # 4 s has lost its worker (its heartbeat thread beats every second), unsent jobs go after 1 s.
        # The recovery scenarios (recovery.py) measure with the shipped figures instead.
        "OUTBOX_DISPATCH_SECONDS": "1",
        "OUTBOX_RESEND_AFTER_SECONDS": "1",
        "REPORTS_SWEEP_SECONDS": "1",
        "JOBS_STALE_HEARTBEAT_SECONDS": "4",
        "REPORTS_REQUEUE_AFTER_SECONDS": "4",
    }


def redeliver_unacked(redis_port: int, task_ids: set[str]) -> list[str]:
    """Do now what kombu's Redis transport does once ``visibility_timeout`` (1 h) has passed for a
    message whose worker died before acknowledging it: put it back on its queue. Only the given
    task ids; returns those put back."""
    import redis

    client = redis.Redis(port=redis_port)
    ids = []
    for tag, raw in client.hgetall("unacked").items():
        payload, _exchange, routing_key = json.loads(raw)
        if payload["headers"].get("id") not in task_ids:
            continue
        payload["headers"]["redelivered"] = True
        client.pipeline().lpush(routing_key or "celery", json.dumps(payload)).hdel("unacked", tag) \
            .zrem("unacked_index", tag).execute()
        ids.append(payload["headers"]["id"])
    return ids


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def wait_log(self, pattern: str, *, timeout: float, start: int = 0) -> None:
        """Wait for ``pattern`` (a regex) in the log after offset ``start``; fail early if the process died."""
        rx = re.compile(pattern)

        def seen():
            if rx.search(self.log_text()[start:]):
                return True
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode} before /{pattern}/")
            return False

        wait_until(seen, timeout=timeout, what=f"/{pattern}/ in the {self.name} log")

    def kill_group(self, sig=signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)


@dataclass
class Stack:
    """One scenario's services and processes, under ``base`` (a fresh folder). ``media`` is shared
    by the scenarios of one run (the driver's own Django settings point at it) and emptied here."""

    base: Path
    media: Path
    pgport: int
    redis_port: int
    procs: list[Proc] = field(default_factory=list)
    env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.svc_dir = self.base / "svc"
        self.logs = self.base / "logs"
        shutil.rmtree(self.media, ignore_errors=True)
        for d in (self.svc_dir, self.logs, self.media):
            d.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **env_for(self.pgport, self.redis_port, self.media), "SVC_DIR": str(self.svc_dir)}

    # -- services --------------------------------------------------------------------------
    def services(self, action: str) -> None:
        out = subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), action], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"services.sh {action} failed: {out.stderr.strip()[-800:]}")

    def redis_pid(self) -> int | None:
        try:
            pid = int((self.svc_dir / "redis" / "redis.pid").read_text())
        except (OSError, ValueError):
            return None
        return pid if alive(pid) else None

    def stop_redis(self) -> None:
        """Stop only Redis (services.sh stop would take PostgreSQL down too)."""
        pid = self.redis_pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not alive(pid), timeout=15, what="Redis to exit")
        wait_until(lambda: not port_open(self.redis_port), timeout=10, what="the Redis port to close")

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        # -l: without it the server would write to (and hold open) our pipe, and we would wait forever
        cmd = [str(pgbin / "pg_ctl"), "-D", str(self.svc_dir / "pg" / "data"), "-l",
               str(self.svc_dir / "pg" / "server.log"), *args]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {out.stderr.strip()[-500:]}")

    def manage(self, *args: str, timeout: float = 300) -> None:
        out = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {(out.stdout + out.stderr).strip()[-1500:]}")

    # -- application processes -------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], *, stop_signal: int = signal.SIGTERM, **extra_env: str | None) -> Proc:
        """``extra_env`` adds to the scenario's environment; a None value removes the variable."""
        log = self.logs / f"{name}.log"
        env = {k: v for k, v in {**self.env, **extra_env}.items() if v is not None}
        fh = open(log, "ab")  # noqa: SIM115 (handed to the child; closed when we are done)
        popen = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                 stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        fh.close()
        proc = Proc(name, popen, log, stop_signal)
        self.procs.append(proc)
        return proc

    def gunicorn(self, *, workers: int = 2, **extra_env: str | None) -> tuple[Proc, int]:
        port = free_port()
        proc = self.spawn("gunicorn", [str(VENV_BIN / "gunicorn"), "campaign.wsgi", "-b", f"127.0.0.1:{port}",
                                       "-w", str(workers), "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket",
                                       "--access-logfile", "-", "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
                          **extra_env)
        return proc, port

    def worker(self, name: str = "worker", **extra_env: str) -> Proc:
        return self.spawn(name, [str(VENV_BIN / "celery"), "-A", "campaign", "worker", "--pool", "prefork",
                                 "--concurrency", "1", "--loglevel", "INFO", "-n", f"{name}@faults",
                                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                          stop_signal=signal.SIGKILL, **extra_env)  # the scenario is over: nothing to finish

    def beat(self, **extra_env: str) -> Proc:
        return self.spawn("beat", [str(VENV_BIN / "celery"), "-A", "campaign", "beat", "--loglevel", "INFO",
                                   "-s", str(self.base / "beat-schedule"), "--pidfile="], **extra_env)

    def stop(self, *procs: Proc, grace: float = 8.0) -> None:
        """Each main process's stop signal (gunicorn and Celery then stop their own children), then
        SIGKILL to whatever is left in their process groups after ``grace`` seconds."""
        running = [p for p in procs if p.popen.poll() is None]
        for proc in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, proc.stop_signal)
        deadline = time.monotonic() + grace
        for proc in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        for proc in procs:
            proc.kill_group(signal.SIGKILL)  # leftovers: children, renderers
            if proc.popen.poll() is None:
                proc.popen.wait(timeout=10)

    def close(self) -> list[str]:
        """Stop every process we started, then the services. Returns problems (never raises)."""
        problems = []
        try:
            self.stop(*self.procs)
        except Exception as exc:
            problems.append(f"stopping processes: {exc}")
        for proc in self.procs:
            left = group_members(proc.pid)
            if left:
                problems.append(f"{proc.name}: processes left in its group {left}")
                proc.kill_group(signal.SIGKILL)
        try:
            # Redis needs ~1 s to act on SIGTERM; this data is thrown away, so shut it down at once.
            subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True,
                           timeout=10)
            self.services("stop")
        except Exception as exc:
            problems.append(str(exc))
        return problems

    def tail(self, lines: int = 25) -> str:
        parts = []
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name} (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(parts)


def remove_tree(path: Path) -> None:
    # PostgreSQL's data dir belongs to the postgres user when we run as root; root removes it.
    shutil.rmtree(path, ignore_errors=True)


def python() -> str:
    return str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
