"""Opening an uploaded workbook safely and finding its table: the header row may sit under a
title, header names vary, a header may be split over two rows, and cells merged down a column
stand for the same value on every row they cover."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

import openpyxl

from campaign.services.spreadsheets.text import cell_text, key

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 80 * 1024 * 1024
MAX_DATA_ROWS = 5000
# Beyond these a sheet is not a table someone filled in (the widest template has ~20 columns).
MAX_SHEET_ROWS = 2 * MAX_DATA_ROWS
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 20
NOTES_SHEET = "填写说明"


class SheetError(Exception):
    """The file as a whole cannot be read; the message is shown to the user as is."""


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self) -> set[str]:
        return {header_key(name) for name in (self.label, *self.synonyms)}


@dataclass
class Row:
    number: int
    raw: dict[str, object]

    def text(self, name: str) -> str:
        return cell_text(self.raw.get(name))

    def is_empty(self) -> bool:
        return not any(self.text(name) for name in self.raw)


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]
    labels: dict[str, str]
    rows: list[Row]
    ignored: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.columns


def header_key(text: str) -> str:
    """A header compared without blanks, width, case, required-field marks or a trailing
    explanation in brackets: "测评类别（版块）*" → "测评类别"."""
    k = key(text).replace("*", "").replace("※", "").rstrip(":")
    return re.sub(r"\([^)]*\)$", "", k) or k


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def open_workbook(data: bytes):
    """The workbook in ``data``, or a SheetError saying in plain Chinese what is wrong with the file."""
    if not data:
        raise SheetError("上传的文件是空的，请选择填写好的 Excel（.xlsx）文件。")
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件过大（{human_size(len(data))}），上限为 {human_size(MAX_BYTES)}。请删除无关的工作表或图片后再上传。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError("这是旧版 Excel（.xls）或加密的文件，请在 Excel 中“另存为”“Excel 工作簿（*.xlsx）”后再上传。")
    buffer = BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise SheetError("文件不是有效的 Excel（.xlsx）文件，请下载模板填写后上传（不支持 .xls、.csv、.wps 等格式）。")
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SheetError("文件已损坏，无法读取，请重新保存后上传。") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SheetError("文件不是有效的 Excel（.xlsx）文件，请下载模板填写后上传（不支持 .xls、.csv、.wps 等格式）。")
    if unpacked > MAX_UNZIPPED_BYTES:
        raise SheetError("文件解压后过大，无法处理。请只保留需要导入的工作表后再上传。")
    try:
        return openpyxl.load_workbook(BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on malformed parts
        raise SheetError("无法读取该 Excel 文件（文件可能已损坏或被加密），请用 Excel 打开后重新保存为 .xlsx 再上传。") from exc


def sheet_grid(ws, max_rows: int = MAX_DATA_ROWS) -> list[list[object]]:
    """All cell values of a sheet, with every merged range filled with its top-left value.

    The grid stops at the last row and column that hold a value: a 5 KB file with one value at
    XFD1048576 would otherwise make a grid of 17 billion cells and hold a web process for ever."""
    rows, cols, filled = _used_extent(ws)
    if rows > max_rows + HEADER_SEARCH_ROWS + 2 and filled > max_rows:
        raise SheetError(f"数据行过多（超过 {max_rows} 行），请分成几个文件分别上传。")
    if rows > max(MAX_SHEET_ROWS, 2 * max_rows) or cols > MAX_COLUMNS:
        raise SheetError(f"表格内容延伸到第 {rows} 行、第 {cols} 列，超出可处理的范围。"
                         "请删除表格下方或右侧多余的内容后再上传。")
    if not rows:
        return []
    grid = [list(row) for row in ws.iter_rows(min_row=1, max_row=rows, min_col=1, max_col=cols, values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            row = grid[r - 1]
            for c in range(merged.min_col, min(merged.max_col, len(row)) + 1):
                row[c - 1] = value
    return grid


def _used_extent(ws) -> tuple[int, int, int]:
    """The last row and column holding a value, and how many rows hold one. Read from the cells
    the file really contains (openpyxl keeps them in ``_cells``), never from the sheet's stated size."""
    rows = cols = 0
    filled = set()
    for (row, col), cell in ws._cells.items():
        if cell_text(cell.value):
            rows, cols = max(rows, row), max(cols, col)
            filled.add(row)
    return rows, cols, len(filled)


