"""Matching the names people type against the reference data, with close-match suggestions
("市城官局" → 是否为“市城管局”？). Each directory loads its table once per import."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.utils import timezone

from campaign.models import Method, OrgUnit, Role, Site, SiteType, TimeLimit, User
from campaign.services.spreadsheets.deadlines import TimeMeaning, read_time
from campaign.services.spreadsheets.text import key, split_multi, split_title

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


class Unknown(NotFound):
    """A name the reference data does not know: a question for the office in the preview, not an
    error. ``suggestion`` is the closest known object (or None); ``candidates`` the objects the
    text may mean when several fit (a title several leaders hold)."""

    def __init__(self, kind: str, label: str, text: str, message: str, suggestion=None, candidates=()):
        super().__init__(message)
        self.message, self.kind, self.label, self.text = message, kind, label, text
        self.suggestion, self.candidates = suggestion, list(candidates)


# How a government is written for the district it runs: "东湖区人民政府" is 东湖区 itself.
_GOVERNMENT = re.compile(r"^(.+?[区县市旗])(?:人民)?政府$")
_DISTRICT_SUFFIXES = ("区", "县", "市")


class UnitDirectory:
    """Active units by full name, short name or alias; group names (各区人民政府) stand for their
    members; "上级单位/单位名称" picks one of several namesakes. A name also resolves written with
    or without the city's 市 prefix ("城管局", "江城市城管局"), "X区人民政府" is district X, and
    "东湖" is 东湖区 when only one unit fits. ``aliases`` adds names answered in the preview."""

    def __init__(self, queryset=None, *, aliases: dict[str, OrgUnit] | None = None):
        from campaign.models import UnitAlias, UnitGroup

        units = list((queryset if queryset is not None else OrgUnit.objects.filter(is_active=True)).select_related("parent"))
        self.by_key: dict[str, list[OrgUnit]] = defaultdict(list)
        self.display: dict[str, str] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self._add(key(name), unit)
                self.display.setdefault(key(name), name)
        active = {u.pk: u for u in units}
        self.aliases: dict[str, OrgUnit] = {
            a.key: active[a.unit_id] for a in UnitAlias.objects.all() if a.unit_id in active
        }
        self.aliases.update({key(text): unit for text, unit in (aliases or {}).items()})
        self.groups = {g.key: g for g in UnitGroup.objects.prefetch_related("units")}
        self.qualified: dict[str, OrgUnit] = {}
        for unit in units:
            if unit.parent is not None:
                for parent_name in {unit.parent.name, unit.parent.short_name} - {""}:
                    for name in {unit.name, unit.short_name} - {""}:
                        self.qualified[key(f"{parent_name}/{name}")] = unit
        city = key(settings.CITY_NAME)
        self.city_prefixes = tuple(p for p in {city, city.removesuffix("市")} if p)

    def _add(self, k: str, unit: OrgUnit) -> None:
        if unit not in self.by_key[k]:
            self.by_key[k].append(unit)

    def resolve(self, text: str, label: str) -> OrgUnit:
        """One unit; a group name or an unknown name raises."""
        found = self.resolve_many(text, label)
        if len(found) != 1:
            raise NotFound(f"{label}“{text}”代表 {len(found)} 个单位，{label}只能填一个单位。")
        return found[0]

    def resolve_many(self, text: str, label: str) -> list[OrgUnit]:
        """The units one name stands for: one unit, or a group's members."""
        k = key(text).replace("／", "/")
        if "/" in k:
            unit = self.qualified.get(k)
            if unit is None:
                raise self._unknown(label, text)
            return [unit]
        group = self.groups.get(k)
        if group is not None:
            members = group.members()
            if not members:
                raise NotFound(f"{label}“{text}”是单位组，但组里还没有单位，请在“单位组”中设置。")
            return members
        for candidate in self._variants(k):
            matches = self.by_key.get(candidate, [])
            if len(matches) == 1:
                return matches
            if len(matches) > 1:
                example = f"{matches[0].parent.display_name if matches[0].parent else ''}/{matches[0].name}"
                raise NotFound(
                    f"{label}“{text}”有 {len(matches)} 个同名单位，请写成“上级单位/单位名称”，如“{example}”。"
                )
            if candidate in self.aliases:
                return [self.aliases[candidate]]
        raise self._unknown(label, text)

    def _variants(self, k: str) -> list[str]:
        """The same name as offices also write it, most literal first."""
        variants = [k]
        for prefix in self.city_prefixes:
            if k.startswith(prefix) and len(k) > len(prefix):
                rest = k[len(prefix):]
                variants += [rest, f"市{rest}"]
        if k.startswith("市") and len(k) > 2:
            variants.append(k[1:])
        elif not k.startswith("市"):
            variants.append(f"市{k}")
        government = _GOVERNMENT.match(k)
        if government:
            variants.append(government.group(1))
        variants += [f"{k}{suffix}" for suffix in _DISTRICT_SUFFIXES]
        return list(dict.fromkeys(variants))

    def _unknown(self, label: str, text: str) -> Unknown:
        guess = suggest(text, self.display)
        unit = None
        if guess:
            matches = self.by_key.get(key(guess), [])
            unit = matches[0] if len(matches) == 1 else None
        hint = "请先在单位通讯录中添加该单位，或改用系统中的单位全称或简称。"
        message = f"{label}“{text}”不存在，" + (f"是否为“{guess}”？" if guess else hint)
        return Unknown("unit", label, text, message, suggestion=unit)

    def label(self, unit: OrgUnit) -> str:
        """The shortest name that reads back to this unit: short name, full name, or "上级/名称"."""
        for name in (unit.short_name, unit.name):
            if name and self.by_key.get(key(name)) == [unit]:
                return name
        return f"{unit.parent.display_name}/{unit.name}" if unit.parent else unit.name


