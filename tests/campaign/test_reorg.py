"""机构改革: renaming, moving, merging and splitting units. What a unit held goes to its
successor with a record, closed history keeps the old unit and its name of the day, and the
city's figures add up the same before and after."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Event, Membership, OrgUnit, Oversight, Responsibility, Site, SiteType, UnitChange, User
from campaign.services.reorg import (
    NewUnit,
    merge_plan,
    orgunit_merge,
    orgunit_move,
    orgunit_rename,
    orgunit_split,
    split_items,
)
from reports.selectors.metrics.extras import unit_paths
from reports.selectors.metrics.figures import task_cells, total
from reports.selectors.metrics.scopes import city_scope, unit_scope
from tasks.models import RectificationTask
from tasks.services.export import ledger_row
from tests.factories import OrgUnitFactory, oversee
from tests.reports import figures_kit

TODAY = timezone.localdate


@pytest.fixture
def world(city, office_clerk, leader, liaison_a):
    """The hand-computed figures' tasks (湖滨街道 leads A1–A4, 和平社区 below it A3), plus a site
    and a responsibility row of 湖滨街道 and its liaison's 分管 leader."""
    ref = figures_kit.build(city, leader)
    square = SiteType.objects.get_or_create(code="square", defaults={"name": "公共广场"})[0]
    ref.site = Site.objects.create(name="人民广场", site_type=square, district=city.east, street=city.unit_a,
                                   adopting_unit=city.unit_a)
    ref.row = Responsibility.objects.create(indicator=ref.standard, lead_unit=city.unit_a)
    ref.row.assisting_units.set([city.bureau])
    ref.c1.assisting_units.set([city.unit_a])  # the bureau's parked task, assisted by 湖滨街道
    oversee(leader, city.unit_a)
    ref.clerk, ref.liaison_a = office_clerk, liaison_a
    return ref


def city_figures(scope=None):
    cells = task_cells(day=TODAY())
    paths = unit_paths()
    scope = scope or city_scope()
    return figures_kit.counts(total(cells, keep=lambda cell: scope.contains(cell, paths)))


def test_a_merge_moves_open_work_to_the_successor_and_the_city_figures_still_add_up(world, city):
    before = city_figures()
    assert before == figures_kit.CITY_TODAY

    change = orgunit_merge(actor=world.clerk, units=[city.unit_a], successor=city.unit_b, day=TODAY(),
                           note="区划调整")

    assert city_figures() == before
    # The successor now holds the moved open tasks (A4 led by it; A3 through 和平社区, now below it).
    unit_b = OrgUnit.objects.get(pk=city.unit_b.pk)
    figures_b = city_figures(unit_scope(unit_b))
    assert figures_b["open"] == figures_kit.UNIT_B_TODAY["open"] + figures_kit.UNIT_A_TODAY["open"]
    assert RectificationTask.objects.get(pk=world.a4.pk).lead_unit == city.unit_b
    from campaign.services.spreadsheets.lookups import UnitDirectory

    assert UnitDirectory().resolve("湖滨街道", "牵头单位") == unit_b  # the old name now means the successor
    # Closed history stays with the old unit, which keeps its name and is only deactivated.
    old = OrgUnit.objects.get(pk=city.unit_a.pk)
    assert (old.name, old.is_active) == ("湖滨街道", False)
    assert {t.lead_unit_id for t in RectificationTask.objects.filter(pk__in=[world.a1.pk, world.a2.pk])} == {old.pk}
    # Assisting on another unit's task: the successor takes the old unit's place.
    assert list(world.c1.assisting_units.all()) == [city.unit_b]
    # Responsibilities, sites, the sub-unit, posts and 分管 follow.
    assert Responsibility.objects.get(pk=world.row.pk).lead_unit == city.unit_b
    site = Site.objects.get(pk=world.site.pk)
    assert (site.street, site.adopting_unit) == (city.unit_b, city.unit_b)
    community = OrgUnit.objects.get(pk=city.community_a.pk)
    assert community.parent == city.unit_b and community.path.startswith(unit_b.path)
    assert community.depth == unit_b.depth + 1
    posts = Membership.objects.filter(user=world.liaison_a).order_by("pk")
    assert [(m.unit_id, m.end) for m in posts] == [(old.pk, TODAY() - timedelta(days=1)), (unit_b.pk, None)]
    liaison = User.objects.get(pk=world.liaison_a.pk)
    assert liaison.unit_paths == (unit_b.path,)
    oversight = Oversight.objects.filter(leader=world.leader, unit=city.unit_b).get()
    assert oversight.start == TODAY()
    # The record says what moved, in the preview's words.
    assert change.kind == UnitChange.Kind.MERGE
    assert change.moved["未办结任务（牵头）"] == 1  # A4 (A3 is 和平社区's, which moved as a sub-unit)
    assert change.moved["未办结任务（配合）"] == 1
    assert change.moved["下级单位"] == 1
    assert list(change.from_units.all()) == [old] and list(change.to_units.all()) == [city.unit_b]
    assert Event.objects.filter(verb="unit.merge").count() == 2
    assert Event.objects.filter(verb="task.reorg", target_id=str(world.a4.pk)).exists()


