"""Reads of the leader dashboard (领导驾驶舱). Served from the daily snapshots plus two indexed
top-N queries, so the number of queries is the same whatever the number of tasks:

1–2. the scope's snapshot rows over the trend window, and the days that have snapshots;
3.   the units' rows of the latest day for the ranking (红黑榜);
4–6. the red and yellow lists: open tasks of the scope with the nearest due dates, LIMIT N each
     (the (state, due_date) index), and the holiday overrides of their date span for
     "超期 N 个工作日";
+    the scope switcher's choices (units, leaders) and, for a leader scope, that leader's 分管 paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from campaign.models import OrgUnit, Role, User
from reports.models import MetricSnapshot, ScopeKind
from reports.models.rates import percent
from reports.selectors.dashboard.cards import CardBuilder, safe_url, task_list_url
from reports.selectors.dashboard.series import Series
from reports.selectors.metrics.periods import Period
from reports.selectors.metrics.scopes import NOT_SCOPES, RANKED_KINDS, Scope, can_see_all, leaders
from tasks.models import Light, RectificationTask, moment
from tasks.selectors import PageCalendar, first_visible

TREND_DAYS = 90
LIST_SIZE = 10
RANK_SIZE = 5
PERIODS = {"month": "本月", "week": "本周"}


def period_for(kind: str, today: date) -> Period:
    return Period.week(today) if kind == "week" else Period.month(today)


# --- ranking ---------------------------------------------------------------------------------


@dataclass
class RankRow:
    rank: int
    row: MetricSnapshot
    url: str

    @property
    def rate(self) -> Decimal | None:
        return self.row.rectification_rate


def _rank_key(row: MetricSnapshot):
    rate = row.rectification_rate
    on_time = row.close_on_time_rate
    return (rate is None, -(rate or 0), row.red, -(on_time or 0), -row.handed_over, row.scope_path)


def scope_unit_paths(scope: Scope) -> tuple[str, ...] | None:
    """Unit paths whose units rank within the scope; None for the whole city."""
    if scope.kind == ScopeKind.CITY:
        return None
    if scope.kind == ScopeKind.LEADER:
        person = User.objects.filter(pk=scope.id).first()
        return person.scope_paths if person else ()
    return (scope.path,)


def ranking(scope: Scope, day: date | None) -> list[RankRow]:
    """Every ranked unit (街道, 部门, 窗口单位) of the scope that has tasks, best first:
    整改率 high, then fewer red lights, then 按期销号率 high, then more tasks (a larger sample).
    Equal shown 整改率 share a rank (1, 2, 2, 4 …), as in the inspections' score ranking."""
    if day is None:
        return []
    rows = MetricSnapshot.objects.filter(date=day, scope_kind=ScopeKind.UNIT, unit_kind__in=RANKED_KINDS,
                                         handed_over__gt=0)
    paths = scope_unit_paths(scope)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(scope_path__startswith=path)
        rows = rows.filter(condition)
    ordered = sorted(rows, key=_rank_key)
    out, last, last_rank = [], object(), 0
    for position, row in enumerate(ordered, start=1):
        key = row.rectification_rate
        if key != last:
            last, last_rank = key, position
        unit = Scope(ScopeKind.UNIT, row.scope_id, row.scope_name, row.scope_path)
        out.append(RankRow(last_rank, row, task_list_url(unit)))
    return out


