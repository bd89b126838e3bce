"""The on-demand 工作简报 form: a period (a preset or any dates) and a scope the user may see."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from reports.models import Summary
from reports.selectors.metrics import scopes
from reports.selectors.metrics.periods import Period, month_start, week_start

PRESETS = [
    ("last_month", "上月"),
    ("last_week", "上周"),
    ("this_month", "本月至今"),
    ("custom", "自定义期间"),
]
MAX_DAYS = 366


def scope_options(user) -> list[tuple]:
    from reports.selectors.dashboard.selectors import scope_choices

    choices = scope_choices(user, scopes.default_scope(user))
    options = [("city", "全市")] if choices["city"] else []
    options += [("分管领导", [(f"leader:{p.pk}", f"{p}（分管）") for p in choices["leaders"]])]
    if choices["districts"]:
        options.append(("区县", [(f"district:{u.pk}", u.name) for u in choices["districts"]]))
    if choices["units"]:
        options.append(("责任单位", [(f"unit:{u.pk}", u.name) for u in choices["units"]]))
    return options


def preset_period(preset: str, today: date) -> Period | None:
    if preset == "last_month":
        return Period.month(month_start(today) - timedelta(days=1))
    if preset == "last_week":
        return Period.week(week_start(today) - timedelta(days=1))
    if preset == "this_month":
        return Period(month_start(today), today, "custom")
    return None


class SummaryRequestForm(forms.Form):
    scope = forms.ChoiceField(label="范围", error_messages={"invalid_choice": "您不能生成这个范围的简报，请重新选择。"})
    preset = forms.ChoiceField(label="期间", choices=PRESETS, initial="last_month")
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="选择“自定义期间”时填写")
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["scope"].choices = scope_options(user)
        self.fields["scope"].initial = scopes.default_scope(user).key

    def clean_scope(self):
        try:
            return scopes.resolve(self.user, self.cleaned_data["scope"])
        except (Http404, PermissionDenied):
            raise forms.ValidationError("您不能生成这个范围的简报，请重新选择。") from None

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        period = preset_period(data.get("preset", ""), today)
        if period is None:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("自定义期间请填写起始日期和截止日期。")
            if start > end:
                raise forms.ValidationError("起始日期不能晚于截止日期。")
            if end > today:
                raise forms.ValidationError("截止日期不能晚于今天。")
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(f"期间最长 {MAX_DAYS} 天，请缩短期间。")
            period = Period.infer(start, end)
        data["period"] = period
        return data

    @property
    def kind(self) -> str:
        return Summary.Kind.BRIEFING
