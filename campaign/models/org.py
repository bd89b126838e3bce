from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    OFFICE = "office", "创文办工作人员"
    # Held in a district unit: the district's own 创文办, the office of that subtree only.
    DISTRICT_OFFICE = "district_office", "区创文办工作人员"
    LEADER = "leader", "分管领导"
    UNIT_HEAD = "unit_head", "单位负责人"
    LIAISON = "liaison", "联络员"
    ARCHIVIST = "archivist", "资料员"
    INSPECTOR = "inspector", "督查员"
    ASSESSOR = "assessor", "第三方测评"


class User(AbstractUser):
    """A person who logs in. The Chinese full name is one field: 姓名 does not split into first/last."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=30, blank=True)
    # Set on accounts made with a one-time password (人员名单 import): the portal asks for a new
    # password before anything else, so the password the office handed over stops working.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles the user holds in any unit (cached per request-bound instance)."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(self.memberships.current().values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_office(self) -> bool:
        """Office staff, and superusers, who may do whatever the office may."""
        return self.is_superuser or Role.OFFICE in self.roles

    @cached_property
    def district_office_paths(self) -> tuple[str, ...]:
        """Tree paths of the districts whose 区创文办 the user works in (empty for everyone else)."""
        if Role.DISTRICT_OFFICE not in self.roles:
            return ()
        return self.unit_paths_for(Role.DISTRICT_OFFICE)

    @cached_property
    def unit_paths(self) -> tuple[str, ...]:
        """Tree paths of the units the user works in (a leader's post is not a unit he works in)."""
        return tuple(
            self.memberships.current().exclude(role=Role.LEADER).values_list("unit__path", flat=True).distinct()
        )

    @cached_property
    def scope_paths(self) -> tuple[str, ...]:
        """Tree paths whose subtrees the user sees: the units they work in, and for a leader the
        units they oversee (分管) and the communities they 包挂 today. A leader's own 任职 only names the post they hold: what a
        leader sees is what the office entered as their 分管 (``Oversight``), nothing more."""
        return self._scope(Role.LEADER)

    @cached_property
    def assist_scope_paths(self) -> tuple[str, ...]:
        """``scope_paths`` for the tasks a unit only assists in (配合): a 区创文办 answers for what
        its district leads, so its district is left out here; the district's own units still
        see their 配合 tasks. Equal to ``scope_paths`` for everyone who is no district office."""
        if not self.district_office_paths:
            return self.scope_paths
        return self._scope(Role.LEADER, Role.DISTRICT_OFFICE)

    def _scope(self, *not_roles: str) -> tuple[str, ...]:
        paths = set(
            self.memberships.current().exclude(role__in=not_roles).values_list("unit__path", flat=True).distinct()
        )
        if Role.LEADER in self.roles:
            from campaign.models.responsibility import Oversight

            paths.update(Oversight.objects.active().filter(leader=self).values_list("unit__path", flat=True))
            from campaign.models.guardianship import Guardianship

            # 包挂: the communities the leader looks after come into his scope too.
            paths.update(Guardianship.objects.active().filter(leader=self, community__isnull=False)
                         .values_list("community__path", flat=True))
        # Drop paths already covered by a shorter one: fewer prefix scans.
        ordered = sorted(paths)
        return tuple(p for i, p in enumerate(ordered) if not any(p.startswith(q) for q in ordered[:i]))

    def unit_paths_for(self, *roles: str) -> tuple[str, ...]:
        return tuple(
            self.memberships.current().filter(role__in=roles).values_list("unit__path", flat=True).distinct()
        )


class OrgUnitQuerySet(models.QuerySet):
    def subtree_of(self, *paths: str):
        """Units at or below any of the given tree paths (one indexed prefix scan each)."""
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def visible_to(self, user):
        """Units a user may see: office sees all; others their own units and everything below."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        return self.subtree_of(*user.scope_paths)


class OrgUnit(models.Model):
    """A unit of the campaign's organisation: the office, a district, a street, a department…

    The tree is stored as a materialised path ("0001.0004.") so that "this unit and everything
    below it" is a single indexed prefix query.
    """

    class Kind(models.TextChoices):
        OFFICE = "office", "创文办"
        CITY = "city", "市"
        DISTRICT = "district", "区/县"
        STREET = "street", "街道/乡镇"
        COMMUNITY = "community", "社区/村"
        DEPARTMENT = "department", "部门"
        WINDOW = "window", "窗口单位"

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("树路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    phone = models.CharField("办公电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # The person the office calls about this unit, as kept in the city's 单位通讯录.
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系人电话", max_length=30, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is assigned once; moving a unit is done by orgunit_move (re-paths the subtree).
        if not self.path:
            self.path = self._next_path()
            self.depth = self.path.count(".") - 1
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.short_name or self.name

    def _next_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        siblings = OrgUnit.objects.filter(parent_id=self.parent_id).exclude(pk=self.pk)
        last = siblings.order_by("-path").values_list("path", flat=True).first()
        number = int(last[len(prefix):].rstrip(".")) + 1 if last else 1
        return f"{prefix}{number:04d}."

    def ancestors(self, include_self=False):
        parts = self.path.rstrip(".").split(".")
        paths = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
        if not include_self:
            paths = paths[:-1]
        return OrgUnit.objects.filter(path__in=paths).order_by("depth")

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)


class MembershipQuerySet(models.QuerySet):
    def current(self, day=None):
        """任职 not yet ended on ``day`` (today by default). An ended one stays as the record of
        who held the post (a merged unit's staff); only current ones give roles and scope."""
        day = day or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=day))


class Membership(models.Model):
    """One role a user holds in one unit, from ``start`` until ``end`` (open-ended when empty).
    A user may hold several."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    title = models.CharField("职务", max_length=50, blank=True)
    start = models.DateField("任职起始日期", null=True, blank=True, default=timezone.localdate,
                             help_text="留空表示起始日期不详")
    end = models.DateField("任职截止日期", null=True, blank=True, help_text="留空表示仍在任")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
