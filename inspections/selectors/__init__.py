"""Non-trivial reads of the inspections app: sampling, coverage, score rates and the round report."""

from inspections.selectors.coverage import (
    CoverageRow,
    my_open_rounds,
    pending_findings,
    pending_planned,
    planned_in_scope,
    round_coverage,
    site_choices,
    visits_by_site,
)
from inspections.selectors.report import TABLES, RoundReport, recheck_summary, round_report
from inspections.selectors.sampling import sample_sites
from inspections.selectors.scores import (
    ScoreRow,
    overall,
    percent,
    previous_round,
    rank,
    red_black,
    round_rates,
    score_rows,
    scored_results,
)

__all__ = [
    "TABLES", "CoverageRow", "RoundReport", "ScoreRow", "my_open_rounds", "overall", "pending_findings",
    "pending_planned", "percent", "planned_in_scope", "previous_round", "rank", "recheck_summary", "red_black",
    "round_coverage", "round_rates", "round_report", "sample_sites", "score_rows", "scored_results",
    "site_choices", "visits_by_site",
]
