"""Forms of the 单位组 and 单位别名 pages (fields and layout; the rules are campaign.services.names')."""

from crispy_forms.layout import Column, Layout, Row
from django import forms

from campaign.forms.reference import UnitChoiceField, UnitMultipleChoiceField, _helper, active_units
from campaign.models import OrgUnit, UnitAlias, UnitGroup


class UnitGroupForm(forms.Form):
    FIELDS = ("name", "kind", "units", "note")

    name = forms.CharField(label="组名称", max_length=50, help_text="表格中的写法，如“各区人民政府”“各成员单位”")
    kind = forms.ChoiceField(label="包含此类型的全部单位", required=False,
                             choices=[("", "（不按类型）")] + list(OrgUnit.Kind.choices),
                             help_text="如“区/县”：以后新增的区也自动包含在内")
    units = UnitMultipleChoiceField(label="另外包含的单位", queryset=OrgUnit.objects.none(), required=False,
                                    widget=forms.SelectMultiple(attrs={"size": 12}))
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, instance: UnitGroup | None = None, **kwargs):
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {"name": instance.name, "kind": instance.kind, "note": instance.note,
                                          "units": list(instance.units.all())})
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = active_units()
        self.helper = _helper("保存")
        self.helper.attrs = {"data-testid": "unit-group-form"}
        self.helper.layout = Layout(Row(Column("name", css_class="col-md-6"), Column("kind", css_class="col-md-6")),
                                    "units", "note")


class UnitAliasForm(forms.Form):
    FIELDS = ("name", "unit", "note")

    name = forms.CharField(label="别名", max_length=100, help_text="如机构改革前的名称“市文化广电新闻出版局”")
    unit = UnitChoiceField(label="对应单位", queryset=OrgUnit.objects.none())
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, instance: UnitAlias | None = None, **kwargs):
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {"name": instance.name, "unit": instance.unit, "note": instance.note})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()
        self.helper = _helper("保存")
        self.helper.attrs = {"data-testid": "unit-alias-form"}
        self.helper.layout = Layout(Row(Column("name", css_class="col-md-6"), Column("unit", css_class="col-md-6")),
                                    "note")
