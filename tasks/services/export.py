"""The 整改台账 spreadsheet: the filtered task list in the columns offices keep by hand."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from campaign.services.spreadsheets import cell_for
from tasks.models import Light
from tasks.models.names import former_names, unit_name

COLUMNS = [
    ("序号", 6), ("编号", 16), ("问题描述", 46), ("测评标准", 28), ("点位", 20), ("牵头单位", 16), ("配合单位", 20),
    ("分管领导", 10), ("交办日期", 12), ("整改期限", 12), ("状态", 10), ("亮灯", 8), ("销号日期", 12), ("整改情况", 40),
]
LIGHT_NAMES = {Light.GREEN: "绿", Light.YELLOW: "黄", Light.RED: "红", Light.NONE: ""}


def ledger_row(index: int, task, names=None) -> list:
    """One ledger line; a closed task names its units as they were called when it closed
    (``names``: the rows' rename history, read once per sheet)."""
    names = names if names is not None else former_names([task])
    description = task.title + (f"：{task.description}" if task.description else "")
    note = task.work_note or ""
    return [
        index,
        task.number,
        description,
        f"{task.indicator.code} {task.indicator.name}",
        task.site.name if task.site_id else "",
        unit_name(task, task.lead_unit, names),
        "、".join(unit_name(task, u, names) for u in task.assisting_units.all()),
        str(task.leader) if task.leader_id else "",
        timezone.localtime(task.assigned_at).date(),
        timezone.localtime(task.due_at).replace(tzinfo=None) if task.due_at else task.due_date,
        task.get_state_display(),
        LIGHT_NAMES.get(task.light_code, ""),
        timezone.localtime(task.closed_at).date() if task.closed_at else None,
        note,
    ]


def ledger_workbook(tasks: Iterable, *, today: date, user) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改台账")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C3"
    title = f"{settings.CITY_NAME}创建全国文明城市问题整改台账（{today:%Y年%m月%d日}导出，导出人：{user}）"
    ws.append([_cell(ws, title, bold=True, size=13)])
    ws.append([_cell(ws, name, bold=True) for name, _ in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    names = former_names()
    for index, task in enumerate(tasks, start=1):
        row = []
        for value in ledger_row(index, task, names):
            cell = _cell(ws, value)
            cell.alignment = wrap
            if isinstance(value, datetime):  # an hour deadline, with its time of day
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        ws.append(row)
    return wb


def ledger_response(tasks: Iterable, *, today: date, user) -> FileResponse:
    wb = ledger_workbook(tasks, today=today, user=user)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    wb.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"整改台账-{today:%Y%m%d}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _cell(ws, value, *, bold=False, size=None):
    cell = cell_for(ws, value)
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    return cell
