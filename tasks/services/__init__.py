"""Writes of the tasks app: create (交办), every lifecycle action, rebound (反弹), due dates.

All lifecycle rules live in ``tasks.models.lifecycle``; ``task_transition`` is the one function that
applies an action: it locks the task, asks the model whether the action is allowed (state, role
and unit, inputs), applies the action's effect, and writes the TaskAction, the audit Event, the
photos and the notifications in one transaction. A refused action raises ``TransitionError``
(``TransitionForbidden`` for a wrong role or unit) and changes nothing: the transaction is an
``archives.services.evidence_atomic`` block, so photo files stored before the refusal (a good
photo next to a bad one) are removed from disk again, not left for the nightly sweeper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from archives.services import evidence_atomic
from campaign.access import handing_path, manages
from campaign.models import Indicator, Membership, OrgUnit, Oversight, Role, Site, TimeLimit, User
from campaign.models.workdays import add_working_days, working_days_between
from campaign.services import diff_fields, event_record, notify
from tasks.models import (
    ExtensionRequest,
    NumberSequence,
    Priority,
    RectificationTask,
    State,
    TaskAction,
    TaskPhoto,
    Transition,
    TransitionError,
    TransitionForbidden,
    TransitionInput,
    sign_due_for,
    yellow_from_for,
)

__all__ = [
    "TransitionError", "TransitionForbidden", "task_create", "task_rebound", "task_set_due", "task_transition",
]

NUMBER_PREFIX = "ZG"


def task_number(year: int, seq: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{seq:05d}"


def task_set_due(task: RectificationTask, due_date: date, *, due_at: datetime | None = None,
                 clock: tuple[date, int] | None = None, save: bool = True) -> RectificationTask:
    """Set a new due date (and, for an hour limit, its exact time ``due_at``) and the yellow
    threshold that follows from it (``yellow_from_for``). ``clock`` (start, working days) says the
    date was counted, so it follows later changes of the working-day calendar; without it the
    date is a given one and stays. The caller records the TaskAction/Event that explains why."""
    task.due_date = due_date
    task.due_at = due_at
    task.clock_start, task.clock_workdays = clock or (None, None)
    task.yellow_from = yellow_from_for(due_date, task.time_limit.yellow_workdays)
    if save:
        task.save(update_fields=["due_date", "due_at", "clock_start", "clock_workdays", "yellow_from",
                                 "updated_at"])
    return task


def _counted(time_limit: TimeLimit, day: date) -> tuple[date, int] | None:
    """The clock of a due date counted from ``day`` by a working-day limit (see task_set_due)."""
    return (day, time_limit.amount) if time_limit.kind == TimeLimit.Kind.WORKDAYS else None


# --- 交办 -----------------------------------------------------------------------------------------


@evidence_atomic()
def task_create(
    *,
    actor: User | None,
    title: str,
    description: str = "",
    source: str,
    indicator: Indicator,
    site: Site | None = None,
    lead_unit: OrgUnit,
    assisting_units: Iterable[OrgUnit] = (),
    leader: User | None = None,
    time_limit: TimeLimit,
    due_date: date | None = None,
    priority: int = Priority.NORMAL,
    assigned_at: datetime | None = None,
    before_photos: Iterable = (),
    before_files: Sequence = (),
    rebound_of: RectificationTask | None = None,
) -> RectificationTask:
    """Hand a problem to a lead unit (交办). The number ``ZG-<year>-<5 digits>`` comes from a locked
    counter, so it is gap-free and unique under concurrent creation. The due date follows the
    time limit through the working-day engine unless ``due_date`` is given (required for a
    指定日期 limit; for other limits it is the office's edited date and wins);
    signing is due one working day after handing over, but never after the deadline
    (``sign_due_for``). ``before_photos`` are stored
    ``archives.EvidenceItem`` rows, ``before_files`` uploaded files stored here as evidence."""
    title = (title or "").strip()
    if not title:
        raise TransitionError("请填写问题标题。")
    assigned_at = assigned_at or timezone.now()
    day = timezone.localdate(assigned_at) if timezone.is_aware(assigned_at) else assigned_at.date()
    due, due_at = _initial_due(time_limit, assigned_at, day, due_date)
    assisting = [u for u in {u.pk: u for u in assisting_units}.values() if u.pk != lead_unit.pk]
    handed_by = rebound_of.handed_by_unit if rebound_of is not None else _handing_unit(actor, lead_unit, assisting)
    seq = NumberSequence.take("task", day.year)[0]
    task = RectificationTask(
        number=task_number(day.year, seq), year=day.year, title=title[:200], description=description.strip(),
        source=source, indicator=indicator, site=site, lead_unit=lead_unit, leader=leader, time_limit=time_limit,
        priority=priority, state=State.ASSIGNED, assigned_at=assigned_at, sign_due=sign_due_for(day, due),
        original_due_date=due, created_by=actor if actor is not None and actor.is_authenticated else None,
        handed_by_unit=handed_by,
        rebound_of=rebound_of, is_recurring=rebound_of is not None,
    )
    task_set_due(task, due, due_at=due_at, clock=_counted(time_limit, day) if due_date is None else None,
                 save=False)
    task.save()
    if assisting:
        task.assisting_units.set(assisting)
    action = TaskAction.objects.create(
        task=task, actor=task.created_by, actor_unit=_actor_unit(actor), action="create", to_state=State.ASSIGNED,
        note=description.strip()[:1000],
        payload={"lead_unit": lead_unit.name, "due_date": due.isoformat(), "assisting": [u.name for u in assisting]},
    )
    _attach_photos(task, action, TaskPhoto.Kind.BEFORE, list(before_photos), before_files, actor, lead_unit)
    event_record(
        actor=actor, verb="task.create", target=task, unit=lead_unit,
        summary=f"交办 {task.number}「{task.title}」给 {lead_unit.name}，期限 {task.due_label}",
    )
    _notify_created(task, assisting)
    return task


def _handing_unit(actor, lead_unit: OrgUnit, assisting: list[OrgUnit]) -> OrgUnit | None:
    """The district whose 区创文办 hands the task over, or None when the city office does (or the
    system: imports, demo). A district office hands over only to units of its own district."""
    if actor is None or not actor.is_authenticated or actor.is_office or not actor.district_office_paths:
        return None
    path = handing_path(actor, lead_unit)
    if path is None:
        raise TransitionError(f"{lead_unit.name}不在本区范围内，区创文办只能交办给本区的单位。", field="lead_unit")
    outside = [u.name for u in assisting if not u.path.startswith(path)]
    if outside:
        raise TransitionError(f"配合单位{'、'.join(outside)}不在本区范围内，请只选择本区的单位。",
                              field="assisting_units")
    return OrgUnit.objects.get(path=path)


def _initial_due(time_limit: TimeLimit, assigned_at: datetime, day: date,
                 due_date: date | None) -> tuple[date, datetime | None]:
    """(due date, exact due time for an hour limit)."""
    try:
        # An explicit date wins (the office edited the proposal); else the time limit decides.
        due = due_date if due_date is not None else time_limit.due_date(assigned_at)
    except ValueError:
        # Only a 指定日期 limit gives no date of its own (TimeLimit.due_date).
        raise TransitionError("整改时限为“指定日期”时，请填写整改期限。", field="due_date") from None
    if due < day:
        raise TransitionError(f"整改期限 {due:%Y-%m-%d} 早于交办日期 {day:%Y-%m-%d}，请修改。", field="due_date")
    return due, (time_limit.due_at(assigned_at) if due_date is None else None)


def _notify_created(task: RectificationTask, assisting: list[OrgUnit]) -> None:
    """The units that must act (sign, assist) are told; the 分管领导 reads it in the daily digest."""
    url, lead, due = task_url(task), task.lead_unit, task.due_label
    notify(recipients=unit_contacts(lead), url=url, title=f"新交办任务待签收：{task.number} {task.title}",
           body=f"请于 {task.sign_due_label} 前签收，整改期限 {due}。")
    for unit in assisting:
        notify(recipients=unit_contacts(unit), url=url, title=f"配合整改任务：{task.number} {task.title}",
               body=f"牵头单位：{lead.name}。请配合整改，并在任务页报送配合情况。")


# --- lifecycle actions ----------------------------------------------------------------------------


@evidence_atomic()
def task_transition(
    *,
    task: RectificationTask,
    actor: User,
    action: str,
    note: str = "",
    proposed_date: date | None = None,
    review_date: date | None = None,
    new_unit: OrgUnit | None = None,
    photos: Iterable = (),
    files: Sequence = (),
    today: date | None = None,
) -> TaskAction:
    """Apply one lifecycle action (see ``tasks.models.lifecycle.TRANSITIONS``) to ``task``.

    ``photos`` are stored EvidenceItem rows, ``files`` uploaded files stored here. Raises
    ``TransitionError`` / ``TransitionForbidden`` and changes nothing when the action is not allowed.
    Returns the TaskAction written; the caller's ``task`` object is refreshed."""
    if action == "rebound":
        raise TransitionError("反弹请通过回头看登记（task_rebound），会同时生成新的整改任务。")
    today = today or timezone.localdate()
    photos = list(photos)
    locked = RectificationTask.objects.select_for_update(of=("self",)).select_related(
        "lead_unit", "time_limit", "leader").get(pk=task.pk)
    given = TransitionInput(note=(note or "").strip(), proposed_date=proposed_date, review_date=review_date,
                            new_unit=new_unit, photo_count=len(photos) + len(files))
    transition = locked.check_transition(action, actor, given, today=today)
    result = _apply(locked, transition, actor, given, today, photos, files)
    task.refresh_from_db()
    return result


def _apply(task, t: Transition, actor, given: TransitionInput, today: date, photos, files) -> TaskAction:
    from_state = task.state
    to_state = task.target_state(t)
    before = _snapshot(task)
    notices = EFFECTS[t.code](task, actor, given, today)
    task.state = to_state
    task.save()
    action = TaskAction.objects.create(
        task=task, actor=actor, actor_unit=_actor_unit(actor, task, t), action=t.code, from_state=from_state,
        to_state=to_state, note=given.note, payload=_payload(before, _snapshot(task), given),
    )
    if t.photo_kind:
        unit = action.actor_unit if t.code == "assist" and action.actor_unit else task.lead_unit
        _attach_photos(task, action, t.photo_kind, photos, files, actor, unit)
    summary = f"{t.label}：{task.number}「{task.title}」"
    if from_state != to_state:
        summary += f"（{State(from_state).label} → {State(to_state).label}）"
    if given.note:
        summary += f"，{t.note_label}：{given.note[:200]}"
    event_record(actor=actor, verb=f"task.{t.code}", target=task, summary=summary, unit=task.lead_unit,
                 changes=action.payload)
    url = task_url(task)
    for recipients, title in notices:
        notify(recipients=[u for u in recipients if u is not None and u.pk != actor.pk], title=title,
               body=given.note, url=url)
    return action


# Each effect changes the task's own fields (not its state) and returns the notifications to send
# as (recipients, title) pairs: only to whoever must act next (README: 谁收到通知). Routine steps
# send none; they reach the office and the 分管领导 in the daily digest (tasks.services.digest).
Effect = Callable[[RectificationTask, User, TransitionInput, date], list]


def _sign(task, actor, given, today):
    task.signed_at, task.signed_by = timezone.now(), actor
    return []


def _request_return(task, actor, given, today):
    task.resume_state = task.state
    return [(office_contacts(task), f"申请退回待处理：{task.number} {task.title}（{task.lead_unit.name}）")]


def _reassign(task, actor, given, today):
    old_unit, new_unit = task.lead_unit, given.new_unit
    now = timezone.now()
    task.lead_unit = new_unit
    task.assisting_units.remove(new_unit)
    task.assigned_at = now
    task.signed_at = task.signed_by = None
    task.resume_state, task.extension_count = "", 0
    if task.time_limit.kind != TimeLimit.Kind.DATE:
        due, due_at = task.time_limit.due_date(now), task.time_limit.due_at(now)
    else:
        due, due_at = max(task.due_date, today), None
    task.original_due_date = due
    task.sign_due = sign_due_for(today, due)
    task_set_due(task, due, due_at=due_at, clock=_counted(task.time_limit, today), save=False)
    return [
        (unit_contacts(new_unit), f"改派任务待签收：{task.number} {task.title}"),
        (unit_contacts(old_unit), f"退回申请已同意，任务已改派给{new_unit.name}：{task.number}"),
    ]


def _back_to_lead(title: str) -> Effect:
    def effect(task, actor, given, today):
        task.resume_state = ""
        return [(unit_contacts(task.lead_unit), f"{title}：{task.number} {task.title}")]

    return effect


def _request_extension(task, actor, given, today):
    needs_leader = task.extension_count >= 1
    ExtensionRequest.objects.create(
        task=task, requested_by=actor, reason=given.note, proposed_date=given.proposed_date,
        old_due_date=task.due_date, needs_leader=needs_leader,
    )
    task.resume_state = task.state
    title = f"延期申请待审批：{task.number} {task.title}，申请延至 {given.proposed_date:%Y-%m-%d}"
    if needs_leader:
        return [(extension_approvers(task), f"（第 {task.extension_count + 1} 次）{title}")]
    return [(office_contacts(task), title)]


def _decide_extension(approved: bool) -> Effect:
    def effect(task, actor, given, today):
        request = task.pending_extension()
        request.status = ExtensionRequest.Status.APPROVED if approved else ExtensionRequest.Status.REFUSED
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), given.note
        request.save()
        task.resume_state = ""
        if not approved:
            return [(unit_contacts(task.lead_unit), f"延期申请未获批准：{task.number}，期限仍为 {task.due_label}")]
        task.extension_count += 1
        task_set_due(task, request.proposed_date, save=False)
        return [(unit_contacts(task.lead_unit), f"延期已批准：{task.number}，新期限 {task.due_date:%Y-%m-%d}")]

    return effect


