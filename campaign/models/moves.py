"""Status pipelines of single rows, in the shape of the task lifecycle (``tasks.models.lifecycle``):
each model module keeps a table of the moves its rows may make (action → from which statuses, to
which), and ``check_move`` is the one function that refuses any other move, with the user's
message. Services ask it before they write, so a refused move changes nothing.

Used by ``archives.models`` (EvidenceItem) and ``inspections.models.rounds`` (InspectionRound,
Visit). The task keeps its own richer table (roles, inputs, side roads).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

NEW = ""  # the "status" of a row not yet created (its first move sets one)


@dataclass(frozen=True)
class Move:
    """One action: allowed from any of ``sources``; it leaves the row in one of ``targets``
    (``()``: the status stays). ``refusal`` is the message for any other status; it may name
    ``{state}`` (the current status's label), ``{target}`` and whatever the model passes in."""

    action: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...] = ()
    refusal: str = "当前状态为“{state}”，不能{label}。"

    def allows(self, status: str, target: str | None = None) -> bool:
        if status not in self.sources:
            return False
        return target is None or target in (self.targets or (status,))


def moves(*items: Move) -> dict[str, Move]:
    return {m.action: m for m in items}


def check_move(table: dict[str, Move], action: str, status: str, *, target: str | None = None,
               **context) -> Move:
    """The move ``action`` from ``status`` (to ``target``, for an action with several), or a
    ValidationError with the move's refusal, formatted with ``context`` (give ``state``, the
    status's label, for the default refusal). Changes nothing. An action missing from ``table``
    is a programming error (ValueError), not a user's."""
    try:
        move = table[action]
    except KeyError:
        raise ValueError(f"unknown action: {action}") from None
    if not move.allows(status, target):
        message = move.refusal.format(label=move.label, target=target, **context)
        raise ValidationError(message, code="illegal_move")
    return move
