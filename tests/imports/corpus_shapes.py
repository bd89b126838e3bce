"""目标任务分解表 drawn the way offices really draw them, generated with openpyxl (no binary file is
kept in the repository). Every shape holds the same three standards and responsibilities
(``STANDARDS``), so each test can check the same database content after the import.

The names and time limits are the plain ones of tests.factories.reference_city: these shapes test
the reader (header bands, titles, notes, spacers, sheets, merges), not the understanding of names."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import openpyxl

# (测评类别, 测评项目, 测评内容, 标准编号, 测评标准, 测评方法, 牵头单位, 责任单位, 配合单位, 分管领导, 完成时限)
STANDARDS = [
    ("1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行秩序良好", "1.1.1.1", "机动车各行其道，主次干道无乱停乱放。",
     "实地考察", "市城管局", "东湖区、江北区", "湖滨街道", "陈建华", "3个工作日"),
    ("1 公共秩序", "1.1 交通秩序", "1.1.1 道路通行秩序良好", "1.1.1.2", "主要路口设置文明交通劝导岗。",
     "实地考察", "市城管局", "东湖区", "", "陈建华", "立即"),
    ("2 市容环境", "2.1 环境卫生", "2.1.1 背街小巷整洁", "2.1.1.1", "背街小巷路面无积存垃圾。",
     "实地考察", "市城管局", "江北区", "江北街道", "", "5个工作日"),
]
FIELDS = ("area", "item", "content", "code", "text", "methods", "lead", "responsible", "assisting", "leader", "time")
HEADERS = ("测评类别", "测评项目", "测评内容", "标准编号", "测评标准", "测评方法", "牵头单位", "责任单位", "配合单位",
           "分管领导", "完成时限")
TITLE = "江城市创建全国文明城市目标任务分解表（2026年度）"


@dataclass
class Shape:
    name: str
    filename: str
    data: bytes
    mapping: dict[str, str] | None = None  # the office's answers on the mapping page: header → field
    notes: tuple[str, ...] = ()  # what the preview must say about the shape


def save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def merge_down(ws, col: int, first: int, rows: list[tuple]) -> None:
    """Merge runs of equal values in ``col`` (1-based) starting at row ``first``, as offices merge categories."""
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][col - 1] != rows[start][col - 1]:
            if index - start > 1:
                ws.merge_cells(start_row=first + start, start_column=col, end_row=first + index - 1, end_column=col)
            start = index


def _write(ws, first_row: int, rows, offset: int = 0) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "" and value is not None:
                ws.cell(first_row + r, c + 1 + offset, value)


def title_notes_and_signatures() -> Shape:
    """A title merged across, a 填报单位 line and a blank row above the header; a 序号 column; the
    categories written only on their first row (blank below: 同上); 填表人/审核人/注 below the data."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws["A1"] = TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS) + 1)
    ws["A2"] = "填报单位：江城市创文办　　　填报日期：2026年3月10日"
    _write(ws, 4, [("序号", *HEADERS)])
    rows = []
    for n, row in enumerate(STANDARDS, start=1):
        blanked = list(row)
        if n > 1 and STANDARDS[n - 2][0] == row[0]:
            blanked[0:3] = ["", "", ""]
        rows.append((n, *blanked))
    _write(ws, 5, rows)
    ws.cell(9, 1, "填表人：张三")
    ws.cell(9, 6, "审核人：李四")
    ws.cell(10, 1, "联系电话：0710-12345678")
    ws.cell(11, 1, "注：1. 完成时限以市创文办通知为准；2. 多个单位用顿号分开。")
    ws.merge_cells("A11:L11")
    return Shape("title-notes-signatures", "目标任务分解表（2026年度）.xlsx", save(wb))


def two_row_band() -> Shape:
    """测评标准 merged over 编号/内容 and 责任分工 over 牵头单位/责任单位/配合单位; the other header
    cells merged down over both rows; categories merged down over their rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目标任务"
    top = ["序号", "测评类别", "测评项目", "测评内容", "测评标准", "", "测评方法", "责任分工", "", "", "分管领导", "完成时限"]
    sub = ["", "", "", "", "编号", "内容", "", "牵头单位", "责任单位", "配合单位", "", ""]
    _write(ws, 1, [top, sub])
    for col in (1, 2, 3, 4, 7, 11, 12):
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    ws.merge_cells("E1:F1")
    ws.merge_cells("H1:J1")
    rows = [(n, *row) for n, row in enumerate(STANDARDS, start=1)]
    _write(ws, 3, rows)
    for col in (2, 3, 4):
        merge_down(ws, col, 3, rows)
    return Shape("two-row-band", "分解表-两行表头.xlsx", save(wb))


def three_row_band_with_title() -> Shape:
    """A title, then three header rows: 测评体系 / 责任落实 over the groups, the groups over their
    sub-columns (测评标准 over 编号/内容, 责任分工 over the three units)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年度"
    ws["A1"] = TITLE
    ws.merge_cells("A1:K1")
    first = ["测评体系", "", "", "", "", "责任落实", "", "", "", "", ""]
    second = ["测评类别", "测评项目", "测评内容", "测评标准", "", "测评方法", "责任分工", "", "", "分管领导", "完成时限"]
    third = ["", "", "", "编号", "内容", "", "牵头单位", "责任单位", "配合单位", "", ""]
    _write(ws, 2, [first, second, third])
    ws.merge_cells("A2:E2")
    ws.merge_cells("F2:K2")
    for col in (1, 2, 3, 6, 10, 11):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("D3:E3")
    ws.merge_cells("G3:I3")
    _write(ws, 5, STANDARDS)
    for col in (1, 2, 3):
        merge_down(ws, col, 5, STANDARDS)
    return Shape("three-row-band", "分解表-三行表头.xlsx", save(wb))


