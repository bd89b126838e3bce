"""Bulk writes of a checked import. Called only from the import services in campaign.services,
inside their transaction (they also write the audit event)."""

from __future__ import annotations

from campaign.models import Framework, Indicator, Membership, Responsibility, Role, Site, UnitAlias, User
from campaign.models.names import name_key
from campaign.services.spreadsheets.framework_sheet import FrameworkImport, implied_evidence
from campaign.services.spreadsheets.questions import leader_username
from campaign.services.spreadsheets.sites_sheet import SiteImport


def write_answers(parsed: FrameworkImport, *, actor: User | None) -> list[tuple[str, object, str]]:
    """Create what the office's answers in the preview ask for — new units, new leaders, the
    time limits the sheet needs, the aliases to remember — before the rows that name them.
    Returns (verb, target, summary) for the caller's audit events."""
    done: list[tuple[str, object, str]] = []
    for unit in parsed.answers.new_units.values():
        unit.save()
        done.append(("orgunit.create", unit, f"导入时新建单位：{unit.name}（{unit.get_kind_display()}）"))
    for text, unit in parsed.answers.aliases.items():
        alias, _ = UnitAlias.objects.update_or_create(
            key=name_key(text), defaults={"name": text[:100], "unit": unit, "created_by": actor},
        )
        done.append(("unitalias.create", unit, f"导入时记“{alias.name}”为“{unit.name}”的别名"))
    for text, (user, unit, title) in parsed.answers.new_leaders.items():
        user.username = _free_username(user.username or leader_username(text))
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, unit=unit, role=Role.LEADER, title=title)
        done.append(("user.create", user, f"导入时新建分管领导：{user.full_name}（{unit.name}{'，' + title if title else ''}）"))
    for limit in parsed.new_time_limits:
        limit.save()
        done.append(("timelimit.create", limit, f"导入时新建完成时限：{limit.name}"))
    return done


def _free_username(name: str) -> str:
    candidate, number = name, 2
    while User.objects.filter(username=candidate).exists():
        candidate, number = f"{name}{number}", number + 1
    return candidate


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


def update_framework(framework: Framework, parsed: FrameworkImport) -> tuple[int, int]:
    """Apply ``parsed.differences`` to the edition in place: new indicators and rows created,
    changed ones updated, the rest untouched. Returns the sheet rows that added and that changed something."""
    diff = parsed.differences
    by_code = {i.code: i for i in framework.indicators.all()}
    last = max((i.sort_order for i in by_code.values()), default=0)
    for level in (1, 2, 3, 4):
        for node in (n for n in diff.new_nodes if n.level == level):
            last += 1
            by_code[node.code] = Indicator.objects.create(
                framework=framework, parent=by_code.get(node.parent), level=level, code=node.code, name=node.name,
                text=node.text, methods=node.methods, points=node.points, is_negative=node.is_negative,
                sort_order=last,
                evidence_categories=node.evidence if node.evidence is not None else implied_evidence(node.methods),
            )
            by_code[node.code].site_types.set(node.site_types)
    for code, indicator in diff.changed_nodes.items():
        node = parsed.nodes[code]
        indicator.name, indicator.text, indicator.methods = node.name, node.text, node.methods
        indicator.points, indicator.is_negative = node.points, node.is_negative
        indicator.evidence_categories = node.evidence if node.evidence is not None else implied_evidence(node.methods)
        indicator.save()
        indicator.site_types.set(node.site_types)
    for duty in diff.new_duties:
        row = Responsibility(indicator=by_code[duty.code], site_type=duty.site_type, site=duty.site)
        _fill(row, duty)
    for duty, row in diff.changed_duties:
        _fill(row, duty)
    return diff.new, diff.changed


def _fill(row: Responsibility, duty) -> None:
    row.leader, row.lead_unit, row.note = duty.leader, duty.lead_unit, duty.note
    row.time_limit, row.deadline = duty.time_limit, duty.deadline
    row.save()
    row.responsible_units.set(duty.responsible)
    row.assisting_units.set(duty.assisting)


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
