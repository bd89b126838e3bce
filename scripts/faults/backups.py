"""Backup fault scenarios: what ``manage.py backup`` and ``manage.py restore`` guarantee, proved on
a real PostgreSQL with the real commands.

backup_load — the office keeps uploading photos and handing out tasks (交办, each with a photo) in
   threads while the backup runs. The backup is restored into a fresh database and media folder:
   the restore's own check must pass, every file the manifest lists must be in the media archive,
   every table must have the manifest's count, and every file a restored row names must be there.
   The work committed while the backup ran must not be in it (it belongs to the next one).
backup_tamper — edited backups are refused BEFORE anything is touched: a photo replaced in the
   media archive with the manifest's SHA-256s recomputed, a path-traversal member (also when
   re-signed with the installation's key, as if it had leaked), and a forged dump (a task retitled
   and closed, hashes recomputed). The live database (every row of every table) and the media
   folder must be exactly as before each attempt. A control restore of the untouched backup then
   does change the database, so "unchanged" means something.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection

from campaign.services.backup import sha256_file

from . import data
from .stack import VENV_BIN

if TYPE_CHECKING:
    from .scenarios import Ctx

ROOT = Path(__file__).resolve().parents[2]


# -- shared steps ---------------------------------------------------------------------------------
def _use_key_file(ctx: Ctx) -> Path:
    """The installation key as a fresh install has it: a file the first backup creates."""
    key_file = ctx.stack.base / "var" / "backup-signing.key"
    ctx.stack.env.update(BACKUP_SIGNING_KEY="", BACKUP_SIGNING_KEY_FILE=str(key_file))
    settings.BACKUP_SIGNING_KEY, settings.BACKUP_SIGNING_KEY_FILE = "", key_file
    return key_file


def _manage(ctx: Ctx, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    run = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env={**ctx.stack.env, **env},
                         capture_output=True, text=True, timeout=300)
    return run, time.monotonic() - started


def _backup(ctx: Ctx, target: Path) -> tuple[Path, float]:
    run, seconds = _manage(ctx, "backup", str(target))
    found = re.search(r"备份完成：([^\s（]+)", run.stdout)
    if run.returncode != 0 or not found:
        raise RuntimeError(f"backup failed ({run.returncode}): {(run.stdout + run.stderr)[-1500:]}")
    return Path(found.group(1)), seconds


def _admin_sql(ctx: Ctx, sql: str, dbname: str = "postgres") -> list:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=ctx.stack.pgport, user="app", password="app", dbname=dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def _url(ctx: Ctx, dbname: str) -> str:
    return f"postgres://app:app@127.0.0.1:{ctx.stack.pgport}/{dbname}"


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _tar_files(folder: Path) -> dict[str, str]:
    with tarfile.open(folder / "media.tar") as tar:
        return {m.name.removeprefix("media/"): hashlib.sha256(tar.extractfile(m).read()).hexdigest()
                for m in tar.getmembers() if m.isfile()}


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField, to read file names from any database."""
    from django.apps import apps
    from django.db import models

    return [(m._meta.db_table, f.column) for m in apps.get_models() if not m._meta.proxy
            for f in m._meta.concrete_fields if isinstance(f, models.FileField)]


