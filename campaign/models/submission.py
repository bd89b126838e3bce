from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A create or confirm form that has been carried out, by its one-time key.

    Every such form carries a key made when the page was drawn (or names a one-time preview). The
    row is inserted in the same transaction as what the form creates, under a unique key: a second
    post of the same form (a double click, a retry after a timeout, two tabs) waits for the first,
    finds its row and is sent to the first one's result instead of creating a second object."""

    key = models.CharField("表单标识", max_length=80, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    url = models.CharField("结果页面", max_length=300, blank=True)

    class Meta:
        verbose_name = "已提交表单"
        verbose_name_plural = "已提交表单"

    def __str__(self):
        return f"{self.key} → {self.url}"
