"""The rates every report and dashboard shows, defined once (plain Python: no model imports).

All rates are percentages rounded half-up to one decimal place, or None when the denominator is
zero ("—" on pages; the wording then leaves the sentence out rather than print a made-up 0%).

* 整改率 (rectification rate) = 已整改 ÷ 应整改, the offices' usual "已整改/应整改":
  应整改 = problems handed over (交办) up to the date, each problem counted once: a task found
  rebounded (反弹) at 回头看 is replaced by the new task it spawned, so the original leaves the
  denominator; 已整改 = tasks closed (核查通过销号) up to the date and not since found rebounded.
  Example: 10 handed over, 6 closed, 1 of them rebounded (a new, open task) → 5 ÷ 10 = 50.0%.
* 按时签收率 = signed on or before the sign-for deadline ÷ signed.
* 按期销号率 = closed on or before the due date ÷ closed (every closure, rebounded or not).
* 一次核查通过率 (first-time pass rate at 核查) = closed at the first 核查 ÷ closed.
* 反弹率 = closed tasks later found rebounded ÷ closed.
* 材料完整率 = (standard × unit) duties with every required evidence category approved ÷ duties.
* 得分率 = points met ÷ applicable points of the latest inspection round (inspections' rule).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


class RatesMixin:
    """Rates over the count attributes of a snapshot row or a ``Counts``."""

    @property
    def to_rectify(self) -> int:
        return self.handed_over - self.rebounds

    @property
    def rectified(self) -> int:
        return self.closed - self.rebounds

    @property
    def rectification_rate(self) -> Decimal | None:
        return percent(self.rectified, self.to_rectify)

    @property
    def sign_on_time_rate(self) -> Decimal | None:
        return percent(self.signed_on_time, self.signed)

    @property
    def close_on_time_rate(self) -> Decimal | None:
        return percent(self.closed_on_time, self.closed)

    @property
    def first_pass_rate(self) -> Decimal | None:
        return percent(self.first_pass, self.closed)

    @property
    def rebound_rate(self) -> Decimal | None:
        return percent(self.rebounds, self.closed)

    @property
    def evidence_rate(self) -> Decimal | None:
        return percent(self.evidence_complete or 0, self.evidence_pairs)

    @property
    def score_rate(self) -> Decimal | None:
        return percent(self.score_met or 0, self.score_applicable)
