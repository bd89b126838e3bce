"""点位清单 and 测评体系 as cities keep them, through the import pages: coordinates in one 经纬度
column written four ways or in degrees-minutes-seconds, a 包保单位 per site; the 测评体系 alone
(no duties) goes into a new edition."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Framework, Indicator, Responsibility, Site

from .corpus_onboard import framework_only, sites_dms, sites_list
from .onboard_flow import confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_sites_with_coordinates_in_any_notation_and_their_guardian_units(client_for, office_clerk, city):
    client = client_for(office_clerk)
    token, preview = upload(client, "sites", sites_list())
    assert "检查通过" in preview and "新增 <strong>5</strong>" in preview
    assert "识别为：经度 114.312345，纬度 30.601234" in preview  # typed latitude first
    confirm(client, token)
    sites = {s.name: s for s in Site.objects.select_related("adopting_unit")}
    assert (sites["湖滨农贸市场"].longitude, sites["湖滨农贸市场"].latitude) == (Decimal("114.312345"), Decimal("30.601234"))
    assert (sites["江滩公园"].longitude, sites["江滩公园"].latitude) == (Decimal("114.305222"), Decimal("30.592778"))
    assert (sites["滨江路口"].longitude, sites["滨江路口"].latitude) == (Decimal("114.317000"), Decimal("30.600667"))
    assert sites["人民广场"].adopting_unit == city.bureau and sites["湖滨农贸市场"].adopting_unit == city.unit_a
    assert sites["火车站广场"].longitude is None

    token, preview = upload(client, "sites", sites_dms())
    assert "新增 <strong>3</strong>" in preview
    confirm(client, token)
    bus = Site.objects.get(name="东湖公交总站")
    assert (bus.longitude, bus.latitude) == (Decimal("114.305214"), Decimal("30.592781"))
    assert Site.objects.get(name="和平小区").adopting_unit == city.community_a

    token, twice = upload(client, "sites", sites_list())
    assert 'data-testid="nothing-changes"' in twice


def test_a_framework_kept_without_duties_goes_into_a_new_edition(client_for, office_clerk, city):
    client = client_for(office_clerk)
    response = client.post(reverse("imports:upload", args=["framework"]), {
        "file": SimpleUploadedFile("测评体系.xlsx", framework_only()), "target": "new", "name": "测评体系", "year": 2026})
    preview = client.get(response.url).content.decode()
    assert "检查通过" in preview and "测评标准 <strong>4</strong>" in preview
    confirm(client, response.url.rstrip("/").split("/")[-1])
    framework = Framework.objects.get(name="测评体系")
    assert framework.indicators.filter(level=4).count() == 4
    assert list(Indicator.objects.get(code="1.1.1.2").methods) == ["实地考察", "问卷调查"]
    assert not Responsibility.objects.exists()


