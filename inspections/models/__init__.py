"""Models of the inspections app: checklists per site type (versioned), inspection rounds with their
site sample, visits and their results, findings that become rectification tasks, and the 回头看
queue of closed tasks to re-check."""

from inspections.models.checklists import Checklist, ChecklistItem
from inspections.models.recheck import RecheckItem
from inspections.models.rounds import (
    ROUND_MOVES,
    VISIT_MOVES,
    Finding,
    InspectionRound,
    Result,
    RoundKind,
    RoundSite,
    Visit,
    VisitPhoto,
    VisitResult,
)

__all__ = [
    "ROUND_MOVES",
    "VISIT_MOVES",
    "Checklist",
    "ChecklistItem",
    "Finding",
    "InspectionRound",
    "RecheckItem",
    "Result",
    "RoundKind",
    "RoundSite",
    "Visit",
    "VisitPhoto",
    "VisitResult",
]
