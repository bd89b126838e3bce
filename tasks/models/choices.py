"""Choices of the tasks app: sources, states, priorities and lights."""

from django.db import models


class Source(models.TextChoices):
    SUPERVISION = "督查", "督查"
    UNDERCOVER = "暗访", "暗访"
    PATROL = "巡查", "巡查"
    MOCK = "模拟测评", "模拟测评"
    LEADER = "领导交办", "领导交办"
    COMPLAINT = "群众投诉", "群众投诉"
    HOTLINE = "12345", "12345热线"
    SELF = "自查", "自查"


class State(models.TextChoices):
    ASSIGNED = "assigned", "待签收"
    IN_PROGRESS = "in_progress", "整改中"
    RETURNED_BY_UNIT = "returned_by_unit", "申请退回"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    PARKED = "parked", "挂账"
    SUBMITTED = "submitted", "待核查"
    REWORK = "rework", "退回重改"
    CLOSED = "closed", "已销号"
    REBOUND = "rebound", "反弹"


# States whose deadline clock runs (and which carry a light). Parked tasks have their clock
# paused; closed and rebounded ones are finished.
OPEN_STATES = [
    State.ASSIGNED, State.IN_PROGRESS, State.RETURNED_BY_UNIT, State.EXTENSION_REQUESTED,
    State.SUBMITTED, State.REWORK,
]
# Not finished: open or parked.
UNFINISHED_STATES = [*OPEN_STATES, State.PARKED]

STATE_BADGES = {
    State.ASSIGNED: "text-bg-primary",
    State.IN_PROGRESS: "text-bg-info",
    State.RETURNED_BY_UNIT: "text-bg-warning",
    State.EXTENSION_REQUESTED: "text-bg-warning",
    State.PARKED: "text-bg-secondary",
    State.SUBMITTED: "text-bg-primary",
    State.REWORK: "text-bg-danger",
    State.CLOSED: "text-bg-success",
    State.REBOUND: "text-bg-dark",
}


class Priority(models.IntegerChoices):
    NORMAL = 1, "一般"
    URGENT = 2, "紧急"
    CRITICAL = 3, "特急"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    NONE = "none", "—"
