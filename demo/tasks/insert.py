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
        links = [RectificationTask(pk=s.pk, rebound_of_id=s.rebound_of.pk) for s in specs if s.rebound_of is not None]
        RectificationTask.objects.bulk_update(links, ["rebound_of"], batch_size=BATCH)
        counts["notices"] = _notices(world, chase_history(specs, world))
    counts["tasks"] = len(specs)
    return counts


def _number(specs: list[Spec]) -> None:
    """ZG-<year>-<n> in the order the tasks were handed over, gap-free per year."""
    specs.sort(key=lambda s: s.actions[0][0])
    by_year: dict[int, list[Spec]] = defaultdict(list)
    for spec in specs:
        by_year[spec.actions[0][0].astimezone(BEIJING).year].append(spec)
    for year, group in sorted(by_year.items()):
        for spec, seq in zip(group, NumberSequence.take("task", year, len(group)), strict=True):
            spec.number = task_number(year, seq)


def _tasks(world: World, chunk: list[Spec]) -> None:
    rows = []
    for s in chunk:
        created = s.actions[0][0]
        yellow = world.time_limits[s.time_limit_id][2]
        s.row = RectificationTask(
            number=s.number, year=created.astimezone(BEIJING).year, title=s.title, description=s.description,
            source=s.source, indicator_id=s.standard.id, site_id=s.site[0] if s.site else None,
            lead_unit_id=s.lead_unit_id, leader_id=s.route.leader_id, time_limit_id=s.time_limit_id,
            priority=s.priority, state=s.state, assigned_at=s.assigned_at, sign_due=s.sign_due, signed_at=s.signed_at,
            signed_by_id=s.signed_by_id, due_date=s.due_date, due_at=s.due_at, original_due_date=s.original_due_date,
            clock_start=s.clock[0] if s.clock else None, clock_workdays=s.clock[1] if s.clock else None,
            yellow_from=yellow_from_for(s.due_date, yellow, world), extension_count=s.extension_count,
            resume_state=s.resume_state, parked_at=s.parked_at, park_review_date=s.park_review_date,
            submitted_at=s.submitted_at, closed_at=s.closed_at, closed_on_time=s.closed_on_time,
            verify_rounds=s.verify_rounds, is_recurring=s.rebound_of is not None, created_by_id=s.creator_id,
            created_at=created, updated_at=s.updated_at or created,
        )
        rows.append(s.row)
    RectificationTask.objects.bulk_create(rows, batch_size=BATCH)
    through = RectificationTask.assisting_units.through
    through.objects.bulk_create(
        [through(rectificationtask_id=s.row.pk, orgunit_id=u) for s in chunk for u in s.route.assisting_ids],
        batch_size=BATCH,
    )
    for s in chunk:
        s.pk, s.row = s.row.pk, None  # keep the id, let the instance go (memory stays flat)


def _actions_and_photos(world: World, chunk: list[Spec], images: dict) -> int:
    actions, owners = [], []
    for s in chunk:
        for at, code, before, after, actor, unit, note, payload in s.actions:
            if code == "rebound" and s.child is not None:
                payload = {"new_task": s.child.number}
            actions.append(TaskAction(task_id=s.pk, actor_id=actor, actor_unit_id=unit, action=code,
                                      from_state=before, to_state=after, note=note, payload=payload, created_at=at))
        owners.append((s, len(actions) - len(s.actions)))
    TaskAction.objects.bulk_create(actions, batch_size=BATCH)
    evidence, links = [], []
    for s, offset in owners:
        for i, (kind, index, taken) in enumerate(s.photos):
            action = actions[offset + index]
            master = images[(s.motif, kind == "after", i % VARIANTS)]
            label = "整改前" if kind == "before" else "整改后"
            evidence.append(photos.evidence_row(
                master, kind=kind, unit_id=s.lead_unit_id, uploader_id=action.actor_id, taken_at=taken,
                place=s.site[1] if s.site else world.unit_names.get(s.lead_unit_id, ""),
                subject=f"{s.number} {label}", reason=s.title,
            ))
            links.append((s.pk, kind, action.pk, taken + timedelta(minutes=20)))
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
    for s in chunk:
        for e in s.extensions:
            rows.append(ExtensionRequest(
                task_id=s.pk, requested_by_id=e["requested_by_id"] or s.creator_id or fallback,
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
        Event(actor_id=s.creator_id, verb="task.create", target_type=content_type, target_id=str(s.pk),
              target_repr=f"{s.number} {s.title}"[:200], unit_id=s.lead_unit_id, created_at=s.actions[0][0],
              summary=f"交办 {s.number}「{s.title}」给 {world.unit_names.get(s.lead_unit_id, '')}，"
                      f"期限 {s.original_due_date:%Y-%m-%d}"[:500])
        for s in chunk
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
    for s in chunk:
        title = TODO_TITLES.get(s.state)
        if title is None:
            continue
        if s.state == State.ASSIGNED:
            people = world.liaisons.get(s.lead_unit_id) or world.heads.get(s.lead_unit_id, [])
        else:
            people = [s.creator_id] if s.creator_id else []
        url = reverse("tasks:detail", args=[s.pk])
        rows.extend(Notification(recipient_id=p, title=f"{title}：{s.number} {s.title}"[:200], url=url,
                                 created_at=s.updated_at) for p in dict.fromkeys(people))
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