# -- backup under load ----------------------------------------------------------------------------
class Office:
    """Two clerks at work: one uploads 台账 photos, one hands out tasks with a problem photo.
    Records when each piece of work committed."""

    def __init__(self, seed: data.Seed):
        from bench import samples

        self.seed, self.stop = seed, threading.Event()
        self.base = samples.photo_base((800, 600), seed=7)
        self.done: dict[str, list[float]] = {"upload": [], "交办": []}
        self.errors: list[str] = []
        self.counter = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True) for kind in self.done]

    def photo(self, name: str):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import ImageDraw

        with self.lock:
            self.counter += 1
            n = self.counter
        im = self.base.copy()
        ImageDraw.Draw(im).rectangle([(n * 37) % 700, 20, (n * 37) % 700 + 100, 150], fill=(n % 256, n // 256 % 256, 160))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=90)
        return SimpleUploadedFile(f"{name}-{n}.jpg", out.getvalue(), content_type="image/jpeg")

    def _loop(self, kind: str) -> None:
        from archives.services import evidence_store
        from campaign.models import Indicator, OrgUnit, TimeLimit, User
        from tasks.services import task_create

        try:
            user, unit = User.objects.get(pk=self.seed.office_user_id), OrgUnit.objects.get(pk=self.seed.unit_id)
            indicator = Indicator.objects.filter(framework_id=self.seed.framework_id).order_by("pk").first()
            limit = TimeLimit.objects.get(name="5个工作日")
            while not self.stop.is_set():
                if kind == "upload":
                    evidence_store(file=self.photo("台账"), uploader=user, unit=unit, subject="文明劝导")
                else:
                    task_create(actor=user, title=f"占道经营 {self.counter}", source="督查", indicator=indicator,
                                lead_unit=unit, time_limit=limit, before_files=[self.photo("问题")])
                self.done[kind].append(time.monotonic())
                time.sleep(0.05)  # a busy office, not a benchmark: leave the backup its share of two cores
        except Exception as exc:
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def between(self, start: float, end: float) -> dict[str, int]:
        return {kind: sum(start <= t <= end for t in times) for kind, times in self.done.items()}


def backup_under_load(ctx: Ctx) -> None:
    from .scenarios import prepare

    seed = prepare(ctx, photos=8, size=(1200, 900))
    _use_key_file(ctx)
    with Office(seed) as office:
        time.sleep(1.0)  # the office is busy before the backup starts
        started = time.monotonic()
        folder, backup_seconds = _backup(ctx, ctx.stack.base / "backups")
        ended = time.monotonic()
        time.sleep(0.5)
    ctx.check(not office.errors, f"the office's work failed: {office.errors[:3]}")
    during = office.between(started, ended)
    ctx.fact(f"backup took {backup_seconds:.1f} s while the office worked: {during['upload']} uploads and "
             f"{during['交办']} 交办 (with a photo each) committed during it; {len(office.done['upload'])} uploads, "
             f"{len(office.done['交办'])} 交办 in all")
    ctx.check(during["upload"] > 0 and during["交办"] > 0, "no work committed while the backup ran: load too small")
    _check_backup_contents(ctx, folder)
    _restore_fresh_and_check(ctx, folder)


def _check_backup_contents(ctx: Ctx, folder: Path) -> None:
    manifest, archived = _manifest(folder), _tar_files(folder)
    absent = sorted(set(manifest["media"]) - set(archived))
    extra = sorted(set(archived) - set(manifest["media"]))
    wrong = [n for n in manifest["media"] if n in archived and archived[n] != manifest["media"][n]]
    size = (folder / "media.tar").stat().st_size / 1e6
    ctx.fact(f"manifest lists {len(manifest['media'])} files, media.tar holds {len(archived)} ({size:.1f} MB): "
             f"{len(absent)} listed but absent, {len(extra)} unlisted, {len(wrong)} with another hash; "
             f"{len(manifest.get('missing', []))} named by rows but missing on disk")
    ctx.check(not absent and not extra and not wrong and not manifest.get("missing"),
              f"backup inconsistent: absent {absent[:3]}, extra {extra[:3]}, wrong {wrong[:3]}, "
              f"missing {manifest.get('missing', [])[:3]}")
    close_old_connections()
    from archives.models import EvidenceItem
    from tasks.models import RectificationTask

    live = (EvidenceItem.objects.count(), RectificationTask.objects.count())
    kept = (manifest["tables"]["archives_evidenceitem"], manifest["tables"]["tasks_rectificationtask"])
    ctx.fact(f"snapshot at {manifest.get('snapshot_at')} holds {kept[0]} evidence items and {kept[1]} tasks; "
             f"the live database now {live[0]} and {live[1]} (later work is for the next backup)")
    ctx.check(live[0] > kept[0] and live[1] > kept[1], "no work landed after the snapshot: the check proves nothing")


def _restore_fresh_and_check(ctx: Ctx, folder: Path) -> None:
    manifest = _manifest(folder)
    _admin_sql(ctx, 'CREATE DATABASE "restored"')
    restored_media = ctx.stack.base / "restored-media"
    run, seconds = _manage(ctx, "restore", str(folder), "--yes", DATABASE_URL=_url(ctx, "restored"),
                           MEDIA_ROOT=str(restored_media))
    ctx.check(run.returncode == 0 and "恢复完成并已核对" in run.stdout,
              f"restore into a fresh database failed ({run.returncode}): {(run.stdout + run.stderr)[-800:]}")
    counts = {t: _admin_sql(ctx, f'SELECT count(*) FROM "{t}"', "restored")[0][0] for t in manifest["tables"]}
    differ = [t for t, n in manifest["tables"].items() if counts[t] != n]
    named = {row[0] for table, column in _file_columns()
             for row in _admin_sql(ctx, f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" <> \'\'',
                                   "restored")}
    lacking = sorted(n for n in named if not (restored_media / n).is_file())
    wrong = [n for n, digest in manifest["media"].items()
             if not (restored_media / n).is_file() or sha256_file(restored_media / n) != digest]
    ctx.fact(f"restore into a fresh database took {seconds:.1f} s: {len(counts) - len(differ)}/{len(counts)} "
             f"tables with the manifest's count, {len(manifest['media']) - len(wrong)}/{len(manifest['media'])} "
             f"files with their hash, {len(named) - len(lacking)}/{len(named)} files the restored rows name present")
    ctx.check(not differ, f"restored counts differ: {differ[:5]}")
    ctx.check(not wrong and not lacking, f"restored files wrong {wrong[:3]}, named but lacking {lacking[:3]}")


# -- tampered backups -----------------------------------------------------------------------------
def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table's row count and an MD5 of all its rows: equal fingerprints, equal data."""
    close_old_connections()
    with connection.cursor() as cursor:
        result = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) '
                           f'FROM "{table}" t')
            result[table] = cursor.fetchone()
    data.fresh()
    return result


