"""An archivist uploads two files at once in headless Chromium: the bad one shows its own error,
the good one is stored and then captioned on the batch page (htmx)."""

import pytest
from playwright.sync_api import expect

from archives.models import EvidenceItem
from tests.archives import samples
from tests.archives.conftest import make_framework
from tests.factories import stored_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_multi_file_upload_shows_each_files_result(login_page, archivist_a, live_server, settings, tmp_path, shot):
    settings.MEDIA_ROOT = tmp_path
    framework = make_framework()
    page = login_page(archivist_a)
    page.goto(f"{live_server.url}/archives/upload/")
    page.set_input_files("#file-input", [
        {"name": "活动照片.jpg", "mimeType": "image/jpeg",
         "buffer": samples.jpeg(orientation=6, taken="2026:05:12 09:30:00")},
        {"name": "假照片.jpg", "mimeType": "image/jpeg", "buffer": b"<html><script>alert(1)</script></html>"},
    ])
    rows = page.get_by_test_id("upload-row")
    expect(rows).to_have_count(2)
    good, bad = rows.nth(0), rows.nth(1)
    expect(good).to_contain_text("已上传")
    expect(bad).to_contain_text("网页")
    expect(bad).to_contain_text("未上传")
    shot(page, "upload")
    item = EvidenceItem.objects.get()
    assert item.original_name == "活动照片.jpg" and item.unit == archivist_a.memberships.get().unit
    assert [name for name in stored_files(tmp_path) if name.startswith("evidence/")] == [item.file.name]

    page.get_by_test_id("caption-link").click()
    card = page.get_by_test_id("caption-card")
    expect(card).to_have_count(1)
    prefix = f"#id_i{item.pk}-"
    expect(page.locator(f"{prefix}taken_at")).to_have_value("2026-05-12T09:30")  # read from EXIF
    page.fill(f"{prefix}subject", "文明交通志愿劝导")
    page.fill(f"{prefix}place", "人民路与解放路交叉口")
    page.fill(f"{prefix}people", "街道志愿者 12 人")
    card.get_by_placeholder("输入标准编号或关键词搜索").fill("宣传教育")
    card.get_by_text("文明交通宣传教育").click()  # ticks it; it moves to the chosen list
    card.get_by_placeholder("输入标准编号或关键词搜索").fill("路口")  # a new search keeps the choice
    expect(card.get_by_text("路口秩序良好")).to_be_visible()
    page.get_by_test_id("save-caption").click()
    expect(page.get_by_test_id("saved")).to_be_visible()
    shot(page, "caption")
    item.refresh_from_db()
    assert item.place == "人民路与解放路交叉口" and item.people == "街道志愿者 12 人"
    assert list(item.indicators.all()) == [framework.material]
