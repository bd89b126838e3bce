"""得分率 against small rounds computed by hand (checklist points 1, 2, 3, 4)."""

from decimal import Decimal

import pytest

from inspections import selectors

from .kit import day, make_round, visit_with

pytestmark = pytest.mark.django_db

MET, FAILED, NA = "met", "failed", "na"


@pytest.fixture
def scored_round(field, office_clerk, inspector):
    """Square A: met, failed, n/a, met → 5 of 7 (71.4%). Square B: met, met, met, n/a → 6 of 6.
    Square C: all n/a → no rate. Round: 11 of 13 = 84.6%."""
    rnd = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a, field.site_b, field.site_c])
    visit_with(rnd, field.site_a, inspector, [MET, FAILED, NA, MET])
    visit_with(rnd, field.site_b, inspector, [MET, MET, MET, NA])
    visit_with(rnd, field.site_c, inspector, [NA, NA, NA, NA])
    return rnd


def rows_by_label(rows):
    return {r.label: r for r in rows}


def test_visit_score_leaves_not_applicable_items_out_of_both_parts(scored_round, field):
    visit = scored_round.visits.get(site=field.site_a)
    assert (visit.points_met, visit.points_applicable) == (Decimal(5), Decimal(7))
    assert round(visit.score_rate, 1) == Decimal("71.4")
    all_na = scored_round.visits.get(site=field.site_c)
    assert all_na.points_applicable == 0 and all_na.score_rate is None


def test_round_district_unit_and_site_rates(scored_round, office_clerk):
    report = selectors.round_report(scored_round, office_clerk)
    assert (report.overall.met, report.overall.applicable, report.overall.rate) == (11, 13, Decimal("84.6"))
    assert report.overall.n_na == 6 and report.overall.n_failed == 1  # A 1 + B 1 + C 4
    districts = rows_by_label(report.table("district"))
    assert districts["东湖区"].rate == Decimal("71.4")  # A 5/7 + C nothing applicable
    assert districts["江北区"].rate == Decimal("100.0")
    units = rows_by_label(report.table("unit"))
    assert units["湖滨街道"].rate == Decimal("71.4") and units["江北街道"].rate == Decimal("100.0")
    sites = rows_by_label(report.table("site"))
    assert sites["湖滨广场"].rate is None and sites["湖滨广场"].rank is None
    assert [r.label for r in report.table("site")][:2] == ["江滩广场", "人民广场"]


def test_standard_rates_and_ties_share_a_rank(scored_round, office_clerk):
    rows = selectors.round_report(scored_round, office_clerk).table("standard")
    # 8.1.1: 1+1 of 2; 8.1.2: 2 of 4; 8.1.3: 3 of 3 (A n/a); 8.1.4: 4 of 4 (B n/a).
    by_code = {r.label.split()[0]: r for r in rows}
    assert by_code["8.1.2"].rate == Decimal("50.0")
    assert {by_code[c].rate for c in ("8.1.1", "8.1.3", "8.1.4")} == {Decimal("100.0")}
    # Three tied at 100% share rank 1 (larger sample first); the next is 4th.
    assert [(r.label.split()[0], r.rank) for r in rows] == [("8.1.4", 1), ("8.1.3", 1), ("8.1.1", 1), ("8.1.2", 4)]


def test_change_against_the_previous_round_of_the_same_kind(field, office_clerk, inspector, scored_round):
    earlier = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a], name="10月督查",
                         start=day(-40))
    visit_with(earlier, field.site_a, inspector, [MET, FAILED, FAILED, MET])  # 5 of 10 = 50%
    other_kind = make_round(actor=office_clerk, inspectors=[inspector], sites=[field.site_a], kind="暗访",
                            name="10月暗访", start=day(-20))
    visit_with(other_kind, field.site_a, inspector, [FAILED, FAILED, FAILED, FAILED])
    report = selectors.round_report(scored_round, office_clerk)
    assert report.previous == earlier
    assert report.previous_overall.rate == Decimal("50.0")
    assert report.change == Decimal("34.6")
    assert rows_by_label(report.table("district"))["东湖区"].change == Decimal("21.4")


def test_red_and_black_lists_never_share_a_unit(scored_round, office_clerk):
    report = selectors.round_report(scored_round, office_clerk)
    assert [r.label for r in report.red] == ["江北街道"]
    assert [r.label for r in report.black] == ["湖滨街道"]


def test_a_leader_sees_only_the_sites_in_scope(scored_round, leader, city, field):
    # The leader (市城管局) oversees nothing of 江北区; the office enters 东湖区 as his 分管 too.
    from tests.factories import oversee

    oversee(leader, city.east)
    leader = type(leader).objects.get(pk=leader.pk)
    report = selectors.round_report(scored_round, leader)
    assert report.scoped
    assert {r.label for r in report.table("district")} == {"东湖区"}
    assert report.overall.rate == Decimal("71.4")
