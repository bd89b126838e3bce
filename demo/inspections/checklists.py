"""Demo checklists: one per site type, its items the checklist items of the demo's problem
catalogue (``demo.campaign.reference.problems``), each tied to the 测评标准 the catalogue names, so
a finding of 护栏井盖路灯 counts against 道路设施 and not against whatever shares its words."""

from __future__ import annotations

import random
from decimal import Decimal

from campaign.models import Framework, Indicator, SiteType, User
from demo.campaign.reference.problems import kind_for, kinds_by_type
from inspections.models import Checklist
from inspections.services import checklist_create


def seed_checklists(framework: Framework, author: User | None) -> int:
    """Create the missing checklists (idempotent: types that have one are left alone)."""
    made = 0
    have = set(Checklist.objects.values_list("site_type_id", flat=True))
    standards = {i.code: i for i in Indicator.objects.filter(framework=framework, level=Indicator.Level.STANDARD)}
    for site_type in SiteType.objects.exclude(pk__in=have):
        kinds = [k for k in kinds_by_type().get(site_type.name, ()) if k.code in standards]
        if not kinds:
            continue
        checklist_create(actor=author, site_type=site_type, name=f"{site_type.name}实地考察检查表", framework=framework,
                         items=[{"text": k.check, "indicator": standards[k.code], "points": Decimal(k.points)}
                                for k in kinds])
        made += 1
    return made


def finding_note(rng: random.Random, site_type: str, item_text: str) -> str:
    """How an inspector writes up a failed item: one of its kind's problem sentences."""
    kind = kind_for(site_type, item_text)
    return rng.choice(kind.problems) if kind else f"{item_text}不到位"


def motif_of_item(site_type: str, item_text: str) -> str:
    """The photo motif of a checklist item's problem."""
    kind = kind_for(site_type, item_text)
    return kind.motif if kind else "litter"
