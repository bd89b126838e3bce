"""分管: a leader sees the tasks naming them as 分管领导 and those of the units the office entered as
their 分管 (and the units below); a unit merely named on a responsibility row they oversee does not
come under them. The office keeps the 分管 list in 基础数据, with an audit trail."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import Event, OrgUnit, Oversight, Responsibility
from reports.selectors.dashboard.selectors import scope_choices
from reports.selectors.metrics.scopes import leader_scope
from tasks.models import RectificationTask

from ..factories import OrgUnitFactory, make_task, oversee, person
from ..tasks.lifecycle_kit import reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def propaganda(city):
    return OrgUnitFactory(name="市委宣传部", kind=OrgUnit.Kind.DEPARTMENT, parent=city.root)


@pytest.fixture
def world(city, leader, office_clerk, propaganda, media):
    """The leader 分管 市城管局. A standard he oversees has 市委宣传部 and 江北街道 assisting; another
    leader oversees 市委宣传部's own standard."""
    ref = reference(city)
    other = person("ld02", "leader", city.root, "李副市长")
    oversee(other, propaganda)
    duty = Responsibility.objects.create(indicator=ref.litter, lead_unit=city.bureau, leader=leader,
                                         time_limit=ref.days5)
    duty.assisting_units.set([propaganda, city.unit_b])
    tasks = {
        "bureau": make_task(ref, actor=office_clerk, unit=city.bureau, title="城管局的任务"),
        "propaganda": make_task(ref, actor=office_clerk, unit=propaganda, leader=other, title="宣传部的任务"),
        "unit_b": make_task(ref, actor=office_clerk, unit=city.unit_b, title="江北街道的任务"),
        "named": make_task(ref, actor=office_clerk, unit=city.unit_a, leader=leader, title="写明由他分管的任务"),
        "assisting": make_task(ref, actor=office_clerk, unit=city.unit_b, assisting=[city.bureau],
                               title="城管局配合的任务"),
    }
    return {"ref": ref, "other": other, "tasks": tasks}


def _titles(qs):
    return set(qs.values_list("title", flat=True))


def test_a_unit_assisting_on_an_overseen_standard_does_not_come_under_the_leader(world, leader, client_for):
    visible = _titles(RectificationTask.objects.visible_to(leader))
    assert visible == {"城管局的任务", "写明由他分管的任务", "城管局配合的任务"}
    client = client_for(leader)
    assert client.get(world["tasks"]["propaganda"].get_absolute_url()).status_code == 404
    assert client.get(world["tasks"]["unit_b"].get_absolute_url()).status_code == 404
    page = client.get(reverse("tasks:index")).content.decode()
    assert "城管局的任务" in page and "写明由他分管的任务" in page
    assert "宣传部的任务" not in page and "江北街道的任务" not in page


def test_the_units_below_an_overseen_unit_come_with_it(world, city, leader, office_clerk):
    oversee(leader, city.east)
    task = make_task(world["ref"], actor=office_clerk, unit=city.community_a, title="社区的任务")
    leader = type(leader).objects.get(pk=leader.pk)  # a fresh request's user
    assert task in RectificationTask.objects.visible_to(leader)
    assert set(OrgUnit.objects.visible_to(leader)) == {city.bureau, city.east, city.unit_a, city.community_a}


def test_a_leaders_own_post_grants_no_scope(city, office_clerk, media):
    """ld01 holds his post at 江城市 (the whole city): only what he 分管 counts."""
    ref = reference(city)
    boss = person("ld01", "leader", city.root, "王副书记")
    task = make_task(ref, actor=office_clerk, unit=city.unit_b)
    assert not RectificationTask.objects.visible_to(boss).exists()
    assert not OrgUnit.objects.visible_to(boss).exists()
    oversee(boss, city.north)
    boss = type(boss).objects.get(pk=boss.pk)
    assert list(RectificationTask.objects.visible_to(boss)) == [task]


