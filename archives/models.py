"""Evidence (台账): photos and documents that prove a standard is met or a problem was fixed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

CATEGORY_CHOICES = [
    ("计划", "计划"),
    ("制度和机制", "制度和机制"),
    ("活动", "活动"),
    ("保障措施", "保障措施"),
    ("特色和成效", "特色和成效"),
    ("会议材料", "会议材料"),
    ("照片", "照片"),
    ("整改照片", "整改照片"),
    ("其他", "其他"),
]


def evidence_path(instance, filename):
    # Content-addressed and never derived from the user's file name (no traversal, no clashes).
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{ext}"


def rendition_path(instance, filename):
    return f"renditions/{instance.sha256[:2]}/{instance.sha256}.jpg"


class EvidenceItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office, inspectors and assessors see all evidence; others that of their units (and below)."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_role("office", "inspector", "assessor"):
            return self.all()
        return self.filter(unit__in=OrgUnit.objects.visible_to(user).values("pk"))

    def current(self):
        """Items not replaced by a corrected version."""
        return self.filter(superseded_by__isnull=True)


class Volume(models.Model):
    """A 卷: the catalogue grouping of a unit's evidence for a year, with its own 卷内目录."""

    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="volumes")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("卷号")
    title = models.CharField("卷名", max_length=200)

    class Meta:
        verbose_name = "案卷"
        verbose_name_plural = "案卷"
        ordering = ["unit", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="volume_unique_number")]

    def __str__(self):
        return f"{self.year} 第{self.number}卷 {self.title}"


class EvidenceItem(models.Model):
    """One stored file with its caption (时间/地点/人物/主题/事由). Files live outside any public
    URL and are served only through a view that checks the user's scope."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        DOCUMENT = "document", "文档"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已审核"
        RETURNED = "returned", "退回"

    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    print_file = models.FileField("打印版图片", upload_to=rendition_path, max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    mime = models.CharField("类型", max_length=100)
    kind = models.CharField("种类", max_length=10, choices=Kind.choices)
    width = models.PositiveIntegerField("宽", null=True, blank=True)
    height = models.PositiveIntegerField("高", null=True, blank=True)
    page_count = models.PositiveIntegerField("页数", null=True, blank=True)

    taken_at = models.DateTimeField("时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    people = models.CharField("人物", max_length=200, blank=True)
    subject = models.CharField("主题", max_length=200, blank=True)
    reason = models.CharField("事由", max_length=500, blank=True)
    gps_lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    formed_on = models.DateField("形成日期", null=True, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                 on_delete=models.SET_NULL, related_name="uploaded_evidence")
    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="evidence")
    indicators = models.ManyToManyField("campaign.Indicator", verbose_name="测评标准", blank=True,
                                        related_name="evidence")
    category = models.CharField("类别", max_length=20, choices=CATEGORY_CHOICES, default="照片")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    archive_number = models.CharField("归档文件号", max_length=50, blank=True)
    volume = models.ForeignKey(Volume, verbose_name="案卷", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="items")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    supersedes = models.OneToOneField("self", verbose_name="替代的旧版本", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    duplicate_of = models.ForeignKey("self", verbose_name="与之相同的文件", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")

    objects = EvidenceItemQuerySet.as_manager()

    class Meta:
        verbose_name = "台账资料"
        verbose_name_plural = "台账资料"
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "category", "year"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(return_reason=""),
                                   name="evidence_return_needs_reason"),
        ]

    def __str__(self):
        return self.subject or self.original_name

    @property
    def is_photo(self):
        return self.kind == self.Kind.PHOTO

    @property
    def caption(self) -> dict:
        return {"时间": self.taken_at, "地点": self.place, "人物": self.people, "主题": self.subject, "事由": self.reason}
