"""Backup, then restore into a fresh database and media folder: counts and hashes match. A backup
is one point in time even while people work, and a restore refuses an edited backup before it
touches the database or the files."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import threading
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from archives.models import EvidenceItem
from archives.services import evidence_store
from campaign import services
from campaign.models import Notification
from campaign.services import backup as backup_module
from campaign.services.backup import BackupError, backup, media_hashes, sha256_file
from tests.archives import samples

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def run_admin_sql(sql, dbname="postgres"):
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                            dbname=dbname)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def database_url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    run_admin_sql(f'CREATE DATABASE "{name}"')
    yield name
    run_admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    """Each test has its own installation key, created by its first backup."""
    settings.BACKUP_SIGNING_KEY = ""
    settings.BACKUP_SIGNING_KEY_FILE = tmp_path / "var" / "backup-signing.key"
    return settings.BACKUP_SIGNING_KEY_FILE


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def run_restore(folder, database, media_root, key_file, **extra_env):
    env = {**os.environ, "DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media_root),
           "BACKUP_SIGNING_KEY_FILE": str(key_file), "BACKUP_SIGNING_KEY": "", **extra_env}
    return subprocess.run([sys.executable, "manage.py", "restore", str(folder), "--yes"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def restore_checked(folder, database, media_root, key_file):
    """A restore that must succeed and say it checked what it restored."""
    result = run_restore(folder, database, media_root, key_file)
    assert result.returncode == 0, result.stderr
    assert "恢复完成并已核对" in result.stdout


def upload(user, unit, colour):
    return evidence_store(file=SimpleUploadedFile("现场.jpg", samples.jpeg(colour=colour)), uploader=user, unit=unit)


def tar_names(folder):
    with tarfile.open(folder / "media.tar") as tar:
        return sorted(m.name.removeprefix("media/") for m in tar.getmembers() if m.isfile())


def test_backup_restores_into_a_fresh_database_with_equal_counts_and_hashes(
        settings, tmp_path, city, liaison_a, fresh_database, signing_key_file, media):
    photo = upload(liaison_a, city.unit_a, (200, 30, 30))
    services.notify(recipients=[liaison_a], title="测试备份的通知")

    folder = backup(tmp_path / "backups")
    assert sha256_file(folder / "database.dump")
    restored_media = tmp_path / "restored-media"
    restore_checked(folder, fresh_database, restored_media, signing_key_file)

    with psycopg2.connect(database_url(fresh_database)) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM campaign_orgunit")
        assert cur.fetchone()[0] == 8
        cur.execute("SELECT title FROM campaign_notification")
        assert cur.fetchall() == [("测试备份的通知",)]
    assert (restored_media / photo.file.name).read_bytes() == (media / photo.file.name).read_bytes()
    assert media_hashes(restored_media) == {photo.file.name: photo.sha256}


def test_a_backup_taken_while_people_work_restores_as_one_point_in_time(
        settings, tmp_path, city, liaison_a, fresh_database, signing_key_file, media, monkeypatch):
    """Uploads and notices that land while pg_dump runs belong to the next backup: neither their
    rows nor their files may be in this one, and everything this one names must be in it."""
    kept = upload(liaison_a, city.unit_a, (10, 120, 10))
    services.notify(recipients=[liaison_a], title="备份前的通知")
    during = {}

    def office_works():
        try:
            during["photo"] = upload(liaison_a, city.unit_a, (10, 10, 200))
            services.notify(recipients=[liaison_a], title="备份进行中的通知")
        finally:
            connection.close()  # this thread's own connection

    real_run = subprocess.run

    def run(argv, *args, **kwargs):
        result = real_run(argv, *args, **kwargs)
        if Path(argv[0]).name == "pg_dump":  # the office goes on working while the dump is written
            worker = threading.Thread(target=office_works)
            worker.start()
            worker.join()
        return result

    monkeypatch.setattr(backup_module.subprocess, "run", run)
    folder = backup(tmp_path / "backups")
    monkeypatch.setattr(backup_module.subprocess, "run", real_run)
    assert during["photo"].file.name in media_hashes(media)  # the late upload is on disk

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["media"]) == tar_names(folder) == [kept.file.name]
    assert manifest["tables"]["archives_evidenceitem"] == 1
    assert manifest["tables"]["campaign_notification"] == 1

    restored_media = tmp_path / "restored-media"
    restore_checked(folder, fresh_database, restored_media, signing_key_file)
    with psycopg2.connect(database_url(fresh_database)) as conn, conn.cursor() as cur:
        cur.execute("SELECT file FROM archives_evidenceitem")
        assert cur.fetchall() == [(kept.file.name,)]
        cur.execute("SELECT title FROM campaign_notification")
        assert cur.fetchall() == [("备份前的通知",)]
    assert media_hashes(restored_media) == {kept.file.name: kept.sha256}
    assert EvidenceItem.objects.count() == 2 and Notification.objects.count() == 2  # the live data goes on


def test_a_file_the_database_names_but_the_disk_lacks_is_reported_not_hidden(
        tmp_path, city, liaison_a, media):
    lost = upload(liaison_a, city.unit_a, (90, 90, 90))
    (media / lost.file.name).unlink()
    folder = backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["missing"] == [lost.file.name]
    assert manifest["media"] == {}


def test_the_first_backup_creates_a_private_signing_key_and_later_ones_reuse_it(
        settings, tmp_path, city, signing_key_file, media):
    first = backup(tmp_path / "backups")
    key = signing_key_file.read_bytes()
    assert len(key) >= 32 and stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    second = backup(tmp_path / "more-backups")
    assert signing_key_file.read_bytes() == key
    signatures = [json.loads((f / "manifest.sig").read_text())["key_id"] for f in (first, second)]
    assert signatures[0] == signatures[1]

    settings.BACKUP_SIGNING_KEY = "a key kept in the environment instead"
    third = backup(tmp_path / "env-backups")
    assert json.loads((third / "manifest.sig").read_text())["key_id"] != signatures[0]


# -- refusing an edited backup before touching anything ---------------------------------------------
@pytest.fixture
def target(tmp_path, fresh_database):
    """A database and media folder in use: one table with one row, one file."""
    run_admin_sql("CREATE TABLE marker (note text); INSERT INTO marker VALUES ('在用的数据')", dbname=fresh_database)
    folder = tmp_path / "target-media"
    (folder / "evidence" / "aa").mkdir(parents=True)
    (folder / "evidence" / "aa" / "in-use.jpg").write_bytes(b"\xff\xd8\xff in use")
    return fresh_database, folder


def assert_untouched(target):
    database, folder = target
    tables = run_admin_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", dbname=database)
    assert tables == [("marker",)]
    assert run_admin_sql("SELECT note FROM marker", dbname=database) == [("在用的数据",)]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    assert files == ["evidence", "evidence/aa", "evidence/aa/in-use.jpg"]


def assert_refused(folder, target, key_file, *reasons, **extra_env):
    """A restore into ``target`` that must fail, giving each of ``reasons``, before it changes anything."""
    result = run_restore(folder, *target, key_file, **extra_env)
    assert result.returncode != 0 and "恢复完成" not in result.stdout, result.stdout
    for reason in reasons:
        assert reason in result.stderr, result.stderr
    assert_untouched(target)


def rehash(folder):
    """What a forger does after editing a file: put the new SHA-256s in the manifest."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest["files"]:
        manifest["files"][name] = sha256_file(folder / name)
    with tarfile.open(folder / "media.tar") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.removeprefix("media/") in manifest["media"]:
                data = tar.extractfile(member).read()
                manifest["media"][member.name.removeprefix("media/")] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def rewrite_tar(folder, replace=None, extra=None):
    buffer = io.BytesIO()
    with tarfile.open(folder / "media.tar") as old, tarfile.open(fileobj=buffer, mode="w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isfile() else None
            if replace and member.name.endswith(replace[0]):
                data = replace[1]
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if data is not None else None)
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    (folder / "media.tar").write_bytes(buffer.getvalue())


