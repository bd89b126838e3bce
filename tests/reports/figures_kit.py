"""A small hand-computed set of tasks for the figures, dashboard and summary tests.

T is today. Every task is written with its timeline directly (no lifecycle), so the expected
figures below can be checked by hand (times are 10:00 Beijing time):

  task  unit          leader  assigned  signed (due)      due    closed (on time, 核查次数)  state
  A1    湖滨街道      L       T-20      T-19 (T-19) ok    T-10   T-12 (yes, 1)               closed
  A2    湖滨街道      L       T-20      T-17 (T-19) late  T-11   T-3  (no, 2)                closed
  A3    和平社区      –       T-15      T-14 (T-14) ok    T-2    –                           in_progress (red)
  A4    湖滨街道      L       T-8       –    (T-7)        T+1    –                           assigned (yellow)
  B1    江北街道      –       T-25      T-24 (T-24) ok    T-15   T-16 (yes, 1)               rebound
  B2    江北街道      –       T-6       T-6  (T-5)  ok    T+5    –                           in_progress (rebound of B1)
  C1    市城管局      L       T-3       –    (T-2)        T+10   –                           parked since T-2
  C2    市城管局      L       T-30      T-29 (T-29) ok    T-20   T-25 (yes, 1)               closed

yellow_from is two days before the due date.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from bench import samples
from campaign.models import TimeLimit
from tasks.models import RectificationTask

# Expected figures today (cumulative counts; stocks today).
CITY_TODAY = {"handed_over": 8, "signed": 6, "signed_on_time": 5, "closed": 4, "closed_on_time": 3, "first_pass": 3,
              "rebounds": 1, "open": 3, "red": 1, "yellow": 1}
UNIT_A_TODAY = {"handed_over": 4, "signed": 3, "signed_on_time": 2, "closed": 2, "closed_on_time": 1, "first_pass": 1,
                "rebounds": 0, "open": 2, "red": 1, "yellow": 1}
UNIT_B_TODAY = {"handed_over": 2, "signed": 2, "signed_on_time": 2, "closed": 1, "closed_on_time": 1, "first_pass": 1,
                "rebounds": 1, "open": 1, "red": 0, "yellow": 0}
BUREAU_TODAY = {"handed_over": 2, "signed": 1, "signed_on_time": 1, "closed": 1, "closed_on_time": 1, "first_pass": 1,
                "rebounds": 0, "open": 0, "red": 0, "yellow": 0}
LEADER_TODAY = {"handed_over": 5, "signed": 3, "signed_on_time": 2, "closed": 3, "closed_on_time": 2, "first_pass": 2,
                "rebounds": 0, "open": 1, "red": 0, "yellow": 1}
# As of the end of T-10, rebuilt from the timelines.
CITY_T10 = {"handed_over": 5, "signed": 5, "signed_on_time": 4, "closed": 3, "closed_on_time": 3, "first_pass": 3,
            "rebounds": 0, "open": 2, "red": 1, "yellow": 0}
# The period [T-20, T]: flows within it, stocks at its end.
PERIOD_FLOWS = {"handed_over": 6, "signed": 4, "signed_on_time": 3, "closed": 3, "closed_on_time": 2, "first_pass": 2,
                "rebounds": 1, "open": 3, "red": 1, "yellow": 1}


def at(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _task(ref, number: str, unit, *, assigned: int, due: int, leader=None, signed: int | None = None,
          closed: int | None = None, on_time=None, rounds: int = 0, state: str = "in_progress", **extra):
    today = ref.today
    day = lambda n: today + timedelta(days=n)  # noqa: E731
    return RectificationTask.objects.create(
        number=number, year=today.year, title=f"{number} 问题", source="督查", indicator=ref.standard, lead_unit=unit,
        leader=leader, time_limit=ref.limit, state=state, assigned_at=at(day(assigned)), sign_due=day(assigned + 1),
        signed_at=at(day(signed)) if signed is not None else None, due_date=day(due), original_due_date=day(due),
        yellow_from=day(due - 2), closed_at=at(day(closed)) if closed is not None else None, closed_on_time=on_time,
        verify_rounds=rounds, **extra,
    )


def build(city, leader) -> SimpleNamespace:
    today = timezone.localdate()
    sample = samples.make_framework(standards=1)
    limit = TimeLimit.objects.get_or_create(name="指定日期", defaults={"kind": "date", "yellow_workdays": 2})[0]
    ref = SimpleNamespace(today=today, standard=sample.standards[0], limit=limit, city=city, leader=leader)
    a, b, c = city.unit_a, city.unit_b, city.bureau
    ref.a1 = _task(ref, "T-A1", a, leader=leader, assigned=-20, signed=-19, due=-10, closed=-12, on_time=True,
                   rounds=1, state="closed")
    ref.a2 = _task(ref, "T-A2", a, leader=leader, assigned=-20, signed=-17, due=-11, closed=-3, on_time=False,
                   rounds=2, state="closed")
    ref.a3 = _task(ref, "T-A3", city.community_a, assigned=-15, signed=-14, due=-2)
    ref.a4 = _task(ref, "T-A4", a, leader=leader, assigned=-8, due=1, state="assigned")
    ref.b1 = _task(ref, "T-B1", b, assigned=-25, signed=-24, due=-15, closed=-16, on_time=True, rounds=1,
                   state="rebound")
    ref.b2 = _task(ref, "T-B2", b, assigned=-6, signed=-6, due=5, rebound_of=ref.b1, priority=2)
    ref.c1 = _task(ref, "T-C1", c, leader=leader, assigned=-3, due=10, state="parked",
                   parked_at=at(today - timedelta(days=2)), park_review_date=today + timedelta(days=20))
    ref.c2 = _task(ref, "T-C2", c, leader=leader, assigned=-30, signed=-29, due=-20, closed=-25, on_time=True,
                   rounds=1, state="closed")
    return ref


def counts(obj) -> dict:
    return {name: getattr(obj, name) for name in CITY_TODAY}