_IN_CHARGE = re.compile(r"^(?:分管|主管|联系)(?:的)?")


class LeaderDirectory:
    """Users holding the leader role, by full name (or user name when two leaders share a name),
    with a title in brackets ignored ("王建国（副市长）"), or by title alone ("分管副市长") when
    exactly one leader holds that title (任职的职务)."""

    def __init__(self):
        from campaign.models import Membership

        leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
        self.by_key: dict[str, list[User]] = defaultdict(list)
        self.display: dict[str, str] = {}
        for user in leaders:
            for name in {user.full_name, user.username} - {""}:
                if user not in self.by_key[key(name)]:
                    self.by_key[key(name)].append(user)
            if user.full_name:
                self.display[key(user.full_name)] = user.full_name
        self.by_title: dict[str, list[User]] = defaultdict(list)
        posts = Membership.objects.filter(role=Role.LEADER, user__is_active=True).exclude(title="").select_related("user")
        for post in posts:
            for title in split_multi(post.title):
                if post.user not in self.by_title[key(title)]:
                    self.by_title[key(title)].append(post.user)

    def resolve(self, text: str, label: str = "分管领导") -> User:
        name, title = split_title(text)
        matches = self.by_key.get(key(name), [])
        if len(matches) > 1 and title:
            matches = [u for u in matches if u in self._holders(title)] or matches
        if len(matches) > 1:
            names = "、".join(sorted(u.username for u in matches))
            raise NotFound(f"{label}“{text}”有 {len(matches)} 位同名领导，请改填用户名（{names}）。")
        if matches:
            return matches[0]
        holders = self._holders(name) if not title else []
        if len(holders) == 1:
            return holders[0]
        if len(holders) > 1:
            names = "、".join(self.label(u) for u in holders)
            raise Unknown("leader", label, text, f"{label}“{text}”有 {len(holders)} 位领导担任（{names}），请选择是哪一位。",
                          candidates=holders)
        guess = suggest(name, self.display)
        user = self.by_key[key(guess)][0] if guess and len(self.by_key.get(key(guess), [])) == 1 else None
        if user is None and title and len(self._holders(title)) == 1:
            user = self._holders(title)[0]
        message = f"{label}“{text}”不存在，" + (f"是否为“{self.label(user)}”？" if user else "请填写具有“分管领导”角色的用户姓名。")
        raise Unknown("leader", label, text, message, suggestion=user)

    def _holders(self, title: str) -> list[User]:
        k = _IN_CHARGE.sub("", key(title))
        return self.by_title.get(k, []) if k else []

    def label(self, user: User) -> str:
        if user.full_name and self.by_key.get(key(user.full_name)) == [user]:
            return user.full_name
        return user.username


