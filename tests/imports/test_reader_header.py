"""The header band on its own (no database): where the reader finds it and what each column means."""

import openpyxl

from campaign.services.spreadsheets.framework_sheet import COLUMNS, WHAT
from campaign.services.spreadsheets.header import is_footer
from campaign.services.spreadsheets.reading import read_table

from .corpus_shapes import STANDARDS


def test_a_standard_column_under_a_merged_group_is_found():
    """The shape that once stopped at “缺少必需的列：测评标准”: the row-2 header says 测评标准 under
    a group cell merged across row 1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["测评体系", None, None, None, None, "责任分工", None, None, None, None, None])
    ws.append(["测评类别", "测评项目", "测评内容", "标准编号", "测评标准", "测评方法", "牵头单位", "责任单位", "配合单位",
               "分管领导", "完成时限"])
    ws.merge_cells("A1:E1")
    ws.merge_cells("F1:K1")
    for row in STANDARDS:
        ws.append(row)
    table = read_table(wb, COLUMNS, WHAT)
    assert table.columns["text"] == 4 and table.columns["lead"] == 6
    assert table.header_row == 2 and [r.number for r in table.rows] == [3, 4, 5]
    assert table.rows[0].text("text") == STANDARDS[0][4]


def test_rows_carry_their_sheet_and_the_cell_is_named_in_the_sheets_words():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公共秩序"
    ws.append(["测评类别", "测评项目", "测评内容", "测评标准", "主责单位"])
    ws.append(STANDARDS[0][:3] + (STANDARDS[0][4], "市城管局"))
    table = read_table(wb, COLUMNS, WHAT)
    row = table.rows[0]
    assert row.sheet == "公共秩序" and row.text("lead") == "市城管局"
    assert table.where(row, "lead") == "工作表「公共秩序」第2行 列「主责单位」"


def test_signature_and_note_lines_end_the_table_but_a_standard_starting_alike_does_not():
    for line in ("填表人：张三", "审核人：李四", "注：1. 本表由各单位填写。", "联系电话：0710-12345678", "填报日期 2026年3月"):
        assert is_footer([None, line]), line
    assert not is_footer(["负责人制度健全，明确专人负责未成年人思想道德建设工作，并定期开展专题活动。"])
    assert not is_footer([1, "1 公共秩序", "填表人"])
