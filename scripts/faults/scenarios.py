"""The three fault scenarios. Each starts its own PostgreSQL + Redis, migrates, seeds a few rows,
starts the processes it needs, does damage, and judges what the system did about it. Problems are
collected, not raised, so one scenario reports everything it saw; every process is stopped at the
end whatever happened."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from . import backups, data
from .bodies import huge_bodies
from .orphans import orphan_race
from .stack import Proc, Stack, alive, children_of, redeliver_unacked, wait_until
from .web import Browser, Hit

FAST = 5.0  # seconds: "the request returns quickly"


@dataclass
class Outcome:
    name: str
    title: str
    passed: bool = False
    seconds: float = 0.0
    facts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Ctx:
    """What a scenario works with: its stack, its outcome, and a clock for the log."""

    def __init__(self, stack: Stack, outcome: Outcome):
        self.stack, self.outcome = stack, outcome
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        print(f"  [{time.monotonic() - self.started:5.1f}s] {message}", flush=True)

    def fact(self, message: str) -> None:
        self.outcome.facts.append(message)
        self.say(message)

    def check(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.outcome.problems.append(problem)
            self.say(f"FAILED CHECK: {problem}")
        return ok


# -- shared steps ---------------------------------------------------------------------------------
def prepare(ctx: Ctx, *, photos: int, size: tuple[int, int]) -> data.Seed:
    ctx.stack.services("start")
    data.fresh()
    call_command("migrate", verbosity=0)
    seed = data.seed(photos=photos, size=size)
    ctx.say(f"services up on {ctx.stack.pgport}/{ctx.stack.redis_port}, migrated, seeded {photos} photos")
    return seed


def start_app(ctx: Ctx, *, beat: bool) -> tuple[str, Proc]:
    """Worker (and beat) and gunicorn, started together; returns once gunicorn answers and the
    worker is ready."""
    worker = ctx.stack.worker()
    if beat:
        ctx.stack.beat()
    _, port = ctx.stack.gunicorn()
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: Browser(url, timeout=2).get("/accounts/login/").ok(), timeout=60, interval=0.3,
               what="gunicorn to answer")
    worker.wait_log(r" ready\.", timeout=60)
    return url, worker


def logged_in(ctx: Ctx, url: str) -> Browser:
    browser = Browser(url)
    hit = browser.login(data.USERNAME, data.PASSWORD)
    ctx.check(hit.status == 302 and hit.location in ("/", f"{url}/"), f"login: {hit}")
    return browser


def request_dossier_on_the_web(ctx: Ctx, browser: Browser, seed: data.Seed) -> tuple[int | None, list[Hit]]:
    shown, posted = browser.post_form("/reports/", "/reports/dossiers/new/", data.dossier_form(seed))
    found = re.search(r"/reports/runs/(\d+)/", posted.location)
    ctx.check(posted.status == 302 and found is not None, f"dossier request: {posted}")
    return (int(found.group(1)) if found else None), [shown, posted]


def wait_final(ctx: Ctx, run_id: int, *, timeout: float) -> tuple[dict, str]:
    """Wait until the run has succeeded or failed; returns its row and the path it took."""
    path: list[str] = []

    def finished():
        state = data.run_state(run_id)
        step = f"{state['status']}#{state['attempts']}"
        if not path or path[-1] != step:
            path.append(step)
        return state if state["status"] in ("succeeded", "failed") else None

    try:
        state = wait_until(finished, timeout=timeout, interval=0.2, what=f"run {run_id} to finish")
    except TimeoutError:
        ctx.check(False, f"run {run_id} not finished after {timeout:.0f} s (path {' → '.join(path)})")
        return data.run_state(run_id), " → ".join(path)
    return state, " → ".join(path)


def check_run(ctx: Ctx, run_id: int, *, want: tuple[str, ...] = ("succeeded",)) -> dict:
    state = data.run_state(run_id)
    ctx.check(state["status"] in want, f"run {run_id} ended {state['status']} ({state['error'][:200]})")
    for problem in data.check_output(run_id):
        ctx.check(False, f"run {run_id}: {problem}")
    unsent = [j for j in data.outbox("reports.build_dossier", run_id) if j["sent_at"] is None]
    ctx.check(not unsent, f"run {run_id}: jobs still unsent in the outbox: {unsent}")
    return state


def check_hits(ctx: Ctx, hits: list[Hit]) -> None:
    """Pages answer 200, forms redirect (302), and nothing takes longer than FAST."""
    for hit in hits:
        want = 200 if hit.method == "GET" else 302
        ctx.check(hit.status == want, f"{hit} (expected {want})")
        ctx.check(hit.seconds < FAST, f"{hit}: slower than {FAST:.0f} s")


def burst(browsers: list[Browser], paths: list[str]) -> list[Hit]:
    """Each browser requests ``paths`` in turn, all browsers at once (so every gunicorn worker serves)."""
    with ThreadPoolExecutor(len(browsers)) as pool:
        return [hit for hits in pool.map(lambda b: [b.get(p) for p in paths], browsers) for hit in hits]


def pages(seed: data.Seed) -> list[str]:
    return ["/", "/tasks/", f"/tasks/{seed.task_id}/", "/reports/"]


# -- 1. a worker killed in the middle of a dossier -----------------------------------------------
def worker_killed(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=14, size=(1600, 1200))
    first = ctx.stack.worker("worker1")
    ctx.stack.beat()
    first.wait_log(r" ready\.", timeout=60)
    run_id = data.request_dossier(seed)
    state = wait_until(lambda: _mid_build(run_id), timeout=60, interval=0.05, what="the build to pass 10 %")
    killed_at = time.monotonic()
    renderers = _kill_worker(ctx, first, state)
    first.popen.wait(timeout=10)
    _orphans_gone(ctx, renderers)
    left = data.run_state(run_id)
    ctx.fact(f"after the kill the run is {left['status']} at {left['progress']} % (attempt {left['attempts']})")
    second = ctx.stack.worker("worker2")
    ctx.say("worker2 started; waiting for the sweeper (stale after 4 s) and the retry")
    final, path = wait_final(ctx, run_id, timeout=120)
    ctx.fact(f"run path {path}; finished {time.monotonic() - killed_at:.1f} s after the kill")
    _late_redelivery(ctx, first, second, run_id, final)
    state = check_run(ctx, run_id, want=("succeeded", "failed"))
    files, _ = data.report_files()
    ctx.fact(f"final: {state['status']}, attempts {state['attempts']}, files under media/reports: {files}")
    if state["status"] == "failed":
        ctx.fact(f"marked failed by the sweeper: {state['error'][:120]}")


def _late_redelivery(ctx: Ctx, killed: Proc, worker: Proc, run_id: int, before: dict) -> None:
    """The killed worker never acknowledged its message (acks_late): Redis hands it out again
    after visibility_timeout. Do that now; the claim must make it a no-op."""
    mark = len(worker.log_text())
    ids = redeliver_unacked(ctx.stack.redis_port, set(re.findall(r"build_dossier\[([\w-]+)\] received",
                                                                 killed.log_text())))
    if not ids:
        ctx.fact("no unacknowledged message of the killed worker left in Redis (it had requeued it)")
        return
    worker.wait_log(rf"(?s)build_dossier\[{ids[0]}\] received.*(不处于排队状态|跳过重复的消息)", timeout=30, start=mark)
    after = data.run_state(run_id)
    same = all(after[k] == before[k] for k in ("status", "attempts", "file", "sha256"))
    ctx.check(same, f"the late redelivery changed the run: {before} → {after}")
    ctx.fact(f"the killed attempt's unacknowledged message {ids[0][:8]}…, redelivered as Redis would after "
             f"visibility_timeout, was skipped (run still {after['status']}#{after['attempts']})")


def _mid_build(run_id: int) -> dict | None:
    state = data.run_state(run_id)
    if state["status"] in ("succeeded", "failed"):
        raise RuntimeError(f"the build ended ({state['status']}) before it could be killed: use more photos")
    return state if state["status"] == "running" and state["progress"] >= 10 else None


def _kill_worker(ctx: Ctx, worker: Proc, state: dict) -> list[int]:
    pool = children_of(worker.pid)
    renderers = [pid for child in pool for pid in children_of(child)]
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    os.kill(worker.pid, signal.SIGKILL)
    ctx.fact(f"SIGKILL to worker1 pool child {pool} and main {worker.pid} at {state['progress']} % "
             f"«{state['stage']}» ({len(renderers)} WeasyPrint renderers orphaned)")
    return renderers


def _orphans_gone(ctx: Ctx, renderers: list[int]) -> None:
    started = time.monotonic()
    try:
        wait_until(lambda: not any(alive(pid) for pid in renderers), timeout=20, interval=0.1,
                   what="the orphaned renderers to exit")
        ctx.fact(f"orphaned renderers exited on their own in {time.monotonic() - started:.1f} s (stdin closed)")
    except TimeoutError:
        ctx.check(False, f"orphaned renderers still running 20 s after the kill: {renderers}")


# -- 2. Redis stopped while people work ----------------------------------------------------------
def redis_stopped(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=4, size=(800, 600))
    url, _ = start_app(ctx, beat=True)
    ctx.stack.stop_redis()
    ctx.say("Redis stopped")
    browser = Browser(url)
    login = browser.login(data.USERNAME, data.PASSWORD)
    browsing = [browser.get(p) for p in pages(seed)]
    run_id, asked = request_dossier_on_the_web(ctx, browser, seed)
    hits = [login, *browsing, *asked, *([browser.get(f"/reports/runs/{run_id}/")] if run_id else [])]
    check_hits(ctx, hits)
    ctx.fact("with Redis down: " + "; ".join(f"{h.method} {h.path} {h.status} {h.seconds * 1000:.0f} ms"
                                              for h in hits))
    if run_id is None:
        return
    _kept_while_down(ctx, run_id)
    ctx.stack.services("start")
    back = timezone.now()
    ctx.say("Redis started again on the same port, empty (no persistence: nothing survives in it)")
    state, path = wait_final(ctx, run_id, timeout=120)
    sent = [j["sent_at"] for j in data.outbox("reports.build_dossier", run_id) if j["sent_at"]]
    if sent:
        ctx.fact(f"outbox sent the job {(max(sent) - back).total_seconds():.1f} s after Redis was back; "
                 f"run path {path}, finished {(timezone.now() - back).total_seconds():.1f} s after")
    check_run(ctx, run_id)
    ctx.check(state["attempts"] == 1, f"the dossier was built {state['attempts']} times, expected once")
    ctx.check(data.unsent_jobs() == 0, f"{data.unsent_jobs()} jobs never left the outbox")


def _kept_while_down(ctx: Ctx, run_id: int) -> None:
    time.sleep(2.5)  # beat and worker keep trying meanwhile
    jobs = data.outbox("reports.build_dossier", run_id)
    state = data.run_state(run_id)
    ctx.check(len(jobs) == 1 and jobs[0]["sent_at"] is None, f"outbox while Redis is down: {jobs}")
    ctx.check(state["status"] == "pending", f"run {run_id} is {state['status']} while Redis is down")
    if jobs:
        ctx.fact(f"job kept in the outbox, unsent after {jobs[0]['attempts']} failed sends "
                 f"({jobs[0]['last_error'][:60]})")


# -- 3. PostgreSQL restarted under the running app -------------------------------------------------
def postgres_restarted(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=4, size=(800, 600))
    url, worker = start_app(ctx, beat=False)
    browsers = [logged_in(ctx, url), logged_in(ctx, url)]
    hits, warm = _served_burst(ctx, browsers, pages(seed) * 2)
    check_hits(ctx, hits)
    ctx.check(len(warm) == 2, f"before the restart only gunicorn workers {warm} served, the check wants both")
    mark = len(worker.log_text())
    data.send_job("reports.sweep_runs")  # any job: the worker then holds a database connection
    worker.wait_log(r"reports\.sweep_runs\[.*\] succeeded", timeout=30, start=mark)
    ctx.say("warm: both gunicorn workers and the Celery worker hold database connections")
    _restart(ctx)
    _requests_after_restart(ctx, browsers, seed, warm, "after a quiet restart")
    during = _restart(ctx, prober=browsers[1])
    ctx.fact(f"restart under load (informational): {len(during)} requests while pg_ctl ran, "
             f"{sum(h.status == 200 for h in during)} answered 200, statuses {sorted({h.status for h in during})}")
    _requests_after_restart(ctx, browsers, seed, warm, "after the restart under load")
    second, _ = request_dossier_on_the_web(ctx, browsers[0], seed)
    if second is not None:
        state, path = wait_final(ctx, second, timeout=90)
        ctx.fact(f"dossier requested after the restart: {path}")
        check_run(ctx, second)


def _restart(ctx: Ctx, *, prober: Browser | None = None) -> list[Hit]:
    """pg_ctl restart -m fast; with a prober, one browser keeps requesting a page meanwhile."""
    stop, hits = threading.Event(), []

    def probe():
        while not stop.is_set():
            hits.append(prober.get("/tasks/"))
            time.sleep(0.02)

    thread = threading.Thread(target=probe, daemon=True)
    if prober:
        thread.start()
        time.sleep(0.2)
    started = time.monotonic()
    try:
        ctx.stack.pg_ctl("restart", "-m", "fast", "-w", "-t", "60")
    finally:
        stop.set()
        if prober:
            thread.join(timeout=35)
    ctx.fact(f"pg_ctl restart -m fast took {time.monotonic() - started:.1f} s")
    data.fresh()
    return hits


def _served_burst(ctx: Ctx, browsers: list[Browser], paths: list[str]) -> tuple[list[Hit], set[str]]:
    """A burst, and the pids of the gunicorn workers that served it (from the access log)."""
    gunicorn = next(p for p in ctx.stack.procs if p.name == "gunicorn")
    mark = len(gunicorn.log_text())
    hits = burst(browsers, paths)
    return hits, set(re.findall(r"^<(\d+)> GET", gunicorn.log_text()[mark:], re.M))


def _requests_after_restart(ctx: Ctx, browsers: list[Browser], seed: data.Seed, warm: set[str], when: str) -> None:
    """Every request after the restart must succeed, on every gunicorn worker: each held a
    connection to the old server, which CONN_HEALTH_CHECKS must replace before the request uses it."""
    after, served = _served_burst(ctx, browsers, pages(seed) * 5)
    failed = [h for h in after if h.status != 200]
    ctx.fact(f"{when}: {len(after) - len(failed)}/{len(after)} requests answered 200 by gunicorn workers "
             f"{', '.join(sorted(served))}; slowest {max(h.seconds for h in after) * 1000:.0f} ms")
    ctx.check(not failed, f"requests failed {when}: " + "; ".join(map(str, failed[:5])))
    ctx.check(served == warm, f"{when}: served by gunicorn workers {served}, the check wants {warm}")


# -- running them ---------------------------------------------------------------------------------
SCENARIOS: dict[str, tuple[str, Callable[[Ctx], None]]] = {
    "worker_kill": ("生成卷宗时 worker 被 SIGKILL", worker_killed),
    "redis_down": ("Redis 停止期间继续办公", redis_stopped),
    "pg_restart": ("PostgreSQL 重启（pg_ctl restart -m fast）", postgres_restarted),
    "huge_body": ("1 GiB 请求体（未登录与已登录）", huge_bodies),
    "backup_load": ("办公中备份，恢复到新库并核对", backups.backup_under_load),
    "backup_tamper": ("被改动的备份在动手前被拒绝", backups.tampered_backups),
    "orphan_race": ("清扫孤立文件时同一文件被重新上传", orphan_race),
}
from . import recovery  # noqa: E402  (its scenarios use the steps above)

SCENARIOS.update(recovery.SCENARIOS)


def run(name: str, *, run_dir: Path, media: Path, pgport: int, redis_port: int) -> Outcome:
    title, body = SCENARIOS[name]
    outcome = Outcome(name, title)
    print(f"== {name}: {title}", flush=True)
    stack = Stack(run_dir / name, media, pgport, redis_port)
    ctx = Ctx(stack, outcome)
    try:
        body(ctx)
    except Exception as exc:
        outcome.problems.append(f"{type(exc).__name__}: {exc}")
        ctx.say("".join(traceback.format_exception(exc)).rstrip())
    finally:
        data.fresh()
        stopping = time.monotonic()
        outcome.problems += stack.close()
        ctx.say(f"stopped every process and the services in {time.monotonic() - stopping:.1f} s")
        outcome.seconds = time.monotonic() - ctx.started
    outcome.passed = not outcome.problems
    if not outcome.passed:
        print(stack.tail(), flush=True)
    verdict = "PASS" if outcome.passed else "FAIL"
    print(f"{verdict} {name} ({outcome.seconds:.1f} s)" + ("" if outcome.passed else f": {outcome.problems[0]}"),
          flush=True)
    return outcome
