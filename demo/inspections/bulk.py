"""Historic visits written in bulk (the two large past rounds), photos from a small stored pool.

The rows are what ``visit_start`` + ``visit_submit`` would have written (lines copied from the
checklist, score without 不适用 items, one Finding per 不符合 with its photos), built in memory and
inserted with ``bulk_create`` so the demo city stays quick to build. The photos are a pool (one
per problem motif) stored once through ``archives.services`` and shared by the findings: each
finding shows a photo of its own problem.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from archives.models import EvidenceItem
from campaign.models import Site, User
from campaign.services import event_record
from demo.archives.photos import VARIANTS
from demo.inspections.checklists import finding_note, motif_of_item
from demo.inspections.clock import at
from inspections.models import Checklist, Finding, InspectionRound, Result, Visit, VisitPhoto, VisitResult


def write_visits(history, inspection_round: InspectionRound, plan: list[tuple[Site, User, datetime]],
                 pool: dict[tuple[str, bool, int], EvidenceItem]) -> int:
    """Submitted visits for ``plan`` (site, inspector, start time); returns the number of findings."""
    checklists = {c.site_type_id: c for c in Checklist.objects.active().prefetch_related("items")}
    visits, lines_of = [], {}
    for site, who, when in plan:
        checklist = checklists.get(site.site_type_id)
        if checklist is None:
            continue
        lines = _answer(history, site, checklist, inspection_round.kind)
        scored = [line for line in lines if line.result != Result.NA]
        visit = Visit(round=inspection_round, site=site, checklist=checklist, inspector=who,
                      status=Visit.Status.SUBMITTED, started_at=when, saved_at=when + timedelta(minutes=35),
                      submitted_at=when + timedelta(minutes=35), latitude=site.latitude, longitude=site.longitude,
                      points_met=sum((line.points for line in lines if line.result == Result.MET), Decimal(0)),
                      points_applicable=sum((line.points for line in scored), Decimal(0)))
        visits.append(visit)
        lines_of[id(visit)] = lines
    Visit.objects.bulk_create(visits)
    for visit in visits:
        for line in lines_of[id(visit)]:
            line.visit = visit
    VisitResult.objects.bulk_create([line for visit in visits for line in lines_of[id(visit)]])
    return _findings(history, inspection_round, visits, lines_of, pool)


def _answer(history, site: Site, checklist: Checklist, round_kind: str) -> list[VisitResult]:
    share = history.fail_share(site, 1.5 if round_kind == "模拟测评" else 1.0)
    lines = []
    for item in checklist.items.all():
        roll = history.rng.random()
        result = Result.NA if roll < 0.05 else Result.FAILED if roll < 0.05 + share else Result.MET
        note = finding_note(history.rng, site.site_type.name, item.text) if result == Result.FAILED else ""
        lines.append(VisitResult(item=item, number=item.number, label=item.text, indicator_id=item.indicator_id,
                                 points=item.points, result=result, note=note))
    return lines


def _findings(history, inspection_round, visits, lines_of, pool) -> int:
    findings, photos, links = [], [], []
    for visit in visits:
        for line in lines_of[id(visit)]:
            if line.result != Result.FAILED:
                continue
            evidence = pool[(motif_of_item(visit.site.site_type.name, line.label), False, visit.pk % VARIANTS)]
            photos.append(VisitPhoto(visit=visit, result=line, evidence=evidence, uploaded_by=visit.inspector))
            findings.append(Finding(visit=visit, result=line, round=inspection_round, site=visit.site,
                                    indicator_id=line.indicator_id, item=line.item, note=line.note,
                                    found_at=visit.submitted_at))
            links.append(evidence.pk)
    VisitPhoto.objects.bulk_create(photos)
    Finding.objects.bulk_create(findings)
    through = Finding.photos.through
    through.objects.bulk_create([through(finding_id=f.pk, evidenceitem_id=e) for f, e in zip(findings, links, strict=True)])
    for visit in visits:
        failed = sum(1 for line in lines_of[id(visit)] if line.result == Result.FAILED)
        with at(visit.submitted_at):
            event_record(actor=visit.inspector, verb="visit.submit", target=visit,
                         summary=f"提交检查：{visit.site.name}，得分率 {visit.score_rate or 0:.1f}%，发现问题 {failed} 个")
    return len(findings)
