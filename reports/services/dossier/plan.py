"""What goes into a dossier, in order: read from the database once, before any rendering.

Order: 版块 → 项目 → 测评内容 → 标准 as in the framework (natural code order); per standard, one
测评材料提交表 per unit that has material (or one empty form for the scope unit), followed by that
unit's approved, current evidence ordered by category and date, then its rectification pairs.
Only what the requester may read on the pages goes in: evidence and tasks are read through their
``visible_to`` querysets (an assessor, who reads all evidence but no task, gets no 整改前后对比).
With ``skip_empty`` a standard with neither material nor pair is left out, and only counted: a
small unit's dossier would otherwise be mostly empty forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate

from archives.models import CATEGORY_ORDER, EvidenceItem, SubmissionForm
from campaign.models import Framework, Indicator, OrgUnit
from reports.services.dossier.pairs import Pair, rectification_pairs


@dataclass(frozen=True)
class DossierScope:
    """The user's choices, as stored in ReportRun.parameters."""

    framework_id: int
    indicator_id: int | None = None
    unit_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    categories: tuple[str, ...] = ()
    include_rectification: bool = False
    skip_empty: bool = False

    @classmethod
    def from_parameters(cls, params: dict) -> DossierScope:
        def day(value):
            return dt.date.fromisoformat(value) if value else None

        return cls(
            framework_id=params["framework_id"], indicator_id=params.get("indicator_id"),
            unit_id=params.get("unit_id"), date_from=day(params.get("date_from")), date_to=day(params.get("date_to")),
            categories=tuple(params.get("categories") or ()), include_rectification=bool(params.get("include_rectification")),
            skip_empty=bool(params.get("skip_empty")),
        )


@dataclass
class Material:
    """One evidence file under one standard (a file linked to two standards appears twice)."""

    item: EvidenceItem
    dated: dt.date | None
    pages: int = 1

    @property
    def bound(self) -> bool:
        return self.item.kind in (EvidenceItem.Kind.PHOTO, EvidenceItem.Kind.DOCUMENT)


@dataclass
class UnitBlock:
    unit: OrgUnit | None
    form: SubmissionForm | None
    materials: list[Material] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)


@dataclass
class StandardSection:
    standard: Indicator
    area: Indicator | None
    item: Indicator | None
    blocks: list[UnitBlock] = field(default_factory=list)

    @property
    def has_material(self) -> bool:
        return any(b.materials or b.pairs for b in self.blocks)


@dataclass
class DossierPlan:
    scope: DossierScope
    framework: Framework
    root: Indicator | None
    unit: OrgUnit | None
    sections: list[StandardSection]
    omitted: int = 0  # standards left out for having no approved material (skip_empty)

    @property
    def materials(self) -> list[Material]:
        return [m for s in self.sections for b in s.blocks for m in b.materials]

    @property
    def photo_count(self) -> int:
        return sum(1 for m in self.materials if m.item.kind == EvidenceItem.Kind.PHOTO)


def natural_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", code))


def plan_dossier(scope: DossierScope, *, reader) -> DossierPlan:
    """The plan of the dossier ``reader`` (its requester) asked for, holding only what they may read."""
    framework = Framework.objects.get(pk=scope.framework_id)
    root = Indicator.objects.get(pk=scope.indicator_id, framework=framework) if scope.indicator_id else None
    unit = OrgUnit.objects.get(pk=scope.unit_id) if scope.unit_id else None
    sections = _sections(framework, root)
    by_standard = _materials(scope, unit, [s.standard.pk for s in sections], reader)
    forms = _forms(unit, [s.standard.pk for s in sections])
    for section in sections:
        section.blocks = _blocks(section.standard, unit, by_standard.get(section.standard.pk, {}), forms, scope,
                                 reader)
    kept = [s for s in sections if s.has_material] if scope.skip_empty else sections
    return DossierPlan(scope=scope, framework=framework, root=root, unit=unit, sections=kept,
                       omitted=len(sections) - len(kept))


def dossier_title(unit: OrgUnit | None, root: Indicator | None) -> str:
    """The dossier's name, the same on the request, the run page, the cover and the PDF's title."""
    name, scope = dossier_title_parts(unit, root)
    return f"{name}（{scope}）"


def dossier_title_parts(unit: OrgUnit | None, root: Indicator | None) -> tuple[str, str]:
    """“湖滨街道测评材料卷宗” and “2 公共文明”: the cover sets the scope on a line of its own."""
    return f"{unit.name if unit else '全市'}测评材料卷宗", f"{root.code} {root.name}" if root else "全部指标"


