"""Every figure of a 简报/周报/月报, computed from the data (nothing in the wording is typed in).

The task figures come from ``metrics.figures.task_cells``, the same function as the dashboard's
snapshots, so a report and the dashboard agree: flows of the period (交办, 签收, 销号 …), stocks
at its end (在办, 红灯, 黄灯) and the cumulative figures behind 整改率, each also for the previous
period (上期) for the comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from campaign.models import OrgUnit
from inspections.models import Visit
from reports.models import MetricSnapshot
from reports.models.rates import percent
from reports.selectors.dashboard.selectors import best_and_worst
from reports.selectors.metrics.extras import ScopeScore, VisitHistory, leader_paths, paths_for, score_in, unit_paths
from reports.selectors.metrics.figures import Counts, day_start, task_cells, total
from reports.selectors.metrics.periods import Period
from reports.selectors.metrics.scopes import RANKED_KINDS, Scope, unit_scope
from reports.services.snapshots import rollup
from tasks.models import ChaseNotice, RectificationTask, Source


@dataclass
class UnitLine:
    """One unit in the 红黑榜 table (cumulative figures at the end of the period)."""

    rank: int
    name: str
    counts: Counts
    period_closed: int = 0

    @property
    def rate(self) -> Decimal | None:
        return self.counts.rectification_rate


@dataclass
class SummaryData:
    scope: Scope
    period: Period
    previous: Period
    flows: Counts
    end: Counts
    prev_flows: Counts
    prev_end: Counts
    sources: list[tuple[str, int]] = field(default_factory=list)
    units_involved: int = 0
    chase: dict[str, int] = field(default_factory=dict)
    rounds: int = 0
    visits: int = 0
    ranking: list[UnitLine] = field(default_factory=list)
    best: list[UnitLine] = field(default_factory=list)
    worst: list[UnitLine] = field(default_factory=list)
    red_units: list[tuple[str, int]] = field(default_factory=list)
    score: ScopeScore | None = None
    score_before: ScopeScore | None = None
    evidence: tuple[int, int] | None = None
    series: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def evidence_rate(self) -> Decimal | None:
        return percent(self.evidence[1], self.evidence[0]) if self.evidence else None

    @property
    def sign_late(self) -> int:
        return self.flows.signed - self.flows.signed_on_time

    @property
    def closed_late(self) -> int:
        return self.flows.closed - self.flows.closed_on_time


def _cells(period: Period, today):
    """Period flows with end stocks, and cumulative figures at the end."""
    return (task_cells(day=period.end, since=period.start, today=today),
            task_cells(day=period.end, today=today))


def collect(scope: Scope, period: Period, *, today) -> SummaryData:
    paths = unit_paths()
    cells_now, cells_end = _cells(period, today)
    previous = period.previous()
    cells_prev, cells_prev_end = _cells(previous, today)

    def keep(cell):
        return scope.contains(cell, paths)

    data = SummaryData(scope=scope, period=period, previous=previous, flows=total(cells_now, keep),
                       end=total(cells_end, keep), prev_flows=total(cells_prev, keep),
                       prev_end=total(cells_prev_end, keep))
    tasks = scope.filter_tasks(RectificationTask.objects.all())
    _add_sources(data, tasks)
    _add_chase(data, tasks)
    leaders = leader_paths([scope])
    _add_inspections(data, paths_for(scope, leaders))
    _add_ranking(data, cells_end, cells_now, paths, leaders)
    _add_scores(data, leaders)
    data.evidence = _evidence(scope, period)
    data.series = _series(tasks, period)
    return data


def _in_period(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": day_start(period.start),
                f"{field_name}__lt": day_start(period.end + timedelta(days=1))})


def _add_sources(data: SummaryData, tasks) -> None:
    rows = (tasks.filter(_in_period("assigned_at", data.period)).order_by().values("source")
            .annotate(n=Count("pk"), units=Count("lead_unit", distinct=True)))
    labels = dict(Source.choices)
    counted = sorted(((labels.get(r["source"], r["source"]), r["n"]) for r in rows), key=lambda x: -x[1])
    data.sources = [(label, n) for label, n in counted if n]
    data.units_involved = (tasks.filter(_in_period("assigned_at", data.period)).order_by()
                           .values("lead_unit").distinct().count())


def _add_chase(data: SummaryData, tasks) -> None:
    notices = ChaseNotice.objects.filter(task__in=tasks.order_by().values("pk"),
                                         issued_on__range=(data.period.start, data.period.end))
    data.chase = dict(notices.order_by().values_list("kind").annotate(n=Count("pk")))


def _add_inspections(data: SummaryData, prefixes) -> None:
    visits = Visit.objects.filter(status=Visit.Status.SUBMITTED).filter(_in_period("submitted_at", data.period))
    if prefixes is not None:
        condition = Q(pk__in=[])
        for p in prefixes:
            condition |= (Q(site__district__path__startswith=p) | Q(site__street__path__startswith=p)
                          | Q(site__adopting_unit__path__startswith=p))
        visits = visits.filter(condition)
    figures = visits.order_by().aggregate(visits=Count("pk"), rounds=Count("round", distinct=True))
    data.visits, data.rounds = figures["visits"], figures["rounds"]


def _ranked_units(scope: Scope, leaders) -> list[OrgUnit]:
    units = OrgUnit.objects.filter(is_active=True, kind__in=RANKED_KINDS).order_by("path")
    prefixes = paths_for(scope, leaders)
    if prefixes is None:
        return list(units)
    return [u for u in units if any(u.path.startswith(p) for p in prefixes)]


def _add_ranking(data: SummaryData, cells_end, cells_now, paths, leaders) -> None:
    scopes = [unit_scope(u) for u in _ranked_units(data.scope, leaders)]
    ends, nows = rollup(cells_end, scopes, paths), rollup(cells_now, scopes, paths)
    lines = [UnitLine(0, s.name, ends[s.key], nows[s.key].closed) for s in scopes if ends[s.key].handed_over]
    lines.sort(key=lambda u: (u.rate is None, -(u.rate or 0), u.counts.red,
                              -(u.counts.close_on_time_rate or 0), -u.counts.handed_over, u.name))
    last, last_rank = object(), 0
    for position, line in enumerate(lines, start=1):
        if line.rate != last:
            last, last_rank = line.rate, position
        line.rank = last_rank
    data.ranking = lines
    data.best, data.worst = best_and_worst(lines)
    reds = sorted((u for u in lines if u.counts.red), key=lambda u: (-u.counts.red, u.name))
    data.red_units = [(u.name, u.counts.red) for u in reds[:5]]


def _add_scores(data: SummaryData, leaders) -> None:
    rounds, by_round = VisitHistory(data.period.end).as_of(data.period.end)
    prefixes = paths_for(data.scope, leaders)
    found = []
    for rnd in rounds:
        score = score_in(rnd, by_round[rnd["pk"]], prefixes)
        if score.applicable:
            found.append(score)
        if len(found) == 2:
            break
    data.score = found[0] if found else None
    data.score_before = found[1] if len(found) > 1 else None


def _evidence(scope: Scope, period: Period) -> tuple[int, int] | None:
    """材料完整率 from the snapshot of the period's last day (or the latest before it)."""
    row = (MetricSnapshot.objects.filter(scope_kind=scope.kind, scope_id=scope.id, date__lte=period.end,
                                         evidence_pairs__isnull=False)
           .order_by("-date").values_list("evidence_pairs", "evidence_complete").first())
    return tuple(row) if row and row[0] else None


def _series(tasks, period: Period) -> list[tuple[str, int, int]]:
    """Handed over and closed per day (a week), per week (a month or a span up to 13 weeks) or per
    month (longer), for the chart."""
    handed = dict(tasks.filter(_in_period("assigned_at", period)).order_by()
                  .annotate(day=TruncDate("assigned_at")).values_list("day").annotate(n=Count("pk")))
    closed = dict(tasks.filter(_in_period("closed_at", period)).order_by()
                  .annotate(day=TruncDate("closed_at")).values_list("day").annotate(n=Count("pk")))
    buckets: dict[str, list[int]] = {}
    day = period.start
    while day <= period.end:
        label = _bucket(day, period)
        cell = buckets.setdefault(label, [0, 0])
        cell[0] += handed.get(day, 0)
        cell[1] += closed.get(day, 0)
        day += timedelta(days=1)
    return [(label, h, c) for label, (h, c) in buckets.items()]


def _bucket(day, period: Period) -> str:
    if period.days <= 10:
        return f"{day.month}月{day.day}日"
    if period.days <= 92:
        start = max(period.start, day - timedelta(days=day.weekday()))
        return f"{start.month}月{start.day}日起"
    return f"{day.year}年{day.month}月"
