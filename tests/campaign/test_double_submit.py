"""The reference-data create forms take effect once, however often they are posted."""

import pytest
from django.urls import reverse

from campaign.models import Event, Framework, Indicator, Oversight, Responsibility, Site, SiteType, TimeLimit

from ..twice import assert_second_went_to_first, form_token, post_twice
from .reference_data import small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(city):
    return small_tree()


def test_a_new_edition_posted_twice_is_created_once(client_for, office_clerk, tree):
    client = client_for(office_clerk)
    url = reverse("reference:framework_create")
    data = {"name": "江城市测评体系（2027年版）", "year": "2027", "note": ""}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Framework.objects.filter(year=2027).count() == 1


def test_a_new_indicator_posted_twice_is_created_once(client_for, office_clerk, tree):
    client = client_for(office_clerk)
    url = reverse("reference:indicator_create", args=[tree.framework.pk]) + f"?parent={tree.content.pk}"
    first, second = post_twice(client, url, {"code": "8.1.3", "name": "垃圾分类投放点整洁"}, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Indicator.objects.filter(code="8.1.3").count() == 1


def test_a_new_site_posted_twice_is_created_once(client_for, office_clerk, city):
    client = client_for(office_clerk)
    url = reverse("reference:site_create")
    data = {"name": "人民广场", "site_type": SiteType.objects.get(name="公共广场").pk, "district": city.east.pk,
            "street": city.unit_a.pk, "address": "东湖区人民路1号", "longitude": "114.31", "latitude": "30.6",
            "adopting_unit": city.unit_a.pk, "is_active": "on"}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Site.objects.filter(name="人民广场").count() == 1


def test_a_new_matrix_row_posted_twice_is_created_once(client_for, office_clerk, tree, city):
    client = client_for(office_clerk)
    url = reverse("reference:responsibility_create")
    data = {"indicator": tree.cleaning.pk, "site_type": "", "site": "", "leader": "", "lead_unit": city.bureau.pk,
            "responsible_units": [city.east.pk], "assisting_units": [city.unit_a.pk],
            "time_limit": TimeLimit.objects.get(name="3个工作日").pk, "deadline": "", "note": ""}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Responsibility.objects.filter(indicator=tree.cleaning).count() == 1


def test_a_new_oversight_posted_twice_is_created_once(client_for, office_clerk, leader, city):
    client = client_for(office_clerk)
    url = reverse("reference:oversight_create")
    data = {"leader": leader.pk, "unit": city.east.pk, "start": "2026-01-01", "end": "", "note": ""}
    first, second = post_twice(client, url, data, form_token(client, url))
    assert_second_went_to_first(first, second)
    assert Oversight.objects.filter(leader=leader, unit=city.east).count() == 1
    assert Event.objects.filter(verb="oversight.create").count() == 1
