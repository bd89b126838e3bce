"""Forms of the tasks app: parsing and widgets only. The lifecycle rules (who may, what is required)
live in ``tasks.models.lifecycle`` and come back from the service as ``TransitionError``."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from campaign.models import Indicator, OrgUnit, Role, Site, TimeLimit, User
from campaign.views.params import parse_id
from tasks.models import (
    NEW_UNIT_INPUT,
    PHOTO_INPUT,
    PROPOSED_DATE_INPUT,
    REVIEW_DATE_INPUT,
    Priority,
    Source,
    Transition,
)

SITE_OPTION_LIMIT = 50
PHOTO_LABELS = {"verify": "核查照片（现场复核时拍摄）"}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (photos). Returns a list, empty when none were chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def unit_choices(user=None):
    """Units a task can be handed to: every active unit but the office itself; for a district
    office (区创文办) the units of its own district only."""
    units = OrgUnit.objects.filter(is_active=True).exclude(kind=OrgUnit.Kind.OFFICE).order_by("path")
    if user is not None and not user.is_office and user.district_office_paths:
        units = units.subtree_of(*user.district_office_paths)
    return units


def leader_choices():
    return User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct().order_by("full_name")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class TaskCreateForm(forms.Form):
    """新建交办. The routing part (lead unit … due date) is proposed by ``responsibility_for``
    through an htmx request and stays editable; an empty due date means "from the time limit".
    The rules (a 指定日期 limit needs a date; the lead unit is never also an assisting one) are
    ``task_create``'s; the view shows its refusal on these fields (``add_service_errors``)."""

    title = forms.CharField(label="问题标题", max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "如：人民广场东侧垃圾桶满溢"}))
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label="问题来源", choices=Source.choices, initial=Source.SUPERVISION)
    indicator = StandardChoiceField(label="测评标准", queryset=Indicator.objects.none(),
                                    empty_label="请选择测评标准")
    site = forms.ModelChoiceField(label="点位", required=False, queryset=Site.objects.filter(is_active=True),
                                  empty_label="不指定点位（材料类问题）")
    lead_unit = UnitChoiceField(label="牵头单位", queryset=OrgUnit.objects.none(), empty_label="请选择牵头单位")
    assisting_units = UnitMultipleChoiceField(label="配合单位", required=False, queryset=OrgUnit.objects.none(),
                                              widget=forms.SelectMultiple(attrs={"size": 5}))
    leader = forms.ModelChoiceField(label="分管领导", required=False, queryset=User.objects.none(),
                                    empty_label="（不指定）")
    time_limit = forms.ModelChoiceField(label="整改时限", queryset=TimeLimit.objects.all(), empty_label=None)
    due_date = forms.DateField(label="整改期限", required=False, widget=DateInput(),
                               help_text="留空则按整改时限以工作日自动计算；填写则以此日期为准。")
    priority = forms.TypedChoiceField(label="紧急程度", choices=Priority.choices, coerce=int, initial=Priority.NORMAL)
    before_photos = MultipleFileField(label="问题照片（整改前）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.active().standards().order_by("path")
        for name in ("indicator", "site"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["lead_unit"].queryset = unit_choices(user)
        self.fields["assisting_units"].queryset = unit_choices(user)
        self.fields["leader"].queryset = leader_choices()
        self._limit_site_options()

    def _limit_site_options(self):
        """A city has thousands of sites: render only the chosen one and a first handful; the
        search box above the select fetches more (``tasks:site_options``). Validation still
        accepts any active site."""
        chosen = self.data.get("site") if self.is_bound else self.initial.get("site")
        chosen = getattr(chosen, "pk", chosen)
        first = list(Site.objects.filter(is_active=True).select_related("district").order_by("name")[:SITE_OPTION_LIMIT])
        chosen = parse_id(str(chosen or ""))
        if chosen and all(s.pk != chosen for s in first):
            first = list(Site.objects.filter(pk=chosen).select_related("district")) + first
        self.fields["site"].widget.choices = [("", "不指定点位（材料类问题）")] + [(s.pk, site_label(s)) for s in first]


def site_label(site: Site) -> str:
    return f"{site.name}（{site.district.name}）" if site.district_id else site.name


def site_search(query: str):
    sites = Site.objects.filter(is_active=True).select_related("district")
    if query:
        sites = sites.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return sites.order_by("name")[:SITE_OPTION_LIMIT]


class ActionForm(forms.Form):
    """The inputs of one lifecycle action, built from its ``Transition``. Fields are optional here:
    the model says what is missing, in one place, with its own message."""

    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, transition: Transition, task, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        note = self.fields["note"]
        note.label = transition.note_label
        if transition.needs_note:
            note.widget.attrs["required"] = True
        else:
            note.label += "（选填）"
        if PROPOSED_DATE_INPUT in transition.requires:
            self.fields["proposed_date"] = forms.DateField(
                label="申请延至", required=False, widget=DateInput(attrs={"required": True}),
                help_text=f"现整改期限 {task.due_date:%Y-%m-%d}，须晚于此日期。")
        if REVIEW_DATE_INPUT in transition.requires:
            self.fields["review_date"] = forms.DateField(label="复核日期", required=False,
                                                         widget=DateInput(attrs={"required": True}))
        if NEW_UNIT_INPUT in transition.requires:
            self.fields["new_unit"] = UnitChoiceField(label="改派给", required=False, empty_label="请选择新的牵头单位",
                                                      queryset=unit_choices(user).exclude(pk=task.lead_unit_id))
        if transition.accepts_photos:
            self.fields["photos"] = MultipleFileField(label=PHOTO_LABELS.get(transition.photo_kind, "照片"))
            self.photos_required = PHOTO_INPUT in transition.requires

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "note": data.get("note", ""),
            "proposed_date": data.get("proposed_date"),
            "review_date": data.get("review_date"),
            "new_unit": data.get("new_unit"),
            "files": data.get("photos", []),
        }
