"""Score rates (得分率) of submitted visits, by any dimension, with ranks and change.

How the figures are computed (the round report page says the same in plain Chinese):

* 得分率 = points of the items judged 符合 ÷ points of the items judged 符合 or 不符合, in percent.
  Every checklist item carries its own points (default 1), copied onto the visit when it starts,
  so revising a checklist later never changes an old score.
* 不适用 items count in neither the numerator nor the denominator: a square without a fountain
  is not marked down for the fountain. A group whose items were all 不适用 has no rate ("—")
  and is left out of the ranking.
* Only submitted visits count; drafts and visits of other people's scope never do. 回头看 lines
  (re-checks of closed tasks) are not checklist items and have no score; they are reported as
  整改到位 / 反弹 instead.
* Rates are shown rounded to one decimal place, and ranks follow what is shown: equal shown
  rates share a rank (1, 2, 2, 4 …). Within a tie the group with more applicable points is
  listed first (a larger sample), then by name. 红黑榜 takes the best and the worst units by
  this order; a unit is never on both lists.
* The change against the previous round compares with the latest earlier round of the same
  kind (by start date), group by group, in percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from inspections.models import InspectionRound, Result, Visit, VisitResult

ONE_PLACE = Decimal("0.1")
NO_UNIT = "（未设包保单位）"

# dimension → (group key, label fields)
DIMENSIONS: dict[str, tuple[str, list[str]]] = {
    "round": ("visit__round_id", ["visit__round__name"]),
    "visit": ("visit_id", ["visit__site__name", "visit__site__site_type__name"]),
    "site": ("visit__site_id", ["visit__site__name", "visit__site__site_type__name"]),
    "site_type": ("visit__site__site_type_id", ["visit__site__site_type__name"]),
    "district": ("visit__site__district_id", ["visit__site__district__name"]),
    "unit": ("visit__site__adopting_unit_id", ["visit__site__adopting_unit__name"]),
    "standard": ("indicator_id", ["indicator__code", "indicator__name"]),
}


def percent(met, applicable) -> Decimal | None:
    if not applicable:
        return None
    return (Decimal(met) * 100 / Decimal(applicable)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class ScoreRow:
    key: object
    label: str
    sub: str = ""
    met: Decimal = Decimal(0)
    applicable: Decimal = Decimal(0)
    n_visits: int = 0
    n_failed: int = 0
    n_na: int = 0
    rank: int | None = None
    previous: Decimal | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.met, self.applicable)

    @property
    def change(self) -> Decimal | None:
        if self.rate is None or self.previous is None:
            return None
        return self.rate - self.previous


def scored_results(*, user, rounds=None, visits=None) -> QuerySet:
    """Checklist lines of submitted visits the user may see (a leader: sites in their scope)."""
    qs = VisitResult.objects.filter(visit__status=Visit.Status.SUBMITTED, item__isnull=False).exclude(result="")
    qs = qs.filter(visit__in=Visit.objects.visible_to(user).values("pk"))
    if rounds is not None:
        qs = qs.filter(visit__round__in=rounds)
    if visits is not None:
        qs = qs.filter(visit__in=visits)
    return qs


def _aggregates():
    return {
        "met": Sum("points", filter=Q(result=Result.MET), default=Decimal(0)),
        "applicable": Sum("points", filter=Q(result__in=[Result.MET, Result.FAILED]), default=Decimal(0)),
        "n_visits": Count("visit", distinct=True),
        "n_failed": Count("pk", filter=Q(result=Result.FAILED)),
        "n_na": Count("pk", filter=Q(result=Result.NA)),
    }


def score_rows(results: QuerySet, dimension: str) -> list[ScoreRow]:
    """One ScoreRow per group of the dimension, ranked (see the module docstring)."""
    key, labels = DIMENSIONS[dimension]
    rows = []
    for data in results.order_by().values(key, *labels).annotate(**_aggregates()):
        texts = [str(data[f]) if data[f] is not None else "" for f in labels]
        if dimension == "standard":
            label, sub = f"{texts[0]} {texts[1]}", ""
        else:
            label, sub = texts[0], (texts[1] if len(texts) > 1 else "")
        if dimension == "unit" and data[key] is None:
            label = NO_UNIT
        rows.append(ScoreRow(key=data[key], label=label, sub=sub, met=data["met"], applicable=data["applicable"],
                             n_visits=data["n_visits"], n_failed=data["n_failed"], n_na=data["n_na"]))
    return rank(rows)


def overall(results: QuerySet, label: str = "合计") -> ScoreRow:
    data = results.order_by().aggregate(**_aggregates())
    return ScoreRow(key=None, label=label, met=data["met"], applicable=data["applicable"],
                    n_visits=data["n_visits"], n_failed=data["n_failed"], n_na=data["n_na"])


def rank(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Order best first and give competition ranks on the shown (rounded) rate."""
    rows.sort(key=lambda r: (r.rate is None, -(r.rate or 0), -r.applicable, r.label))
    position, last_rate, last_rank = 0, None, None
    for row in rows:
        if row.rate is None:
            row.rank = None
            continue
        position += 1
        if row.rate != last_rate:
            last_rate, last_rank = row.rate, position
        row.rank = last_rank
    return rows


def red_black(rows: list[ScoreRow], size: int = 5) -> tuple[list[ScoreRow], list[ScoreRow]]:
    """红榜 (best first) and 黑榜 (worst first) from ranked rows; nobody is on both."""
    ranked = [r for r in rows if r.rank is not None and r.label != NO_UNIT]
    red_size = min(size, len(ranked) // 2) if len(ranked) < 2 * size else size
    red = ranked[:red_size]
    black = list(reversed(ranked[red_size:]))[:size] if len(ranked) > red_size else []
    return red, black


def previous_round(inspection_round: InspectionRound) -> InspectionRound | None:
    """The latest earlier round of the same kind."""
    return (
        InspectionRound.objects.filter(kind=inspection_round.kind)
        .filter(Q(start_date__lt=inspection_round.start_date)
                | Q(start_date=inspection_round.start_date, pk__lt=inspection_round.pk))
        .order_by("-start_date", "-pk").first()
    )


def attach_previous(rows: list[ScoreRow], earlier: list[ScoreRow]) -> list[ScoreRow]:
    by_key = {r.key: r.rate for r in earlier}
    for row in rows:
        row.previous = by_key.get(row.key)
    return rows


def round_rates(rounds, user) -> dict[int, ScoreRow]:
    """Overall score of each round (for the round list)."""
    results = scored_results(user=user, rounds=rounds)
    return {r.key: r for r in score_rows(results, "round")}
