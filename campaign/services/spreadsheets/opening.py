"""Opening an uploaded file as a ``Book`` of sheets, whatever the office sent: an .xlsx, a CSV
(UTF-8 or GBK), or something that only looks like one.

The worksheets are streamed (openpyxl's sheet parser over the zip member, as its read-only mode
does): a 50,000-row file is refused after the first few thousand rows without ever being held in
memory, and a stray value at XFD1048576 costs one cell, not a grid of billions. The same pass
collects what the read-only mode cannot give: merged ranges, hidden rows, error values (#REF!) and
formulas saved without a computed value."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from campaign.services.spreadsheets.text import cell_text

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 80 * 1024 * 1024
MAX_DATA_ROWS = 5000
# Beyond these a sheet is not a table someone filled in (the widest template has ~20 columns).
MAX_SHEET_ROWS = 2 * MAX_DATA_ROWS
MAX_COLUMNS = 200
# Title, notes and header rows above the data, and notes and signatures below it.
ROW_ALLOWANCE = 50
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，请下载模板填写后上传（不支持 .xls、.wps 等格式）。"
ERROR_MEANINGS = {
    "#REF!": "引用的单元格已被删除", "#DIV/0!": "除数为零", "#N/A": "查找不到值", "#VALUE!": "数值类型不对",
    "#NAME?": "公式名称有误", "#NUM!": "数值无效", "#NULL!": "区域不相交",
}


class SheetError(Exception):
    """The file as a whole cannot be read; the message is shown to the user as is."""


class CellProblem:
    """A cell whose value cannot be used: an Excel error (#REF!) or a formula saved without its
    result. Its text reads empty; ``message`` says what is wrong, in Chinese."""

    def __init__(self, shown: str, message: str):
        self.shown, self.message = shown, message

    def __str__(self) -> str:
        return ""


@dataclass
class Sheet:
    """The filled rows of one worksheet: ``rows`` maps the real row number to its values
    (0-based columns), merged ranges already filled into the rows they cover."""

    title: str
    rows: dict[int, list] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)

    def text(self, number: int, col: int) -> str:
        values = self.rows.get(number, [])
        return cell_text(values[col]) if col < len(values) else ""


@dataclass
class Book:
    """The sheets of an uploaded file that hold anything; ``skipped`` says which were left out."""

    sheets: list[Sheet]
    skipped: list[str] = field(default_factory=list)


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def open_workbook(data: bytes, filename: str = "", *, max_rows: int = MAX_DATA_ROWS) -> Book:
    """The sheets in ``data``, or a SheetError saying in plain Chinese what is wrong with the file."""
    if not data:
        raise SheetError("上传的文件是空的，请选择填写好的 Excel（.xlsx）文件。")
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件过大（{human_size(len(data))}），上限为 {human_size(MAX_BYTES)}。请删除无关的工作表或图片后再上传。")
    if data[:8] == OLE_SIGNATURE:
        raise SheetError(_ole_message(data))
    if filename.lower().endswith(".csv"):
        return Book([read_csv(data, filename, max_rows)])
    buffer = BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise SheetError(_not_zip_message(data))
    _check_archive(buffer)
    try:
        reader = _reader(data)
    except Exception as exc:  # openpyxl raises many kinds of errors on malformed parts
        raise SheetError("无法读取该 Excel 文件（文件可能已损坏），请用 Excel 或 WPS 打开后重新保存为 .xlsx 再上传。") from exc
    try:
        return _read_book(reader, max_rows)
    finally:
        reader.archive.close()


def _ole_message(data: bytes) -> str:
    """An OLE compound file is either an encrypted .xlsx (Excel wraps it in one) or an old .xls."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return ("文件设置了打开密码（已加密），系统无法读取。请在 Excel 或 WPS 中打开，去掉密码"
                "（文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码）后另存为 .xlsx 再上传。")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”“Excel 工作簿（*.xlsx）”后再上传。"
    return "这是旧版 Excel（.xls）或加密的文件，请在 Excel 或 WPS 中“另存为”“Excel 工作簿（*.xlsx）”后再上传。"


def _not_zip_message(data: bytes) -> str:
    if _decode_text(data) is not None and any(sep in data[:4096] for sep in (b",", b"\t")):
        return ("文件不是有效的 Excel（.xlsx）文件：它是 CSV 文本文件，只是扩展名改成了 .xlsx。"
                "请把扩展名改回 .csv 后上传，或在 Excel / WPS 中另存为 .xlsx 再上传。")
    return NOT_XLSX


def _check_archive(buffer: BytesIO) -> None:
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SheetError("文件已损坏，无法读取，请重新保存后上传。") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SheetError(NOT_XLSX)
    if unpacked > MAX_UNZIPPED_BYTES:
        raise SheetError("文件解压后过大，无法处理。请只保留需要导入的工作表后再上传。")


