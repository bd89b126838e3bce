"""转办 down the tree and 逐级核查 back up (the model and its rules: ``tasks.models.relay``).

``relay_act`` is the one function that applies a hop step. Like ``task_transition`` it locks the
task, checks who may act (the front hop's receiving unit, or the unit that passed it down) and
what they must give, applies the step, keeps the task's earliest open hop deadline
(``front_due_date``) in step, and writes the TaskAction, the audit Event, the photos and the
notifications in one transaction. A refused step raises ``TransitionError``
(``TransitionForbidden`` for a wrong unit) and changes nothing.

The lead unit's verification of the first hop is its own 提交销号 to the office
(``task_transition(action="submit")``, with the photos that came up from below).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Min
from django.utils import timezone

from archives.services import evidence_atomic
from campaign.models import OrgUnit, User
from campaign.services import event_record, notify
from tasks.models import (
    OPEN_HOPS,
    RELAY_RULES,
    WORKING_HOPS,
    Hop,
    RectificationTask,
    RelayAction,
    Side,
    State,
    TaskAction,
    TaskPhoto,
    TaskRelay,
    TransitionError,
    TransitionForbidden,
    yellow_from_for,
)
from tasks.models.relay import acting_unit_ids
from tasks.selectors.relay import Chain, chain_of, pass_targets
from tasks.services import _attach_photos, task_transition, task_url, unit_contacts

__all__ = ["relay_act", "relay_allowed", "relay_check"]

# The task states in which the lead unit, having signed, works on the task and may pass it down.
LEAD_WORKING = (State.IN_PROGRESS, State.REWORK)


# --- who may ------------------------------------------------------------------------------------


def _acts_for(actor, unit: OrgUnit) -> bool:
    return unit.pk in acting_unit_ids(actor)


def _acting_unit(chain: Chain, code: str) -> OrgUnit:
    side = RELAY_RULES[code][0]
    front = chain.front
    if side == Side.HOLDER:
        return chain.holder
    if front is None:
        raise TransitionError("任务没有转办给下级单位。")
    return front.to_unit if side == Side.RECEIVER else front.from_unit


def relay_check(chain: Chain, code: str, actor) -> OrgUnit:
    """Raise unless ``actor`` may take step ``code`` now; return the unit they act for."""
    if code not in RELAY_RULES:
        raise TransitionError("未知的操作。")
    if not getattr(actor, "is_authenticated", False):
        raise TransitionForbidden("请先登录。")
    task, front = chain.task, chain.front
    label = RelayAction(code).label
    unit = _acting_unit(chain, code)
    if not _acts_for(actor, unit):
        raise TransitionForbidden(f"只有{unit.name}的联络员或单位负责人可以{label}。")
    if code == RelayAction.PASS:
        _check_can_pass(task, front, unit)
        return unit
    if task.state in (State.CLOSED, State.REBOUND):
        raise TransitionError(f"任务已{task.get_state_display()}，不能{label}。")
    if front.state not in RELAY_RULES[code][1]:
        raise TransitionError(f"转办当前状态为“{front.get_state_display()}”，不能{label}。")
    return unit


def _check_can_pass(task: RectificationTask, front: TaskRelay | None, unit: OrgUnit) -> None:
    if front is None:
        if task.state == State.ASSIGNED:
            raise TransitionError("请先签收任务，签收后才能转办给下级单位。")
        if task.state not in LEAD_WORKING:
            raise TransitionError(f"任务当前状态为“{task.get_state_display()}”，不能转办。")
        return
    if front.state == Hop.ASSIGNED:
        raise TransitionError("请先签收上级转办的任务，签收后才能继续转办。")
    if front.state not in WORKING_HOPS:
        raise TransitionError(f"转办当前状态为“{front.get_state_display()}”，不能继续转办。")


def relay_allowed(chain: Chain, actor) -> list[dict]:
    """The hop steps ``actor`` may take now, for the buttons of the task page."""
    allowed = []
    for code, rule in RELAY_RULES.items():
        try:
            relay_check(chain, code, actor)
        except TransitionError:
            continue
        if code == RelayAction.PASS and not pass_targets(chain).exists():
            continue
        allowed.append({"code": code, "label": RelayAction(code).label, "tone": rule[5], "help": rule[6]})
    return allowed


# --- the steps ----------------------------------------------------------------------------------


@evidence_atomic()
def relay_act(
    *,
    task: RectificationTask,
    actor: User,
    action: str,
    note: str = "",
    to_unit: OrgUnit | None = None,
    due_date: date | None = None,
    photos: Iterable = (),
    files: Sequence = (),
    today: date | None = None,
) -> TaskAction:
    """Apply one hop step (``RelayAction``) to ``task``. Returns the TaskAction written; the
    caller's ``task`` object is refreshed. Refused → ``TransitionError``, nothing changed."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    photos = list(photos)
    locked = RectificationTask.objects.select_for_update(of=("self",)).select_related(
        "lead_unit", "time_limit", "created_by").get(pk=task.pk)
    chain = chain_of(locked)
    unit = relay_check(chain, action, actor)
    _, _, note_label, needs_note, needs_photos, _, _ = RELAY_RULES[action]
    if needs_note and not note:
        raise TransitionError(f"请填写{note_label}。")
    if needs_photos and not (photos or files):
        raise TransitionError("请至少上传一张整改后照片（与整改前同一角度）。")
    step = STEPS[action]
    result = step(locked, chain, unit, actor, note, to_unit=to_unit, due_date=due_date, photos=photos,
                  files=files, today=today)
    task.refresh_from_db()
    return result


