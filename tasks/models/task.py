"""The rectification task (整改任务) and its QuerySet: scoping, open tasks, lights in SQL."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Case, F, Lookup, Q, Value, When
from django.db.models.functions import Upper
from django.urls import reverse

from tasks.models import deadline
from tasks.models.choices import OPEN_STATES, STATE_BADGES, Light, Priority, Source, State
from tasks.models.lifecycle import LifecycleMixin
from tasks.models.relay import TaskRelay


class RectificationTaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office staff and inspectors see every task; a leader the tasks they oversee (分管) and
        those of the units in their scope; everyone else the tasks whose lead or assisting unit is
        one of their units or below it. Written as semi-joins (no DISTINCT) so lists stay cheap."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if sees_every_task(user):
            return self.all()
        units = OrgUnit.objects.subtree_of(*user.scope_paths).values("pk")
        assisting = None
        if user.district_office_paths:
            paths = user.assist_scope_paths
            assisting = OrgUnit.objects.subtree_of(*paths).values("pk") if paths else []
        condition = Q()
        for branch in visibility_branches(user, units, assisting):
            condition |= branch
        return self.filter(condition)

    def open(self):
        """Tasks whose clock runs: not parked, closed or rebounded."""
        return self.filter(state__in=OPEN_STATES)

    def unfinished(self):
        return self.exclude(state__in=[State.CLOSED, State.REBOUND])

    def with_light(self, today: date, now: datetime | None = None):
        """Annotate ``light_code`` computed in SQL, the same rule as ``RectificationTask.light_on``
        (``now``: see ``deadline.moment``)."""
        return self.annotate(light_code=light_case(today, now))

    def lit(self, code: str, today: date, now: datetime | None = None):
        """Filter by light with plain indexable conditions (no CASE in the WHERE clause)."""
        return self.filter(light_condition(code, today, now))

    def overdue(self, today: date, now: datetime | None = None):
        return self.filter(light_condition(Light.RED, today, now))

    def search(self, text: str):
        """Number, title or description containing ``text``. Django turns ``icontains`` into
        ``UPPER(col) LIKE UPPER('%text%')``; the trigram GIN indexes are on those UPPER()
        expressions, so PostgreSQL answers from the indexes (queries of 3+ characters)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text))


def sees_every_task(user) -> bool:
    return user.is_office or user.has_role("inspector")


def visibility_branches(user, units, assisting=None) -> list[Q]:
    """The conditions whose OR is what a scoped user sees (``units``: ids, a list or a subquery,
    of the units in their scope; ``assisting``: those whose 配合 tasks they see, when not the same
    units: a 区创文办 sees what its district leads, so that the districts' figures add up to the
    city's without counting a task twice). ``visible_to`` ORs them; the task list asks them one
    by one (``tasks.selectors.seek``), because each alone can use an index and their OR cannot."""
    through = RectificationTask.assisting_units.through
    assisting = units if assisting is None else assisting
    branches = [any_of("lead_unit_id", units)]
    if not isinstance(assisting, list | tuple) or assisting:
        branches.append(
            Q(pk__in=through.objects.filter(any_of("orgunit_id", assisting)).values("rectificationtask_id")))
    if user.has_role("leader"):
        from campaign.models.guardianship import guarded_site_ids

        branches.append(Q(leader=user))
        sites = guarded_site_ids(user)
        if sites:  # 包挂/包保: the tasks at the sites the leader looks after
            branches.append(any_of("site_id", sites))
    # Units a task was passed down to (转办) see it, whatever the tier of its lead unit.
    branches.append(Q(pk__in=TaskRelay.objects.filter(any_of("to_unit_id", units)).values("task_id")))
    return branches


