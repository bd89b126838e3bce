"""Keyset ("seek") pages of tasks, capped counts, and scoped lists served as a union of branches.

Why branches: a unit user or a leader sees a task when its lead unit is in their scope, OR one of
its assisting units is, OR (a leader) they oversee it. Written as one WHERE clause, that OR cannot
use an index; PostgreSQL either builds a hash of every assisting-unit row in scope on each request
(~20–50 ms at 100k tasks) or walks the newest tasks testing each one, which for a street that
owns 0.5% of the city's tasks means reading ~10,000 rows to fill a page. So a scoped list is asked
as one query per branch (``tasks.models.visibility_branches``), each simple enough for the
planner to pick its best index, and the branches are merged:

* **rows**: the lead-unit branch first (page size + 1 keys); the other branches only for rows
  that would sort before its last key (for a broad scope that is a sliver of the newest rows),
  merged in Python, then ONE query fetches the page's rows by id;
* **count**: one statement, ``CASE WHEN <first branch capped> > cap THEN … ELSE <union capped>
  END``: PostgreSQL runs the union only when the first branch alone does not pass the cap.

An office user (who sees everything) keeps the single-query path. Either way the number of
queries does not depend on the page size, the page number or the data.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from campaign.models import workdays
from campaign.models.workdays import WorkCalendar
from tasks.models.deadline import moment

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 50

# sort key → ((field, descending), (tie-breaker, descending)); both fields share the direction.
SORTS = {
    "new": (("assigned_at", True), ("id", True)),
    "due": (("due_date", False), ("id", False)),
}


@dataclass
class SeekPage:
    rows: list
    has_next: bool
    has_prev: bool
    next_cursor: str = ""
    prev_cursor: str = ""
    count: int = 0
    count_more: bool = False
    size: int = DEFAULT_PAGE_SIZE
    calendar: PageCalendar | None = field(default=None, repr=False)


# --- cursors ----------------------------------------------------------------------------------


def encode_cursor(values: tuple) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(text: str, sort: str) -> tuple | None:
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        first, pk = raw
        value = parse_datetime(first) if SORTS[sort][0][0] == "assigned_at" else parse_date(first)
        if value is None or not isinstance(pk, int):
            return None
        return value, pk
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def seek_condition(sort: str, cursor: tuple, forward: bool) -> Q:
    """Rows strictly after ``cursor`` when walking the sort forwards (or backwards)."""
    (first, first_desc), (second, _) = SORTS[sort]
    # Going forward along a descending key means "smaller"; backwards flips it.
    op = "lt" if first_desc == forward else "gt"
    return Q(**{f"{first}__{op}": cursor[0]}) | Q(**{first: cursor[0], f"{second}__{op}": cursor[1]})


def ordering(sort: str, forward: bool) -> list[str]:
    return [("-" if desc == forward else "") + name for name, desc in SORTS[sort]]


# --- counts -----------------------------------------------------------------------------------


def capped_count_parts(parts: list[QuerySet], cap: int) -> tuple[int, bool]:
    """(n, more) over the union of ``parts``, reading at most cap+1 rows per part, in ONE query."""
    limited = [p.order_by().values("pk")[: cap + 1] for p in parts]
    if len(limited) == 1:
        n = limited[0].count()
    else:
        first_sql, first_params = limited[0].query.sql_with_params()
        union_sql, union_params = limited[0].union(*limited[1:]).query.sql_with_params()
        with connections[parts[0].db].cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN (SELECT COUNT(*) FROM ({first_sql}) AS first_part) > %s THEN %s "
                f"ELSE (SELECT COUNT(*) FROM ({union_sql}) AS all_parts) END",
                [*first_params, cap, cap + 1, *union_params],
            )
            n = cursor.fetchone()[0]
    return min(n, cap), n > cap


# --- pages ------------------------------------------------------------------------------------


def seek_page(parts: QuerySet | list[QuerySet], *, sort: str = "new", after: str = "", before: str = "",
              size: int = DEFAULT_PAGE_SIZE, today: date, cap: int) -> SeekPage:
    """One page of the union of ``parts`` (or of one queryset) by keyset. ``after``/``before``
    are cursors from a previous page."""
    parts = list(parts) if isinstance(parts, list | tuple) else [parts]
    sort = sort if sort in SORTS else "new"
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    count, more = capped_count_parts(parts, cap)
    cursor_text, forward = (before, False) if before else (after, True)
    cursor = decode_cursor(cursor_text, sort) if cursor_text else None
    order = ordering(sort, forward)
    if len(parts) == 1:
        rows_qs = parts[0].filter(seek_condition(sort, cursor, forward)) if cursor else parts[0]
    else:
        ids = merged_ids(parts, sort=sort, cursor=cursor, forward=forward, limit=size + 1)
        rows_qs = parts[0].model.objects.filter(pk__in=ids)
    rows = list(rows_qs.select_related("lead_unit", "site").order_by(*order)[: size + 1])
    extra = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    has_next, has_prev = (extra, cursor is not None) if forward else (True, extra)
    page = SeekPage(rows=rows, has_next=has_next and bool(rows), has_prev=has_prev and bool(rows),
                    count=count, count_more=more, size=size)
    if rows:
        key = SORTS[sort][0][0]
        page.next_cursor = encode_cursor((getattr(rows[-1], key), rows[-1].pk))
        page.prev_cursor = encode_cursor((getattr(rows[0], key), rows[0].pk))
        dues = [r.due_date for r in rows]
        page.calendar = PageCalendar(min([today, *dues]), max([today, *dues]))
        now = moment(today)
        for row in rows:
            # The dot and the hint from one rule (the SQL light is for filtering and counting).
            status = row.due_status(page.calendar, now)
            row.light_code, row.deadline = status.light, status.text
    return page


def merged_ids(parts: list[QuerySet], *, sort: str, cursor: tuple | None, forward: bool, limit: int) -> list[int]:
    """The ids of the first ``limit`` rows of the union of ``parts`` in sort order: the first
    part's keys, then (one union query) the other parts' rows that sort before its last key."""
    key_field = SORTS[sort][0][0]
    order = ordering(sort, forward)

    def keyed(qs):
        qs = qs.filter(seek_condition(sort, cursor, forward)) if cursor else qs
        return qs.order_by(*order).values_list(key_field, "pk")

    head = list(keyed(parts[0])[:limit])
    rest = [keyed(p) for p in parts[1:]]
    if len(head) == limit:  # rows after the head's last one cannot reach this page
        rest = [qs.filter(seek_condition(sort, head[-1], not forward)) for qs in rest]
    sliced = [qs[:limit] for qs in rest]
    others = list(sliced[0].union(*sliced[1:])) if len(sliced) > 1 else list(sliced[0])
    merged = sorted(set(head) | set(others), reverse=SORTS[sort][0][1] == forward)
    return [pk for _key, pk in merged[:limit]]


# --- working days for one page ----------------------------------------------------------------


@lru_cache(maxsize=8192)
def _package_workday(day: date) -> bool:
    """The holiday package's answer (fixed data; the office's overrides are applied on top)."""
    return workdays._base_is_workday(day)


class PageCalendar:
    """``WorkCalendar.between`` for the date span of one page, answered from a prefix sum built
    once (the rows' "还剩 N 个工作日" would otherwise walk the calendar day by day, per row)."""

    def __init__(self, start: date, end: date):
        self.calendar = WorkCalendar(start, end)
        self.start, self.end = self.calendar.start, self.calendar.end
        overrides = self.calendar.overrides
        prefix, running = [0], 0
        for i in range(1, (self.end - self.start).days + 1):
            day = self.start + timedelta(days=i)
            running += overrides[day] if day in overrides else _package_workday(day)
            prefix.append(running)
        self.prefix = prefix

    def is_workday(self, day: date) -> bool:
        return self.calendar.is_workday(day)

    def between(self, a: date, b: date) -> int:
        if b < a:
            return -self.between(b, a)
        if a < self.start or b > self.end:
            return self.calendar.between(a, b)
        return self.prefix[(b - self.start).days] - self.prefix[(a - self.start).days]