def _reader(data: bytes) -> ExcelReader:
    """openpyxl's package reader up to the worksheets (manifest, shared strings, workbook, styles
    for the date formats). The worksheets are not opened here: openpyxl's read-only sheets scan a
    whole sheet for its size when it states none, which is the cost a 50,000-row file must not have."""
    reader = ExcelReader(BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    return reader


def _read_book(reader: ExcelReader, max_rows: int) -> Book:
    book = Book([])
    for entry, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
            continue
        if (entry.state or "visible") != "visible":
            book.skipped.append(f"已跳过隐藏的工作表「{entry.name}」（如需导入，请在 Excel 中取消隐藏后重新上传）。")
            continue
        try:
            sheet = _read_sheet(reader, entry.name, rel.target, max_rows)
        except SheetError:
            raise
        except Exception as exc:
            raise SheetError(f"工作表「{entry.name}」无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后重新保存再上传。") from exc
        if sheet.rows:
            book.sheets.append(sheet)
    return book


class _CellParser(WorkSheetParser):
    """openpyxl's sheet parser, keeping the cached results of formulas (data_only) but marking
    error values and formulas that were saved without a result."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["data_type"] == "e" and cell["value"] is not None:
            shown = str(cell["value"])
            meaning = ERROR_MEANINGS.get(shown, "公式出错")
            cell["value"] = CellProblem(shown, f"是公式错误 {shown}（{meaning}），请在 Excel 中改正后再上传")
        elif cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = CellProblem("（公式）", "是没有计算结果的公式，请用 Excel 或 WPS 打开文件、保存一次后再上传")
        return cell


def _read_sheet(reader: ExcelReader, title: str, path: str, max_rows: int) -> Sheet:
    sheet = Sheet(title)
    limit_rows = max(MAX_SHEET_ROWS, 2 * max_rows)
    workbook = reader.wb
    with reader.archive.open(path) as source:
        parser = _CellParser(source, reader.shared_strings, data_only=True, epoch=workbook.epoch,
                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            values = _row_values(cells, number, limit_rows)
            if values is not None:
                sheet.rows[number] = values
                if len(sheet.rows) > max_rows + ROW_ALLOWANCE:
                    raise SheetError(f"工作表「{title}」的数据行过多（超过 {max_rows} 行的上限），请分成几个文件分别上传。")
            attrs = parser.row_dimensions.get(str(number), {})
            if attrs.get("hidden") in ("1", "true"):
                sheet.hidden_rows.add(number)
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    for cell_range in merged:
        bounds = _bounds(cell_range.ref)
        if bounds is not None:
            sheet.merges.append(bounds)
    fill_merges(sheet)
    return sheet


def _row_values(cells: list[dict], number: int, limit_rows: int) -> list | None:
    filled = [c for c in cells if c["value"] is not None and (isinstance(c["value"], CellProblem) or cell_text(c["value"]))]
    if not filled:
        return None
    width = max(c["column"] for c in filled)
    if number > limit_rows or width > MAX_COLUMNS:
        raise SheetError(f"表格内容延伸到第 {number} 行、第 {width} 列，超出可处理的范围。"
                         "请删除表格下方或右侧多余的内容后再上传。")
    values = [None] * width
    for cell in filled:
        values[cell["column"] - 1] = cell["value"]
    return values


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (TypeError, ValueError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return min_row, min_col, max_row, max_col


def fill_merges(sheet: Sheet) -> None:
    """Every merged range's top-left value copied into the filled rows it covers (a category merged
    down over its rows reads on each of them; a group header merged across reads over each column)."""
    for min_row, min_col, max_row, max_col in sheet.merges:
        top = sheet.rows.get(min_row)
        value = top[min_col - 1] if top and min_col - 1 < len(top) else None
        if value is None or max_col > MAX_COLUMNS:
            continue
        for number in range(min_row, max_row + 1):
            row = sheet.rows.get(number)
            if row is None:
                continue
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for col in range(min_col - 1, max_col):
                row[col] = value


# --- CSV ----------------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str | None:
    """The text of a CSV: UTF-8 (with or without BOM), else GBK as saved by Chinese Excel/WPS."""
    if b"\0" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_csv(data: bytes, filename: str, max_rows: int = MAX_DATA_ROWS) -> Sheet:
    text = _decode_text(data)
    if text is None:
        raise SheetError("无法识别 CSV 文件的编码，请在 Excel 或 WPS 中另存为 .xlsx 后再上传。")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    sheet = Sheet(filename.rsplit(".", 1)[0] or "CSV")
    for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if len(values) > MAX_COLUMNS:
            raise SheetError(f"CSV 第 {number} 行有 {len(values)} 列，超出可处理的范围（最多 {MAX_COLUMNS} 列）。")
        if any(v.strip() for v in values):
            sheet.rows[number] = [v.strip() or None for v in values]
        if len(sheet.rows) > max_rows + ROW_ALLOWANCE:
            raise SheetError(f"CSV 文件的数据行过多（超过 {max_rows} 行的上限），请分成几个文件分别上传。")
    return sheet
