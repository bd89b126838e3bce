"""Daily figures (MetricSnapshot) against the hand-computed tasks of figures_kit."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reports.models import MetricSnapshot, ScopeKind
from reports.selectors.metrics.figures import Counts, task_cells, total
from reports.selectors.metrics.periods import Period
from reports.selectors.metrics.scopes import city_scope, leader_scope, unit_scope
from reports.services.snapshots import backfill_days, rollup, snapshot_take, snapshots_backfill

from . import figures_kit as kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(city, leader):
    return kit.build(city, leader)


def _snapshot(kind, ident, day):
    return MetricSnapshot.objects.get(date=day, scope_kind=kind, scope_id=ident)


def test_todays_snapshot_holds_the_hand_computed_figures_of_every_scope(ref, city, leader):
    snapshot_take()
    today = ref.today
    assert kit.counts(_snapshot(ScopeKind.CITY, 0, today)) == kit.CITY_TODAY
    assert kit.counts(_snapshot(ScopeKind.UNIT, city.unit_a.pk, today)) == kit.UNIT_A_TODAY
    assert kit.counts(_snapshot(ScopeKind.DISTRICT, city.east.pk, today)) == kit.UNIT_A_TODAY
    assert kit.counts(_snapshot(ScopeKind.UNIT, city.unit_b.pk, today)) == kit.UNIT_B_TODAY
    assert kit.counts(_snapshot(ScopeKind.UNIT, city.bureau.pk, today)) == kit.BUREAU_TODAY
    assert kit.counts(_snapshot(ScopeKind.LEADER, leader.pk, today)) == kit.LEADER_TODAY
    community = _snapshot(ScopeKind.UNIT, city.community_a.pk, today)
    assert (community.handed_over, community.red) == (1, 1)


def test_rates_follow_the_documented_definitions(ref):
    snapshot_take()
    row = _snapshot(ScopeKind.CITY, 0, ref.today)
    # 整改率 = (closed − rebounded) / (handed over − rebounded) = 3 / 7
    assert row.rectification_rate == Decimal("42.9")
    assert row.sign_on_time_rate == Decimal("83.3")  # 5 / 6
    assert row.close_on_time_rate == Decimal("75.0")  # 3 / 4
    assert row.first_pass_rate == Decimal("75.0")  # 3 / 4
    assert row.rebound_rate == Decimal("25.0")  # 1 / 4
    north = _snapshot(ScopeKind.DISTRICT, ref.city.north.pk, ref.today)
    assert north.rectification_rate == Decimal("0.0")  # B1 rebounded, B2 open: 0 / 1
    assert _snapshot(ScopeKind.LEADER, ref.leader.pk, ref.today).rectification_rate == Decimal("60.0")


def test_a_rate_without_a_denominator_is_unknown_not_zero():
    empty = Counts()
    assert empty.rectification_rate is None
    assert empty.sign_on_time_rate is None


def test_taking_the_same_day_twice_keeps_one_row_per_scope_and_updates_it(ref):
    first = snapshot_take()
    ref.a4.state = "in_progress"
    ref.a4.signed_at = kit.at(ref.today)
    ref.a4.save()
    second = snapshot_take()
    assert first == second
    assert MetricSnapshot.objects.filter(date=ref.today).count() == first
    assert _snapshot(ScopeKind.CITY, 0, ref.today).signed == 7


def test_scopes_without_anything_to_show_get_no_row(ref, city):
    snapshot_take()
    assert not MetricSnapshot.objects.filter(scope_kind=ScopeKind.DISTRICT, scope_id=city.office.pk).exists()
    assert MetricSnapshot.objects.filter(date=ref.today, scope_kind=ScopeKind.CITY).count() == 1


def test_a_past_day_is_rebuilt_from_the_task_timelines(ref):
    day = ref.today - timedelta(days=10)
    cells = task_cells(day=day)
    assert kit.counts(total(cells)) == kit.CITY_T10


def test_backfill_writes_past_days_and_never_overwrites_a_day_already_taken(ref):
    day = ref.today - timedelta(days=10)
    MetricSnapshot.objects.create(date=day, scope_kind=ScopeKind.CITY, scope_id=0, scope_name="全市", handed_over=99)
    written = snapshots_backfill()
    assert written > 0
    assert _snapshot(ScopeKind.CITY, 0, day).handed_over == 99
    other = ref.today - timedelta(days=11)
    assert _snapshot(ScopeKind.CITY, 0, other).handed_over == 5  # B1, C2, A1, A2, A3
    assert not MetricSnapshot.objects.filter(date=ref.today).exists()  # today is taken live, not rebuilt
    assert snapshots_backfill() == 0  # idempotent


def test_backfill_of_a_large_city_keeps_weekly_month_end_and_recent_points():
    from datetime import date

    days = backfill_days(date(2026, 1, 1), date(2026, 6, 30), daily=False)
    assert date(2026, 1, 31) in days and date(2026, 1, 4) in days  # month end, a Sunday
    assert date(2026, 1, 6) not in days
    assert all(d in days for d in [date(2026, 6, 1) + timedelta(days=n) for n in range(30)])


def test_period_flows_and_end_stocks(ref):
    period = Period(ref.today - timedelta(days=20), ref.today)
    flows = total(task_cells(day=period.end, since=period.start))
    assert kit.counts(flows) == kit.PERIOD_FLOWS


def test_scopes_add_up_to_the_city(ref, city, leader):
    from reports.selectors.metrics.extras import unit_paths

    scopes = [city_scope(), unit_scope(city.east), unit_scope(city.north), unit_scope(city.bureau), leader_scope(leader)]
    sums = rollup(task_cells(day=ref.today), scopes, unit_paths())
    parts = Counts()
    for key in (f"district:{city.east.pk}", f"district:{city.north.pk}", f"unit:{city.bureau.pk}"):
        parts.add(sums[key])
    assert kit.counts(parts) == kit.counts(sums["city"])


def test_the_beat_job_takes_the_snapshot(ref, settings):
    from reports.jobs import take_snapshots

    assert take_snapshots() == MetricSnapshot.objects.filter(date=ref.today).count()
