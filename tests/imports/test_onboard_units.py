"""单位通讯录 through the import pages: a city's own 通讯录 (title, group headings, 上级单位 merged
down, phones typed every way, notes below) goes in unedited; the same file again changes nothing;
an edited file updates in place and says what changes first; every problem is named."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from campaign.models import Event, OrgUnit
from campaign.services.spreadsheets import to_bytes

from .corpus_onboard import UNITS_EXPECTED_NEW, units_directory
from .onboard_flow import confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def units():
    return {u.name: u for u in OrgUnit.objects.select_related("parent")}


def test_a_city_directory_goes_in_unedited_and_twice_changes_nothing(client_for, office_clerk, city):
    client = client_for(office_clerk)
    token, preview = upload(client, "units", units_directory())

    assert "检查通过" in preview and "新增 <strong>6</strong>" in preview and "更新 <strong>4</strong>" in preview
    assert "办公电话：0710-3225100" in preview  # typed “(0710)3225100”
    assert "单位类型：社区/村（按名称推断）" in preview
    assert not OrgUnit.objects.filter(name__in=UNITS_EXPECTED_NEW).exists()

    done = confirm(client, token)
    assert done.status_code == 302 and done.url == reverse("imports:index")
    found = units()
    assert set(found) >= UNITS_EXPECTED_NEW
    assert found["滨江街道"].parent == city.east and found["滨江街道"].kind == OrgUnit.Kind.STREET
    assert found["新华社区"].parent == found["滨江街道"] and found["新华社区"].kind == OrgUnit.Kind.COMMUNITY
    assert found["新华社区"].contact_phone == "13800138006"
    assert found["东湖区文明办"].parent == city.east and found["东湖区文明办"].phone == "0710-3221010转8001"
    assert found["江城市文化广电和旅游局"].short_name == "市文旅局"
    assert found["市政务服务中心"].kind == OrgUnit.Kind.WINDOW
    assert found["市城市管理局"].pk == city.bureau.pk and found["市城市管理局"].contact_name == "赵强"
    assert Event.objects.get(verb="unit.import").summary.startswith("导入单位通讯录《名单.xlsx》：新增 6 个，更新 4 个")

    count = OrgUnit.objects.count()
    token, again = upload(client, "units", units_directory())
    assert 'data-testid="nothing-changes"' in again and "确认导入不会有任何变化" in again
    confirm(client, token)
    assert OrgUnit.objects.count() == count


def test_every_problem_names_row_column_and_cell(client_for, office_clerk, city):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["单位名称", "上级单位", "单位类型", "办公电话"])
    ws.append(["甲街道", "东湖去", "街道", "12345"])
    ws.append(["乙科室", "甲街道", "科室", None])
    ws.append(["丙办", "丁办", None, None])
    ws.append(["丁办", "丙办", None, None])
    client = client_for(office_clerk)
    before = OrgUnit.objects.count()
    token, preview = upload(client, "units", to_bytes(workbook))

    assert "工作表“Sheet”第2行 “上级单位”列“东湖去”：上级单位“东湖去”不存在，是否为“东湖区”？" in preview
    assert "工作表“Sheet”第2行 “办公电话”列“12345”：不是有效的电话号码" in preview
    assert "第3行 “单位类型”列“科室”：无法识别的单位类型" in preview
    assert "上级单位形成了循环" in preview
    assert "确认导入" not in preview
    response = confirm(client, token)
    assert response.status_code == 302 and OrgUnit.objects.count() == before


def test_an_edited_export_updates_in_place_and_shows_what_changes(client_for, office_clerk, city):
    client = client_for(office_clerk)
    response = client.get(reverse("imports:export_units"))
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    ws = workbook.active
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(rows["湖滨街道"], 5, "0710 3225100")
    ws.append(["湖东社区", None, "湖滨街道", None])

    token, preview = upload(client, "units", to_bytes(workbook))
    assert "新增 <strong>1</strong>" in preview and "更新 <strong>1</strong>" in preview
    assert "更新：办公电话" in preview
    confirm(client, token)
    city.unit_a.refresh_from_db()
    assert city.unit_a.phone == "0710-3225100"
    assert OrgUnit.objects.get(name="湖东社区").parent == city.unit_a
