"""批量交办 reads its sheet with the shared reader: the same titles, notes, signatures, CSV files,
error cells and column words as the reference-data imports, and the same suggestions."""

import csv
import io

import openpyxl
import pytest

from campaign.services.spreadsheets import SheetError
from tasks.services import bulk

from .corpus_shapes import save
from .hostile import _replace_cells

ROW = ["湖滨路共享单车乱停放", "早高峰人行道被占", "1.2.3", "湖滨路", "东湖区", "督查", "", "", "", "", "", ""]


def test_a_handover_sheet_under_a_title_with_signatures_below_reads_its_rows_only():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "东湖区第一季度暗访问题交办清单"
    ws.merge_cells("A1:M1")
    ws.append(["序号", *bulk.HEADERS])
    ws.append([1, *ROW])
    ws.append([2, "江北菜市场占道经营", "", "1.2.3", "", "", "暗访"])
    ws.append(["填表人：周文明"])
    rows = bulk.read_rows(save(wb))
    assert [(r["row"], r["title"], r["source"]) for r in rows] == [
        (3, "湖滨路共享单车乱停放", "督查"), (4, "江北菜市场占道经营", "暗访")]
    assert rows[0]["sheet"] == "Sheet" and rows[0]["problems"] == []


def test_a_gbk_csv_handover_sheet_is_read():
    out = io.StringIO()
    csv.writer(out).writerows([bulk.HEADERS, ROW])
    rows = bulk.read_rows(out.getvalue().encode("gbk"), filename="交办.csv")
    assert rows[0]["title"] == "湖滨路共享单车乱停放" and rows[0]["district"] == "东湖区"


def test_an_error_cell_becomes_a_row_problem():
    wb = openpyxl.Workbook()
    wb.active.append(bulk.HEADERS)
    wb.active.append(ROW)
    data = _replace_cells(save(wb), {"C2": '<c r="C2" t="e"><f>#REF!</f><v>#REF!</v></c>'})
    rows = bulk.read_rows(data)
    assert rows[0]["problems"] == ["列「测评标准编号」的单元格是公式错误 #REF!（引用的单元格已被删除），请在 Excel 中改正后再上传。"]


def test_a_missing_column_names_the_likely_candidate():
    wb = openpyxl.Workbook()
    wb.active.append(["问题标题", "标准编码", "问题来源"])
    wb.active.append(["湖滨路共享单车乱停放", "1.2.3", "督查"])
    with pytest.raises(SheetError) as refused:
        bulk.read_rows(save(wb))
    assert "表头缺少必需的列：测评标准编号" in str(refused.value)
    assert "「标准编码」可能是“测评标准编号”" in str(refused.value)


def test_suggestions_come_from_the_shared_lookup():
    assert bulk._suggest("湖滨街到", ["湖滨街道", "江北街道", "市城管局"]) == "您是不是要找：湖滨街道？"
