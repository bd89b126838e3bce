"""转办 down the tree: a task the city handed to one unit passes, hop by hop, to units below it.

The task stays ONE row with one number; each hop is a ``TaskRelay`` (from the unit that passed it
down to the unit below it, with its own deadline, no later than the passer's). The open hops of a
task form a chain: depth 1 was passed by the lead unit, depth 2 by the unit of depth 1, and so on.
The deepest open hop's receiving unit is the current holder (当前承办单位); with no open hop the
lead unit holds the task itself. Work comes back up hop by hop (逐级核查): the receiving unit
submits to the unit that passed it down, which verifies and submits upward; the lead unit's
verification is its own 提交销号 to the office. A hop's 退回 goes one tier up.

The lead unit stays accountable: its light is the worst light below it. The task row carries the
earliest open hop deadline (``front_due_date``/``front_yellow_from``, kept by
``tasks.services.relay``) so lists and counts light it in SQL without a join per row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Roles that act for a unit on its tasks (the same as a lead unit's: liaison or unit head).
ACTING_ROLES = ("liaison", "unit_head")


def acting_unit_ids(actor) -> frozenset[int]:
    """The units ``actor`` acts for on tasks (liaison or unit head), cached on the user object."""
    from tasks.models.lifecycle import _unit_ids_for

    if not getattr(actor, "is_authenticated", False):
        return frozenset()
    return _unit_ids_for(actor, *ACTING_ROLES)


class Hop(models.TextChoices):
    ASSIGNED = "assigned", "待签收"
    WORKING = "working", "整改中"
    SUBMITTED = "submitted", "待核查"
    REWORK = "rework", "退回重改"
    DONE = "done", "核查通过"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已收回"


OPEN_HOPS = [Hop.ASSIGNED, Hop.WORKING, Hop.SUBMITTED, Hop.REWORK]
# A hop whose receiving unit has signed and is working on it (it may pass it further down).
WORKING_HOPS = [Hop.WORKING, Hop.REWORK]

HOP_BADGES = {
    Hop.ASSIGNED: "text-bg-primary", Hop.WORKING: "text-bg-info", Hop.SUBMITTED: "text-bg-primary",
    Hop.REWORK: "text-bg-danger", Hop.DONE: "text-bg-success", Hop.RETURNED: "text-bg-warning",
    Hop.WITHDRAWN: "text-bg-secondary",
}


class TaskRelayQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_HOPS)

    def visible_to(self, user):
        """Hops are visible exactly when their task is."""
        from tasks.models.task import RectificationTask

        if not user.is_authenticated:
            return self.none()
        return self.filter(task__in=RectificationTask.objects.visible_to(user).values("pk"))


class TaskRelay(models.Model):
    """One hop of a task down the tree (转办)."""

    task = models.ForeignKey("tasks.RectificationTask", verbose_name="整改任务", on_delete=models.CASCADE,
                             related_name="relays")
    depth = models.PositiveSmallIntegerField("转办层级", help_text="1 为牵头单位转出的第一级")
    from_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="转出单位", on_delete=models.PROTECT,
                                  related_name="+")
    to_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="承办单位", on_delete=models.PROTECT,
                                related_name="relayed_tasks")
    due_date = models.DateField("转办期限")
    yellow_from = models.DateField("黄灯起始日")
    state = models.CharField("状态", max_length=10, choices=Hop.choices, default=Hop.ASSIGNED)
    note = models.TextField("转办说明", blank=True)
    passed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="转办人", null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    passed_at = models.DateTimeField("转办时间")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交核查时间", null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField("退回重改次数", default=0)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = TaskRelayQuerySet.as_manager()

    class Meta:
        verbose_name = "转办记录"
        verbose_name_plural = "转办记录"
        ordering = ["task", "passed_at", "id"]
        constraints = [
            # One open hop per tier: the open hops of a task are one chain, never a fan.
            models.UniqueConstraint(fields=["task", "depth"], condition=Q(state__in=[s.value for s in OPEN_HOPS]),
                                    name="relay_one_open_hop_per_tier"),
        ]
        indexes = [
            models.Index(fields=["to_unit", "state"], name="relay_to_unit_state"),
            models.Index(fields=["task", "depth"], name="relay_task_depth"),
        ]

    def __str__(self):
        return f"{self.task_id} → {self.to_unit_id}（第 {self.depth} 级）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_HOPS

    @property
    def badge(self) -> str:
        return HOP_BADGES.get(self.state, "text-bg-secondary")

    def light_on(self, today) -> str:
        from tasks.models.choices import Light

        if not self.is_open:
            return Light.NONE
        if self.due_date < today:
            return Light.RED
        if self.yellow_from <= today:
            return Light.YELLOW
        return Light.GREEN


class Side:
    """Which end of the front hop may take an action."""

    HOLDER = "holder"  # the unit holding the task now (the front hop's receiving unit, or the lead unit)
    RECEIVER = "receiver"  # the front hop's receiving unit
    PASSER = "passer"  # the unit that passed the front hop down


class RelayAction(models.TextChoices):
    """The steps of a hop; each is one URL (tasks:relay_pass …) and one TaskAction code."""

    PASS = "relay_pass", "转办"
    SIGN = "relay_sign", "签收转办"
    RETURN = "relay_return", "退回上级"
    SUBMIT = "relay_submit", "提交核查"
    APPROVE = "relay_approve", "核查通过并上报"
    REJECT = "relay_reject", "退回重改（转办）"
    WITHDRAW = "relay_withdraw", "收回转办"


# code → (who, hop states it starts from (None: any, checked by the service), note label,
# note required, photos required, button tone, help text)
RELAY_RULES = {
    RelayAction.PASS: (Side.HOLDER, None, "转办说明", False, False, "outline-primary",
                       "交给本单位的下级单位办理，期限不得晚于本单位的期限；本单位仍对任务负责，并核查其整改结果。"),
    RelayAction.SIGN: (Side.RECEIVER, (Hop.ASSIGNED,), "说明", False, False, "primary",
                       "确认本单位已收到上级转办的任务并负责整改。"),
    RelayAction.RETURN: (Side.RECEIVER, (Hop.ASSIGNED, Hop.WORKING, Hop.REWORK), "退回理由", True, False,
                         "outline-warning", "认为不属于本单位办理时退回给转办单位，由其另行转办或自行办理。"),
    RelayAction.SUBMIT: (Side.RECEIVER, (Hop.WORKING, Hop.REWORK), "整改情况", True, True, "success",
                         "上传整改后照片并说明整改情况，提交给转办单位核查（逐级核查）。"),
    RelayAction.APPROVE: (Side.PASSER, (Hop.SUBMITTED,), "核查意见", False, False, "success",
                          "核查属实后向上一级提交；牵头单位核查后即提交创文办销号。"),
    RelayAction.REJECT: (Side.PASSER, (Hop.SUBMITTED,), "退回原因", True, False, "outline-danger",
                         "整改不到位，写明原因退回下级重改。"),
    RelayAction.WITHDRAW: (Side.PASSER, (Hop.ASSIGNED, Hop.WORKING, Hop.REWORK), "收回理由", True, False,
                           "outline-secondary", "收回转办，由本单位自行办理或另行转办。"),
}

RELAY_LABELS = dict(RelayAction.choices)
RELAY_NOTE_LABELS = {code: rule[2] for code, rule in RELAY_RULES.items()}
