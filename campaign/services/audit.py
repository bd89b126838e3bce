"""Audit events: who changed what, recorded with every write."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from campaign.models import (
    Event,
    OrgUnit,
    User,
)
from campaign.models.audit import readable_changes


def event_record(
    *, actor: User | None, verb: str, target, summary: str, changes: dict | None = None, unit: OrgUnit | None = None
) -> Event:
    """Write one audit row. Every service that changes data calls this in its transaction.

    ``changes`` is ``{field: [old, new]}`` (or ``{field: value}`` for an action's input), keyed by
    the target's field names, with plain or model values: they are stored in the words the trail
    shows (``readable_changes``: Chinese labels, 是/否, Beijing time, names, （空）)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        summary=summary[:500],
        changes=readable_changes(target._meta.model, changes or {}),
        unit=unit,
    )


def diff_fields(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields that changed, JSON-safe."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if before.get(k) != v}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
