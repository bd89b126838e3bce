"""The archives pages as each persona meets them: scope, roles, files served only through views."""

import io
import json
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from archives.models import EvidenceItem, SubmissionForm
from archives.services import evidence_review, evidence_store, evidence_submit
from campaign.models import Event

from ..factories import stored_files
from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(media, archivist_a, city, framework):
    return evidence_store(file=SimpleUploadedFile("upload", samples.jpeg(orientation=6)), name="文明交通 劝导.jpg",
                          uploader=archivist_a, unit=city.unit_a, category="活动", indicators=[framework.material],
                          subject="文明交通劝导", place="人民路口")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_serves_the_original_bytes_with_safe_headers(client_for, archivist_a, photo, media):
    response = client_for(archivist_a).get(reverse("archives:download", args=[photo.pk]))
    assert response.status_code == 200
    assert body(response) == (media / photo.file.name).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and f"filename*=utf-8''{quote('文明交通 劝导.jpg')}" in disposition


def test_files_are_scoped_like_everything_else(client, client_for, photo, liaison_b, leader, office_clerk, assessor):
    urls = [reverse(name, args=[photo.pk]) for name in ("archives:download", "archives:print", "archives:thumb",
                                                        "archives:detail")]
    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for other in (liaison_b, leader):
        c = client_for(other)
        assert all(c.get(url).status_code == 404 for url in urls)
    for allowed in (office_clerk, assessor):
        assert client_for(allowed).get(urls[0]).status_code == 200


def test_media_root_has_no_url(client_for, office_clerk, photo, settings):
    response = client_for(office_clerk).get(f"{settings.MEDIA_URL}{photo.file.name}")
    assert response.status_code == 404


