"""The chase ladder (督办): 临期提醒 → 催办通知 → 通报, one numbered notice per task, step and deadline.

How one run works (``chase_run``), set-based so that 100k open tasks cost seconds:

1. The calendar is asked once for the three threshold dates of the day (``ladder_dates``); on a
   non-working day nothing is issued (a notice dated on a holiday reaches nobody).
2. Per step, the sequence row of that kind and year is locked first (``NumberSequence.take(.., 0)``),
   which serialises concurrent runs; then ONE query selects the tasks that cross the step's
   threshold and have no notice of that kind for their current due date (anti-join on the unique
   key (task, kind, due_date)). So a rerun finds nothing, and a new due date restarts the ladder.
3. The notices are inserted by ONE ``INSERT … SELECT`` over that query, numbered last+1, last+2 …
   by ``row_number()`` in SQL; the counter is then advanced by exactly the rows inserted. Numbers
   come from the locked counter, so a conflicting row cannot exist; if one did, the insert would
   fail and the whole run roll back (numbers included) rather than skip a row and leave a gap.
4. One audit ``Event`` per notice (again one INSERT … SELECT; the notice page shows its own
   trail), and ONE inbox notification per recipient and step listing that recipient's notices:
   a unit head with 12 overdue tasks gets one message, not twelve.

Only states where the unit owes the next move are chased (``CHASE_STATES``): a task waiting for
the office (待核查, 申请延期, 申请退回) is not the unit's delay, and parked or closed tasks are
outside the clock.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from campaign.models import Event, Membership, Notification, OrgUnit, Role
from campaign.models.workdays import WorkCalendar
from campaign.selectors.guardians import guardian_leaders
from tasks.models import ChaseNotice, NumberSequence, RectificationTask, State
from tasks.selectors.relay import open_hop_units

Kind = ChaseNotice.Kind

CHASE_STATES = (State.ASSIGNED, State.IN_PROGRESS, State.REWORK)

NUMBER_PREFIX = {Kind.REMINDER: "创文办提", Kind.URGE: "创文办催", Kind.BULLETIN: "创文办通"}
DOCUMENT_TITLE = {Kind.REMINDER: "整改任务临期提醒", Kind.URGE: "整改任务催办通知", Kind.BULLETIN: "督查通报事项告知"}
NOTIFY_ITEMS = 20  # notices listed in one inbox message; the rest are summed up


def reminder_workdays() -> int:
    """临期提醒 goes out when a task is due within this many working days (settings, default 1)."""
    return int(getattr(settings, "CHASE_REMINDER_WORKDAYS", 1))


def bulletin_workdays() -> int:
    """The 通报 entry is made this many working days after the 催办 day (settings, default 3)."""
    return int(getattr(settings, "CHASE_BULLETIN_WORKDAYS", 3))


def sequence_key(kind: str) -> str:
    return f"chase_{kind}"


def notice_number(kind: str, year: int, seq: int) -> str:
    """创文办催〔2026〕12号."""
    return f"{NUMBER_PREFIX[kind]}〔{year}〕{seq}号"


@dataclass(frozen=True)
class LadderDates:
    """The day's thresholds, as due-date bounds (all computed once from the calendar).

    - reminder: today <= due_date < reminder_before  (due within N working days)
    - urge:     due_date < today                      (at least one working day overdue)
    - bulletin: due_date < bulletin_before            (overdue M working days after the 催办 day)
    """

    today: date
    reminder_before: date
    bulletin_before: date


def ladder_dates(today: date, calendar: WorkCalendar | None = None) -> LadderDates | None:
    """None on a non-working day (no notice is dated on a holiday or weekend)."""
    n, m = reminder_workdays(), bulletin_workdays()
    if calendar is None:
        calendar = WorkCalendar(today - timedelta(days=m * 2 + 40), today + timedelta(days=n * 2 + 40))
    if not calendar.is_workday(today):
        return None
    # working_days_between(today, due) <= N  ⇔  due < the (N+1)-th working day after today.
    # working_days_between(due, today) >= M+1 ⇔  due < the working day M working days before today.
    return LadderDates(today=today, reminder_before=calendar.add(today, n + 1), bulletin_before=calendar.add(today, -m))


def candidates(kind: str, dates: LadderDates):
    """Tasks that cross this step's threshold today and have no notice of it for their due date."""
    already = ChaseNotice.objects.filter(task=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date"))
    qs = RectificationTask.objects.filter(state__in=CHASE_STATES)
    if kind == Kind.REMINDER:
        qs = qs.filter(due_date__gte=dates.today, due_date__lt=dates.reminder_before)
    elif kind == Kind.URGE:
        qs = qs.filter(due_date__lt=dates.today)
    else:
        qs = qs.filter(due_date__lt=dates.bulletin_before)
    return qs.filter(~Exists(already))


@dataclass
class Issued:
    """Notices created for one step of one run: one dict per notice with its task's facts."""

    kind: str
    rows: list[dict]

    def __len__(self):
        return len(self.rows)


def chase_run(*, today: date | None = None, notify_people: bool = True) -> dict[str, int]:
    """Run the whole ladder for ``today`` (default: today in Beijing time). Returns counts per kind;
    an empty dict on a non-working day. Safe to rerun: nothing is issued twice."""
    today = today or timezone.localdate()
    dates = ladder_dates(today)
    if dates is None:
        return {}
    counts = {}
    with transaction.atomic():
        for kind in (Kind.REMINDER, Kind.URGE, Kind.BULLETIN):
            issued = issue(kind, dates)
            counts[kind.value] = len(issued)
            if issued.rows and notify_people:
                Notification.objects.bulk_create(notification_rows(issued, dates.today), batch_size=2000)
    return counts


def issue(kind: str, dates: LadderDates) -> Issued:
    """Insert the notices of one step, numbered gap-free for the year of ``dates.today``, with
    their audit rows; both are single INSERT … SELECT statements, whatever the number of tasks."""
    year, key = dates.today.year, sequence_key(kind)
    NumberSequence.take(key, year, 0)  # lock first: a concurrent run waits here, then finds nothing
    base = NumberSequence.objects.values_list("last", flat=True).get(key=key, year=year)
    count = _insert_notices(kind, dates, year, base)
    if not count:
        return Issued(kind, [])
    taken = NumberSequence.take(key, year, count)
    if taken.start != base + 1:
        raise RuntimeError("文号计数器在加锁期间被改动")  # cannot happen under the lock: refuse to leave gaps
    new = ChaseNotice.objects.filter(kind=kind, year=year, seq__gt=base)
    record_notice_events(new)
    rows = new.order_by("seq").values(
        "pk", "number", "due_date", "task_id", task_number=F("task__number"), title=F("task__title"),
        lead_unit_id=F("task__lead_unit_id"), leader_id=F("task__leader_id"), site_id=F("task__site_id"),
    )
    return Issued(kind, list(rows))


def _insert_notices(kind: str, dates: LadderDates, year: int, base: int) -> int:
    """INSERT … SELECT over the candidates, numbered base+1, base+2 … in unit, due date and task
    order (row_number() in SQL: no row travels through Python)."""
    ranked = candidates(kind, dates).annotate(
        rn=Window(RowNumber(), order_by=[F("lead_unit__path").asc(), F("due_date").asc(), F("number").asc()])
    ).order_by().values("pk", "due_date", "rn")
    select, params = ranked.query.sql_with_params()
    prefix = notice_number(kind, year, 0).removesuffix("0号")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ChaseNotice._meta.db_table} "
            "(task_id, kind, due_date, year, seq, number, issued_on, created_at) "
            "SELECT c.id, %s, c.due_date, %s, %s + c.rn, %s || (%s + c.rn)::text || '号', %s, %s "
            f"FROM ({select}) AS c (id, due_date, rn)",
            [kind, year, base, prefix, base, dates.today, timezone.now(), *params],
        )
        return cursor.rowcount


