"""Fault scenarios for background work and its recovery times.

4. beat_redis_down — Redis is down across a beat firing (the daily chase ladder): the firing waits
   in the outbox, a repeated firing of the same slot (beat restarted on its old schedule file)
   queues nothing more, and the ladder runs exactly once after Redis is back.
5. db_outage_action — the database goes away right after a 提交销号 commits (a proxy in front of
   PostgreSQL cuts every connection after the COMMIT and refuses new ones for a few seconds): the
   user is answered with success, the action is saved, and the photo's job runs once the
   database is back.
6. worker_recovery — a worker is SIGKILLed mid-dossier, with the shipped recovery figures (not
   the shortened ones of the other scenarios): the run must resume within 60 s, never twice at
   once. Also measures the heartbeat's longest gap during the build.
7. lost_message — jobs sent while no worker runs are lost when Redis restarts without its data
   (a dossier and a photo's print rendition), with the shipped figures: they must run within
   60 s, once each.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db import close_old_connections
from django.utils import timezone

from . import data
from .scenarios import FAST, Ctx, check_run, prepare, wait_final
from .stack import children_of, free_port, wait_until
from .web import Browser, Hit

LIMIT = 60.0  # seconds: the recovery target
# The shipped recovery figures (campaign/settings.py defaults): None removes the shortened values
# of stack.env_for, so the processes run with what production runs.
SHIPPED = dict.fromkeys(("OUTBOX_DISPATCH_SECONDS", "OUTBOX_RESEND_AFTER_SECONDS", "REPORTS_SWEEP_SECONDS",
                         "JOBS_STALE_HEARTBEAT_SECONDS", "REPORTS_REQUEUE_AFTER_SECONDS"))
LADDER = "tasks.run_chase_ladder"
RENDITION = "archives.make_print_rendition"


# -- 4. Redis down across a beat firing ------------------------------------------------------------
def beat_redis_down(ctx: Ctx) -> None:
    prepare(ctx, photos=1, size=(800, 600))
    task_id = _overdue_task_on_a_workday()
    schedule = ctx.stack.base / "beat-schedule"
    slot = _schedule_file_with_a_missed_ladder(schedule)
    saved = _copy_schedule(schedule, ctx.stack.base / "saved")
    ctx.stack.stop_redis()
    ctx.say("Redis stopped")

    beat = ctx.stack.beat()
    beat.wait_log(r"Sending due task daily-chase-ladder", timeout=60)
    row = wait_until(lambda: _ladder_rows() and _ladder_rows()[0], timeout=20, what="the firing in the outbox")
    ctx.check(row["sent_at"] is None, f"the firing was sent although Redis is down: {row}")
    ctx.check(row["slot"] == slot, f"the firing's slot is {row['slot']}, expected {slot}")
    ctx.check("SchedulingError" not in _lines(beat.log_text(), LADDER),
              "beat reported a SchedulingError for the chase ladder")
    ctx.fact(f"Redis down at the 08:30 firing: kept in the outbox for slot {timezone.localtime(slot):%Y-%m-%d %H:%M}, "
             f"unsent after {row['attempts']} failed send")

    ctx.stack.stop(beat)
    _copy_schedule(saved, schedule)  # beat restarted on the schedule file it had before the firing
    mark = len(beat.log_text())
    again = ctx.stack.beat()
    again.wait_log(r"Sending due task daily-chase-ladder", timeout=60, start=mark)
    again.wait_log(r"已经记录过|并入", timeout=20, start=mark)
    ctx.check(len(_ladder_rows()) == 1, f"the repeated firing queued it again: {_ladder_rows()}")
    ctx.fact("beat restarted on its old schedule file fired the same slot again: still one row")

    worker = ctx.stack.worker()
    ctx.stack.services("start")
    back = timezone.now()
    ctx.say("Redis started again")
    wait_until(lambda: (r := _ladder_rows()) and r[0]["finished_at"], timeout=60, interval=0.2,
               what="the chase ladder to run")
    time.sleep(3)  # several sweeps more (every second here): nothing may run it a second time
    rows = _ladder_rows()
    runs = len(re.findall(r"tasks\.run_chase_ladder\[[\w-]+\] succeeded in [\d.]+s: \{", worker.log_text()))
    notices = _notices(task_id)
    ctx.check(len(rows) == 1 and rows[0]["runs"] == 1 and rows[0]["finished_at"], f"outbox rows of the ladder: {rows}")
    ctx.check(runs == 1, f"the chase ladder ran {runs} times in the worker, expected once")
    ctx.check(notices == ["urge"], f"the overdue task got notices {notices}, expected one 催办")
    row = rows[0]
    ctx.fact(f"after Redis was back the firing was sent {(row['sent_at'] - back).total_seconds():.1f} s later "
             f"(sweeper every 1 s here; shipped figures: within 10 + 20 s) and ran {runs} time, "
             f"{(row['started_at'] - back).total_seconds():.1f} s after Redis was back (the worker's own "
             f"reconnect backoff); the overdue task got its 催办 once")


def _overdue_task_on_a_workday() -> int:
    from campaign.models import CalendarDay
    from tasks.models import RectificationTask

    close_old_connections()
    today = timezone.localdate()
    CalendarDay.objects.update_or_create(date=today, defaults={"kind": CalendarDay.Kind.WORKDAY, "note": "演练"})
    task = RectificationTask.objects.get()
    RectificationTask.objects.filter(pk=task.pk).update(due_date=today - timedelta(days=1))
    return task.pk


def _schedule_file_with_a_missed_ladder(path: Path):
    """Beat's schedule file as it is the morning after a day on which the ladder did not fire:
    its last run 25 hours ago, so beat fires the missed slot as it starts."""
    from campaign.celery import app
    from campaign.services.beat import OutboxScheduler, scheduled_slot

    scheduler = OutboxScheduler(app=app, schedule_filename=str(path))
    entry = scheduler.schedule["daily-chase-ladder"]
    entry.last_run_at = app.now() - timedelta(hours=25)
    slot = scheduled_slot(entry)
    scheduler.sync()
    scheduler.close()
    return slot


def _copy_schedule(source: Path, target: Path) -> Path:
    """Copy the schedule file (dbm may write it as several files) to ``target``."""
    for old in target.parent.glob(f"{target.name}*"):
        old.unlink()
    for part in source.parent.glob(f"{source.name}*"):
        shutil.copy2(part, target.parent / (target.name + part.name[len(source.name):]))
    return target


def _ladder_rows() -> list[dict]:
    from campaign.models import OutboxJob

    close_old_connections()
    return list(OutboxJob.objects.filter(name=LADDER).order_by("pk").values(
        "slot", "sent_at", "attempts", "started_at", "finished_at", "runs", "last_error"))


def _notices(task_id: int) -> list[str]:
    from tasks.models import ChaseNotice

    close_old_connections()
    return list(ChaseNotice.objects.filter(task_id=task_id).values_list("kind", flat=True))


def _lines(text: str, needle: str) -> str:
    return "\n".join(line for line in text.splitlines() if needle in line)


# -- 5. the database goes away right after an action commits ------------------------------------
class PgProxy:
    """A TCP proxy in front of PostgreSQL. Connections come in on ``web_port`` (gunicorn) or
    ``app_port`` (worker, beat). Once armed, the first COMMIT on a web connection is let through,
    its answer is handed back, and then every connection is cut and new ones are refused for
    ``seconds``: the database went down the moment the action was committed."""

    COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # a simple-protocol query message (psycopg's commit)
    READY = b"Z\x00\x00\x00\x05"

    def __init__(self, pg_port: int):
        self.pg_port = pg_port
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.armed_for = 0.0
        self.down_until = 0.0
        self.cut_at: float | None = None
        self.stopping = False
        self.listeners = {}
        for tag in ("web", "app"):
            listener = socket.create_server(("127.0.0.1", free_port()))
            self.listeners[tag] = listener
            threading.Thread(target=self._accept, args=(listener, tag), daemon=True).start()

    def port(self, tag: str) -> int:
        return self.listeners[tag].getsockname()[1]

    def url(self, tag: str) -> str:
        return f"postgres://app:app@127.0.0.1:{self.port(tag)}/app"

    def arm(self, seconds: float) -> None:
        self.armed_for = seconds

    @property
    def down(self) -> bool:
        return time.monotonic() < self.down_until

    def close(self) -> None:
        self.stopping = True
        for listener in self.listeners.values():
            listener.close()
        self._cut_all()

    def _accept(self, listener: socket.socket, tag: str) -> None:
        while not self.stopping:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.down:
                client.close()  # "server closed the connection unexpectedly"
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.pg_port))
            except OSError:
                client.close()
                continue
            state = {"committing": False}
            with self.lock:
                self.sockets |= {client, server}
            threading.Thread(target=self._pump, args=(client, server, tag, state, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, tag, state, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, tag: str, state: dict, upstream: bool) -> None:
        try:
            while True:
                chunk = src.recv(65536)
                if not chunk or self.down:
                    break
                if upstream and tag == "web" and self.armed_for and self.COMMIT in chunk:
                    state["committing"] = True
                cut = not upstream and state["committing"] and self.READY in chunk
                if cut:  # from here on nothing gets through; the COMMIT's answer is the last thing
                    self.down_until = time.monotonic() + self.armed_for
                    self.armed_for, self.cut_at = 0.0, time.monotonic()
                dst.sendall(chunk)
                if cut:
                    self._cut_all()
                    break
        except OSError:
            pass
        finally:
            for s in (src, dst):
                _shut(s)

    def _cut_all(self) -> None:
        with self.lock:
            sockets, self.sockets = self.sockets, set()
        for s in sockets:
            _shut(s)


def _shut(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()


def db_outage_action(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=1, size=(800, 600))
    username, password = _liaison_with_task_in_progress(seed)
    proxy = PgProxy(ctx.stack.pgport)
    try:
        _db_outage_action(ctx, seed, proxy, username, password)
    finally:
        proxy.close()


def _db_outage_action(ctx: Ctx, seed: data.Seed, proxy: PgProxy, username: str, password: str) -> None:
    worker = ctx.stack.worker(DATABASE_URL=proxy.url("app"))
    ctx.stack.beat(DATABASE_URL=proxy.url("app"))
    gunicorn, port = ctx.stack.gunicorn(DATABASE_URL=proxy.url("web"))
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: Browser(url, timeout=2).get("/accounts/login/").ok(), timeout=60, interval=0.3,
               what="gunicorn to answer")
    worker.wait_log(r" ready\.", timeout=60)
    browser = Browser(url)
    login = browser.login(username, password)
    ctx.check(login.status == 302, f"login: {login}")
    form = browser.get(f"/tasks/{seed.task_id}/submit/")
    ctx.check(form.ok(), f"the 提交销号 form: {form}")

    outage = 6.0
    proxy.arm(outage)
    posted = _post_photo(browser, f"/tasks/{seed.task_id}/submit/", {"note": "已清理并规范停放"}, "photos", "after.jpg")
    ctx.check(proxy.cut_at is not None, "the proxy never saw the action's COMMIT: no outage happened")
    ctx.check(posted.status == 302 and posted.location.endswith(f"/tasks/{seed.task_id}/"),
              f"the action was not answered as done: {posted}")
    ctx.check(posted.seconds < FAST, f"{posted}: slower than {FAST:.0f} s")
    during = browser.get(f"/tasks/{seed.task_id}/")
    ctx.fact(f"database cut right after the 提交销号 COMMIT, for {outage:.0f} s: the POST answered {posted.status} → "
             f"{posted.location} in {posted.seconds * 1000:.0f} ms; the task page during the outage: {during.status}")
    warned = "提交后未能发出" in gunicorn.log_text()
    ctx.fact("gunicorn logged the failed after-commit dispatch and left the job to the sweeper" if warned else
             "the after-commit dispatch did not fail (the job went out before the cut)")

    wait_until(lambda: not proxy.down, timeout=outage + 5, what="the outage to end")
    back = time.monotonic()
    ctx.say("database reachable again")
    made = wait_until(_after_photo_rendered(seed), timeout=60, interval=0.2, what="the after-photo's print version")
    rendered = time.monotonic() - back
    shown = browser.get(f"/tasks/{seed.task_id}/")
    state, actions, rows = _submitted(seed)
    ctx.check(state == "submitted", f"the task is {state} after the outage, expected submitted (待核查)")
    ctx.check(actions == 1, f"{actions} 提交销号 actions saved, expected 1")
    ctx.check(shown.ok() and "待核查" in browser.last_body, f"the task page after the outage: {shown}")
    ctx.check([r["runs"] for r in rows] == [1], f"the photo's job rows: {rows}")
    ctx.fact(f"after the outage: the task is 待核查 with its 提交销号 saved once; the after-photo's print version "
             f"({made}) was made {rendered:.1f} s after the database was back, by one run of its job")


def _liaison_with_task_in_progress(seed: data.Seed) -> tuple[str, str]:
    from campaign.models import Membership, User
    from tasks.models import RectificationTask, State

    close_old_connections()
    user = User(username="faults_liaison", full_name="王晓东")
    user.set_password(data.PASSWORD)
    user.save()
    Membership.objects.create(user=user, unit_id=seed.unit_id, role="liaison")
    RectificationTask.objects.filter(pk=seed.task_id).update(state=State.IN_PROGRESS)
    return user.username, data.PASSWORD


def _post_photo(browser: Browser, path: str, fields: dict, file_field: str, filename: str) -> Hit:
    """A multipart POST of the form with one JPEG, as a phone's browser sends it."""
    from bench import samples

    out = io.BytesIO()
    samples.photo_base((800, 600)).save(out, "JPEG", quality=85)
    boundary = uuid.uuid4().hex
    parts = [(name, None, str(value).encode()) for name, value in
             {**fields, "csrfmiddlewaretoken": browser.csrf()}.items()]
    parts.append((file_field, filename, out.getvalue()))
    body = b""
    for name, fn, value in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{fn}"' if fn else "")
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        if fn:
            head += "Content-Type: image/jpeg\r\n"
        body += head.encode() + b"\r\n" + value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(browser.base + path, data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                          "Referer": browser.base + path})
    started, status, location, error = time.monotonic(), 0, "", ""
    try:
        with browser.opener.open(req, timeout=browser.timeout) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status, location = exc.code, exc.headers.get("Location", "")
    except (urllib.error.URLError, OSError) as exc:
        error = str(getattr(exc, "reason", exc))
    hit = Hit("POST", path, status, time.monotonic() - started, location, error)
    browser.hits.append(hit)
    return hit