def _park(task, actor, given, today):
    task.resume_state = task.state
    task.parked_at, task.park_review_date = timezone.now(), given.review_date
    return [(unit_contacts(task.lead_unit), f"任务已挂账：{task.number}，{given.review_date:%Y-%m-%d} 复核")]


def _resume(task, actor, given, today):
    parked_on = timezone.localdate(task.parked_at)
    paused = max(working_days_between(parked_on, today), 0)
    clock = None
    if task.clock_start is not None:
        # Counted from the start on the calendar in force now (it may have changed while parked).
        clock = (task.clock_start, task.clock_workdays + paused)
        due = add_working_days(*clock)
    else:
        due = add_working_days(task.due_date, paused)
    due_at = None
    if task.due_at is not None:  # an hour deadline keeps its time of day on the day it moves to
        due_at = timezone.localtime(task.due_at).replace(year=due.year, month=due.month, day=due.day)
    task_set_due(task, due, due_at=due_at, clock=clock, save=False)
    task.parked_at = task.park_review_date = None
    task.resume_state = ""
    return [(unit_contacts(task.lead_unit),
             f"挂账结束，恢复整改：{task.number}，期限顺延 {paused} 个工作日至 {task.due_label}")]


def _submit(task, actor, given, today):
    task.submitted_at = timezone.now()
    return [(office_contacts(task), f"提交销号待核查：{task.number} {task.title}（{task.lead_unit.name}）")]