def _sections(framework: Framework, root: Indicator | None) -> list[StandardSection]:
    """Standards of the chosen subtree in framework order, each with its 版块 and 项目."""
    nodes = Indicator.objects.filter(framework=framework)
    if root is not None:
        ancestors = [a.pk for a in root.ancestors()]
        nodes = nodes.filter(Q(path__startswith=root.path) | Q(pk__in=ancestors))
    nodes = list(nodes.only("id", "parent_id", "level", "code", "name", "text", "sort_order", "methods"))
    children: dict[int | None, list[Indicator]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    sections: list[StandardSection] = []

    def walk(parent_id, area, item):
        for node in sorted(children.get(parent_id, []), key=lambda n: (n.sort_order, natural_key(n.code))):
            area_now = node if node.level == Indicator.Level.AREA else area
            item_now = node if node.level == Indicator.Level.ITEM else item
            if node.level == Indicator.Level.STANDARD:
                sections.append(StandardSection(standard=node, area=area_now, item=item_now))
            walk(node.pk, area_now, item_now)

    walk(None, None, None)
    return sections


def _materials(scope: DossierScope, unit: OrgUnit | None, standard_ids: list[int], reader) -> dict:
    """{standard id: {unit id: [Material…]}} for approved, current evidence in scope."""
    link = EvidenceItem.indicators.through
    items = EvidenceItem.objects.visible_to(reader).current().approved().annotate(
        dated=Coalesce("formed_on", TruncDate("taken_at"), TruncDate("uploaded_at")))
    if unit is not None:
        items = items.filter(unit__path__startswith=unit.path)
    if scope.categories:
        items = items.filter(category__in=scope.categories)
    if scope.date_from:
        items = items.filter(dated__gte=scope.date_from)
    if scope.date_to:
        items = items.filter(dated__lte=scope.date_to)
    items = {i.pk: i for i in items.filter(pk__in=link.objects.filter(indicator_id__in=standard_ids)
                                                .values("evidenceitem_id")).select_related("unit")}
    rows = link.objects.filter(indicator_id__in=standard_ids, evidenceitem_id__in=list(items))
    result: dict = {}
    for standard_id, item_id in rows.values_list("indicator_id", "evidenceitem_id"):
        item = items[item_id]
        pages = item.page_count or 1 if item.kind == EvidenceItem.Kind.DOCUMENT else 1
        result.setdefault(standard_id, {}).setdefault(item.unit_id, []).append(Material(item, item.dated, pages))
    for per_unit in result.values():
        for materials in per_unit.values():
            materials.sort(key=lambda m: (CATEGORY_ORDER.get(m.item.category, 99), m.dated or dt.date.min, m.item.pk))
    return result


def _forms(unit: OrgUnit | None, standard_ids: list[int]) -> dict:
    forms = SubmissionForm.objects.filter(indicator_id__in=standard_ids).select_related("unit")
    if unit is not None:
        forms = forms.filter(unit__path__startswith=unit.path)
    return {(f.indicator_id, f.unit_id): f for f in forms}


def _blocks(standard: Indicator, unit: OrgUnit | None, per_unit: dict, forms: dict,
            scope: DossierScope, reader) -> list[UnitBlock]:
    """One block per unit with material or a filled form; an empty form for the scope unit when
    there is nothing at all (the gap is itself information for the assessor)."""
    unit_ids = set(per_unit) | {u for (s, u) in forms if s == standard.pk}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit_ids)} if unit_ids else {}
    blocks = [
        UnitBlock(unit=units[uid], form=forms.get((standard.pk, uid)), materials=per_unit.get(uid, []))
        for uid in sorted(unit_ids, key=lambda uid: units[uid].path)
    ]
    if scope.include_rectification:
        pairs = rectification_pairs(standard=standard, unit=unit, date_from=scope.date_from, date_to=scope.date_to,
                                    reader=reader)
        by_unit = {}
        for pair in pairs:
            by_unit.setdefault(pair.unit.pk, []).append(pair)
        for block in blocks:
            block.pairs = by_unit.pop(block.unit.pk, [])
        for uid, unit_pairs in sorted(by_unit.items(), key=lambda kv: kv[1][0].unit.path):
            blocks.append(UnitBlock(unit=unit_pairs[0].unit, form=forms.get((standard.pk, uid)), pairs=unit_pairs))
    if not blocks:
        blocks.append(UnitBlock(unit=unit, form=forms.get((standard.pk, unit.pk)) if unit else None))
    return blocks
