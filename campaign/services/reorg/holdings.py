"""What a unit holds that a 机构改革 hands on: one ``Holding`` per kind of row (下级单位, 任职,
分管, 点位, 责任分工 …). The merge, the split and their previews walk the same list, so the
preview counts exactly what the change then moves.

Other apps add their own holdings (open tasks live in ``tasks``, which this app may not import):
an app's AppConfig may define ``unit_holdings()`` returning a list of Holding objects, found the
way the 工作台 finds ``todos``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from datetime import date, timedelta

from django.apps import apps
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from campaign.models import Membership, OrgUnit, Oversight, Responsibility, Site, User


class Holding(ABC):
    """One kind of row a unit holds. ``rows(units)`` are the rows the units hold now;
    ``transfer(rows, units, successor, day=, actor=)`` hands those rows to ``successor`` and returns
    how many it moved. ``check(rows, successor)`` returns the reasons the hand-over cannot be
    made (Chinese sentences), before anything is written."""

    key = ""
    label = ""

    @abstractmethod
    def rows(self, units: list[OrgUnit]) -> QuerySet:
        """The rows ``units`` hold now."""

    def describe(self, row) -> str:
        return str(row)

    @abstractmethod
    def transfer(self, rows: QuerySet, units: list[OrgUnit], successor: OrgUnit, *, day: date, actor: User) -> int:
        """Hand ``rows`` to ``successor``; the number moved."""

    def check(self, rows: QuerySet, successor: OrgUnit) -> list[str]:
        """``successor`` may be a unit not saved yet (a merge's new unit): it holds nothing."""
        return []


def _ids(units) -> list[int]:
    return [u.pk for u in units]


class Children(Holding):
    key, label = "children", "下级单位"

    def rows(self, units):
        return OrgUnit.objects.filter(parent__in=_ids(units), is_active=True).order_by("path")

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for child in list(rows):
            repath(child, successor)
            moved += 1
        return moved

    def check(self, rows, successor):
        names = Counter(rows.values_list("name", flat=True))
        taken = set(successor.children.values_list("name", flat=True)) if successor.pk else set()
        clashes = sorted(n for n, times in names.items() if n in taken or times > 1)
        return [f"下级单位“{name}”与“{successor.name}”下已有单位同名，请先更名或合并后再办理。" for name in clashes]


class Memberships(Holding):
    """A post at the old unit ends the day before the change; the same role starts at the
    successor on the day (unless the person already holds it there)."""

    key, label = "memberships", "人员任职"

    def rows(self, units):
        return Membership.objects.current().filter(unit__in=_ids(units)).select_related("user").order_by("role", "pk")

    def describe(self, row):
        return f"{row.user}（{row.get_role_display()}{'·' + row.title if row.title else ''}）"

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for m in list(rows):
            _post_at(m, successor, day)
            Membership.objects.filter(pk=m.pk).update(end=day - timedelta(days=1))
            moved += 1
        return moved


def _post_at(old: Membership, successor: OrgUnit, day: date) -> None:
    held = Membership.objects.filter(user_id=old.user_id, unit=successor, role=old.role).first()
    if held is None:
        Membership.objects.create(user_id=old.user_id, unit=successor, role=old.role, title=old.title, start=day,
                                  end=old.end)
    elif held.end is not None and held.end < day:
        # One row per (person, unit, role): a post held there before is taken up again.
        Membership.objects.filter(pk=held.pk).update(end=None, start=day, title=old.title or held.title)


class Oversights(Holding):
    """分管 in force on the day (or starting later) follows the unit; rows already ended stay as
    the record of who oversaw the old unit."""

    key, label = "oversights", "分管关系"

    def rows(self, units):
        today = timezone.localdate()
        return (Oversight.objects.filter(unit__in=_ids(units)).filter(Q(end__isnull=True) | Q(end__gte=today))
                .select_related("leader", "unit").order_by("pk"))

    def describe(self, row):
        return f"{row.leader} 分管（{row.period_label}）"

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for row in list(rows):
            same = Oversight.objects.filter(leader_id=row.leader_id, unit=successor)
            if row.start >= day:
                # Not begun before the change: it simply names the successor (an identical row
                # there already says the same, so this one goes).
                if same.filter(start=row.start).exists():
                    Oversight.objects.filter(pk=row.pk).delete()
                else:
                    Oversight.objects.filter(pk=row.pk).update(unit=successor)
            else:
                if not same.active(day).exists():
                    Oversight.objects.create(leader_id=row.leader_id, unit=successor, start=day, end=row.end,
                                             note=row.note)
                Oversight.objects.filter(pk=row.pk).update(end=day - timedelta(days=1))
            moved += 1
        return moved


class SiteField(Holding):
    """Sites whose 所属区, 所属街道 or 包保单位 is the old unit."""

    def __init__(self, field: str, part: str, kind: str | None):
        self.field, self.key, self.part, self.kind = field, f"sites_{field}", part, kind
        self.label = f"点位（{part}）"

    def rows(self, units):
        return Site.objects.filter(**{f"{self.field}__in": _ids(units)}).select_related("district").order_by("name")

    def describe(self, row):
        return f"{row.name}（{row.district.name}）"

    def transfer(self, rows, units, successor, *, day, actor):
        return Site.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(**{self.field: successor})

    def check(self, rows, successor):
        if self.kind and successor.kind != self.kind and rows.exists():
            kind = OrgUnit.Kind(self.kind).label
            return [f"“{successor.name}”不是{kind}，不能作为{rows.count()}个点位的{self.part}。"]
        if self.field != "district":
            return []
        taken = set(Site.objects.filter(district=successor).values_list("name", flat=True)) if successor.pk else set()
        arriving = rows.exclude(district=successor) if successor.pk else rows
        names = Counter(arriving.values_list("name", flat=True))
        return [f"点位“{name}”在“{successor.name}”将有同名点位，请先更名后再办理。"
                for name, times in sorted(names.items()) if name in taken or times > 1]


class ResponsibilityLead(Holding):
    key, label = "responsibility_lead", "责任分工（牵头单位）"

    def rows(self, units):
        return Responsibility.objects.filter(lead_unit__in=_ids(units)).select_related("indicator", "lead_unit")

    def transfer(self, rows, units, successor, *, day, actor):
        return Responsibility.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
            lead_unit=successor)


