"""Scopes the figures are kept for: 全市, each district, each unit (with the units below it) and
each 分管领导 (the tasks naming them as leader). A scope knows which (lead unit, leader) cells it
sums and which task-list filter shows the same tasks, so every figure drills down exactly."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaign.models import OrgUnit, Role, User
from campaign.views.params import parse_id
from reports.models import ScopeKind

NOT_SCOPES = (OrgUnit.Kind.CITY, OrgUnit.Kind.OFFICE)
# Units ranked against each other in 红黑榜: those that lead tasks in practice.
RANKED_KINDS = (OrgUnit.Kind.STREET, OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.WINDOW)


@dataclass(frozen=True)
class Scope:
    kind: str
    id: int
    name: str
    path: str = ""
    unit_kind: str = ""

    @property
    def key(self) -> str:
        return "city" if self.kind == ScopeKind.CITY else f"{self.kind}:{self.id}"

    @property
    def label(self) -> str:
        return f"{self.name}（分管领导）" if self.kind == ScopeKind.LEADER else self.name

    def contains(self, cell: tuple[int, int | None], unit_paths: dict[int, str]) -> bool:
        unit, leader = cell
        if self.kind == ScopeKind.CITY:
            return True
        if self.kind == ScopeKind.LEADER:
            return leader == self.id
        return unit_paths.get(unit, "").startswith(self.path)

    def list_params(self) -> dict:
        """The task list's filter (tasks:index) that shows exactly this scope's tasks."""
        if self.kind == ScopeKind.LEADER:
            return {"leader": self.id}
        if self.kind in (ScopeKind.UNIT, ScopeKind.DISTRICT):
            return {"unit": self.id}
        return {}

    def filter_tasks(self, qs):
        if self.kind == ScopeKind.LEADER:
            return qs.filter(leader_id=self.id)
        if self.kind in (ScopeKind.UNIT, ScopeKind.DISTRICT):
            return qs.filter(lead_unit__path__startswith=self.path)
        return qs


def city_name() -> str:
    root = OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY, parent__isnull=True).values_list("name", flat=True).first()
    return root or settings.CITY_NAME


def city_scope(name: str | None = None) -> Scope:
    return Scope(ScopeKind.CITY, 0, name or f"{city_name()}全市")


def unit_scope(unit: OrgUnit) -> Scope:
    kind = ScopeKind.DISTRICT if unit.kind == OrgUnit.Kind.DISTRICT else ScopeKind.UNIT
    return Scope(kind, unit.pk, unit.name, unit.path, unit.kind)


def leader_scope(user: User) -> Scope:
    return Scope(ScopeKind.LEADER, user.pk, user.get_full_name())


def leaders():
    return User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct().order_by("username")


def all_scopes() -> list[Scope]:
    """Every scope a snapshot is taken for (three queries)."""
    units = OrgUnit.objects.filter(is_active=True).exclude(kind__in=NOT_SCOPES).order_by("path")
    return [city_scope(), *(unit_scope(u) for u in units), *(leader_scope(u) for u in leaders())]


def parse_key(key: str) -> tuple[str, int] | None:
    if key == "city":
        return ScopeKind.CITY, 0
    kind, _, ident = (key or "").partition(":")
    if kind in (ScopeKind.DISTRICT, ScopeKind.UNIT, ScopeKind.LEADER) and parse_id(ident):
        return kind, parse_id(ident)
    return None


def can_see_all(user) -> bool:
    return user.is_office


def default_scope(user) -> Scope:
    """Office staff start with the city; a 区创文办 with its district; a leader with their own 分管 scope."""
    if can_see_all(user):
        return city_scope()
    if user.district_office_paths:
        district = OrgUnit.objects.filter(path=min(user.district_office_paths)).first()
        if district is not None:
            return unit_scope(district)
    if user.has_role(Role.LEADER):
        return leader_scope(user)
    raise PermissionDenied("领导驾驶舱仅向创文办和分管领导开放。")


def resolve(user, key: str = "") -> Scope:
    """The scope named by ``key`` if this user may look at it: office staff any; a leader their
    own 分管 scope and the units within their scope; a 区创文办 its district and the units in it. Anything else is 404 (like another unit's id)."""
    if not key:
        return default_scope(user)
    parsed = parse_key(key)
    if parsed is None:
        raise Http404("没有这个统计范围。")
    kind, ident = parsed
    everything = can_see_all(user)
    if not everything and not user.has_role(Role.LEADER, Role.DISTRICT_OFFICE):
        raise PermissionDenied("领导驾驶舱仅向创文办和分管领导开放。")
    if kind == ScopeKind.CITY:
        if not everything:
            raise Http404("没有这个统计范围。")
        return city_scope()
    if kind == ScopeKind.LEADER:
        if not everything and ident != user.pk:
            raise Http404("没有这个统计范围。")
        person = leaders().filter(pk=ident).first()
        if person is None:
            raise Http404("没有这个统计范围。")
        return leader_scope(person)
    units = OrgUnit.objects.all() if everything else OrgUnit.objects.visible_to(user)
    unit = units.exclude(kind__in=NOT_SCOPES).filter(pk=ident).first()
    if unit is None:
        raise Http404("没有这个统计范围。")
    return unit_scope(unit)
