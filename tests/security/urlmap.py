"""Every URL pattern of the project and, explicitly, which object type each keyword argument names.

The sweep refuses to run when a pattern takes an argument this table does not map: a new view
cannot slip past the access checks unseen. Add the new route here (and the object to the world
in world.py if it is a new type)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from archives.models import EvidenceItem
from campaign.models import (
    CalendarDay,
    Framework,
    Guardianship,
    Indicator,
    Notification,
    OrgUnit,
    Oversight,
    Responsibility,
    Site,
    SiteType,
    UnitAlias,
    UnitGroup,
)
from inspections.models import Checklist, Finding, InspectionRound, RoundSite, Visit, VisitPhoto
from reports.models import Bulletin, ReportRun, Summary
from tasks.models import TRANSITIONS, ChaseNotice, RectificationTask, RelayAction, TaskPhoto


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``name`` is "namespace:name", ``kwargs`` the names of its arguments."""

    name: str
    route: str
    kwargs: tuple[str, ...]
    defaults: tuple[str, ...] = ()

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]


def all_routes() -> list[Route]:
    """Walk the resolver recursively, through every (namespaced) include."""
    found = []

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                    entry.namespace or namespace)
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
                converters = getattr(entry.pattern, "converters", {})
                found.append(Route(name=name, route=prefix + str(entry.pattern), kwargs=tuple(converters),
                                   defaults=tuple(entry.default_args)))

    walk(get_resolver(), "", "")
    return found


# --- object types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectType:
    """What a URL argument names. ``scope`` gives the objects a user may reach (None: not scoped,
    any signed-in user may name any of them; role checks still apply)."""

    model: type
    scope: object = None

    def visible(self, user):
        if self.scope == "visible_to":
            return self.model.objects.visible_to(user)
        if callable(self.scope):
            return self.scope(user)
        return self.model.objects.all()

    @property
    def scoped(self) -> bool:
        return self.scope is not None


def _parent_scoped(model, field: str, parent):
    return lambda user: model.objects.filter(**{f"{field}__in": parent.objects.visible_to(user).values("pk")})


TYPES = {
    "unit": ObjectType(OrgUnit, "visible_to"),
    "notification": ObjectType(Notification, lambda user: Notification.objects.filter(recipient=user)),
    "indicator": ObjectType(Indicator),  # the indicator system is published to every signed-in user
    "framework": ObjectType(Framework),
    "site": ObjectType(Site, "visible_to"),
    "site_type": ObjectType(SiteType),
    "responsibility": ObjectType(Responsibility, "visible_to"),
    "calendar_day": ObjectType(CalendarDay),
    "oversight": ObjectType(Oversight, "visible_to"),
    "unit_group": ObjectType(UnitGroup),  # office-only pages: the capability is the check
    "unit_alias": ObjectType(UnitAlias),
    "guardianship": ObjectType(Guardianship, "visible_to"),
    "task": ObjectType(RectificationTask, "visible_to"),
    "task_photo": ObjectType(TaskPhoto, "visible_to"),
    "chase_notice": ObjectType(ChaseNotice, "visible_to"),
    "round": ObjectType(InspectionRound, "visible_to"),
    "round_site": ObjectType(RoundSite, _parent_scoped(RoundSite, "round", InspectionRound)),
    "visit": ObjectType(Visit, "visible_to"),
    "visit_photo": ObjectType(VisitPhoto, _parent_scoped(VisitPhoto, "visit", Visit)),
    "finding": ObjectType(Finding, "visible_to"),
    "checklist": ObjectType(Checklist, "visible_to"),
    "evidence": ObjectType(EvidenceItem, "visible_to"),
    "report_run": ObjectType(ReportRun, "visible_to"),
    "summary": ObjectType(Summary, "visible_to"),
    "bulletin": ObjectType(Bulletin, "visible_to"),
}

# Arguments that are not objects: the values a page accepts (one invalid value is tried as well).
CHOICES = {
    "import_kind": ("framework", "sites", "units", "people"),
    "photo_size": ("thumb", "print", "original"),
    "file_format": ("pdf", "docx"),
}
# An import waiting for confirmation: a token kept in its uploader's session.
TOKEN = "import_token"

# Child argument → (parent argument, relation) for consistent own-object picks.
RELATIONS = {
    "task_photo": ("task", lambda qs, parent: qs.filter(task=parent)),
    "round_site": ("round", lambda qs, parent: qs.filter(round=parent)),
    "site": ("round", lambda qs, parent: qs.filter(pk__in=parent.planned.values("site_id"))),
}
# Which of several visible objects to prefer for an own-object request (standards for 提交表).
PREFER = {"indicator": ("-level", "pk")}

_ROUND = {"pk": "round"}
_VISIT = {"pk": "visit"}
_EVIDENCE = {"pk": "evidence"}

