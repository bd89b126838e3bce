"""Bulk writes of a checked import. Called only from the import services in campaign.services,
inside their transaction (they also write the audit event)."""

from __future__ import annotations

from campaign.models import Framework, Indicator, Responsibility, Site
from campaign.services.spreadsheets.framework_sheet import FrameworkImport, implied_evidence
from campaign.services.spreadsheets.sites_sheet import SiteImport


def create_indicators(framework: Framework, parsed: FrameworkImport) -> dict[str, Indicator]:
    """All nodes of the parsed tree, level by level (a parent exists before its children)."""
    by_code: dict[str, Indicator] = {}
    order = {code: index for index, code in enumerate(parsed.nodes)}
    for level in (1, 2, 3, 4):
        batch = []
        for node in parsed.nodes.values():
            if node.level != level:
                continue
            parent = by_code.get(node.parent) if node.parent else None
            indicator = Indicator(
                framework=framework, parent=parent, level=level, code=node.code, name=node.name, text=node.text,
                path=f"{parent.path if parent else ''}{node.code}/", methods=node.methods, points=node.points,
                is_negative=node.is_negative, sort_order=order[node.code] + 1,
                evidence_categories=node.evidence if node.evidence is not None else implied_evidence(node.methods),
            )
            batch.append(indicator)
        by_code.update((i.code, i) for i in Indicator.objects.bulk_create(batch))
    through = Indicator.site_types.through
    through.objects.bulk_create([
        through(indicator_id=by_code[node.code].pk, sitetype_id=site_type.pk)
        for node in parsed.nodes.values() for site_type in node.site_types
    ])
    return by_code


def create_responsibilities(parsed: FrameworkImport, by_code: dict[str, Indicator]) -> list[Responsibility]:
    rows = Responsibility.objects.bulk_create([
        Responsibility(
            indicator=by_code[duty.code], site_type=duty.site_type, site=duty.site, leader=duty.leader,
            lead_unit=duty.lead_unit, time_limit=duty.time_limit, deadline=duty.deadline, note=duty.note,
            basis=duty.basis or Responsibility.Basis.TRADE,
        )
        for duty in parsed.duties
    ])
    responsible = Responsibility.responsible_units.through
    assisting = Responsibility.assisting_units.through
    responsible.objects.bulk_create([
        responsible(responsibility_id=row.pk, orgunit_id=unit.pk)
        for row, duty in zip(rows, parsed.duties, strict=True) for unit in duty.responsible
    ])
    assisting.objects.bulk_create([
        assisting(responsibility_id=row.pk, orgunit_id=unit.pk)
        for row, duty in zip(rows, parsed.duties, strict=True) for unit in duty.assisting
    ])
    return rows


def upsert_sites(parsed: SiteImport) -> tuple[int, int]:
    """Create the new sites and update the changed ones; returns (created, updated)."""
    new, changed, fields = [], [], set()
    for row in parsed.rows:
        if row.existing is None:
            new.append(Site(**row.values))
        elif row.changed:
            for name, value in row.values.items():
                if name not in ("name", "district"):
                    setattr(row.existing, name, value)
                    fields.add(name)
            changed.append(row.existing)
    Site.objects.bulk_create(new)
    if changed:
        Site.objects.bulk_update(changed, sorted(fields))
    return len(new), len(changed)
