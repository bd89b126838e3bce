"""领导包挂 and 单位包保: who looks after a community or a single site.

A leader 包挂 a community ("每个社区一名包挂领导") or 包保 a site: its tasks come into the leader's
lists, dashboard and notices, and its red lights reach him. A unit 包保 a site: for standards the
matrix marks 属地, that unit leads the site's problems instead of the site's street."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class GuardianshipQuerySet(models.QuerySet):
    def active(self, day: date | None = None):
        """Rows in force on ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def visible_to(self, user):
        """The office keeps the list; a leader sees his own rows."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        return self.filter(leader=user)


class Guardianship(models.Model):
    """包挂/包保: a leader or a unit (exactly one) looks after a community or a site (exactly one)
    from ``start`` to ``end``."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="包挂领导", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="guardianships")
    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="包保单位", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="guardianships")
    community = models.ForeignKey("campaign.OrgUnit", verbose_name="包挂社区", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="guarded_by",
                                  limit_choices_to={"kind": "community"})
    site = models.ForeignKey("campaign.Site", verbose_name="包保点位", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="guarded_by")
    start = models.DateField("起始日期", default=timezone.localdate)
    end = models.DateField("截止日期", null=True, blank=True, help_text="留空表示长期有效")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = "包挂包保"
        verbose_name_plural = "包挂包保"
        ordering = ["community__path", "site__name", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(leader__isnull=True) ^ Q(unit__isnull=True),
                                   name="guardianship_leader_or_unit"),
            models.CheckConstraint(condition=Q(community__isnull=True) ^ Q(site__isnull=True),
                                   name="guardianship_community_or_site"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="guardianship_end_after_start"),
        ]
        indexes = [models.Index(fields=["leader", "start"]), models.Index(fields=["site", "start"])]

    def __str__(self):
        who = self.leader or self.unit
        verb = "包挂" if self.leader_id else "包保"
        return f"{who} {verb} {self.target}"

    @property
    def target(self):
        return self.community or self.site

    @property
    def guardian(self):
        return self.leader or self.unit

    @property
    def period_label(self) -> str:
        return f"{self.start:%Y-%m-%d} 起" + (f"至 {self.end:%Y-%m-%d}" if self.end else "，长期")


def guarded_site_ids(user) -> list[int]:
    """Sites whose tasks a leader follows through 包挂/包保 today: the sites he 包保 himself and the
    sites adopted by a community (or a unit below it) he 包挂. Cached on the user object."""
    cached = user.__dict__.get("_guarded_site_ids")
    if cached is not None:
        return cached
    from campaign.models.reference import Site

    rows = Guardianship.objects.active().filter(leader=user)
    paths = list(rows.filter(community__isnull=False).values_list("community__path", flat=True))
    condition = Q(pk__in=rows.filter(site__isnull=False).values("site_id"))
    for path in paths:
        condition |= Q(adopting_unit__path__startswith=path)
    ids = list(Site.objects.filter(condition).values_list("pk", flat=True)) if user.is_authenticated else []
    user.__dict__["_guarded_site_ids"] = ids
    return ids
