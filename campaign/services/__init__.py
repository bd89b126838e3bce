"""Writes of the base app: audit events, notifications, units and memberships, and the reference
data (indicator system, sites, responsibility matrix, working-day calendar)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from campaign.models import (
    CalendarDay,
    CalendarYear,
    Event,
    Framework,
    Indicator,
    Notification,
    OrgUnit,
    Oversight,
    Responsibility,
    Site,
    TimeLimit,
    User,
)
from campaign.models.audit import readable_changes
from campaign.models.reference import LATITUDE_RANGE, LONGITUDE_RANGE
from campaign.models.workdays import package_knows
from campaign.services.queue import enqueue

log = logging.getLogger(__name__)


def event_record(
    *, actor: User | None, verb: str, target, summary: str, changes: dict | None = None, unit: OrgUnit | None = None
) -> Event:
    """Write one audit row. Every service that changes data calls this in its transaction.

    ``changes`` is ``{field: [old, new]}`` (or ``{field: value}`` for an action's input), keyed by
    the target's field names, with plain or model values: they are stored in the words the trail
    shows (``readable_changes``: Chinese labels, 是/否, Beijing time, names, （空）)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        summary=summary[:500],
        changes=readable_changes(target._meta.model, changes or {}),
        unit=unit,
    )


def diff_fields(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields that changed, JSON-safe."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if before.get(k) != v}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def notify(*, recipients: Iterable[User], title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox; mail goes out through the pending-mail job."""
    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    return Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:200], body=body, url=url[:300]) for u in unique.values()]
    )


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one notification, or all of the user's unread ones, as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


def email_pending_notifications(*, batch: int = 200) -> int:
    """Send notifications not yet mailed. Rows are claimed under SKIP LOCKED so two workers
    never send the same message, and a crash before the update sends it again later."""
    if not settings.EMAIL_ENABLED:
        return 0
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("id")[:batch]
        )
        for n in pending:
            if n.recipient.email:
                link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
                send_mail(f"[创文通] {n.title}", f"{n.body}\n\n{link}".strip(), None, [n.recipient.email])
                sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return sent


def send_daily_digest() -> int:
    """Mail each user who has unread notifications a one-line-per-item summary."""
    if not settings.EMAIL_ENABLED:
        return 0
    count = 0
    users = User.objects.filter(is_active=True, notifications__read_at__isnull=True).exclude(email="").distinct()
    for user in users:
        items = list(user.notifications.unread().order_by("-created_at")[:30])
        lines = [f"· {n.created_at:%m-%d %H:%M} {n.title}" for n in items]
        send_mail(
            f"[创文通] 您有 {user.notifications.unread().count()} 条未读通知",
            "\n".join(lines) + f"\n\n登录查看：{settings.SITE_URL}/inbox/",
            None,
            [user.email],
        )
        count += 1
    return count


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    # Read "before" from the database: a bound ModelForm has already written into ``user``.
    stored = User.objects.get(pk=user.pk)
    before = {k: getattr(stored, k) for k in data}
    for key, value in data.items():
        setattr(user, key, value)
    user.save(update_fields=list(data))
    event_record(actor=user, verb="profile.update", target=user, summary="修改个人资料", changes=diff_fields(before, data))
    return user


# --- Reference data: indicator system, sites, responsibility matrix, working-day calendar ------------

def _refuse_if_read_only(framework) -> None:
    if not framework.is_active:
        raise ValidationError(f"“{framework.name}”是历史版本（已停用），仅供查阅，不能修改。如需调整，请先启用该版本或修改当前版本。")


def _apply(obj, data: dict) -> None:
    for key, value in data.items():
        setattr(obj, key, value)


def _names(objects) -> str:
    return "、".join(sorted(str(o) for o in objects))


@transaction.atomic
def framework_create(*, actor: User, name: str, year: int, note: str = "", copy_active: bool = False) -> Framework:
    """A new, not yet active edition; optionally a copy of the active one (tree, site types, matrix)."""
    framework = Framework.objects.create(name=name, year=year, note=note, is_active=False)
    source = Framework.active() if copy_active else None
    copied = _framework_copy_tree(source, framework) if source else 0
    summary = f"新建测评体系版本：{framework}" + (f"（复制自“{source.name}”，{copied} 个指标）" if source else "")
    event_record(actor=actor, verb="framework.create", target=framework, summary=summary)
    return framework