class ResponsibilityMany(Holding):
    """A unit named among a row's 责任单位 or 配合单位: the successor takes its place once."""

    def __init__(self, field: str, label: str):
        self.field, self.key, self.label = field, f"responsibility_{field}", label

    def rows(self, units):
        return (Responsibility.objects.filter(**{f"{self.field}__in": _ids(units)}).distinct()
                .select_related("indicator", "lead_unit"))

    def transfer(self, rows, units, successor, *, day, actor):
        moved = 0
        for row in list(rows):
            related = getattr(row, self.field)
            related.remove(*units)
            if not (self.field == "assisting_units" and row.lead_unit_id == successor.pk):
                related.add(successor)
            moved += 1
        return moved


CAMPAIGN_HOLDINGS = [
    Children(),
    Memberships(),
    Oversights(),
    SiteField("district", "所属区", OrgUnit.Kind.DISTRICT),
    SiteField("street", "所属街道", OrgUnit.Kind.STREET),
    SiteField("adopting_unit", "包保单位", None),
    ResponsibilityLead(),
    ResponsibilityMany("responsible_units", "责任分工（责任单位）"),
    ResponsibilityMany("assisting_units", "责任分工（配合单位）"),
]


def holdings() -> list[Holding]:
    """Every holding: this app's, then each app's ``unit_holdings()``."""
    found = list(CAMPAIGN_HOLDINGS)
    for config in apps.get_app_configs():
        provider = getattr(config, "unit_holdings", None)
        if provider is not None:
            found.extend(provider())
    return found


def repath(unit: OrgUnit, parent: OrgUnit) -> None:
    """Put ``unit`` (and its subtree) under ``parent``: a fresh path there, and every path below
    rewritten in one UPDATE (the new prefix is unused, so the unique index never sees a clash)."""
    old_path = unit.path
    unit.parent = parent
    new_path = unit._next_path()
    delta = new_path.count(".") - old_path.count(".")
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + delta)
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.path, unit.depth = new_path, unit.depth + delta
