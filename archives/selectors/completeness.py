"""Completeness: per standard × unit, which required categories have approved current evidence."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from archives.models import EvidenceItem
from archives.selectors.duties import material_standards, standard_duties, tree_key
from campaign.models import Framework, Indicator, OrgUnit
from campaign.services.spreadsheets import append_row


@dataclass
class CompletenessRow:
    """One standard for one unit."""

    indicator: Indicator
    unit: OrgUnit
    required: list[str]
    approved: dict[str, int] = field(default_factory=dict)  # category → approved current items
    pending: dict[str, int] = field(default_factory=dict)  # category → current items not yet approved
    # Set when the row is shown to a unit below ``unit`` that supplies material for it: that unit,
    # and how many current items it (with its own sub-units) has filed for the standard.
    supplier: OrgUnit | None = None
    supplied: int = 0

    @property
    def missing(self) -> list[str]:
        return [c for c in self.required if not self.approved.get(c)]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def gap_text(self) -> str:
        return f"{self.indicator.code} 缺少：{'、'.join(self.missing)}" if self.missing else ""

    def cells(self) -> list[dict]:
        """One cell per required category: state ok / pending / missing and the counts."""
        out = []
        for category in self.required:
            ok, waiting = self.approved.get(category, 0), self.pending.get(category, 0)
            state = "ok" if ok else ("pending" if waiting else "missing")
            out.append({"category": category, "approved": ok, "pending": waiting, "state": state})
        return out


def completeness(unit: OrgUnit | None = None, indicators=None, *, user=None,
                 framework: Framework | None = None) -> list[CompletenessRow]:
    """Rows for the active framework's 材料审核 standards (within ``indicators``' subtrees if
    given): for one unit, or for every unit the responsibility matrix names (only those the
    ``user`` may see, if given), in unit then indicator-tree order.

    A unit given explicitly together with ``indicators`` is checked against those standards even
    where the matrix does not name it; otherwise the matrix decides who must prove what. Evidence
    filed by a unit's sub-units counts for it (a street's activity photos prove its district's duty).

    Units that supply material see it too: for the unit given, or else the user's own units, each
    standard that a unit above them must prove (and they need not) gets that unit's row, marked
    with the supplier (``supplier_rows``), unless the row is already there.
    """
    framework = framework or Framework.active()
    if framework is None:
        return []
    standards = {s.pk: s for s in material_standards(framework, indicators)}
    if not standards:
        return []
    duties = standard_duties(framework)
    units = _units(unit, duties, user)
    pairs = []
    for standard_id, standard in standards.items():
        if unit is not None and indicators is not None:
            owners = {unit.pk}
        else:
            owners = duties.get(standard_id, set())
        pairs.extend((standard, units[uid]) for uid in owners if uid in units)
    supplied = []
    if indicators is None or unit is None:
        suppliers = [unit] if unit is not None else _own_units(user)
        shown = {(s.pk, u.pk) for s, u in pairs}
        supplied = [t for t in supplier_rows(suppliers, duties, standards) if (t[0].pk, t[1].pk) not in shown]
    counted = {u.pk: u for _s, u in pairs} | {u.pk: u for _s, d, o in supplied for u in (d, o)}
    within = min([unit, *(d for _s, d, _o in supplied)], key=lambda u: u.depth) if unit is not None else None
    approved, pending = _counts(counted, set(standards), within=within)
    rows = [
        CompletenessRow(indicator=s, unit=u, required=list(s.evidence_categories),
                        approved=dict(approved.get((u.pk, s.pk), {})), pending=dict(pending.get((u.pk, s.pk), {})))
        for s, u in pairs
    ]
    for s, duty, own in supplied:
        mine = (own.pk, s.pk)
        rows.append(CompletenessRow(
            indicator=s, unit=duty, required=list(s.evidence_categories), supplier=own,
            approved=dict(approved.get((duty.pk, s.pk), {})), pending=dict(pending.get((duty.pk, s.pk), {})),
            supplied=sum(approved.get(mine, {}).values()) + sum(pending.get(mine, {}).values()),
        ))
    rows.sort(key=lambda r: (r.unit.path, tree_key(r.indicator)))
    return rows


def supplier_rows(suppliers, duties: dict[int, set[int]], standards: dict[int, Indicator]):
    """(standard, duty unit, supplier) for each supplier and each standard that a unit above it
    must prove while the supplier itself need not: the supplier's evidence counts toward that
    unit's 提交表, so what is missing there is what it can still supply."""
    found: dict[tuple[int, int], tuple] = {}
    for own in suppliers:
        above = list(own.ancestors())
        for standard_id, standard in standards.items():
            owners = duties.get(standard_id, set())
            if own.pk in owners:
                continue
            for duty in above:
                if duty.pk in owners:
                    found.setdefault((standard_id, duty.pk), (standard, duty, own))
    return list(found.values())


