"""The hostile set (tests/imports/hostile.py): every awkward file gets a clear Chinese message and
nothing is written; what can be read safely (formula results, hidden rows) is read and said so."""

import time

import pytest

from campaign.models import Framework, Indicator
from campaign.services.spreadsheets import opening, parse_framework

from . import hostile
from .corpus_shapes import Shape
from .flow import assert_corpus_imported, import_through_ui, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pending_files(media):
    folder = media / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(("filename", "make", "message"), [
    ("分解表.xlsx", hostile.pdf_renamed, "文件不是有效的 Excel（.xlsx）文件"),
    ("分解表.xlsx", hostile.word_renamed, "文件不是有效的 Excel（.xlsx）文件"),
    ("分解表.xlsx", hostile.csv_renamed, "它是 CSV 文本文件，只是扩展名改成了 .xlsx"),
    ("分解表.xlsx", hostile.encrypted_xlsx, "文件设置了打开密码（已加密），系统无法读取"),
    ("分解表.xls", hostile.old_xls, "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”"),
    ("分解表.xlsx", hostile.header_merged_into_data, "表头的单元格「完成时限」（K1:K3）与下面的数据行合并在了一起"),
])
def test_an_unreadable_file_gets_a_clear_message_and_nothing_is_kept(
        client_for, office_clerk, private_media, filename, make, message):
    response = upload(client_for(office_clerk), filename, make())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert pending_files(private_media) == [] and not Framework.objects.exists()


def test_the_compound_files_are_real_ole_files():
    for data in (hostile.encrypted_xlsx(), hostile.old_xls()):
        assert data[:8] == hostile.OLE_SIGNATURE and len(data) % 512 == 0


def test_fifty_thousand_rows_are_refused_early_without_reading_them_all(
        client_for, office_clerk, private_media, monkeypatch):
    data = hostile.fifty_thousand_rows()
    read = []
    original = opening._row_values
    monkeypatch.setattr(opening, "_row_values", lambda *args: read.append(1) or original(*args))
    started = time.perf_counter()
    response = upload(client_for(office_clerk), "分解表.xlsx", data)
    assert time.perf_counter() - started < 15
    assert response.status_code == 400
    assert "数据行过多（超过 5000 行的上限），请分成几个文件分别上传" in response.content.decode()
    # Streamed and stopped at the limit: the other 45,000 rows were never read.
    assert len(read) <= 5000 + opening.ROW_ALLOWANCE + 2
    assert pending_files(private_media) == [] and not Framework.objects.exists()


def test_formula_results_saved_by_excel_are_read(client_for, office_clerk, leader):
    preview, done = import_through_ui(client_for(office_clerk), Shape("formulas", "分解表.xlsx",
                                                                      hostile.formulas_with_results()))
    assert "检查通过" in preview and "导入成功" in done.content.decode()
    assert_corpus_imported()


def test_error_values_and_formulas_without_results_are_named_cell_by_cell(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    response = upload(client, "分解表.xlsx", hostile.formulas_broken())
    preview = client.get(response.url).content.decode()
    for message in (
        "第3行 列「牵头单位」的单元格是公式错误 #REF!（引用的单元格已被删除），请在 Excel 中改正后再上传。",
        "第4行 列「完成时限」的单元格是公式错误 #DIV/0!（除数为零）",
        "第4行 列「责任单位」的单元格是没有计算结果的公式，请用 Excel 或 WPS 打开文件、保存一次后再上传。",
    ):
        assert message in preview, message
    assert "确认导入" not in preview
    confirm = client.post(response.url.replace("/preview/", "/preview/", 1) + "confirm/", follow=True)
    assert "没有导入任何数据" in confirm.content.decode()
    assert not Framework.objects.exists() and not Indicator.objects.exists()


def test_hidden_sheets_are_skipped_and_hidden_rows_read_but_flagged(client_for, office_clerk, leader):
    client = client_for(office_clerk)
    response = upload(client, "分解表.xlsx", hostile.hidden_rows_and_sheets())
    preview = client.get(response.url).content.decode()
    assert "已跳过隐藏的工作表「旧版（已作废）」" in preview
    assert "工作表「分解表」第 3 行在 Excel 中是隐藏行，已照常读取，请核对。" in preview
    assert preview.count(">隐藏行</span>") == 1
    client.post(response.url + "confirm/")
    assert_corpus_imported()
    assert not Indicator.objects.filter(code__startswith="9").exists()


def test_a_gbk_csv_reads_like_the_workbook(city):
    from .corpus_shapes import gbk_csv

    parsed = parse_framework(gbk_csv().data, filename="分解表.csv")
    assert parsed.table.sheet == "分解表" and parsed.table.header_row == 2 and len(parsed.rows) == 3