def test_a_replaced_photo_with_recomputed_hashes_is_refused_before_anything_changes(
        tmp_path, city, liaison_a, media, target, signing_key_file):
    photo = upload(liaison_a, city.unit_a, (200, 200, 10))
    folder = backup(tmp_path / "backups")
    rewrite_tar(folder, replace=(photo.file.name, samples.jpeg(colour=(0, 0, 0))))
    rehash(folder)

    assert_refused(folder, target, signing_key_file, "签名不符", "未改动任何数据")


def test_a_forged_dump_with_recomputed_hashes_is_refused_before_anything_changes(
        tmp_path, city, liaison_a, media, target, signing_key_file, fresh_database):
    services.notify(recipients=[liaison_a], title="限期整改：人行道破损")
    folder = backup(tmp_path / "backups")
    # The forger restores the dump elsewhere, edits it, dumps it again and recomputes the hashes.
    scratch = f"forge_{uuid.uuid4().hex[:8]}"
    run_admin_sql(f'CREATE DATABASE "{scratch}"')
    try:
        url = database_url(scratch)
        subprocess.run(["pg_restore", "--no-owner", "-d", url, str(folder / "database.dump")], check=True)
        run_admin_sql("UPDATE campaign_notification SET title = '已整改完毕，予以销号'", dbname=scratch)
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(folder / "database.dump"), url], check=True)
    finally:
        run_admin_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    rehash(folder)

    assert_refused(folder, target, signing_key_file, "签名不符")


def test_a_path_traversal_member_is_refused_before_anything_changes_even_when_signed(
        tmp_path, city, liaison_a, media, target, signing_key_file):
    upload(liaison_a, city.unit_a, (30, 200, 200))
    folder = backup(tmp_path / "backups")
    rewrite_tar(folder, extra={"media/../../escaped.txt": b"written outside the media folder"})
    rehash(folder)
    backup_module.sign(folder)  # as if the key had leaked: the media check still stands

    assert_refused(folder, target, signing_key_file, "media/../../escaped.txt", "未改动任何数据")
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("*"))


def test_counts_that_do_not_match_roll_the_whole_restore_back(
        tmp_path, city, media, target, signing_key_file):
    folder = backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["campaign_orgunit"] = 9
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    backup_module.sign(folder)

    assert_refused(folder, target, signing_key_file, "campaign_orgunit", "已回滚")


def test_a_backup_signed_with_another_installations_key_is_refused(
        tmp_path, city, media, target, signing_key_file):
    folder = backup(tmp_path / "backups")
    assert_refused(folder, target, signing_key_file, "另一把签名密钥", BACKUP_SIGNING_KEY="another office's key")


def test_an_unsigned_backup_is_refused(tmp_path, city, media, target, signing_key_file):
    folder = backup(tmp_path / "backups")
    (folder / "manifest.sig").unlink()
    assert_refused(folder, target, signing_key_file, "没有签名")


def test_a_damaged_backup_is_refused(settings, tmp_path, city, media):
    folder = backup(tmp_path / "backups")
    with open(folder / "media.tar", "ab") as fh:
        fh.write(b"tampered")
    from campaign.services.backup import verify_backup

    with pytest.raises(BackupError, match="SHA-256"):
        verify_backup(folder)


def test_restore_needs_explicit_confirmation(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "restore", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "--yes" in result.stderr