def _pass(task, chain: Chain, unit, actor, note, *, to_unit, due_date, today, **_) -> TaskAction:
    if to_unit is None:
        raise TransitionError("请选择转办的下级单位。", field="to_unit")
    if not pass_targets(chain).filter(pk=to_unit.pk).exists():
        raise TransitionError(f"只能转办给{unit.name}的下级单位，{to_unit.name}不在其下。", field="to_unit")
    limit = chain.holder_due
    if due_date is None:
        raise TransitionError("请填写转办期限。", field="due_date")
    if due_date > limit:
        raise TransitionError(f"转办期限不能晚于本单位的期限 {limit:%Y-%m-%d}。", field="due_date")
    if due_date < today:
        raise TransitionError(f"转办期限不能早于今天（{today:%Y-%m-%d}）。", field="due_date")
    hop = TaskRelay.objects.create(
        task=task, depth=len(chain.open) + 1, from_unit=unit, to_unit=to_unit, due_date=due_date,
        yellow_from=min(yellow_from_for(due_date, task.time_limit.yellow_workdays), due_date), note=note,
        passed_by=actor, passed_at=timezone.now(),
    )
    _keep_front(task)
    action = _record(task, actor, unit, RelayAction.PASS, note, hop,
                     f"转办：{task.number}「{task.title}」由{unit.name}转办给{to_unit.name}，期限 {due_date:%Y-%m-%d}")
    _tell(to_unit, actor, task, note, f"转办任务待签收：{task.number} {task.title}（{unit.name}转办，"
                                      f"期限 {due_date:%Y-%m-%d}）")
    return action


def _sign(task, chain: Chain, unit, actor, note, **_) -> TaskAction:
    hop = chain.front
    hop.state, hop.signed_by, hop.signed_at = Hop.WORKING, actor, timezone.now()
    hop.save(update_fields=["state", "signed_by", "signed_at"])
    return _record(task, actor, unit, RelayAction.SIGN, note, hop,
                   f"签收转办：{task.number}「{task.title}」（{unit.name}）")


def _return(task, chain: Chain, unit, actor, note, **_) -> TaskAction:
    hop = _finish(chain.front, Hop.RETURNED, actor)
    _keep_front(task)
    action = _record(task, actor, unit, RelayAction.RETURN, note, hop,
                     f"退回上级：{task.number}「{task.title}」由{unit.name}退回{hop.from_unit.name}，理由：{note[:200]}")
    _tell(hop.from_unit, actor, task, note, f"转办任务被退回：{task.number} {task.title}（{unit.name}退回，"
                                            "请另行转办或自行办理）")
    return action


def _submit(task, chain: Chain, unit, actor, note, *, photos, files, **_) -> TaskAction:
    hop = chain.front
    hop.state, hop.submitted_at = Hop.SUBMITTED, timezone.now()
    hop.save(update_fields=["state", "submitted_at"])
    action = _record(task, actor, unit, RelayAction.SUBMIT, note, hop,
                     f"提交核查：{task.number}「{task.title}」由{unit.name}提交{hop.from_unit.name}核查")
    _attach_photos(task, action, TaskPhoto.Kind.AFTER, photos, files, actor, unit)
    action.payload["evidence"] = list(action.photos.values_list("evidence_id", flat=True))
    action.save(update_fields=["payload"])
    _tell(hop.from_unit, actor, task, note, f"转办任务提交核查：{task.number} {task.title}（{unit.name}）")
    return action


def _approve(task, chain: Chain, unit, actor, note, *, today, **_) -> TaskAction:
    """Verified: the hop is done, and the work goes one tier up in the same step."""
    hop = _finish(chain.front, Hop.DONE, actor)
    _keep_front(task)
    action = _record(task, actor, unit, RelayAction.APPROVE, note, hop,
                     f"核查通过：{task.number}「{task.title}」，{unit.name}核查{hop.to_unit.name}的整改结果")
    report, evidence = _work_from_below(hop)
    upward = f"{hop.to_unit.name}整改情况：{report}" + (f"\n{unit.name}核查意见：{note}" if note else "")
    parent = next((h for h in chain.open if h.depth == hop.depth - 1), None)
    if parent is None:  # the lead unit verified: its 提交销号 to the office
        task_transition(task=task, actor=actor, action="submit", note=upward, photos=evidence, today=today)
        return action
    parent.state, parent.submitted_at = Hop.SUBMITTED, timezone.now()
    parent.save(update_fields=["state", "submitted_at"])
    _record(task, actor, unit, RelayAction.SUBMIT, upward, parent,
            f"提交核查：{task.number}「{task.title}」由{unit.name}提交{parent.from_unit.name}核查", evidence=evidence)
    _tell(parent.from_unit, actor, task, upward, f"转办任务提交核查：{task.number} {task.title}（{unit.name}）")
    return action


