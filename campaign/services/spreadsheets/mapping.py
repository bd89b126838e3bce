"""Remembered column mappings: the office says once which of its columns is which, and every later
upload with the same header (same words, same order; spacer columns do not count) reads that way."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import ColumnMapping, User
from campaign.services.audit import event_record
from campaign.services.spreadsheets.header import HeaderBand


def remembered(kind: str) -> dict[str, dict]:
    """{header signature: {column key: field}} of the mappings confirmed for ``kind``."""
    if not kind:
        return {}
    return dict(ColumnMapping.objects.filter(kind=kind).values_list("signature", "fields"))


def check_choices(band: HeaderBand, choices: dict[str, str], columns) -> list[str]:
    """The problems of a proposed mapping ({column key: field or ""}), in Chinese."""
    labels = {c.field: c.label for c in columns}
    errors, chosen = [], {}
    for column in band.columns:
        name = choices.get(column.key) or ""
        if not name:
            continue
        if name not in labels:
            errors.append(f"列「{column.label}」的对应项无效。")
        elif name in chosen:
            errors.append(f"“{labels[name]}”只能对应一列，现在「{chosen[name]}」和「{column.label}」都选了它。")
        else:
            chosen[name] = column.label
    missing = [c.label for c in columns if c.required and c.field not in chosen]
    if missing:
        errors.append(f"请指出哪一列是：{'、'.join(missing)}（这些是必需的列）。")
    return errors


@transaction.atomic
def column_mapping_save(*, actor: User, kind: str, what: str, band: HeaderBand, choices: dict[str, str],
                        columns) -> ColumnMapping:
    """Remember how the header ``band`` reads (``choices``: {column key: field or ""}) for ``kind``."""
    errors = check_choices(band, choices, columns)
    if errors:
        raise ValidationError(errors)
    fields = {c.key: choices.get(c.key) or "" for c in band.columns}
    mapping, _created = ColumnMapping.objects.update_or_create(
        kind=kind, signature=band.signature,
        defaults={"headers": [c.label for c in band.columns], "fields": fields, "confirmed_by": actor},
    )
    labels = {c.field: c.label for c in columns}
    pairs = "；".join(f"{c.label} → {labels[fields[c.key]]}" for c in band.columns if fields[c.key])
    event_record(actor=actor, verb="import.mapping", target=mapping,
                 summary=f"确认{what}的列对应关系：{pairs}")
    return mapping