def record_notice_events(notices) -> int:
    """One audit ``Event`` per notice of the queryset, by the system (no actor), dated like the
    notice, written with one INSERT … SELECT (the demo uses it for its past notices too)."""
    content_type = ContentType.objects.get_for_model(ChaseNotice)
    labels = " ".join(f"WHEN '{k.value}' THEN '{k.label}'" for k in Kind)
    ids, params = notices.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Event._meta.db_table} "
            "(created_at, actor_id, verb, target_type_id, target_id, target_repr, summary, changes, unit_id) "
            "SELECT n.created_at, NULL, 'chase.' || n.kind, %s, n.id::text, n.number, "
            f"left('系统发出' || CASE n.kind {labels} END || ' ' || n.number || '：' || t.number || ' ' || t.title "
            "|| '（整改期限 ' || to_char(n.due_date, 'YYYY-MM-DD') || '）', 500), '{}'::jsonb, t.lead_unit_id "
            f"FROM {ChaseNotice._meta.db_table} n JOIN {RectificationTask._meta.db_table} t ON t.id = n.task_id "
            f"WHERE n.id IN ({ids})",
            [content_type.pk, *params],
        )
        return cursor.rowcount


def _recipients(issued: Issued) -> dict[int, list[dict]]:
    """user id → the notices they must be told about.

    临期提醒 → the lead unit's liaisons; 催办通知 and 通报 → its heads (liaisons when it has no
    head), and as copies the task's 分管领导 and the leaders who 包挂/包保 its site or community
    (the 催办 step is the day the task's light turned red). A task passed down (转办) reaches each
    unit of its open chain the same way: the holder and every tier answering for it, one notice
    per task."""
    want = [Role.LIAISON] if issued.kind == Kind.REMINDER else [Role.UNIT_HEAD, Role.LIAISON]
    held_below = open_hop_units(row["task_id"] for row in issued.rows)  # 转办: the tiers holding it
    unit_ids = {row["lead_unit_id"] for row in issued.rows} | {u for units in held_below.values() for u in units}
    by_unit: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    members = Membership.objects.current().filter(unit_id__in=unit_ids, role__in=want, user__is_active=True)
    for unit_id, user_id, role in members.values_list("unit_id", "user_id", "role"):
        by_unit[unit_id][role].append(user_id)
    guardians = {} if issued.kind == Kind.REMINDER else guardian_leaders(
        {(row.get("site_id"), row["lead_unit_id"]) for row in issued.rows})
    result: dict[int, list[dict]] = defaultdict(list)
    for row in issued.rows:
        users = []
        for unit_id in [row["lead_unit_id"], *held_below.get(row["task_id"], [])]:
            roles = by_unit.get(unit_id, {})
            users += next((roles[r] for r in want if roles.get(r)), [])
        if issued.kind != Kind.REMINDER and row["leader_id"]:
            users = [*users, row["leader_id"]]
        users = [*users, *guardians.get((row.get("site_id"), row["lead_unit_id"]), [])]
        for user_id in dict.fromkeys(users):
            result[user_id].append(row)
    return result


