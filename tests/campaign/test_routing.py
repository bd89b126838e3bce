"""responsibility_for: one test per precedence level (site > site type > standard > nearest
ancestor > adopting unit > none)."""

import pytest

from campaign.selectors import responsibility_for

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