def _after_photo_rendered(seed: data.Seed) -> Callable[[], str | None]:
    def rendered():
        from tasks.models import TaskPhoto

        close_old_connections()
        photo = TaskPhoto.objects.filter(task_id=seed.task_id).select_related("evidence").first()
        return photo.evidence.print_file.name if photo and photo.evidence.print_file else None

    return rendered


def _submitted(seed: data.Seed) -> tuple[str, int, list[dict]]:
    from campaign.models import OutboxJob
    from tasks.models import RectificationTask, TaskPhoto

    close_old_connections()
    task = RectificationTask.objects.get(pk=seed.task_id)
    photo = TaskPhoto.objects.filter(task=task).values_list("evidence_id", flat=True).first()
    rows = list(OutboxJob.objects.filter(name=RENDITION, args=[photo]).values("sent_at", "runs", "last_error"))
    return task.state, task.actions.filter(action="submit").count(), rows


# -- 6. a worker killed mid-dossier, with the shipped figures --------------------------------------
def worker_recovery(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=14, size=(1600, 1200))
    first = ctx.stack.worker("worker1", **SHIPPED)
    ctx.stack.beat(**SHIPPED)
    first.wait_log(r" ready\.", timeout=60)
    run_id = data.request_dossier(seed)
    state = wait_until(lambda: _mid_build(run_id), timeout=60, interval=0.05, what="the build to pass 10 %")
    for pid in [*children_of(first.pid), first.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    ctx.fact(f"SIGKILL to worker1 at {state['progress']} % «{state['stage']}», heartbeat "
             f"{(timezone.now() - state['heartbeat_at']).total_seconds():.1f} s old")
    first.popen.wait(timeout=10)
    ctx.stack.worker("worker2", **SHIPPED)  # a supervisor restarts it (or another worker is idle)
    resumed = wait_until(lambda: (s := data.run_state(run_id))["attempts"] == 2 and s["status"] != "pending" and s,
                         timeout=LIMIT + 30, interval=0.2, what="the run to resume")
    resumed_after = time.monotonic() - killed
    gaps = _heartbeat_gaps(run_id)
    final, path = wait_final(ctx, run_id, timeout=120)
    state = check_run(ctx, run_id)
    ctx.check(resumed_after <= LIMIT, f"the run resumed {resumed_after:.1f} s after the kill, target ≤ {LIMIT:.0f} s")
    ctx.check(state["attempts"] == 2, f"attempts {state['attempts']}: the build ran more than once more")
    ctx.fact(f"MEASURED: the run resumed (attempt 2, {resumed['status']}) {resumed_after:.1f} s after the kill "
             f"(shipped figures: stale after 20 s, sweeps every 10 s; target ≤ {LIMIT:.0f} s); "
             f"run path {path}, finished {time.monotonic() - killed:.1f} s after the kill")
    if gaps:
        ctx.fact(f"heartbeat during attempt 2: {len(gaps)} beats seen, longest gap {max(gaps):.1f} s "
                 f"(stale threshold 20 s)")


def _mid_build(run_id: int) -> dict | None:
    state = data.run_state(run_id)
    if state["status"] in ("succeeded", "failed"):
        raise RuntimeError(f"the build ended ({state['status']}) before it could be killed: use more photos")
    return state if state["status"] == "running" and state["progress"] >= 10 else None


def _heartbeat_gaps(run_id: int) -> list[float]:
    """Watch the running run's heartbeat until it finishes; the gaps between beats in seconds."""
    beats = []
    while (state := data.run_state(run_id))["status"] == "running":
        if state["heartbeat_at"] and (not beats or beats[-1] != state["heartbeat_at"]):
            beats.append(state["heartbeat_at"])
        time.sleep(0.1)
    return [(b - a).total_seconds() for a, b in zip(beats, beats[1:], strict=False)]


# -- 7. messages lost with a Redis restart, with the shipped figures ---------------------------------
def lost_message(ctx: Ctx) -> None:
    seed = prepare(ctx, photos=4, size=(800, 600))
    ctx.stack.beat(**SHIPPED)
    photo_id = _upload_photo(seed)
    run_id = data.request_dossier(seed)
    sent = {name: _outbox_row(name, pk) for name, pk in ((RENDITION, photo_id), ("reports.build_dossier", run_id))}
    ctx.check(all(r and r["sent_at"] for r in sent.values()), f"the jobs were not sent: {sent}")
    from campaign.services.queue import broker_messages

    in_redis = broker_messages() or set()
    ctx.check({r["pk"] for r in sent.values()} <= in_redis, f"the messages are not in Redis: {sent}, {in_redis}")
    ctx.fact("no worker running: a photo's print rendition and a dossier sent, their messages waiting in Redis")
    ctx.stack.stop_redis()
    ctx.stack.services("start")
    restarted = time.monotonic()
    ctx.say("Redis restarted without its data: both messages are gone")
    ctx.stack.worker(**SHIPPED)
    rendered = wait_until(lambda: _rendered(photo_id), timeout=LIMIT + 30, interval=0.2,
                          what="the photo's print version")
    photo_after = time.monotonic() - restarted
    wait_until(lambda: data.run_state(run_id)["status"] != "pending", timeout=LIMIT + 30, interval=0.2,
               what="the dossier to start")
    run_after = time.monotonic() - restarted
    final, path = wait_final(ctx, run_id, timeout=120)
    state = check_run(ctx, run_id)
    ctx.check(photo_after <= LIMIT, f"the print version came {photo_after:.1f} s after the restart, target ≤ {LIMIT:.0f} s")
    ctx.check(run_after <= LIMIT, f"the dossier started {run_after:.1f} s after the restart, target ≤ {LIMIT:.0f} s")
    ctx.check(state["attempts"] == 1, f"the dossier was built {state['attempts']} times, expected once")
    rows = {name: _outbox_row(name, pk) for name, pk in ((RENDITION, photo_id), ("reports.build_dossier", run_id))}
    ctx.check(all(r["runs"] == 1 for r in rows.values()), f"outbox rows after recovery: {rows}")
    ctx.fact(f"MEASURED: the lost print rendition ran {photo_after:.1f} s and the lost dossier started "
             f"{run_after:.1f} s after Redis came back (shipped figures: resent once unclaimed for 20 s and no "
             f"longer in Redis, sweep every 10 s; target ≤ {LIMIT:.0f} s); each ran once; "
             f"print version {rendered}, run path {path}")


def _upload_photo(seed: data.Seed) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archives.services import evidence_store
    from bench import samples
    from campaign.models import OrgUnit, User

    close_old_connections()
    out = io.BytesIO()
    samples.photo_base((1200, 900), seed=7).save(out, "JPEG", quality=85)
    item = evidence_store(file=SimpleUploadedFile("IMG_lost.jpg", out.getvalue(), content_type="image/jpeg"),
                          uploader=User.objects.get(pk=seed.office_user_id), unit=OrgUnit.objects.get(pk=seed.unit_id),
                          subject="背街小巷清理")
    return item.pk


def _outbox_row(name: str, pk: int) -> dict | None:
    from campaign.models import OutboxJob

    close_old_connections()
    return OutboxJob.objects.filter(name=name, args=[pk]).order_by("-pk").values(
        "pk", "sent_at", "started_at", "finished_at", "runs", "attempts", "last_error").first()


def _rendered(photo_id: int) -> str | None:
    from archives.models import EvidenceItem

    close_old_connections()
    return EvidenceItem.objects.filter(pk=photo_id).exclude(print_file="").values_list("print_file", flat=True).first()


SCENARIOS: dict[str, tuple[str, Callable[[Ctx], None]]] = {
    "beat_redis_down": ("Redis 停止期间到了定时作业的时间", beat_redis_down),
    "db_outage_action": ("提交销号刚提交数据库就中断", db_outage_action),
    "worker_recovery": ("生成卷宗时 worker 被杀，按出厂参数恢复", worker_recovery),
    "lost_message": ("Redis 重启丢失了排队中的消息", lost_message),
}
