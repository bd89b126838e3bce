import pytest

from campaign.models import Framework, Indicator, Method, Responsibility


@pytest.fixture
def media(settings, tmp_path):
    """Evidence files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def framework(db):
    return make_framework()


def make_framework():
    """A tiny active edition: A2 → 2 → 2.3 → 2.3.1 (材料审核: 计划, 活动) and 2.3.2 (实地考察)."""
    fw = Framework.objects.create(name="测试测评体系", year=2026, is_active=True)
    area = Indicator.objects.create(framework=fw, level=1, code="A2", name="公共文明")
    item = Indicator.objects.create(framework=fw, parent=area, level=2, code="2", name="公共秩序")
    content = Indicator.objects.create(framework=fw, parent=item, level=3, code="2.3", name="文明交通")
    material = Indicator.objects.create(
        framework=fw, parent=content, level=4, code="2.3.1", name="文明交通宣传教育",
        text="开展文明交通宣传教育活动，有计划、有活动、有记录。", methods=[Method.MATERIAL],
        evidence_categories=["计划", "活动"],
    )
    field = Indicator.objects.create(
        framework=fw, parent=content, level=4, code="2.3.2", name="路口秩序良好", methods=[Method.FIELD],
    )
    fw.area, fw.material, fw.field = area, material, field
    return fw


@pytest.fixture
def duty_a(framework, city):
    """湖滨街道 leads 测评项目 2 (so 2.3.1 inherits it)."""
    return Responsibility.objects.create(indicator=framework.material.parent.parent, lead_unit=city.unit_a)
