"""The round report as an .xlsx workbook (one sheet per table, same figures as the page)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaign.services.spreadsheets import append_row
from inspections.selectors import RoundReport

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
NOTE = ("得分率 = 符合项分值 ÷（符合 + 不符合项分值）；“不适用”项既不计入得分也不计入应得分；"
        "得分率保留一位小数，显示相同者并列同一名次。")


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title[:31])
    for cell in append_row(ws, header):
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        append_row(ws, row)
    for index, name in enumerate(header, start=1):
        width = max([len(str(name)) * 2] + [len(str(r[index - 1] or "")) * 2 for r in rows[:200]] + [8])
        ws.column_dimensions[get_column_letter(index)].width = min(width, 60)
    ws.freeze_panes = "A2"


def _num(value):
    return float(value) if value is not None else None


def _summary(wb: Workbook, report: RoundReport) -> None:
    summary = wb.active
    summary.title = "总体情况"
    inspection_round, total = report.round, report.overall
    append_row(summary, ["轮次", inspection_round.name])
    append_row(summary, ["类型", inspection_round.kind])
    append_row(summary, ["日期", f"{inspection_round.start_date:%Y-%m-%d} 至 {inspection_round.end_date:%Y-%m-%d}"])
    append_row(summary, ["检查点位数", total.n_visits])
    append_row(summary, ["得分", _num(total.met)])
    append_row(summary, ["应得分", _num(total.applicable)])
    append_row(summary, ["得分率（%）", _num(total.rate)])
    append_row(summary, ["不符合项", total.n_failed])
    append_row(summary, ["不适用项", total.n_na])
    if report.previous is not None:
        append_row(summary, ["上一轮", report.previous.name])
        append_row(summary, ["上一轮得分率（%）", _num(report.previous_overall.rate)])
        append_row(summary, ["变化（百分点）", _num(report.change)])
    append_row(summary, ["说明", NOTE])
    summary.column_dimensions["A"].width = 20
    summary.column_dimensions["B"].width = 60


def report_workbook(report: RoundReport) -> bytes:
    wb = Workbook()
    _summary(wb, report)
    header = ["名次", "名称", "检查点位数", "得分", "应得分", "得分率（%）", "不符合项", "不适用项"]
    for dimension, label, rows in report.tables:
        with_previous = dimension != "site" and report.previous is not None
        cols = header[:2] + (["点位类型"] if dimension == "site" else []) + header[2:]
        cols += ["上一轮得分率（%）", "变化（百分点）"] if with_previous else []
        data = []
        for r in rows:
            line = [r.rank, r.label] + ([r.sub] if dimension == "site" else [])
            line += [r.n_visits, _num(r.met), _num(r.applicable), _num(r.rate), r.n_failed, r.n_na]
            line += [_num(r.previous), _num(r.change)] if with_previous else []
            data.append(line)
        _sheet(wb, label, cols, data)
    ranking = [["红榜", i, r.label, _num(r.rate)] for i, r in enumerate(report.red, start=1)]
    ranking += [["黑榜", i, r.label, _num(r.rate)] for i, r in enumerate(report.black, start=1)]
    _sheet(wb, "红黑榜", ["榜单", "序号", "包保单位", "得分率（%）"], ranking)
    if report.recheck:
        _sheet(wb, "回头看结果", ["牵头单位", "复查数", "整改到位", "反弹", "巩固率（%）"],
               [[r["unit"], r["n"], r["confirmed"], r["rebound"], _num(r["kept_rate"])] for r in report.recheck])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
