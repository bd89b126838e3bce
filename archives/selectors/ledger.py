"""The unit's 台账 browsed by the indicator tree, the filtered evidence list, and the 测评材料提交表."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from archives.models import CATEGORY_ORDER, EvidenceItem, SubmissionForm
from archives.selectors.duties import standard_duties, tree_key
from campaign.access import UNIT_UPLOADERS
from campaign.models import Framework, Indicator, OrgUnit, User

MAIN_CATEGORIES = ["计划", "制度和机制", "活动", "保障措施", "特色和成效"]


@dataclass
class LedgerRow:
    indicator: Indicator
    counts: dict[str, int] = field(default_factory=dict)  # category → current items
    approved: int = 0
    total: int = 0
    duty: str = ""  # "own": the unit must prove it; "inherited": a unit above it must (it helps)
    duty_unit: OrgUnit | None = None
    missing: list[str] = field(default_factory=list)
    gaps: int = 0  # standards (this one, or below a branch) the unit must prove that still lack a category

    @property
    def other(self) -> int:
        return sum(n for c, n in self.counts.items() if c not in MAIN_CATEGORIES)

    def main_counts(self) -> list[int]:
        return [self.counts.get(c, 0) for c in MAIN_CATEGORIES]


def ledger_tree(unit: OrgUnit, framework: Framework | None, *, only_duties: bool = False) -> list[LedgerRow]:
    """Every node of the framework in tree order with the current evidence of the unit and the
    units below it counted per category (a branch adds up its standards); whether the unit, or a
    unit above it, must prove each 材料审核 standard; and, for its own duties, which required
    categories still lack approved evidence."""
    if framework is None:
        return []
    nodes = sorted(framework.indicators.all(), key=tree_key)
    rows = {n.pk: LedgerRow(indicator=n) for n in nodes}
    approved_categories = _count_into(rows, unit, framework)
    duties = standard_duties(framework)
    above = {u.pk: u for u in unit.ancestors()}
    for row in rows.values():
        node = row.indicator
        if not node.is_standard or "材料审核" not in node.methods:
            continue
        owners = duties.get(node.pk, set())
        if unit.pk in owners:
            row.duty = "own"
            row.missing = [c for c in node.evidence_categories if c not in approved_categories[node.pk]]
            row.gaps = 1 if row.missing else 0
        elif owners & above.keys():
            row.duty, row.duty_unit = "inherited", above[min(owners & above.keys())]
    _add_up(nodes, rows)
    if only_duties:
        keep = [r.indicator.path for r in rows.values() if r.indicator.is_standard and (r.duty or r.total)]
        return [rows[n.pk] for n in nodes if any(p.startswith(n.path) for p in keep)]
    return [rows[n.pk] for n in nodes]


def _count_into(rows: dict[int, LedgerRow], unit: OrgUnit, framework: Framework) -> dict[int, set[str]]:
    through = EvidenceItem.indicators.through
    counted = (
        through.objects.filter(evidenceitem__unit__path__startswith=unit.path, indicator__framework=framework,
                               evidenceitem__superseded_by__isnull=True)
        .values("indicator_id", "evidenceitem__category")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(evidenceitem__status=EvidenceItem.Status.APPROVED)))
    )
    approved_categories: dict[int, set[str]] = defaultdict(set)
    for entry in counted:
        row = rows[entry["indicator_id"]]
        row.counts[entry["evidenceitem__category"]] = entry["n"]
        row.total += entry["n"]
        row.approved += entry["ok"]
        if entry["ok"]:
            approved_categories[entry["indicator_id"]].add(entry["evidenceitem__category"])
    return approved_categories


def _add_up(nodes: list[Indicator], rows: dict[int, LedgerRow]) -> None:
    """Branch totals: deepest first, each node adds itself to its parent."""
    for node in sorted(nodes, key=lambda n: -n.level):
        if node.parent_id and node.parent_id in rows:
            parent, child = rows[node.parent_id], rows[node.pk]
            for category, n in child.counts.items():
                parent.counts[category] = parent.counts.get(category, 0) + n
            parent.total += child.total
            parent.approved += child.approved
            parent.gaps += child.gaps


@dataclass
class EvidenceFilters:
    unit: OrgUnit | None = None
    standard: Indicator | None = None
    category: str = ""
    status: str = ""  # an EvidenceItem.Status value, or "superseded"
    year: int | None = None
    query: str = ""


def evidence_filter(qs: QuerySet, filters: EvidenceFilters) -> QuerySet:
    """Apply the list's filters. A unit matches its own and its sub-units' evidence; a branch
    (版块/项目/内容) matches the evidence of its standards; superseded versions are hidden unless
    asked for."""
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.standard is not None:
        qs = qs.filter(indicators__framework_id=filters.standard.framework_id,
                       indicators__path__startswith=filters.standard.path).distinct()
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status == "superseded":
        qs = qs.filter(superseded_by__isnull=False)
    else:
        qs = qs.current()
        if filters.status:
            qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.query:
        text = filters.query
        qs = qs.filter(Q(subject__icontains=text) | Q(original_name__icontains=text) | Q(place__icontains=text)
                       | Q(people__icontains=text) | Q(reason__icontains=text) | Q(archive_number__icontains=text))
    return qs


def with_list_data(qs: QuerySet) -> QuerySet:
    """What a list row shows, in a constant number of queries."""
    return qs.select_related("unit", "uploader").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.only("pk", "code", "name", "path"))
    )


def upload_units(user: User) -> QuerySet:
    """Units the user may file evidence for: any for office staff; for a unit's archivist,
    liaison or head their units and the units below."""
    if user.is_office:
        return OrgUnit.objects.filter(is_active=True)
    paths = user.unit_paths_for(*UNIT_UPLOADERS)
    return OrgUnit.objects.subtree_of(*paths).filter(is_active=True) if paths else OrgUnit.objects.none()


def review_queue(user: User) -> QuerySet:
    """Items waiting for the office's review, oldest first."""
    return (
        EvidenceItem.objects.visible_to(user).current()
        .filter(status=EvidenceItem.Status.SUBMITTED).order_by("uploaded_at", "pk")
    )