ROUTES: dict[str, dict[str, str]] = {
    "campaign:unit_detail": {"pk": "unit"},
    "campaign:unit_rename": {"pk": "unit"},
    "campaign:unit_move": {"pk": "unit"},
    "campaign:unit_split": {"pk": "unit"},
    "campaign:notification_open": {"pk": "notification"},
    "reference:indicator_detail": {"pk": "indicator"},
    "reference:indicator_edit": {"pk": "indicator"},
    "reference:framework_edit": {"pk": "framework"},
    "reference:framework_activate": {"pk": "framework"},
    "reference:indicator_create": {"framework_pk": "framework"},
    "reference:site_detail": {"pk": "site"},
    "reference:site_edit": {"pk": "site"},
    "reference:responsibility_edit": {"pk": "responsibility"},
    "reference:responsibility_delete": {"pk": "responsibility"},
    "reference:calendar_delete": {"pk": "calendar_day"},
    "reference:oversight_edit": {"pk": "oversight"},
    "reference:oversight_delete": {"pk": "oversight"},
    "reference:guardianship_edit": {"pk": "guardianship"},
    "reference:guardianship_delete": {"pk": "guardianship"},
    "imports:upload": {"kind": "import_kind"},
    "imports:preview": {"token": TOKEN},
    "imports:confirm": {"token": TOKEN},
    "imports:mapping": {"token": TOKEN},
    "imports:discard": {"token": TOKEN},
    "imports:answer": {"token": TOKEN},
    "imports:forget": {"token": TOKEN},
    "reference:unit_group_edit": {"pk": "unit_group"},
    "reference:unit_group_delete": {"pk": "unit_group"},
    "reference:unit_alias_edit": {"pk": "unit_alias"},
    "reference:unit_alias_delete": {"pk": "unit_alias"},
    "imports:template": {"kind": "import_kind"},
    "imports:export_framework": {"pk": "framework"},
    "imports:accounts": {"token": TOKEN},
    "imports:accounts_download": {"token": TOKEN},
    "imports:accounts_forget": {"token": TOKEN},
    "tasks:detail": {"pk": "task"},
    "tasks:photo": {"pk": "task", "photo_pk": "task_photo"},
    "tasks:photo_size": {"pk": "task", "photo_pk": "task_photo", "size": "photo_size"},
    "tasks:chase_detail": {"pk": "chase_notice"},
    "tasks:chase_pdf": {"pk": "chase_notice"},
    **{f"tasks:{code}": {"pk": "task"} for code in TRANSITIONS},
    **{f"tasks:{code}": {"pk": "task"} for code in RelayAction.values},  # 转办 steps
    "inspections:round_detail": _ROUND,
    "inspections:round_distribute": _ROUND,
    "inspections:roundsite_assign": {"pk": "round", "planned_pk": "round_site"},
    "inspections:round_close": _ROUND,
    "inspections:round_raise": _ROUND,
    "inspections:round_report": _ROUND,
    "inspections:round_report_xlsx": _ROUND,
    "inspections:visit_pick": _ROUND,
    "inspections:visit_start": {"pk": "round", "site_pk": "site"},
    "inspections:visit_detail": _VISIT,
    "inspections:visit_capture": _VISIT,
    "inspections:visit_autosave": _VISIT,
    "inspections:photo_upload": _VISIT,
    "inspections:photo_delete": {"pk": "visit_photo"},
    "inspections:photo": {"pk": "visit_photo", "size": "photo_size"},
    "inspections:finding_raise": {"pk": "finding"},
    "inspections:checklist_create": {"site_type_pk": "site_type"},
    "inspections:checklist_detail": {"pk": "checklist"},
    "inspections:checklist_edit": {"pk": "checklist"},
    **{f"archives:{name}": _EVIDENCE for name in
       ("detail", "download", "print", "thumb", "caption", "submit", "review", "correct")},
    "archives:submission": {"unit_pk": "unit", "indicator_pk": "indicator"},
    "archives:submission_print": {"unit_pk": "unit", "indicator_pk": "indicator"},
    "reports:run_detail": {"pk": "report_run"},
    "reports:run_progress": {"pk": "report_run"},
    "reports:run_download": {"pk": "report_run"},
    "reports:summary_detail": {"pk": "summary"},
    "reports:summary_download": {"pk": "summary", "fmt": "file_format"},
    "reports:bulletin_detail": {"pk": "bulletin"},
    "reports:bulletin_download": {"pk": "bulletin", "fmt": "file_format"},
}

# Pages anyone may open without signing in.
PUBLIC = {"login"}


def swept_routes() -> list[Route]:
    """The routes the sweep visits: everything but the Django admin (checked separately)."""
    return [r for r in all_routes() if not r.name.startswith("admin:")]


def unmapped(routes: list[Route]) -> list[str]:
    """Problems that stop the sweep: unnamed routes, arguments with no type, stale table rows."""
    problems = []
    names = set()
    for route in routes:
        if not route.name or route.name.endswith(":"):
            problems.append(f"未命名的 URL：{route.route}")
            continue
        names.add(route.name)
        args = [k for k in route.kwargs if k not in route.defaults]
        mapping = ROUTES.get(route.name, {})
        missing = [k for k in args if k not in mapping]
        if missing:
            problems.append(f"{route.name}（{route.route}）的参数 {missing} 没有对应的对象类型：请在 tests/security/urlmap.py 的 ROUTES 中登记")
        for kind in mapping.values():
            if kind not in TYPES and kind not in CHOICES and kind != TOKEN:
                problems.append(f"{route.name}：未知的对象类型 {kind}")
    problems += [f"ROUTES 中的 {name} 已不存在，请删除" for name in ROUTES if name not in names]
    return problems
