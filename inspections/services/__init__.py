"""Writes of the inspections app (keyword-only, atomic, audited)."""

from inspections.services.checklists import checklist_create, checklist_revise
from inspections.services.findings import (
    SOURCE_FOR_KIND,
    RaiseSummary,
    finding_raise_task,
    open_task_for,
    round_raise_tasks,
    visit_submit,
)
from inspections.services.recheck import recheck_picked, recheck_queue_closed_tasks, recheck_settle, recheck_share
from inspections.services.recurrence import flag_recurrence, recurrence_days
from inspections.services.rounds import round_close, round_create, round_distribute, roundsite_assign
from inspections.services.visits import evidence_unit, visit_add_photo, visit_remove_photo, visit_save, visit_start

__all__ = [
    "SOURCE_FOR_KIND", "RaiseSummary", "checklist_create", "checklist_revise", "evidence_unit", "finding_raise_task",
    "flag_recurrence", "open_task_for", "recheck_picked", "recheck_queue_closed_tasks", "recheck_settle",
    "recheck_share", "recurrence_days", "round_close", "round_create", "round_distribute", "round_raise_tasks",
    "roundsite_assign", "visit_add_photo", "visit_remove_photo", "visit_save", "visit_start", "visit_submit",
]
