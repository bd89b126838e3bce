"""Every file goes through evidence_store: bad ones are refused with a Chinese message and leave
nothing behind; good ones keep their bytes and get an upright print rendition."""

import hashlib
import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archives.models import EvidenceItem
from archives.services import EvidenceRejected, evidence_make_rendition, evidence_store
from campaign.models import Event

from ..factories import stored_files
from . import samples

pytestmark = pytest.mark.django_db


def store(user, unit, data, name="photo.jpg", **kwargs):
    # ``name`` is passed as given: SimpleUploadedFile itself would already drop folder parts.
    return evidence_store(file=SimpleUploadedFile("upload", data), name=name, uploader=user, unit=unit, **kwargs)


def assert_refused(media, user, unit, data, name, words):
    with pytest.raises(EvidenceRejected) as refused:
        store(user, unit, data, name)
    message = refused.value.messages[0]
    assert any(word in message for word in words), message
    assert re.search("[\u4e00-\u9fff]", message), message
    assert stored_files(media) == []
    assert not EvidenceItem.objects.exists()
    assert not Event.objects.filter(verb__startswith="evidence").exists()
    return message


BAD_FILES = [
    ("wrong magic bytes", b"MZ\x90\x00" + os.urandom(2000), "scan.jpg", ["无法识别的文件类型"]),
    ("gif is not accepted", b"GIF89a" + os.urandom(200), "anim.gif", ["无法识别的文件类型"]),
    ("zero bytes", b"", "empty.jpg", ["空的"]),
    ("html posing as an image", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.jpg", ["网页"]),
    ("svg posing as an image", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
     b"<script>alert(document.cookie)</script></svg>", "photo.png", ["SVG"]),
    ("svg after whitespace", b"\n\n   <svg onload=alert(1)>", "logo.webp", ["SVG"]),
    ("garbage pdf", b"%PDF-1.7\n" + os.urandom(3000), "report.pdf", ["PDF", "损坏"]),
    ("zip that is not office", None, "docs.docx", ["不是可识别的"]),
]


@pytest.mark.parametrize(("data", "name", "words"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_and_nothing_is_stored(media, archivist_a, city, data, name, words):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    assert_refused(media, archivist_a, city.unit_a, data, name, words)


def test_truncated_jpeg_is_refused(media, archivist_a, city):
    whole = samples.jpeg(1600, 1200, marker=False, quality=95)
    assert_refused(media, archivist_a, city.unit_a, whole[: len(whole) // 2], "cut.jpg", ["损坏或不完整"])


def test_encrypted_pdf_is_refused(media, archivist_a, city):
    assert_refused(media, archivist_a, city.unit_a, samples.encrypted_pdf(), "secret.pdf", ["加密"])


def test_decompression_bomb_is_refused_before_decoding(media, archivist_a, city):
    data = samples.bomb_png()
    assert len(data) < 200_000
    message = assert_refused(media, archivist_a, city.unit_a, data, "bomb.png", ["百万像素"])
    assert "10000×8000" in message


def test_too_large_photo_is_refused(media, settings, archivist_a, city):
    settings.EVIDENCE_MAX_PHOTO_BYTES = 20_000
    data = samples.jpeg(1600, 1200, quality=95)
    assert len(data) > 20_000
    message = assert_refused(media, archivist_a, city.unit_a, data, "big.jpg", ["文件过大"])
    assert "不能超过" in message


def test_upload_over_the_hard_limit_stops_while_streaming(media, settings, archivist_a, city):
    settings.EVIDENCE_MAX_PHOTO_BYTES = settings.EVIDENCE_MAX_DOCUMENT_BYTES = 10_000
    assert_refused(media, archivist_a, city.unit_a, b"%PDF-1.4\n" + b"0" * 50_000, "huge.pdf", ["文件过大"])


@pytest.mark.parametrize("name", ["../../etc/evil.jpg", "..\\..\\boot.jpg", "a/b.jpg", "ok\x00.jpg", "line\nbreak.jpg"])
def test_path_traversal_and_control_names_are_refused(media, archivist_a, city, name):
    assert_refused(media, archivist_a, city.unit_a, samples.jpeg(), name, ["文件名"])


def test_odd_names_are_cleaned_and_get_the_true_extension(media, archivist_a, city):
    item = store(archivist_a, city.unit_a, samples.jpeg(), name="\u202e活动照片 <1>?.png")
    assert item.original_name == "活动照片 1.png.jpg"
    long = store(archivist_a, city.unit_a, samples.png(), name="很长" * 200 + ".png")
    assert len(long.original_name) <= 100 and long.original_name.endswith(".png")


def test_good_photo_keeps_its_bytes_and_reads_exif(media, archivist_a, city):
    data = samples.jpeg(800, 600, orientation=6, taken="2026:05:12 09:30:00", gps=(30.5, 114.25))
    item = store(archivist_a, city.unit_a, data, name="IMG_0001.JPG", subject="文明交通劝导")
    assert item.kind == "photo" and item.mime == "image/jpeg" and item.size == len(data)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.file.name == f"evidence/{item.sha256[:2]}/{item.sha256}.jpg"
    assert (media / item.file.name).read_bytes() == data
    assert (item.width, item.height) == (600, 800)  # upright
    local = item.taken_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2026, 5, 12, 9, 30)
    assert float(item.gps_lat) == pytest.approx(30.5, abs=1e-4) and float(item.gps_lon) == pytest.approx(114.25, abs=1e-4)
    assert item.year == 2026 and item.status == "draft" and item.original_name == "IMG_0001.jpg"
    assert stored_files(media) == [item.file.name]
    assert Event.objects.filter(verb="evidence.upload", target_id=str(item.pk)).exists()


def test_rendition_is_upright_without_exif_and_the_original_is_untouched(media, archivist_a, city):
    data = samples.jpeg(800, 600, orientation=6)
    item = store(archivist_a, city.unit_a, data)
    item = evidence_make_rendition(item=item)
    assert (media / item.file.name).read_bytes() == data
    assert hashlib.sha256((media / item.file.name).read_bytes()).hexdigest() == item.sha256
    with Image.open(media / item.print_file.name) as printed:
        assert printed.size == (600, 800)
        assert not printed.getexif()
        # The red marker was top-left in the stored pixels; orientation 6 turns it to the top-right.
        assert printed.getpixel((590, 5))[0] > 200 and printed.getpixel((5, 5))[0] < 100
    with Image.open(media / item.thumb_file.name) as thumb:
        assert max(thumb.size) <= 480 and thumb.size[1] > thumb.size[0]


def test_large_photo_rendition_is_sized_for_print(media, archivist_a, city):
    item = evidence_make_rendition(item=store(archivist_a, city.unit_a, samples.jpeg(4000, 3000, orientation=8)))
    with Image.open(media / item.print_file.name) as printed:
        assert printed.size == (1500, 2000)  # DCT-scaled to 1/2, upright


def test_png_with_transparency_renders_on_white(media, archivist_a, city):
    item = evidence_make_rendition(item=store(archivist_a, city.unit_a, samples.png(mode="RGBA"), name="a.png"))
    with Image.open(media / item.print_file.name) as printed:
        assert printed.mode == "RGB" and printed.format == "JPEG"


def test_pdf_stores_its_page_count(media, archivist_a, city):
    item = store(archivist_a, city.unit_a, samples.pdf(pages=3), name="工作计划.pdf", category="计划")
    assert item.kind == "document" and item.page_count == 3 and item.mime == "application/pdf"
    assert evidence_make_rendition(item=item).print_file.name == ""


def test_office_files_are_stored_and_marked_not_bound(media, archivist_a, city):
    item = store(archivist_a, city.unit_a, samples.docx(), name="签到表.docx", category="会议材料")
    assert item.kind == "office" and not item.is_bindable and item.original_name == "签到表.docx"
    assert not EvidenceItem.objects.bindable().filter(pk=item.pk).exists()


def test_heic_from_a_phone_is_stored_as_jpeg(media, archivist_a, city):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 200, 30)).save(buffer, "HEIF")
    item = store(archivist_a, city.unit_a, buffer.getvalue(), name="IMG_2001.HEIC")
    assert item.mime == "image/jpeg" and item.original_name == "IMG_2001.jpg"
    assert (media / item.file.name).read_bytes()[:3] == b"\xff\xd8\xff"
    assert (item.width, item.height) == (320, 240)


def test_same_file_for_the_same_unit_is_not_stored_twice(media, archivist_a, city, framework):
    data = samples.jpeg()
    first = store(archivist_a, city.unit_a, data)
    again = store(archivist_a, city.unit_a, data, name="copy.jpg", indicators=[framework.material])
    assert again.pk == first.pk and again.reused and not first.reused
    assert EvidenceItem.objects.count() == 1
    assert list(again.indicators.all()) == [framework.material]
    assert Event.objects.filter(verb="evidence.duplicate", target_id=str(first.pk)).exists()
    assert len([f for f in stored_files(media) if f.startswith("evidence/")]) == 1


def test_same_file_for_another_unit_is_linked_and_shares_the_bytes(media, archivist_a, liaison_b, city):
    data = samples.jpeg()
    first = evidence_make_rendition(item=store(archivist_a, city.unit_a, data))
    other = store(liaison_b, city.unit_b, data)
    assert other.pk != first.pk and other.duplicate_of == first and not other.reused
    assert other.file.name == first.file.name and other.print_file.name == first.print_file.name
    assert len([f for f in stored_files(media) if f.startswith("evidence/")]) == 1


def test_a_failing_row_leaves_no_file(media, archivist_a, city, monkeypatch):
    from archives.services import store as store_module

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(store_module, "event_record", boom)
    with pytest.raises(RuntimeError):
        store(archivist_a, city.unit_a, samples.jpeg())
    assert stored_files(media) == []
    assert not EvidenceItem.objects.exists()
