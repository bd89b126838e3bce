"""Upload forms of the spreadsheet imports (validation and the crispy layout only)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from campaign.models import Framework
from campaign.services.spreadsheets import MAX_BYTES
from campaign.services.spreadsheets.mapping import check_choices
from campaign.services.spreadsheets.reading import human_size


class SpreadsheetField(forms.FileField):
    """An .xlsx upload no bigger than the import limit (the content is checked when parsed)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"Excel 2007 及以上（.xlsx）或 CSV（UTF-8 / GBK），不超过 {human_size(MAX_BYTES)}。")
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        self.error_messages["required"] = "请选择要上传的 Excel 文件。"
        self.error_messages["empty"] = "上传的文件是空的，请选择填写好的 Excel（.xlsx）文件。"

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"文件过大（{human_size(upload.size)}），上限为 {human_size(MAX_BYTES)}。请删除无关的工作表或图片后再上传。"
            )
        return upload


def _empty_frameworks():
    return Framework.objects.annotate(n=Count("indicators")).filter(n=0)


class FrameworkUploadForm(forms.Form):
    TARGETS = [("new", "新建测评体系版本"), ("empty", "填入已有的空版本（还没有任何指标）"),
               ("update", "更新当前启用版本（按编号对照：新增的加入、变化的修改，预览时列出差异）")]

    file = SpreadsheetField(label="目标任务分解表")
    target = forms.ChoiceField(label="导入到", choices=TARGETS, initial="new", widget=forms.RadioSelect)
    name = forms.CharField(label="新版本名称", max_length=100, required=False)
    year = forms.IntegerField(label="版本年份", min_value=2000, max_value=2100, required=False)
    activate = forms.BooleanField(label="导入后设为当前启用版本（原启用版本转为只读）", required=False)
    framework = forms.ModelChoiceField(label="空版本", queryset=Framework.objects.none(), required=False,
                                       empty_label="请选择", help_text="只列出还没有任何指标的版本。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "framework_%s")  # two upload forms share the index page
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = _empty_frameworks()
        if not self.is_bound:
            self.fields["name"].initial = f"{settings.CITY_NAME}文明城市测评体系"
            self.fields["year"].initial = timezone.localdate().year
            self.fields["activate"].initial = not Framework.objects.filter(is_active=True).exists()
        self.helper = FormHelper()
        self.helper.form_action = reverse("imports:upload", args=["framework"])
        self.helper.attrs = {"data-testid": "framework-upload"}
        self.helper.layout = Layout("file", "target", "name", "year", "activate", "framework")
        self.helper.add_input(Submit("submit", "上传并预览", css_class="btn-primary"))

    def clean(self):
        data = super().clean()
        if data.get("target") == "new":
            if not (data.get("name") or "").strip():
                self.add_error("name", "请填写新版本名称，如“2026年版测评体系”。")
            if not data.get("year"):
                self.add_error("year", "请填写版本年份。")
        elif data.get("target") == "empty" and not data.get("framework"):
            self.add_error("framework", "请选择要填入的空版本；如果没有空版本，请选择“新建测评体系版本”。")
        elif data.get("target") == "update" and Framework.active() is None:
            self.add_error("target", "还没有启用的测评体系版本可以更新，请选择“新建测评体系版本”。")
        return data

    def options(self) -> dict:
        """The choices to keep until the import is confirmed (stored in the session)."""
        data = self.cleaned_data
        if data["target"] == "empty":
            return {"target": "empty", "framework": data["framework"].pk}
        if data["target"] == "update":
            return {"target": "update", "framework": Framework.active().pk}
        return {"target": "new", "name": data["name"].strip(), "year": data["year"], "activate": data["activate"]}


class SiteUploadForm(forms.Form):
    file = SpreadsheetField(label="点位清单")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sites_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("imports:upload", args=["sites"])
        self.helper.attrs = {"data-testid": "sites-upload"}
        self.helper.add_input(Submit("submit", "上传并预览", css_class="btn-primary"))



class ColumnMappingForm(forms.Form):
    """Which of the sheet's columns is which: one choice per column of the header band, prefilled
    with what the reader understood or guessed (``不导入`` for the rest)."""

    def __init__(self, *args, band, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.band, self.columns = band, columns
        choices = [("", "不导入")] + [(c.field, f"{c.label}{'（必需）' if c.required else ''}") for c in columns]
        for column in band.columns:
            self.fields[self.name_of(column)] = forms.ChoiceField(
                label=column.label, choices=choices, required=False,
                initial=column.field or column.guess or "",
            )

    @staticmethod
    def name_of(column) -> str:
        return f"col_{column.index}"

    def rows(self):
        """(column, bound field) pairs for the template's table."""
        return [(column, self[self.name_of(column)]) for column in self.band.columns]

    def choices(self) -> dict[str, str]:
        return {c.key: self.cleaned_data.get(self.name_of(c)) or "" for c in self.band.columns}

    def clean(self):
        data = super().clean()
        for error in check_choices(self.band, self.choices(), self.columns):
            self.add_error(None, error)
        return data


class _ListUploadForm(forms.Form):
    """The upload of one of the onboarding lists: the file alone."""

    kind = ""
    label = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.kind}_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"] = SpreadsheetField(label=self.label)
        self.helper = FormHelper()
        self.helper.form_action = reverse("imports:upload", args=[self.kind])
        self.helper.attrs = {"data-testid": f"{self.kind}-upload"}
        self.helper.add_input(Submit("submit", "上传并预览", css_class="btn-primary"))


class UnitUploadForm(_ListUploadForm):
    kind, label = "units", "单位通讯录"


class PeopleUploadForm(_ListUploadForm):
    kind, label = "people", "人员名单"
