"""转办 on the task page: the chain panel's context and one form per hop step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from campaign.access import get_visible
from campaign.services.once import once_per_form, submit_once
from tasks.forms.relay import RelayForm
from tasks.models import Light, RectificationTask, RelayAction, TransitionError, TransitionForbidden
from tasks.models.relay import acting_unit_ids
from tasks.selectors.relay import chain_of, open_hops_of, pass_targets
from tasks.services.relay import relay_act, relay_allowed, relay_check
from tasks.views.detail import _done, _refused


def relay_context(task: RectificationTask, user) -> dict:
    """The chain (城市 → lead unit → each hop) and the hop steps ``user`` may take, for the task page."""
    chain = chain_of(task)
    return {"relay_tiers": chain.tiers() if chain.hops else [], "relay_allowed": relay_allowed(chain, user),
            "relay_hops": chain.hops}


@once_per_form
@require_http_methods(["GET", "POST"])
def relay_step(request, pk, action):
    """One hop step: GET shows its form (modal body or page), POST calls ``relay_act``. Wrong unit →
    403; not allowed now or bad input → the form again with the reason, nothing changed."""
    task = get_visible(RectificationTask.objects.select_related("lead_unit", "time_limit"), request.user, pk=pk)
    chain = chain_of(task)
    allowed = {a["code"] for a in relay_allowed(chain, request.user)}
    if action not in allowed:
        return _not_now(request, task, chain, action)
    code = RelayAction(action)
    bound = request.method == "POST"
    form = RelayForm(request.POST if bound else None, request.FILES if bound else None, code=code,
                     targets=pass_targets(chain) if code == RelayAction.PASS else None, limit=chain.holder_due)
    if bound and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                relay_act(task=task, actor=request.user, action=code, today=timezone.localdate(),
                          **form.service_kwargs())
                once.done(task)
        except TransitionForbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{code.label}：已完成。")
            return _done(request, task)
    template = "tasks/_relay_form.html" if request.htmx else "tasks/relay_step.html"
    return render(request, template, {"task": task, "code": code, "form": form, "chain": chain})


def _not_now(request, task, chain, action):
    """Why the step cannot be taken: the service's own reason (403 for a wrong unit)."""
    try:
        relay_check(chain, action, request.user)
    except TransitionForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except TransitionError as exc:
        message = str(exc)
    else:
        message = "没有可以转办的下级单位。"
    if request.method == "POST":
        return _refused(request, task, message)
    messages.error(request, message)
    return redirect(task)


HOP_LIGHTS = {Light.RED: ("红灯：本单位转办期限已过", "text-danger"),
              Light.YELLOW: ("黄灯：本单位转办期限临近", "text-warning-emphasis"), Light.GREEN: ("绿灯：正常", "text-muted")}


def relay_rows(rows, user, today) -> None:
    """On a list page, a task passed down shows who holds it now; a unit in the chain sees its own
    hop deadline and light on its row (the task is still one row: counts count tasks)."""
    chains = open_hops_of(t.pk for t in rows)
    if not chains:
        return
    mine = acting_unit_ids(user)
    for t in rows:
        hops = chains.get(t.pk)
        if not hops:
            continue
        t.unit_name = f"{t.unit_name} → {hops[-1].to_unit.name}"
        t.place = f"{t.unit_name} · {t.site_name}" if t.site_id else t.unit_name
        held = next((h for h in reversed(hops) if h.to_unit_id in mine), None)
        if held is not None and t.light_code != Light.NONE:  # parked or closed: no light at any tier
            # A tier answers for the tiers below it too: the worst light from its hop down.
            below = [h.light_on(today) for h in hops if h.depth >= held.depth]
            t.light_code = next((c for c in (Light.RED, Light.YELLOW) if c in below), Light.GREEN)
            t.light_title, t.deadline_class = HOP_LIGHTS.get(t.light_code, ("", "text-muted"))
            t.due_text = f"{held.due_date:%Y-%m-%d}"
            t.deadline = f"本单位转办期限（任务期限 {t.due_label}）"
