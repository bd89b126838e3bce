"""The two figures of a snapshot that do not come from tasks: evidence completeness (台账) and the
latest inspection score rate (得分率). Both are read once per run and summed per scope in Python.

* Evidence: ``archives.selectors.completeness`` over the whole matrix (today only: the history of
  evidence reviews is not replayed, so backfilled days leave it empty). A unit scope sums the
  duties of its units and the units below; a leader scope those of the units in their 分管 scope.
* Score: the latest inspection round (by start date, 回头看 rounds excluded: they carry no score)
  with a submitted visit in the scope by the day, summed from the visits' stored points, in the
  inspections app's rule (得分率 = points met ÷ applicable points). A site belongs to the scopes of
  its district, street and adopting unit (as ``Site.visible_to`` has it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncDate

from archives.selectors import completeness
from campaign.models import OrgUnit, User
from inspections.models import InspectionRound, RoundKind, Visit
from reports.models import ScopeKind
from reports.selectors.metrics.figures import day_start
from reports.selectors.metrics.scopes import Scope

ROUNDS_LOOKED_AT = 6
MAX_ROUNDS = 200


def leader_paths(scopes: list[Scope]) -> dict[int, tuple[str, ...]]:
    """{leader id: the unit paths of their 分管 scope} (two queries per leader, once per run)."""
    ids = [s.id for s in scopes if s.kind == ScopeKind.LEADER]
    return {u.pk: u.scope_paths for u in User.objects.filter(pk__in=ids)}


def paths_for(scope: Scope, leaders: dict[int, tuple[str, ...]]) -> tuple[str, ...] | None:
    """Unit paths a scope covers; None for the whole city."""
    if scope.kind == ScopeKind.CITY:
        return None
    if scope.kind == ScopeKind.LEADER:
        return leaders.get(scope.id, ())
    return (scope.path,)


def _within(path: str, prefixes: tuple[str, ...] | None) -> bool:
    return prefixes is None or any(path.startswith(p) for p in prefixes)


def evidence_by_scope(scopes: list[Scope], leaders: dict) -> dict[str, tuple[int, int]]:
    """{scope key: (duties, complete duties)}; scopes with no duty are left out."""
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in completeness():
        cell = per_unit[row.unit.path]
        cell[0] += 1
        cell[1] += int(row.complete)
    out = {}
    for scope in scopes:
        prefixes = paths_for(scope, leaders)
        pairs = complete = 0
        for path, (n, ok) in per_unit.items():
            if _within(path, prefixes):
                pairs, complete = pairs + n, complete + ok
        if pairs:
            out[scope.key] = (pairs, complete)
    return out


@dataclass
class ScopeScore:
    round_id: int
    round_name: str
    met: Decimal = Decimal(0)
    applicable: Decimal = Decimal(0)
    by_type: dict = field(default_factory=dict)


class VisitHistory:
    """Submitted visits summed per round, submission day, site type and the site's district /
    street / adopting-unit paths: read once, then asked for any day up to ``until``."""

    def __init__(self, until: date):
        end = day_start(until + timedelta(days=1))
        self.rounds = list(InspectionRound.objects.exclude(kind=RoundKind.RECHECK).filter(start_date__lte=until)
                           .order_by("-start_date", "-pk").values("pk", "name", "start_date")[:MAX_ROUNDS])
        self.rows = list(
            Visit.objects.filter(round__in=[r["pk"] for r in self.rounds], status=Visit.Status.SUBMITTED,
                                 submitted_at__lt=end, points_applicable__gt=0)
            .order_by().annotate(day=TruncDate("submitted_at"))
            .values("round_id", "day", "site__site_type__name", "site__district__path", "site__street__path",
                    "site__adopting_unit__path")
            .annotate(met=Sum("points_met"), applicable=Sum("points_applicable"))
        )

    def as_of(self, day: date) -> tuple[list[dict], dict[int, list]]:
        """The rounds started by ``day`` (newest first, at most ROUNDS_LOOKED_AT) and their rows."""
        rounds = [r for r in self.rounds if r["start_date"] <= day][:ROUNDS_LOOKED_AT]
        wanted = {r["pk"] for r in rounds}
        by_round = defaultdict(list)
        for row in self.rows:
            if row["round_id"] in wanted and row["day"] <= day:
                by_round[row["round_id"]].append(row)
        return rounds, by_round


def scores_by_scope(scopes: list[Scope], leaders: dict, day: date,
                    history: VisitHistory | None = None) -> dict[str, ScopeScore]:
    """{scope key: its score in the latest round that visited it by ``day``}."""
    rounds, by_round = (history or VisitHistory(day)).as_of(day)
    out = {}
    for scope in scopes:
        prefixes = paths_for(scope, leaders)
        for round_row in rounds:
            score = score_in(round_row, by_round[round_row["pk"]], prefixes)
            if score.applicable:
                out[scope.key] = score
                break
    return out


def score_in(round_row: dict, rows: list, prefixes) -> ScopeScore:
    score = ScopeScore(round_id=round_row["pk"], round_name=round_row["name"])
    for row in rows:
        paths = [row["site__district__path"], row["site__street__path"], row["site__adopting_unit__path"]]
        if prefixes is not None and not any(p and _within(p, prefixes) for p in paths):
            continue
        score.met += row["met"] or 0
        score.applicable += row["applicable"] or 0
        kind = score.by_type.setdefault(row["site__site_type__name"], [Decimal(0), Decimal(0)])
        kind[0] += row["met"] or 0
        kind[1] += row["applicable"] or 0
    score.by_type = {k: [str(v[0]), str(v[1])] for k, v in score.by_type.items()}
    return score


def unit_paths() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "path"))
