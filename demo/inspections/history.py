"""Demo rounds replayed through the real services at the moments they happened.

Every visit, finding, task and re-check is written by the same services the pages use, inside
``time_machine.travel(moment)`` so that each row, audit event and notification carries the time
it would have had. Four rounds: a 模拟测评 (~3 months ago) whose tasks are mostly closed, a 督查
(~6 weeks ago) still being worked on, a 回头看 (~2 weeks ago) with some 反弹, and an open 暗访
in progress today (with findings waiting to be handed over and one draft).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from campaign.models import Membership, OrgUnit, Site, SiteType, User
from demo.archives.photos import VARIANTS, problem_photo, stored_photos
from demo.campaign.reference.problems import kind_for
from demo.inspections.bulk import write_visits
from demo.inspections.checklists import finding_note, motif_of_item
from demo.inspections.clock import at
from inspections.models import InspectionRound, RecheckItem, Result, Visit
from inspections.services import (
    recheck_queue_closed_tasks,
    round_close,
    round_create,
    round_distribute,
    round_raise_tasks,
    roundsite_assign,
    visit_add_photo,
    visit_save,
    visit_start,
    visit_submit,
)
from tasks.models import RectificationTask
from tasks.services import task_transition

RECHECK_TYPES = ["主次干道", "背街小巷", "集贸市场", "公共广场", "公园"]
STREET_TYPES = ["主次干道", "背街小巷", "商业大街", "集贸市场", "公共广场", "公园", "公交站点", "室外公厕", "建筑工地"]


class History:
    def __init__(self, *, now: datetime, rng: random.Random):
        self.now, self.rng = now, rng
        self.today = timezone.localdate(now)
        self.office = next(iter(self._people("office")), None)
        self.inspectors = self._people("inspector")
        self.assessors = self._people("assessor")
        self.weakness = {}  # adopting unit → share of items it fails
        self.liaisons = {}
        self.counts = {"visits": 0, "findings": 0, "tasks": 0, "rebounds": 0}
        self.pool = {}  # (motif, fixed, variant) → the stored photos findings and fixes share

    def store_pools(self) -> None:
        unit = self.office.memberships.filter(role="office").select_related("unit").first().unit
        self.pool = stored_photos(unit=unit, uploader=self.office)

    def task_motif(self, task: RectificationTask) -> str:
        """The photo motif of a task raised from a finding (its title ends with the problem)."""
        kind = kind_for(task.site.site_type.name, task.title.rpartition("：")[2]) if task.site_id else None
        return kind.motif if kind else "litter"

    def _people(self, role: str) -> list[User]:
        """Holders of a role, the documented demo account (named after the role) first."""
        people = User.objects.filter(memberships__role=role, is_active=True).distinct().order_by("username")
        return sorted(people, key=lambda u: u.username != role)

    def moment(self, day, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- visits ------------------------------------------------------------------------------

    def fail_share(self, site: Site, strictness: float = 1.0) -> float:
        """Share of items a site fails: each adopting unit has its own steady level (so rankings
        hold between rounds); a 模拟测评 looks harder (``strictness``)."""
        key = site.adopting_unit_id or 0
        if key not in self.weakness:
            self.weakness[key] = 0.02 + 0.2 * self.rng.random() ** 1.5
        return min(self.weakness[key] * strictness, 0.6)

    def visit(self, inspection_round: InspectionRound, site: Site, who: User, when: datetime, *, submit: bool = True,
              recheck_rebound: float = 0.14, min_failed: int = 0) -> Visit:
        with at(when):
            visit = visit_start(actor=who, round=inspection_round, site=site, now=when, latitude=site.latitude,
                                longitude=site.longitude)
            lines = list(visit.results.select_related("recheck__task"))
            share = recheck_rebound if inspection_round.is_recheck else self.fail_share(site)
            answers, failed = {}, []
            for line in lines:
                roll = self.rng.random()
                result = Result.NA if roll < 0.05 else Result.FAILED if roll < 0.05 + share else Result.MET
                note = ""
                if result == Result.FAILED:
                    note = ("复查发现问题再次出现，整改未巩固" if line.recheck_id
                            else finding_note(self.rng, site.site_type.name, line.label))
                    failed.append(line)
                answers[line.pk] = {"result": result, "note": note}
            for line in lines[: max(min_failed - len(failed), 0)]:
                # The demo must show work waiting (e.g. a finding to hand over) whatever the dice said.
                answers[line.pk] = {"result": Result.FAILED,
                                    "note": finding_note(self.rng, site.site_type.name, line.label)}
                failed.append(line)
            if not submit:
                half = dict(list(answers.items())[: len(answers) // 2])
                return visit_save(actor=who, visit=visit, answers=half, autosave=True)
            visit_save(actor=who, visit=visit, answers=answers, autosave=True)
            for line in failed:
                motif = (self.task_motif(line.recheck.task) if line.recheck_id
                         else motif_of_item(site.site_type.name, line.label))
                photo = problem_photo(motif, fixed=False, seed=f"{visit.pk}-{line.pk}", taken=timezone.localtime(when),
                                      gps=(float(site.latitude), float(site.longitude)) if site.latitude else None)
                visit_add_photo(actor=who, visit=visit, line=line,
                                file=ContentFile(photo, name=f"IMG_{when:%Y%m%d}_{visit.pk:04d}{line.number:02d}.jpg"))
        done = min(when + timedelta(minutes=20 + len(lines) * 2), self.now)
        with at(done):
            visit = visit_submit(actor=who, visit=visit, now=done)
        self.counts["visits"] += 1
        self.counts["findings"] += len(failed)
        self.counts["rebounds"] += sum(1 for line in failed if line.recheck_id)
        return visit

    def walk(self, inspection_round: InspectionRound, *, skip: int = 0, bulk: bool = False) -> None:
        """Visit the planned sites across the round's days, each by its assignee (``bulk``: the
        large historic rounds, written in one go)."""
        planned = list(inspection_round.planned.select_related("site__site_type", "assignee").order_by("pk"))
        self.rng.shuffle(planned)
        planned = planned[: len(planned) - skip]
        days = max((inspection_round.end_date - inspection_round.start_date).days, 0) + 1
        people = [*inspection_round.inspectors.all(), *inspection_round.assessors.all()]
        plan = []
        for index, planned_site in enumerate(planned):
            day = inspection_round.start_date + timedelta(days=index * days // max(len(planned), 1))
            when = self.moment(day, 9 + index % 8, self.rng.randint(0, 50))
            plan.append((planned_site.site, planned_site.assignee or people[index % len(people)], when))
        if bulk:
            self.counts["findings"] += write_visits(self, inspection_round, plan, self.pool)
            self.counts["visits"] += len(plan)
            return
        for site, who, when in plan:
            self.visit(inspection_round, site, who, when)

    # --- tasks -------------------------------------------------------------------------------

    def liaison(self, unit_id: int) -> User | None:
        if unit_id not in self.liaisons:
            membership = (Membership.objects.filter(unit_id=unit_id, role__in=["liaison", "unit_head"])
                          .select_related("user").order_by("role", "pk").first())
            self.liaisons[unit_id] = membership.user if membership else None
        return self.liaisons[unit_id]

    def raise_all(self, inspection_round: InspectionRound, when: datetime) -> list[RectificationTask]:
        with at(when):
            summary = round_raise_tasks(actor=self.office, round=inspection_round)
        self.counts["tasks"] += len(summary.created)
        return summary.created

    def progress(self, tasks: list[RectificationTask], start: datetime, shares: tuple[float, float]) -> None:
        """Carry each task on: ``shares`` = (closed, submitted); the rest are signed and being fixed."""
        closed, submitted = shares
        for task in tasks:
            roll = self.rng.random()
            stop = "approve" if roll < closed else "submit" if roll < closed + submitted else "sign"
            self._carry(task, start, stop)

    def _carry(self, task: RectificationTask, start: datetime, stop: str) -> None:
        who = self.liaison(task.lead_unit_id)
        if who is None:
            return
        moment = start + timedelta(hours=self.rng.randint(2, 30))
        steps = ["sign", "submit", "approve"]
        for action in steps[: steps.index(stop) + 1]:
            if moment >= self.now:
                return
            with at(moment):
                if action == "sign":
                    task_transition(task=task, actor=who, action="sign")
                elif action == "submit":
                    after = self.pool[(self.task_motif(task), True, task.pk % VARIANTS)]
                    task_transition(task=task, actor=who, action="submit", photos=[after],
                                    note="已组织人员现场整改到位，并建立日常巡查机制。")
                else:
                    task_transition(task=task, actor=self.office, action="approve", note="经现场核查，整改到位，予以销号。")
            moment += timedelta(days=self.rng.randint(1, 6), hours=self.rng.randint(0, 5))


def _round(history: History, when: datetime, **kwargs) -> InspectionRound:
    with at(when):
        return round_create(actor=history.office, **kwargs)


def _close(history: History, inspection_round: InspectionRound, when: datetime) -> None:
    with at(when):
        round_close(actor=history.office, round=inspection_round)


def mock_assessment(history: History) -> InspectionRound:
    start = history.today - timedelta(days=86)
    inspection_round = _round(
        history, history.moment(start - timedelta(days=2), 9), name=f"{start.year}年{start.month}月全市模拟测评",
        kind="模拟测评", start_date=start, end_date=start + timedelta(days=4),
        assessors=history.assessors[:1], inspectors=history.inspectors[:1], sample_mode="random",
        site_types=SiteType.objects.all(), per_type=2, seed=20260901,
        note="委托第三方测评机构按全国文明城市测评体系实地考察点位，全面摸排问题。")
    with at(history.moment(start - timedelta(days=1), 10)):
        round_distribute(actor=history.office, round=inspection_round)
    history.walk(inspection_round, bulk=True)
    raised = history.raise_all(inspection_round, history.moment(inspection_round.end_date + timedelta(days=1), 10))
    history.progress(raised, history.moment(inspection_round.end_date + timedelta(days=1), 12), (0.82, 0.06))
    _close(history, inspection_round, history.moment(inspection_round.end_date + timedelta(days=2), 17))
    return inspection_round


def supervision(history: History) -> InspectionRound:
    start = history.today - timedelta(days=44)
    inspection_round = _round(
        history, history.moment(start - timedelta(days=1), 9), name=f"{start.month}月市容环境专项督查", kind="督查",
        start_date=start, end_date=start + timedelta(days=5), inspectors=history.inspectors[:3],
        sample_mode="random", site_types=SiteType.objects.filter(name__in=STREET_TYPES), per_type=3,
        seed=20261010, note="聚焦市容环境、占道经营、公益广告等群众反映集中的问题。")
    with at(history.moment(start - timedelta(days=1), 10)):
        round_distribute(actor=history.office, round=inspection_round)
    history.walk(inspection_round, skip=2, bulk=True)
    raised = history.raise_all(inspection_round, history.moment(inspection_round.end_date + timedelta(days=1), 9))
    history.progress(raised, history.moment(inspection_round.end_date + timedelta(days=1), 11), (0.55, 0.2))
    _close(history, inspection_round, history.moment(inspection_round.end_date + timedelta(days=3), 17))
    return inspection_round


def _recheck_scope() -> tuple[int | None, list[str] | None]:
    """The smallest district with enough waiting re-checks among the street-like types; failing
    that, the district with the most waiting re-checks of any type."""
    waiting = RecheckItem.objects.filter(status=RecheckItem.Status.QUEUED)
    typed = (waiting.filter(site__site_type__name__in=RECHECK_TYPES).values("site__district")
             .annotate(n=Count("pk")).order_by("n"))
    district = next((row["site__district"] for row in typed if row["n"] >= 8), None)
    if district is not None:
        return district, RECHECK_TYPES
    busiest = waiting.values("site__district").annotate(n=Count("pk")).order_by("-n").first()
    return (busiest["site__district"], None) if busiest else (None, None)


def recheck(history: History) -> InspectionRound | None:
    start = history.today - timedelta(days=14)
    with at(history.moment(start - timedelta(days=2), 2)):
        recheck_queue_closed_tasks()
    district, types = _recheck_scope()
    if district is None:
        return None
    inspectors = history.inspectors[:2]
    inspection_round = _round(
        history, history.moment(start - timedelta(days=1), 9),
        name=f"{start.month}月整改问题回头看（{OrgUnit.objects.get(pk=district).name}）",
        kind="回头看", start_date=start, end_date=start + timedelta(days=5), inspectors=inspectors,
        sample_mode="recheck", districts=OrgUnit.objects.filter(pk=district),
        site_types=SiteType.objects.filter(name__in=types) if types else (),
        note="对已销号问题按比例抽查，顽疾点位全部复查，巩固整改成果。")
    with at(history.moment(start - timedelta(days=1), 10)):
        round_distribute(actor=history.office, round=inspection_round)
    history.walk(inspection_round)
    _close(history, inspection_round, history.moment(inspection_round.end_date + timedelta(days=1), 17))
    return inspection_round


def undercover(history: History) -> InspectionRound:
    """Open today: the demo inspector has sites left, two submitted visits wait to be handed over."""
    start = history.today - timedelta(days=3)
    east = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("path").first()
    sites = list(Site.objects.filter(district=east, site_type__name__in=["主次干道", "商业大街", "集贸市场", "公园"],
                                     is_active=True).order_by("pk")[:9])
    me = next((u for u in history.inspectors if u.username == "inspector"), history.inspectors[0])
    other = next((u for u in history.inspectors if u != me), me)
    inspection_round = _round(
        history, history.moment(start - timedelta(days=1), 15), name=f"{start.month}月夜间市容暗访", kind="暗访",
        start_date=start, end_date=history.today + timedelta(days=10), inspectors=[me, other], sample_mode="explicit",
        sites=sites, note="不打招呼、直奔现场，重点查看夜间占道经营和环境卫生。")
    planned = list(inspection_round.planned.select_related("site__site_type").order_by("pk"))
    with at(history.moment(start - timedelta(days=1), 16)):
        for index, planned_site in enumerate(planned):
            roundsite_assign(actor=history.office, planned=planned_site, assignee=me if index < 6 else other)
    for index, planned_site in enumerate(planned[:2] + planned[6:7]):
        history.visit(inspection_round, planned_site.site, planned_site.assignee,
                      history.moment(start + timedelta(days=index % 2), 20, 10 * index),
                      min_failed=1 if index == 0 else 0)
    draft_at = min(history.now - timedelta(hours=2), history.moment(history.today, 9))
    history.visit(inspection_round, planned[2].site, me, draft_at, submit=False)
    return inspection_round


def seed_rounds(history: History) -> list[InspectionRound]:
    history.store_pools()
    rounds = [mock_assessment(history), supervision(history)]
    checked = recheck(history)
    if checked is not None:
        rounds.append(checked)
    rounds.append(undercover(history))
    return rounds