def best_and_worst(rows: list[RankRow], size: int = RANK_SIZE) -> tuple[list[RankRow], list[RankRow]]:
    """红榜 (best first) and 黑榜 (worst first), the same length; no unit is on both."""
    n = min(size, len(rows) // 2)
    return rows[:n], list(reversed(rows[len(rows) - n:])) if n else []


# --- red and yellow lists --------------------------------------------------------------------


def light_lists(user, scope: Scope, today: date, size: int = LIST_SIZE) -> dict[str, list]:
    """Open tasks of the scope the user may see, red (most overdue first) and yellow (nearest due
    first), ``size`` each, with the working days overdue or left."""
    # first_visible (h9c): the scope rule as a union of indexed branches; each list walks the
    # open-tasks-by-due-date index (task_open_by_due) and stops after ``size`` rows.
    scoped = scope.filter_tasks(RectificationTask.objects.all()).select_related("lead_unit", "site")
    red = first_visible(user, scoped.lit(Light.RED, today), ["due_date", "id"], size)
    yellow = first_visible(user, scoped.lit(Light.YELLOW, today), ["due_date", "id"], size)
    rows = red + yellow
    if rows:
        # PageCalendar (h9c): working days counted once for the span, not day by day per row.
        calendar = PageCalendar(min(t.due_date for t in rows), max([today, *(t.due_date for t in rows)]))
        now = moment(today)
        for task in rows:
            task.deadline = task.due_status(calendar, now).text
    return {"red": red, "yellow": yellow}


# --- score rates by site type ----------------------------------------------------------------


@dataclass
class TypeScore:
    name: str
    met: Decimal
    applicable: Decimal

    @property
    def rate(self) -> Decimal | None:
        return percent(self.met, self.applicable)


def scores_by_type(row) -> list[TypeScore]:
    data = getattr(row, "score_by_type", None) or {}
    out = [TypeScore(name, Decimal(met), Decimal(applicable)) for name, (met, applicable) in data.items()]
    return sorted(out, key=lambda s: (s.rate is None, -(s.rate or 0), s.name))


# --- the page --------------------------------------------------------------------------------


def trend(series: Series, today: date) -> dict:
    """Chart data: daily stocks and 整改率 over the window, weekly 交办/销号 over 12 weeks."""
    days = [today - timedelta(days=n) for n in range(TREND_DAYS, -1, -1)]
    points = series.points(days)
    weeks = [today - timedelta(days=7 * n) for n in range(12, -1, -1)]
    weekly = series.points(weeks)
    bars = []
    for (_d0, a), (d1, b) in zip(weekly, weekly[1:], strict=False):
        if a is not None and b is not None:
            bars.append({"label": f"{d1:%m-%d}", "handed": b.handed_over - a.handed_over, "closed": b.closed - a.closed})
    rate = [float(p.rectification_rate) if p.rectification_rate is not None else None for _d, p in points]
    return {
        "labels": [f"{d:%m-%d}" for d, _p in points],
        "open": [p.open for _d, p in points], "red": [p.red for _d, p in points],
        "yellow": [p.yellow for _d, p in points], "rate": rate, "weeks": bars,
    }


def scope_choices(user, scope: Scope) -> dict:
    """What the scope switcher offers: office staff everything, a leader their own scope and the
    districts and ranked units within it, a 区创文办 its district and the ranked units in it."""
    units = OrgUnit.objects.filter(is_active=True).exclude(kind__in=NOT_SCOPES).only("name", "kind", "depth", "path")
    if not can_see_all(user):
        units = units & OrgUnit.objects.visible_to(user)
    units = list(units.order_by("path"))
    return {
        "city": can_see_all(user),
        "districts": [u for u in units if u.kind == OrgUnit.Kind.DISTRICT],
        "units": [u for u in units if u.kind in RANKED_KINDS],
        "leaders": (list(leaders().only("full_name", "username")) if can_see_all(user)
                    else [user] if user.has_role(Role.LEADER) else []),
        "extra": scope.kind == ScopeKind.UNIT and scope.unit_kind not in RANKED_KINDS,
    }


def dashboard(user, scope: Scope, *, period_kind: str = "month", today: date | None = None) -> dict:
    today = today or timezone.localdate()
    period = period_for(period_kind, today)
    series = Series.load(scope, today - timedelta(days=TREND_DAYS + 62), today)
    latest = series.latest_row
    builder = CardBuilder(series, scope, period, today)
    round_id = getattr(latest, "score_round_id", None)
    ranked = ranking(scope, series.dates[-1] if series.dates else None)
    best, worst = best_and_worst(ranked)
    lists = light_lists(user, scope, today)
    return {
        "scope": scope, "period": builder.period, "period_kind": period_kind, "periods": PERIODS,
        "as_of": series.dates[-1] if series.dates else None, "taken_at": getattr(latest, "taken_at", None),
        "count_cards": builder.counts(),
        "rate_cards": builder.rates(
            score_url=safe_url("inspections:round_report", round_id) if round_id else "",
            evidence_url=safe_url("archives:completeness")),
        "trend": trend(series, today), "lists": lists,
        "light_sections": [
            ("red", "超期问题（红灯）", "danger", task_list_url(scope, light="red"), lists["red"]),
            ("yellow", "临期问题（黄灯）", "warning", task_list_url(scope, light="yellow"), lists["yellow"]),
        ],
        "ranking": ranked,
        "boards": [("红榜：整改成效较好的单位", best, "success", "board-best"),
                   ("黑榜：整改进度滞后的单位", worst, "danger", "board-worst")],
        "score_types": scores_by_type(latest), "score_round": getattr(latest, "score_round_name", ""),
        "choices": scope_choices(user, scope),
    }
