"""Forms of the archives pages: validation only; the services do the writing."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from archives.models import SubmissionForm, category_choices, category_problem
from campaign.models import Indicator
from campaign.views.params import ids_of


class CaptionForm(forms.Form):
    """时间 / 地点 / 人物 / 主题 / 事由, 形成日期, category, standards, year, 归档文件号 of one item."""

    subject = forms.CharField(label="主题", max_length=200, required=False,
                              widget=forms.TextInput(attrs={"placeholder": "如：文明交通劝导志愿服务活动"}))
    taken_at = forms.DateTimeField(label="时间", required=False, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label="地点", max_length=200, required=False)
    people = forms.CharField(label="人物", max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "如：街道志愿者 20 余人"}))
    reason = forms.CharField(label="事由", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    formed_on = forms.DateField(label="形成日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    category = forms.ChoiceField(label="类别")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    archive_number = forms.CharField(label="归档文件号", max_length=50, required=False)
    indicators = forms.ModelMultipleChoiceField(label="测评标准", queryset=Indicator.objects.none(), required=False)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "subject": item.subject, "taken_at": item.taken_at, "place": item.place, "people": item.people,
                "reason": item.reason, "formed_on": item.formed_on, "category": item.category, "year": item.year,
                "archive_number": item.archive_number,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        choices = category_choices()
        if item is not None:
            choices = [(v, label) for v, label in choices if not category_problem(item.kind, v)]
            if category_problem(item.kind, item.category):
                # Filed under a category that does not fit (before the rule): make the user choose.
                choices = [("", "请选择类别"), *choices]
                self.initial["category"] = ""
        self.fields["category"].choices = choices
        # Standards of any edition the item is already linked to stay valid, plus the active ones.
        allowed = Q(framework__is_active=True, level=Indicator.Level.STANDARD)
        if item is not None:
            allowed |= Q(pk__in=item.indicators.values("pk"))
        self.fields["indicators"].queryset = Indicator.objects.filter(allowed)

    def chosen_indicators(self):
        """The standards to show as ticked: the posted ones on a redisplay, else the item's."""
        if self.is_bound:
            ids = ids_of(self.data.getlist(self.add_prefix("indicators")))
            return Indicator.objects.filter(pk__in=ids).order_by("path")
        return self.item.indicators.order_by("path") if self.item is not None else Indicator.objects.none()

    def clean_taken_at(self):
        value = self.cleaned_data["taken_at"]
        if value and value > timezone.now():
            raise forms.ValidationError("拍摄时间不能晚于现在。")
        return value

    def clean_formed_on(self):
        value = self.cleaned_data["formed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("形成日期不能晚于今天。")
        return value


class ReturnForm(forms.Form):
    """The 退回 box (rendered only: the reason's rules, required and at most 500 characters, are
    ``evidence_review``'s, backed by the constraint evidence_return_needs_reason)."""

    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SubmissionFormForm(forms.Form):
    self_assessment = forms.CharField(label="自评情况", required=False, max_length=5000,
                                      widget=forms.Textarea(attrs={"rows": 6, "placeholder":
                                                                   "简述本单位围绕该标准开展的工作、取得的成效和存在的不足"}))
    conclusion = forms.ChoiceField(label="自评结论", required=False, widget=forms.RadioSelect,
                                   choices=SubmissionForm.Conclusion.choices)