def test_the_preview_counts_what_the_merge_then_moves(world, city):
    plan = merge_plan(units=[city.unit_a], successor=city.unit_b, day=TODAY())
    counts = {holding.label: n for holding, n in plan.counts if n}
    change = orgunit_merge(actor=world.clerk, units=[city.unit_a], successor=city.unit_b, day=TODAY())
    assert counts == change.moved
    assert counts["人员任职"] == 1 and counts["分管关系"] == 1 and counts["点位（所属街道）"] == 1


def test_two_units_merge_into_a_new_successor(world, city):
    before = city_figures()
    change = orgunit_merge(actor=world.clerk, units=[city.unit_a, city.unit_b],
                           new_unit=NewUnit("滨江街道", OrgUnit.Kind.STREET, city.east), day=TODAY())
    new = OrgUnit.objects.get(name="滨江街道")
    assert new.parent == city.east and new.is_active
    assert set(change.from_units.values_list("name", flat=True)) == {"湖滨街道", "江北街道"}
    assert not OrgUnit.objects.filter(pk__in=[city.unit_a.pk, city.unit_b.pk], is_active=True).exists()
    assert RectificationTask.objects.get(pk=world.b2.pk).lead_unit == new
    assert city_figures() == before


@pytest.mark.parametrize("case, message", [
    ("itself", "不能把“湖滨街道”合并到它自己"),
    ("descendant", "不能把单位合并到它自己的下级单位"),
    ("inactive", "已撤销（停用）"),
    ("nested", "下级单位随上级单位一并转入"),
    ("future", "生效日期不能晚于今天"),
    ("name_clash", "和平社区"),
])
def test_a_bad_merge_is_refused_in_words_and_changes_nothing(world, city, case, message):
    day, units, successor = TODAY(), [city.unit_a], city.unit_b
    if case == "itself":
        successor = city.unit_a
    elif case == "descendant":
        successor = city.community_a
    elif case == "inactive":
        successor = OrgUnitFactory(name="旧街道", kind=OrgUnit.Kind.STREET, parent=city.north, is_active=False)
    elif case == "nested":
        units = [city.unit_a, city.community_a]
    elif case == "future":
        day = TODAY() + timedelta(days=1)
    elif case == "name_clash":
        OrgUnitFactory(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=city.unit_b)
    with pytest.raises(ValidationError) as refused:
        orgunit_merge(actor=world.clerk, units=units, successor=successor, day=day)
    assert message in " ".join(refused.value.messages)
    assert OrgUnit.objects.get(pk=city.unit_a.pk).is_active
    assert RectificationTask.objects.get(pk=world.a4.pk).lead_unit == city.unit_a
    assert not UnitChange.objects.exists()


def test_a_rename_keeps_the_unit_and_closed_tasks_show_the_name_of_their_day(world, city):
    orgunit_rename(actor=world.clerk, unit=city.unit_a, name="湖滨新区街道", day=TODAY() - timedelta(days=5))
    a1 = RectificationTask.objects.get(pk=world.a1.pk)  # closed T-12, before the rename
    a2 = RectificationTask.objects.get(pk=world.a2.pk)  # closed T-3, after it
    a1.light_code = a2.light_code = ""
    a1.work_note = a2.work_note = ""
    assert ledger_row(1, a1)[5] == "湖滨街道"
    assert ledger_row(1, a2)[5] == "湖滨新区街道"
    change = UnitChange.objects.get()
    assert change.before["name"] == "湖滨街道" and change.after["name"] == "湖滨新区街道"
    # A sheet typed before the rename still names the street by its old name.
    from campaign.services.spreadsheets.lookups import UnitDirectory

    assert UnitDirectory().resolve("湖滨街道", "牵头单位") == city.unit_a
    OrgUnitFactory(name="北岸街道", kind=OrgUnit.Kind.STREET, parent=city.north)
    with pytest.raises(ValidationError, match="“江北区”下已有名为“北岸街道”的单位"):
        orgunit_rename(actor=world.clerk, unit=city.unit_b, name="北岸街道", day=TODAY())
    with pytest.raises(ValidationError, match="新名称与现名称相同"):
        orgunit_rename(actor=world.clerk, unit=city.unit_b, name="江北街道", day=TODAY())


