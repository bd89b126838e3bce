"""Reading the table out of an uploaded workbook, whatever its shape: the header band is found
under titles and notes (header.py), every visible sheet that holds the table is read (one sheet
per 版块, or one for all), notes and signatures below the data end it, and every row keeps its
sheet and real row number so each message can say 工作表「X」第N行.

Where a column cannot be understood with confidence the caller gets ``MappingNeeded`` (the office
confirms the columns once; mapping.py remembers them for the next upload with the same header)."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from campaign.services.spreadsheets.header import (
    HEADER_SEARCH_ROWS,
    HeaderBand,
    Vocabulary,
    add_samples,
    crossing_merge,
    find_band,
    header_key,
    is_footer,
)
from campaign.services.spreadsheets.mapping import remembered
from campaign.services.spreadsheets.opening import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_SHEET_ROWS,
    Book,
    CellProblem,
    SheetError,
    human_size,
    open_workbook,
)
from campaign.services.spreadsheets.text import cell_text

NOTES_SHEET = "填写说明"

__all__ = [
    "HEADER_SEARCH_ROWS", "MAX_BYTES", "MAX_COLUMNS", "MAX_DATA_ROWS", "MAX_SHEET_ROWS", "NOTES_SHEET",
    "Column", "MappingNeeded", "Row", "RowErrorSummary", "SheetError", "Table", "header_key", "human_size",
    "open_workbook", "read_table",
]


class MappingNeeded(SheetError):
    """Some columns of ``band`` could not be understood with confidence: the office should say
    which column is which (the message says it in words for callers without a mapping page)."""

    def __init__(self, message: str, band: HeaderBand):
        super().__init__(message)
        self.band = band


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
    sheet: str = ""
    hidden: bool = False
    problems: list[str] = field(default_factory=list)

    def text(self, name: str) -> str:
        return cell_text(self.raw.get(name))

    def is_empty(self) -> bool:
        return not self.problems and not any(self.text(name) for name in self.raw)

    @property
    def where(self) -> str:
        return f"工作表「{self.sheet}」第{self.number}行" if self.sheet else f"第{self.number}行"


@dataclass
class Part:
    """One sheet's share of the table."""

    band: HeaderBand
    rows: int = 0


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]
    labels: dict[str, str]
    rows: list[Row]
    ignored: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return any(name in part.band.mapping for part in self.parts) if self.parts else name in self.columns

    @property
    def remembered(self) -> bool:
        return any(part.band.remembered for part in self.parts)

    def where(self, row: Row, name: str) -> str:
        """工作表「X」第N行 列「Y」, Y in the sheet's own words."""
        part = next((p for p in self.parts if p.band.sheet == row.sheet), None)
        label = (part.band.label(name) if part else "") or self.labels.get(name, name)
        return f"{row.where} 列「{label}」"


def read_table(workbook, columns: list[Column], what: str, *, max_rows: int = MAX_DATA_ROWS, kind: str = "") -> Table:
    """The table of ``columns`` in ``workbook`` (a Book from open_workbook, or an openpyxl
    workbook); ``what`` names it in the messages, ``max_rows`` caps the data rows and ``kind``
    (when the caller has a mapping page) lets remembered mappings apply and asks for a mapping."""
    book = workbook if isinstance(workbook, Book) else _book(workbook, max_rows)
    vocabulary = Vocabulary(columns)
    known = remembered(kind)
    found, notes = [], list(book.skipped)
    for sheet in book.sheets:
        if sheet.title.strip() == NOTES_SHEET:
            continue
        band = find_band(sheet, vocabulary, known)
        if band is None:
            notes.append(f"工作表「{sheet.title}」中没有找到{what}的表头，已跳过。")
        else:
            add_samples(sheet, band)
            found.append((sheet, band))
    if not found:
        required = "、".join(f"“{c.label}”" for c in columns if c.required)
        hidden = "（隐藏的工作表不读取）" if book.skipped else ""
        raise SheetError(f"没有找到表头：请确认{what}中有 {required} 等列名（可下载模板对照）{hidden}。")
    chosen = _complete(found, columns)
    if not chosen:
        sheet, band = max(found, key=lambda pair: len(pair[1].mapping))
        raise _missing(band, columns, what, ask=bool(kind))
    for sheet, _band in found:
        if all(sheet is not s for s, _b in chosen):
            notes.append(f"工作表「{sheet.title}」的表头与{what}不符，已跳过。")
    for sheet, band in chosen:
        crossing = crossing_merge(sheet, band)
        if crossing:
            raise SheetError(f"工作表「{sheet.title}」{band.rows_text}表头的单元格{crossing}与下面的数据行合并在了一起，"
                             "分不清表头和数据。请在 Excel 中取消这个合并单元格（表头和数据各占各的行）后再上传。")
        if kind and not band.remembered and any(c.guess for c in band.unknown()):
            raise MappingNeeded(_guess_text(band, columns, what), band)
    return _table(chosen, max_rows, what, notes)


