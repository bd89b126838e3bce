"""Backup and restore: a PostgreSQL dump, the private media files, and a manifest with the
SHA-256 of every file and the row count of every table, so a restore can be verified."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"


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
    return {str(p.relative_to(root)): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names come from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(target: Path) -> Path:
    """Write ``target/cwt-backup-<time>/`` and return it."""
    folder = Path(target) / f"cwt-backup-{datetime.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    args, env = _pg_env()
    db_name = settings.DATABASES["default"]["NAME"]
    result = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(folder / DUMP),
                             db_name], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackupError(f"数据库导出失败：{result.stderr.strip()}")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w") as tar:
        if media_root.exists():
            tar.add(media_root, arcname="media")
    manifest = {
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "database": db_name,
        "files": {DUMP: sha256_file(folder / DUMP), MEDIA: sha256_file(folder / MEDIA)},
        "media": media_hashes(media_root),
        "tables": table_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def verify_backup(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        if not (folder / name).exists() or sha256_file(folder / name) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（SHA-256 不符），已停止恢复。")
    return manifest


def restore(folder: Path) -> dict:
    """Restore the dump into the configured (empty or existing) database and the media files into
    MEDIA_ROOT, then check every count and hash against the manifest. Returns the manifest."""
    folder = Path(folder)
    manifest = verify_backup(folder)
    args, env = _pg_env()
    db_name = settings.DATABASES["default"]["NAME"]
    connection.close()
    result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                             "--exit-on-error", "--single-transaction", *args, "-d", db_name, str(folder / DUMP)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"数据库恢复失败：{result.stderr.strip()}")
    _restore_media(folder / MEDIA, Path(settings.MEDIA_ROOT))
    _check_restored(manifest)
    return manifest


def _restore_media(archive: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()) or not member.name.startswith("media"):
                raise BackupError(f"备份中的媒体包含不安全的条目：{member.name}")
            relative = Path(member.name).relative_to("media") if member.name != "media" else Path()
            destination = (media_root / relative).resolve()
            if not str(destination).startswith(str(media_root.resolve())):
                raise BackupError(f"备份中的媒体路径越界：{member.name}")
            if member.isdir():
                destination.mkdir(parents=True, exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(destination, "wb") as dst:
                    shutil.copyfileobj(src, dst)


def _check_restored(manifest: dict) -> None:
    counts = table_counts()
    wrong = [t for t, n in manifest["tables"].items() if counts.get(t) != n]
    if wrong:
        raise BackupError(f"恢复后以下表的行数与备份不一致：{', '.join(wrong[:10])}")
    hashes = media_hashes(Path(settings.MEDIA_ROOT))
    missing = [p for p, digest in manifest["media"].items() if hashes.get(p) != digest]
    if missing:
        raise BackupError(f"恢复后以下文件缺失或内容不符：{', '.join(missing[:10])}")