def test_oversight_counts_only_between_its_dates(city, office_clerk, media):
    ref = reference(city)
    boss = person("ld03", "leader", city.root, "赵副市长")
    make_task(ref, actor=office_clerk, unit=city.unit_b)
    today = timezone.localdate()
    oversee(boss, city.unit_b, start=today - timedelta(days=60), end=today - timedelta(days=1))
    oversee(boss, city.north, start=today + timedelta(days=1))
    assert not RectificationTask.objects.visible_to(boss).exists()
    Oversight.objects.filter(leader=boss, unit=city.unit_b).update(end=today)
    boss = type(boss).objects.get(pk=boss.pk)
    assert RectificationTask.objects.visible_to(boss).count() == 1


def test_the_dashboard_scope_menu_offers_only_the_leaders_units(world, city, leader, propaganda, client_for):
    choices = scope_choices(leader, leader_scope(leader))
    offered = {u.name for u in choices["units"] + choices["districts"]}
    assert offered == {"市城市管理局"}
    client = client_for(leader)
    assert client.get(reverse("reports:dashboard"), {"scope": f"unit:{propaganda.pk}"}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"scope": f"unit:{city.unit_b.pk}"}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"scope": f"unit:{city.bureau.pk}"}).status_code == 200


def test_the_matrix_shows_a_leader_his_rows_and_his_units_rows(world, city, leader, propaganda):
    own_row = Responsibility.objects.get(leader=leader)
    other_row = Responsibility.objects.create(indicator=world["ref"].street, site=world["ref"].square,
                                              lead_unit=propaganda, leader=world["other"])
    rows = set(Responsibility.objects.visible_to(leader))
    assert own_row in rows and other_row not in rows


def test_the_office_keeps_the_oversight_list_with_an_audit_trail(city, office_clerk, leader, client_for):
    client = client_for(office_clerk)
    response = client.post(reverse("reference:oversight_create"), {
        "leader": leader.pk, "unit": city.east.pk, "start": "2026-01-01", "end": "", "note": "市政府分工文件"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Oversight.objects.get(leader=leader, unit=city.east)
    assert row.start == date(2026, 1, 1) and row.end is None
    assert Event.objects.filter(verb="oversight.create").exists()
    assert leader.notifications.filter(title__contains="东湖区").exists()

    page = client.get(reverse("reference:oversight_list")).content.decode()
    assert "东湖区" in page and "陈建华" in page and "长期" in page

    response = client.post(reverse("reference:oversight_edit", args=[row.pk]), {
        "leader": leader.pk, "unit": city.east.pk, "start": "2026-01-01", "end": "2025-12-31", "note": ""})
    assert response.status_code == 200 and "截止日期不能早于起始日期" in response.content.decode()
    row.refresh_from_db()
    assert row.end is None

    response = client.post(reverse("reference:oversight_edit", args=[row.pk]), {
        "leader": leader.pk, "unit": city.east.pk, "start": "2026-01-01", "end": "2026-06-30", "note": "换届"})
    row.refresh_from_db()
    assert response.status_code == 302 and row.end == date(2026, 6, 30)
    page = client.get(reverse("reference:oversight_edit", args=[row.pk])).content.decode()
    assert "2026-06-30" in page and "修改分管关系" in page


def test_leaders_read_their_own_oversight_and_nobody_else_edits_it(city, leader, liaison_a, client_for):
    other = person("ld02", "leader", city.root, "李副市长")
    (foreign,) = oversee(other, city.unit_b)
    client = client_for(leader)
    page = client.get(reverse("reference:oversight_list")).content.decode()
    assert "市城市管理局" in page and "江北街道" not in page
    assert client.get(reverse("reference:oversight_create")).status_code == 403
    assert client.post(reverse("reference:oversight_delete", args=[foreign.pk])).status_code == 403
    assert client_for(liaison_a).get(reverse("reference:oversight_list")).status_code == 403
    assert Oversight.objects.filter(pk=foreign.pk).exists()
