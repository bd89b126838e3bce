"""点位 pages: the scoped list with filters, the site page, and the office's forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaign.models import Event, Site, SiteType

from .reference_data import row, site, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(city):
    return {
        "square": site(city, "中山广场", "公共广场", longitude=Decimal("114.305600"), latitude=Decimal("30.592800")),
        "market": site(city, "湖滨农贸市场", "集贸市场", is_chronic=True),
        "road": site(city, "人民路（解放路—建设路段）", "主次干道", adopting=city.bureau),
        "north": site(city, "江北市民广场", "公共广场", district=city.north, street=city.unit_b, adopting=city.unit_b),
    }


def names(response):
    return [s.name for s in response.context["page"].object_list]


def test_anonymous_users_are_sent_to_login(client, sites):
    for url in [reverse("reference:sites"), reverse("reference:site_detail", args=[sites["square"].pk]),
                reverse("reference:site_create"), reverse("reference:site_edit", args=[sites["square"].pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_a_liaison_sees_the_sites_of_their_unit_only(client_for, liaison_a, liaison_b, sites):
    assert set(names(client_for(liaison_a).get(reverse("reference:sites")))) == {
        "中山广场", "湖滨农贸市场", "人民路（解放路—建设路段）"}
    assert names(client_for(liaison_b).get(reverse("reference:sites"))) == ["江北市民广场"]


def test_office_filters_by_type_district_unit_chronic_and_words(client_for, office_clerk, sites, city):
    client = client_for(office_clerk)
    url = reverse("reference:sites")
    assert len(names(client.get(url))) == 4
    square = SiteType.objects.get(name="公共广场")
    assert set(names(client.get(url, {"type": square.pk}))) == {"中山广场", "江北市民广场"}
    assert names(client.get(url, {"district": city.north.pk})) == ["江北市民广场"]
    assert names(client.get(url, {"unit": city.bureau.pk})) == ["人民路（解放路—建设路段）"]
    assert names(client.get(url, {"chronic": "1"})) == ["湖滨农贸市场"]
    assert names(client.get(url, {"q": "人民路"})) == ["人民路（解放路—建设路段）"]
    assert "没有符合条件的点位" in client.get(url, {"q": "不存在"}).content.decode()


def test_site_list_is_paginated(client_for, office_clerk, city):
    for n in range(55):
        site(city, f"背街小巷{n:02d}", "背街小巷")
    client = client_for(office_clerk)
    page = client.get(reverse("reference:sites")).context["page"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    assert len(client.get(reverse("reference:sites"), {"page": 2}).context["page"].object_list) == 5


def test_another_units_site_is_not_found(client_for, liaison_a, sites):
    client = client_for(liaison_a)
    assert client.get(reverse("reference:site_detail", args=[sites["north"].pk])).status_code == 404
    assert client.get(reverse("reference:site_detail", args=[sites["square"].pk])).status_code == 200


def test_site_page_shows_details_coordinates_and_its_rows(client_for, office_clerk, sites, city):
    tree = small_tree()
    row(tree.cleaning, city.east, site=sites["square"], responsible=[city.unit_a])
    row(tree.bins, city.unit_b, site_type=tree.square)
    row(tree.stalls, city.bureau, site=sites["market"])  # another site's row
    page = client_for(office_clerk).get(reverse("reference:site_detail", args=[sites["square"].pk])).content.decode()
    for text in ["中山广场", "东湖区", "湖滨街道", "东经 114.305600°，北纬 30.592800°", "8.1.1", "道路保洁",
                 "8.1.2", "江北街道", "交办核对"]:
        assert text in page, text
    assert "占道经营" not in page


def test_office_creates_a_site_with_an_audit_event(client_for, office_clerk, city):
    square = SiteType.objects.get(name="公共广场")
    response = client_for(office_clerk).post(reverse("reference:site_create"), {
        "name": "人民广场", "site_type": square.pk, "district": city.east.pk, "street": city.unit_a.pk,
        "address": "东湖区人民路1号", "longitude": "114.31", "latitude": "30.6", "adopting_unit": city.unit_a.pk,
        "is_active": "on",
    })
    created = Site.objects.get(name="人民广场")
    assert response.status_code == 302 and response.url == reverse("reference:site_detail", args=[created.pk])
    assert created.longitude == Decimal("114.31") and created.adopting_unit == city.unit_a
    event = Event.objects.for_object(created).get()
    assert event.verb == "site.create" and event.actor == office_clerk


def test_bad_site_input_gets_chinese_messages_and_saves_nothing(client_for, office_clerk, sites, city):
    square = SiteType.objects.get(name="公共广场")
    base = {"name": "新广场", "site_type": square.pk, "district": city.east.pk, "street": city.unit_b.pk,
            "longitude": "30.59", "latitude": "114.30", "is_active": "on"}
    page = client_for(office_clerk).post(reverse("reference:site_create"), base).content.decode()
    assert "“江北街道”不属于东湖区" in page
    assert "经度应在 73～136 度之间" in page and "纬度应在 3～54 度之间" in page
    duplicate = client_for(office_clerk).post(reverse("reference:site_create"),
                                              {**base, "name": "中山广场", "street": "", "longitude": "",
                                               "latitude": ""}).content.decode()
    assert "东湖区已有名为“中山广场”的点位" in duplicate
    half = client_for(office_clerk).post(reverse("reference:site_create"),
                                         {**base, "street": "", "longitude": "114.3", "latitude": ""})
    assert "经度和纬度需要同时填写" in half.content.decode()
    assert Site.objects.count() == 4 and not Event.objects.exists()


def test_office_edits_a_site_and_the_timeline_shows_it(client_for, office_clerk, sites, city):
    s = sites["square"]
    client = client_for(office_clerk)
    response = client.post(reverse("reference:site_edit", args=[s.pk]), {
        "name": "中山广场", "site_type": s.site_type_id, "district": city.east.pk, "street": city.unit_a.pk,
        "address": "", "longitude": "114.305600", "latitude": "30.592800", "adopting_unit": city.bureau.pk,
        "is_active": "on", "is_chronic": "on",
    })
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.is_chronic and s.adopting_unit == city.bureau
    page = client.get(reverse("reference:site_detail", args=[s.pk])).content.decode()
    assert "修改点位：中山广场" in page and "顽疾点位：否 → 是" in page and "包保单位：湖滨街道 → 市城市管理局" in page


def test_only_office_staff_create_or_edit_sites(client_for, liaison_a, inspector, leader, sites):
    for user in (liaison_a, inspector, leader):
        client = client_for(user)
        assert client.get(reverse("reference:site_create")).status_code == 403
        assert client.post(reverse("reference:site_edit", args=[sites["square"].pk]), {"name": "x"}).status_code == 403
    assert Site.objects.get(pk=sites["square"].pk).name == "中山广场"
