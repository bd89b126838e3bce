"""KPI cards of the leader dashboard: the figure, its change against the previous period, and the
task list that shows exactly the tasks it counts.

Changes: a flow (交办) compares this period so far with the same number of days of the previous
period (本月 1–24 日 against 上月 1–24 日); a stock (在办, 红灯 …) and a rate compare today with the
end of the previous period (较上月末)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from reports.selectors.dashboard.series import Series
from reports.selectors.metrics.periods import Period


def task_list_url(scope, **params) -> str:
    query = {**scope.list_params(), **{k: v for k, v in params.items() if v not in (None, "")}}
    return reverse("tasks:index") + (f"?{urlencode(query)}" if query else "")


def safe_url(name: str, *args, query: dict | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return url + (f"?{urlencode(query)}" if query else "")


@dataclass
class Card:
    key: str
    label: str
    value: str
    url: str
    note: str = ""
    note_tone: str = "muted"
    tone: str = "primary"


def _number(value) -> str:
    return "—" if value is None else str(value)


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def change_text(now, before, *, rate: bool = False, good_when_up: bool = True) -> tuple[str, str]:
    """("+12" / "−3" / "持平", tone) or ("", "muted") when either side is unknown."""
    if now is None or before is None:
        return "", "muted"
    diff = now - before
    if not diff:
        return "持平", "muted"
    sign = "+" if diff > 0 else "−"
    text = f"{sign}{abs(diff)}{'个百分点' if rate else ''}"
    return text, "success" if (diff > 0) == good_when_up else "danger"


class CardBuilder:
    def __init__(self, series: Series, scope, period: Period, today: date):
        self.scope, self.today = scope, today
        self.now = series.at(today)
        self.period = period.to_date(today)
        self.before = series.at(self.period.start - timedelta(days=1))
        same = self.period.same_span_before()
        self.prev_end, self.prev_before = series.at(same.end), series.at(same.start - timedelta(days=1))
        self.noun, self.prev_noun = self.period.noun, self.period.previous_noun

    def flow(self, name: str):
        if self.now is None or self.before is None:
            return None, None
        current = getattr(self.now, name) - getattr(self.before, name)
        if self.prev_end is None or self.prev_before is None:
            return current, None
        return current, getattr(self.prev_end, name) - getattr(self.prev_before, name)

    def value(self, name: str):
        return None if self.now is None else getattr(self.now, name)

    def was(self, name: str):
        return None if self.before is None else getattr(self.before, name)

    def counts(self) -> list[Card]:
        added, added_before = self.flow("handed_over")
        compared = f"，{self.prev_noun}同期 {added_before}" if added_before is not None else ""
        closed, _ = self.flow("closed")
        return [
            Card("handed_over", "累计交办问题", _number(self.value("handed_over")), task_list_url(self.scope),
                 f"{self.noun}新增 {_number(added)}{compared}"),
            self._stock("open", "在办问题", {"state": "open"}, good_when_up=False),
            self._stock("red", "超期（红灯）", {"light": "red"}, good_when_up=False, tone="danger"),
            self._stock("yellow", "临期（黄灯）", {"light": "yellow"}, good_when_up=False, tone="warning"),
            Card("rectified", "已整改（已销号）", _number(self.value("rectified")),
                 task_list_url(self.scope, state="closed"), f"{self.noun}销号 {_number(closed)}", tone="success"),
            self._stock("rebounds", "反弹问题", {"state": "rebound"}, good_when_up=False, tone="dark"),
        ]

    def _stock(self, name, label, params, *, good_when_up, tone="primary") -> Card:
        text, note_tone = change_text(self.value(name), self.was(name), good_when_up=good_when_up)
        note = f"较{self.prev_noun}末 {text}" if text else ""
        return Card(name, label, _number(self.value(name)), task_list_url(self.scope, **params), note, note_tone, tone)

    def rates(self, *, score_url: str, evidence_url: str) -> list[Card]:
        spec = [
            ("rectification_rate", "整改率", task_list_url(self.scope, state="closed")),
            ("sign_on_time_rate", "按时签收率", task_list_url(self.scope)),
            ("close_on_time_rate", "按期销号率", task_list_url(self.scope, state="closed")),
            ("first_pass_rate", "一次核查通过率", task_list_url(self.scope, state="closed")),
            ("rebound_rate", "反弹率", task_list_url(self.scope, state="rebound")),
            ("evidence_rate", "材料完整率", evidence_url),
            ("score_rate", "最新测评得分率", score_url),
        ]
        cards = []
        for name, label, url in spec:
            now, before = self.value(name), self.was(name)
            text, tone = change_text(now, before, rate=True, good_when_up=name != "rebound_rate")
            cards.append(Card(name, label, _rate(now), url, f"较{self.prev_noun}末 {text}" if text else "", tone))
        return cards
