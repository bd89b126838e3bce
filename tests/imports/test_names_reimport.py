"""Re-importing a sheet into the active edition: the same sheet changes nothing; an edited one
updates in place, and the preview shows the differences before anything is written."""

from io import BytesIO

import openpyxl
import pytest

from campaign.models import Event, Framework, Indicator, Responsibility
from campaign.services.spreadsheets import to_bytes

from . import corpus_names as corpus
from .flow_names import confirm, preview, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client_for, office_clerk, settings, tmp_path, city, leader):
    settings.MEDIA_ROOT = tmp_path
    corpus.units_and_leaders(city)
    client = client_for(office_clerk)
    token = upload(client, corpus.group_names(), activate="on")
    assert "导入成功" in confirm(client, token)
    return client


def state():
    indicators = sorted(Indicator.objects.values_list("pk", "code", "name", "text"))
    duties = sorted(
        (r.pk, r.indicator.code, r.lead_unit_id, r.time_limit.name, sorted(u.pk for u in r.responsible_units.all()))
        for r in Responsibility.objects.select_related("indicator", "time_limit")
    )
    return indicators, duties


def test_the_same_sheet_again_changes_nothing(clerk):
    before, events = state(), Event.objects.count()
    token = upload(clerk, corpus.group_names(), target="update")
    page = preview(clerk, token)
    assert "没有任何变化，确认后不会修改数据" in page and "新增 0" in page and "修改 0" in page

    assert "没有变化，没有修改任何数据" in confirm(clerk, token)
    assert state() == before and Event.objects.count() == events and Framework.objects.count() == 1


def test_an_edited_sheet_updates_in_place_and_shows_the_changes_first(clerk, city):
    before = state()
    book = openpyxl.load_workbook(BytesIO(corpus.group_names()))
    ws = book.active
    ws["E2"] = "主次干道无乱停乱放，非机动车停放有序。"   # a standard's text
    ws["K3"] = "6月底前"                                  # a time limit
    ws.append([None, None, None, "1.1.2.2", "窗口工作人员文明用语。", "实地考察", "市城管局", "", "", "", "立即"])
    token = upload(clerk, to_bytes(book), target="update")
    page = preview(clerk, token)

    assert "新增 1 条、修改 2 条" in page
    assert "主次干道无乱停乱放。" in page and "5个工作日" in page and "2026-06-30" in page
    assert state() == before  # nothing written before confirm

    assert "新增 1 条，修改 2 条" in confirm(clerk, token)
    framework = Framework.objects.get()
    standard = framework.indicators.get(code="1.1.1.1")
    assert standard.pk == next(pk for pk, code, *_ in before[0] if code == "1.1.1.1")  # updated, not replaced
    assert standard.text == "主次干道无乱停乱放，非机动车停放有序。"
    changed = Responsibility.objects.get(indicator__code="1.1.1.2")
    assert (changed.time_limit.name, str(changed.deadline)) == ("指定日期", "2026-06-30")
    assert framework.indicators.filter(code="1.1.2.2").exists()
    assert {pk for pk, *_ in before[0]} <= set(Indicator.objects.values_list("pk", flat=True))


def test_updating_needs_an_active_edition(client_for, office_clerk, settings, tmp_path, city):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    response = client_for(office_clerk).post(reverse("imports:upload", args=["framework"]), {
        "file": SimpleUploadedFile("x.xlsx", corpus.group_names()), "target": "update"})
    assert response.status_code == 400
    assert "还没有启用的测评体系版本可以更新" in response.content.decode()
    assert not Framework.objects.exists()
