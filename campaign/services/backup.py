"""Backup and restore: a PostgreSQL dump, the media files the database refers to, and a signed
manifest (SHA-256 of every file, row count of every table), so a restore can be trusted and checked.

**One point in time.** People keep uploading and handing out tasks while a backup runs. The
backup opens one REPEATABLE READ transaction, exports its snapshot and takes everything from it:
the row counts, the list of files the rows name, and the dump (``pg_dump --snapshot``). Only then
are those files put in ``media.tar``. That is sound because stored files never change once a row
names them (evidence and renditions are content-addressed, a report's file is final once its run
has succeeded), and a file a row of the snapshot names is never removed by the orphan sweeper:
rows naming files are not deleted, and the sweeper only removes files no row names. Files written
after the snapshot belong to the next backup. A file the snapshot names but the disk lacks is
listed under ``missing`` and reported, not hidden.

**Nothing touched before everything is checked.** The manifest is signed with HMAC-SHA256 under
the installation's key (``BACKUP_SIGNING_KEY``, or the file ``BACKUP_SIGNING_KEY_FILE`` that the
first backup creates). A restore checks the signature, the SHA-256 of the dump and of the media
archive, and every member of the archive (a regular file, a safe relative name listed in the
manifest, the listed content) before it writes anything. It then extracts the files into a
staging folder, runs the dump and the row-count check in ONE database transaction (any error or
wrong count rolls it back, the current data stays), and only after the commit moves the files
into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DUMP = "database.dump"
MEDIA = "media.tar"
FORMAT = 2
REFUSED = "已拒绝恢复，未改动任何数据。"
TABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_hashes(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under the media root."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names come from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


# -- the signing key ------------------------------------------------------------------------------
def signing_key(*, create: bool = False) -> bytes:
    """The installation's key: BACKUP_SIGNING_KEY, else the key file (made on the first backup)."""
    if settings.BACKUP_SIGNING_KEY:
        return settings.BACKUP_SIGNING_KEY.encode()
    path = Path(settings.BACKUP_SIGNING_KEY_FILE)
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # two first backups at once: both use the winner's
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        key = b""
    if not key:
        raise BackupError(f"找不到备份签名密钥（环境变量 BACKUP_SIGNING_KEY 或密钥文件 {path}），无法核验备份。"
                          f"请使用生成该备份的系统的密钥。{REFUSED}")
    return key


def key_id(key: bytes) -> str:
    """A fingerprint that names the key without revealing it."""
    return hashlib.sha256(b"cwt-backup-key:" + key).hexdigest()[:16]


def sign(folder: Path) -> None:
    """Write ``manifest.sig``: HMAC-SHA256 of the manifest's exact bytes under the installation's key."""
    key = signing_key(create=True)
    digest = hmac.new(key, (Path(folder) / MANIFEST).read_bytes(), hashlib.sha256).hexdigest()
    signature = {"algorithm": "HMAC-SHA256", "key_id": key_id(key), "signature": digest}
    (Path(folder) / SIGNATURE).write_text(json.dumps(signature, indent=1), encoding="utf-8")


def _check_signature(folder: Path, raw_manifest: bytes) -> None:
    try:
        signature = json.loads((folder / SIGNATURE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"备份没有签名（缺少 {SIGNATURE}），无法确认它由本系统生成且未被改动。{REFUSED}") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"备份的签名文件 {SIGNATURE} 已损坏。{REFUSED}") from None
    key = signing_key()
    if signature.get("key_id") != key_id(key):
        raise BackupError(f"此备份由另一把签名密钥签署（备份密钥指纹 {signature.get('key_id')}，本机 {key_id(key)}），"
                          f"请配置生成该备份的系统的 BACKUP_SIGNING_KEY 或密钥文件。{REFUSED}")
    expected = hmac.new(key, raw_manifest, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(signature.get("signature", ""))):
        raise BackupError(f"备份清单的签名不符：备份在生成后被改动过。{REFUSED}")


# -- backup ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def _snapshot():
    """One read-only REPEATABLE READ transaction whose snapshot pg_dump shares: yields its id,
    its time and its schema; every ORM read inside sees exactly what the dump holds."""
    if connection.in_atomic_block:
        raise BackupError("备份必须在数据库事务之外运行。")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), now(), current_schema()")
        yield cursor.fetchone()


def referenced_files() -> list[str]:
    """Every file name stored in a FileField of any row (relative to MEDIA_ROOT), sorted."""
    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
                names.update(rows.values_list(field.attname, flat=True).distinct().iterator(chunk_size=5000))
    return sorted(names)


def safe_name(name: str) -> bool:
    """A plain relative path inside MEDIA_ROOT: no absolute path, no "..", no empty part."""
    parts = name.split("/")
    return bool(name) and not PurePosixPath(name).is_absolute() and "\\" not in name and "\x00" not in name \
        and all(part not in ("", ".", "..") for part in parts)


