"""完成时限 as offices write them, read into what a TimeLimit profile means: 长期坚持 and 常态化
(a standing duty), 立即整改, 3个工作日, 15日内, 1个月, or a date — 2026年6月底前, 6月底前 and 9.30
in the framework's year, 2026年第三季度, 年底前, or an Excel date cell. Pure text work: matching
the meaning to the city's profiles is ``lookups.TimeLimitDirectory``'s."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from campaign.services.spreadsheets.text import cn_number, key

STANDING_WORDS = {
    "长期坚持", "长期", "常态化", "常态长效", "长效", "长效管理", "常态化推进", "常态化开展", "持续推进", "长期推进",
    "持续开展", "长期开展", "日常", "日常管理", "长期保持", "常年", "持续", "长期有效", "长期坚持常态化",
}
IMMEDIATE_WORDS = {
    "立即", "立即整改", "立行立改", "即时", "即时整改", "马上", "马上办", "当日", "当天", "当日整改", "即知即改",
    "立查立改", "立即落实",
}
_WITHIN = r"(?:内|之内|以内|完成|办结|整改到位)?"
_WORKDAYS = re.compile(rf"^(\d+)个?工作日{_WITHIN}$")
_HOURS = re.compile(rf"^(\d+)个?(?:小时|h){_WITHIN}$")
_DAYS = re.compile(rf"^(\d+)(?:个自然日|个?日|天){_WITHIN}$")
_WEEKS = re.compile(rf"^(\d+)个?(?:周|星期|礼拜){_WITHIN}$")
_MONTHS = re.compile(rf"^(\d+)个月{_WITHIN}$")
_BEFORE = r"(?:前|之前|以前|底前|末前|内|完成|止)?"
_YEAR = r"(?:(\d{4})年?)?"
_FULL_DATE = re.compile(rf"^(\d{{4}})[-/.年](\d{{1,2}})[-/.月](\d{{1,2}})[日号]?{_BEFORE}$")
_MONTH_DAY = re.compile(rf"^(\d{{1,2}})(?:月|[./-])(\d{{1,2}})[日号]?{_BEFORE}$")
_MONTH_END = re.compile(rf"^{_YEAR}(\d{{1,2}})月(?:份)?(底|末|中旬|上旬|下旬|中)?{_BEFORE}$")
_QUARTER = re.compile(rf"^{_YEAR}第?([1-4])季度(?:末|底)?{_BEFORE}$")
_HALF = re.compile(rf"^{_YEAR}(上|下)半年(?:末|底)?{_BEFORE}$")
_YEAR_END = re.compile(rf"^(?:(\d{{4}})年|本年|今年|年)(?:度)?(?:底|末|内|年底|年内)?{_BEFORE}$")
_CN_NUM = re.compile(r"[零一二两三四五六七八九十百]+")
_TEN_DAYS = {"上旬": 10, "中旬": 20, "中": 15}


@dataclass(frozen=True)
class TimeMeaning:
    """What a 完成时限 cell says: a kind of TimeLimit (``TimeLimit.Kind`` values) with its amount,
    or a fixed ``day`` (kind "date")."""

    kind: str
    amount: int = 0
    day: date | None = None

    @property
    def profile_name(self) -> str:
        """The name of the profile this meaning needs (used when the city has none yet)."""
        if self.kind == "workdays":
            return f"{self.amount}个工作日"
        if self.kind == "hours":
            return f"{self.amount}小时"
        if self.kind == "days":
            return f"{self.amount // 30}个月" if self.amount % 30 == 0 else f"{self.amount}日"
        return {"immediate": "立即", "standing": "长期坚持", "date": "指定日期"}[self.kind]


def read_time(raw, text: str, year: int) -> TimeMeaning | None:
    """The meaning of a 完成时限 cell, or None when the text is not understood. ``year`` completes
    dates written without one (6月底前, 9.30, 年底前): the framework's year."""
    if isinstance(raw, datetime):
        return TimeMeaning("date", day=raw.date())
    if isinstance(raw, date):
        return TimeMeaning("date", day=raw)
    k = key(text).replace("。", "").replace("底之前", "底前")
    if not k:
        return None
    if k in STANDING_WORDS or k.startswith(("长期坚持", "常态化")):
        return TimeMeaning("standing")
    if k in IMMEDIATE_WORDS:
        return TimeMeaning("immediate")
    k = _CN_NUM.sub(lambda m: str(cn_number(m.group(0)) or m.group(0)), k)
    return _counted(k) or _dated(k, year)


def _counted(k: str) -> TimeMeaning | None:
    for pattern, kind, factor in ((_WORKDAYS, "workdays", 1), (_HOURS, "hours", 1), (_DAYS, "days", 1),
                                  (_WEEKS, "days", 7), (_MONTHS, "days", 30)):
        match = pattern.match(k)
        if match and int(match.group(1)) > 0:
            return TimeMeaning(kind, amount=int(match.group(1)) * factor)
    return None


def _dated(k: str, year: int) -> TimeMeaning | None:
    day = _day_of(k, year)
    return TimeMeaning("date", day=day) if day else None


def _day_of(k: str, year: int) -> date | None:
    try:
        if match := _FULL_DATE.match(k):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _MONTH_DAY.match(k):
            return date(year, int(match.group(1)), int(match.group(2)))
        if match := _MONTH_END.match(k):
            the_year, month = int(match.group(1) or year), int(match.group(2))
            return date(the_year, month, _TEN_DAYS.get(match.group(3) or "", _last_day(the_year, month)))
        if match := _QUARTER.match(k):
            the_year, month = int(match.group(1) or year), int(match.group(2)) * 3
            return date(the_year, month, _last_day(the_year, month))
        if match := _HALF.match(k):
            the_year = int(match.group(1) or year)
            return date(the_year, 6, 30) if match.group(2) == "上" else date(the_year, 12, 31)
        if match := _YEAR_END.match(k):
            return date(int(match.group(1) or year), 12, 31)
    except ValueError:
        return None
    return None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
