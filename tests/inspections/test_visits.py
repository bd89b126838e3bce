"""Visits: start, save and resume, photos one by one (EXIF kept), submit rules, who may edit."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from archives.models import EvidenceItem
from inspections import services
from inspections.models import Finding, Visit, VisitPhoto

from .kit import make_round, upload, visit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(field, office_clerk, inspector, inspector2):
    return make_round(actor=office_clerk, inspectors=[inspector, inspector2], sites=[field.site_a, field.site_b])


def lines(visit):
    return list(visit.results.order_by("number"))


def test_a_draft_is_saved_and_resumed(rnd, field, inspector, client_for):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a, latitude="30.6001", longitude="114.3")
    assert visit.latitude == Decimal("30.600100") and visit.results.count() == 4
    first = lines(visit)[0]
    client = client_for(inspector)
    answer = client.post(reverse("inspections:visit_autosave", args=[visit.pk]),
                         {f"r{first.pk}": "failed", f"n{first.pk}": "地面有烟头"})
    assert answer.status_code == 200 and answer.json()["label"].startswith("已保存")
    again = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    assert again == visit
    first.refresh_from_db()
    assert (first.result, first.note) == ("failed", "地面有烟头")
    page = client.get(reverse("inspections:visit_capture", args=[visit.pk])).content.decode()
    assert "地面有烟头" in page and 'capture="environment"' in page and 'accept="image/*"' in page


def test_photos_upload_one_by_one_and_keep_exif_time_and_gps(rnd, field, inspector, client_for):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    line = lines(visit)[1]
    response = client_for(inspector).post(reverse("inspections:photo_upload", args=[visit.pk]), {
        "line": line.pk, "photo": upload("IMG_0001.jpg", taken="2026:11:20 09:30:00", gps=(30.6, 114.3)),
    })
    data = response.json()
    assert response.status_code == 200 and data["taken_at"] == "2026-11-20 09:30"
    photo = VisitPhoto.objects.get(pk=data["id"])
    item = photo.evidence
    assert item.kind == EvidenceItem.Kind.PHOTO and item.category == "照片"
    assert item.gps_lat == Decimal("30.600000") and round(item.gps_lon, 4) == Decimal("114.3000")
    assert item.place.startswith("人民广场") and line.indicator in item.indicators.all()
    thumb = client_for(inspector).get(data["thumb"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


def test_a_non_photo_is_refused_and_nothing_is_attached(rnd, field, inspector, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    response = client_for(inspector).post(reverse("inspections:photo_upload", args=[visit.pk]), {
        "line": lines(visit)[0].pk, "photo": SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg")})
    assert response.status_code == 400 and response.json()["error"]
    assert not VisitPhoto.objects.exists()


def test_submit_needs_every_item_and_a_photo_for_each_failure(rnd, field, inspector):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    first, second, *rest = lines(visit)
    services.visit_save(actor=inspector, visit=visit, answers={first.pk: {"result": "failed"}})
    with pytest.raises(ValidationError, match=r"还有 3 项未检查（第 2、3、4 项）"):
        services.visit_submit(actor=inspector, visit=visit)
    services.visit_save(actor=inspector, visit=visit, answers={line.pk: {"result": "met"} for line in [second, *rest]})
    with pytest.raises(ValidationError, match="第 1 项还没有照片"):
        services.visit_submit(actor=inspector, visit=visit)
    visit.refresh_from_db()
    assert visit.is_draft and not Finding.objects.exists()
    services.visit_add_photo(actor=inspector, visit=visit, line=first, file=upload())
    services.visit_submit(actor=inspector, visit=visit)
    visit.refresh_from_db()
    assert not visit.is_draft and (visit.points_met, visit.points_applicable) == (9, 10)
    assert Finding.objects.get().photos.count() == 1


def test_only_the_inspector_edits_their_visit(rnd, field, inspector, inspector2, client_for):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    with pytest.raises(ValidationError, match="已由 赵海燕 检查"):
        services.visit_start(actor=inspector2, round=rnd, site=field.site_a)
    with pytest.raises(PermissionDenied):
        services.visit_save(actor=inspector2, visit=visit, answers={})
    client = client_for(inspector2)
    line = lines(visit)[0]
    assert client.post(reverse("inspections:visit_autosave", args=[visit.pk]), {f"r{line.pk}": "met"}).status_code == 403
    assert client.get(reverse("inspections:visit_capture", args=[visit.pk])).status_code == 302  # read-only view


def test_submitted_visits_are_frozen(rnd, field, inspector):
    visit = visit_with(rnd, field.site_a, inspector, ["met"] * 4)
    with pytest.raises(ValidationError, match="已经提交"):
        services.visit_save(actor=inspector, visit=visit, answers={})


def test_the_form_posts_without_javascript(rnd, field, inspector, client_for):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    data = {f"r{line.pk}": "met" for line in lines(visit)}
    failed = lines(visit)[2]
    data.update({f"r{failed.pk}": "failed", f"n{failed.pk}": "公厕无人保洁", f"p{failed.pk}": upload(),
                 "action": "submit"})
    response = client_for(inspector).post(reverse("inspections:visit_capture", args=[visit.pk]), data)
    visit.refresh_from_db()
    assert response.status_code == 302 and not visit.is_draft
    assert Finding.objects.get().note == "公厕无人保洁"


def test_a_refused_submission_keeps_what_was_sent(rnd, field, inspector, client_for):
    visit = services.visit_start(actor=inspector, round=rnd, site=field.site_a)
    first = lines(visit)[0]
    client = client_for(inspector)
    client.post(reverse("inspections:visit_capture", args=[visit.pk]),
                {f"r{first.pk}": "na", f"n{first.pk}": "无此设施", "action": "submit"})
    first.refresh_from_db()
    assert (first.result, first.note) == ("na", "无此设施")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DRAFT


def test_the_report_page_and_its_export(rnd, field, inspector, office_clerk, client_for):
    visit_with(rnd, field.site_a, inspector, ["met", "failed", "na", "met"])
    client = client_for(office_clerk)
    page = client.get(reverse("inspections:round_report", args=[rnd.pk])).content.decode()
    assert "71.4%" in page and "不适用" in page and "并列同一名次" in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("inspections:round_report_xlsx", args=[rnd.pk])).content))
    assert sheet["总体情况"]["B7"].value == pytest.approx(71.4)
    assert "按点位类型" in sheet.sheetnames and "红黑榜" in sheet.sheetnames


def test_home_cards_for_inspector_and_office(rnd, field, inspector, office_clerk, client_for):
    cards = {c["label"]: c["count"] for c in client_for(inspector).get("/").context["todos"]}
    assert cards["待完成的点位检查"] == 2
    visit_with(rnd, field.site_a, inspector, ["failed", "met", "met", "met"])
    cards = {c["label"]: c["count"] for c in client_for(inspector).get("/").context["todos"]}
    assert cards["待完成的点位检查"] == 1
    office_cards = {c["label"]: c["count"] for c in client_for(office_clerk).get("/").context["todos"]}
    assert office_cards["待转交办的问题"] == 1


def test_pages_render_for_their_roles(rnd, field, inspector, office_clerk, leader, client_for):
    visit = visit_with(rnd, field.site_a, inspector, ["failed", "met", "met", "met"])
    for user, names in [
        (inspector, ["inspections:index", "inspections:my_visits", "inspections:finding_list"]),
        (office_clerk, ["inspections:index", "inspections:finding_list", "inspections:recheck_list",
                        "inspections:checklist_list", "inspections:round_create"]),
        (leader, ["inspections:index"]),
    ]:
        client = client_for(user)
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (user, name)
    client = client_for(office_clerk)
    detail = client.get(reverse("inspections:round_detail", args=[rnd.pk])).content.decode()
    assert "一键交办（1）" in detail and "人民广场" in detail
    assert "交办" in client.get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()
    assert client_for(inspector).get(reverse("inspections:visit_pick", args=[rnd.pk])).status_code == 200