class _HashingReader:
    """Hands tarfile the bytes of a file and hashes exactly what it hands over."""

    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _write_media(archive: Path, media_root: Path, names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Put the named files in the archive; returns {name: SHA-256 of what was archived} and the
    names absent from the disk (or unsafe)."""
    hashes, missing = {}, []
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in names:
            try:
                fh = open(media_root / name, "rb") if safe_name(name) else None  # noqa: SIM115 (closed below)
            except (FileNotFoundError, IsADirectoryError):
                fh = None
            if fh is None:
                missing.append(name)
                continue
            with fh:
                status = os.fstat(fh.fileno())
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o644
                reader = _HashingReader(fh)
                tar.addfile(info, reader)
                hashes[name] = reader.digest.hexdigest()
    return hashes, missing


def _dump(path: Path, snapshot_id: str) -> None:
    args, env = _pg_env()
    db_name = settings.DATABASES["default"]["NAME"]
    result = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}", *args,
                             "-f", str(path), db_name], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"数据库导出失败：{result.stderr.strip()}")


def backup(target: Path) -> Path:
    """Write ``target/cwt-backup-<time>/`` (first as ``….partial``, renamed once complete) and return it."""
    signing_key(create=True)  # fail before the work if no key can be had
    folder = Path(target) / f"cwt-backup-{datetime.now():%Y%m%d-%H%M%S}"
    work = folder.with_name(folder.name + ".partial")
    work.mkdir(parents=True)
    try:
        with _snapshot() as (snapshot_id, taken_at, schema):
            counts = table_counts()
            names = referenced_files()
            _dump(work / DUMP, snapshot_id)
        hashes, missing = _write_media(work / MEDIA, Path(settings.MEDIA_ROOT), names)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "snapshot_at": taken_at.isoformat(timespec="seconds"),
            "database": settings.DATABASES["default"]["NAME"],
            "schema": schema,
            "files": {DUMP: sha256_file(work / DUMP), MEDIA: sha256_file(work / MEDIA)},
            "media": hashes,
            "missing": missing,
            "tables": counts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        sign(work)
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder


# -- checking a backup ----------------------------------------------------------------------------
def verify_backup(folder: Path) -> dict:
    """Everything a restore relies on, checked without writing anything; returns the manifest."""
    folder = Path(folder)
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是备份目录（没有 {MANIFEST}）。{REFUSED}") from None
    _check_signature(folder, raw)
    manifest = json.loads(raw)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持（需要 {FORMAT}）。{REFUSED}")
    for name, digest in manifest["files"].items():
        if not (folder / name).exists() or sha256_file(folder / name) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（SHA-256 不符），{REFUSED}")
    bad = [n for n in manifest["media"] if not safe_name(n)] + [
        t for t in manifest["tables"] if not TABLE_NAME.match(t)]
    if bad or not TABLE_NAME.match(manifest.get("schema", "")):
        raise BackupError(f"备份清单含有不安全的名称：{', '.join(bad[:5])}。{REFUSED}")
    _check_media_archive(folder / MEDIA, manifest["media"])
    return manifest


def _member_name(member: tarfile.TarInfo, expected: dict[str, str]) -> str:
    """The media path a tar member stands for, if it is one the manifest lists; else refuse."""
    if not member.isfile():
        raise BackupError(f"备份的媒体包含不安全的条目（不是普通文件）：{member.name}。{REFUSED}")
    name = member.name.removeprefix("media/")
    if not member.name.startswith("media/") or not safe_name(name):
        raise BackupError(f"备份的媒体路径越界：{member.name}。{REFUSED}")
    if name not in expected:
        raise BackupError(f"备份的媒体包含清单之外的文件：{member.name}。{REFUSED}")
    return name


def _copy_hashing(src, dst=None) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: src.read(1 << 20), b""):
        digest.update(chunk)
        if dst is not None:
            dst.write(chunk)
    return digest.hexdigest()


def _check_media_archive(archive: Path, expected: dict[str, str]) -> None:
    seen: set[str] = set()
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                name = _member_name(member, expected)
                if name in seen:
                    raise BackupError(f"备份的媒体包含重复的文件：{member.name}。{REFUSED}")
                if _copy_hashing(tar.extractfile(member)) != expected[name]:
                    raise BackupError(f"备份的媒体文件 {name} 与清单的 SHA-256 不符。{REFUSED}")
                seen.add(name)
    except tarfile.TarError as exc:
        raise BackupError(f"备份的媒体包无法读取（{exc}）。{REFUSED}") from exc
    absent = sorted(set(expected) - seen)
    if absent:
        raise BackupError(f"清单中的 {len(absent)} 个文件不在媒体包中：{', '.join(absent[:5])}。{REFUSED}")


# -- restore --------------------------------------------------------------------------------------
def restore(folder: Path) -> dict:
    """Check the backup, then restore the dump into the configured (empty or existing) database and
    the media files into MEDIA_ROOT, all checked against the manifest. Returns the manifest."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    media_root = Path(settings.MEDIA_ROOT)
    created = not media_root.exists()
    staging = _extract(folder / MEDIA, manifest["media"], media_root)
    try:
        _restore_database(folder / DUMP, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(media_root, ignore_errors=True)
        raise
    _move_into_place(staging, media_root, manifest["media"])
    _check_media(manifest, media_root)
    return manifest


def _extract(archive: Path, expected: dict[str, str], media_root: Path) -> Path:
    """Extract the files into a staging folder inside MEDIA_ROOT (same file system: the final move
    is a rename), checking each name and hash again as it is written."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                name = _member_name(member, expected)
                destination = staging / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(destination, "wb") as dst:
                    if _copy_hashing(src, dst) != expected[name]:
                        raise BackupError(f"备份的媒体文件 {name} 在恢复过程中被改动。{REFUSED}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _count_check_sql(manifest: dict) -> str:
    """A DO block that fails (and so rolls the restore back) unless every table has its count."""
    schema = manifest["schema"]
    checks = "\n".join(
        f"  SELECT count(*) INTO n FROM \"{schema}\".\"{table}\";\n"
        f"  IF n <> {int(count)} THEN wrong := wrong || ' {table}(' || n || '/{int(count)})'; END IF;"
        for table, count in sorted(manifest["tables"].items()))
    return (f"DO $cwt$\nDECLARE n bigint; wrong text := '';\nBEGIN\n{checks}\n"
            "  IF wrong <> '' THEN RAISE EXCEPTION 'cwt-count-mismatch:%', wrong; END IF;\nEND $cwt$;\n")


def _restore_database(dump: Path, manifest: dict) -> None:
    """pg_restore's SQL streamed into psql inside BEGIN … COMMIT, with the count check before the
    COMMIT: a failed pg_restore, an SQL error or a wrong count ends the session without COMMIT,
    so PostgreSQL rolls everything back and the current data stays."""
    args, env = _pg_env()
    env["PGOPTIONS"] = "-c client_min_messages=warning"  # no NOTICE per DROP … IF EXISTS
    connection.close()
    with tempfile.TemporaryFile() as psql_err, tempfile.TemporaryFile() as dump_err:
        psql = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args, "-d",
                                 settings.DATABASES["default"]["NAME"], "-f", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env)
        reader = subprocess.Popen(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                   "-f", "-", str(dump)], stdout=subprocess.PIPE, stderr=dump_err, env=env)
        committed = False
        try:
            psql.stdin.write(b"BEGIN;\n")
            shutil.copyfileobj(reader.stdout, psql.stdin, 1 << 20)
            if reader.wait() == 0:
                psql.stdin.write(_count_check_sql(manifest).encode() + b"COMMIT;\n")
                committed = True
        except BrokenPipeError:  # psql stopped at an error (ON_ERROR_STOP): nothing was committed
            pass
        finally:
            if not committed:
                psql.kill()  # the session ends inside its transaction: PostgreSQL rolls it back
            reader.kill()
            reader.wait()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait()
        _raise_restore_error(psql.returncode, reader.returncode, psql_err, dump_err, committed)


def _raise_restore_error(psql_rc: int, reader_rc: int, psql_err, dump_err, committed: bool) -> None:
    if committed and psql_rc == 0:
        return
    psql_err.seek(0)
    dump_err.seek(0)
    errors = (psql_err.read() + dump_err.read()).decode("utf-8", "replace").strip()
    mismatch = re.search(r"cwt-count-mismatch:\s*(.*)", errors)
    if mismatch:
        raise BackupError(f"恢复后以下表的行数与备份不一致（恢复数/备份数）：{mismatch.group(1).strip()}。"
                          "数据库已回滚，未改动任何数据。")
    raise BackupError(f"数据库恢复失败，已回滚，未改动任何数据：{errors[-1500:] or f'退出码 {psql_rc}/{reader_rc}'}")


def _move_into_place(staging: Path, media_root: Path, expected: dict[str, str]) -> None:
    for name in expected:
        destination = media_root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, destination)
    shutil.rmtree(staging, ignore_errors=True)


def _check_media(manifest: dict, media_root: Path) -> None:
    wrong = [n for n, digest in manifest["media"].items()
             if not (media_root / n).is_file() or sha256_file(media_root / n) != digest]
    if wrong:
        raise BackupError(f"恢复后以下文件缺失或内容不符：{', '.join(wrong[:10])}")
