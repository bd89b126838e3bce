"""新建交办: the office's form, with the routing proposal refreshed by htmx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from campaign.access import require
from campaign.models import Indicator, Site, TimeLimit
from campaign.selectors import RULE_LABELS, responsibility_for
from campaign.services.once import once_per_form
from campaign.views.common import create_once
from campaign.views.params import parse_id
from tasks import services
from tasks.forms import TaskCreateForm, site_label, site_search
from tasks.models import TransitionError


@once_per_form
def task_create(request):
    require(request.user, "tasks.create")
    form = TaskCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        task, earlier = create_once(request, form, lambda: services.task_create(
            actor=request.user, title=data["title"], description=data["description"], source=data["source"],
            indicator=data["indicator"], site=data["site"], lead_unit=data["lead_unit"],
            assisting_units=data["assisting_units"], leader=data["leader"], time_limit=data["time_limit"],
            due_date=data["due_date"], priority=data["priority"], before_files=data["before_photos"],
        ), lambda made: made, refusals=(TransitionError, ValidationError))
        if earlier:
            return earlier
        if task:
            messages.success(request, f"已交办 {task.number}，已通知{task.lead_unit.name}签收。")
            return redirect(task)
    routing = _routing_from(form.data) if form.is_bound else None
    return render(request, "tasks/task_create.html", {"form": form, **_proposal_context(routing, form)})


def routing_proposal(request):
    """htmx: choosing the standard or the site re-proposes lead unit, assisting units, leader,
    time limit and due date from the responsibility matrix, and says which rule matched."""
    require(request.user, "tasks.create")
    routing = _routing_from(request.GET)
    initial = {}
    if routing is not None and routing.lead_unit is not None:
        initial = {
            "lead_unit": routing.lead_unit.pk,
            "assisting_units": [u.pk for u in routing.assisting_units],
            "leader": routing.leader.pk if routing.leader else None,
            "time_limit": routing.time_limit.pk if routing.time_limit else _default_limit_pk(),
            "due_date": routing.deadline,
        }
    form = TaskCreateForm(initial=initial, user=request.user)
    return render(request, "tasks/_routing_proposal.html", {"form": form, **_proposal_context(routing, form)})


def site_options(request):
    """htmx: <option>s of the sites whose name or address contains the query."""
    require(request.user, "tasks.create")
    sites = site_search(request.GET.get("site_q", "").strip()[:50])
    return render(request, "tasks/_site_options.html",
                  {"sites": [(s.pk, site_label(s)) for s in sites], "selected": request.GET.get("site", "")})


def due_hint(request):
    """htmx: the due date a time limit gives if the task were handed over now."""
    require(request.user, "tasks.create")
    limit = TimeLimit.objects.filter(pk=_int(request.GET.get("time_limit"))).first()
    return render(request, "tasks/_due_hint.html", {"hint": _due_hint(limit)})


def _routing_from(params):
    indicator = Indicator.objects.active().standards().filter(pk=_int(params.get("indicator"))).first()
    if indicator is None:
        return None
    site = Site.objects.filter(pk=_int(params.get("site"))).first()
    return responsibility_for(indicator, site)


def _proposal_context(routing, form) -> dict:
    limit_pk = form["time_limit"].value()
    limit = TimeLimit.objects.filter(pk=_int(limit_pk)).first() if limit_pk else None
    return {
        "routing": routing,
        "rule_label": RULE_LABELS.get(routing.rule, "") if routing else "",
        "due_hint": _due_hint(limit),
    }


def _due_hint(limit: TimeLimit | None) -> str:
    if limit is None:
        return ""
    if limit.kind == TimeLimit.Kind.DATE:
        return "“指定日期”时限：请填写整改期限。"
    now = timezone.now()
    due, due_at = limit.due_date(now), limit.due_at(now)
    if due_at is not None:
        return f"按“{limit.name}”计算：{due_at:%Y-%m-%d %H:%M}（从现在起按小时计，节假日照常计时；须在此前签收）"
    how = "按工作日计，已计节假日和调休" if limit.kind == TimeLimit.Kind.WORKDAYS else "从现在起算"
    return f"按“{limit.name}”计算：{due:%Y-%m-%d}（{how}）"


def _default_limit_pk():
    return TimeLimit.objects.order_by("sort_order", "id").values_list("pk", flat=True).first()


def _int(value):
    return parse_id(str(value or ""))