def read_table(workbook, columns: list[Column], what: str, *, max_rows: int = MAX_DATA_ROWS) -> Table:
    """Find the sheet and header row that best match ``columns`` and return its data rows
    (``what`` names the table in the messages; ``max_rows`` caps the data rows)."""
    best = None
    for ws in workbook.worksheets:
        if ws.title.strip() == NOTES_SHEET:
            continue
        grid = sheet_grid(ws, max_rows)
        found = _find_header(grid, columns)
        if found and (best is None or len(found[1]) > len(best[2])):
            best = (ws.title, grid, found[1], found[0], found[2], found[3])
    if best is None:
        required = "、".join(f"“{c.label}”" for c in columns if c.required)
        raise SheetError(f"没有找到表头：请确认{what}中有 {required} 等列名（可下载模板对照）。")
    title, grid, mapping, header_row, data_start, ignored = best
    missing = [c.label for c in columns if c.required and c.field not in mapping]
    if missing:
        raise SheetError(
            f"第 {header_row} 行表头缺少必需的列：{'、'.join(missing)}。请补上这些列（列名可参照模板）后再上传。"
        )
    rows = []
    for index in range(data_start, len(grid)):
        values = grid[index]
        raw = {name: (values[col] if col < len(values) else None) for name, col in mapping.items()}
        row = Row(number=index + 1, raw=raw)
        if not row.is_empty():
            rows.append(row)
    if not rows:
        raise SheetError(f"表格只有表头，没有数据行。请在第 {header_row} 行表头下面逐行填写{what}的内容后再上传。")
    if len(rows) > max_rows:
        raise SheetError(f"数据行过多（{len(rows)} 行，上限 {max_rows} 行），请分成几个文件分别上传。")
    labels = {name: cell_text(grid[header_row - 1][col]) for name, col in mapping.items()}
    return Table(title, header_row, mapping, labels, rows, ignored)


def _find_header(grid, columns):
    """(header row number, {field: column index}, first data row index, ignored labels) or None."""
    lookup = {}
    for column in columns:
        for k in column.header_keys():
            lookup.setdefault(k, column.field)
    best = None
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        mapping, ignored = _map_headers([cell_text(v) for v in values], lookup)
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping, ignored)
    if best is None:
        return None
    index, mapping, ignored = best
    if index + 1 < len(grid):
        combined = _sub_header(grid[index], grid[index + 1], lookup)
        if combined is not None and len(combined[0]) >= len(mapping):
            return index + 1, combined[0], index + 2, combined[1]
    return index + 1, mapping, index + 1, ignored


def _map_headers(texts: list[str], lookup: dict[str, str]):
    mapping, ignored = {}, []
    for col, text in enumerate(texts):
        if not text:
            continue
        name = lookup.get(header_key(text))
        if name is None or name in mapping:
            ignored.append(text)
            continue
        mapping[name] = col
    return mapping, ignored


def _sub_header(upper, lower, lookup):
    """A two-row header (e.g. “测评标准” over “编号” and “内容”): every filled cell of the lower row
    must read as a header, alone or joined to the cell above it."""
    texts, used_lower = [], False
    for col in range(max(len(upper), len(lower))):
        top = cell_text(upper[col]) if col < len(upper) else ""
        bottom = cell_text(lower[col]) if col < len(lower) else ""
        if not bottom:
            texts.append(top)
            continue
        if header_key(top + bottom) in lookup:
            texts.append(top + bottom)
        elif header_key(bottom) in lookup:
            texts.append(bottom)
        else:
            return None
        used_lower = True
    if not used_lower:
        return None
    return _map_headers(texts, lookup)


class RowErrorSummary:
    """Per-row errors of a parsed import (``self.rows``, each with ``number`` and ``errors``)."""

    @property
    def messages(self) -> list[str]:
        return [f"第{r.number}行 {e}" for r in self.rows for e in r.errors]

    @property
    def is_valid(self) -> bool:
        return not self.messages

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)
