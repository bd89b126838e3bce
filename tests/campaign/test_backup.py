"""Backup, then restore into a fresh database and media folder: counts and hashes match."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from campaign import services
from campaign.backup import BackupError, backup, media_hashes, sha256_file

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def run_admin_sql(sql):
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                            dbname="postgres")
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    run_admin_sql(f'CREATE DATABASE "{name}"')
    yield name
    run_admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_database_with_equal_counts_and_hashes(
        settings, tmp_path, city, liaison_a, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence" / "ab").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "ab" / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2048))
    services.notify(recipients=[liaison_a], title="测试备份的通知")

    folder = backup(tmp_path / "backups")
    assert sha256_file(folder / "database.dump")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{fresh_database}"
    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}
    result = subprocess.run([sys.executable, "manage.py", "restore", str(folder), "--yes"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "恢复完成并已核对" in result.stdout

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM campaign_orgunit")
        assert cur.fetchone()[0] == 8
        cur.execute("SELECT title FROM campaign_notification")
        assert cur.fetchall() == [("测试备份的通知",)]
    assert media_hashes(restored_media) == media_hashes(settings.MEDIA_ROOT)


def test_a_damaged_backup_is_refused(settings, tmp_path, city):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = backup(tmp_path / "backups")
    with open(folder / "media.tar", "ab") as fh:
        fh.write(b"tampered")
    from campaign.backup import verify_backup

    with pytest.raises(BackupError, match="SHA-256"):
        verify_backup(folder)


def test_restore_needs_explicit_confirmation(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "restore", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "--yes" in result.stderr
