"""属地管理为主、行业监管为辅: which unit a site's place-bound problem goes to, and which of a
matrix row's units concern a site at all."""

from __future__ import annotations

from campaign.models import Guardianship, OrgUnit, Site

PLACE_KINDS = (OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.COMMUNITY)


def place_lead(site: Site) -> tuple[OrgUnit | None, str]:
    """The unit that leads a 属地 problem at ``site`` and why: a unit that 包保 the site (a 包保
    record), else the community that adopted it (a community-level site), else its street, else
    its district."""
    guard = (Guardianship.objects.active().filter(site=site, unit__isnull=False)
             .select_related("unit").order_by("-start", "-pk").first())
    if guard is not None:
        return guard.unit, "点位包保单位"
    street = site.street if site.street_id else None
    adopter = site.adopting_unit if site.adopting_unit_id else None
    if (street is not None and adopter is not None and adopter.kind == OrgUnit.Kind.COMMUNITY
            and adopter.is_within(street)):
        return adopter, "点位所在社区"
    if street is not None:
        return street, "点位所在街道"
    if site.district_id:
        return site.district, "点位所在区"
    return None, ""


def concerns_site(unit: OrgUnit, site: Site) -> bool:
    """Whether a unit named on a row has a part at this site: departments and windows always; a
    district, street or community only on the site's own line (its district, its street and the
    communities in it), so a row naming every district gives only the site's district."""
    if unit.kind not in PLACE_KINDS:
        return True
    anchor = site.street if site.street_id else site.district
    if anchor is None:
        return True
    return anchor.path.startswith(unit.path) or unit.path.startswith(anchor.path)


def relevant_units(units: list[OrgUnit], site: Site | None) -> tuple[list[OrgUnit], bool]:
    """The units of a row that concern the site, and whether any was left out."""
    if site is None:
        return units, False
    kept = [u for u in units if concerns_site(u, site)]
    return kept, len(kept) != len(units)
