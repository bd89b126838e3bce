"""区创文办 inspections: a district office runs rounds over its own district's sites, hands over the
findings of its rounds, and sees nothing of another district's rounds, visits or findings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaign.models import Responsibility, Role
from inspections import services
from inspections.models import Finding, InspectionRound, Visit
from tests.factories import person

from .kit import field_setup, make_round, visit_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = field_setup(city)
    # Standard S1 is place-bound here: the street where the square lies leads.
    Responsibility.objects.create(indicator=setup.standards[0], lead_unit=city.unit_a, time_limit=setup.limit)
    return setup


@pytest.fixture
def north_clerk(city):
    return person("north_clerk", Role.DISTRICT_OFFICE, city.north, "江北区创文办")


def test_a_district_office_runs_a_round_in_its_district_only(field, city, district_clerk, inspector):
    rnd = make_round(actor=district_clerk, inspectors=[inspector], sites=[field.site_a, field.site_c])
    assert rnd.run_by_unit == city.east and rnd.planned.count() == 2
    with pytest.raises(ValidationError) as refused:
        make_round(actor=district_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b], name="越界")
    assert "江滩广场" in str(refused.value.message_dict["sites"])
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=district_clerk, name="抽查", kind="督查", start_date=rnd.start_date,
                              end_date=rnd.end_date, inspectors=[inspector], sample_mode="random",
                              site_types=[field.square], districts=[city.north], per_type=2, seed=7)
    assert "江北区" in str(refused.value.message_dict["districts"])
    # A random draw without districts stays inside the district.
    drawn = services.round_create(actor=district_clerk, name="抽查", kind="督查", start_date=rnd.start_date,
                                  end_date=rnd.end_date, inspectors=[inspector], sample_mode="random",
                                  site_types=[field.square], per_type=5, seed=7)
    assert {p.site.district_id for p in drawn.planned.select_related("site")} == {city.east.pk}
    assert InspectionRound.objects.filter(name="越界").count() == 0


def test_findings_of_its_round_are_handed_over_by_the_district(field, city, district_clerk, office_clerk,
                                                                inspector, client_for):
    own = make_round(actor=district_clerk, inspectors=[inspector], sites=[field.site_a])
    visit_with(own, field.site_a, inspector, ["failed", "met", "met", "met"])
    finding = Finding.objects.get(round=own)
    response = client_for(district_clerk).post(reverse("inspections:finding_raise", args=[finding.pk]))
    finding.refresh_from_db()
    assert response.status_code == 302 and finding.task.lead_unit == city.unit_a
    assert finding.task.handed_by_unit == city.east

    city_round = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_c], name="市级督查")
    visit_with(city_round, field.site_c, inspector, ["failed", "met", "met", "met"])
    city_finding = Finding.objects.get(round=city_round)
    with pytest.raises(PermissionDenied):
        services.finding_raise_task(actor=district_clerk, finding=city_finding)
    assert client_for(district_clerk).post(
        reverse("inspections:finding_raise", args=[city_finding.pk])).status_code == 403
    task = services.finding_raise_task(actor=office_clerk, finding=city_finding)
    assert task.handed_by_unit is None


def test_another_district_sees_nothing_of_a_districts_inspections(field, city, district_clerk, north_clerk,
                                                                   office_clerk, inspector, client_for):
    east_round = make_round(actor=district_clerk, inspectors=[inspector], sites=[field.site_a], name="东湖MARK")
    visit_with(east_round, field.site_a, inspector, ["failed", "met", "met", "met"])
    city_round = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b],
                            name="市级MARK")
    visit_with(city_round, field.site_b, inspector, ["failed", "met", "met", "met"])
    north = client_for(north_clerk)
    assert north.get(reverse("inspections:round_detail", args=[east_round.pk])).status_code == 404
    east_visit = Visit.objects.get(round=east_round)
    assert north.get(reverse("inspections:visit_detail", args=[east_visit.pk])).status_code == 404
    finding = Finding.objects.get(round=east_round)
    assert north.post(reverse("inspections:finding_raise", args=[finding.pk])).status_code == 404
    rounds = north.get(reverse("inspections:index")).content.decode()
    assert "东湖MARK" not in rounds and "市级MARK" not in rounds
    # 东湖区 sees its own round, and of the city's round only the visits at its own sites.
    east = client_for(district_clerk)
    assert "东湖MARK" in east.get(reverse("inspections:index")).content.decode()
    assert east.get(reverse("inspections:round_detail", args=[city_round.pk])).status_code == 404
    city_visit = Visit.objects.get(round=city_round, site=field.site_b)
    assert east.get(reverse("inspections:visit_detail", args=[city_visit.pk])).status_code == 404
    assert set(Visit.objects.visible_to(district_clerk)) == {east_visit}
    findings = east.get(reverse("inspections:finding_list")).content.decode()
    assert "人民广场" in findings and "江滩广场" not in findings
