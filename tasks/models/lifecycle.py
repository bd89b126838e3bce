"""The task lifecycle in one place: which action may move a task from which state to which, who
may take it, and what they must give. ``tasks.services.task_transition`` is the one function that
applies an action; it asks ``RectificationTask.check_transition`` (below, mixed into the model)
first, so every rule lives here.

    交办 → 待签收 ─签收→ 整改中 ─提交销号→ 待核查 ─核查通过→ 已销号 ─反弹→ 反弹 (+ a new linked task)
                                         └退回重改→ 退回重改 ─提交销号→ 待核查
    side roads: 申请退回 → 改派 (new unit, 待签收) | 不同意退回 (back);
                申请延期 → 批准 (new due date) | 不批准 (back); a second extension needs the 分管领导;
                挂账 (clock paused) → 恢复整改 (due date moved by the working days spent parked);
                配合情况 (assisting units report; the state does not change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from campaign.access import manages, office_over
from tasks.models.choices import State


class TransitionError(Exception):
    """An action that may not happen now, or lacks an input; the message is for the user.
    ``field`` names the input it concerns, when one does (forms show the message there)."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class TransitionForbidden(TransitionError):
    """The actor's role or unit does not allow the action (views answer 403)."""


class Who(StrEnum):
    LEAD = "lead"  # the liaison or unit head of the task's lead unit
    ASSIST = "assist"  # the liaison or unit head of one of the assisting units
    OFFICE = "office"  # the office that handed the task over (市创文办, or the 区创文办 that did)
    VERIFIER = "verifier"  # that office or an inspector (督查员)
    APPROVER = "approver"  # extension decisions: office for the first, the 分管领导 for a second


WHO_LABELS = {
    Who.LEAD: "牵头单位的联络员或单位负责人",
    Who.ASSIST: "配合单位的联络员或单位负责人",
    Who.OFFICE: "交办该任务的创文办工作人员",
    Who.VERIFIER: "交办该任务的创文办工作人员或督查员",
    Who.APPROVER: "审批人（第一次延期由创文办审批，第二次起由分管领导审批）",
}

# Inputs a transition may require.
NOTE, PHOTOS, PROPOSED_DATE, REVIEW_DATE, NEW_UNIT = "note", "photos", "proposed_date", "review_date", "new_unit"


@dataclass(frozen=True)
class Transition:
    """One action. ``target`` None means: back to the state held before the side road was
    entered (``resume_state``), or, for ``assist``, no change."""

    code: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    who: Who
    requires: tuple[str, ...] = ()
    note_label: str = "说明"
    tone: str = "primary"
    photo_kind: str = ""  # TaskPhoto.Kind for uploaded photos
    accepts_photos: bool = False
    help: str = ""

    @property
    def needs_note(self) -> bool:
        return NOTE in self.requires


_WORKING = (State.IN_PROGRESS, State.REWORK)
_OPEN_FOR_ASSIST = (State.ASSIGNED, State.IN_PROGRESS, State.RETURNED_BY_UNIT, State.EXTENSION_REQUESTED,
                    State.PARKED, State.SUBMITTED, State.REWORK)

