"""Django side of the scenarios (runs in the driver process once Django is set up): the few rows a
scenario needs, and the reads that judge its outcome. No seed_demo: a unit, an office user with a
known password, an active framework, a handful of phone-like photos and one task."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

USERNAME = "faults_office"
PASSWORD = "Faults@pass2026"


@dataclass
class Seed:
    office_user_id: int
    unit_id: int
    framework_id: int
    task_id: int
    photos: int


def fresh() -> None:
    """Forget connections to a database that was stopped, restarted or replaced."""
    connections.close_all()


def seed(*, photos: int, size: tuple[int, int]) -> Seed:
    from archives.models import EvidenceItem
    from bench import samples
    from campaign.models import Membership, OrgUnit, TimeLimit, User
    from tasks.services import task_create

    fresh()
    city = OrgUnit.objects.create(name="江城市", kind=OrgUnit.Kind.CITY)
    office = OrgUnit.objects.create(name="市创文办", kind=OrgUnit.Kind.OFFICE, parent=city)
    street = OrgUnit.objects.create(name="湖滨街道", kind=OrgUnit.Kind.STREET, parent=city)
    user = User(username=USERNAME, full_name="周文明")
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(user=user, unit=office, role="office")
    sample = samples.make_framework(standards=3)
    base = samples.photo_base(size)
    taken = timezone.make_aware(dt.datetime(2026, 5, 6, 9, 30))
    folder = Path(settings.MEDIA_ROOT) / ".faults-src"
    for n in range(photos):
        path = folder / f"IMG_{n:03d}.jpg"
        samples.write_photo(path, base, n)
        samples.store_evidence(path, unit=street, standards=[sample.standards[n % len(sample.standards)]],
                               kind=EvidenceItem.Kind.PHOTO, subject=f"路口文明劝导 {n + 1}", category="活动",
                               taken_at=taken + dt.timedelta(hours=n), place="湖滨路口", people="志愿者8人",
                               reason="开展文明交通劝导")
        path.unlink()
    folder.rmdir()
    task = task_create(actor=user, title="人行道共享单车乱停放", source="督查", indicator=sample.standards[0],
                       lead_unit=street, time_limit=TimeLimit.objects.get(name="5个工作日"))
    return Seed(user.pk, street.pk, sample.framework.pk, task.pk, photos)


def request_dossier(s: Seed) -> int:
    """What the 生成测评卷宗 form does, through the service (the job goes out through the outbox)."""
    from campaign.models import User
    from reports.models import ReportRun
    from reports.services import runs

    close_old_connections()
    run = runs.report_run_request(
        kind=ReportRun.Kind.DOSSIER, user=User.objects.get(pk=s.office_user_id),
        title="湖滨街道测评材料卷宗（全部指标）",
        parameters={"framework_id": s.framework_id, "unit_id": s.unit_id, "compiler": "湖滨街道办事处"},
    )
    return run.pk


def send_job(name: str) -> None:
    """Queue a job the way services do (outbox, sent after commit)."""
    from django.db import transaction

    from campaign.services.queue import enqueue

    close_old_connections()
    with transaction.atomic():
        enqueue(name)


def dossier_form(s: Seed) -> dict:
    """The fields of the 生成测评卷宗 form, as a browser posts them."""
    return {"indicator": "", "unit": str(s.unit_id), "date_from": "", "date_to": "", "compiler": "湖滨街道办事处"}


def run_state(run_id: int) -> dict:
    from reports.models import ReportRun

    close_old_connections()
    return ReportRun.objects.filter(pk=run_id).values(
        "status", "progress", "stage", "attempts", "file", "sha256", "size", "pages", "error",
        "heartbeat_at").get()


def outbox(job_name: str, run_id: int) -> list[dict]:
    from campaign.models import OutboxJob

    close_old_connections()
    return list(OutboxJob.objects.filter(name=job_name, args=[run_id]).order_by("pk").values(
        "pk", "sent_at", "attempts", "last_error"))


def unsent_jobs() -> int:
    from campaign.models import OutboxJob

    close_old_connections()
    return OutboxJob.objects.filter(sent_at__isnull=True).count()


def report_files() -> tuple[list[str], list[str]]:
    """(files under media/reports outside tmp/, files left in media/reports/tmp/), relative paths."""
    root = Path(settings.MEDIA_ROOT) / "reports"
    if not root.exists():
        return [], []
    files = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in root.rglob("*") if p.is_file())
    tmp = [f for f in files if f.startswith("reports/tmp/")]
    return [f for f in files if f not in tmp], tmp


def check_output(run_id: int) -> list[str]:
    """Problems with a finished run's files: a succeeded run has exactly one file, the one its row
    names, with the recorded hash and a readable PDF of the recorded pages; a failed run has none.
    Nothing may be left in the work folder."""
    import pikepdf

    state = run_state(run_id)
    files, tmp = report_files()
    files = [f for f in files if f.startswith(f"reports/{run_id}/")]
    tmp = [f for f in tmp if f.startswith(f"reports/tmp/run-{run_id}-")]
    problems = [f"work files left: {tmp}"] if tmp else []
    if state["status"] == "failed":
        return problems + ([f"failed run left files: {files}"] if files else [])
    if state["status"] != "succeeded":
        return [*problems, f"run is {state['status']}, not finished"]
    if files != [state["file"]]:
        return [*problems, f"expected exactly [{state['file']}], found {files}"]
    path = Path(settings.MEDIA_ROOT) / state["file"]
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != state["sha256"] or len(data) != state["size"]:
        problems.append("file differs from the recorded SHA-256/size")
    with pikepdf.open(path) as pdf:
        if len(pdf.pages) != state["pages"]:
            problems.append(f"PDF has {len(pdf.pages)} pages, the run says {state['pages']}")
    return problems
