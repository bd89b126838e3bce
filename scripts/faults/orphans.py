"""Fault scenario orphan_race: the daily orphan sweeper, in a real Celery worker, runs while other
units re-upload the very bytes of files it is about to delete.

Files are content-addressed: an upload of bytes already on disk (a file whose row was deleted
long ago) only points a new row at that file. A sweeper that decides from a snapshot of names
taken before it walks the folders deletes such a file under the new row. Here ``ORPHANS``
orphaned photos (two days old) wait on disk and ``FILLER`` rows make the snapshot take a while;
the sweep jobs are sent, and as soon as the worker takes the first one, four threads re-upload
the orphans for other units. Verdict: every row still has its file; the orphans nobody
re-uploaded are gone (the sweeper still works); at least some uploads landed inside a sweep.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import close_old_connections, connection

from . import data
from .stack import group_members, wait_until

if TYPE_CHECKING:
    from .scenarios import Ctx

ORPHANS = 160  # re-uploaded during the sweep
LONELY = 40  # orphans nobody claims: the sweeper must still remove them
FILLER = 200_000  # rows whose names the sweeper's snapshot reads first (a city holds ~300,000)
SWEEPS = 3
UPLOADERS = 4
LOG_LINE = re.compile(r"^\[(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/[\w-]+\] "
                      r"Task archives\.sweep_orphan_files\[[\w-]+\] succeeded in (?P<took>[\d.]+)s: (?P<n>\d+)", re.M)


def orphan_race(ctx: Ctx) -> None:
    from .scenarios import prepare

    seed = prepare(ctx, photos=1, size=(320, 240))
    units = _units(seed)
    claimed, lonely = _orphans(ORPHANS), _orphans(LONELY, first=ORPHANS)
    _filler(seed, FILLER)
    ctx.say(f"{ORPHANS + LONELY} orphaned photos on disk (two days old), {FILLER} filler rows")
    worker = ctx.stack.worker()
    worker.wait_log(r" ready\.", timeout=60)
    mark = len(worker.log_text())
    for _ in range(SWEEPS):
        data.send_job("archives.sweep_orphan_files")
    worker.wait_log(r"sweep_orphan_files\[[\w-]+\] received", timeout=30, start=mark)
    uploads = _reupload(ctx, claimed, units)
    text = _wait_sweeps(worker, mark)
    windows = [_window(m) for m in LOG_LINE.finditer(text)]
    raced = sum(1 for _sha, end in uploads if any(start <= end <= stop for start, stop in windows))
    lost = _rows_without_file()
    left = [sha for sha, _data in lonely if _path(sha).exists()]
    removed = [int(m.group("n")) for m in LOG_LINE.finditer(text)]
    ctx.fact(f"{len(uploads)} of {ORPHANS} orphaned files re-uploaded by other units while {SWEEPS} sweeps ran "
             f"({', '.join(f'{stop - start:.2f} s' for start, stop in windows)}); {raced} uploads landed inside "
             f"a running sweep")
    ctx.fact(f"rows whose file the sweeper deleted: {len(lost)}; orphans nobody claimed removed: "
             f"{LONELY - len(left)}/{LONELY} (files removed per sweep: {removed})")
    # Stop the worker here, and wait for its pool child: it may still be busy with the renditions
    # the re-uploads queued when the scenario's cleanup checks for leftover processes.
    ctx.stack.stop(worker)
    wait_until(lambda: not group_members(worker.pid), timeout=15, what="the worker's processes to exit")
    ctx.check(len(uploads) == ORPHANS, f"only {len(uploads)} of {ORPHANS} re-uploads succeeded")
    ctx.check(not lost, f"{len(lost)} rows lost their file to the sweeper, e.g. {lost[:3]}")
    ctx.check(not left, f"{len(left)} unclaimed orphans survived the sweeps")
    ctx.check(raced > 0, "no upload landed inside a sweep: the drill tested nothing (make the sweep slower)")


def _units(seed: data.Seed) -> list:
    from campaign.models import OrgUnit

    close_old_connections()
    street = OrgUnit.objects.get(pk=seed.unit_id)
    return [OrgUnit.objects.create(name=f"演练单位{n}", kind=OrgUnit.Kind.COMMUNITY, parent=street)
            for n in range(UPLOADERS)]


def _jpeg(n: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 36), (n % 251, (n * 7) % 253, (n * 13) % 255)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _path(sha: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence" / sha[:2] / f"{sha}.jpg"


def _orphans(count: int, *, first: int = 0) -> list[tuple[str, bytes]]:
    """Photos left on disk by rows deleted long ago: the file at its content address, two days old."""
    made, old = [], time.time() - 2 * 86400
    for n in range(first, first + count):
        raw = _jpeg(n)
        sha = hashlib.sha256(raw).hexdigest()
        path = _path(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        os.utime(path, (old, old))
        made.append((sha, raw))
    return made


def _filler(seed: data.Seed, count: int) -> None:
    """``count`` rows like one template row, each naming its own (absent) file, in one INSERT."""
    from archives.models import EvidenceItem

    close_old_connections()
    template = EvidenceItem.objects.create(
        original_name="填充0.jpg", sha256="0" * 64, size=1, mime="image/jpeg", kind=EvidenceItem.Kind.PHOTO,
        unit_id=seed.unit_id, category="活动", file=f"evidence/00/{'0' * 64}.jpg")
    made = {"file": "'evidence/00/' || lpad(to_hex(g), 64, '0') || '.jpg'", "sha256": "lpad(to_hex(g), 64, '0')",
            "original_name": "'填充' || g || '.jpg'"}
    columns = [f.column for f in EvidenceItem._meta.concrete_fields if not f.primary_key]
    table = EvidenceItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(made.get(c, c) for c in columns)} FROM {table}, generate_series(1, %s) AS g "
            f"WHERE id = %s", [count - 1, template.pk])


def _reupload(ctx: Ctx, files: list[tuple[str, bytes]], units: list) -> list[tuple[str, float]]:
    """Each thread re-uploads its share for its own unit; returns (sha256, commit time) per upload."""
    from archives.services import evidence_store

    done: list[tuple[str, float]] = []
    errors: list[str] = []

    def run(index: int) -> None:
        try:
            for sha, raw in files[index::UPLOADERS]:
                evidence_store(file=raw, name=f"重新上传{sha[:8]}.jpg", uploader=None, unit=units[index])
                done.append((sha, time.time()))
        except Exception as exc:  # reported, not raised: the verdict lists it
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for error in errors[:3]:
        ctx.check(False, f"re-upload failed: {error}")
    return done


def _wait_sweeps(worker, mark: int) -> str:
    def finished():
        text = worker.log_text()[mark:]
        return text if len(LOG_LINE.findall(text)) >= SWEEPS else None

    return wait_until(finished, timeout=120, interval=0.2, what=f"{SWEEPS} sweeps to finish")


def _window(match: re.Match) -> tuple[float, float]:
    # Celery logs in the worker's local time, which Django set from TIME_ZONE, as in this process.
    end = datetime.strptime(match.group("at"), "%Y-%m-%d %H:%M:%S,%f").timestamp()
    return end - float(match.group("took")), end


def _rows_without_file() -> list[str]:
    from archives.models import EvidenceItem

    close_old_connections()
    names = EvidenceItem.objects.exclude(file__startswith="evidence/00/").values_list("file", flat=True)
    return [name for name in names if not (Path(settings.MEDIA_ROOT) / name).exists()]
