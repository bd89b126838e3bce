"""Routing by place and by trade over the demo matrix (属地管理为主、行业监管为辅), and what a 包挂
leader follows. The demo city's organisation and reference data are seeded once for the module,
inside a transaction rolled back at its end."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.models import Guardianship, Indicator, Notification, OrgUnit, Site, TimeLimit, User
from campaign.selectors import responsibility_for
from demo import campaign as demo
from demo.campaign.reference import problems
from demo.campaign.reference import seed as seed_reference
from tasks.models import RectificationTask
from tasks.services.chase import chase_run

from ..factories import make_task

pytestmark = pytest.mark.django_db

PLACE_KINDS = {OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.COMMUNITY}


class Quiet:
    def write(self, text):
        pass


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo.seed_org()
            seed_reference(SimpleNamespace(scale=1, stdout=Quiet()))
            street = OrgUnit.objects.get(name="湖滨街道")
            standards = {i.code: i for i in Indicator.objects.active().standards().prefetch_related("site_types")}
            sites = list(Site.objects.filter(street=street).select_related("site_type", "district", "street",
                                                                           "adopting_unit"))
            yield SimpleNamespace(street=street, standards=standards, sites=sites)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def kinds_at(site):
    return problems.kinds_by_type().get(site.site_type.name, ())


def test_place_bound_standards_at_a_streets_site_propose_that_street(demo_city):
    street, proposed_street = demo_city.street, 0
    for site in demo_city.sites:
        for kind in kinds_at(site):
            if not kind.place_bound:
                continue
            routing = responsibility_for(demo_city.standards[kind.code], site)
            # 属地, or the office's own row for a single black spot (指定 to the street).
            assert routing.basis == "place" or routing.rule == "site", (site.name, kind.code)
            assert routing.lead_unit.path.startswith(street.path), (site.name, kind.code, routing.lead_unit)
            proposed_street += routing.lead_unit == street
    assert proposed_street >= 50  # lanes, roads, markets, squares: the street itself leads
    lane = next(s for s in demo_city.sites if s.site_type.name == "背街小巷")
    assert responsibility_for(demo_city.standards["8.1.2"], lane).lead_unit == street


def test_trade_bound_standards_propose_the_department(demo_city):
    checked = set()
    for site in demo_city.sites:
        for kind in kinds_at(site):
            if kind.place_bound:
                continue
            routing = responsibility_for(demo_city.standards[kind.code], site)
            assert routing.lead_unit.short_name == kind.lead, (site.name, kind.code, routing.lead_unit)
            assert routing.basis in ("trade", "fixed")
            checked.add((kind.code, kind.lead))
    # 公交站台设施 → 交通局, 明码标价 → 市场监管局.
    assert ("7.3.2", "市交通局") in checked and ("4.2.1", "市市场监管局") in checked


def test_no_proposal_lists_a_district_the_site_is_not_in(demo_city):
    for site in demo_city.sites:
        for standard in demo_city.standards.values():
            if site.site_type not in standard.site_types.all():
                continue
            routing = responsibility_for(standard, site)
            units = [routing.lead_unit, *routing.responsible_units, *routing.assisting_units]
            for unit in units:
                if unit is not None and unit.kind in PLACE_KINDS:
                    assert unit.path.startswith(site.district.path), (site.name, standard.code, unit)


def test_the_proposal_on_the_task_form_explains_itself(demo_city):
    office = User.objects.get(username="office")
    client = Client()
    client.force_login(office)
    lane = next(s for s in demo_city.sites if s.site_type.name == "背街小巷")
    response = client.get(reverse("tasks:routing"),
                          {"indicator": demo_city.standards["8.1.2"].pk, "site": lane.pk})
    page = response.content.decode()
    assert "属地：湖滨街道（点位所在街道）；行业配合：市城管局" in page
    # The rule line names the row as a 属地 row, not by the department the row lists.
    assert "（责任分工 8.1.2，属地）" in page and "8.1.2 → " not in page
    assert "可在下方修改牵头单位" in page


@pytest.fixture(scope="module")
def guarded(demo_city):
    """和平社区 of 湖滨街道, its 包挂 leader, and three tasks: one led by the community, one at the
    community's own site led by the street, one in another district."""
    street = demo_city.street
    community = street.children.filter(kind=OrgUnit.Kind.COMMUNITY).order_by("path").first()
    leader = Guardianship.objects.active().get(community=community).leader
    office = User.objects.get(username="office")
    fixed = TimeLimit.objects.get(kind=TimeLimit.Kind.DATE)
    standard = demo_city.standards["8.1.2"]
    own_site = Site.objects.get(adopting_unit=community, site_type__name="社区")
    north = OrgUnit.objects.get(name="江北街道")
    at = timezone.make_aware(datetime(2026, 9, 21, 10, 0))

    def task(unit, site, title):
        return make_task(actor=office, unit=unit, site=site, indicator=standard, time_limit=fixed,
                         due=date(2026, 9, 30), assigned_at=at, title=title)

    return SimpleNamespace(
        community=community, leader=leader,
        led=task(community, None, "社区巷道堆放杂物"),
        at_site=task(street, own_site, "社区广场垃圾未清运"),
        foreign=task(north, Site.objects.filter(street=north).first(), "江北街道巷道暴露垃圾"),
    )


def test_a_guardian_leader_sees_his_communitys_tasks(guarded):
    leader = User.objects.get(pk=guarded.leader.pk)
    assert guarded.community.path in leader.scope_paths
    visible = set(RectificationTask.objects.visible_to(leader).values_list("pk", flat=True))
    assert {guarded.led.pk, guarded.at_site.pk} <= visible
    assert guarded.foreign.pk not in visible


def test_a_guardian_leader_gets_the_red_light_notice_of_his_communitys_tasks(guarded):
    Notification.objects.filter(recipient=guarded.leader).delete()
    chase_run(today=date(2026, 10, 8))  # the first working day after 9-30 and the National Day holiday
    titles = list(Notification.objects.filter(recipient=guarded.leader).values_list("title", flat=True))
    assert any(t.startswith("催办通知") for t in titles), titles
    body = "\n".join(Notification.objects.filter(recipient=guarded.leader).values_list("body", flat=True))
    assert guarded.led.number in body and guarded.at_site.number in body
    assert guarded.foreign.number not in body
