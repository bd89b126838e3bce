"""Writing the planned demo tasks in bulk: numbers, tasks, assisting units, actions, photos,
extension requests, the chase ladder's past notices, audit rows and open to-dos in the inbox.
No query per task: everything goes in with ``bulk_create``, a chunk of tasks at a time so that
``--scale 33`` (100k tasks, ~1M actions) keeps memory flat."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from archives.models import EvidenceItem
from campaign.models import Event, Notification
from demo.archives.photos import VARIANTS
from demo.tasks import photos
from demo.tasks.plan import RUN_AT, chase_history
from demo.tasks.story import Spec
from demo.tasks.world import BEIJING, World
from tasks.models import (
    ChaseNotice,
    ExtensionRequest,
    NumberSequence,
    RectificationTask,
    State,
    TaskAction,
    TaskPhoto,
    yellow_from_for,
)
from tasks.services import task_number
from tasks.services.chase import Issued, notice_number, notification_rows, record_notice_events, sequence_key

BATCH = 2000
CHUNK = 5000
STAMPED = [RectificationTask, TaskAction, TaskPhoto, ExtensionRequest, ChaseNotice, Event, Notification,
           EvidenceItem]


@contextlib.contextmanager
def historic_timestamps():
    """``bulk_create`` stamps auto_now/auto_now_add fields with the current time; a demo history
    needs its own past times, so those flags are lifted while it is written."""
    fields = [f for model in STAMPED for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def write(world: World, specs: list[Spec], images: dict) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    _number(specs)
    with historic_timestamps():
        for start in range(0, len(specs), CHUNK):
            chunk = specs[start:start + CHUNK]
            _tasks(world, chunk)
            counts["actions"] += _actions_and_photos(world, chunk, images)
            counts["extensions"] += _extensions(world, chunk)
            _events(world, chunk)
            counts["inbox"] += _todos(chunk, world)
        links = [RectificationTask(pk=spec.pk, rebound_of_id=spec.rebound_of.pk)
                 for spec in specs if spec.rebound_of is not None]
        RectificationTask.objects.bulk_update(links, ["rebound_of"], batch_size=BATCH)
        counts["notices"] = _notices(world, chase_history(specs, world))
    counts["tasks"] = len(specs)
    return counts


def _number(specs: list[Spec]) -> None:
    """ZG-<year>-<n> in the order the tasks were handed over, gap-free per year."""
    specs.sort(key=lambda spec: spec.actions[0][0])
    by_year: dict[int, list[Spec]] = defaultdict(list)
    for spec in specs:
        by_year[spec.actions[0][0].astimezone(BEIJING).year].append(spec)
    for year, group in sorted(by_year.items()):
        for spec, seq in zip(group, NumberSequence.take("task", year, len(group)), strict=True):
            spec.number = task_number(year, seq)


def _tasks(world: World, chunk: list[Spec]) -> None:
    rows = []
    for spec in chunk:
        created = spec.actions[0][0]
        yellow = world.time_limits[spec.time_limit_id][2]
        spec.row = RectificationTask(
            number=spec.number, year=created.astimezone(BEIJING).year, title=spec.title, description=spec.description,
            source=spec.source, indicator_id=spec.standard.id, site_id=spec.site[0] if spec.site else None,
            lead_unit_id=spec.lead_unit_id, leader_id=spec.route.leader_id, time_limit_id=spec.time_limit_id,
            priority=spec.priority, state=spec.state, assigned_at=spec.assigned_at, sign_due=spec.sign_due,
            signed_at=spec.signed_at, signed_by_id=spec.signed_by_id, due_date=spec.due_date, due_at=spec.due_at,
            original_due_date=spec.original_due_date,
            clock_start=spec.clock[0] if spec.clock else None, clock_workdays=spec.clock[1] if spec.clock else None,
            yellow_from=yellow_from_for(spec.due_date, yellow, world), extension_count=spec.extension_count,
            resume_state=spec.resume_state, parked_at=spec.parked_at, park_review_date=spec.park_review_date,
            submitted_at=spec.submitted_at, closed_at=spec.closed_at, closed_on_time=spec.closed_on_time,
            verify_rounds=spec.verify_rounds, is_recurring=spec.rebound_of is not None, created_by_id=spec.creator_id,
            created_at=created, updated_at=spec.updated_at or created,
        )
        rows.append(spec.row)
    RectificationTask.objects.bulk_create(rows, batch_size=BATCH)
    through = RectificationTask.assisting_units.through
    through.objects.bulk_create(
        [through(rectificationtask_id=spec.row.pk, orgunit_id=u) for spec in chunk for u in spec.route.assisting_ids],
        batch_size=BATCH,
    )
    for spec in chunk:
        spec.pk, spec.row = spec.row.pk, None  # keep the id, let the instance go (memory stays flat)


def _actions_and_photos(world: World, chunk: list[Spec], images: dict) -> int:
    actions, owners = [], []
    for spec in chunk:
        for at, code, before, after, actor, unit, note, payload in spec.actions:
            if code == "rebound" and spec.child is not None:
                payload = {"new_task": spec.child.number}
            actions.append(TaskAction(task_id=spec.pk, actor_id=actor, actor_unit_id=unit, action=code,
                                      from_state=before, to_state=after, note=note, payload=payload, created_at=at))
        owners.append((spec, len(actions) - len(spec.actions)))
    TaskAction.objects.bulk_create(actions, batch_size=BATCH)
    evidence, links = [], []
    for spec, offset in owners:
        for i, (kind, index, taken) in enumerate(spec.photos):
            action = actions[offset + index]
            master = images[(spec.motif, kind == "after", i % VARIANTS)]
            label = "整改前" if kind == "before" else "整改后"
            evidence.append(photos.evidence_row(
                master, kind=kind, unit_id=spec.lead_unit_id, uploader_id=action.actor_id, taken_at=taken,
                place=spec.site[1] if spec.site else world.unit_names.get(spec.lead_unit_id, ""),
                subject=f"{spec.number} {label}", reason=spec.title,
            ))
            links.append((spec.pk, kind, action.pk, taken + timedelta(minutes=20)))
    EvidenceItem.objects.bulk_create(evidence, batch_size=BATCH)
    TaskPhoto.objects.bulk_create(
        [TaskPhoto(task_id=task, evidence_id=item.pk, kind=kind, action_id=action, added_at=added)
         for item, (task, kind, action, added) in zip(evidence, links, strict=True)],
        batch_size=BATCH,
    )
    return len(actions)


def _extensions(world: World, chunk: list[Spec]) -> int:
    rows = []
    fallback = world.office_ids[0] if world.office_ids else None
    for spec in chunk:
        for e in spec.extensions:
            rows.append(ExtensionRequest(
                task_id=spec.pk, requested_by_id=e["requested_by_id"] or spec.creator_id or fallback,
                requested_at=e["requested_at"], reason=e["reason"], proposed_date=e["proposed_date"],
                old_due_date=e["old_due_date"], needs_leader=e["needs_leader"], status=e["status"],
                decided_by_id=e.get("decided_by_id"), decided_at=e.get("decided_at"),
                decision_note=e.get("decision_note", ""),
            ))
    ExtensionRequest.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _events(world: World, chunk: list[Spec]) -> None:
    """The 交办 audit row of each task (later steps are in its TaskAction timeline)."""
    content_type = ContentType.objects.get_for_model(RectificationTask)
    Event.objects.bulk_create([
        Event(actor_id=spec.creator_id, verb="task.create", target_type=content_type, target_id=str(spec.pk),
              target_repr=f"{spec.number} {spec.title}"[:200], unit_id=spec.lead_unit_id, created_at=spec.actions[0][0],
              summary=f"交办 {spec.number}「{spec.title}」给 {world.unit_names.get(spec.lead_unit_id, '')}，"
                      f"期限 {spec.original_due_date:%Y-%m-%d}"[:500])
        for spec in chunk
    ], batch_size=BATCH)


TODO_TITLES = {
    State.ASSIGNED: "新交办任务待签收",
    State.SUBMITTED: "提交销号待核查",
    State.EXTENSION_REQUESTED: "延期申请待审批",
    State.RETURNED_BY_UNIT: "申请退回待处理",
}


def _todos(chunk: list[Spec], world: World) -> int:
    """Unread inbox messages for what is waiting now, as the services would have sent them."""
    rows = []
    for spec in chunk:
        title = TODO_TITLES.get(spec.state)
        if title is None:
            continue
        if spec.state == State.ASSIGNED:
            people = world.liaisons.get(spec.lead_unit_id) or world.heads.get(spec.lead_unit_id, [])
        else:
            people = [spec.creator_id] if spec.creator_id else []
        url = reverse("tasks:detail", args=[spec.pk])
        rows.extend(Notification(recipient_id=p, title=f"{title}：{spec.number} {spec.title}"[:200], url=url,
                                 created_at=spec.updated_at) for p in dict.fromkeys(people))
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _notices(world: World, history: list[tuple]) -> int:
    """The ladder's past notices, numbered per kind and year in the order they were issued."""
    history.sort(key=lambda h: (h[3], h[1], world.unit_paths.get(h[0].lead_unit_id, ""), h[2], h[0].number))
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for item in history:
        groups[(item[1], item[3].year)].append(item)
    notices = []
    for (kind, year), items in sorted(groups.items()):
        seqs = NumberSequence.take(sequence_key(kind), year, len(items))
        for (spec, _kind, due, issued), seq in zip(items, seqs, strict=True):
            notices.append(ChaseNotice(
                task_id=spec.pk, kind=kind, due_date=due, year=year, seq=seq, number=notice_number(kind, year, seq),
                issued_on=issued, created_at=datetime.combine(issued, RUN_AT, BEIJING),
            ))
    ChaseNotice.objects.bulk_create(notices, batch_size=BATCH)
    record_notice_events(ChaseNotice.objects.all())  # the demo writes into a city without notices
    _ladder_inbox(world, notices, {h[0].pk: h[0] for h in history})
    return len(notices)


INBOX_DAYS = 14  # the ladder's messages of the last two weeks are in people's inboxes


def _ladder_inbox(world: World, notices: list[ChaseNotice], specs: dict[int, Spec]) -> None:
    """The messages the daily ladder sent recently, one per person, step and day (read when older
    than three days)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for n in notices:
        if (world.today - n.issued_on).days <= INBOX_DAYS:
            spec = specs[n.task_id]
            groups[(n.kind, n.issued_on)].append({
                "pk": n.pk, "number": n.number, "due_date": n.due_date, "task_id": n.task_id,
                "task_number": spec.number, "title": spec.title, "lead_unit_id": spec.lead_unit_id,
                "leader_id": spec.route.leader_id,
            })
    rows = []
    for (kind, day), items in groups.items():
        sent = datetime.combine(day, RUN_AT, BEIJING)
        for message in notification_rows(Issued(kind, items), day):
            message.created_at = sent
            message.read_at = sent + timedelta(hours=3) if (world.today - day).days > 3 else None
            rows.append(message)
    Notification.objects.bulk_create(rows, batch_size=BATCH)