def test_closed_task_pages_show_the_old_name(world, city, client_for):
    orgunit_rename(actor=world.clerk, unit=city.unit_a, name="湖滨新区街道", day=TODAY())
    page = client_for(world.clerk).get(reverse("tasks:detail", args=[world.a1.pk])).content.decode()
    assert "湖滨街道" in page and "（现名：湖滨新区街道）" in page
    page = client_for(world.clerk).get(reverse("tasks:detail", args=[world.a4.pk])).content.decode()
    assert "湖滨新区街道" in page and "现名" not in page
    rows = {t.number: t.unit_name for t in client_for(world.clerk).get(reverse("tasks:index")).context["page"].rows}
    assert (rows["T-A1"], rows["T-A4"]) == ("湖滨街道", "湖滨新区街道")


def test_moving_a_unit_repaths_its_subtree_and_scopes_follow(world, city):
    orgunit_move(actor=world.clerk, unit=city.unit_a, parent=city.north, day=TODAY())
    unit_a, north = OrgUnit.objects.get(pk=city.unit_a.pk), OrgUnit.objects.get(pk=city.north.pk)
    community = OrgUnit.objects.get(pk=city.community_a.pk)
    assert unit_a.path.startswith(north.path) and community.path.startswith(unit_a.path)
    assert community.depth == north.depth + 2
    assert city_figures(unit_scope(north))["open"] == 3  # B2 plus A3, A4
    with pytest.raises(ValidationError, match="它自己或它的下级单位"):
        orgunit_move(actor=world.clerk, unit=city.north, parent=community, day=TODAY())


def test_a_split_shares_the_rows_out_as_chosen(world, city):
    before = city_figures()
    groups = {g.holding.key: g for g in split_items(city.unit_a)}
    east_items = {"tasks_lead", "sites_street", "sites_adopting_unit", "children"}
    assignments = {key: {pk: (0 if key in east_items else 1) for pk, _ in g.rows} for key, g in groups.items()}
    change = orgunit_split(actor=world.clerk, unit=city.unit_a, existing=[], new_names=["湖滨东街道", "湖滨西街道"],
                           assignments=assignments, day=TODAY())
    east, west = OrgUnit.objects.get(name="湖滨东街道"), OrgUnit.objects.get(name="湖滨西街道")
    assert RectificationTask.objects.get(pk=world.a4.pk).lead_unit == east
    assert Responsibility.objects.get(pk=world.row.pk).lead_unit == west
    assert Membership.objects.current().get(user=world.liaison_a).unit == west
    assert change.moved["湖滨东街道"]["未办结任务（牵头）"] == 1
    assert not OrgUnit.objects.get(pk=city.unit_a.pk).is_active
    assert city_figures() == before
    stale = {**assignments, "tasks_lead": {}}
    with pytest.raises(ValidationError, match="已撤销"):
        orgunit_split(actor=world.clerk, unit=city.unit_a, existing=[east, west], new_names=[], assignments=stale,
                      day=TODAY())


# --- the pages ---------------------------------------------------------------------------------


def merge_post(city, **extra):
    data = {"units": [city.unit_a.pk], "successor": city.unit_b.pk, "day": TODAY().isoformat(), "note": "区划调整"}
    return {**data, **extra}


def test_the_merge_page_previews_the_counts_then_merges_on_confirmation(world, city, client_for):
    client = client_for(world.clerk)
    page = client.get(reverse("campaign:unit_merge"), {"unit": city.unit_a.pk}).content.decode()
    assert f'value="{city.unit_a.pk}" selected' in page
    preview = client.post(reverse("campaign:unit_merge"), merge_post(city, preview="1"))
    html = preview.content.decode()
    assert 'data-testid="merge-preview"' in html
    assert 'data-testid="count-tasks_lead">1<' in html and 'data-testid="count-memberships">1<' in html
    assert OrgUnit.objects.get(pk=city.unit_a.pk).is_active  # a preview changes nothing
    fingerprint = preview.context["fingerprint"]
    # Confirming something other than what was previewed shows the new preview instead.
    other = client.post(reverse("campaign:unit_merge"), merge_post(city, confirm="1", fingerprint="stale"))
    assert "填写内容与预览时不同" in other.content.decode()
    assert OrgUnit.objects.get(pk=city.unit_a.pk).is_active
    done = client.post(reverse("campaign:unit_merge"), merge_post(city, confirm="1", fingerprint=fingerprint),
                       follow=True)
    assert done.redirect_chain[-1][0] == reverse("campaign:unit_detail", args=[city.unit_b.pk])
    assert "合并已完成" in done.content.decode()
    assert not OrgUnit.objects.get(pk=city.unit_a.pk).is_active
    listing = client.get(reverse("campaign:reorg_list")).content.decode()
    assert "湖滨街道" in listing and "未办结任务（牵头） 1" in listing
    old_page = client.get(reverse("campaign:unit_detail", args=[city.unit_a.pk])).content.decode()
    assert "已撤销" in old_page and "王晓东" in old_page  # among the former staff


