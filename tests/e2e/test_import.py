"""The office imports its 目标任务分解表 in headless Chromium: a file with an error is previewed with
the error highlighted, the fixed file passes, and confirming creates the new edition."""

from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import expect

from campaign.models import Event, Framework
from campaign.services.spreadsheets import XLSX_TYPE, to_bytes

from ..campaign.test_import_framework import build_tree, exported, snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def xlsx(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": XLSX_TYPE, "buffer": data}


def test_office_previews_errors_fixes_the_file_and_imports(login_page, office_clerk, city, leader, live_server, shot):
    current = build_tree(city, leader)
    good, expected = exported(current), snapshot(current)
    workbook = openpyxl.load_workbook(BytesIO(good))
    workbook.active["F3"] = "现场看"
    bad = to_bytes(workbook)

    page = login_page(office_clerk)
    page.goto(f"{live_server.url}/imports/")
    expect(page.get_by_test_id("sidenav")).to_contain_text("数据导入导出")
    page.set_input_files("#framework_file", files=[xlsx("目标任务分解表.xlsx", bad)])
    page.fill("#framework_name", "2027年版测评体系")
    page.fill("#framework_year", "2027")
    shot(page, "upload")
    page.get_by_test_id("framework-upload").get_by_role("button", name="上传并预览").click()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("发现 1 处问题")
    expect(errors).to_contain_text("第3行 测评方法“现场看”无法识别")
    expect(page.locator("tr.table-danger[data-row='3']")).to_contain_text("测评方法“现场看”无法识别")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    shot(page, "preview-errors")

    page.set_input_files("#framework_file", files=[xlsx("目标任务分解表（改）.xlsx", good)])
    expect(page.locator("#framework_name")).to_have_value("2027年版测评体系")
    page.get_by_test_id("framework-upload").get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-ok")).to_contain_text("新建测评体系版本“2027年版测评体系”")
    expect(page.get_by_test_id("import-counts")).to_contain_text("测评标准 7")
    shot(page, "preview-ok")

    page.get_by_test_id("confirm-import").click()
    expect(page.locator(".alert-success")).to_contain_text("导入成功")
    expect(page.get_by_test_id("timeline")).to_contain_text("导入目标任务分解表《目标任务分解表（改）.xlsx》")
    shot(page, "done")
    imported = Framework.objects.get(name="2027年版测评体系")
    assert snapshot(imported) == expected
    assert Event.objects.filter(verb="framework.import").count() == 1
