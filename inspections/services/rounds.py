"""Writes of inspection rounds: create with a site sample, who visits what, close."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaign.models import OrgUnit, Site, SiteType, User
from campaign.services import event_record, notify
from inspections.models import InspectionRound, RecheckItem, RoundKind, RoundSite
from inspections.selectors import sample_sites
from inspections.services.recheck import recheck_queue_closed_tasks

MAX_PER_TYPE = 100


def _people_problems(inspectors: list[User], assessors: list[User], kind: str) -> dict[str, str]:
    if not inspectors and not assessors:
        return {"inspectors": "请至少选择一名督查员或第三方测评员。"}
    wrong_inspectors = [u for u in inspectors if not u.has_role("inspector", "office", "district_office")]
    wrong = wrong_inspectors + [u for u in assessors if not u.has_role("assessor")]
    if wrong:
        return {"inspectors" if wrong_inspectors else "assessors":
                f"以下人员没有督查员/测评员角色，不能参加检查：{'、'.join(map(str, wrong))}。"}
    if kind == RoundKind.RECHECK and assessors:
        return {"assessors": "回头看由督查员复查（需确认整改或登记反弹），请不要安排第三方测评员。"}
    return {}


def _basic_problems(name: str, kind: str, start_date: date, end_date: date) -> dict[str, str]:
    problems = {}
    if not name:
        problems["name"] = "请填写轮次名称。"
    if kind not in RoundKind.values:
        problems["kind"] = "请选择检查类型。"
    if end_date < start_date:
        problems["end_date"] = "结束日期不能早于开始日期。"
    return problems


def _sample_problems(kind: str, mode: str, site_types, per_type, sites) -> dict[str, str]:
    if (kind == RoundKind.RECHECK) != (mode == InspectionRound.SampleMode.RECHECK):
        return {"sample_mode": "“回头看”轮次请选择“回头看清单”；其他类型请按类型随机抽取或指定点位。"}
    problems = {}
    if mode == InspectionRound.SampleMode.RANDOM:
        if not site_types:
            problems["site_types"] = "请至少选择一种点位类型。"
        if not per_type:
            problems["per_type"] = "请填写每类抽取的点位数。"
        elif not 1 <= per_type <= MAX_PER_TYPE:
            problems["per_type"] = f"每类抽取数应为 1 到 {MAX_PER_TYPE} 之间的整数。"
    if mode == InspectionRound.SampleMode.EXPLICIT and not sites:
        problems["sites"] = "请列出要检查的点位。"
    return problems


@transaction.atomic
def round_create(
    *, actor: User | None, name: str, kind: str, start_date: date, end_date: date,
    inspectors: Iterable[User] = (), assessors: Iterable[User] = (), note: str = "",
    sample_mode: str, site_types: Iterable[SiteType] = (), districts: Iterable[OrgUnit] = (),
    per_type: int | None = None, seed: int | None = None, sites: Iterable[Site] = (),
) -> InspectionRound:
    """A round and its planned sites. A random sample records its seed (a fresh one when none is
    given) so the same inputs draw the same sites again; a 回头看 round takes the whole waiting
    回头看 list (within the chosen districts and site types, if any), after queueing the tasks
    closed since the last scan. A refusal is a ValidationError keyed by the argument it concerns
    (``name``, ``kind``, ``end_date``, ``inspectors``, ``assessors``, ``sample_mode``,
    ``site_types``, ``per_type``, ``sites``)."""
    name = (name or "").strip()
    site_types, districts, sites = list(site_types), list(districts), list(sites)
    inspectors, assessors = list(inspectors), list(assessors)
    # Every problem at once, each under the field it concerns (forms show them there).
    run_by = _running_district(actor)
    problems = {**_basic_problems(name, kind, start_date, end_date),
                **_people_problems(inspectors, assessors, kind),
                **_sample_problems(kind, sample_mode, site_types, per_type, sites),
                **_district_problems(run_by, districts, sites)}
    if problems:
        raise ValidationError(problems)
    if run_by is not None and not districts:
        districts = [run_by]

    if sample_mode == InspectionRound.SampleMode.RANDOM and seed is None:
        seed = secrets.randbelow(1_000_000)
    site_ids, recheck_items = _draw(sample_mode, site_types, districts, per_type, seed, sites)
    if not site_ids:
        raise ValidationError("按所选条件没有可检查的点位（回头看清单为空，或所选类型、区县下没有点位）。")

    rnd = InspectionRound.objects.create(
        name=name, kind=kind, start_date=start_date, end_date=end_date, note=note, created_by=actor, run_by_unit=run_by,
        sample_mode=sample_mode, sample_seed=seed if sample_mode == InspectionRound.SampleMode.RANDOM else None,
        sample_per_type=per_type if sample_mode == InspectionRound.SampleMode.RANDOM else None,
    )
    rnd.inspectors.set(inspectors)
    rnd.assessors.set(assessors)
    rnd.sample_site_types.set(site_types)
    rnd.sample_districts.set(districts)
    RoundSite.objects.bulk_create([RoundSite(round=rnd, site_id=pk) for pk in site_ids])
    if recheck_items:
        RecheckItem.objects.filter(pk__in=[r.pk for r in recheck_items]).update(
            status=RecheckItem.Status.PLANNED, round=rnd)
    seed_text = f"，随机种子 {rnd.sample_seed}" if rnd.sample_seed is not None else ""
    event_record(actor=actor, verb="round.create", target=rnd,
                 summary=f"新建{kind}轮次：{name}，计划检查 {len(site_ids)} 个点位{seed_text}")
    notify(recipients=[*inspectors, *assessors], title=f"您被安排参加检查：{name}",
           body=f"{start_date:%Y-%m-%d} 至 {end_date:%Y-%m-%d}，共 {len(site_ids)} 个点位。",
           url=f"/inspections/rounds/{rnd.pk}/")
    return rnd


def _running_district(actor) -> OrgUnit | None:
    """The district whose 区创文办 the actor runs the round for; None for the city office."""
    if actor is None or not actor.is_authenticated or actor.is_office or not actor.district_office_paths:
        return None
    return OrgUnit.objects.filter(path=min(actor.district_office_paths)).first()


def _district_problems(run_by: OrgUnit | None, districts: list[OrgUnit], sites: list[Site]) -> dict[str, str]:
    """A 区创文办 samples and visits its own district only."""
    if run_by is None:
        return {}
    problems = {}
    others = [d.name for d in districts if not d.path.startswith(run_by.path)]
    if others:
        problems["districts"] = f"区创文办只能检查本区的点位，请不要选择{'、'.join(others)}。"
    outside = [s.name for s in sites if s.district is None or not s.district.path.startswith(run_by.path)]
    if outside:
        problems["sites"] = f"以下点位不在{run_by.name}，不能列入本区的检查：{'、'.join(outside[:10])}。"
    return problems


def _draw(mode, site_types, districts, per_type, seed, sites) -> tuple[list[int], list[RecheckItem]]:
    """The planned site ids (and, for 回头看, the re-check items they come from)."""
    if mode == InspectionRound.SampleMode.RANDOM:
        return sample_sites(site_types=site_types, districts=districts, per_type=per_type, seed=seed), []
    if mode == InspectionRound.SampleMode.EXPLICIT:
        return list(dict.fromkeys(s.pk for s in sites)), []
    recheck_queue_closed_tasks()
    waiting = RecheckItem.objects.select_for_update().filter(status=RecheckItem.Status.QUEUED)
    if districts:
        waiting = waiting.filter(site__district__in=districts)
    if site_types:
        waiting = waiting.filter(site__site_type__in=site_types)
    items = list(waiting.order_by("pk"))
    return list(dict.fromkeys(r.site_id for r in items)), items


def _members(rnd: InspectionRound) -> list[User]:
    people = {u.pk: u for u in [*rnd.inspectors.all(), *rnd.assessors.all()]}
    return sorted(people.values(), key=lambda u: (u.get_full_name(), u.pk))


@transaction.atomic
def round_distribute(*, actor: User | None, round: InspectionRound) -> int:
    """Share the unassigned planned sites among the round's people in contiguous blocks (sorted by
    district and site type), so each person walks one part of the city."""
    members = _members(round)
    if not members:
        raise ValidationError("该轮次没有检查人员，无法分配。")
    todo = list(round.planned.filter(assignee__isnull=True)
                .order_by("site__district__path", "site__site_type__sort_order", "site__name", "pk"))
    if not todo:
        raise ValidationError("所有点位都已分配检查人。")
    size = -(-len(todo) // len(members))
    for index, planned in enumerate(todo):
        planned.assignee = members[index // size]
    RoundSite.objects.bulk_update(todo, ["assignee"])
    event_record(actor=actor, verb="round.distribute", target=round,
                 summary=f"自动分配 {len(todo)} 个点位给 {len(members)} 名检查人员")
    return len(todo)


@transaction.atomic
def roundsite_assign(*, actor: User | None, planned: RoundSite, assignee: User | None) -> RoundSite:
    rnd = planned.round
    if assignee is not None and assignee.pk not in {u.pk for u in _members(rnd)}:
        raise ValidationError(f"{assignee} 不是本轮次的检查人员。")
    before = planned.assignee
    planned.assignee = assignee
    planned.save(update_fields=["assignee"])
    event_record(actor=actor, verb="round.assign", target=rnd,
                 summary=f"{planned.site.name}：检查人 {before or '未分配'} → {assignee or '未分配'}")
    return planned


@transaction.atomic
def round_close(*, actor: User | None, round: InspectionRound) -> InspectionRound:
    """End a round: no visit can be started or submitted afterwards; drafts stay unscored."""
    rnd = InspectionRound.objects.select_for_update().get(pk=round.pk)
    move = rnd.check_move("close")
    drafts = rnd.visits.filter(status="draft").count()
    (rnd.status,) = move.targets
    rnd.closed_at = timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    extra = f"，{drafts} 个未提交的检查不计分" if drafts else ""
    event_record(actor=actor, verb="round.close", target=rnd, summary=f"结束轮次：{rnd.name}{extra}")
    return rnd
