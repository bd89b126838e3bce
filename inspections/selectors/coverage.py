"""Who visits what, how far a round has got, and what an inspector still has to do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from campaign.models import Site
from inspections.models import Finding, InspectionRound, RoundSite, Visit


@dataclass
class CoverageRow:
    label: str
    planned: int = 0
    visited: int = 0
    drafts: int = 0

    @property
    def percent(self) -> int:
        return round(self.visited * 100 / self.planned) if self.planned else 0


def planned_in_scope(inspection_round: InspectionRound, user) -> QuerySet:
    """Planned sites of a round that the user may see (a leader: their scope), with visit flags."""
    visits = Visit.objects.filter(round=inspection_round, site=OuterRef("site"))
    return (
        inspection_round.planned.filter(site__in=Site.objects.visible_to(user).values("pk"))
        .annotate(visited=Exists(visits.filter(status=Visit.Status.SUBMITTED)),
                  drafting=Exists(visits.filter(status=Visit.Status.DRAFT)))
        .select_related("site", "site__site_type", "site__district", "site__adopting_unit", "assignee")
    )


def round_coverage(inspection_round: InspectionRound, user) -> dict:
    """Visited / planned by site type, by district and by person, plus the total."""
    groups = {"site_type": {}, "district": {}, "person": {}}
    total = CoverageRow("合计")
    rows = planned_in_scope(inspection_round, user).order_by("site__site_type__sort_order", "site__district__path")
    for planned in rows:
        keys = {
            "site_type": planned.site.site_type.name,
            "district": planned.site.district.name,
            "person": str(planned.assignee) if planned.assignee_id else "未分配",
        }
        for group, label in keys.items():
            row = groups[group].setdefault(label, CoverageRow(label))
            _count(row, planned)
        _count(total, planned)
    return {"by_type": list(groups["site_type"].values()), "by_district": list(groups["district"].values()),
            "by_person": sorted(groups["person"].values(), key=lambda r: (r.label == "未分配", r.label)),
            "total": total}


def _count(row: CoverageRow, planned) -> None:
    row.planned += 1
    row.visited += planned.visited
    row.drafts += planned.drafting and not planned.visited


def visits_by_site(inspection_round: InspectionRound, site_ids) -> dict[int, Visit]:
    return {v.site_id: v for v in inspection_round.visits.filter(site_id__in=list(site_ids)).select_related("inspector")}


def site_choices(inspection_round: InspectionRound, user) -> dict[str, list]:
    """Planned sites for the visit picker: the user's own first, then unassigned, then others'."""
    rows = planned_in_scope(inspection_round, user).order_by(
        "site__district__path", "site__site_type__sort_order", "site__name")
    visits = visits_by_site(inspection_round, [p.site_id for p in rows])
    lists = defaultdict(list)
    for planned in rows:
        planned.visit = visits.get(planned.site_id)
        if planned.assignee_id == user.pk:
            lists["mine"].append(planned)
        elif planned.assignee_id is None:
            lists["open"].append(planned)
        else:
            lists["others"].append(planned)
    return {"mine": lists["mine"], "open": lists["open"], "others": lists["others"]}


def my_open_rounds(user) -> list[InspectionRound]:
    """Open rounds the user is assigned to, each with ``todo`` (sites of theirs or unassigned not
    yet submitted) and ``done`` (their submitted visits)."""
    rounds = list(InspectionRound.objects.open().filter(Q(inspectors=user) | Q(assessors=user)).distinct()
                  .order_by("end_date", "pk"))
    for inspection_round in rounds:
        inspection_round.todo = pending_planned(user).filter(round=inspection_round).count()
        inspection_round.done = inspection_round.visits.filter(inspector=user, status=Visit.Status.SUBMITTED).count()
        inspection_round.drafts = inspection_round.visits.filter(inspector=user, status=Visit.Status.DRAFT).count()
    return rounds


def pending_planned(user) -> QuerySet:
    """Planned sites in open rounds that the user should visit and nobody has submitted yet."""
    submitted = Visit.objects.filter(round=OuterRef("round"), site=OuterRef("site"), status=Visit.Status.SUBMITTED)
    mine = InspectionRound.objects.open().filter(Q(inspectors=user) | Q(assessors=user)).values("pk")
    return (RoundSite.objects.filter(round__in=mine)
            .filter(Q(assignee=user) | Q(assignee__isnull=True))
            .exclude(Exists(submitted)))


def pending_findings(user) -> QuerySet:
    """Findings waiting for the office to hand them over."""
    return Finding.objects.visible_to(user).pending()
