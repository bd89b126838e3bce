"""The round report: score tables, 红黑榜, change against the previous round, 回头看 results."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from inspections.models import InspectionRound, Result, Visit, VisitResult
from inspections.selectors.scores import (
    ScoreRow,
    attach_previous,
    overall,
    percent,
    previous_round,
    red_black,
    score_rows,
    scored_results,
)

TABLES = [
    ("site_type", "按点位类型"),
    ("district", "按区县"),
    ("unit", "按包保单位"),
    ("standard", "按测评标准"),
    ("site", "按点位"),
]


@dataclass
class RoundReport:
    round: InspectionRound
    overall: ScoreRow
    previous: InspectionRound | None
    previous_overall: ScoreRow | None
    tables: list[tuple[str, str, list[ScoreRow]]] = field(default_factory=list)
    red: list[ScoreRow] = field(default_factory=list)
    black: list[ScoreRow] = field(default_factory=list)
    recheck: list[dict] = field(default_factory=list)
    recheck_total: dict = field(default_factory=dict)
    n_findings: int = 0
    scoped: bool = False

    def table(self, dimension: str) -> list[ScoreRow]:
        return next(rows for key, _label, rows in self.tables if key == dimension)

    @property
    def change(self):
        if self.previous_overall is None or self.previous_overall.rate is None or self.overall.rate is None:
            return None
        return self.overall.rate - self.previous_overall.rate


def round_report(inspection_round: InspectionRound, user) -> RoundReport:
    """Every figure of the report page and the .xlsx export, limited to what ``user`` may see."""
    results = scored_results(user=user, rounds=[inspection_round])
    earlier = previous_round(inspection_round)
    earlier_results = scored_results(user=user, rounds=[earlier]) if earlier else None
    report = RoundReport(
        round=inspection_round, overall=overall(results, "本轮合计"), previous=earlier,
        previous_overall=overall(earlier_results, "上一轮合计") if earlier else None,
        scoped=not (user.is_office or user.has_role("inspector", "assessor")),
    )
    for dimension, label in TABLES:
        rows = score_rows(results, dimension)
        if earlier_results is not None and dimension != "site":
            attach_previous(rows, score_rows(earlier_results, dimension))
        report.tables.append((dimension, label, rows))
    report.red, report.black = red_black(report.table("unit"))
    report.n_findings = inspection_round.findings.filter(visit__in=Visit.objects.visible_to(user).values("pk")).count()
    if inspection_round.is_recheck:
        report.recheck, report.recheck_total = recheck_summary(inspection_round, user)
    return report


def recheck_summary(inspection_round: InspectionRound, user) -> tuple[list[dict], dict]:
    """回头看 results by the closed task's lead unit: re-checked, fixed for good, rebounded."""
    lines = VisitResult.objects.filter(
        visit__round=inspection_round, visit__status=Visit.Status.SUBMITTED, recheck__isnull=False,
        visit__in=Visit.objects.visible_to(user).values("pk"),
    )
    counts = {"n": Count("pk"), "confirmed": Count("pk", filter=Q(result=Result.MET)),
              "rebound": Count("pk", filter=Q(result=Result.FAILED))}
    rows = list(
        lines.order_by().values("recheck__task__lead_unit_id", "recheck__task__lead_unit__name").annotate(**counts)
    )
    for row in rows:
        row["unit"] = row.pop("recheck__task__lead_unit__name")
        row["kept_rate"] = percent(row["confirmed"], row["confirmed"] + row["rebound"])
    rows.sort(key=lambda r: (-r["rebound"], r["unit"]))
    total = lines.order_by().aggregate(**counts)
    total["kept_rate"] = percent(total["confirmed"], total["confirmed"] + total["rebound"])
    return rows, total
