"""The 回头看 queue: closed tasks picked for a later re-check at their site."""

from django.db import models


class RecheckItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The queue is the office's working list; inspectors see the items of rounds they are in;
        a 区创文办 also the items at its district's sites (its 回头看 rounds draw from them)."""
        from django.db.models import Q

        from campaign.models import Site
        from inspections.models.rounds import InspectionRound

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        condition = Q(round__in=InspectionRound.objects.visible_to(user).values("pk"))
        if user.district_office_paths:
            condition |= Q(site__in=Site.objects.visible_to(user).values("pk"))
        return self.filter(condition)

    def waiting(self):
        return self.filter(status=RecheckItem.Status.QUEUED)


class RecheckItem(models.Model):
    """One closed task and the decision about re-checking it (made once per task).

    Every closed task with a site gets exactly one row: ``skipped`` when the sample did not pick
    it, ``queued`` when it waits for the next 回头看 round, ``planned`` once a round took it, and
    ``confirmed`` / ``rebound`` after the visit. Tasks never import this app: the queue is filled
    by ``recheck_queue_closed_tasks`` (daily job, and again whenever a 回头看 round is created)."""

    class Status(models.TextChoices):
        SKIPPED = "skipped", "未抽中"
        QUEUED = "queued", "待回头看"
        PLANNED = "planned", "已列入轮次"
        CONFIRMED = "confirmed", "整改到位"
        REBOUND = "rebound", "反弹"

    class Reason(models.TextChoices):
        SAMPLED = "sampled", "按比例抽取"
        CHRONIC = "chronic", "顽疾点位全部复查"

    task = models.OneToOneField("tasks.RectificationTask", verbose_name="已销号任务", on_delete=models.CASCADE,
                                related_name="recheck")
    site = models.ForeignKey("campaign.Site", verbose_name="点位", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    reason = models.CharField("抽取原因", max_length=10, choices=Reason.choices, blank=True)
    decided_at = models.DateTimeField("抽取时间")
    round = models.ForeignKey("inspections.InspectionRound", verbose_name="回头看轮次", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="rechecks")
    checked_at = models.DateTimeField("复查时间", null=True, blank=True)
    rebound_task = models.OneToOneField("tasks.RectificationTask", verbose_name="反弹新任务", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="rebound_recheck")

    objects = RecheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = "回头看事项"
        verbose_name_plural = "回头看事项"
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["status", "site"])]

    def __str__(self):
        return f"回头看 · {self.task}"
