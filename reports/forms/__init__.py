"""The 生成测评卷宗 form: validation only."""

from django import forms

from archives.models import CATEGORY_CHOICES
from campaign.models import Framework, Indicator, OrgUnit
from reports.selectors import may_bind_tasks
from reports.services.dossier.plan import dossier_title


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * (obj.level - 1)}{obj.code} {obj.name}（{obj.get_level_display()}）"


class DossierForm(forms.Form):
    indicator = IndicatorChoiceField(label="指标范围", queryset=Indicator.objects.none(), required=False,
                                     empty_label="全部指标（整个测评体系）",
                                     help_text="选择一个版块、项目、内容或标准，卷宗只收录其下的测评标准。")
    unit = forms.ModelChoiceField(label="单位范围", queryset=OrgUnit.objects.none(), required=False,
                                  empty_label="全市（所有单位）", help_text="选择单位时包含其下级单位的材料。")
    date_from = forms.DateField(label="材料日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    categories = forms.MultipleChoiceField(label="材料类别", choices=CATEGORY_CHOICES, required=False,
                                           widget=forms.CheckboxSelectMultiple, help_text="不选表示全部类别。")
    include_rectification = forms.BooleanField(label="附整改前后对比页（已销号任务）", required=False)
    skip_empty = forms.BooleanField(label="略去没有已审核材料的测评标准", required=False, initial=True,
                                    help_text="总目录中注明略去的项数；不勾选时，这些标准各装订一页空白提交表。")
    compiler = forms.CharField(label="编制单位", max_length=100)

    def __init__(self, *args, user, framework: Framework | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        if framework is not None:
            self.fields["indicator"].queryset = Indicator.objects.filter(framework=framework).order_by("path")
        if not may_bind_tasks(user):
            del self.fields["include_rectification"]
        # Inspectors and assessors see every unit's evidence, so they may bind any unit's dossier.
        units = OrgUnit.objects.all() if user.has_role("inspector", "assessor") else OrgUnit.objects.visible_to(user)
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")

    def clean(self):
        data = super().clean()
        if self.framework is None:
            raise forms.ValidationError("还没有启用的测评体系，请先在“基础数据”中导入并启用测评体系。")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "framework_id": self.framework.pk,
            "indicator_id": data["indicator"].pk if data["indicator"] else None,
            "unit_id": data["unit"].pk if data["unit"] else None,
            "date_from": data["date_from"].isoformat() if data["date_from"] else None,
            "date_to": data["date_to"].isoformat() if data["date_to"] else None,
            "categories": list(data["categories"]),
            "include_rectification": data.get("include_rectification", False),
            "skip_empty": data["skip_empty"],
            "compiler": data["compiler"].strip(),
        }

    def title(self) -> str:
        return dossier_title(self.cleaned_data["unit"], self.cleaned_data["indicator"])