class EqualsAny(Lookup):
    """``lhs = ANY(%s)`` with a Python list as ONE array parameter (not registered on any field;
    built by ``any_of``)."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(i) for i in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


def any_of(field: str, ids) -> Q:
    """``field IN ids``; a list of ids goes to PostgreSQL as ONE array parameter (``= ANY(%s)``),
    which the planner estimates like an IN list but Django compiles in one step instead of one
    placeholder per id (a leader's scope holds 100+ units, in several queries per page)."""
    if not isinstance(ids, list | tuple):
        return Q(**{f"{field}__in": ids})
    if not ids:
        return Q(pk__in=[])
    return Q(EqualsAny(F(field), list(ids)))


def light_condition(code: str, today: date, now: datetime | None = None) -> Q:
    """``deadline.light_of`` in SQL. Each condition starts with a plain range on ``due_date`` so
    the open-by-due index serves it; an hour deadline (``due_at``) refines the day it falls on.
    A task passed down (转办) is also lit by its earliest open hop deadline (``front_*``): the lead
    unit's light is the worst light below it."""
    now = deadline.moment(today, now)
    is_open = Q(state__in=OPEN_STATES)
    passed = Q(due_date__lte=today) & (Q(due_date__lt=today) | Q(due_at__lte=now))
    running = Q(due_date__gte=today) & (Q(due_date__gt=today) | Q(due_at__isnull=True) | Q(due_at__gt=now))
    front_red, front_yellow = Q(front_due_date__lt=today), Q(front_yellow_from__lte=today)
    if code == Light.RED:
        return is_open & (passed | front_red)
    if code == Light.YELLOW:
        return is_open & running & ~front_red & (Q(yellow_from__lte=today) | front_yellow)
    if code == Light.GREEN:
        return is_open & running & Q(yellow_from__gt=today) & ~front_yellow
    return ~is_open


def light_case(today: date, now: datetime | None = None) -> Case:
    now = deadline.moment(today, now)
    return Case(
        When(~Q(state__in=OPEN_STATES), then=Value(Light.NONE.value)),
        When(due_date__lt=today, then=Value(Light.RED.value)),
        When(due_date=today, due_at__lte=now, then=Value(Light.RED.value)),
        When(front_due_date__lt=today, then=Value(Light.RED.value)),
        When(yellow_from__lte=today, then=Value(Light.YELLOW.value)),
        When(front_yellow_from__lte=today, then=Value(Light.YELLOW.value)),
        default=Value(Light.GREEN.value),
        output_field=models.CharField(),
    )


class RectificationTask(LifecycleMixin, models.Model):
    """One problem handed to a lead unit (with assisting units) to fix by a due date.

    Multi-unit problems are ONE task: the lead unit answers for it and submits it for 销号;
    assisting units see it and report their part as task actions (see README)."""

    # Audit-trail labels of the action inputs recorded with a transition that are not task fields.
    audit_labels = {"proposed_date": "申请延至", "review_date": "挂账复核日期", "new_task": "新任务"}

    number = models.CharField("编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("问题标题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    source = models.CharField("问题来源", max_length=10, choices=Source.choices)
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="tasks")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tasks")
    lead_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="牵头单位", on_delete=models.PROTECT,
                                  related_name="led_tasks")
    assisting_units = models.ManyToManyField("campaign.OrgUnit", verbose_name="配合单位", blank=True,
                                             related_name="assisting_tasks")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分管领导", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="overseen_tasks")
    time_limit = models.ForeignKey("campaign.TimeLimit", verbose_name="整改时限", on_delete=models.PROTECT,
                                   related_name="+")
    priority = models.PositiveSmallIntegerField("紧急程度", choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ASSIGNED)

    assigned_at = models.DateTimeField("交办时间")
    sign_due = models.DateField("签收期限")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField("整改期限")
    due_at = models.DateTimeField("整改期限（时刻）", null=True, blank=True,
                                  help_text="按小时计的时限（如 24 小时）的确切期限；按日计的期限为当天结束，此处为空")
    original_due_date = models.DateField("原定期限")
    # How the due date was made: counted as ``clock_workdays`` working days after ``clock_start``
    # (both set), or given as a date (both empty: 指定日期, an edited date, an approved extension,
    # an hour limit). Only counted dates move when the office changes the working-day calendar.
    clock_start = models.DateField("期限起算日", null=True, blank=True)
    clock_workdays = models.PositiveSmallIntegerField("期限工作日数", null=True, blank=True,
                                                      help_text="含恢复整改时顺延的挂账工作日")
    yellow_from = models.DateField("黄灯起始日", help_text="由期限和时限的黄灯提前量算出，列表与统计按此亮灯")
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0)
    resume_state = models.CharField("申请前状态", max_length=20, choices=State.choices, blank=True,
                                    help_text="申请退回/延期、挂账时记下，不同意或审批后回到此状态")
    parked_at = models.DateTimeField("挂账时间", null=True, blank=True)
    park_review_date = models.DateField("挂账复核日期", null=True, blank=True)
    submitted_at = models.DateTimeField("提交销号时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按期销号", null=True, blank=True)
    verify_rounds = models.PositiveSmallIntegerField("核查次数", default=0)
    rebound_of = models.ForeignKey("self", verbose_name="反弹自", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="rebounds")
    is_recurring = models.BooleanField("反复出现", default=False)
    # The office that handed the task over and answers for it (approves 退回/延期/挂账, verifies):
    # a district whose 区创文办 handed it over, or empty for the city office (市创文办).
    handed_by_unit = models.ForeignKey("campaign.OrgUnit", verbose_name="交办单位", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="handed_tasks",
                                       help_text="区创文办交办的任务为该区；空为市创文办交办")
    # The earliest deadline among the task's open hops down the tree (转办), kept by
    # tasks.services.relay; empty when no hop is open. Lights read it (see light_condition).
    front_due_date = models.DateField("转办最早期限", null=True, blank=True, editable=False)
    front_yellow_from = models.DateField("转办黄灯起始日", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RectificationTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="task_unique_number_per_year"),
            models.CheckConstraint(condition=~Q(state="parked") | Q(park_review_date__isnull=False),
                                   name="task_parked_needs_review_date"),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["leader", "state"]),
            models.Index(fields=["indicator", "site"]),
            models.Index(fields=["-assigned_at", "-id"], name="task_list_order"),
            # Open tasks by due date (a few % of all tasks): the 红灯/黄灯 lists of the dashboard and
            # to-dos read the first N in due order, and the chase ladder selects by due date.
            models.Index(fields=["due_date", "id"], name="task_open_by_due",
                         condition=Q(state__in=[s.value for s in OPEN_STATES])),
            # Tasks passed down (转办) by their earliest open hop deadline: the other arm of the
            # red/yellow light conditions (a handful of rows; the planner ORs the two indexes).
            models.Index(fields=["front_due_date"], name="task_front_due", condition=Q(front_due_date__isnull=False)),
            GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="task_number_trgm"),
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="task_title_trgm"),
            GinIndex(OpClass(Upper("description"), name="gin_trgm_ops"), name="task_description_trgm"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "text-bg-secondary")

    @property
    def signed_late(self) -> bool:
        return self.signed_at is not None and deadline.signed_late_at(self, self.signed_at)

    def done_on_time(self, when: datetime) -> bool:
        return deadline.done_on_time(self, when)

    @property
    def due_label(self) -> str:
        return deadline.due_label(self)

    @property
    def sign_due_label(self) -> str:
        return deadline.sign_due_label(self)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def light_on(self, today: date, now: datetime | None = None) -> str:
        """green / yellow / red / none; ``RectificationTaskQuerySet.with_light`` is the same rule in SQL."""
        return deadline.light_of(self, today, now)

    def due_status(self, calendar, now: datetime) -> deadline.DueStatus:
        """The light and the hint (还剩 N 个工作日 / 还剩 N 小时 / 今天到期 / 超期 …) together, with
        ``calendar`` a campaign.models.workdays.WorkCalendar covering today and the due date (one per
        page, so a list costs no query per row)."""
        return deadline.due_status(self, calendar, now)
