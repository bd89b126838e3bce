"""Upload fuzzing: a few hundred hostile files (tests/security/hostile.py, seeded) through
``archives.services.evidence_store`` and through the upload pages (evidence upload, a task's
after-photos, the spreadsheet imports). Every file is refused with a Chinese message and leaves no
row and no file, or is stored safely: a real photo, PDF or Office file that passes every check,
under a clean name, served back with the right type. Never a 500.

Figures (files, refused, stored, seconds) go to test-artifacts/security-fuzz-<target>.json.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from PIL import Image, ImageFile
from pypdf import PdfReader

from archives.models import EvidenceItem
from archives.services import evidence_store, limits
from archives.services.checks import MAX_OFFICE_UNPACKED
from campaign.models import Event, Notification, OutboxJob
from inspections import services as inspection_services
from inspections.models import VisitPhoto
from tasks.models import RectificationTask, TaskAction, TaskPhoto
from tasks.services import task_transition

from ..factories import jpeg, make_task
from ..inspections.kit import field_setup, make_round
from ..tasks.lifecycle_kit import reference
from . import hostile
from .probe import media_files

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MIMES = {
    "photo": {"image/jpeg", "image/png", "image/webp"},
    "document": {"application/pdf"},
    "office": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"},
}
# A truncated PNG that loses only its end marker still decodes completely, and is a real picture.
NEVER_STORED = ("markup", "tiny", "truncated-webp", "truncated-heic", "bomb-png", "bomb-jpeg",
                "bomb-webp", "bomb-zip-xlsx", "bomb-zip-docx", "bomb-zip-parts", "bomb-pdf", "bomb-gif")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def row_counts() -> tuple:
    """Rows of every table an upload could touch, in one query."""
    models = [EvidenceItem, EvidenceItem.indicators.through, Event, OutboxJob, Notification, RectificationTask,
              TaskPhoto, TaskAction, VisitPhoto]
    sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{m._meta.db_table}")' for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def stored_problems(item: EvidenceItem, f: hostile.Hostile) -> list[str]:
    """Why a stored item is not a safe, real file (empty when it is)."""
    problems = []
    if f.family.startswith(NEVER_STORED):
        problems.append("这类文件不应被保存")
    if item.mime not in MIMES.get(item.kind, ()):
        problems.append(f"类型 {item.kind}/{item.mime}")
    path = Path(item.file.path)
    if not path.is_file():
        return [*problems, "文件不存在"]
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != item.sha256 or len(data) != item.size:
        problems.append("哈希或大小与记录不符")
    problems += _content_problems(item, path)
    name = item.original_name
    bad = [ch for ch in name if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} or ch in "/\\"]
    if bad or len(name) > 100 or not name.lower().endswith("." + item.file.name.rsplit(".", 1)[-1]):
        problems.append(f"文件名未清理：{name!r}")
    return problems


def _content_problems(item, path: Path) -> list[str]:
    relaxed = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint turns it on for the whole process
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        if item.kind == "photo":
            with Image.open(path) as img:
                if img.format not in {"JPEG", "MPO", "PNG", "WEBP"} or img.width * img.height > limits()["pixels"]:
                    return [f"照片格式或尺寸异常：{img.format} {img.size}"]
                img.load()
        elif item.kind == "document":
            reader = PdfReader(path)
            if len(reader.pages) != item.page_count or reader.is_encrypted:
                return ["PDF 页数不符或已加密"]
        else:
            with zipfile.ZipFile(path) as archive:
                if sum(i.file_size for i in archive.infolist()) > MAX_OFFICE_UNPACKED:
                    return ["Office 文件解压后过大"]
    except Exception as exc:  # a stored file must open cleanly, whatever the reason it does not
        return [f"保存的文件无法完整打开：{type(exc).__name__}: {exc}"]
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = relaxed
    return []


def report(target: str, counts: Counter, seconds: float, total: int, families: dict | None = None) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"security-fuzz-{target}.json").write_text(json.dumps(
        {"files": total, **dict(counts), "seconds": round(seconds, 1), "families": families or {}},
        ensure_ascii=False, indent=2))


def multipart(fields: dict, file_field: str, f: hostile.Hostile) -> tuple[bytes, str]:
    """A multipart body written by hand, so the file name reaches the server byte for byte (the
    test client would strip folders from it the way browsers do; attackers do not)."""
    boundary = "cwtFuzzBoundary7f3a9c2e5b1d"
    out = b""
    for name, value in fields.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    filename = f.name.encode("utf-8", "surrogatepass")
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"".encode()
            + filename + f'"\r\nContent-Type: {f.content_type}\r\n\r\n'.encode() + f.data + b"\r\n")
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


# --- the service ------------------------------------------------------------------------------


def test_hostile_files_through_evidence_store(city, archivist_a, media):
    import weasyprint  # noqa: F401  -- as in any process that has rendered a PDF (it relaxes Pillow)

    files = hostile.evidence_files()
    assert len(files) >= 500
    counts, failures, families = Counter(), [], {}
    started = time.perf_counter()
    for f in files:
        rows, on_disk = row_counts(), media_files(media)
        try:
            item = evidence_store(file=f.data, name=f.name, uploader=archivist_a, unit=city.unit_a)
        except ValidationError as exc:
            counts["refused"] += 1
            families.setdefault(f.family, Counter())["refused"] += 1
            message = " ".join(exc.messages)
            left = media_files(media) - on_disk
            if not CHINESE.search(message) or row_counts() != rows or left:
                failures.append(f"{f.family} {f.name!r}: 拒绝但留下了数据或文件，或提示不是中文：{message} {sorted(left)[:2]}")
            continue
        except Exception as exc:
            failures.append(f"{f.family} {f.name!r}: 崩溃 {type(exc).__name__}: {exc}")
            continue
        counts["reused" if item.reused else "stored"] += 1
        families.setdefault(f.family, Counter())["stored"] += 1
        failures += [f"{f.family} {f.name!r}: {p}" for p in stored_problems(item, f)]
    report("evidence_store", counts, time.perf_counter() - started, len(files), families)
    assert not failures, "\n".join(failures[:40])
    assert counts["refused"] > len(files) * 0.6 and counts["stored"] >= 8


def test_truncated_photos_stay_refused_after_weasyprint_relaxed_pillow(city, archivist_a, media):
    """Importing WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process; the check
    must not follow it (and must leave it as it found it, for WeasyPrint's sake)."""
    import weasyprint  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole = jpeg(800, 600, orientation=6)
    with pytest.raises(ValidationError, match="损坏或不完整"):
        evidence_store(file=whole[: len(whole) // 2], name="cut.jpg", uploader=archivist_a, unit=city.unit_a)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert not EvidenceItem.objects.exists()


# --- the pages --------------------------------------------------------------------------------


def _upload_checks(client, f: hostile.Hostile, response, rows_before, files_before, media) -> list[str]:
    if response.status_code >= 500:
        return [f"{f.family} {f.name!r}: 服务器错误 {response.status_code}"]
    if response["Content-Type"] != "application/json":  # the request itself was unreadable
        ok = response.status_code == 400 and row_counts() == rows_before and media_files(media) == files_before
        return [] if ok else [f"{f.family} {f.name!r}: {response.status_code} {response.content[:200]!r}"]
    data = response.json()
    if not data["ok"]:
        left = media_files(media) - files_before
        if response.status_code != 400 or not CHINESE.search(data["error"]) or row_counts() != rows_before or left:
            return [f"{f.family} {f.name!r}: 拒绝但留下了数据或文件，或提示不是中文：{data} {sorted(left)[:2]}"]
        return []
    item = EvidenceItem.objects.get(pk=data["id"])
    problems = [f"{f.family} {f.name!r}: {p}" for p in stored_problems(item, f)]
    download = client.get(reverse("archives:download", args=[item.pk]))
    body = b"".join(download.streaming_content)
    disposition = download.get("Content-Disposition", "")
    if (download.status_code != 200 or body != Path(item.file.path).read_bytes() or "\r" in disposition
            or "\n" in disposition or download["Content-Type"] != item.mime
            or download.get("X-Content-Type-Options") != "nosniff"
            or "sandbox" not in download.get("Content-Security-Policy", "")):
        problems.append(f"{f.family} {f.name!r}: 下载不安全：{download.status_code} {dict(download.items())}")
    return problems


def test_hostile_files_through_the_evidence_upload_page(client, city, archivist_a, media):
    client.force_login(archivist_a)
    files = hostile.evidence_files()[::2]
    url = reverse("archives:upload_file")
    counts, failures = Counter(), []
    started = time.perf_counter()
    for f in files:
        rows, on_disk = row_counts(), media_files(media)
        body, content_type = multipart({"unit": city.unit_a.pk, "category": ""}, "file", f)  # the page's default
        response = client.post(url, data=body, content_type=content_type)
        counts["refused" if response.status_code == 400 else "stored" if response.status_code == 200 else
               str(response.status_code)] += 1
        failures += _upload_checks(client, f, response, rows, on_disk, media)
    report("archives_upload_page", counts, time.perf_counter() - started, len(files))
    assert not failures, "\n".join(failures[:40])


def test_hostile_after_photos_on_a_task_change_nothing(client, city, office_clerk, liaison_a, media):
    """提交销号 with a hostile after-photo: refused with the reason and the task unchanged, or the
    photo is a real one and the task is submitted."""
    task = make_task(reference(city), actor=office_clerk, unit=city.unit_a)
    task_transition(task=task, actor=liaison_a, action="sign")
    client.force_login(liaison_a)
    url = reverse("tasks:submit", args=[task.pk])
    files = hostile.evidence_files()[1::5]
    counts, failures = Counter(), []
    started = time.perf_counter()
    for f in files:
        with transaction.atomic():
            rows, on_disk = row_counts(), media_files(media)
            body, content_type = multipart({"note": "已清理完毕"}, "photos", f)
            try:
                response = client.post(url, data=body, content_type=content_type)
            except Exception as exc:
                failures.append(f"{f.family} {f.name!r}: 崩溃 {type(exc).__name__}: {exc}")
                transaction.set_rollback(True)
                continue
            state = RectificationTask.objects.get(pk=task.pk).state
            if response.status_code >= 500:
                failures.append(f"{f.family} {f.name!r}: 服务器错误")
            elif state == "submitted":
                counts["stored"] += 1
                photo = TaskPhoto.objects.filter(task=task, kind="after").select_related("evidence").get()
                failures += [f"{f.family} {f.name!r}: {p}" for p in stored_problems(photo.evidence, f)]
            else:
                counts["refused"] += 1
                page = response.content.decode()
                left = media_files(media) - on_disk
                shown = "alert-danger" in page or "invalid-feedback" in page
                if response.status_code != 200 or not shown or row_counts() != rows or left:
                    failures.append(f"{f.family} {f.name!r}: 拒绝时应显示原因且不留数据：{response.status_code} {sorted(left)[:2]}")
            transaction.set_rollback(True)
    report("task_after_photo", counts, time.perf_counter() - started, len(files))
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("url_name, args", [("imports:upload", ["sites"]), ("imports:upload", ["framework"]),
                                            ("tasks:bulk_upload", [])], ids=["sites", "framework", "bulk"])
def test_hostile_spreadsheets_are_refused_quickly(client, office_clerk, media, url_name, args):
    client.force_login(office_clerk)
    url = reverse(url_name, args=args)
    files = hostile.spreadsheet_files()
    counts, failures = Counter(), []
    started = time.perf_counter()
    for f in files:
        rows, on_disk = row_counts(), media_files(media)
        body, content_type = multipart({"target": "new", "name": "测试版本", "year": 2026}, "file", f)
        began = time.perf_counter()
        response = client.post(url, data=body, content_type=content_type)
        spent = time.perf_counter() - began
        page = response.content.decode("utf-8", "ignore")
        counts["refused" if response.status_code in (200, 400) else str(response.status_code)] += 1
        if (response.status_code not in (200, 400) or not CHINESE.search(page) or "root:" in page
                or row_counts() != rows or media_files(media) != on_disk or spent > 5):
            failures.append(f"{f.family}: {response.status_code}，{spent:.1f} 秒，{page[:200]!r}")
    report(f"spreadsheet_{'_'.join([url_name.replace(':', '_'), *args])}", counts, time.perf_counter() - started,
           len(files))
    assert not failures, "\n".join(failures)


def test_spreadsheets_are_parsed_with_defusedxml():
    """openpyxl uses defusedxml when it is installed: DTDs and entities in any part are refused."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_a_pdf_sent_as_a_visit_photo_leaves_nothing(client, city, office_clerk, inspector, media):
    field = field_setup(city)
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    visit = inspection_services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    line = visit.results.order_by("number").first()
    client.force_login(inspector)
    rows = row_counts()
    pdf = hostile.Hostile("pdf", "scan.pdf", hostile.pdf(), "application/pdf")
    body, content_type = multipart({"line": line.pk}, "photo", pdf)
    response = client.post(reverse("inspections:photo_upload", args=[visit.pk]), data=body, content_type=content_type)
    assert response.status_code == 400 and "照片" in response.json()["error"]
    assert row_counts() == rows