def _media_state(media: Path) -> dict[str, str]:
    return {p.relative_to(media).as_posix(): sha256_file(p) for p in sorted(media.rglob("*")) if p.is_file()}


def _copy(folder: Path, name: str) -> Path:
    copy = folder.parent / name
    shutil.copytree(folder, copy)
    return copy


def _rewrite_tar(folder: Path, *, replace: tuple[str, bytes] | None = None, extra: dict | None = None) -> None:
    buffer = io.BytesIO()
    with tarfile.open(folder / "media.tar") as old, tarfile.open(fileobj=buffer, mode="w") as new:
        for member in old.getmembers():
            content = old.extractfile(member).read() if member.isfile() else None
            if replace and member.name == f"media/{replace[0]}":
                content = replace[1]
                member.size = len(content)
            new.addfile(member, io.BytesIO(content) if content is not None else None)
        for name, content in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))
    (folder / "media.tar").write_bytes(buffer.getvalue())


def _rehash(folder: Path) -> None:
    """What a forger does after an edit: recompute every SHA-256 in the manifest."""
    manifest = _manifest(folder)
    archived = _tar_files(folder)
    manifest["media"] = {n: archived.get(n, d) for n, d in manifest["media"].items()}
    manifest["files"] = {n: sha256_file(folder / n) for n in manifest["files"]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _forge_dump(ctx: Ctx, folder: Path, task_id: int) -> str:
    """Restore the dump elsewhere, retitle and close a task, dump again, recompute the hashes."""
    _admin_sql(ctx, 'CREATE DATABASE "forge"')
    url = _url(ctx, "forge")
    subprocess.run(["pg_restore", "--no-owner", "-d", url, str(folder / "database.dump")], check=True,
                   capture_output=True, timeout=120)
    title = "已整改完毕，予以销号"
    _admin_sql(ctx, f"UPDATE tasks_rectificationtask SET title = '{title}', state = 'closed', closed_at = now() "
                    f"WHERE id = {int(task_id)}", "forge")
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(folder / "database.dump"), url], check=True,
                   capture_output=True, timeout=120)
    _admin_sql(ctx, 'DROP DATABASE "forge"')
    _rehash(folder)
    return title