def _approve(task, actor, given, today):
    task.closed_at = timezone.now()
    task.closed_on_time = task.done_on_time(task.submitted_at or task.closed_at)
    task.verify_rounds += 1
    return [(unit_contacts(task.lead_unit), f"核查通过，已销号：{task.number} {task.title}")]


def _reject(task, actor, given, today):
    task.verify_rounds += 1
    return [(unit_contacts(task.lead_unit), f"核查未通过，退回重改：{task.number} {task.title}")]


def _assist(task, actor, given, today):
    return [(unit_contacts(task.lead_unit), f"配合单位报送了配合情况：{task.number} {task.title}")]


EFFECTS: dict[str, Effect] = {
    "sign": _sign,
    "request_return": _request_return,
    "reassign": _reassign,
    "refuse_return": _back_to_lead("退回申请未获同意，请继续整改"),
    "request_extension": _request_extension,
    "approve_extension": _decide_extension(True),
    "refuse_extension": _decide_extension(False),
    "park": _park,
    "resume": _resume,
    "submit": _submit,
    "approve": _approve,
    "reject": _reject,
    "assist": _assist,
}


# --- 反弹 ------------------------------------------------------------------------------------------


@evidence_atomic()
def task_rebound(
    *, task: RectificationTask, actor: User, note: str, photos: Iterable = (), files: Sequence = (),
    today: date | None = None,
) -> RectificationTask:
    """回头看 found a closed problem back: the task becomes 反弹 and a new linked task is handed to
    the same units with the priority raised one step. ``photos``/``files`` become the new task's
    before-photos. Returns the new task."""
    today = today or timezone.localdate()
    photos = list(photos)
    old = RectificationTask.objects.select_for_update(of=("self",)).select_related(
        "lead_unit", "time_limit", "leader", "indicator", "site").get(pk=task.pk)
    given = TransitionInput(note=(note or "").strip(), photo_count=len(photos) + len(files))
    t = old.check_transition("rebound", actor, given, today=today)
    old.state = State.REBOUND
    old.save(update_fields=["state", "updated_at"])
    new = task_create(
        actor=actor, title=old.title, source=old.source, indicator=old.indicator, site=old.site,
        description=f"{old.description}\n\n【回头看反弹】{given.note}".strip(),
        lead_unit=old.lead_unit, assisting_units=list(old.assisting_units.all()), leader=old.leader,
        time_limit=old.time_limit, due_date=_rebound_due(old, today), priority=min(old.priority + 1, Priority.CRITICAL),
        before_photos=photos, before_files=files, rebound_of=old,
    )
    TaskAction.objects.create(
        task=old, actor=actor, actor_unit=_actor_unit(actor), action=t.code, from_state=State.CLOSED,
        to_state=State.REBOUND, note=given.note, payload={"new_task": new.number},
    )
    event_record(actor=actor, verb="task.rebound", target=old, unit=old.lead_unit,
                 summary=f"回头看反弹：{old.number}，重新交办为 {new.number}（紧急程度 {new.get_priority_display()}）")
    notify(recipients=[old.leader, *unit_contacts(old.lead_unit)], url=task_url(new), body=given.note,
           title=f"问题反弹，已重新交办：{new.number} {new.title}")
    task.refresh_from_db()
    return new


