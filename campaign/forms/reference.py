"""Forms of the reference pages: validation and the crispy helper only. Services do the writing."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Hidden, Layout, Row, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from campaign.models import (
    EVIDENCE_CATEGORIES,
    CalendarDay,
    Indicator,
    Method,
    OrgUnit,
    Oversight,
    Responsibility,
    Role,
    Site,
    SiteType,
    TimeLimit,
    User,
)
from campaign.services import MAX_CALENDAR_RUN
from campaign.services.once import FIELD, new_token


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    # The one-time key of campaign/services/once.py: a create posted twice makes one row.
    helper.add_input(Hidden(FIELD, new_token()))
    return helper


class UnitChoiceMixin:
    """Units named with their parent where the bare name repeats (和平社区 exists in many streets)."""

    def label_from_instance(self, obj):
        if obj.kind == OrgUnit.Kind.COMMUNITY and obj.parent_id:
            return f"{obj.parent.display_name} · {obj.name}"
        return obj.name


class UnitChoiceField(UnitChoiceMixin, forms.ModelChoiceField):
    pass


class UnitMultipleChoiceField(UnitChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def active_units():
    return OrgUnit.objects.filter(is_active=True).select_related("parent").order_by("path")


def matrix_units(keep=()):
    """Units offered in the matrix: districts, streets, departments, windows and the office (not the
    city itself, not communities), plus any unit a row already names so editing never drops it."""
    units = OrgUnit.objects.filter(is_active=True).exclude(kind__in=[OrgUnit.Kind.CITY, OrgUnit.Kind.COMMUNITY])
    return (units | OrgUnit.objects.filter(pk__in=[u.pk for u in keep])).distinct().select_related(
        "parent").order_by("path")


# --- frameworks and indicators -------------------------------------------------------------------


class FrameworkForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    year = forms.IntegerField(label="版本年份", min_value=2000, max_value=2100)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["copy_active"] = forms.BooleanField(
                label="以当前启用版本为基础，复制其全部指标、适用点位类型和责任分工", required=False, initial=True,
            )
        self.helper = _helper("创建版本" if creating else "保存")


class IndicatorForm(forms.Form):
    """Edits one node. Branches (版块/项目/内容) carry a name and a note; standards the full set."""

    code = forms.CharField(label="编号", max_length=30, help_text="如 5、5.2、5.2.3；版块可用 A、B、C")
    name = forms.CharField(label="名称", max_length=200)
    text = forms.CharField(label="标准内容 / 说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    methods = forms.MultipleChoiceField(label="测评方法", choices=Method.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    points = forms.DecimalField(label="分值/权重", required=False, min_value=0, max_digits=6, decimal_places=2)
    site_types = forms.ModelMultipleChoiceField(label="适用点位类型（实地考察）", queryset=SiteType.objects.all(),
                                                required=False, widget=forms.CheckboxSelectMultiple)
    evidence_categories = forms.MultipleChoiceField(
        label="必备材料类别", choices=[(c, c) for c in EVIDENCE_CATEGORIES], required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_categories = forms.CharField(label="其他材料类别", required=False, max_length=200,
                                       help_text="本标准特有的材料类别，多个用顿号“、”或逗号分隔")
    is_negative = forms.BooleanField(label="列入负面清单", required=False)
    sort_order = forms.IntegerField(label="排序", required=False, min_value=0, help_text="同级内的顺序，留空则排在最后")

    STANDARD_ONLY = ("methods", "site_types", "evidence_categories", "extra_categories", "is_negative")

    def __init__(self, *args, framework, level: int, parent: Indicator | None, instance: Indicator | None = None,
                 **kwargs):
        self.framework, self.level, self.parent, self.instance = framework, level, parent, instance
        if instance is not None:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        if level != Indicator.Level.STANDARD:
            for name in self.STANDARD_ONLY:
                del self.fields[name]
            self.fields["text"].label = "说明"
        self.helper = _helper("保存")
        self.helper.layout = Layout(
            Row(Column("code", css_class="col-md-3"), Column("name", css_class="col-md-9")),
            "text",
            Row(*(Column(f, css_class="col-md-6") for f in ("points", "sort_order"))),
            *(Field(f, wrapper_class="check-columns") for f in self.STANDARD_ONLY if f in self.fields),
        )

    @staticmethod
    def initial_from(indicator: Indicator) -> dict:
        extra = [c for c in indicator.evidence_categories if c not in EVIDENCE_CATEGORIES]
        return {
            "code": indicator.code, "name": indicator.name, "text": indicator.text, "methods": indicator.methods,
            "points": indicator.points, "site_types": list(indicator.site_types.all()) if indicator.pk else [],
            "evidence_categories": [c for c in indicator.evidence_categories if c in EVIDENCE_CATEGORIES],
            "extra_categories": "、".join(extra), "is_negative": indicator.is_negative,
            "sort_order": indicator.sort_order,
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace("．", ".").replace("。", ".")
        if " " in code or "/" in code:
            raise forms.ValidationError("编号不能包含空格或“/”。")
        if self.level >= Indicator.Level.CONTENT and self.parent and not code.startswith(f"{self.parent.code}."):
            raise forms.ValidationError(f"编号应以上级编号“{self.parent.code}.”开头，例如 {self.parent.code}.1。")
        taken = Indicator.objects.filter(framework=self.framework, code=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"本版本中已有编号为“{code}”的指标：{taken.first().name}。")
        return code

    def service_data(self) -> dict:
        """Model fields for indicator_save; site types go separately (many-to-many)."""
        data = {k: self.cleaned_data[k] for k in ("code", "name", "text", "points")}
        if self.cleaned_data.get("sort_order") is not None:
            data["sort_order"] = self.cleaned_data["sort_order"]
        if self.level == Indicator.Level.STANDARD:
            extra = [c.strip() for c in _split(self.cleaned_data["extra_categories"])]
            categories = list(self.cleaned_data["evidence_categories"]) + [c for c in extra if c]
            data.update(methods=list(self.cleaned_data["methods"]), is_negative=self.cleaned_data["is_negative"],
                        evidence_categories=list(dict.fromkeys(categories)))
        return data


def _split(text: str) -> list[str]:
    for sep in "，,；;\n":
        text = text.replace(sep, "、")
    return text.split("、")


# --- sites ---------------------------------------------------------------------------------------


class SiteForm(forms.Form):
    """A 点位's fields. Its rules (coordinates inside China and both or neither, the street within
    the district, a name unique in its district) are ``site_save``'s, shown on these fields by
    ``add_service_errors``."""

    name = forms.CharField(label="点位名称", max_length=100)
    site_type = forms.ModelChoiceField(label="点位类型", queryset=SiteType.objects.all(), empty_label="请选择类型")
    district = forms.ModelChoiceField(label="所属区", empty_label="请选择区",
                                      queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("path"))
    street = forms.ModelChoiceField(label="所属街道/乡镇", required=False, empty_label="（不限定街道）",
                                    queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).order_by("path"))
    address = forms.CharField(label="地址", max_length=200, required=False)
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6,
                                   help_text="东经，十进制度数，如 114.305600")
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6,
                                  help_text="北纬，十进制度数，如 30.592800")
    adopting_unit = UnitChoiceField(label="包保单位", queryset=active_units(), required=False,
                                    empty_label="（未指定）")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    is_chronic = forms.BooleanField(label="顽疾点位", required=False,
                                    help_text="反复出现问题的点位，回头看时全部复查")

    FIELDS = ("name", "site_type", "district", "street", "address", "longitude", "latitude", "adopting_unit",
              "is_active", "is_chronic")

    def __init__(self, *args, instance: Site | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存")
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("site_type", css_class="col-md-6")),
            Row(Column("district", css_class="col-md-6"), Column("street", css_class="col-md-6")),
            "address",
            Row(Column("longitude", css_class="col-md-6"), Column("latitude", css_class="col-md-6")),
            "adopting_unit",
            Row(Column("is_active", css_class="col-md-3"), Column("is_chronic", css_class="col-md-9")),
        )

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.FIELDS}
        data["name"] = data["name"].strip()
        return data


# --- responsibility matrix -----------------------------------------------------------------------


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}" if obj.is_standard else f"{obj.code} {obj.name}（{obj.get_level_display()}）"


class ResponsibilityForm(forms.Form):
    """One row of the matrix. Its rules (site or site type, a deadline only with 指定日期, the lead
    unit not also assisting, one row per scope) are ``responsibility_save``'s, shown on these
    fields by ``add_service_errors``."""

    indicator = IndicatorChoiceField(label="测评指标", queryset=Indicator.objects.none(),
                                     help_text="可以是测评标准，也可以是测评内容（其下各标准未单独分工时沿用）")
    site_type = forms.ModelChoiceField(label="限定点位类型", queryset=SiteType.objects.all(), required=False,
                                       empty_label="（不限定）")
    site = forms.ModelChoiceField(label="限定单个点位", queryset=Site.objects.none(), required=False,
                                  empty_label="（不限定）")
    leader = forms.ModelChoiceField(label="分管领导", queryset=User.objects.none(), required=False,
                                    empty_label="（未指定）")
    lead_unit = UnitChoiceField(label="牵头单位", queryset=active_units(), empty_label="请选择牵头单位")
    basis = forms.TypedChoiceField(label="属地/行业", choices=Responsibility.Basis.choices, required=False,
                                   initial=Responsibility.Basis.TRADE, empty_value=Responsibility.Basis.TRADE,
                                   help_text="属地：问题由点位所在街道/社区（或点位包保单位）牵头，上面的牵头单位作为行业配合；"
                                             "行业：由牵头单位（行业主管部门）牵头；指定：不论点位，固定由牵头单位牵头")
    responsible_units = UnitMultipleChoiceField(label="责任单位", queryset=active_units(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    assisting_units = UnitMultipleChoiceField(label="配合单位", queryset=active_units(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    time_limit = forms.ModelChoiceField(label="完成时限", queryset=TimeLimit.objects.all(), required=False,
                                        empty_label="（未指定）")
    deadline = forms.DateField(label="指定完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="仅“指定日期”时限需要填写")
    note = forms.CharField(label="备注", max_length=200, required=False)

    MODEL_FIELDS = ("indicator", "site_type", "site", "leader", "lead_unit", "basis", "time_limit", "deadline", "note")

    def __init__(self, *args, framework, instance: Responsibility | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {f: getattr(instance, f) for f in self.MODEL_FIELDS}
            initial.update(responsible_units=list(instance.responsible_units.all()),
                           assisting_units=list(instance.assisting_units.all()))
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        named = [instance.lead_unit, *instance.responsible_units.all(), *instance.assisting_units.all()] \
            if instance is not None else []
        for name in ("lead_unit", "responsible_units", "assisting_units"):
            self.fields[name].queryset = matrix_units([u for u in named if u is not None])
        if instance is not None:  # the long check lists scroll: say what is ticked
            for name in ("responsible_units", "assisting_units"):
                chosen = "、".join(u.display_name for u in getattr(instance, name).all())
                self.fields[name].help_text = f"当前：{chosen or '无'}"
        self.fields["indicator"].queryset = framework.indicators.filter(level__gte=Indicator.Level.ITEM).order_by("path")
        self.fields["site"].queryset = Site.objects.filter(is_active=True).select_related("district").order_by(
            "district__path", "name")
        self.fields["site"].label_from_instance = lambda s: f"{s.name}（{s.district.name}）"
        self.fields["leader"].queryset = User.objects.filter(memberships__role=Role.LEADER, is_active=True).distinct()
        self.helper = _helper("保存")
        self.helper.layout = Layout(
            "indicator",
            Row(Column("site_type", css_class="col-md-6"), Column("site", css_class="col-md-6")),
            Row(Column("leader", css_class="col-md-4"), Column("lead_unit", css_class="col-md-4"),
                Column("basis", css_class="col-md-4")),
            Row(Column(Field("responsible_units", wrapper_class="check-scroll"), css_class="col-md-6"),
                Column(Field("assisting_units", wrapper_class="check-scroll"), css_class="col-md-6")),
            Row(Column("time_limit", css_class="col-md-4"), Column("deadline", css_class="col-md-4"),
                Column("note", css_class="col-md-4")),
        )

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.MODEL_FIELDS}


class RoutingCheckForm(forms.Form):
    indicator = IndicatorChoiceField(label="测评标准", queryset=Indicator.objects.none(), empty_label="请选择测评标准")
    site = forms.ModelChoiceField(label="点位", queryset=Site.objects.none(), required=False,
                                  empty_label="（不指定点位）")

    def __init__(self, *args, framework, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = framework.indicators.standards().order_by("path")
        self.fields["site"].queryset = sites.select_related("district", "site_type").order_by("district__path", "name")
        self.fields["site"].label_from_instance = lambda s: f"{s.name}（{s.district.name} · {s.site_type.name}）"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


# --- working-day calendar ------------------------------------------------------------------------


class CalendarDayForm(forms.Form):
    """A run of dates; ``calendar_days_set`` checks it (order, length) and the view shows its
    refusal on ``end``."""

    start = forms.DateField(label="日期（起）", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="至（含，可留空）", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=f"连续放假可一次录入，最长 {MAX_CALENDAR_RUN} 天")
    kind = forms.ChoiceField(label="类型", choices=CalendarDay.Kind.choices)
    note = forms.CharField(label="说明", max_length=100, required=False, help_text="如：春节放假、国庆调休上班")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("录入")
        self.helper.form_action = reverse_lazy("reference:calendar_add")
        self.helper.attrs = {"data-testid": "calendar-form"}
        self.helper.layout = Layout(
            Row(Column("start", css_class="col-sm-6"), Column("end", css_class="col-sm-6")),
            Row(Column("kind", css_class="col-sm-6"), Column("note", css_class="col-sm-6")),
        )


class OversightForm(forms.Form):
    """One 分管 row: a leader, a unit (with everything below it), and the dates it is in force.
    A plain form, not a ModelForm: the row's rules (dates in order, one row per leader, unit and
    start) are ``oversight_save``'s, backed by the table's constraints, and shown on these fields
    by ``add_service_errors``; a ModelForm would check the constraints again with Django's wording."""

    FIELDS = ("leader", "unit", "start", "end", "note")

    leader = forms.ModelChoiceField(label="分管领导", queryset=User.objects.none())
    unit = UnitChoiceField(label="分管单位", queryset=OrgUnit.objects.none(),
                           help_text="分管领导能看到该单位及其全部下级单位的任务、台账和统计")
    start = forms.DateField(label="起始日期", initial=timezone.localdate,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="截止日期", required=False, help_text="留空表示长期有效",
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, instance: Oversight | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)
        leaders = User.objects.filter(memberships__role=Role.LEADER, is_active=True)
        unit_id = instance.unit_id if instance is not None else None
        if instance is not None:
            leaders = leaders | User.objects.filter(pk=instance.leader_id)
        self.fields["leader"].queryset = leaders.distinct().order_by("full_name", "username")
        self.fields["unit"].queryset = (active_units() | OrgUnit.objects.filter(pk=unit_id)).distinct(
            ).select_related("parent").order_by("path")
        self.helper = _helper("保存")
        self.helper.attrs = {"data-testid": "oversight-form"}
        self.helper.layout = Layout(
            Row(Column("leader", css_class="col-md-6"), Column("unit", css_class="col-md-6")),
            Row(Column("start", css_class="col-md-4"), Column("end", css_class="col-md-4"),
                Column("note", css_class="col-md-4")),
        )
