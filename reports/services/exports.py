"""Spreadsheets (.xlsx) of the dashboard's tables: KPI figures, the full unit ranking (红黑榜),
the red and yellow lists and the score rates by site type, one sheet each."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaign.services.spreadsheets import append_row

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _rate(value) -> float | str:
    return float(value) if value is not None else "—"


def _sheet(book, title: str, caption: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = book.create_sheet(title)
    append_row(sheet, [caption])[0].font = Font(bold=True, size=13)
    for cell in append_row(sheet, header):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_row(sheet, row)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None and url else url


def _cards(book, ctx, request):
    rows = [[c.label, c.value, c.note, _absolute(request, c.url)] for c in [*ctx["count_cards"], *ctx["rate_cards"]]]
    caption = f"{ctx['scope'].label} 主要指标（数据截至 {ctx['as_of'] or '—'}）"
    _sheet(book, "主要指标", caption, ["指标", "数值", "变化", "任务清单链接"], rows, [20, 12, 30, 60])


def _ranking(book, ctx):
    rows = [[r.rank, r.row.scope_name, r.row.handed_over, r.row.to_rectify, r.row.rectified,
             _rate(r.row.rectification_rate), r.row.open, r.row.red, r.row.yellow, _rate(r.row.close_on_time_rate),
             _rate(r.row.first_pass_rate), r.row.rebounds] for r in ctx["ranking"]]
    header = ["名次", "单位", "累计交办", "应整改", "已整改", "整改率(%)", "在办", "红灯", "黄灯", "按期销号率(%)",
              "一次核查通过率(%)", "反弹"]
    _sheet(book, "单位排名", f"{ctx['scope'].label} 单位整改排名（红黑榜）", header, rows,
           [6, 26, 10, 10, 10, 10, 8, 8, 8, 14, 16, 8])


def _lists(book, ctx):
    for key, title in (("red", "红灯清单"), ("yellow", "黄灯清单")):
        rows = [[t.number, t.title, t.lead_unit.name, t.site.name if t.site else "", t.due_date.isoformat(),
                 getattr(t, "deadline", ""), t.get_state_display()] for t in ctx["lists"][key]]
        _sheet(book, title, f"{ctx['scope'].label} {title}（按期限排序，前 {len(rows)} 件）",
               ["编号", "问题", "牵头单位", "点位", "整改期限", "期限情况", "状态"], rows, [16, 40, 20, 20, 12, 16, 10])


def _scores(book, ctx):
    rows = [[s.name, float(s.met), float(s.applicable), _rate(s.rate)] for s in ctx["score_types"]]
    _sheet(book, "点位类型得分率", f"{ctx['scope'].label} 分点位类型得分率（{ctx['score_round'] or '暂无测评'}）",
           ["点位类型", "得分", "应得分", "得分率(%)"], rows, [20, 10, 10, 12])


def dashboard_xlsx(ctx: dict, *, request=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _cards(book, ctx, request)
    _ranking(book, ctx)
    _lists(book, ctx)
    _scores(book, ctx)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
