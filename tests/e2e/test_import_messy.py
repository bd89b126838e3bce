"""An office clerk imports the city's own messy 目标任务分解表 in headless Chromium: upload → the
portal asks once which of the office's columns is which (prefilled with its guesses) → the clerk
corrects one guess → the preview asks about a unit written by its former name and the clerk
records it as an alias in one click → confirm; the alias and the column answers are remembered."""

import pytest
from playwright.sync_api import expect

from campaign.models import ColumnMapping, Framework, UnitAlias
from campaign.services.spreadsheets import XLSX_TYPE

from ..imports.corpus_shapes import messy_office_sheet
from ..imports.flow import assert_corpus_imported

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_office_maps_its_own_columns_once_and_imports_the_messy_sheet(login_page, office_clerk, leader, live_server,
                                                                        shot):
    shape = messy_office_sheet(old_lead_name="市城市管理行政执法局")
    page = login_page(office_clerk)
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#framework_file", files=[{"name": shape.filename, "mimeType": XLSX_TYPE,
                                                    "buffer": shape.data}])
    page.fill("#framework_name", "2026年版")
    page.fill("#framework_year", "2026")
    page.get_by_test_id("framework-upload").get_by_role("button", name="上传并预览").click()

    expect(page.get_by_test_id("mapping-intro")).to_contain_text("表格中有几列系统不能确定含义")
    expect(page.get_by_test_id("mapping-intro")).to_contain_text("表头在第 3–4 行")
    row = page.locator("tr[data-column='考核方法']")
    expect(row.locator("select")).to_have_value("methods")
    expect(row).to_contain_text("猜测，请核对")
    lead = page.locator("tr[data-column='责任分工/承办单位'] select")
    lead.select_option("lead")
    page.locator("tr[data-column='责任分工/协办科室'] select").select_option("assisting")
    shot(page, "mapping")
    page.get_by_test_id("confirm-mapping").click()

    expect(page.locator(".alert-success").first).to_contain_text("列的对应关系已保存")
    question = page.locator("[data-question]", has_text="市城市管理行政执法局")
    expect(question).to_contain_text("工作表“2026年任务分解”第7行「牵头单位」")
    pick = question.get_by_test_id("pick-alias")
    expect(pick).to_have_text("把『市城市管理行政执法局』记为『市城管局』的别名")
    shot(page, "question")
    pick.click()
    expect(page.get_by_test_id("import-questions")).to_have_count(0)
    expect(page.get_by_test_id("import-ok")).to_contain_text("新建测评体系版本“2026年版”")
    expect(page.get_by_test_id("mapping-note")).to_contain_text("已按上次确认的对应关系读取")
    expect(page.get_by_test_id("import-counts")).to_contain_text("测评标准 3")
    shot(page, "preview")
    page.get_by_test_id("confirm-import").click()
    expect(page.locator(".alert-success")).to_contain_text("导入成功")
    assert_corpus_imported()
    mapping = ColumnMapping.objects.get()
    assert mapping.fields["责任分工承办单位"] == "lead" and "责任分工/承办单位" in mapping.headers
    assert Framework.objects.count() == 1
    assert UnitAlias.objects.get(name="市城市管理行政执法局").unit.name == "市城市管理局"