TRANSITIONS: dict[str, Transition] = {t.code: t for t in [
    Transition("sign", "签收", (State.ASSIGNED,), State.IN_PROGRESS, Who.LEAD, tone="primary",
               help="确认本单位已收到并负责整改。"),
    Transition("request_return", "申请退回", (State.ASSIGNED, State.IN_PROGRESS), State.RETURNED_BY_UNIT,
               Who.LEAD, requires=(NOTE,), note_label="退回理由", tone="outline-warning",
               help="认为不属于本单位职责时申请退回，由创文办改派或不同意退回。"),
    Transition("reassign", "改派", (State.RETURNED_BY_UNIT,), State.ASSIGNED, Who.OFFICE,
               requires=(NEW_UNIT,), note_label="改派说明", tone="primary",
               help="交给另一个牵头单位，重新计算签收和整改期限。"),
    Transition("refuse_return", "不同意退回", (State.RETURNED_BY_UNIT,), None, Who.OFFICE,
               requires=(NOTE,), note_label="不同意的理由", tone="outline-danger",
               help="任务回到申请前的状态，原单位继续负责。"),
    Transition("request_extension", "申请延期", _WORKING, State.EXTENSION_REQUESTED, Who.LEAD,
               requires=(NOTE, PROPOSED_DATE), note_label="延期理由", tone="outline-warning",
               help="须在整改期限届满前申请；第二次延期由分管领导审批。"),
    Transition("approve_extension", "批准延期", (State.EXTENSION_REQUESTED,), None, Who.APPROVER,
               note_label="审批意见", tone="success", help="按申请的日期延长整改期限。"),
    Transition("refuse_extension", "不批准延期", (State.EXTENSION_REQUESTED,), None, Who.APPROVER,
               requires=(NOTE,), note_label="不批准的理由", tone="outline-danger",
               help="整改期限不变，任务回到申请前的状态。"),
    Transition("park", "挂账", _WORKING, State.PARKED, Who.OFFICE, requires=(NOTE, REVIEW_DATE),
               note_label="批准意见", tone="outline-secondary",
               help="长期或季节性工程挂账管理，整改期限暂停计算，到复核日期再复核。"),
    Transition("resume", "恢复整改", (State.PARKED,), None, Who.OFFICE, note_label="说明",
               tone="primary", help="结束挂账，整改期限按挂账期间的工作日顺延。"),
    Transition("submit", "提交销号", _WORKING, State.SUBMITTED, Who.LEAD, requires=(NOTE, PHOTOS),
               note_label="整改情况", tone="success", photo_kind="after", accepts_photos=True,
               help="上传与整改前同角度的整改后照片，并说明整改情况。"),
    Transition("approve", "核查通过销号", (State.SUBMITTED,), State.CLOSED, Who.VERIFIER,
               note_label="核查意见", tone="success", photo_kind="verify", accepts_photos=True,
               help="核查属实，予以销号。可写下核查意见，并上传现场核查照片。"),
    Transition("reject", "退回重改", (State.SUBMITTED,), State.REWORK, Who.VERIFIER, requires=(NOTE,),
               note_label="退回原因", tone="outline-danger", photo_kind="verify", accepts_photos=True,
               help="整改不到位，写明原因退回重改；可上传现场核查照片。"),
    Transition("assist", "报送配合情况", _OPEN_FOR_ASSIST, None, Who.ASSIST, requires=(NOTE,),
               note_label="配合情况", tone="outline-primary", photo_kind="assist", accepts_photos=True,
               help="配合单位报送本单位承担部分的整改情况，不改变任务状态。"),
    Transition("rebound", "反弹", (State.CLOSED,), State.REBOUND, Who.VERIFIER, requires=(NOTE,),
               note_label="反弹情况", tone="outline-danger", photo_kind="before", accepts_photos=True,
               help="回头看发现问题反弹：本任务标记为反弹，并生成一条关联的新任务、提高紧急程度。"),
]}


# The lead unit's actions that wait while the task is passed down (转办) to a unit below it.
HELD_BELOW = frozenset({"submit", "request_return"})


@dataclass
class TransitionInput:
    """What the actor gave with an action (from a form, a spreadsheet or another app)."""

    note: str = ""
    proposed_date: date | None = None
    review_date: date | None = None
    new_unit: object = None  # campaign.OrgUnit
    photo_count: int = 0