def _rebound_due(old: RectificationTask, today: date) -> date | None:
    if old.time_limit.kind != TimeLimit.Kind.DATE:
        return None
    span = max(working_days_between(timezone.localdate(old.assigned_at), old.original_due_date), 1)
    return add_working_days(today, span)


# --- helpers --------------------------------------------------------------------------------------


def task_url(task: RectificationTask) -> str:
    return reverse("tasks:detail", args=[task.pk])


def unit_contacts(unit: OrgUnit) -> list[User]:
    """Who acts on a unit's tasks: its liaisons, or its head when it has no liaison. (The head
    hears of the unit's delays through the chase ladder's 催办 and 通报.)"""
    members = Membership.objects.current().filter(unit=unit, role__in=[Role.LIAISON, Role.UNIT_HEAD],
                                        user__is_active=True).select_related("user").order_by("pk")
    liaisons = [m.user for m in members if m.role == Role.LIAISON]
    return list({u.pk: u for u in liaisons or [m.user for m in members]}.values())


def office_contacts(task: RectificationTask) -> list[User]:
    """The office clerk who handed the task over, or every clerk of the office that handed it over
    (the district's 区创文办, else the city office) if they no longer can."""
    creator = task.created_by
    if creator is not None and creator.is_active and creator.has_role(Role.OFFICE, Role.DISTRICT_OFFICE) \
            and manages(creator, task):
        return [creator]
    if task.handed_by_unit_id is not None:
        clerks = User.objects.filter(is_active=True, memberships__role=Role.DISTRICT_OFFICE,
                                     memberships__unit_id=task.handed_by_unit_id).distinct()
        if clerks:
            return list(clerks)
    return list(User.objects.filter(is_active=True, memberships__role=Role.OFFICE).distinct())


