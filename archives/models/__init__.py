"""Evidence (台账): photos and documents that prove a standard is met or a problem was fixed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from campaign.access import UNIT_UPLOADERS
from campaign.models.moves import NEW, Move, check_move, moves

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


def thumbnail_path(instance, filename):
    return f"renditions/{instance.sha256[:2]}/{instance.sha256}-thumb.jpg"


# Order in which categories are listed (lists, 提交表, completeness).
CATEGORY_ORDER = {value: index for index, (value, _label) in enumerate(CATEGORY_CHOICES)}

# Categories that say "this is a photo": a PDF or Word file filed under them would be bound as a
# photo page and counted as one. So is any category a framework names “…照片” (阵地照片). Every
# other category suits any kind (a photographed activity is 活动 evidence, a photographed notice
# may be filed as 计划).
PHOTO_CATEGORIES = ("照片", "整改照片")


def is_photo_category(category: str) -> bool:
    return category in PHOTO_CATEGORIES or category.endswith("照片")


def default_category(kind: str) -> str:
    """The category a file gets when the uploader chose none: one that always fits its kind."""
    return "照片" if kind == EvidenceItem.Kind.PHOTO else "其他"


def category_problem(kind: str, category: str, name: str = "") -> str:
    """Why ``category`` does not fit a file of ``kind`` ("" when it does). The one statement of
    the rule: the upload service, caption changes, the caption form and submitting all ask it."""
    if is_photo_category(category) and kind != EvidenceItem.Kind.PHOTO:
        what = f"《{name}》" if name else "该文件"
        return (f"“{category}”类别只能用于照片，{what}是{EvidenceItem.Kind(kind).label}。"
                "请改选计划、制度和机制、活动、会议材料等文档类别。")
    return ""


def category_choices() -> list[tuple[str, str]]:
    """The fixed categories plus any other 必备材料类别 the active framework's standards name
    (an imported 细则 may require, say, “宣传材料”)."""
    from django.db.models import F, Func

    from campaign.models import Indicator

    extra = (
        Indicator.objects.active().standards()
        .annotate(category=Func(F("evidence_categories"), function="unnest"))
        .values_list("category", flat=True).distinct()
    )
    known = dict(CATEGORY_CHOICES)
    return CATEGORY_CHOICES + [(c, c) for c in sorted(set(extra)) if c and c not in known]


class EvidenceItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office, inspectors and assessors see all evidence; others that of their units (and below)."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office or user.has_role("inspector", "assessor"):
            return self.all()
        return self.filter(unit__in=OrgUnit.objects.visible_to(user).values("pk"))

    def current(self):
        """Items not replaced by a corrected version."""
        return self.filter(superseded_by__isnull=True)

    def approved(self):
        return self.filter(status=EvidenceItem.Status.APPROVED)

    def bindable(self):
        """Photos and PDFs: what a bound dossier can contain (Office files are listed, not bound)."""
        return self.filter(kind__in=[EvidenceItem.Kind.PHOTO, EvidenceItem.Kind.DOCUMENT])

    def editable_by(self, user):
        """Items the user may caption, submit or correct: office staff any; a unit's archivist,
        liaison or head those of their units and the units below."""
        from campaign.models import OrgUnit

        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        paths = user.unit_paths_for(*UNIT_UPLOADERS)
        return self.filter(unit__in=OrgUnit.objects.subtree_of(*paths).values("pk")) if paths else self.none()



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
        DOCUMENT = "document", "PDF 文档"
        # Word/Excel files are stored and listed but not bound into dossiers (see services).
        OFFICE = "office", "Office 文件"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已审核"
        RETURNED = "returned", "退回"

    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    print_file = models.FileField("打印版图片", upload_to=rendition_path, max_length=200, blank=True)
    thumb_file = models.FileField("缩略图", upload_to=thumbnail_path, max_length=200, blank=True)
    rendition_attempts = models.PositiveSmallIntegerField("生成打印版尝试次数", default=0)
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
    def is_bindable(self):
        return self.kind != self.Kind.OFFICE

    @property
    def is_current(self):
        return not hasattr(self, "superseded_by")

    @property
    def title(self):
        """What lists and the 提交表 call the item: its 主题, else its file name."""
        return self.subject or self.original_name

    @property
    def date(self):
        """形成日期, else the day the photo was taken, else the upload day."""
        from django.utils import timezone

        if self.formed_on:
            return self.formed_on
        moment = self.taken_at or self.uploaded_at
        return timezone.localtime(moment).date() if moment else None

    def check_move(self, action: str, *, superseded: bool = False, target: str | None = None) -> Move:
        """Raise a ValidationError unless the item may take ``action`` now (``EVIDENCE_MOVES``;
        ``superseded``: a corrected version has replaced it). The status is asked first."""
        move = check_move(EVIDENCE_MOVES, action, self.status, target=target, title=self.title,
                          state=self.get_status_display())
        if superseded and action in SUPERSEDED_REFUSALS:
            raise ValidationError(SUPERSEDED_REFUSALS[action].format(title=self.title), code="illegal_move")
        return move

    def allows(self, action: str) -> bool:
        """Whether the status allows ``action`` (for buttons and bulk checks)."""
        return EVIDENCE_MOVES[action].allows(self.status)

    def caption_gaps(self) -> list[str]:
        """What must be filled in before the item can be submitted for review."""
        gaps = [] if self.subject else ["主题"]
        if self.is_photo:
            gaps += [label for label, value in (("时间", self.taken_at), ("地点", self.place)) if not value]
        elif not self.formed_on:
            gaps.append("形成日期")
        if self.category != "整改照片" and not self.indicators.exists():
            gaps.append("测评标准")
        if category_problem(self.kind, self.category):
            gaps.append("类别")
        return gaps

    @property
    def pages(self):
        """Pages the item fills when printed: a photo one, a PDF its page count."""
        return 1 if self.is_photo else (self.page_count or 0)

    @property
    def caption(self) -> dict:
        return {"时间": self.taken_at, "地点": self.place, "人物": self.people, "主题": self.subject, "事由": self.reason}


_Status = EvidenceItem.Status
_REVIEW_REFUSAL = "《{title}》当前为“{state}”，只能审核已提交的资料。"

# The life of an item: 草稿 ─提交审核→ 已提交 ─审核通过→ 已审核
#                                          └退回→ 退回 ─提交审核→ 已提交
# An upload may start as 草稿, 已提交 or 已审核 (an office clerk's own filing). A correction
# replaces an item (supersede): the old one keeps its status but is then "superseded", and a
# superseded item may take none of the moves in SUPERSEDED_REFUSALS.
EVIDENCE_MOVES = moves(
    Move("store", "上传", (NEW,), (_Status.DRAFT, _Status.SUBMITTED, _Status.APPROVED),
         refusal="上传时状态只能是草稿、已提交或已审核，不能是 {target}。"),
    Move("caption", "修改说明", (_Status.DRAFT, _Status.SUBMITTED, _Status.RETURNED),
         refusal="已审核的资料不能再修改说明；如需更正，请在资料页“上传更正版本”。"),
    Move("submit", "提交审核", (_Status.DRAFT, _Status.RETURNED), (_Status.SUBMITTED,),
         refusal="《{title}》当前为“{state}”，不能提交审核。"),
    Move("approve", "审核通过", (_Status.SUBMITTED,), (_Status.APPROVED,), refusal=_REVIEW_REFUSAL),
    Move("return", "退回", (_Status.SUBMITTED,), (_Status.RETURNED,), refusal=_REVIEW_REFUSAL),
    Move("supersede", "被更正版本替代", tuple(_Status.values)),
)

SUPERSEDED_REFUSALS = {
    "caption": "该资料已被更正版本替代，不能再修改。",
    "submit": "《{title}》已被更正版本替代，不能提交。",
    "approve": "《{title}》已被更正版本替代，请审核新版本。",
    "return": "《{title}》已被更正版本替代，请审核新版本。",
    "supersede": "《{title}》已经被其他版本替代。",
}


class SubmissionForm(models.Model):
    """One unit's 测评材料提交表 for one standard: the self-assessment text and conclusion.
    The materials list is not stored: it is read from the unit's approved evidence."""

    class Conclusion(models.TextChoices):
        MET = "达标", "达标"
        MOSTLY = "基本达标", "基本达标"
        NOT_MET = "未达标", "未达标"

    unit = models.ForeignKey("campaign.OrgUnit", verbose_name="单位", on_delete=models.PROTECT,
                             related_name="submission_forms")
    indicator = models.ForeignKey("campaign.Indicator", verbose_name="测评标准", on_delete=models.PROTECT,
                                  related_name="submission_forms")
    self_assessment = models.TextField("自评情况", blank=True)
    conclusion = models.CharField("自评结论", max_length=10, choices=Conclusion.choices, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("填写时间", auto_now=True)

    class Meta:
        verbose_name = "测评材料提交表"
        verbose_name_plural = "测评材料提交表"
        ordering = ["unit", "indicator__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator"], name="submissionform_unique_unit_indicator"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator.code} 测评材料提交表"
