"""Task figures as of a day, set-based: ONE GROUP BY over the tasks per (lead unit, 分管领导)
"cell", plus one for rebounds; scopes (全市, districts, units, leaders) are sums of cells, rolled
up in Python. The same function serves the daily snapshot, the backfill and the summaries, so a
figure means the same everywhere.

Counting rules (documented for offices in the dashboard's "口径说明"):

* A task counts for its lead unit (牵头单位) and for every unit above it, and for the leader named
  on it (分管领导); assisting units (配合单位) do not count it, so units add up to the city.
* "As of day D" means at the end of D in Beijing time. Flows (交办, 签收, 销号 …) count events
  with a timestamp before D+1 00:00, or within [start, D] when a period start is given.
* Stocks on D (在办, 红灯, 黄灯) are exact for today (the task's state and the light rule of
  ``RectificationTask.with_light``). For a past day they are rebuilt from the task's timeline:
  handed over by D, not closed by D, not parked since before D (tasks parked now), with the
  current due date — an extension granted after D, a parking period already over, or a lead unit
  changed by 改派 are not replayed, so backfilled stocks are close, not exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from reports.models.rates import RatesMixin
from tasks.models import OPEN_STATES, RectificationTask, State

FLOWS = ("handed_over", "signed", "signed_on_time", "closed", "closed_on_time", "first_pass", "rebounds")
STOCKS = ("open", "red", "yellow")


@dataclass
class Counts(RatesMixin):
    """Counts of one cell or scope. Evidence and score parts are filled by the snapshot only."""

    handed_over: int = 0
    signed: int = 0
    signed_on_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    first_pass: int = 0
    rebounds: int = 0
    open: int = 0
    red: int = 0
    yellow: int = 0
    evidence_pairs: int | None = None
    evidence_complete: int | None = None
    score_met: object = None
    score_applicable: object = None

    def add(self, other: Counts) -> None:
        for name in (*FLOWS, *STOCKS):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def minus(self, earlier: Counts) -> Counts:
        """The flows between two cumulative counts; stocks stay those of ``self``."""
        out = Counts(**{name: getattr(self, name) for name in STOCKS})
        for name in FLOWS:
            setattr(out, name, getattr(self, name) - getattr(earlier, name))
        return out

    def any(self) -> bool:
        return any(getattr(self, name) for name in (*FLOWS, *STOCKS))

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in (*FLOWS, *STOCKS)}


Cell = tuple[int, int | None]  # (lead unit id, leader id)


def day_start(day: date) -> datetime:
    """00:00 of ``day`` in Beijing time (aware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _flow_filters(start: datetime | None, end: datetime) -> dict[str, Q]:
    def within(field: str) -> Q:
        q = Q(**{f"{field}__lt": end})
        return q & Q(**{f"{field}__gte": start}) if start is not None else q

    closed = within("closed_at")
    return {
        "handed_over": within("assigned_at"),
        "signed": within("signed_at"),
        "signed_on_time": within("signed_at") & Q(signed_at__date__lte=F("sign_due")),
        "closed": closed,
        "closed_on_time": closed & Q(closed_on_time=True),
        "first_pass": closed & Q(verify_rounds__lte=1),
    }


def _stock_filters(day: date, today: date) -> dict[str, Q]:
    if day >= today:
        is_open = Q(state__in=OPEN_STATES)
        day = today
    else:
        end = day_start(day + timedelta(days=1))
        is_open = (Q(assigned_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
                   & ~Q(state=State.PARKED, parked_at__lt=end))
    return {
        "open": is_open,
        "red": is_open & Q(due_date__lt=day),
        "yellow": is_open & Q(due_date__gte=day, yellow_from__lte=day),
    }


def task_cells(*, day: date, since: date | None = None, today: date | None = None,
               tasks=None) -> dict[Cell, Counts]:
    """Counts per (lead unit, leader) as of the end of ``day``; flows since ``since`` (inclusive)
    when given, else cumulative. Two queries whatever the number of tasks or units."""
    today = today or timezone.localdate()
    scoped = tasks is not None
    tasks = tasks if scoped else RectificationTask.objects.all()
    start = day_start(since) if since else None
    end = day_start(day + timedelta(days=1))
    filters = {**_flow_filters(start, end), **_stock_filters(day, today)}
    aggregates = {name: Count("pk", filter=q) for name, q in filters.items()}
    cells: dict[Cell, Counts] = defaultdict(Counts)
    for row in tasks.order_by().values("lead_unit_id", "leader_id").annotate(**aggregates):
        counts = cells[(row["lead_unit_id"], row["leader_id"])]
        for name in filters:
            setattr(counts, name, row[name])
    for (unit, leader), n in _rebound_cells(tasks if scoped else None, start, end).items():
        cells[(unit, leader)].rebounds = n
    return dict(cells)


def _rebound_cells(tasks, start: datetime | None, end: datetime) -> dict[Cell, int]:
    """Originals found rebounded (their new task handed over) in the window, counted for the
    original's lead unit and leader: the original is the task in state 反弹."""
    children = RectificationTask.objects.filter(rebound_of__isnull=False, assigned_at__lt=end)
    if tasks is not None:
        children = children.filter(rebound_of__in=tasks.order_by().values("pk"))
    if start is not None:
        children = children.filter(assigned_at__gte=start)
    rows = (children.order_by().values("rebound_of__lead_unit_id", "rebound_of__leader_id")
            .annotate(n=Count("rebound_of", distinct=True)))
    return {(r["rebound_of__lead_unit_id"], r["rebound_of__leader_id"]): r["n"] for r in rows}


def total(cells: dict[Cell, Counts], keep=None) -> Counts:
    """The sum of the cells ``keep(cell)`` accepts (all when None)."""
    out = Counts()
    for cell, counts in cells.items():
        if keep is None or keep(cell):
            out.add(counts)
    return out
