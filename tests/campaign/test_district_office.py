"""区创文办 in the permission table and the scoping: a district office shares the office's work
within its district; the city's reference data, calendar, imports and health stay the city's."""

import pytest
from django.urls import reverse

from campaign.access import CAN, can, handing_path, manages, office_over
from campaign.models import OrgUnit, Oversight, Role, Site, SiteType
from tests.factories import make_task, oversee, person
from tests.tasks.lifecycle_kit import later, reference

pytestmark = pytest.mark.django_db

SHARED = ["portal.use", "tasks.list", "tasks.create", "tasks.chase", "inspections.view", "inspections.capture",
          "inspections.manage", "inspections.findings_menu", "reports.dossiers", "reports.build",
          "reports.dashboard", "reports.summaries", "reports.bulletins", "oversight.list"]
CITY_ONLY = ["reference.edit", "reference.route", "calendar.edit", "imports.use", "health.view",
             "inspections.checklists", "archives.review", "reports.dashboard_refresh", "reports.publish"]


def test_the_table_gives_the_district_office_the_offices_work_but_not_the_citys_reference(district_clerk):
    assert set(SHARED) | set(CITY_ONLY) <= set(CAN)
    assert all(can(district_clerk, name) for name in SHARED)
    assert not any(can(district_clerk, name) for name in CITY_ONLY)
    assert Role.DISTRICT_OFFICE.label == "区创文办工作人员" and not district_clerk.is_office


def test_city_only_pages_refuse_the_district_office(district_clerk, client_for):
    client = client_for(district_clerk)
    for url in (reverse("campaign:health"), reverse("reference:framework_create"), reverse("imports:index"),
                reverse("reference:site_create"), reverse("reference:oversight_create"),
                reverse("inspections:checklist_list")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reference:calendar_add"), {"date": "2030-01-02", "kind": "holiday"}).status_code == 403
    for url in (reverse("tasks:create"), reverse("tasks:bulk_upload"), reverse("inspections:round_create"),
                reverse("reports:dashboard")):
        assert client.get(url).status_code == 200, url


def test_office_over_and_manages(city, district_clerk, office_clerk, leader):
    assert office_over(district_clerk, city.east) and office_over(district_clerk, city.community_a)
    assert not office_over(district_clerk, city.north) and not office_over(district_clerk, city.unit_b)
    assert not office_over(district_clerk, city.bureau) and not office_over(leader, city.unit_a)
    assert office_over(office_clerk, city.unit_b)
    assert handing_path(district_clerk, city.community_a) == city.east.path
    assert handing_path(district_clerk, city.unit_b) is None and handing_path(office_clerk, city.unit_a) is None
    ref = reference(city)
    by_city = make_task(ref, actor=office_clerk, unit=city.unit_a, due=later(10))
    by_district = make_task(ref, actor=district_clerk, unit=city.unit_a, due=later(10))
    assert manages(office_clerk, by_city) and manages(office_clerk, by_district)
    assert manages(district_clerk, by_district) and not manages(district_clerk, by_city)


def test_a_district_office_sees_its_districts_units_sites_and_oversight(city, district_clerk, leader):
    assert set(OrgUnit.objects.visible_to(district_clerk)) == {city.east, city.unit_a, city.community_a}
    square = SiteType.objects.get_or_create(code="square", defaults={"name": "公共广场"})[0]
    east_site = Site.objects.create(name="人民广场", site_type=square, district=city.east, street=city.unit_a)
    Site.objects.create(name="江滩广场", site_type=square, district=city.north, street=city.unit_b)
    assert list(Site.objects.visible_to(district_clerk)) == [east_site]
    other = person("leader_b", Role.LEADER, city.bureau, "冯志远")
    (own,) = oversee(leader, city.unit_a)
    oversee(other, city.unit_b)
    assert list(Oversight.objects.visible_to(district_clerk)) == [own]
