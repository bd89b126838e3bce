"""New rounds, checklist versions, visits and handed-over findings are made once, however often
the form is posted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Checklist, InspectionRound, Visit
from tasks.models import RectificationTask

from ..twice import assert_second_went_to_first, form_token, post_twice
from .kit import make_round, visit_with

pytestmark = pytest.mark.django_db


def test_a_new_round_posted_twice_is_created_once(client_for, office_clerk, inspector, field):
    client = client_for(office_clerk)
    url = reverse("inspections:round_create")
    today = timezone.localdate()
    data = {"name": "12月督查", "kind": "督查", "start_date": today, "end_date": today + timedelta(days=3),
            "inspectors": [inspector.pk], "sample_mode": "explicit", "sites_text": "人民广场\n江北区/江滩广场"}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert InspectionRound.objects.filter(name="12月督查").count() == 1


def test_a_checklist_revision_posted_twice_makes_one_version(client_for, office_clerk, field):
    client = client_for(office_clerk)
    url = reverse("inspections:checklist_edit", args=[field.checklist.pk])
    data = {"items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "4", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "name": "公共广场检查表", "note": "第3项改为2分"}
    for n, item in enumerate(field.checklist.items.all()):
        data.update({f"items-{n}-text": item.text, f"items-{n}-indicator": item.indicator_id,
                     f"items-{n}-points": item.points, f"items-{n}-ORDER": item.number})
    data["items-2-points"] = "2"
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Checklist.objects.filter(site_type=field.square).count() == 2  # version 1 and one version 2


def test_starting_a_visit_twice_opens_the_same_visit(client_for, office_clerk, inspector, field):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    client = client_for(inspector)
    url = reverse("inspections:visit_start", args=[rnd.pk, field.site_a.pk])
    first, second = client.post(url), client.post(url)
    visit = Visit.objects.get()
    assert first.url == second.url == reverse("inspections:visit_capture", args=[visit.pk])


def test_raising_a_finding_twice_hands_it_over_once(client_for, office_clerk, inspector, field):
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a])
    finding = visit_with(rnd, field.site_a, inspector, ["failed", "met", "met", "met"]).findings.get()
    client = client_for(office_clerk)
    url = reverse("inspections:finding_raise", args=[finding.pk])
    client.post(url)
    client.post(url)
    assert RectificationTask.objects.count() == 1
