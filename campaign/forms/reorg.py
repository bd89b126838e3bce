"""Forms of the 机构改革 pages: they parse input; the rules (no merge into oneself, successors
active, names free …) are the services' (``campaign.services.reorg``), shown on the form by
``add_service_errors``. Unit choices list every unit, inactive ones too, so that choosing one is
refused by the service with its reason rather than by the form as "not a valid choice"."""

from __future__ import annotations

import hashlib
import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from campaign.forms.reference import UnitChoiceField, UnitMultipleChoiceField
from campaign.models import OrgUnit

NO_UNIT = "所选单位不存在，请重新选择。"
DAY_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Labelled:
    def label_from_instance(self, obj):
        label = super().label_from_instance(obj)
        return label if obj.is_active else f"{label}（已撤销）"


class UnitField(_Labelled, UnitChoiceField):
    pass


class UnitsField(_Labelled, UnitMultipleChoiceField):
    pass


def all_units():
    return OrgUnit.objects.select_related("parent").order_by("-is_active", "path")


def _unit_field(label, **kwargs):
    return UnitField(label=label, queryset=all_units(), error_messages={"invalid_choice": NO_UNIT}, **kwargs)


def _day_field():
    return forms.DateField(label="生效日期", initial=timezone.localdate, widget=DAY_WIDGET,
                           help_text="机构改革文件规定的生效日期，不能晚于今天")


def _note_field():
    return forms.CharField(label="依据及说明", max_length=300, required=False,
                           help_text="如：某编委〔2026〕12号文件")


class ReorgForm(forms.Form):
    """The shared parts: the crispy helper without its own <form> tag (the page adds the buttons)
    and a fingerprint of the input, so a confirmation carries out exactly what was previewed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def fingerprint(self) -> str:
        data = {k: _plain(v) for k, v in sorted(self.cleaned_data.items())}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


def _plain(value):
    if isinstance(value, OrgUnit):
        return value.pk
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return sorted(_plain(v) for v in value)
    return str(value) if value is not None else None


class RenameForm(ReorgForm):
    name = forms.CharField(label="新名称", max_length=100)
    short_name = forms.CharField(label="新简称", max_length=30, required=False)
    day = _day_field()
    note = _note_field()

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        kwargs.setdefault("initial", {"name": unit.name, "short_name": unit.short_name})
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("short_name", css_class="col-md-4")),
            Row(Column("day", css_class="col-md-4"), Column("note", css_class="col-md-8")),
        )


class MoveForm(ReorgForm):
    parent = _unit_field("新上级单位")
    day = _day_field()
    note = _note_field()


class MergeForm(ReorgForm):
    SERVICE_FIELDS = {"units": "units", "successor": "successor"}

    units = UnitsField(label="被合并单位", queryset=all_units(),
                                    error_messages={"invalid_choice": NO_UNIT, "invalid_pk_value": NO_UNIT},
                                    help_text="合并后这些单位停用，已办结的任务仍记在原单位名下")
    successor = _unit_field("承接单位（已有单位）", required=False,
                            help_text="并入已有单位时选择；也可以选择被合并单位之一，其余单位并入它")
    new_name = forms.CharField(label="或：新设单位名称", max_length=100, required=False)
    new_parent = _unit_field("新设单位的上级单位", required=False)
    new_kind = forms.ChoiceField(label="新设单位类型", choices=[("", "—")] + list(OrgUnit.Kind.choices),
                                 required=False)
    day = _day_field()
    note = _note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "units",
            "successor",
            Row(Column("new_name", css_class="col-md-5"), Column("new_parent", css_class="col-md-4"),
                Column("new_kind", css_class="col-md-3")),
            Row(Column("day", css_class="col-md-4"), Column("note", css_class="col-md-8")),
        )

    def clean(self):
        data = super().clean()
        successor, name = data.get("successor"), (data.get("new_name") or "").strip()
        if successor and name:
            raise forms.ValidationError("承接单位请二选一：选择已有单位，或填写新设单位的名称。")
        if name and not (data.get("new_parent") and data.get("new_kind")):
            raise forms.ValidationError("新设单位请同时选择上级单位和单位类型。")
        if not successor and not name and not self.errors:
            raise forms.ValidationError("请选择承接单位，或填写新设单位的名称。")
        return data


class SplitForm(ReorgForm):
    existing = UnitsField(label="承接单位（已有单位）", queryset=all_units(), required=False,
                                       error_messages={"invalid_choice": NO_UNIT, "invalid_pk_value": NO_UNIT})
    new_names = forms.CharField(label="新设单位名称", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="每行一个；新设单位设在原单位的上级单位下，类型与原单位相同")
    day = _day_field()
    note = _note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Row(Column("existing", css_class="col-md-6"), Column("new_names", css_class="col-md-6")),
            Row(Column("day", css_class="col-md-4"), Column("note", css_class="col-md-8")),
        )

    def names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("new_names", "").splitlines() if line.strip()]