def _framework_copy_tree(source: Framework, target: Framework) -> int:
    """Copy indicators (parents before children), their site types and the responsibility rows."""
    mapping: dict[int, Indicator] = {}
    for old in source.indicators.order_by("level", "sort_order", "id").prefetch_related("site_types"):
        new = Indicator.objects.create(
            framework=target, parent=mapping.get(old.parent_id), level=old.level, code=old.code, name=old.name,
            text=old.text, methods=old.methods, points=old.points, evidence_categories=old.evidence_categories,
            is_negative=old.is_negative, sort_order=old.sort_order,
        )
        new.site_types.set(old.site_types.all())
        mapping[old.pk] = new
    rows = Responsibility.objects.filter(indicator__framework=source).prefetch_related(
        "responsible_units", "assisting_units"
    )
    for row in rows:
        copy = Responsibility.objects.create(
            indicator=mapping[row.indicator_id], site_type_id=row.site_type_id, site_id=row.site_id,
            leader_id=row.leader_id, lead_unit_id=row.lead_unit_id, time_limit_id=row.time_limit_id,
            deadline=row.deadline, note=row.note,
        )
        copy.responsible_units.set(row.responsible_units.all())
        copy.assisting_units.set(row.assisting_units.all())
    return len(mapping)


@transaction.atomic
def framework_update(*, actor: User, framework: Framework, data: dict) -> Framework:
    stored = Framework.objects.select_for_update().get(pk=framework.pk)
    _refuse_if_read_only(stored)
    before = {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    stored.save()
    event_record(actor=actor, verb="framework.update", target=stored, summary=f"修改测评体系版本：{stored}",
                 changes=diff_fields(before, data))
    return stored


@transaction.atomic
def framework_activate(*, actor: User, framework: Framework) -> Framework:
    """Make this edition the active one; the previous one becomes read-only, in one transaction."""
    editions = {f.pk: f for f in Framework.objects.select_for_update().order_by("pk")}
    target = editions[framework.pk]
    if target.is_active:
        return target
    for previous in [f for f in editions.values() if f.is_active]:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
        event_record(actor=actor, verb="framework.deactivate", target=previous,
                     summary=f"停用测评体系版本：{previous}（由“{target.name}”取代，转为只读）")
    target.is_active = True
    target.save(update_fields=["is_active"])
    event_record(actor=actor, verb="framework.activate", target=target, summary=f"启用测评体系版本：{target}")
    return target


@transaction.atomic
def indicator_save(
    *, actor: User, indicator: Indicator, data: dict, site_types: Iterable | None = None
) -> Indicator:
    """Create (``indicator.pk is None``; framework and parent set) or edit an indicator. A new code
    re-paths the subtree below it."""
    framework = Framework.objects.select_for_update().get(pk=indicator.framework_id)
    _refuse_if_read_only(framework)
    creating = indicator.pk is None
    if creating:
        stored = indicator
        stored.level = stored.parent.level + 1 if stored.parent_id else Indicator.Level.AREA
        before = {}
    else:
        stored = Indicator.objects.get(pk=indicator.pk)
        before = {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    if creating and not stored.sort_order:
        siblings = Indicator.objects.filter(framework=framework, parent_id=stored.parent_id)
        stored.sort_order = (siblings.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    stored.save()
    changes = diff_fields(before, data)
    if site_types is not None:
        old_types = set() if creating else set(stored.site_types.all())
        new_types = set(site_types)
        if old_types != new_types:
            stored.site_types.set(new_types)
            changes["适用点位类型"] = [_names(old_types), _names(new_types)]
    if not creating and before.get("code") != stored.code:
        _repath_children(stored)
    event_record(actor=actor, verb="indicator.create" if creating else "indicator.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}{stored.get_level_display()}：{stored}", changes=changes)
    return stored


def _repath_children(node: Indicator) -> None:
    for child in node.children.all():
        child.save(update_fields=["path"])
        _repath_children(child)


@transaction.atomic
def site_save(*, actor: User, site: Site, data: dict) -> Site:
    """Create or edit a 点位 from cleaned form data, with an audit event. A refusal is a
    ValidationError keyed by the field concerned."""
    problems = _site_problems(site, data)
    if problems:
        raise ValidationError(problems)
    creating = site.pk is None
    stored = site if creating else Site.objects.get(pk=site.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    stored.save()
    event_record(actor=actor, verb="site.create" if creating else "site.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}点位：{stored.name}（{stored.site_type}）",
                 changes=diff_fields(before, data), unit=stored.adopting_unit or stored.district)
    return stored


def _site_problems(site: Site, data: dict) -> dict[str, str]:
    problems = {}
    for name, label, bounds in (("longitude", "经度", LONGITUDE_RANGE), ("latitude", "纬度", LATITUDE_RANGE)):
        value = data.get(name)
        if value is not None and not bounds[0] <= value <= bounds[1]:
            problems[name] = (f"{label}应在 {bounds[0]}～{bounds[1]} 度之间（中国境内），"
                              "请检查是否填反或多写了位数。")
    if not problems and (data.get("longitude") is None) != (data.get("latitude") is None):
        problems["latitude" if data.get("latitude") is None else "longitude"] = "经度和纬度需要同时填写，或同时留空。"
    district, street, name = data.get("district"), data.get("street"), (data.get("name") or "").strip()
    if district and street and not street.is_within(district):
        problems["street"] = f"“{street.name}”不属于{district.name}，请选择{district.name}下的街道或乡镇。"
    # Backed by the constraint site_unique_name_in_district.
    if district and name and Site.objects.filter(district=district, name=name).exclude(pk=site.pk).exists():
        problems["name"] = f"{district.name}已有名为“{name}”的点位，请换一个名称或编辑已有点位。"
    return problems


@transaction.atomic
def responsibility_save(
    *, actor: User, row: Responsibility, data: dict, responsible_units: Iterable, assisting_units: Iterable
) -> Responsibility:
    """Create or edit a row of the matrix; people newly named in it are told in their inbox."""
    indicators = [data.get("indicator") or row.indicator] + ([row.indicator] if row.pk else [])
    for framework in Framework.objects.select_for_update().filter(pk__in={i.framework_id for i in indicators}):
        _refuse_if_read_only(framework)
    assisting_units = list(assisting_units)
    problems = _responsibility_problems(row, data, assisting_units)
    if problems:
        raise ValidationError(problems)
    creating = row.pk is None
    stored = row if creating else Responsibility.objects.get(pk=row.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    old_units = {"责任单位": set(), "配合单位": set()} if creating else {
        "责任单位": set(stored.responsible_units.all()), "配合单位": set(stored.assisting_units.all())}
    old_people = _row_people(stored, old_units) if not creating else set()
    _apply(stored, data)
    stored.save()
    new_units = {"责任单位": set(responsible_units), "配合单位": set(assisting_units)}
    stored.responsible_units.set(new_units["责任单位"])
    stored.assisting_units.set(new_units["配合单位"])
    changes = diff_fields(before, data)
    changes.update({k: [_names(old_units[k]), _names(v)] for k, v in new_units.items() if old_units[k] != v})
    event_record(actor=actor, verb="responsibility.create" if creating else "responsibility.update",
                 target=stored, summary=f"{'新增' if creating else '修改'}责任分工：{stored}",
                 changes=changes, unit=stored.lead_unit)
    newcomers = _row_people(stored, new_units) - old_people
    notify(recipients=newcomers, title=f"责任分工调整：{stored.indicator.code} {stored.indicator.name}",
           body=f"您或您的单位已被列入该指标的责任分工（{stored.scope_label}）。",
           url=reverse("reference:indicator_detail", args=[stored.indicator_id]))
    return stored


def _responsibility_problems(row: Responsibility, data: dict, assisting_units: list) -> dict[str, str]:
    """What is wrong with a matrix row, keyed by the field concerned (the DB constraints
    responsibility_site_or_type and responsibility_unique_scope back the first and the last)."""
    problems = {}
    if data.get("site") and data.get("site_type"):
        problems["site"] = "一行分工只能限定点位类型或单个点位之一；按单个点位分工时请把“限定点位类型”留空。"
    time_limit, deadline = data.get("time_limit"), data.get("deadline")
    if time_limit and time_limit.kind == TimeLimit.Kind.DATE and not deadline:
        problems["deadline"] = "“指定日期”时限需要填写完成日期。"
    if deadline and (not time_limit or time_limit.kind != TimeLimit.Kind.DATE):
        problems["deadline"] = "只有“指定日期”时限才填写完成日期；请改选“指定日期”或清空此项。"
    lead = data.get("lead_unit")
    if lead and lead in assisting_units:
        problems["assisting_units"] = f"“{lead.name}”已是牵头单位，不能同时作为配合单位。"
    indicator = data.get("indicator") or row.indicator
    if "site" not in problems:
        taken = Responsibility.objects.filter(indicator=indicator, site_type=data.get("site_type"),
                                              site=data.get("site")).exclude(pk=row.pk)
        if taken.exists():
            other = taken.select_related("lead_unit").first()
            problems["indicator"] = (f"“{indicator.code}”在“{other.scope_label}”范围内已有一行分工（牵头单位："
                                     f"{other.lead_unit or '未定'}），请直接编辑那一行，或改选限定范围。")
    return problems


def _row_people(row: Responsibility, units: dict) -> set[User]:
    """The leader, and the heads and liaisons of every unit named in a row."""
    named = {row.lead_unit, *units["责任单位"], *units["配合单位"]} - {None}
    people = set(User.objects.filter(memberships__unit__in=named, memberships__role__in=["unit_head", "liaison"]))
    if row.leader is not None:
        people.add(row.leader)
    return people


@transaction.atomic
def responsibility_delete(*, actor: User, row: Responsibility) -> None:
    indicator = row.indicator
    _refuse_if_read_only(indicator.framework)
    label = str(row)
    row.delete()
    event_record(actor=actor, verb="responsibility.delete", target=indicator, summary=f"删除责任分工：{label}")


RECOUNT_JOB = "tasks.recalculate_deadlines"
MAX_CALENDAR_RUN = 31  # days entered at once: a holiday run is at most a week or two


def _recount_deadlines(start: date, end: date) -> None:
    """Ask the tasks app to recount open tasks' deadlines over the changed dates. By job name
    through the outbox: the calendar lives below tasks and may not import it."""
    enqueue(RECOUNT_JOB, start.isoformat(), end.isoformat())


@transaction.atomic
def oversight_save(*, actor: User, row: Oversight, data: dict) -> Oversight:
    """Create or edit a 分管 row, with an audit event; the leader is told in their inbox."""
    creating = row.pk is None
    stored = row if creating else Oversight.objects.select_for_update().get(pk=row.pk)
    before = {} if creating else {k: getattr(stored, k) for k in data}
    _apply(stored, data)
    # Backed by the constraints oversight_end_after_start and oversight_unique_start.
    if stored.end is not None and stored.end < stored.start:
        raise ValidationError({"end": "截止日期不能早于起始日期。"})
    clash = Oversight.objects.filter(leader=stored.leader, unit=stored.unit, start=stored.start).exclude(pk=stored.pk)
    if clash.exists():
        raise ValidationError({"start": f"{stored.leader}分管{stored.unit}自 {stored.start:%Y-%m-%d} 起的记录已经存在。"})
    stored.save()
    event_record(actor=actor, verb="oversight.create" if creating else "oversight.update", target=stored,
                 summary=f"{'新增' if creating else '修改'}分管关系：{stored}（{stored.period_label}）",
                 changes=diff_fields(before, data), unit=stored.unit)
    if creating or before.get("leader") != stored.leader:
        notify(recipients=[stored.leader], title=f"分管关系：{stored.unit}",
               body=f"创文办已登记您分管{stored.unit}（{stored.period_label}），其任务、台账和统计已列入您的查看范围。",
               url=reverse("reference:oversight_list"))
    return stored


@transaction.atomic
def oversight_delete(*, actor: User, row: Oversight) -> None:
    """Remove a row entered by mistake (a relation that ended is given an end date instead)."""
    label = f"{row}（{row.period_label}）"
    event_record(actor=actor, verb="oversight.delete", target=row.leader, summary=f"删除分管关系：{label}",
                 unit=row.unit)
    row.delete()


@transaction.atomic
def calendar_days_set(*, actor: User, start: date, end: date, kind: str, note: str = "") -> list[CalendarDay]:
    """Enter a holiday run or a make-up working day (each date of start..end) as overrides; open
    tasks' deadlines are recounted by a job when any date changed."""
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if end - start >= timedelta(days=MAX_CALENDAR_RUN):
        raise ValidationError({"end": f"一次最多录入 {MAX_CALENDAR_RUN} 天，请分段录入。"})
    saved = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is not None and row.kind == kind and row.note == note:
            continue
        before = {} if row is None else {"kind": row.get_kind_display(), "note": row.note}
        if row is None:
            row = CalendarDay(date=day, created_by=actor)
        row.kind, row.note = kind, note
        row.save()
        event_record(actor=actor, verb="calendar.set", target=row,
                     summary=f"工作日历：{day:%Y-%m-%d} 设为{row.get_kind_display()}" + (f"（{note}）" if note else ""),
                     changes=diff_fields(before, {"kind": row.get_kind_display(), "note": note}) if before else {})
        saved.append(row)
    if saved:
        _recount_deadlines(saved[0].date, saved[-1].date)
    return saved


@transaction.atomic
def calendar_day_delete(*, actor: User, day: CalendarDay) -> None:
    event_record(actor=actor, verb="calendar.delete", target=day,
                 summary=f"工作日历：删除 {day.date:%Y-%m-%d} 的调整（{day.get_kind_display()}），恢复默认")
    day.delete()
    _recount_deadlines(day.date, day.date)


@transaction.atomic
def calendar_year_confirm(*, actor: User, year: int) -> CalendarYear:
    """The office confirms that the State Council's holiday notice for ``year`` is entered in full
    (放假 and 调休上班 days); from then on the year counts as entered and the banner goes."""
    if package_knows(year):
        raise ValidationError(f"{year}年的放假安排已内置，无需确认。")
    entered = CalendarDay.objects.filter(date__year=year).count()
    if not entered:
        raise ValidationError(f"尚未录入{year}年的任何放假或调休日期，请先按国务院办公厅通知录入，再确认。")
    done = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    if done is not None:
        raise ValidationError(f"{year}年的放假安排已于 {timezone.localtime(done.confirmed_at):%Y-%m-%d} "
                              f"由{done.confirmed_by or '系统'}确认完整录入。")
    row = CalendarYear.objects.create(year=year, confirmed_by=actor)
    event_record(actor=actor, verb="calendar.confirm_year", target=row,
                 summary=f"工作日历：确认 {year} 年放假安排已完整录入（共 {entered} 天调整）")
    return row


# --- Spreadsheet imports: 目标任务分解表 and 点位清单 (parsed and checked by campaign.services.spreadsheets) -----

@transaction.atomic
def framework_import(
    *, actor: User, parsed, filename: str, framework: Framework | None = None, name: str = "",
    year: int | None = None, activate: bool = False,
) -> Framework:
    """Create the indicator tree and responsibility matrix of a checked 目标任务分解表 (a
    ``spreadsheets.FrameworkImport`` without errors), all or nothing. The rows go into a NEW
    edition (``name``/``year``), or into ``framework`` if that edition has no indicators yet: an
    import never mixes with an edition's existing rows. ``activate`` makes the new edition the
    active one (the previous one becomes read-only)."""
    from campaign.models import Framework as FrameworkModel
    from campaign.services.spreadsheets.load import create_indicators, create_responsibilities

    if not parsed.is_valid:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")
    if framework is None:
        framework = FrameworkModel.objects.create(name=name, year=year, is_active=False, note=f"由《{filename}》导入")
        event_record(actor=actor, verb="framework.create", target=framework, summary=f"新建测评体系版本：{framework}")
    else:
        framework = FrameworkModel.objects.select_for_update().get(pk=framework.pk)
        if framework.indicators.exists():
            raise ValidationError(f"“{framework}”已经有指标，导入只能新建版本或填入没有指标的空版本。")
    by_code = create_indicators(framework, parsed)
    duties = create_responsibilities(parsed, by_code)
    counts = "、".join(f"{label} {n}" for label, n in parsed.counts().items() if label != "责任分工")
    event_record(
        actor=actor, verb="framework.import", target=framework,
        summary=f"导入目标任务分解表《{filename}》到“{framework}”：{counts}，责任分工 {len(duties)} 条",
    )
    if activate:
        framework = framework_activate(actor=actor, framework=framework)
    return framework


@transaction.atomic
def site_list_import(*, actor: User, parsed, filename: str) -> tuple[int, int]:
    """Create and update sites from a checked 点位清单 (a ``spreadsheets.SiteImport`` without
    errors), matched by district and name, all or nothing. Returns (created, updated)."""
    from campaign.services.spreadsheets.load import upsert_sites

    if not parsed.is_valid:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")
    created, updated = upsert_sites(parsed)
    unchanged = len(parsed.rows) - created - updated
    event_record(
        actor=actor, verb="site.import", target=actor,
        summary=f"导入点位清单《{filename}》：新增 {created} 个，更新 {updated} 个，无变化 {unchanged} 个",
    )
    return created, updated