def _own_units(user) -> list[OrgUnit]:
    """The units a user belongs to, for the supplier rows (none for the office, which sees every
    duty unit's own row anyway)."""
    if user is None or not user.is_authenticated or user.is_office:
        return []
    return list(OrgUnit.objects.filter(path__in=user.unit_paths).order_by("path"))


def _units(unit, duties, user) -> dict[int, OrgUnit]:
    if unit is not None:
        return {unit.pk: unit}
    ids = set().union(*duties.values()) if duties else set()
    qs = OrgUnit.objects.filter(pk__in=ids)
    if user is not None:
        qs = qs & OrgUnit.objects.visible_to(user)
    return {u.pk: u for u in qs}


def path_prefixes(path: str) -> list[str]:
    """"0001.0004.0002." → ["0001.", "0001.0004.", "0001.0004.0002."]: the unit and its ancestors."""
    parts = path.rstrip(".").split(".")
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def _counts(units: dict[int, OrgUnit], standard_ids: set[int], within: OrgUnit | None = None):
    """Two dicts {(unit, standard): {category: n}} for approved and not-yet-approved current items.
    A unit's evidence includes what the units below it filed (a street's photos prove its
    district's duty), so each count is added to every duty unit above the filing unit."""
    through = EvidenceItem.indicators.through
    rows = through.objects.filter(indicator_id__in=standard_ids, evidenceitem__superseded_by__isnull=True)
    if within is not None:
        rows = rows.filter(evidenceitem__unit__path__startswith=within.path)
    rows = (
        rows.values("evidenceitem__unit__path", "indicator_id", "evidenceitem__category")
        .annotate(approved=Count("pk", filter=Q(evidenceitem__status=EvidenceItem.Status.APPROVED)),
                  total=Count("pk"))
    )
    by_path = {u.path: pk for pk, u in units.items()}
    approved: dict = defaultdict(lambda: defaultdict(int))
    pending: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        category, waiting = row["evidenceitem__category"], row["total"] - row["approved"]
        for prefix in path_prefixes(row["evidenceitem__unit__path"]):
            unit_id = by_path.get(prefix)
            if unit_id is None:
                continue
            key = (unit_id, row["indicator_id"])
            if row["approved"]:
                approved[key][category] += row["approved"]
            if waiting:
                pending[key][category] += waiting
    return approved, pending


@dataclass
class CompletenessSummary:
    pairs: int
    complete: int
    units: int
    units_complete: int
    missing_categories: int

    @property
    def rate(self) -> float:
        return round(100 * self.complete / self.pairs, 1) if self.pairs else 0.0


def summarise(rows: list[CompletenessRow]) -> CompletenessSummary:
    by_unit: dict[int, bool] = {}
    for row in rows:
        by_unit[row.unit.pk] = by_unit.get(row.unit.pk, True) and row.complete
    return CompletenessSummary(
        pairs=len(rows), complete=sum(r.complete for r in rows), units=len(by_unit),
        units_complete=sum(by_unit.values()), missing_categories=sum(len(r.missing) for r in rows),
    )


def gap_list(rows: list[CompletenessRow]) -> list[tuple[OrgUnit, list[str]]]:
    """Per unit, lines like “2.3.1 缺少：活动”."""
    grouped: dict[int, tuple[OrgUnit, list[str]]] = {}
    for row in rows:
        if row.missing:
            grouped.setdefault(row.unit.pk, (row.unit, []))[1].append(row.gap_text)
    return list(grouped.values())


def completeness_xlsx(rows: list[CompletenessRow], title: str = "台账资料完整性") -> bytes:
    """The gap list as a spreadsheet offices can forward: one row per standard × unit."""
    book = Workbook()
    sheet = book.active
    sheet.title = "完整性"
    append_row(sheet, [title])[0].font = Font(bold=True, size=14)
    header = ["单位", "标准编号", "测评标准", "必备材料类别", "已审核的类别", "待审核的类别", "缺少的类别", "是否齐全"]
    for cell in append_row(sheet, header):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for row in rows:
        unit = row.unit.name + (f"（{row.supplier.name}提供材料）" if row.supplier else "")
        append_row(sheet, [
            unit, row.indicator.code, row.indicator.name, "、".join(row.required),
            "、".join(c for c in row.required if row.approved.get(c)),
            "、".join(c for c in row.required if row.pending.get(c) and not row.approved.get(c)),
            "、".join(row.missing), "齐全" if row.complete else "缺项",
        ])
        if row.missing:
            sheet.cell(sheet.max_row, 7).font = Font(color="C00000")
    for letter, width in zip("ABCDEFGH", (22, 10, 40, 30, 24, 20, 24, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