def _book(workbook, max_rows: int) -> Book:
    """An openpyxl workbook (tests, callers from before the streaming reader) read like an upload."""
    buffer = BytesIO()
    workbook.save(buffer)
    return open_workbook(buffer.getvalue(), max_rows=max_rows)


def _complete(found, columns):
    required = {c.field for c in columns if c.required}
    return [(sheet, band) for sheet, band in found if required <= set(band.mapping)]


def _missing(band: HeaderBand, columns, what: str, *, ask: bool) -> SheetError:
    missing = [c.label for c in columns if c.required and c.field not in band.mapping]
    unknown = band.unknown()
    message = (f"工作表「{band.sheet}」{band.rows_text}表头缺少必需的列：{'、'.join(missing)}。"
               "请补上这些列（列名可参照模板）后再上传。")
    if unknown:
        labels = {c.field: c.label for c in columns}
        hints = [f"「{c.label}」可能是“{labels[c.guess]}”" for c in unknown if c.guess]
        message += f"（表格中未识别的列：{'、'.join(f'「{c.label}」' for c in unknown)}" + (
            f"，其中{'，'.join(hints)}" if hints else "") + "。）"
        # Asked only when every missing column has a likely candidate: a sheet of another kind
        # (a 批量交办 sheet sent as a 分解表) is refused with the list, not turned into a quiz.
        guessed = {c.guess for c in unknown if c.guess}
        if ask and {c.field for c in columns if c.required and c.field not in band.mapping} <= guessed:
            return MappingNeeded(message, band)
    return SheetError(message)


def _guess_text(band: HeaderBand, columns, what: str) -> str:
    labels = {c.field: c.label for c in columns}
    hints = "，".join(f"「{c.label}」可能是“{labels[c.guess]}”" for c in band.unknown() if c.guess)
    return f"工作表「{band.sheet}」的{what}有不能确定的列：{hints}。请确认各列的含义。"


def _table(chosen, max_rows: int, what: str, notes: list[str]) -> Table:
    rows, parts, ignored = [], [], []
    for sheet, band in chosen:
        part = Part(band)
        parts.append(part)
        ignored += [c.label for c in band.unknown() if c.label not in ignored]
        hidden = []
        for number in sorted(n for n in sheet.rows if n > band.last_row):
            values = sheet.rows[number]
            if is_footer(values):
                break
            row = _row(number, values, band, sheet.title, number in sheet.hidden_rows)
            if not row.is_empty():
                rows.append(row)
                part.rows += 1
                if row.hidden:
                    hidden.append(number)
        if hidden:
            notes.append(f"工作表「{sheet.title}」第 {_numbers(hidden)} 行在 Excel 中是隐藏行，已照常读取，请核对。")
    first = parts[0].band
    if not rows:
        raise SheetError(f"表格只有表头，没有数据行。请在{first.rows_text}表头下面逐行填写{what}的内容后再上传。")
    if len(rows) > max_rows:
        raise SheetError(f"数据行过多（{len(rows)} 行，上限 {max_rows} 行），请分成几个文件分别上传。")
    labels = {c.field: c.label for c in first.columns if c.field}
    return Table(first.sheet, first.last_row, first.mapping, labels, rows, ignored, parts, notes)


def _row(number: int, values: list, band: HeaderBand, sheet: str, hidden: bool) -> Row:
    raw, problems = {}, []
    for column in band.columns:
        if not column.field:
            continue
        value = values[column.index] if column.index < len(values) else None
        if isinstance(value, CellProblem):
            problems.append(f"列「{column.label}」的单元格{value.message}。")
        raw[column.field] = value
    return Row(number=number, raw=raw, sheet=sheet, hidden=hidden, problems=problems)


def _numbers(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown + (f" 等 {len(numbers)}" if len(numbers) > 10 else "")


class RowErrorSummary:
    """Per-row errors of a parsed import (``self.rows``, each with ``number``, ``errors`` and
    ``sheet``). The sheet is named when the table spans several sheets; with one sheet the page
    names it once above the rows."""

    @property
    def messages(self) -> list[str]:
        table = getattr(self, "table", None)
        several = table is not None and len(table.parts) > 1
        return [f"{_where(r, several)} {e}" for r in self.rows for e in r.errors]

    @property
    def is_valid(self) -> bool:
        return not self.messages

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _where(row, several: bool) -> str:
    sheet = getattr(row, "sheet", "")
    return f"工作表「{sheet}」第{row.number}行" if sheet and several else f"第{row.number}行"
