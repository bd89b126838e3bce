"""How the office's own spreadsheet headers read: confirmed once on the column-mapping page and
reused for every later upload whose header has the same words."""

from django.conf import settings
from django.db import models


class ColumnMapping(models.Model):
    """The fields of one header, keyed by the header's signature (its normalised column texts in
    order, blank spacer columns left out) and the kind of sheet (目标任务分解表, 点位清单, …)."""

    kind = models.CharField("表格类型", max_length=20)
    signature = models.CharField("表头特征", max_length=64)
    headers = models.JSONField("表头", default=list, help_text="各列在表格中的写法，按列的顺序")
    fields = models.JSONField("对应关系", default=dict, help_text="列的规范化写法 → 字段（空表示不导入）")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = "列对应关系"
        verbose_name_plural = "列对应关系"
        constraints = [models.UniqueConstraint(fields=["kind", "signature"], name="columnmapping_kind_signature")]

    def __str__(self):
        return f"{self.kind}：{'、'.join(self.headers[:6])}"