def spacer_columns() -> Shape:
    """Blank spacer columns between the groups and a notes line between title and header; the
    standard's code written in front of its text (no 编号 column)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["B1"] = "说明：本表由各牵头单位于每月5日前报市创文办。"
    headers = ["测评类别", "测评项目", "测评内容", "", "测评标准", "测评方法", "", "牵头单位", "责任单位", "配合单位",
               "", "分管领导", "完成时限"]
    _write(ws, 3, [headers], offset=1)
    rows = []
    for row in STANDARDS:
        area, item, content, code, text, methods, lead, responsible, assisting, leader, limit = row
        rows.append([area, item, content, "", f"{code} {text}", methods, "", lead, responsible, assisting, "",
                     leader, limit])
    _write(ws, 4, rows, offset=1)
    return Shape("spacer-columns", "分解表-间隔列.xlsx", save(wb))


def sheet_per_area() -> Shape:
    """One sheet per 版块, each with its own title row and header; a 填写说明 sheet after them."""
    wb = openpyxl.Workbook()
    first = True
    for area in dict.fromkeys(row[0] for row in STANDARDS):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = area.split(" ", 1)[1]
        ws["A1"] = f"{area.split(' ', 1)[1]}版块目标任务分解"
        ws.merge_cells("A1:K1")
        _write(ws, 2, [HEADERS])
        rows = [row for row in STANDARDS if row[0] == area]
        _write(ws, 3, rows)
        merge_down(ws, 1, 3, rows)
    notes = wb.create_sheet("填写说明")
    notes["A1"] = "每个版块一张工作表，表头相同。"
    return Shape("sheet-per-area", "分解表-分版块.xlsx", save(wb))


UNUSUAL = ("测评类别", "测评项目", "测评内容", "编号", "标准条目", "考核方法", "承办单位", "责任单位", "协办科室",
           "分管领导", "办理时限要求")
UNUSUAL_ANSWERS = {"标准条目": "text", "考核方法": "methods", "承办单位": "lead", "协办科室": "assisting",
                   "办理时限要求": "time"}


def unusual_words() -> Shape:
    """A header in the office's own words: the reader is sure of some columns, guesses others
    (and guesses 承办单位 wrong: the office corrects it once on the mapping page)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws["A1"] = "创建工作任务清单"
    _write(ws, 2, [UNUSUAL])
    _write(ws, 3, STANDARDS)
    return Shape("unusual-words", "任务清单.xlsx", save(wb), mapping=UNUSUAL_ANSWERS)


MESSY_ANSWERS = {"责任分工/承办单位": "lead", "责任分工/协办科室": "assisting"}


def messy_office_sheet(old_lead_name: str = "") -> Shape:
    """Everything at once, as a clerk's sheet arrives: a title and a 填报单位 line, a two-row band
    whose 责任分工 group holds the office's own words (承办单位, 协办科室), 考核方法 and
    办理时限要求, categories merged down, signatures below. With ``old_lead_name`` the last
    standard's lead unit is written by a name the portal does not know yet (a former name)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年任务分解"
    ws["A1"] = TITLE
    ws.merge_cells("A1:M1")
    ws["A2"] = "填报单位：江城市创文办"
    top = ["序号", "测评类别", "测评项目", "测评内容", "测评标准", "", "考核方法", "责任分工", "", "", "分管领导",
           "办理时限要求"]
    sub = ["", "", "", "", "编号", "内容", "", "承办单位", "责任单位", "协办科室", "", ""]
    _write(ws, 3, [top, sub])
    for col in (1, 2, 3, 4, 7, 11, 12):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("E3:F3")
    ws.merge_cells("H3:J3")
    rows = [(n, *row) for n, row in enumerate(STANDARDS, start=1)]
    if old_lead_name:
        last = list(rows[-1])
        last[1 + FIELDS.index("lead")] = old_lead_name
        rows[-1] = tuple(last)
    _write(ws, 5, rows)
    for col in (2, 3, 4):
        merge_down(ws, col, 5, rows)
    ws.cell(9, 1, "填表人：王芳")
    ws.cell(9, 7, "审核人：周文明")
    return Shape("messy-office-sheet", "江城市目标任务分解表（各单位汇总）.xlsx", save(wb), mapping=MESSY_ANSWERS)


def gbk_csv() -> Shape:
    """The plain table saved as CSV by Chinese Excel/WPS: GBK, commas, a title line above."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerow(HEADERS)
    writer.writerows(STANDARDS)
    return Shape("gbk-csv", "分解表.csv", out.getvalue().encode("gbk"))


def all_shapes() -> list[Shape]:
    return [title_notes_and_signatures(), two_row_band(), three_row_band_with_title(), spacer_columns(),
            sheet_per_area(), unusual_words(), messy_office_sheet(), gbk_csv()]
