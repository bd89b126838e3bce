"""responsibility_for: one test per precedence level (site > site type > standard > nearest
ancestor > adopting unit > none)."""

import pytest

from campaign.selectors import responsibility_for

from ..factories import guard
from .reference_data import row, site, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(city):
    return small_tree()


@pytest.fixture
def square(city):
    return site(city, "中山广场", "公共广场", adopting=city.community_a)


def test_a_row_for_the_single_site_wins(tree, square, city, leader):
    row(tree.cleaning, city.bureau)
    row(tree.cleaning, city.unit_b, site_type=tree.square)
    special = row(tree.cleaning, city.east, site=square, leader=leader, responsible=[city.unit_a],
                  assisting=[city.bureau], limit="24小时")
    routing = responsibility_for(tree.cleaning, square)
    assert routing.rule == "site" and routing.source == special
    assert routing.lead_unit == city.east and routing.leader == leader
    assert routing.responsible_units == [city.unit_a] and routing.assisting_units == [city.bureau]
    assert routing.time_limit.name == "24小时"


def test_a_row_for_the_sites_type_comes_next(tree, square, city):
    row(tree.cleaning, city.bureau)
    row(tree.cleaning, city.unit_b, site_type=tree.square)
    other = site(city, "人民广场", "公共广场")
    row(tree.cleaning, city.east, site=other)  # another square's row does not apply here
    routing = responsibility_for(tree.cleaning, square)
    assert routing.rule == "site_type" and routing.lead_unit == city.unit_b


def test_the_standards_own_row_when_nothing_narrower_applies(tree, square, city):
    row(tree.content, city.east)
    row(tree.cleaning, city.bureau)
    row(tree.cleaning, city.unit_b, site_type=tree.road)  # a road row, not for squares
    routing = responsibility_for(tree.cleaning, square)
    assert routing.rule == "standard" and routing.lead_unit == city.bureau
    assert responsibility_for(tree.cleaning).rule == "standard"


def test_the_nearest_ancestor_row_is_inherited(tree, square, city):
    row(tree.area, city.unit_b)
    row(tree.content, city.bureau)
    row(tree.content, city.east, site_type=tree.square)  # narrowed rows of an ancestor do not inherit
    routing = responsibility_for(tree.cleaning, square)
    assert routing.rule == "ancestor" and routing.lead_unit == city.bureau
    assert responsibility_for(tree.stalls).lead_unit == city.unit_b  # 8.2.1 inherits from the 版块 row


def test_the_sites_adopting_unit_is_the_fallback(tree, square, city):
    routing = responsibility_for(tree.cleaning, square)
    assert routing.rule == "adopting_unit" and routing.lead_unit == city.community_a and routing.source is None


def test_no_row_and_no_site_finds_nobody(tree, city):
    routing = responsibility_for(tree.cleaning)
    assert routing.rule == "none" and routing.lead_unit is None


# --- 属地 / 行业 / 指定 -------------------------------------------------------------------------


def place_row(indicator, trade, **extra):
    r = row(indicator, trade, **extra)
    r.basis = "place"
    r.save(update_fields=["basis"])
    return r


def test_a_place_bound_row_hands_the_lead_to_the_sites_street(tree, city):
    place_row(tree.cleaning, city.bureau, responsible=[city.east, city.north])
    routing = responsibility_for(tree.cleaning, site(city, "人民广场"))  # adopted by the street itself
    assert routing.lead_unit == city.unit_a and routing.basis == "place"
    assert routing.assisting_units == [city.bureau]  # the department joins as 行业配合
    assert routing.responsible_units == [city.east]  # not 江北区: the site is not in it
    assert routing.explanation.startswith("属地：湖滨街道（点位所在街道）；行业配合：市城管局")


def test_a_community_site_and_a_guarding_unit_lead_place_bound_problems(tree, city):
    place_row(tree.cleaning, city.bureau)
    own = site(city, "和平社区", "社区", adopting=city.community_a)
    assert responsibility_for(tree.cleaning, own).lead_unit == city.community_a
    lane = site(city, "幸福巷", "背街小巷")
    guard(None, unit=city.community_a, site=lane)
    routing = responsibility_for(tree.cleaning, lane)
    assert routing.lead_unit == city.community_a and "点位包保单位" in routing.explanation


def test_trade_and_fixed_rows_keep_their_named_lead(tree, square, city):
    row(tree.cleaning, city.bureau, assisting=[city.unit_b, city.unit_a])
    routing = responsibility_for(tree.cleaning, square)
    assert routing.lead_unit == city.bureau
    assert routing.explanation == "行业：市城管局（行业主管部门）；配合单位只列点位所在的东湖区"
    assert routing.assisting_units == [city.unit_a]  # 江北街道 has no part at a 湖滨街道 square
    fixed = row(tree.bins, city.east)
    fixed.basis = "fixed"
    fixed.save(update_fields=["basis"])
    assert responsibility_for(tree.bins, square).lead_unit == city.east


def test_without_a_site_a_place_bound_row_falls_back_to_its_named_unit(tree, city):
    place_row(tree.cleaning, city.bureau)
    routing = responsibility_for(tree.cleaning)
    assert routing.lead_unit == city.bureau and routing.explanation == "属地：未指定点位，由市城管局牵头"