def extension_approvers(task: RectificationTask) -> list[User]:
    if task.leader_id:
        return [task.leader]
    over = Oversight.objects.active().covering(task.lead_unit).values("leader_id")
    return list(User.objects.filter(is_active=True, memberships__role=Role.LEADER, pk__in=over).distinct())


def _actor_unit(actor, task: RectificationTask | None = None, t: Transition | None = None) -> OrgUnit | None:
    """The unit the actor acted for: the lead or assisting unit they belong to, else their first unit."""
    if actor is None or not actor.is_authenticated:
        return None
    memberships = Membership.objects.current().filter(user=actor).select_related("unit").order_by("unit__depth", "pk")
    if task is not None and t is not None:
        wanted = [task.lead_unit_id] if t.code != "assist" else list(
            task.assisting_units.values_list("pk", flat=True))
        for m in memberships:
            if m.unit_id in wanted:
                return m.unit
    first = memberships.first()
    return first.unit if first else None


def _snapshot(task: RectificationTask) -> dict:
    return {
        "lead_unit": task.lead_unit.name, "due_date": task.due_date, "extension_count": task.extension_count,
        "park_review_date": task.park_review_date, "closed_on_time": task.closed_on_time,
    }


def _payload(before: dict, after: dict, given: TransitionInput) -> dict:
    payload = diff_fields(before, after)
    for key in ("proposed_date", "review_date"):
        value = getattr(given, key)
        if value is not None:
            payload[key] = value.isoformat()
    return payload


def _attach_photos(task, action, kind, photos: list, files: Sequence, actor, unit: OrgUnit) -> None:
    stored = list(photos) + [_store_photo(f, actor, unit, task, kind) for f in files]
    TaskPhoto.objects.bulk_create(
        [TaskPhoto(task=task, evidence=item, kind=kind, action=action) for item in stored],
        ignore_conflicts=True,
    )


def _store_photo(file, actor, unit: OrgUnit, task: RectificationTask, kind: str):
    """Store one upload through archives (the one way files are stored); a refused file becomes a
    TransitionError so the whole action is refused and rolled back."""
    from archives.services import evidence_store

    label = TaskPhoto.Kind(kind).label
    try:
        return evidence_store(
            file=file, uploader=actor, unit=unit, category="照片" if kind == TaskPhoto.Kind.BEFORE else "整改照片",
            indicators=[task.indicator_id], subject=f"{task.number} {label}"[:200], reason=task.title[:500],
            place=(task.site.name if task.site_id else "")[:200], photos_only=True,
        )
    except ValidationError as exc:
        name = getattr(file, "name", "") or "照片"
        raise TransitionError(f"{name}：{' '.join(exc.messages)}") from None