def supersede_chain(item: EvidenceItem) -> list[EvidenceItem]:
    """All versions of the item, oldest first (the chain runs through ``supersedes``)."""
    older, node = [], item
    while node.supersedes_id:
        node = EvidenceItem.objects.select_related("uploader").get(pk=node.supersedes_id)
        older.append(node)
    newer, node = [], item
    while True:
        nxt = EvidenceItem.objects.select_related("uploader").filter(supersedes=node).first()
        if nxt is None:
            break
        newer.append(nxt)
        node = nxt
    return [*reversed(older), item, *newer]


@dataclass
class Material:
    number: int
    item: EvidenceItem
    title: str
    category: str
    archive_number: str
    date: object
    pages: int
    bindable: bool
    unit: OrgUnit  # who filed it: the unit itself or one below it


@dataclass
class SubmissionData:
    """Everything a 测评材料提交表 shows; the printable page and the dossier both render it."""

    unit: OrgUnit
    indicator: Indicator
    chain: list[Indicator]  # 版块, 测评项目, 测评内容
    required: list[str]
    materials: list[Material]
    missing: list[str]
    self_assessment: str
    conclusion: str
    updated_by: User | None
    updated_at: datetime | None
    form: SubmissionForm | None

    @property
    def total_pages(self) -> int:
        return sum(m.pages for m in self.materials if m.bindable)


def submission_form_data(unit: OrgUnit, indicator: Indicator) -> SubmissionData:
    """The 提交表 of one unit for one standard: the materials list is the approved current
    evidence of the unit and the units below it linked to the standard (as completeness counts
    it), required categories first, then by date."""
    required = list(indicator.evidence_categories)
    order = {c: i for i, c in enumerate(required)}
    items = list(
        EvidenceItem.objects.current().approved().filter(unit__path__startswith=unit.path, indicators=indicator)
        .select_related("uploader", "unit")
    )
    items.sort(key=lambda i: (order.get(i.category, len(order) + CATEGORY_ORDER.get(i.category, 99)),
                              i.date or datetime.min.date(), i.pk))
    materials = [
        Material(number=n, item=i, title=i.title, category=i.category, archive_number=i.archive_number,
                 date=i.date, pages=i.pages, bindable=i.is_bindable, unit=i.unit)
        for n, i in enumerate(items, start=1)
    ]
    present = {i.category for i in items}
    form = SubmissionForm.objects.filter(unit=unit, indicator=indicator).select_related("updated_by").first()
    return SubmissionData(
        unit=unit, indicator=indicator, chain=list(reversed(indicator.ancestors())), required=required,
        materials=materials, missing=[c for c in required if c not in present],
        self_assessment=form.self_assessment if form else "", conclusion=form.conclusion if form else "",
        updated_by=form.updated_by if form else None, updated_at=form.updated_at if form else None, form=form,
    )
