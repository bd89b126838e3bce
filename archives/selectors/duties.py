"""Which unit must prove which standard: read from the responsibility matrix."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from campaign.models import Framework, Indicator, Method, OrgUnit, Responsibility


def natural_key(code: str) -> tuple:
    """2.10 after 2.9."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.replace("/", ".").split(".") if p)


def tree_key(indicator: Indicator) -> tuple:
    return tuple(natural_key(part) for part in indicator.path.split("/") if part)


def material_standards(framework: Framework, indicators=None):
    """Standards checked by 材料审核 that name at least one required category; narrowed to the
    subtrees of ``indicators`` (any level) when given."""
    qs = Indicator.objects.filter(framework=framework, level=Indicator.Level.STANDARD,
                                  methods__contains=[Method.MATERIAL]).exclude(evidence_categories=[])
    if indicators is not None:
        condition = Q()
        for indicator in indicators:
            condition |= Q(path__startswith=indicator.path)
        qs = qs.filter(condition) if condition else qs.none()
    return qs


def standard_duties(framework: Framework) -> dict[int, set[int]]:
    """{standard id: ids of the units that must file evidence for it}: the 牵头单位 and 责任单位
    of the standard's own general row, else of its nearest ancestor's (as routing does)."""
    rows = Responsibility.objects.filter(indicator__framework=framework, site__isnull=True, site_type__isnull=True)
    units_by_indicator: dict[int, set[int]] = defaultdict(set)
    for indicator_id, lead_id in rows.values_list("indicator_id", "lead_unit_id"):
        units_by_indicator[indicator_id]  # a row without units still stops the inheritance
        if lead_id:
            units_by_indicator[indicator_id].add(lead_id)
    through = Responsibility.responsible_units.through.objects.filter(responsibility__in=rows)
    for indicator_id, unit_id in through.values_list("responsibility__indicator_id", "orgunit_id"):
        units_by_indicator[indicator_id].add(unit_id)
    parents = dict(framework.indicators.values_list("pk", "parent_id"))
    duties = {}
    for pk, _parent in parents.items():
        node = pk
        while node is not None and node not in units_by_indicator:
            node = parents.get(node)
        if node is not None and units_by_indicator[node]:
            duties[pk] = units_by_indicator[node]
    return duties


def units_with_duties(framework: Framework | None):
    """Units that must file evidence for at least one standard."""
    ids = set().union(*standard_duties(framework).values()) if framework else set()
    return OrgUnit.objects.filter(pk__in=ids)


def supplying_units(user, unit: OrgUnit, indicator: Indicator) -> list[OrgUnit]:
    """The user's own units that supply material to ``unit``'s 提交表 for ``indicator``: those
    strictly below ``unit``, when the matrix makes ``unit`` prove that standard (their evidence
    counts toward it). Empty when the user has no such unit; the access rule for suppliers."""
    if not user.is_authenticated:
        return []
    if unit.pk not in standard_duties(indicator.framework).get(indicator.pk, set()):
        return []
    own = OrgUnit.objects.filter(path__in=user.unit_paths, path__startswith=unit.path).exclude(pk=unit.pk)
    return list(own.order_by("path"))
