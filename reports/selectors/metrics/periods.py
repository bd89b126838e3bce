"""Report periods: a week (Monday–Sunday), a calendar month, or any span of days, and the period
a figure is compared with (上期)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "custom"  # week / month / custom

    @classmethod
    def week(cls, day: date) -> Period:
        start = week_start(day)
        return cls(start, start + timedelta(days=6), "week")

    @classmethod
    def month(cls, day: date) -> Period:
        return cls(month_start(day), month_end(day), "month")

    @classmethod
    def infer(cls, start: date, end: date) -> Period:
        """A span that is exactly a calendar month or a Monday–Sunday week reads as one."""
        if start.day == 1 and end == month_end(start):
            return cls(start, end, "month")
        if start.weekday() == 0 and end == start + timedelta(days=6):
            return cls(start, end, "week")
        return cls(start, end, "custom")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """上期: the week or month before; for any other span, the same number of days before."""
        if self.kind == "week":
            return Period.week(self.start - timedelta(days=7))
        if self.kind == "month":
            return Period.month(self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), "custom")

    def to_date(self, today: date) -> Period:
        """The part of the period up to ``today`` (本周/本月至今)."""
        return Period(self.start, min(self.end, today), self.kind)

    def same_span_before(self) -> Period:
        """The previous period's first ``days`` days (上月同期), for a period still running."""
        before = self.previous()
        return Period(before.start, min(before.start + timedelta(days=self.days - 1), before.end), before.kind)

    @property
    def label(self) -> str:
        if self.kind == "month" and self.start.day == 1:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "week":
            number = self.start.isocalendar()[1]
            return f"{self.start.isocalendar()[0]}年第{number}周（{self.span_text}）"
        return self.span_text

    @property
    def short_label(self) -> str:
        """"2026年10月" for a month, else the dates (titles and headlines)."""
        return self.label if self.kind == "month" else self.span_text

    @property
    def span_text(self) -> str:
        start, end = self.start, self.end
        if start == end:
            return f"{start.year}年{start.month}月{start.day}日"
        if start.year != end.year:
            return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
        if start.month != end.month:
            return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
        return f"{start.year}年{start.month}月{start.day}日至{end.day}日"

    @property
    def noun(self) -> str:
        """本周 / 本月 / 本期, as the wording says it."""
        return {"week": "本周", "month": "本月"}.get(self.kind, "本期")

    @property
    def previous_noun(self) -> str:
        return {"week": "上周", "month": "上月"}.get(self.kind, "上期")
