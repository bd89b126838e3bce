"""Forms of the inspections app: validation and crispy layout only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from campaign.models import Framework, Indicator, OrgUnit, Site, SiteType, User
from inspections.models import InspectionRound, RoundKind


def _people(*roles: str):
    return (User.objects.filter(is_active=True, memberships__role__in=roles).distinct()
            .order_by("full_name", "username"))


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        units = "、".join(sorted({m.unit.display_name for m in obj.memberships.all()}))
        return f"{obj}（{units}）" if units else str(obj)


class RoundForm(forms.Form):
    """The inputs of ``round_create``; its rules (dates in order, who may take part, what each
    sample mode needs) are the service's, shown on these fields by ``add_service_errors``."""

    SERVICE_FIELDS = {"sites": "sites_text"}

    name = forms.CharField(label="轮次名称", max_length=100,
                           help_text="例如：2026年第四季度模拟测评、11月城区主干道夜间暗访")
    kind = forms.ChoiceField(label="检查类型", choices=RoundKind.choices)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    inspectors = PersonChoiceField(label="督查员", required=False, widget=forms.CheckboxSelectMultiple,
                                   queryset=User.objects.none())
    assessors = PersonChoiceField(label="第三方测评员", required=False, widget=forms.CheckboxSelectMultiple,
                                  queryset=User.objects.none(), help_text="测评员只能看到自己参加的轮次。")
    sample_mode = forms.ChoiceField(label="点位来源", choices=InspectionRound.SampleMode.choices,
                                    widget=forms.RadioSelect, initial=InspectionRound.SampleMode.RANDOM)
    site_types = forms.ModelMultipleChoiceField(label="点位类型", required=False,
                                                help_text="随机抽取时每类抽取；回头看时只复查这些类型的点位。",
                                                queryset=SiteType.objects.all(), widget=forms.CheckboxSelectMultiple)
    districts = forms.ModelMultipleChoiceField(
        label="区县范围", required=False, widget=forms.CheckboxSelectMultiple,
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, is_active=True).order_by("path"),
        help_text="不选即全市。随机抽取和回头看都按此范围。")
    per_type = forms.IntegerField(label="每类抽取数", required=False, min_value=1, max_value=100, initial=3)
    seed = forms.IntegerField(label="随机种子", required=False, min_value=0, max_value=10**12,
                              help_text="留空则自动生成并记录；填入以前的种子和相同条件可重现同一批点位。")
    sites_text = forms.CharField(label="指定点位", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text="每行一个点位名称；重名时写成“区县/点位名称”，如：东湖区/人民广场。")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_office and user.district_office_paths:
            # A 区创文办 checks its own district: the list offers it alone; empty means all of it.
            self.fields["districts"].queryset = self.fields["districts"].queryset.subtree_of(
                *user.district_office_paths)
            self.fields["districts"].help_text = "不选即本区。随机抽取和回头看都按此范围。"
            # Its own clerks may check too, beside the inspectors it borrows.
            own = OrgUnit.objects.subtree_of(*user.district_office_paths).values("pk")
            self.fields["inspectors"].queryset = User.objects.filter(is_active=True).filter(
                Q(memberships__role="inspector") | Q(memberships__role="district_office", memberships__unit__in=own)
            ).distinct().order_by("full_name", "username").prefetch_related("memberships__unit")
        else:
            self.fields["inspectors"].queryset = _people("inspector").prefetch_related("memberships__unit")
        self.fields["assessors"].queryset = _people("assessor").prefetch_related("memberships__unit")
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())
            self.initial.setdefault("site_types", list(SiteType.objects.values_list("pk", flat=True)))
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_sites_text(self):
        text = self.cleaned_data.get("sites_text", "")
        names = [line.strip() for line in text.splitlines() if line.strip()]
        sites, unknown, ambiguous = [], [], []
        for name in names:
            district, _, site_name = name.rpartition("/")
            matches = Site.objects.filter(name=site_name.strip(), is_active=True)
            if district:
                matches = matches.filter(district__name=district.strip())
            found = list(matches[:2])
            if not found:
                unknown.append(name)
            elif len(found) > 1:
                ambiguous.append(name)
            else:
                sites.append(found[0])
        errors = []
        if unknown:
            errors.append(f"找不到这些点位：{'、'.join(unknown)}")
        if ambiguous:
            errors.append(f"这些点位名称在多个区县都有，请写成“区县/点位名称”：{'、'.join(ambiguous)}")
        if errors:
            raise forms.ValidationError("；".join(errors) + "。")
        return sites


def standard_choices(site_type: SiteType | None = None):
    """Standards of the active framework; those that name the site type come first."""
    framework = Framework.active()
    if framework is None:
        return Indicator.objects.none()
    qs = Indicator.objects.filter(framework=framework, level=Indicator.Level.STANDARD)
    if site_type is None:
        return qs.order_by("path")
    fits = Indicator.site_types.through.objects.filter(indicator_id=OuterRef("pk"), sitetype_id=site_type.pk)
    return qs.annotate(fits=Exists(fits)).order_by("-fits", "path")


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class ChecklistItemForm(forms.Form):
    text = forms.CharField(label="检查内容", max_length=300,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    indicator = StandardChoiceField(label="测评标准", queryset=Indicator.objects.none(),
                                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    points = forms.DecimalField(label="分值", min_value=0.01, max_value=999, decimal_places=2, initial=1,
                                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}))

    def __init__(self, *args, standards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if standards is not None:
            self.fields["indicator"].queryset = standards


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, standards=None, **kwargs):
        self.standards = standards
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "序号"
        form.fields["ORDER"].widget.attrs.update({"class": "form-control form-control-sm", "min": 1})
        form.fields["DELETE"].label = "删除"
        form.fields["DELETE"].widget.attrs.update({"class": "form-check-input"})

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "standards": self.standards}

    def items(self) -> list[dict]:
        """Kept rows in the order given by 序号 (then by position)."""
        rows = []
        for position, form in enumerate(self.forms):
            blank_extra = position >= self.initial_form_count() and not form.has_changed()
            if blank_extra or self._should_delete_form(form) or not form.cleaned_data:
                continue
            order = form.cleaned_data.get("ORDER") or position + 1
            rows.append((order, position, {k: form.cleaned_data[k] for k in ("text", "indicator", "points")}))
        return [row for _o, _p, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def item_formset(extra: int = 3):
    """The checklist items formset with ``extra`` blank rows (序号 = ORDER, 删除 = DELETE)."""
    return forms.formset_factory(ChecklistItemForm, formset=BaseItemFormSet, extra=extra, can_order=True,
                                 can_delete=True)


class ChecklistForm(forms.Form):
    name = forms.CharField(label="检查表名称", max_length=100)
    note = forms.CharField(label="修订说明", max_length=200, required=False,
                           help_text="修订现行检查表时必填，例如：第 5 项分值由 1 分调为 2 分。")


class FindingFilterForm(forms.Form):
    state = forms.ChoiceField(label="交办情况", required=False, choices=[
        ("", "全部"), ("pending", "待交办"), ("raised", "已交办"), ("linked", "并入已有任务")],
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-autosubmit": ""}))
    round = forms.ModelChoiceField(label="轮次", required=False, queryset=InspectionRound.objects.none(),
                                   empty_label="全部轮次",
                                   widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-autosubmit": ""}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = InspectionRound.objects.visible_to(user)