class LifecycleMixin:
    """The lifecycle rules of one task (mixed into ``RectificationTask``)."""

    TRANSITIONS = TRANSITIONS

    def transition(self, code: str) -> Transition:
        try:
            return TRANSITIONS[code]
        except KeyError:
            raise TransitionError("未知的操作。") from None

    def check_transition(self, code: str, actor, given: TransitionInput | None = None, *, today: date) -> Transition:
        """Raise ``TransitionForbidden`` unless ``actor``'s role and unit allow the action, then
        ``TransitionError`` unless the task's state allows it now and (when ``given`` is not
        None) the inputs are complete. Changes nothing. Returns the transition."""
        t = self.transition(code)
        if t.who != Who.APPROVER:
            self._check_actor(t, actor)
        if self.state not in t.sources:
            raise TransitionError(f"任务当前状态为“{self.get_state_display()}”，不能{t.label}。")
        if t.who == Who.APPROVER:
            self._check_actor(t, actor)
        self._check_relay(t)
        if given is not None:
            self._check_inputs(t, given, today)
            if given.new_unit is not None and NEW_UNIT in t.requires and not office_over(actor, given.new_unit):
                raise TransitionError("只能改派给本区范围内的单位。", field="new_unit")
        return t

    def target_state(self, t: Transition) -> str:
        if t.target is not None:
            return t.target
        if t.code == "assist":
            return self.state
        return self.resume_state or State.IN_PROGRESS

    def allowed_actions(self, actor, *, today: date) -> list[Transition]:
        """The actions ``actor`` may take now (inputs not yet given), for the buttons."""
        allowed = []
        for t in TRANSITIONS.values():
            if self.state not in t.sources:
                continue
            try:
                self._check_actor(t, actor)
            except TransitionError:
                continue
            if t.code == "request_extension" and today > self.due_date:
                continue
            if t.code in HELD_BELOW and self.is_passed_down:
                continue
            allowed.append(t)
        return allowed

    # --- 转办 (tasks.models.relay) -------------------------------------------------------------

    @property
    def is_passed_down(self) -> bool:
        """A hop down the tree is open (the relay service keeps ``front_due_date`` set exactly then)."""
        return getattr(self, "front_due_date", None) is not None

    def _check_relay(self, t: Transition) -> None:
        """While the task is passed down, the lead unit's work comes back up through the hops
        (逐级核查): it cannot submit or return the task past the units below it."""
        if t.code in HELD_BELOW and self.is_passed_down:
            raise TransitionError(f"任务已转办给下级单位办理，须待其提交、经本单位核查后才能{t.label}；"
                                  "也可以先收回转办。")

    # --- who ---------------------------------------------------------------------------------

    def _check_actor(self, t: Transition, actor) -> None:
        if not getattr(actor, "is_authenticated", False):
            raise TransitionForbidden("请先登录。")
        if t.who == Who.APPROVER:
            self._check_extension_approver(actor)
            return
        if not self.actor_is(t.who, actor):
            raise TransitionForbidden(f"只有{WHO_LABELS[t.who]}可以{t.label}。")

    def actor_is(self, who: Who, actor) -> bool:
        if who == Who.OFFICE:
            return manages(actor, self)
        if who == Who.VERIFIER:
            return manages(actor, self) or actor.has_role("inspector")
        unit_ids = _unit_ids_for(actor, "liaison", "unit_head")
        if who == Who.LEAD:
            return self.lead_unit_id in unit_ids
        if who == Who.ASSIST:
            return bool(unit_ids) and self.assisting_units.filter(pk__in=unit_ids).exists()
        return False

    def pending_extension(self):
        if not hasattr(self, "_pending_extension"):
            self._pending_extension = self.extension_requests.filter(status="pending").first()
        return self._pending_extension

    def _check_extension_approver(self, actor) -> None:
        request = self.pending_extension()
        if request is None:
            raise TransitionError("没有待审批的延期申请。")
        if not request.needs_leader:
            if not manages(actor, self):
                raise TransitionForbidden("第一次延期由交办该任务的创文办审批。")
            return
        if self.leader_id is not None:
            if actor.pk != self.leader_id:
                raise TransitionForbidden(f"这是第 {self.extension_count + 1} 次延期，须由分管领导{self.leader}审批。")
            return
        # No 分管领导 named on the task: a leader whose 分管 scope covers the lead unit decides.
        covers = actor.has_role("leader") and any(self.lead_unit.path.startswith(p) for p in actor.scope_paths)
        if not covers:
            raise TransitionForbidden("第二次及以后的延期须由分管该单位的领导审批。")

    # --- what --------------------------------------------------------------------------------

    def _check_inputs(self, t: Transition, given: TransitionInput, today: date) -> None:
        if NOTE in t.requires and not given.note.strip():
            raise TransitionError(f"请填写{t.note_label}。")
        if PHOTOS in t.requires and given.photo_count < 1:
            raise TransitionError("请至少上传一张整改后照片（与整改前同一角度）。")
        if PROPOSED_DATE in t.requires:
            self._check_proposed_date(given.proposed_date, today)
        if REVIEW_DATE in t.requires:
            if given.review_date is None:
                raise TransitionError("请填写挂账复核日期。")
            if given.review_date <= today:
                raise TransitionError("挂账复核日期须晚于今天。")
        if NEW_UNIT in t.requires:
            if given.new_unit is None:
                raise TransitionError("请选择改派的牵头单位。")
            if given.new_unit.pk == self.lead_unit_id:
                raise TransitionError("改派的单位与原牵头单位相同，请选择另一个单位，或选择“不同意退回”。")

    def _check_proposed_date(self, proposed: date | None, today: date) -> None:
        if today > self.due_date:
            raise TransitionError(
                f"整改期限（{self.due_date:%Y-%m-%d}）已过，不能再申请延期；请尽快整改并提交销号。")
        if proposed is None:
            raise TransitionError("请填写申请延至的日期。")
        if proposed <= self.due_date:
            raise TransitionError(f"申请延至的日期须晚于现在的整改期限 {self.due_date:%Y-%m-%d}。")


def _unit_ids_for(actor, *roles: str) -> frozenset[int]:
    """The ids of the units where ``actor`` holds one of ``roles`` (cached on the user object)."""
    cache = actor.__dict__.setdefault("_task_unit_roles", None)
    if cache is None:
        cache = list(actor.memberships.current().values_list("unit_id", "role"))
        actor.__dict__["_task_unit_roles"] = cache
    return frozenset(unit for unit, role in cache if role in roles)
