"""The audit trail reads in Chinese: field labels, choice labels, 是/否, Beijing time, names of related
rows, （空） for nothing, whoever wrote the row and however old it is."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from campaign.models import Event, Framework, Indicator, Site, SiteType
from campaign.services import event_record
from tasks.services import task_transition

from ..factories import UserFactory, make_task
from ..tasks.lifecycle_kit import photo_upload, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_every_kind_of_field_reads_in_chinese(city, office_clerk):
    framework = Framework.objects.create(name="测评体系", year=2021, is_active=True)
    square, park = SiteType.objects.get_or_create(code="square", defaults={"name": "公共广场"})[0], \
        SiteType.objects.get_or_create(code="park", defaults={"name": "公园"})[0]
    indicator = Indicator.objects.create(framework=framework, level=4, code="5.1.1", name="主次干道无乱停乱放")
    signed_utc = datetime(2026, 12, 3, 2, 21, 33, tzinfo=UTC)

    event = event_record(actor=office_clerk, verb="test", target=indicator, summary="逐项检查", changes={
        "name": ["果皮箱设置", "果皮箱设置与清运"],          # text
        "text": ["", "每 50 米一个"],                       # empty text
        "level": [3, 4],                                    # integer choices
        "methods": [["实地考察"], ["实地考察", "材料审核"]],  # array of choices
        "is_negative": [False, True],                       # boolean
        "points": [None, Decimal("2.50")],                  # nothing → decimal
        "framework": [None, framework],                     # foreign key, as the row
        "parent_id": [None, indicator.pk],                  # foreign key, as its id
        "site_types": [[], [square, park]],                 # many-to-many
        "sort_order": [0, 3],                               # plain number
    })
    assert event.changes == {
        "名称": ["果皮箱设置", "果皮箱设置与清运"],
        "标准内容": ["（空）", "每 50 米一个"],
        "层级": ["测评内容", "测评标准"],
        "测评方法": ["实地考察", "实地考察、材料审核"],
        "负面清单": ["否", "是"],
        "分值/权重": ["（空）", "2.50"],
        "测评体系": ["（空）", "测评体系（2021）"],
        "上级": ["（空）", str(indicator)],
        "适用点位类型": ["（空）", "公共广场、公园"],
        "排序": ["0", "3"],
    }
    moment = event_record(actor=office_clerk, verb="test", target=framework, summary="时间",
                          changes={"created_at": [None, signed_utc], "note": ["旧", None]})
    assert moment.changes == {"创建时间": ["（空）", "2026-12-03 10:21"], "说明": ["旧", "（空）"]}


def test_text_choices_and_switches_read_as_labels(city, office_clerk):
    event = event_record(actor=office_clerk, verb="test", target=city.unit_a, summary="修改单位", changes={
        "kind": ["street", "community"], "is_active": [True, False], "phone": ["0710-1", ""]})
    assert event.changes == {"类型": ["街道/乡镇", "社区/村"], "启用": ["是", "否"], "办公电话": ["0710-1", "（空）"]}


def test_closing_a_task_shows_on_time_as_yes_in_its_trail(city, office_clerk, liaison_a, leader, media, client_for):
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a, leader=leader)
    task_transition(task=task, actor=liaison_a, action="sign")
    task_transition(task=task, actor=liaison_a, action="request_extension", note="施工中",
                    proposed_date=date(2099, 1, 5))
    task_transition(task=task, actor=office_clerk, action="approve_extension")
    task_transition(task=task, actor=liaison_a, action="submit", note="已整改", files=[photo_upload()])
    task_transition(task=task, actor=office_clerk, action="approve")

    page = client_for(office_clerk).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "按期销号：（空） → 是" in page
    assert "申请延至：2099-01-05" in page
    assert "延期次数：0 → 1" in page
    for raw in ("True", "closed_on_time", "proposed_date", "extension_count", "+00:00"):
        assert raw not in page


def test_rows_written_raw_before_read_the_same(city, office_clerk, leader, client_for):
    task = make_task(reference(city, leader=leader), actor=office_clerk, unit=city.unit_a, leader=leader)
    Event.objects.create(actor=office_clerk, verb="task.approve", target=task, target_repr=str(task),
                         summary="核查通过销号", changes={
                             "closed_on_time": [None, True], "state": ["submitted", "closed"],
                             "closed_at": [None, "2026-12-03 02:21:33+00:00"], "review_date": "2027-01-04"})
    page = client_for(office_clerk).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "按期销号：（空） → 是" in page
    assert "状态：待核查 → 已销号" in page
    assert "销号时间：（空） → 2026-12-03 10:21" in page
    assert "挂账复核日期：2027-01-04" in page
    assert "True" not in page and "+00:00" not in page and "：2 → 0" not in page


def test_an_admin_edit_records_before_and_after_in_chinese(client, city):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(f"/admin/campaign/orgunit/{city.unit_a.pk}/change/", {
        "name": "湖滨街道", "short_name": "", "kind": "community", "phone": "0710-1234567",
        "address": "", "sort_order": 0,
        "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.for_object(city.unit_a).get()
    assert event.changes["类型"] == ["街道/乡镇", "社区/村"]
    assert event.changes["启用"] == ["是", "否"]
    assert event.changes["办公电话"] == ["（空）", "0710-1234567"]
    assert "单位名称" not in event.changes  # unchanged fields are left out


def test_an_admin_edit_of_a_related_row_names_it(client, city):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    square = SiteType.objects.get_or_create(code="square", defaults={"name": "公共广场"})[0]
    site = Site.objects.create(name="人民广场", site_type=square, district=city.east, adopting_unit=city.unit_a)
    response = client.post(f"/admin/campaign/site/{site.pk}/change/", {
        "name": "人民广场", "site_type": square.pk, "district": city.north.pk, "street": "",
        "address": "", "longitude": "114.300000", "latitude": "", "adopting_unit": city.unit_a.pk,
        "is_active": "on", "recurring_since": "2026-11-24",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.for_object(site).get()
    assert event.changes["所属区"] == ["东湖区", "江北区"]
    assert event.changes["经度"] == ["（空）", "114.300000"]
    assert event.changes["反复出现标记日期"] == ["（空）", "2026-11-24"]
    assert "包保单位" not in event.changes


def test_the_admin_shows_an_audit_row_in_chinese(client, city, office_clerk):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    event = Event.objects.create(actor=office_clerk, verb="unit.update", target=city.unit_a, target_repr="湖滨街道",
                                 summary="修改单位", changes={"is_active": [True, False]})
    page = client.get(f"/admin/campaign/event/{event.pk}/change/").content.decode()
    assert "启用：是 → 否" in page
