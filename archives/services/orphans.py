"""Files on disk that no row claims: removed at once when the transaction that wrote them rolls
back, and by the daily sweeper; never a file that a row uses or an upload is about to use.

Storage is content-addressed (``evidence/<aa>/<sha256>.<ext>``, ``renditions/<aa>/<sha256>[-thumb].jpg``):
one file serves every row with those bytes, and an upload of bytes already on disk only points a
new row at the file. So "no row points at it" can stop being true at any moment. Two rules keep
removal safe:

* **Claims.** An upload takes the content's advisory lock (``lock_content``) before it looks at
  the disk and holds it until its transaction ends; reusing a file already there refreshes its
  mtime (``store.move_into_place``). A remover takes the same lock (the sweeper with
  ``pg_try_advisory_xact_lock``, skipping the file while an upload holds it), then re-checks,
  just before deleting, that the file is still old enough and that no row has those bytes. The
  sweeper's first pass (a snapshot of every name, then a walk of the folders) only proposes
  candidates: an upload that lands between the snapshot and the delete is seen by the re-check.
* **Rolled-back writes.** ``evidence_atomic`` is ``transaction.atomic`` for services that store
  files and may still refuse afterwards (提交销号 with one good and one bad photo). If the block
  rolls back, the files it moved into place are removed through the same re-check, so a refused
  action leaves nothing. A file written under a plain ``transaction.atomic`` that later rolls
  back is left to the sweeper.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from archives.models import EvidenceItem

log = logging.getLogger(__name__)

SWEPT_FOLDERS = ("evidence", "renditions", ".incoming")
CONTENT_NAME = re.compile(r"^(?:evidence|renditions)/[0-9a-f]{2}/(?P<sha>[0-9a-f]{64})(?:-thumb)?\.[a-z0-9]+$")

_open_blocks = threading.local()  # per thread: one list of written files per open evidence_atomic


def _lock_key(sha256: str) -> int:
    return int(sha256[:15], 16)


def lock_content(sha256: str) -> None:
    """Wait for, then hold until the transaction ends, the lock on these bytes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(sha256)])


def try_lock_content(sha256: str) -> bool:
    """The lock on these bytes if nobody holds it (held until the transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(sha256)])
        return bool(cursor.fetchone()[0])


def content_of(name: str) -> str | None:
    """The SHA-256 a stored file's name carries (None for staging and other files)."""
    found = CONTENT_NAME.match(name)
    return found.group("sha") if found else None


def claimed(name: str, sha256: str | None) -> bool:
    """Does a row use this file? A content-addressed file belongs to every row with those bytes
    (its original and renditions; one indexed lookup); any other file only to a row naming it."""
    if sha256:
        return EvidenceItem.objects.filter(sha256=sha256).exists()
    return EvidenceItem.objects.filter(Q(file=name) | Q(print_file=name) | Q(thumb_file=name)).exists()


def remove_unclaimed(name: str, *, cutoff: float | None = None, wait: bool = True) -> bool:
    """Delete the file ``name`` (relative to MEDIA_ROOT) unless a row claims it, an upload of the
    same bytes holds the lock (``wait=False``: skip it; else wait for that upload to end), or it
    was touched after ``cutoff`` (a timestamp). True if it was deleted."""
    path = Path(settings.MEDIA_ROOT) / name
    sha = content_of(name)
    with transaction.atomic():
        if sha and wait:
            lock_content(sha)
        elif sha and not try_lock_content(sha):
            return False
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return False
        if (cutoff is not None and mtime > cutoff) or claimed(name, sha):
            return False
        path.unlink(missing_ok=True)
        return True


def note_written(name: str) -> None:
    """The store moved a new file into place: the innermost open ``evidence_atomic`` block owns it."""
    blocks = getattr(_open_blocks, "stack", None)
    if blocks:
        blocks[-1].append(name)


@contextmanager
def evidence_atomic():
    """``transaction.atomic`` that also takes back, if it rolls back, the evidence files moved
    into place inside it (files a committed row uses are kept). Use it as a decorator
    (``@evidence_atomic()``) or a ``with`` block; nested blocks hand their files to the outer one."""
    blocks = _open_blocks.__dict__.setdefault("stack", [])
    written: list[str] = []
    blocks.append(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        blocks.pop()
        _take_back(written)
        raise
    blocks.pop()
    if blocks:
        blocks[-1].extend(written)


def _take_back(names: list[str]) -> None:
    for name in names:
        try:
            remove_unclaimed(name)
        except Exception:  # the original error matters more; the sweeper is the fallback
            log.exception("回滚后未能删除文件 %s", name)


def _candidates(root: Path, cutoff: float):
    """Names of files older than ``cutoff`` that no row named when the walk began."""
    known = set()
    for names in EvidenceItem.objects.values_list("file", "print_file", "thumb_file").iterator(chunk_size=5000):
        known.update(n for n in names if n)
    for folder in SWEPT_FOLDERS:
        for path in (root / folder).rglob("*") if (root / folder).is_dir() else ():
            if path.is_file() and path.stat().st_mtime <= cutoff:
                name = path.relative_to(root).as_posix()
                if name not in known:
                    yield name


def evidence_sweep_orphan_files(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Remove evidence files no row points at (left by a transaction rolled back after the file
    was moved into place, or a crash) and stale staging files. Only files older than
    ``older_than`` are touched, so uploads in flight are safe; each candidate is re-checked
    under its content lock just before it is deleted."""
    cutoff = (timezone.now() - older_than).timestamp()
    return sum(remove_unclaimed(name, cutoff=cutoff, wait=False)
               for name in _candidates(Path(settings.MEDIA_ROOT), cutoff))
