"""The life of one demo task, lived forward from its 交办 until "now": each step is taken at a
plausible working-day moment by the person whose job it is, and the story stops where the clock
stops. Old tasks are therefore mostly closed, recent ones still waiting, and the mix of late
units, extensions, parking, rework and 回头看 rebounds gives every state and light."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from demo.tasks.texts import NOTES
from demo.tasks.world import Route, Standard, World
from tasks.models import State, sign_due_for


@dataclass
class Spec:
    """One task to insert, with its history."""

    assigned_at: datetime
    standard: Standard
    site: tuple | None
    route: Route
    time_limit_id: int
    title: str
    description: str
    source: str
    priority: int
    creator_id: int | None
    motif: str = ""  # the photo motif of its problem kind
    misrouted_to: int | None = None  # a unit it was wrongly handed to first, then re-assigned from
    awaits_return: bool = False  # its unit asked to return it and the office has not answered yet
    due_date: date | None = None
    due_at: datetime | None = None  # hour limits only
    clock: tuple[date, int] | None = None  # (start, working days) of a counted due date
    original_due_date: date | None = None
    sign_due: date | None = None
    state: str = State.ASSIGNED
    signed_at: datetime | None = None
    signed_by_id: int | None = None
    submitted_at: datetime | None = None
    closed_at: datetime | None = None
    closed_on_time: bool | None = None
    parked_at: datetime | None = None
    park_review_date: date | None = None
    extension_count: int = 0
    verify_rounds: int = 0
    resume_state: str = ""
    rebound_of: Spec | None = None
    child: Spec | None = None
    updated_at: datetime | None = None
    number: str = ""
    pk: int | None = None
    row: object = None  # the RectificationTask written for it
    # (at, code, from, to, actor, actor unit, note, payload)
    actions: list[tuple] = field(default_factory=list)
    photos: list[tuple] = field(default_factory=list)  # (kind, action index, taken at)
    extensions: list[dict] = field(default_factory=list)
    timeline: list[tuple] = field(default_factory=list)  # (at, state, due) after every change

    @property
    def lead_unit_id(self) -> int:
        return self.route.lead_unit_id


class Finished(Exception):
    """The next step would happen after "now": the story ends here."""


class Story:
    def __init__(self, spec: Spec, world: World, rng: random.Random):
        self.s, self.w, self.r = spec, world, rng

    def act(self, at: datetime, code: str, to: str | None, *, actor=None, unit=None, note=None, payload=None):
        if at > self.w.now:
            raise Finished
        s = self.s
        before = s.state
        s.state = to or before
        note = note if note is not None else self.r.choice(NOTES.get(code, [""]))
        s.actions.append((at, code, before if code != "create" else "", s.state, actor, unit, note, payload or {}))
        s.timeline.append((at, s.state, s.due_date))
        s.updated_at = at
        return at

    def lead_contact(self):
        return self.w.contact(self.s.lead_unit_id, self.r)

    def office(self):
        return self.r.choice(self.w.office_ids) if self.w.office_ids else None

    def checker(self):
        people = self.w.inspector_ids + self.w.office_ids
        return self.r.choice(people) if people else None

    def live(self) -> Spec | None:
        """Play the story; returns a rebound child task to live next, if one was born."""
        s, w = self.s, self.w
        s.timeline.append((s.assigned_at, State.ASSIGNED, s.due_date))
        self.act(s.assigned_at, "create", State.ASSIGNED, actor=s.creator_id, unit=w.office_unit_id,
                 note=s.description, payload={"due_date": s.due_date.isoformat()})
        s.photos.extend(("before", 0, s.assigned_at - timedelta(hours=2)) for _ in range(1 + (self.r.random() < 0.3)))
        try:
            t = self.sign()
            t = self.work(t)
            t = self.verify(t)
            return self.rebound(t)
        except Finished:
            return None

    # --- steps -----------------------------------------------------------------------------------

    def sign(self) -> datetime:
        s, w, r = self.s, self.w, self.r
        t = w.later(s.assigned_at, r.choices([0, 1, 2, 3], [55, 32, 9, 4])[0], r)
        if s.misrouted_to is not None:
            t = self.act(t, "request_return", State.RETURNED_BY_UNIT, actor=w.contact(s.misrouted_to, r),
                         unit=s.misrouted_to, note=NOTES["request_return"][1])
            s.resume_state = State.ASSIGNED
            t = self.reassign(w.later(t, r.randint(1, 3), r))
            s.resume_state = ""
            t = w.later(t, r.choice([0, 0, 1]), r)
        elif s.awaits_return or r.random() < 0.03:
            t = self.act(t, "request_return", State.RETURNED_BY_UNIT, actor=self.lead_contact(), unit=s.lead_unit_id)
            s.resume_state = State.ASSIGNED
            if s.awaits_return:
                raise Finished
            t = w.later(t, r.randint(1, 3), r)
            t = self.act(t, "refuse_return", State.ASSIGNED, actor=self.office(), unit=w.office_unit_id)
            s.resume_state = ""
            t = w.later(t, r.choice([0, 0, 1]), r)
        actor = self.lead_contact()
        self.act(t, "sign", State.IN_PROGRESS, actor=actor, unit=s.lead_unit_id)
        s.signed_at, s.signed_by_id = t, actor
        return t

    def reassign(self, t: datetime) -> datetime:
        """The office moves a misrouted task to the unit the routing names (its route all along)."""
        s, w = self.s, self.w
        payload = {"lead_unit": [w.unit_names.get(s.misrouted_to, ""), w.unit_names.get(s.lead_unit_id, "")]}
        t = self.act(t, "reassign", State.ASSIGNED, actor=self.office(), unit=w.office_unit_id, payload=payload,
                     note=self.r.choice(NOTES["reassign"]))
        s.assigned_at = t
        kind, amount, _yellow = w.time_limits[s.time_limit_id]
        # As the reassign service: the time limit counts again from now (a given date stays, or today).
        if kind == "workdays":
            self.set_due(t, w.add(t.date(), amount), clock=(t.date(), amount))
        elif kind == "hours":
            self.set_due(t, (t + timedelta(hours=amount)).date(), t + timedelta(hours=amount))
        else:
            self.set_due(t, t.date() if kind == "immediate" else max(s.due_date, t.date()))
        s.original_due_date = s.due_date
        s.sign_due = sign_due_for(t.date(), s.due_date, w)
        return t

    def set_due(self, at: datetime, due: date, due_at: datetime | None = None,
                clock: tuple[date, int] | None = None) -> None:
        self.s.due_date, self.s.due_at, self.s.clock = due, due_at, clock
        self.s.timeline.append((at, self.s.state, due))

    def work(self, t: datetime) -> datetime:
        s, w, r = self.s, self.w, self.r
        if r.random() < 0.1 and w.between(t.date(), s.due_date) >= 2:
            t = self.extension(t)
        elif r.random() < 0.045:
            t = self.park(t)
        return self.submit(t)

    def extension(self, t: datetime) -> datetime:
        s, w, r = self.s, self.w, self.r
        span = w.between(t.date(), s.due_date)
        asked = w.later(t, r.randint(1, span - 1), r)
        request = {"requested_by_id": self.lead_contact(), "requested_at": asked, "old_due_date": s.due_date,
                   "proposed_date": w.add(s.due_date, r.randint(5, 15)), "needs_leader": s.extension_count >= 1,
                   "status": "pending"}
        self.act(asked, "request_extension", State.EXTENSION_REQUESTED, actor=request["requested_by_id"],
                 unit=s.lead_unit_id)
        request["reason"] = s.actions[-1][6]
        s.resume_state = State.IN_PROGRESS
        s.extensions.append(request)
        decided = w.later(asked, r.choice([0, 1, 2, 3, 4]), r)
        approve = r.random() < 0.8
        code = "approve_extension" if approve else "refuse_extension"
        self.act(decided, code, State.IN_PROGRESS, actor=self.office(), unit=w.office_unit_id)
        request.update(status="approved" if approve else "refused", decided_by_id=s.actions[-1][4],
                       decided_at=decided, decision_note=s.actions[-1][6])
        s.resume_state = ""
        if approve:
            s.extension_count += 1
            old = s.due_date
            self.set_due(decided, request["proposed_date"])
            s.actions[-1][7].update({"due_date": [old.isoformat(), s.due_date.isoformat()]})
        return decided

    def park(self, t: datetime) -> datetime:
        s, w, r = self.s, self.w, self.r
        parked = w.later(t, r.randint(1, 3), r)
        review = parked.date() + timedelta(days=r.randint(20, 50))
        self.act(parked, "park", State.PARKED, actor=self.office(), unit=w.office_unit_id,
                 payload={"park_review_date": [None, review.isoformat()]})
        s.resume_state, s.parked_at, s.park_review_date = State.IN_PROGRESS, parked, review
        if r.random() < 0.4:
            raise Finished  # still parked, whatever the date: some engineering waits long
        resumed = w.at(w.add(review, r.randint(0, 2)), r)
        paused = max(w.between(parked.date(), resumed.date()), 0)
        self.act(resumed, "resume", State.IN_PROGRESS, actor=self.office(), unit=w.office_unit_id)
        s.parked_at = s.park_review_date = None
        s.resume_state = ""
        due = w.add(s.due_date, paused)
        self.set_due(resumed, due, s.due_at and s.due_at.replace(year=due.year, month=due.month, day=due.day),
                     s.clock and (s.clock[0], s.clock[1] + paused))
        return resumed

    def submit(self, t: datetime) -> datetime:
        s, w, r = self.s, self.w, self.r
        span = max(w.between(t.date(), s.due_date), 0)
        late = r.random()
        if late < 0.04:  # stalled: weeks past the deadline, the chase ladder's regulars
            at = w.at(w.add(max(s.due_date, t.date()), r.randint(15, 60)), r)
        elif late < 0.24:  # a slow unit: past the deadline
            at = w.at(w.add(max(s.due_date, t.date()), r.randint(1, 12)), r)
        else:
            at = w.later(t, round(span * r.uniform(0.3, 1.0)), r)
        if s.route.assisting_ids and r.random() < 0.3:
            self.assist(t, at)
        return self._submit_at(at)

    def assist(self, start: datetime, until: datetime) -> None:
        """An assisting unit reports its part while the lead unit works."""
        w, r = self.w, self.r
        unit = r.choice(self.s.route.assisting_ids)
        gap = w.between(start.date(), until.date())
        helper = w.later(start, r.randint(1, gap), r) if gap >= 1 else start + (until - start) / 2
        if helper >= until:
            helper = start + (until - start) / 2
        self.act(helper, "assist", None, actor=w.contact(unit, r), unit=unit)

    def _submit_at(self, at: datetime) -> datetime:
        s = self.s
        self.act(at, "submit", State.SUBMITTED, actor=self.lead_contact(), unit=s.lead_unit_id)
        s.submitted_at = at
        s.photos.append(("after", len(s.actions) - 1, at - timedelta(minutes=30)))
        return at

    def verify(self, t: datetime) -> datetime:
        s, w, r = self.s, self.w, self.r
        t = w.later(t, r.choice([1, 1, 2, 3]), r)
        if r.random() < 0.16:
            self.act(t, "reject", State.REWORK, actor=self.checker(), unit=w.office_unit_id)
            s.verify_rounds += 1
            t = self._submit_at(w.later(t, r.randint(2, 6), r))
            t = w.later(t, r.choice([1, 2]), r)
        self.act(t, "approve", State.CLOSED, actor=self.checker(), unit=w.office_unit_id)
        s.verify_rounds += 1
        s.closed_at = t
        s.closed_on_time = (s.submitted_at <= s.due_at) if s.due_at else s.submitted_at.date() <= s.due_date
        return t

    def rebound(self, t: datetime) -> Spec | None:
        s, w, r = self.s, self.w, self.r
        if s.rebound_of is not None or r.random() >= 0.05:
            return None
        found = w.at(w.add(t.date(), r.randint(10, 30)), r)
        if found + timedelta(minutes=40) > w.now:
            raise Finished  # the new task would be handed over after "now": the 回头看 has not happened yet
        self.act(found, "rebound", State.REBOUND, actor=r.choice(w.inspector_ids or w.office_ids or [None]),
                 unit=w.office_unit_id)
        child = Spec(
            assigned_at=found + timedelta(minutes=r.randint(5, 40)), standard=s.standard, site=s.site, route=s.route,
            time_limit_id=s.time_limit_id, title=s.title, source=s.source, priority=min(s.priority + 1, 3),
            motif=s.motif,
            description=f"{s.description}\n\n【回头看反弹】{s.actions[-1][6]}", creator_id=s.actions[-1][4],
            rebound_of=s,
        )
        s.child = child
        return child