@pytest.mark.parametrize("extra, message", [
    ({"successor": "999999"}, "所选单位不存在"),
    ({"units": ["999999"]}, "所选单位不存在"),
    ({"successor": "inactive"}, "已撤销（停用）"),
    ({"units": ["descendant"]}, "不能把单位合并到它自己的下级单位"),
    ({"successor": "", "new_name": ""}, "请选择承接单位"),
])
def test_the_merge_page_refuses_bad_input_in_words(world, city, client_for, extra, message):
    old = OrgUnitFactory(name="旧街道", kind=OrgUnit.Kind.STREET, parent=city.north, is_active=False)
    values = {"inactive": old.pk, "descendant": city.unit_a.pk}
    data = merge_post(city, confirm="1", fingerprint="x", **extra)
    if data["successor"] == "inactive":
        data["successor"] = values["inactive"]
    if data["units"] == ["descendant"]:
        data["units"], data["successor"] = [city.unit_a.pk], city.community_a.pk
    response = client_for(world.clerk).post(reverse("campaign:unit_merge"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OrgUnit.objects.get(pk=city.unit_a.pk).is_active and not UnitChange.objects.exists()


def test_only_the_office_reorganises_units(world, city, client_for, liaison_b):
    client = client_for(liaison_b)
    for url in (reverse("campaign:unit_merge"), reverse("campaign:reorg_list"),
                reverse("campaign:unit_rename", args=[city.unit_b.pk]),
                reverse("campaign:unit_move", args=[city.unit_b.pk]),
                reverse("campaign:unit_split", args=[city.unit_b.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x", "day": TODAY().isoformat()}).status_code == 403
    assert OrgUnit.objects.get(pk=city.unit_b.pk).name == "江北街道"
    page = client.get(reverse("campaign:unit_detail", args=[city.unit_b.pk])).content.decode()
    assert 'data-testid="reorg-actions"' not in page


def test_rename_and_move_pages(world, city, client_for):
    client = client_for(world.clerk)
    response = client.post(reverse("campaign:unit_rename", args=[city.unit_a.pk]),
                           {"name": "湖滨新区街道", "short_name": "", "day": TODAY().isoformat(), "note": "文件"},
                           follow=True)
    assert "已登记更名" in response.content.decode()
    assert 'data-testid="unit-changes"' in response.content.decode()
    response = client.post(reverse("campaign:unit_move", args=[city.unit_a.pk]),
                           {"parent": city.community_a.pk, "day": TODAY().isoformat()})
    assert "它自己或它的下级单位" in response.content.decode()
    response = client.post(reverse("campaign:unit_move", args=[city.unit_a.pk]),
                           {"parent": city.north.pk, "day": TODAY().isoformat()}, follow=True)
    assert "已调整隶属" in response.content.decode()
    assert OrgUnit.objects.get(pk=city.unit_a.pk).parent == city.north


def test_the_split_page_lists_each_row_and_shares_them_out(world, city, client_for):
    client = client_for(world.clerk)
    url = reverse("campaign:unit_split", args=[city.unit_a.pk])
    data = {"new_names": "湖滨东街道\n湖滨西街道", "day": TODAY().isoformat(), "note": ""}
    step = client.post(url, {**data, "preview": "1"})
    html = step.content.decode()
    assert 'data-testid="split-preview"' in html and "T-A4" in html and "王晓东" in html
    choices = {row["field"]: "1" for group in step.context["groups"] for row in group["rows"]}
    done = client.post(url, {**data, **choices, "confirm": "1", "fingerprint": step.context["fingerprint"]},
                       follow=True)
    assert "拆分已完成" in done.content.decode()
    west = OrgUnit.objects.get(name="湖滨西街道")
    assert RectificationTask.objects.get(pk=world.a4.pk).lead_unit == west
    one = client.post(reverse("campaign:unit_split", args=[city.unit_b.pk]),
                      {"new_names": "江北一街道", "day": TODAY().isoformat(), "preview": "1"})
    assert "拆分至少需要两个承接单位" in one.content.decode()
