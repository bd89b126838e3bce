"""Rectification tasks (整改任务): what was found, who must fix it by when, and every step taken."""

from tasks.models.choices import OPEN_STATES, STATE_BADGES, UNFINISHED_STATES, Light, Priority, Source, State
from tasks.models.deadline import DueStatus, moment, sign_due_for, yellow_from_for
from tasks.models.lifecycle import NEW_UNIT as NEW_UNIT_INPUT
from tasks.models.lifecycle import NOTE as NOTE_INPUT
from tasks.models.lifecycle import PHOTOS as PHOTO_INPUT
from tasks.models.lifecycle import PROPOSED_DATE as PROPOSED_DATE_INPUT
from tasks.models.lifecycle import REVIEW_DATE as REVIEW_DATE_INPUT
from tasks.models.lifecycle import TRANSITIONS, Transition, TransitionError, TransitionForbidden, TransitionInput, Who
from tasks.models.records import ACTION_LABELS, ChaseNotice, ExtensionRequest, NumberSequence, TaskAction, TaskPhoto
from tasks.models.relay import OPEN_HOPS, RELAY_RULES, WORKING_HOPS, Hop, RelayAction, Side, TaskRelay
from tasks.models.task import (
    RectificationTask,
    RectificationTaskQuerySet,
    any_of,
    light_case,
    light_condition,
    sees_every_task,
    visibility_branches,
)

__all__ = [
    "OPEN_HOPS", "RELAY_RULES", "WORKING_HOPS", "Hop", "RelayAction", "Side", "TaskRelay",
    "ACTION_LABELS", "DueStatus", "NEW_UNIT_INPUT", "NOTE_INPUT", "PHOTO_INPUT", "PROPOSED_DATE_INPUT", "REVIEW_DATE_INPUT",
    "OPEN_STATES", "STATE_BADGES", "TRANSITIONS", "UNFINISHED_STATES", "ChaseNotice", "ExtensionRequest", "Light",
    "NumberSequence", "Priority", "RectificationTask", "RectificationTaskQuerySet", "Source", "State", "TaskAction",
    "TaskPhoto", "Transition", "TransitionError", "TransitionForbidden", "TransitionInput", "Who", "any_of", "light_case",
    "light_condition", "moment", "sees_every_task", "sign_due_for", "visibility_branches", "yellow_from_for",
]
