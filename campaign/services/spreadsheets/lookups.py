"""Matching the names people type against the reference data, with close-match suggestions
("市城官局" → 是否为“市城管局”？). Each directory loads its table once per import."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import date

from campaign.models import Method, OrgUnit, Role, Site, SiteType, TimeLimit, User
from campaign.services.spreadsheets.text import cn_number, key

SUGGEST_CUTOFF = 0.5  # one wrong character in a two-character name still gets a suggestion


class NotFound(Exception):
    """A name that does not resolve; ``str()`` is the Chinese message without the row prefix."""


def suggest(text: str, candidates: dict[str, str]) -> str | None:
    """The display name closest to ``text`` among ``{key: display}``, or None."""
    found = close_matches(text, candidates, n=1)
    return found[0] if found else None


def close_matches(text: str, candidates, n: int = 3) -> list[str]:
    """Up to ``n`` names close to ``text``: ``candidates`` is ``{key: display}`` or a list of names."""
    if not isinstance(candidates, dict):
        candidates = {key(name): name for name in candidates}
    found = difflib.get_close_matches(key(text), list(candidates), n=n, cutoff=SUGGEST_CUTOFF)
    return [candidates[k] for k in found]


def unknown(label: str, text: str, candidates: dict[str, str], hint: str) -> NotFound:
    guess = suggest(text, candidates)
    if guess:
        return NotFound(f"{label}“{text}”不存在，是否为“{guess}”？")
    return NotFound(f"{label}“{text}”不存在，{hint}")


class UnitDirectory:
    """Active units by full name or short name; "上级单位/单位名称" picks one of several namesakes."""

    def __init__(self, queryset=None):
        units = list((queryset if queryset is not None else OrgUnit.objects.filter(is_active=True)).select_related("parent"))
        self.by_key: dict[str, list[OrgUnit]] = defaultdict(list)
        self.display: dict[str, str] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                if unit not in self.by_key[key(name)]:
                    self.by_key[key(name)].append(unit)
                self.display.setdefault(key(name), name)
        self.qualified: dict[str, OrgUnit] = {}
        for unit in units:
            if unit.parent is not None:
                for parent_name in {unit.parent.name, unit.parent.short_name} - {""}:
                    for name in {unit.name, unit.short_name} - {""}:
                        self.qualified[key(f"{parent_name}/{name}")] = unit

    def resolve(self, text: str, label: str) -> OrgUnit:
        k = key(text).replace("／", "/")
        if "/" in k:
            unit = self.qualified.get(k)
            if unit is None:
                raise unknown(label, text, self.display, "请按“上级单位/单位名称”填写，或先在单位通讯录中添加该单位。")
            return unit
        matches = self.by_key.get(k, [])
        if not matches:
            raise unknown(label, text, self.display, "请先在单位通讯录中添加该单位，或改用系统中的单位全称或简称。")
        if len(matches) > 1:
            example = f"{matches[0].parent.display_name if matches[0].parent else ''}/{matches[0].name}"
            raise NotFound(
                f"{label}“{text}”有 {len(matches)} 个同名单位，请写成“上级单位/单位名称”，如“{example}”。"
            )
        return matches[0]

    def label(self, unit: OrgUnit) -> str:
        """The shortest name that reads back to this unit: short name, full name, or "上级/名称"."""
        for name in (unit.short_name, unit.name):
            if name and self.by_key.get(key(name)) == [unit]:
                return name
        return f"{unit.parent.display_name}/{unit.name}" if unit.parent else unit.name


class LeaderDirectory:
    """Users holding the leader role, by full name (or user name when two leaders share a name)."""

    def __init__(self):
        leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
        self.by_key: dict[str, list[User]] = defaultdict(list)
        self.display: dict[str, str] = {}
        for user in leaders:
            for name in {user.full_name, user.username} - {""}:
                if user not in self.by_key[key(name)]:
                    self.by_key[key(name)].append(user)
            if user.full_name:
                self.display[key(user.full_name)] = user.full_name

    def resolve(self, text: str, label: str = "分管领导") -> User:
        matches = self.by_key.get(key(text), [])
        if not matches:
            raise unknown(label, text, self.display, "请填写具有“分管领导”角色的用户姓名。")
        if len(matches) > 1:
            names = "、".join(sorted(u.username for u in matches))
            raise NotFound(f"{label}“{text}”有 {len(matches)} 位同名领导，请改填用户名（{names}）。")
        return matches[0]

    def label(self, user: User) -> str:
        if user.full_name and self.by_key.get(key(user.full_name)) == [user]:
            return user.full_name
        return user.username


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(前|之前|以前)?$")
_WORKDAYS = re.compile(r"^(\d+)个?工作日(内|之内|以内)?$")
_HOURS = re.compile(r"^(\d+)(?:个)?(?:小时|h)(内|之内|以内)?$")
_IMMEDIATE = {"立即", "立即整改", "立行立改", "即时", "即时整改", "马上", "当日", "当天", "当日整改"}
_CN_NUM = re.compile(r"[零一二两三四五六七八九十百]+")


class TimeLimitDirectory:
    """TimeLimit profiles by name, and by meaning: "三个工作日" and "3 个工作日" are "3个工作日";
    a date means the 指定日期 profile with that deadline."""

    def __init__(self):
        self.limits = list(TimeLimit.objects.all())
        self.by_key = {key(t.name): t for t in self.limits}
        self.by_meaning = {(t.kind, t.amount if t.kind in ("hours", "workdays") else 0): t for t in self.limits}

    def choices_text(self) -> str:
        named = "、".join(t.name for t in self.limits if t.kind != TimeLimit.Kind.DATE)
        return f"{named}，或具体日期（如 2026-06-30）"

    def resolve(self, raw, text: str) -> tuple[TimeLimit, date | None]:
        if isinstance(raw, date):
            return self._dated(raw.date() if hasattr(raw, "date") else raw, text)
        k = key(text)
        if k in self.by_key:
            return self.by_key[k], None
        k = _CN_NUM.sub(lambda m: str(cn_number(m.group(0)) or m.group(0)), k)
        match = _DATE.match(k)
        if match:
            try:
                day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                raise NotFound(f"完成时限“{text}”不是有效的日期。") from None
            return self._dated(day, text)
        meaning = None
        if k in _IMMEDIATE:
            meaning = (TimeLimit.Kind.IMMEDIATE, 0)
        elif _WORKDAYS.match(k):
            meaning = (TimeLimit.Kind.WORKDAYS, int(_WORKDAYS.match(k).group(1)))
        elif _HOURS.match(k):
            meaning = (TimeLimit.Kind.HOURS, int(_HOURS.match(k).group(1)))
        if meaning in self.by_meaning:
            return self.by_meaning[meaning], None
        raise NotFound(f"完成时限“{text}”无法识别，可填：{self.choices_text()}。")

    def _dated(self, day: date, text: str) -> tuple[TimeLimit, date]:
        profile = self.by_meaning.get((TimeLimit.Kind.DATE, 0))
        if profile is None:
            raise NotFound(f"完成时限“{text}”是日期，但系统中没有“指定日期”时限，请联系管理员添加。")
        return profile, day

    @staticmethod
    def label(time_limit: TimeLimit | None, deadline: date | None):
        if deadline is not None:
            return deadline.isoformat()
        return time_limit.name if time_limit else ""


class SiteTypeDirectory:
    def __init__(self):
        types = list(SiteType.objects.all())
        self.by_key = {}
        for site_type in types:
            self.by_key[key(site_type.code)] = site_type
        for site_type in types:
            self.by_key[key(site_type.name)] = site_type
        self.display = {key(t.name): t.name for t in types}

    def resolve(self, text: str, label: str = "点位类型") -> SiteType:
        found = self.by_key.get(key(text))
        if found is None:
            raise unknown(label, text, self.display, f"可选类型：{'、'.join(self.display.values())}。")
        return found


class DistrictDirectory:
    """Districts by name or short name, and the streets under each."""

    def __init__(self):
        units = list(OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET], is_active=True))
        districts = [u for u in units if u.kind == OrgUnit.Kind.DISTRICT]
        self.districts = {key(n): d for d in districts for n in {d.name, d.short_name} - {""}}
        self.district_display = {key(d.name): d.name for d in districts}
        self.streets: dict[int, dict[str, OrgUnit]] = defaultdict(dict)
        self.all_streets: dict[str, list[OrgUnit]] = defaultdict(list)
        for street in (u for u in units if u.kind == OrgUnit.Kind.STREET):
            district = next((d for d in districts if street.path.startswith(d.path)), None)
            for name in {street.name, street.short_name} - {""}:
                self.all_streets[key(name)].append(street)
                if district is not None:
                    self.streets[district.pk][key(name)] = street

    def district(self, text: str) -> OrgUnit:
        found = self.districts.get(key(text))
        if found is None:
            raise unknown("区", text, self.district_display, f"可选：{'、'.join(self.district_display.values())}。")
        return found

    def street(self, text: str, district: OrgUnit) -> OrgUnit:
        found = self.streets[district.pk].get(key(text))
        if found is not None:
            return found
        elsewhere = self.all_streets.get(key(text))
        if elsewhere:
            owner = next((d for d in self.districts.values() if elsewhere[0].path.startswith(d.path)), None)
            where = f"属于“{owner.name}”" if owner else "不属于任何区"
            raise NotFound(f"街道“{text}”{where}，不在“{district.name}”。")
        display = {k: s.name for k, s in self.streets[district.pk].items()}
        raise unknown("街道", text, display, f"“{district.name}”下没有这个街道。")


class SiteDirectory:
    """Sites by name, or "区/点位名称" when two districts have a site of the same name."""

    def __init__(self):
        sites = list(Site.objects.select_related("district"))
        self.by_key: dict[str, list[Site]] = defaultdict(list)
        for site in sites:
            self.by_key[key(site.name)].append(site)
            self.by_key[key(f"{site.district.name}/{site.name}")].append(site)
            if site.district.short_name:
                self.by_key[key(f"{site.district.short_name}/{site.name}")].append(site)
        self.display = {key(s.name): s.name for s in sites}

    def resolve(self, text: str, label: str = "限定点位") -> Site:
        matches = self.by_key.get(key(text).replace("／", "/"), [])
        if not matches:
            raise unknown(label, text, self.display, "请填写系统中已有的点位名称（可写成“区/点位名称”）。")
        if len(matches) > 1:
            raise NotFound(f"{label}“{text}”在多个区都有，请写成“区/点位名称”，如“{matches[0].district.name}/{text}”。")
        return matches[0]

    def label(self, site: Site) -> str:
        if len(self.by_key.get(key(site.name), [])) == 1:
            return site.name
        return f"{site.district.name}/{site.name}"


_METHOD_PREFIX = {key(m.value)[:2]: m.value for m in Method}


def resolve_method(text: str) -> str:
    """实地考察 / 实地 / 实地考查 → 实地考察, and so on for the four methods."""
    found = _METHOD_PREFIX.get(key(text)[:2])
    if found is None:
        raise NotFound(f"测评方法“{text}”无法识别，可填：{'、'.join(m.value for m in Method)}。")
    return found