def _reject(task, chain: Chain, unit, actor, note, **_) -> TaskAction:
    hop = chain.front
    hop.state, hop.submitted_at, hop.rework_count = Hop.REWORK, None, hop.rework_count + 1
    hop.save(update_fields=["state", "submitted_at", "rework_count"])
    action = _record(task, actor, unit, RelayAction.REJECT, note, hop,
                     f"退回重改（转办）：{task.number}「{task.title}」，{unit.name}退回{hop.to_unit.name}，原因：{note[:200]}")
    _tell(hop.to_unit, actor, task, note, f"转办任务退回重改：{task.number} {task.title}（{unit.name}核查未通过）")
    return action


def _withdraw(task, chain: Chain, unit, actor, note, **_) -> TaskAction:
    hop = _finish(chain.front, Hop.WITHDRAWN, actor)
    _keep_front(task)
    action = _record(task, actor, unit, RelayAction.WITHDRAW, note, hop,
                     f"收回转办：{task.number}「{task.title}」，{unit.name}从{hop.to_unit.name}收回")
    _tell(hop.to_unit, actor, task, note, f"转办任务已收回：{task.number} {task.title}（{unit.name}收回）")
    return action


STEPS = {
    RelayAction.PASS: _pass, RelayAction.SIGN: _sign, RelayAction.RETURN: _return, RelayAction.SUBMIT: _submit,
    RelayAction.APPROVE: _approve, RelayAction.REJECT: _reject, RelayAction.WITHDRAW: _withdraw,
}


# --- helpers ------------------------------------------------------------------------------------


def _finish(hop: TaskRelay, state: str, actor) -> TaskRelay:
    hop.state, hop.finished_by, hop.finished_at = state, actor, timezone.now()
    hop.save(update_fields=["state", "finished_by", "finished_at"])
    return hop


def _keep_front(task: RectificationTask) -> None:
    """The task carries its earliest open hop deadline, so lists and counts light the lead unit
    by the worst light below it without a join (see ``light_condition``)."""
    front = TaskRelay.objects.filter(task=task, state__in=OPEN_HOPS).aggregate(
        due=Min("due_date"), yellow=Min("yellow_from"))
    task.front_due_date, task.front_yellow_from = front["due"], front["yellow"]
    task.save(update_fields=["front_due_date", "front_yellow_from", "updated_at"])


def _work_from_below(hop: TaskRelay) -> tuple[str, list]:
    """The report and the after-photos the hop's receiving unit last submitted: they travel up
    with each tier's submission (the photo rows stay with the action that uploaded them)."""
    submitted = (TaskAction.objects.filter(task=hop.task_id, action=RelayAction.SUBMIT, payload__hop=hop.pk)
                 .order_by("-created_at", "-id").first())
    if submitted is None:
        return "", []
    ids = submitted.payload.get("evidence", [])
    photos = TaskPhoto.objects.filter(task=hop.task_id, kind=TaskPhoto.Kind.AFTER, evidence_id__in=ids)
    return submitted.note, [p.evidence for p in photos.select_related("evidence")]


def _record(task, actor, unit, code: str, note: str, hop: TaskRelay, summary: str, *,
            evidence: Iterable = ()) -> TaskAction:
    payload = {"hop": hop.pk, "depth": hop.depth, "from_unit": hop.from_unit.name, "to_unit": hop.to_unit.name,
               "due_date": hop.due_date.isoformat(), "hop_state": hop.state}
    if evidence:
        payload["evidence"] = [item.pk for item in evidence]
    action = TaskAction.objects.create(task=task, actor=actor, actor_unit=unit, action=code, from_state=task.state,
                                       to_state=task.state, note=note, payload=payload)
    event_record(actor=actor, verb=f"task.{code}", target=task, unit=unit, summary=summary,
                 changes={"转办": f"{hop.from_unit.name} → {hop.to_unit.name}（{hop.get_state_display()}，"
                                  f"期限 {hop.due_date:%Y-%m-%d}）"})
    return action


def _tell(unit: OrgUnit, actor, task, body: str, title: str) -> None:
    notify(recipients=[u for u in unit_contacts(unit) if u.pk != actor.pk], title=title, body=body, url=task_url(task))