def tampered_backups(ctx: Ctx) -> None:
    from campaign.services.backup import sign

    from .scenarios import prepare

    seed = prepare(ctx, photos=4, size=(800, 600))
    _use_key_file(ctx)
    folder, _ = _backup(ctx, ctx.stack.base / "backups")
    _later_work(seed)  # the live data moves on: a restore of the backup would visibly change it
    photo = sorted(n for n in _manifest(folder)["media"] if n.startswith("evidence/"))[0]

    replaced = _copy(folder, "replaced-photo")
    _rewrite_tar(replaced, replace=(photo, _other_jpeg()))
    _rehash(replaced)
    traversal = _copy(folder, "path-traversal")
    _rewrite_tar(traversal, extra={"media/../../escaped.txt": b"outside the media folder"})
    _rehash(traversal)
    resigned = _copy(traversal, "path-traversal-resigned")
    sign(resigned)  # as if the installation's key had leaked: the archive check must still refuse
    forged = _copy(folder, "forged-dump")
    title = _forge_dump(ctx, forged, seed.task_id)

    for label, copy, expect in [
        ("replaced photo, SHA-256 recomputed", replaced, "签名不符"),
        ("path-traversal member, SHA-256 recomputed", traversal, "签名不符"),
        ("path-traversal member, re-signed with the key", resigned, "越界"),
        (f"forged dump (task retitled «{title}» and closed), SHA-256 recomputed", forged, "签名不符"),
    ]:
        _refused_untouched(ctx, label, copy, expect)
    media = Path(settings.MEDIA_ROOT)
    escaped = [p for p in [*media.parent.rglob("escaped.txt"), media.parent.parent / "escaped.txt"] if p.exists()]
    ctx.check(not escaped, f"a path-traversal member was written: {escaped}")
    _control_restore(ctx, folder)


def _later_work(seed: data.Seed) -> None:
    from campaign.models import Indicator, OrgUnit, TimeLimit, User
    from tasks.services import task_create

    close_old_connections()
    task_create(actor=User.objects.get(pk=seed.office_user_id), title="备份之后交办的问题", source="督查",
                indicator=Indicator.objects.filter(framework_id=seed.framework_id).order_by("pk").first(),
                lead_unit=OrgUnit.objects.get(pk=seed.unit_id), time_limit=TimeLimit.objects.get(name="5个工作日"))
    data.fresh()


def _other_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 20, 20)).save(out, "JPEG")
    return out.getvalue()


def _restore_here(folder: Path) -> tuple[bool, str, float]:
    """The restore command in this process (no start-up per attempt), on the live database and media."""
    out, started = io.StringIO(), time.monotonic()
    try:
        call_command("restore", str(folder), yes=True, stdout=out)
        ok, message = True, out.getvalue().strip()
    except CommandError as exc:
        ok, message = False, str(exc)
    data.fresh()
    return ok, message, time.monotonic() - started


def _refused_untouched(ctx: Ctx, label: str, folder: Path, expect: str) -> None:
    media = Path(settings.MEDIA_ROOT)
    before_db, before_media = fingerprint(), _media_state(media)
    ok, message, seconds = _restore_here(folder)
    after_db, after_media = fingerprint(), _media_state(media)
    changed = sorted(t for t in set(before_db) | set(after_db) if before_db.get(t) != after_db.get(t))
    ctx.fact(f"{label}: refused in {seconds:.1f} s «{message[:110]}»; {len(before_db)} tables and "
             f"{len(before_media)} files checked: {len(changed)} tables and "
             f"{sum(before_media.get(n) != after_media.get(n) for n in set(before_media) | set(after_media))} "
             f"files changed")
    ctx.check(not ok, f"{label}: restore was NOT refused: {message}")
    ctx.check(expect in message and "未改动任何数据" in message, f"{label}: unexpected message {message!r}")
    ctx.check(not changed, f"{label}: the database changed: {changed[:5]}")
    ctx.check(before_media == after_media, f"{label}: the media folder changed")


def _control_restore(ctx: Ctx, folder: Path) -> None:
    """The untouched backup restores over the live data, and the task handed out after it is gone:
    the refusals above really had something to protect."""
    before = fingerprint()
    ok, message, seconds = _restore_here(folder)
    after = fingerprint()
    titles = [r[0] for r in _admin_sql(ctx, "SELECT title FROM tasks_rectificationtask", "app")]
    ctx.fact(f"control: the untouched backup restores over the live data in {seconds:.1f} s "
             f"({sum(before[t] != after.get(t) for t in before)} tables changed; the task handed out after "
             f"the backup is {'still there' if '备份之后交办的问题' in titles else 'gone'})")
    ctx.check(ok and "恢复完成并已核对" in message, f"the untouched backup did not restore: {message[-600:]}")
    ctx.check("备份之后交办的问题" not in titles, "the control restore did not replace the live data")