class TimeLimitDirectory:
    """TimeLimit profiles by name, and by meaning (``deadlines.read_time``): "三个工作日" and
    "3 个工作日" are "3个工作日"; a date means the 指定日期 profile with that deadline; 常态化 the
    standing profile. A meaning the city has no profile for gets a new, unsaved one (created when
    the import is confirmed); text that means nothing known raises Unknown (a preview question)."""

    STANDING_WORKDAYS = 5  # a new 长期坚持 profile: a task raised under it gets this many working days

    def __init__(self, year: int | None = None):
        self.year = year or timezone.localdate().year
        self.limits = list(TimeLimit.objects.all())
        self.by_key = {key(t.name): t for t in self.limits}
        self.by_meaning: dict[tuple, TimeLimit] = {}
        for t in self.limits:
            self.by_meaning.setdefault(_meaning_key(t.kind, t.amount), t)
        self.created: dict[tuple, TimeLimit] = {}

    def choices_text(self) -> str:
        named = "、".join(t.name for t in self.limits if t.kind != TimeLimit.Kind.DATE)
        return f"{named}，或具体日期（如 2026-06-30）"

    def resolve(self, raw, text: str) -> tuple[TimeLimit, date | None]:
        if not isinstance(raw, date) and key(text) in self.by_key:
            return self.by_key[key(text)], None
        meaning = read_time(raw, text, self.year)
        if meaning is None:
            if _LOOKS_LIKE_DATE.match(key(text)):
                raise NotFound(f"完成时限“{text}”不是有效的日期。")
            raise Unknown("time", "完成时限", text, f"完成时限“{text}”无法识别。")
        return self.profile(meaning.kind, meaning.amount), meaning.day

    def profile(self, kind: str, amount: int = 0) -> TimeLimit:
        """The city's profile of this meaning, or a new unsaved one (shared by every row)."""
        meaning = _meaning_key(kind, amount)
        found = self.by_meaning.get(meaning) or self.created.get(meaning)
        if found is None:
            if kind == TimeLimit.Kind.STANDING:
                amount = self.STANDING_WORKDAYS
            name = TimeMeaning(kind, amount).profile_name
            found = TimeLimit(name=self._free_name(name), kind=kind, amount=amount, sort_order=100 + len(self.created))
            self.created[meaning] = found
        return found

    def _free_name(self, name: str) -> str:
        taken = set(self.by_key) | {key(t.name) for t in self.created.values()}
        candidate, number = name, 2
        while key(candidate) in taken:
            candidate, number = f"{name}（{number}）", number + 1
        return candidate

    @staticmethod
    def label(time_limit: TimeLimit | None, deadline: date | None):
        if deadline is not None:
            return deadline.isoformat()
        return time_limit.name if time_limit else ""

    @staticmethod
    def understood(time_limit: TimeLimit, deadline: date | None) -> str:
        """What the preview shows beside the typed text."""
        if deadline is not None:
            return deadline.isoformat()
        new = "（新建时限）" if time_limit.pk is None else ""
        if time_limit.kind == TimeLimit.Kind.STANDING:
            return (f"{time_limit.name}{new}：长期坚持，据此交办的任务按 {time_limit.amount} 个工作日计完成时限")
        described = {
            TimeLimit.Kind.WORKDAYS: f"{time_limit.amount} 个工作日", TimeLimit.Kind.HOURS: f"{time_limit.amount} 小时",
            TimeLimit.Kind.DAYS: f"{time_limit.amount} 个自然日", TimeLimit.Kind.IMMEDIATE: "当日",
        }.get(time_limit.kind, "")
        return f"{time_limit.name}{new}" + (f"（{described}）" if described and described != time_limit.name else "")


_LOOKS_LIKE_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?")


def _meaning_key(kind: str, amount: int) -> tuple:
    return (kind, amount if kind in ("hours", "workdays", "days") else 0)


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
    """实地考察 / 实地 / 实地考查 → 实地考察, and so on for each method (网络调查 and 网上申报 differ in
    their second character, so two characters tell every method apart)."""
    found = _METHOD_PREFIX.get(key(text)[:2])
    if found is None:
        raise NotFound(f"测评方法“{text}”无法识别，可填：{'、'.join(m.value for m in Method)}。")
    return found
