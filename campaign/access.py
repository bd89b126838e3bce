"""Who may do what, and the few functions every view uses to reach scoped objects.

``CAN`` is the one table of permissions: each capability names the roles that hold it. The left
navigation, the views (``require``), the flags templates test and the services all ask
``can(user, name)``; nothing else lists roles for a permission. Superusers hold every capability
(and ``User.is_office`` counts them as office). What a user then *sees* inside a page is data
scoping: the querysets' ``visible_to(user)``, never this table alone.

Two offices. The city office (市创文办, ``User.is_office``) acts everywhere. A district office
(区创文办, role ``district_office``, held in a district unit) holds the office capabilities it
shares below (``OFFICES``) but only over its district's subtree: what it *sees* is scoped by
``visible_to`` (its ``scope_paths`` are its district), and what it may *decide* about one unit
or one task is asked of ``office_over(user, unit)`` / ``manages(user, task)``, never of a bare
``is_office``. The office that handed a task over (交办单位) approves its 退回/延期/挂账 and
verifies it; the city office may always step in. Reference data, the calendar, imports, health
and 督查通报 stay with the city office (``OFFICE``).

The module imports no models: the apps' navigation is declared while Django loads the apps.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

OFFICE = frozenset({"office"})
# The city office and the district offices (each over its own district).
OFFICES = frozenset({"office", "district_office"})
EVERY_ROLE = frozenset({"office", "district_office", "leader", "unit_head", "liaison", "archivist", "inspector",
                        "assessor"})
# The roles through which a person keeps a unit's 台账: their uploads are scoped to their own units.
UNIT_UPLOADERS = frozenset({"archivist", "liaison", "unit_head"})
TASK_READERS = frozenset({"office", "district_office", "leader", "unit_head", "liaison", "inspector"})
INSPECTION_READERS = frozenset({"office", "district_office", "leader", "inspector", "assessor"})

CAN: dict[str, frozenset[str]] = {
    # Anyone holding a role: 工作台, 站内通知, 测评体系, 点位, 责任分工, 单位通讯录.
    "portal.use": EVERY_ROLE,
    "reference.edit": OFFICE,  # editions, standards, sites, the matrix, 分管关系, spreadsheets
    "reference.route": frozenset({"office", "inspector"}),  # 交办核对
    "oversight.list": frozenset({"office", "district_office", "leader"}),
    "calendar.edit": OFFICE,
    "imports.use": OFFICE,
    "health.view": OFFICE,
    "tasks.list": TASK_READERS,
    "tasks.create": OFFICES,  # 新建交办 and 批量交办
    "tasks.chase": TASK_READERS,  # 督办文书
    "archives.view": EVERY_ROLE,
    "archives.upload": OFFICE | UNIT_UPLOADERS,
    "archives.review": OFFICE,
    "archives.completeness": EVERY_ROLE,
    "inspections.view": INSPECTION_READERS,  # rounds, visits, findings, round reports
    "inspections.capture": frozenset({"office", "district_office", "inspector", "assessor"}),
    "inspections.my_visits": frozenset({"district_office", "inspector", "assessor"}),
    # The 发现问题 menu entry; an assessor may open the list (inspections.view) but is not led there.
    "inspections.findings_menu": frozenset({"office", "district_office", "leader", "inspector"}),
    "inspections.manage": OFFICES,  # rounds, 回头看, handing findings over (a district: in its district)
    "inspections.checklists": OFFICE,  # 检查表: the city's reference for every site type
    "reports.dossiers": INSPECTION_READERS,
    "reports.build": frozenset({"office", "district_office", "inspector", "assessor"}),
    "reports.dashboard": frozenset({"office", "district_office", "leader"}),
    "reports.dashboard_refresh": OFFICE,
    "reports.summaries": frozenset({"office", "district_office", "leader"}),
    "reports.bulletins": frozenset({"office", "district_office", "leader", "unit_head", "liaison"}),
    "reports.publish": OFFICE,  # a new 督查通报
}


def can(user, capability: str) -> bool:
    """Whether the user holds the capability (an unknown name is a KeyError, not a silent no)."""
    roles = CAN[capability]
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*roles)


def require(user, capability: str) -> None:
    """403 unless the user holds the capability."""
    if not can(user, capability):
        raise PermissionDenied("您没有执行此操作的权限。")


def office_over(user, unit) -> bool:
    """Whether the user acts as the office for ``unit``: the city office for every unit, a
    district office for the units of its district's subtree (the district included)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_office:
        return True
    paths = user.district_office_paths
    return bool(paths) and unit is not None and unit.path.startswith(paths)


def manages(user, task) -> bool:
    """Whether the user is the office that answers for ``task``: the city office always; a
    district office for the tasks its district handed over (``handed_by_unit``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_office:
        return True
    return task.handed_by_unit_id is not None and office_over(user, task.handed_by_unit)


def handing_path(user, unit) -> str | None:
    """The tree path of the district whose office the user hands ``unit`` a task for: None for
    the city office, and for anyone who is no district office over ``unit``."""
    if user.is_office or unit is None:
        return None
    paths = [p for p in user.district_office_paths if unit.path.startswith(p)]
    return max(paths, key=len) if paths else None


def get_visible(queryset, user, **lookup):
    """The object from ``queryset.visible_to(user)`` or 404: another unit's id looks like no id."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def unit_for(user, pk):
    from campaign.models import OrgUnit

    return get_visible(OrgUnit.objects.all(), user, pk=pk)
