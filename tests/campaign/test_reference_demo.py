"""The demo city's reference data: a believable indicator system, sites and matrix, built fast and
idempotently."""

import re
from types import SimpleNamespace

import pytest

from campaign.models import Framework, Indicator, Responsibility, Site, SiteType, User
from campaign.selectors import responsibility_for
from demo import campaign as demo
from demo.campaign import reference as demo_reference
from demo.campaign.reference import problems

pytestmark = pytest.mark.django_db


class Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


@pytest.fixture
def seeded():
    demo.seed_org()
    ctx = SimpleNamespace(scale=1, stdout=Out())
    demo_reference.seed(ctx)
    return ctx


def counts():
    return (Framework.objects.count(), Indicator.objects.count(), Site.objects.count(), Responsibility.objects.count(),
            Responsibility.responsible_units.through.objects.count())


def check_the_demo_indicator_system_has_the_real_shape():
    active = Framework.objects.get(is_active=True)
    standards = active.indicators.standards()
    assert standards.count() >= 150
    assert set(active.indicators.filter(level=1).values_list("code", flat=True)) == {"A", "B", "C"}
    assert sorted(active.indicators.filter(level=2).values_list("code", flat=True), key=int) == [
        str(n) for n in range(1, 13)]
    assert all(re.fullmatch(r"\d+\.\d+", c) for c in active.indicators.filter(level=3).values_list("code", flat=True))
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", s.code) and s.path.count("/") == 4 for s in standards)
    assert standards.filter(is_negative=True).count() >= 4
    field_checks = standards.filter(methods__contains=["实地考察"])
    assert field_checks.exists() and not field_checks.filter(site_types__isnull=True).exists()
    for area in ["公共秩序", "市容环境", "交通秩序", "志愿服务", "未成年人思想道德建设", "诚信建设", "公共文明礼仪"]:
        assert active.indicators.filter(name=area).exists(), area
    old = Framework.objects.get(is_active=False)
    assert 0 < old.indicators.standards().count() < 30


def check_the_demo_sites_cover_every_type():
    assert 550 <= Site.objects.count() <= 700
    assert not SiteType.objects.filter(sites__isnull=True).exists()
    assert Site.objects.filter(name="人民路（解放路—建设路段）", site_type__name="主次干道").exists()
    assert Site.objects.filter(is_chronic=True).count() >= 10
    assert not Site.objects.filter(adopting_unit__isnull=True).exists()
    assert not Site.objects.filter(longitude__isnull=True).exists()


def check_every_demo_standard_routes_to_a_leader_and_a_lead_unit():
    """Every standard has a row (its own or its content's); a place-bound (属地) one is marked so,
    and at a site it goes to the site's street (or community), its department assisting."""
    active = Framework.objects.get(is_active=True)
    place = problems.place_bound_codes()
    lane = Site.objects.filter(site_type__name="背街小巷").first()
    for standard in active.indicators.standards().select_related("parent__parent__parent"):
        routing = responsibility_for(standard)
        assert routing.lead_unit and routing.leader and routing.time_limit, standard.code
        assert routing.rule in ("standard", "ancestor")
        assert (routing.basis == Responsibility.Basis.PLACE) == (standard.code in place), standard.code
    routing = responsibility_for(active.indicators.get(code="8.1.2"), lane)
    assert routing.rule == "standard" and routing.basis == "place" and routing.lead_unit == lane.street
    assert routing.explanation.startswith(f"属地：{lane.street}（点位所在街道）；行业配合：")
    rows = Responsibility.objects.filter(indicator__framework=active)
    assert rows.filter(site_type__isnull=False).count() >= 10 and rows.filter(site__isnull=False).count() >= 4
    assert rows.filter(assisting_units__isnull=False).exists()


def check_the_demo_leader_sees_a_visibly_smaller_matrix():
    leader, office = User.objects.get(username="leader"), User.objects.get(username="office")
    mine = Responsibility.objects.visible_to(leader)
    assert 10 <= mine.count() <= Responsibility.objects.visible_to(office).count() * 0.6
    assert mine.filter(indicator__code="8.2.1").exists() and not mine.filter(indicator__code="2.1").exists()


def test_the_demo_reference_data_is_believable(seeded):
    """One seeding, several checks: seeding takes a few seconds."""
    check_the_demo_indicator_system_has_the_real_shape()
    check_the_demo_sites_cover_every_type()
    check_every_demo_standard_routes_to_a_leader_and_a_lead_unit()
    check_the_demo_leader_sees_a_visibly_smaller_matrix()
    assert "161 条标准" in "".join(seeded.stdout.lines)


def test_the_demo_reference_step_is_idempotent(seeded):
    before = counts()
    demo_reference.seed(SimpleNamespace(scale=1, stdout=Out()))
    assert counts() == before
