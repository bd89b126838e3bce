"""A scope's snapshot rows over a window, asked "as of a day": the nearest earlier row (the
backfill of a large city keeps weekly points), zeros on a day that has snapshots but no row for
this scope (rows are only written for scopes with something to show), None before the first
snapshot (the figure is then unknown and no change is shown)."""

from __future__ import annotations

import bisect
from datetime import date

from reports.models import MetricSnapshot, ScopeKind
from reports.selectors.metrics.figures import Counts


class Series:
    def __init__(self, rows: list[MetricSnapshot], known_dates: set[date]):
        self.by_date = {r.date: r for r in rows}
        self.dates = sorted(known_dates | set(self.by_date))

    @classmethod
    def load(cls, scope, since: date, until: date) -> Series:
        """Two queries: the scope's rows, and the days that have snapshots at all (city rows)."""
        rows = list(MetricSnapshot.objects.filter(scope_kind=scope.kind, scope_id=scope.id,
                                                  date__range=(since, until)).order_by("date"))
        if scope.kind == ScopeKind.CITY:
            known = {r.date for r in rows}
        else:
            known = set(MetricSnapshot.objects.filter(scope_kind=ScopeKind.CITY, date__range=(since, until))
                        .values_list("date", flat=True))
        return cls(rows, known)

    def day_of(self, day: date) -> date | None:
        """The latest snapshot day on or before ``day``."""
        i = bisect.bisect_right(self.dates, day)
        return self.dates[i - 1] if i else None

    def at(self, day: date):
        found = self.day_of(day)
        if found is None:
            return None
        return self.by_date.get(found) or Counts()

    @property
    def latest(self):
        return self.at(self.dates[-1]) if self.dates else None

    @property
    def latest_row(self) -> MetricSnapshot | None:
        return self.by_date.get(self.dates[-1]) if self.dates else None

    def points(self, days: list[date]) -> list[tuple[date, object]]:
        return [(d, self.at(d)) for d in days if self.day_of(d) is not None]