def test_print_view_makes_the_upright_rendition_on_demand(client_for, archivist_a, photo, media):
    assert photo.print_file.name == ""
    response = client_for(archivist_a).get(reverse("archives:print", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "inline" in response["Content-Disposition"]
    from PIL import Image

    assert Image.open(io.BytesIO(body(response))).size == (600, 800)
    photo.refresh_from_db()
    assert photo.print_file.name and photo.thumb_file.name


def test_upload_endpoint_stores_a_good_file_and_explains_a_bad_one(client_for, archivist_a, city, media):
    c = client_for(archivist_a)
    url = reverse("archives:upload_file")
    good = c.post(url, {"unit": city.unit_a.pk, "category": "活动", "file": SimpleUploadedFile("a.jpg", samples.jpeg())})
    assert good.status_code == 200 and good.json()["ok"] and good.json()["message"] == "已上传"
    item = EvidenceItem.objects.get(pk=good.json()["id"])
    assert item.unit == city.unit_a and item.category == "活动"
    before = stored_files(media)
    bad = c.post(url, {"unit": city.unit_a.pk, "file": SimpleUploadedFile("b.jpg", b"<html><script>x</script>")})
    assert bad.status_code == 400 and not bad.json()["ok"] and "网页" in bad.json()["error"]
    assert stored_files(media) == before and EvidenceItem.objects.count() == 1
    again = c.post(url, {"unit": city.unit_a.pk, "file": SimpleUploadedFile("c.jpg", samples.jpeg())})
    assert again.json()["reused"] and again.json()["id"] == item.pk and "未重复保存" in again.json()["message"]


def test_upload_endpoint_only_accepts_the_users_units(client_for, archivist_a, city, media):
    response = client_for(archivist_a).post(reverse("archives:upload_file"),
                                            {"unit": city.unit_b.pk, "file": SimpleUploadedFile("a.jpg", samples.jpeg())})
    assert response.status_code == 400 and "本单位" in json.loads(response.content)["error"]
    assert not EvidenceItem.objects.exists() and stored_files(media) == []


def test_a_browser_cannot_smuggle_a_path_into_the_name(client_for, archivist_a, city, media):
    upload = SimpleUploadedFile("x.jpg", samples.jpeg())
    upload.name = "../../etc/x.jpg"  # the multipart parser strips folders before we see the name
    response = client_for(archivist_a).post(reverse("archives:upload_file"), {"unit": city.unit_a.pk, "file": upload})
    assert EvidenceItem.objects.get(pk=response.json()["id"]).original_name == "x.jpg"
    assert all(name.startswith("evidence/") for name in stored_files(media))


def test_roles_that_may_not_upload_get_403(client_for, leader, assessor, outsider):
    for user in (leader, assessor, outsider):
        c = client_for(user)
        assert c.get(reverse("archives:upload")).status_code == 403
        assert c.post(reverse("archives:upload_file"), {}).status_code == 403
    assert client_for(outsider).get(reverse("archives:index")).status_code == 403


def test_caption_card_saves_through_htmx(client_for, archivist_a, photo, framework):
    prefix = f"i{photo.pk}-"
    data = {f"{prefix}subject": "文明交通志愿劝导", f"{prefix}place": "人民路与解放路交叉口", f"{prefix}people": "志愿者 12 人",
            f"{prefix}reason": "早高峰劝导行人", f"{prefix}category": "活动", f"{prefix}year": "2026",
            f"{prefix}taken_at": "2026-05-12T09:30", f"{prefix}indicators": [framework.material.pk]}
    response = client_for(archivist_a).post(reverse("archives:caption", args=[photo.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已保存" in response.content.decode()
    photo.refresh_from_db()
    assert photo.place == "人民路与解放路交叉口" and photo.people == "志愿者 12 人"
    bad = client_for(archivist_a).post(reverse("archives:caption", args=[photo.pk]),
                                       {**data, f"{prefix}formed_on": "2999-01-01"}, HTTP_HX_REQUEST="true")
    assert "形成日期不能晚于今天" in bad.content.decode()


def test_other_units_items_cannot_be_captioned_or_submitted(client_for, liaison_b, head_a, leader, photo):
    for url in (reverse("archives:caption", args=[photo.pk]), reverse("archives:submit", args=[photo.pk])):
        assert client_for(liaison_b).post(url, {}).status_code == 404
    # The unit head may file for the unit; a leader who sees it may not edit.
    assert client_for(head_a).get(reverse("archives:caption", args=[photo.pk])).status_code == 200


def test_batch_caption_page_prefills_the_exif_time(client_for, archivist_a, photo):
    page = client_for(archivist_a).get(f"{reverse('archives:caption_batch')}?ids={photo.pk}").content.decode()
    local = timezone.localtime(photo.taken_at)
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in page and "文明交通劝导" in page


def test_review_queue_approve_and_return(client_for, office_clerk, archivist_a, photo):
    evidence_submit(actor=archivist_a, item=photo)
    c = client_for(office_clerk)
    queue = c.get(reverse("archives:review_queue")).content.decode()
    assert "文明交通劝导" in queue
    c.post(reverse("archives:review", args=[photo.pk]), {"action": "return", "reason": ""})
    photo.refresh_from_db()
    assert photo.status == "submitted"
    c.post(reverse("archives:review", args=[photo.pk]), {"action": "return", "reason": "缺少人物"})
    photo.refresh_from_db()
    assert photo.status == "returned" and photo.return_reason == "缺少人物"
    assert client_for(archivist_a).post(reverse("archives:review", args=[photo.pk]),
                                        {"action": "approve"}).status_code == 403


def test_bulk_approve_from_the_queue(client_for, office_clerk, archivist_a, photo):
    evidence_submit(actor=archivist_a, item=photo)
    client_for(office_clerk).post(reverse("archives:approve_many"), {"ids": [photo.pk]})
    photo.refresh_from_db()
    assert photo.status == "approved" and photo.reviewed_by == office_clerk


def test_detail_page_shows_caption_versions_and_history(client_for, archivist_a, photo):
    page = client_for(archivist_a).get(reverse("archives:detail", args=[photo.pk])).content.decode()
    assert "人民路口" in page and "2.3.1" in page and photo.sha256 in page
    assert "上传照片" in page  # the audit timeline
    assert reverse("archives:print", args=[photo.pk]) in page


def test_list_filters_by_standard_status_and_text(client_for, office_clerk, archivist_a, photo, framework):
    c = client_for(office_clerk)
    assert "文明交通劝导" in c.get(reverse("archives:list"), {"standard": "2.3.1"}).content.decode()
    assert "文明交通劝导" in c.get(reverse("archives:list"), {"standard": "2"}).content.decode()  # a branch
    assert "文明交通劝导" not in c.get(reverse("archives:list"), {"status": "approved"}).content.decode()
    assert "文明交通劝导" in c.get(reverse("archives:list"), {"q": "人民路"}).content.decode()
    unknown = c.get(reverse("archives:list"), {"standard": "9.9.9"}).content.decode()
    assert "没有编号为 9.9.9" in unknown


def test_ledger_shows_counts_by_standard_and_the_gap(client_for, archivist_a, photo, duty_a):
    page = client_for(archivist_a).get(reverse("archives:index")).content.decode()
    assert "湖滨街道" in page and "2.3.1" in page and "本单位负责" in page
    assert "计划" in page  # the missing approved category is named


def test_completeness_page_and_excel_export(client_for, office_clerk, archivist_a, photo, duty_a):
    evidence_review(actor=office_clerk, item=evidence_submit(actor=archivist_a, item=photo), approve=True)
    c = client_for(office_clerk)
    assert "2.3.1 缺少：计划" in c.get(reverse("archives:completeness")).content.decode()
    export = c.get(reverse("archives:completeness"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0][:2] == ("湖滨街道", "2.3.1") and rows[0][6] == "计划"


def test_submission_form_is_filled_by_the_unit_and_printable(client_for, archivist_a, liaison_b, city, framework, photo):
    url = reverse("archives:submission", args=[city.unit_a.pk, framework.material.pk])
    c = client_for(archivist_a)
    c.post(url, {"self_assessment": "按计划开展文明交通宣传。", "conclusion": "基本达标"})
    form = SubmissionForm.objects.get(unit=city.unit_a, indicator=framework.material)
    assert form.conclusion == "基本达标" and form.updated_by == archivist_a
    assert Event.objects.filter(verb="submission.save").exists()
    printed = c.get(reverse("archives:submission_print", args=[city.unit_a.pk, framework.material.pk])).content.decode()
    assert "测评材料提交表" in printed and "按计划开展文明交通宣传。" in printed and "☑ 基本达标" in printed
    assert client_for(liaison_b).get(url).status_code == 404


def test_home_shows_review_and_returned_cards(client_for, office_clerk, archivist_a, photo):
    evidence_submit(actor=archivist_a, item=photo)
    office_cards = {t["label"]: t["count"] for t in client_for(office_clerk).get("/").context["todos"]}
    assert office_cards["待审核资料"] == 1
    evidence_review(actor=office_clerk, item=photo, approve=False, reason="请补充人物")
    archivist_cards = {t["label"]: t["count"] for t in client_for(archivist_a).get("/").context["todos"]}
    assert archivist_cards["被退回的资料"] == 1


def test_navigation_entries_follow_roles(client_for, office_clerk, archivist_a, leader):
    def labels(user):
        return {e["label"] for g in client_for(user).get("/").context["nav_menu"] for e in g["entries"]}

    assert {"台账资料", "上传资料", "资料检索", "资料审核", "完整性"} <= labels(office_clerk)
    archivist = labels(archivist_a)
    assert {"台账资料", "上传资料", "完整性"} <= archivist and "资料审核" not in archivist
    assert "上传资料" not in labels(leader) and "完整性" in labels(leader)


def test_list_queries_do_not_grow_with_the_rows(client_for, office_clerk, archivist_a, city, framework, media):
    def add(n, start):
        for i in range(start, start + n):
            evidence_store(file=SimpleUploadedFile("p.pdf", samples.pdf(1) + str(i).encode()), uploader=archivist_a,
                           unit=city.unit_a, category="计划", indicators=[framework.material], subject=f"计划{i}")

    c = client_for(office_clerk)
    add(2, 0)
    c.get(reverse("archives:list"))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("archives:list"))
    add(12, 2)
    with CaptureQueriesContext(connection) as many:
        page = c.get(reverse("archives:list")).content.decode()
    assert "计划13" in page
    assert len(many) == len(few)
