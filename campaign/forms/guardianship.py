"""The 包挂/包保 form: a leader or a unit, a community or a site, and the dates."""

from __future__ import annotations

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from campaign.forms.reference import UnitChoiceField, _helper, active_units
from campaign.models import Guardianship, OrgUnit, Role, Site, User


class GuardianshipForm(forms.Form):
    """A plain form: the row's rules (one guardian, one target, dates in order, no overlapping
    period) are ``guardianship_save``'s and shown on these fields by ``add_service_errors``."""

    FIELDS = ("leader", "unit", "community", "site", "start", "end", "note")

    leader = forms.ModelChoiceField(label="包挂领导", queryset=User.objects.none(), required=False,
                                    empty_label="（不是领导包挂）",
                                    help_text="领导包挂：该社区或点位的任务、红灯提醒进入领导的视野")
    unit = UnitChoiceField(label="包保单位", queryset=OrgUnit.objects.none(), required=False,
                           empty_label="（不是单位包保）",
                           help_text="单位包保点位：按“属地”分工的问题由该单位牵头")
    community = UnitChoiceField(label="包挂社区", queryset=OrgUnit.objects.none(), required=False,
                                empty_label="（不限社区）")
    site = forms.ModelChoiceField(label="包保点位", queryset=Site.objects.none(), required=False,
                                  empty_label="（不限点位）")
    start = forms.DateField(label="起始日期", initial=timezone.localdate,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="截止日期", required=False, help_text="留空表示长期有效",
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, instance: Guardianship | None = None, **kwargs):
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)
        keep = instance if instance is not None and instance.pk else None
        leaders = User.objects.filter(memberships__role=Role.LEADER, is_active=True)
        if keep and keep.leader_id:
            leaders = leaders | User.objects.filter(pk=keep.leader_id)
        self.fields["leader"].queryset = leaders.distinct().order_by("full_name", "username")
        units = active_units().exclude(kind__in=[OrgUnit.Kind.CITY, OrgUnit.Kind.OFFICE])
        communities = active_units().filter(kind=OrgUnit.Kind.COMMUNITY)
        if keep:
            units = (units | OrgUnit.objects.filter(pk=keep.unit_id)).distinct()
            communities = (communities | OrgUnit.objects.filter(pk=keep.community_id)).distinct()
        self.fields["unit"].queryset = units.select_related("parent").order_by("path")
        self.fields["community"].queryset = communities.select_related("parent").order_by("path")
        sites = Site.objects.filter(is_active=True)
        if keep and keep.site_id:
            sites = (sites | Site.objects.filter(pk=keep.site_id)).distinct()
        self.fields["site"].queryset = sites.select_related("district").order_by("district__path", "name")
        self.fields["site"].label_from_instance = lambda s: f"{s.name}（{s.district.name}）"
        self.helper = _helper("保存")
        self.helper.attrs = {"data-testid": "guardianship-form"}
        self.helper.layout = Layout(
            Row(Column("leader", css_class="col-md-6"), Column("unit", css_class="col-md-6")),
            Row(Column("community", css_class="col-md-6"), Column("site", css_class="col-md-6")),
            Row(Column("start", css_class="col-md-4"), Column("end", css_class="col-md-4"),
                Column("note", css_class="col-md-4")),
        )
