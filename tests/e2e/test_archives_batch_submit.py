"""In headless Chromium: an archivist uploads a photo and a PDF in one batch (no category chosen),
captions both on the batch page and presses 全部提交审核, on a desktop and on a 390 px phone;
both items wait for review. And the street archivist, whose district must prove 2.3.1, opens
完整性 from her ledger, sees what 东湖区 still lacks, and reads (only) its 提交表."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from archives.models import EvidenceItem
from archives.services import evidence_review, evidence_store, evidence_submit
from campaign.models import Responsibility
from tests.archives import samples
from tests.archives.conftest import make_framework

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def choose_standard(card, words, label):
    card.get_by_placeholder("输入标准编号或关键词搜索").fill(words)
    card.get_by_text(label).click()


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_upload_two_caption_both_and_submit_all(login_page, archivist_a, live_server, settings, tmp_path, shot,
                                                viewport):
    settings.MEDIA_ROOT = tmp_path
    make_framework()
    page = login_page(archivist_a)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/archives/upload/")
    page.set_input_files("#file-input", [
        {"name": "劝导现场.jpg", "mimeType": "image/jpeg", "buffer": samples.jpeg(taken="2026:05:12 09:30:00")},
        {"name": "文明交通宣传工作方案.pdf", "mimeType": "application/pdf", "buffer": samples.pdf(2)},
    ])
    rows = page.get_by_test_id("upload-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("已上传")
    expect(rows.nth(1)).to_contain_text("已上传")
    photo = EvidenceItem.objects.get(original_name="劝导现场.jpg")
    plan = EvidenceItem.objects.get(original_name="文明交通宣传工作方案.pdf")
    assert (photo.category, plan.category) == ("照片", "其他")  # nothing proposed 照片 for the PDF

    page.get_by_test_id("caption-link").click()
    cards = page.get_by_test_id("caption-card")
    expect(cards).to_have_count(2)
    photo_card, plan_card = page.locator(f"#card-{photo.pk}"), page.locator(f"#card-{plan.pk}")
    expect(photo_card.locator(f"#id_i{photo.pk}-category option")).to_contain_text(["照片"])
    expect(plan_card.locator(f"#id_i{plan.pk}-category option", has_text="照片")).to_have_count(0)

    page.fill(f"#id_i{photo.pk}-subject", "文明交通志愿劝导")
    page.fill(f"#id_i{photo.pk}-place", "人民路与解放路交叉口")
    page.select_option(f"#id_i{photo.pk}-category", "活动")
    choose_standard(photo_card, "宣传教育", "文明交通宣传教育")
    photo_card.get_by_test_id("save-caption").click()
    expect(photo_card.get_by_test_id("saved")).to_be_visible()

    page.fill(f"#id_i{plan.pk}-subject", "湖滨街道文明交通宣传工作方案")
    page.fill(f"#id_i{plan.pk}-formed_on", "2026-03-02")
    page.select_option(f"#id_i{plan.pk}-category", "计划")
    choose_standard(plan_card, "2.3.1", "文明交通宣传教育")
    plan_card.get_by_test_id("save-caption").click()
    expect(plan_card.get_by_test_id("saved")).to_be_visible()
    if viewport is PHONE:
        no_sideways_scroll(page, PHONE["width"])
    shot(page, "captioned")

    page.get_by_test_id("submit-all").click()
    expect(page.get_by_text("已提交审核 2 份资料")).to_be_visible()
    shot(page, "submitted")
    assert sorted(EvidenceItem.objects.values_list("status", flat=True)) == ["submitted", "submitted"]
    assert EvidenceItem.objects.get(pk=plan.pk).category == "计划"


def test_street_archivist_sees_what_her_district_still_lacks(login_page, archivist_a, office_clerk, city,
                                                             live_server, settings, tmp_path, shot):
    settings.MEDIA_ROOT = tmp_path
    framework = make_framework()
    Responsibility.objects.create(indicator=framework.material.parent.parent, lead_unit=city.east)
    item = evidence_store(file=SimpleUploadedFile("a.jpg", samples.jpeg()), name="劝导.jpg", uploader=archivist_a,
                          unit=city.unit_a, category="活动", indicators=[framework.material],
                          subject="湖滨街道文明交通劝导", place="人民路口")
    evidence_review(actor=office_clerk, item=evidence_submit(actor=archivist_a, item=item), approve=True)

    page = login_page(archivist_a)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/archives/ledger/")
    expect(page.get_by_test_id("supplied-gaps")).to_contain_text("1")
    page.get_by_text("上级单位负责、缺材料的标准").click()
    row = page.get_by_test_id("supplier-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("东湖区")
    expect(row).to_contain_text("2.3.1 缺少：计划")
    expect(row).to_contain_text("本单位已提供 1 份")
    shot(page, "completeness")

    row.get_by_role("link", name="提交表").click()
    expect(page.get_by_test_id("supplier-note")).to_contain_text("这里只读")
    expect(page.get_by_test_id("materials")).to_contain_text("湖滨街道文明交通劝导")
    expect(page.get_by_test_id("submission-missing")).to_contain_text("计划")
    expect(page.get_by_role("button", name="保存提交表")).to_have_count(0)
    shot(page, "submission")
