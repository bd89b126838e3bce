"""Reads of the reports app: the runs list and the description of a run's scope."""

from __future__ import annotations

from archives.models import CATEGORY_CHOICES
from campaign.access import can
from campaign.models import Framework, Indicator, OrgUnit, User
from reports.models import ReportRun
from tasks.models import RectificationTask


def can_build(user: User) -> bool:
    return can(user, "reports.build")


def may_bind_tasks(user: User) -> bool:
    """Whether a dossier of this user's may carry 整改前后对比 pages: only if the task pages show
    them some task (an assessor reads evidence, never tasks)."""
    return RectificationTask.objects.visible_to(user).exists()


def runs_for(user: User, *, status: str = ""):
    # Summaries and 督查通报 (also ReportRuns) have their own pages; this list is the dossiers'.
    runs = ReportRun.objects.visible_to(user).filter(kind=ReportRun.Kind.DOSSIER).select_related("requested_by", "unit")
    if status in ReportRun.Status.values:
        runs = runs.filter(status=status)
    return runs


def default_compiler(user: User) -> str:
    membership = user.memberships.select_related("unit").order_by("unit__depth").first()
    return membership.unit.name if membership else ""


def describe_parameters(run: ReportRun) -> list[tuple[str, str]]:
    """The scope of a dossier run in words, for its page."""
    p = run.parameters
    framework = Framework.objects.filter(pk=p.get("framework_id")).first()
    indicator = Indicator.objects.filter(pk=p.get("indicator_id")).first() if p.get("indicator_id") else None
    unit = OrgUnit.objects.filter(pk=p.get("unit_id")).first() if p.get("unit_id") else None
    labels = dict(CATEGORY_CHOICES)
    period = "不限"
    if p.get("date_from") or p.get("date_to"):
        period = f"{p.get('date_from') or '不限'} 至 {p.get('date_to') or '不限'}"
    return [
        ("测评体系", str(framework) if framework else "（已删除）"),
        ("指标范围", f"{indicator.code} {indicator.name}" if indicator else "全部指标"),
        ("单位范围", unit.name if unit else "全市"),
        ("材料期间", period),
        ("材料类别", "、".join(labels.get(c, c) for c in p.get("categories") or []) or "全部类别"),
        ("整改前后对比页", "包含" if p.get("include_rectification") else "不包含"),
        ("没有材料的标准", "略去" if p.get("skip_empty") else "装订空白提交表"),
        ("编制单位", p.get("compiler") or "—"),
    ]