def notification_rows(issued: Issued, day: date) -> list[Notification]:
    """ONE inbox message per person and step, listing their notices (unsaved rows)."""
    label = Kind(issued.kind).label
    messages = []
    for user_id, rows in _recipients(issued).items():
        first = rows[0]
        if len(rows) == 1:
            title = f"{label} {first['number']}：{first['task_number']} {first['title']}"
            url = reverse("tasks:chase_detail", args=[first["pk"]])
        else:
            title = f"{label}：{len(rows)} 件整改任务（{first['number']} 等）"
            url = f"{reverse('tasks:chase_list')}?kind={issued.kind}&date_from={day}&date_to={day}"
        lines = [f"{r['number']}　{r['task_number']} {r['title']}（期限 {r['due_date']}）" for r in rows[:NOTIFY_ITEMS]]
        if len(rows) > NOTIFY_ITEMS:
            lines.append(f"……共 {len(rows)} 件，请在“督办文书”中查看全部。")
        messages.append(Notification(recipient_id=user_id, title=title[:200], body="\n".join(lines), url=url[:300]))
    return messages


# --- reading a notice ------------------------------------------------------------------------


def office_name(task: RectificationTask | None = None) -> str:
    """The office that issues a task's documents: the district's 区创文办 for the tasks its
    district handed over, else the city office."""
    if task is not None and task.handed_by_unit_id is not None:
        return f"{task.handed_by_unit.name}创建文明城市工作办公室"
    office = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).order_by("path").values_list("name", flat=True).first()
    return office or f"{settings.CITY_NAME}创建文明城市工作办公室"


def request_text(notice: ChaseNotice, *, overdue: int, left: int) -> str:
    """The body of the document: what the unit must do, in the office's words."""
    d = notice.due_date
    due = f"{d.year}年{d.month}月{d.day}日"
    if notice.kind == Kind.REMINDER:
        return (f"你单位承办的下列整改任务将于{due}到期（剩余{max(left, 0)}个工作日）。请抓紧组织整改，按期上传"
                "整改后照片并提交销号；确需延期的，请在期限届满前提出延期申请并说明理由。")
    if notice.kind == Kind.URGE:
        return (f"你单位承办的下列整改任务已超过整改期限（{due}），截至发文之日超期{overdue}个工作日，至今未提交销号。"
                f"请单位负责人高度重视，立即组织力量整改到位，并于{bulletin_workdays()}个工作日内提交销号；"
                "逾期仍未完成的，将列入全市督查通报。")
    return (f"你单位承办的下列整改任务经催办后仍未整改到位（期限{due}，超期{overdue}个工作日），"
            "已列入督查通报。请立即整改并书面报告整改情况及责任落实情况，分管领导督促落实。")


def notice_context(notice: ChaseNotice) -> dict:
    """Everything the notice page and its PDF show."""
    task = notice.task
    calendar = WorkCalendar(min(notice.due_date, notice.issued_on), max(notice.due_date, notice.issued_on))
    overdue = max(calendar.between(notice.due_date, notice.issued_on), 0)
    left = calendar.between(notice.issued_on, notice.due_date)
    copy_to = [task.leader] if notice.kind != Kind.REMINDER and task.leader_id else []
    return {
        "notice": notice,
        "task": task,
        "document_title": DOCUMENT_TITLE[notice.kind],
        "office_name": office_name(task),
        "overdue_workdays": overdue,
        "workdays_left": max(left, 0),
        "request_text": request_text(notice, overdue=overdue, left=left),
        "copy_to": copy_to,
    }


def notice_pdf(notice: ChaseNotice) -> bytes:
    """The printable document (A4, red title line), rendered by WeasyPrint from local assets only."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("tasks/pdf/chase_notice.html", notice_context(notice))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
