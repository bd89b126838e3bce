"""Non-trivial reads of the base app. ``responsibility_for`` is how every later part routes a problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Indicator, OrgUnit, Responsibility, Site, TimeLimit, User


@dataclass
class Routing:
    """Who answers for a problem under a standard at a site, and how the answer was found."""

    lead_unit: OrgUnit | None
    responsible_units: list[OrgUnit] = field(default_factory=list)
    assisting_units: list[OrgUnit] = field(default_factory=list)
    leader: User | None = None
    time_limit: TimeLimit | None = None
    deadline: object = None
    source: Responsibility | None = None
    rule: str = ""  # site / site_type / standard / ancestor / adopting_unit / none


RULE_LABELS = {
    "site": "按点位指定",
    "site_type": "按点位类型",
    "standard": "按测评标准",
    "ancestor": "按上级指标",
    "adopting_unit": "点位包保单位（兜底）",
    "none": "未找到责任单位",
}


def responsibility_for(indicator: Indicator, site: Site | None = None) -> Routing:
    """Precedence: a row for this single site > a row for the site's type > a row for the standard
    itself > a row of the nearest ancestor indicator; if none, the site's adopting unit."""
    chain = [indicator, *indicator.ancestors()]
    rows = (
        Responsibility.objects.filter(indicator__in=chain)
        .select_related("lead_unit", "leader", "time_limit", "indicator")
        .prefetch_related("responsible_units", "assisting_units")
    )
    by_key = {(r.indicator_id, r.site_type_id, r.site_id): r for r in rows}
    if site is not None:
        row = by_key.get((indicator.pk, None, site.pk))
        if row:
            return _routing(row, "site")
        row = by_key.get((indicator.pk, site.site_type_id, None))
        if row:
            return _routing(row, "site_type")
    row = by_key.get((indicator.pk, None, None))
    if row:
        return _routing(row, "standard")
    for ancestor in chain[1:]:
        row = by_key.get((ancestor.pk, None, None))
        if row:
            return _routing(row, "ancestor")
    if site is not None and site.adopting_unit_id:
        return Routing(lead_unit=site.adopting_unit, rule="adopting_unit")
    return Routing(lead_unit=None, rule="none")


def _routing(row: Responsibility, rule: str) -> Routing:
    return Routing(
        lead_unit=row.lead_unit,
        responsible_units=list(row.responsible_units.all()),
        assisting_units=list(row.assisting_units.all()),
        leader=row.leader,
        time_limit=row.time_limit,
        deadline=row.deadline,
        source=row,
        rule=rule,
    )
