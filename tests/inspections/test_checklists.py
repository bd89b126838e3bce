"""Checklists: versioned per site type; editing the active one writes a new version."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import Framework, Indicator
from inspections import services
from inspections.models import Checklist

from .kit import make_round, visit_with

pytestmark = pytest.mark.django_db


def items_of(checklist):
    return [{"text": i.text, "indicator": i.indicator, "points": i.points} for i in checklist.items.all()]


def test_revising_creates_a_new_version_and_old_visits_keep_theirs(field, office_clerk, inspector):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b])
    old_visit = visit_with(rnd, field.site_a, inspector, ["met", "met", "met", "met"])
    items = items_of(field.checklist)
    items[0]["points"] = Decimal(5)
    items.append({"text": "无障碍设施完好", "indicator": field.standards[3], "points": Decimal(1)})
    new = services.checklist_revise(actor=office_clerk, checklist=field.checklist, name="公共广场检查表",
                                    items=items, note="第1项调为5分，新增无障碍设施")
    field.checklist.refresh_from_db()
    assert new.version == 2 and new.is_active and new.replaces == field.checklist
    assert field.checklist.status == Checklist.Status.RETIRED
    assert field.checklist.items.count() == 4 and new.items.count() == 5
    old_visit.refresh_from_db()
    assert old_visit.checklist == field.checklist and old_visit.points_applicable == 10
    later = services.visit_start(actor=inspector, round=rnd, site=field.site_b)
    assert later.checklist == new and later.results.count() == 5
    assert later.results.get(number=1).points == 5


def test_a_retired_version_cannot_be_edited(field, office_clerk):
    services.checklist_revise(actor=office_clerk, checklist=field.checklist, name="x", items=items_of(field.checklist),
                              note="重排")
    with pytest.raises(ValidationError, match="历史版本"):
        services.checklist_revise(actor=office_clerk, checklist=field.checklist, name="x",
                                  items=items_of(field.checklist), note="再改")


def test_bad_items_are_refused_and_nothing_changes(field, office_clerk):
    not_a_standard = field.content
    other_framework = Framework.objects.create(name="旧版", year=2020)
    stray = Indicator.objects.create(framework=other_framework, level=4, code="9.9.9", name="旧标准")
    items = [{"text": "", "indicator": field.standards[0], "points": 1},
             {"text": "内容", "indicator": not_a_standard, "points": 1},
             {"text": "内容", "indicator": stray, "points": 0}]
    with pytest.raises(ValidationError) as error:
        services.checklist_revise(actor=office_clerk, checklist=field.checklist, name="x", items=items, note="改")
    message = error.value.messages[0]
    assert "第 1 项没有填写检查内容" in message and "第 2 项没有选择" in message and "第 3 项分值" in message
    assert Checklist.objects.count() == 1 and field.checklist.items.count() == 4


def test_revising_needs_a_note(field, office_clerk):
    with pytest.raises(ValidationError, match="修订说明"):
        services.checklist_revise(actor=office_clerk, checklist=field.checklist, name="x",
                                  items=items_of(field.checklist), note="")


def test_office_revises_through_the_form(client_for, office_clerk, field):
    client = client_for(office_clerk)
    page = client.get(reverse("inspections:checklist_edit", args=[field.checklist.pk]))
    assert "第1版 → 第2版" in page.content.decode()
    data = {"items-TOTAL_FORMS": "5", "items-INITIAL_FORMS": "4", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "name": "公共广场检查表", "note": "删去第4项，第3项改为2分"}
    for n, item in enumerate(field.checklist.items.all()):
        data.update({f"items-{n}-text": item.text, f"items-{n}-indicator": item.indicator_id,
                     f"items-{n}-points": item.points, f"items-{n}-ORDER": item.number})
    data["items-4-points"] = "1"  # the blank row as the browser sends it
    data["items-2-points"] = "2"
    data["items-3-DELETE"] = "on"
    response = client.post(reverse("inspections:checklist_edit", args=[field.checklist.pk]), data)
    new = Checklist.objects.get(status="active", site_type=field.square)
    assert response.status_code == 302 and new.version == 2
    assert [(i.number, i.points) for i in new.items.all()] == [(1, 1), (2, 2), (3, 2)]


def test_checklist_pages_are_for_the_office_only(client_for, field, assessor, inspector, office_clerk):
    for user in (assessor, inspector):
        client = client_for(user)
        assert client.get(reverse("inspections:checklist_list")).status_code == 403
        assert client.get(reverse("inspections:checklist_edit", args=[field.checklist.pk])).status_code == 403
    page = client_for(office_clerk).get(reverse("inspections:checklist_list")).content.decode()
    assert "公共广场检查表" in page and "编制检查表" in page  # other types have none yet
