"""What the onboarding lists (单位通讯录, 人员名单) share: one record per row, matched to a record
already in the system, each row showing what was typed, what was understood, its problems and
whether confirming creates, updates or leaves it unchanged. Phone numbers as clerks type them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from campaign.services.spreadsheets.reading import Row, RowErrorSummary, Table
from campaign.services.spreadsheets.text import split_code

NEW, UPDATED, UNCHANGED, ERROR, SKIPPED = "新增", "更新", "无变化", "有错误", "跳过"


@dataclass
class RecordRow:
    """One data row: ``cells`` as typed, ``understood`` what the portal made of the cells that it
    read differently from how they were typed, ``values`` what confirming writes."""

    number: int
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    existing: object | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        if self.values.get("skip"):
            return SKIPPED
        if self.existing is None:
            return NEW
        return UPDATED if self.changed else UNCHANGED


@dataclass
class RecordImport(RowErrorSummary):
    table: Table
    rows: list[RecordRow]
    headers: list[str] = field(default_factory=list)  # the preview's columns, one per ``RecordRow.cells``

    @property
    def messages(self) -> list[str]:
        sheet = self.table.sheet
        return [f"工作表“{sheet}”第{r.number}行 {e}" for r in self.rows for e in r.errors]

    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        for row in self.rows:
            if row.status in counts:
                counts[row.status] += 1
        return counts

    @property
    def changes_nothing(self) -> bool:
        return self.is_valid and all(r.status in (UNCHANGED, SKIPPED) for r in self.rows)

    def to_write(self) -> list[RecordRow]:
        return [r for r in self.rows if r.status in (NEW, UPDATED)]


def problem(table: Table, name: str, text: str, message: str) -> str:
    """A row problem naming the column as the sheet heads it and the cell as typed."""
    label = table.labels.get(name, name)
    return f"“{label}”列“{text}”：{message}" if text else f"“{label}”列：{message}"


def cell(row: Row, table: Table, name: str) -> str:
    return row.text(name) if table.has(name) else ""


def changed_fields(existing, values: dict, labels: dict[str, str]) -> list[str]:
    return [labels[f] for f, v in values.items() if f in labels and getattr(existing, f) != v]


# --- phone numbers ----------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 0710-1234567, (0710)1234567, 0710 1234567, 1234567 (local), each optionally with 转/-/ext 123.
_LANDLINE = re.compile(r"^(?:\(?(0\d{2,3})\)?[-\s]?)?([2-9]\d{6,7})(?:(?:转|-|ext\.?|x)(\d{1,6}))?$")
_SEPARATORS = re.compile(r"[\s\-－—–·.]+")


def normalize_phone(text: str) -> tuple[str | None, str]:
    """``(phone, problem)``: a mobile as 11 digits (“138 0013 8000”, “+86-138-0013-8000”,
    “１３８００１３８０００” all become “13800138000”), a landline as “0710-1234567” (with “转123”),
    or ``(None, message)`` when the cell is not a phone number."""
    folded = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not folded:
        return "", ""
    if folded.endswith(".0"):  # a number typed into a cell Excel formatted as a number
        folded = folded[:-2]
    compact = _SEPARATORS.sub("", folded)
    for prefix in ("+86", "0086", "86"):
        if compact.startswith(prefix) and _MOBILE.match(compact[len(prefix):]):
            compact = compact[len(prefix):]
    if _MOBILE.match(compact):
        return compact, ""
    landline = _LANDLINE.match(re.sub(r"\s+", "", folded).replace("（", "(").replace("）", ")"))
    if landline:
        area, number, extension = landline.groups()
        phone = f"{area}-{number}" if area else number
        return (f"{phone}转{extension}" if extension else phone), ""
    return None, "不是有效的电话号码（手机号 11 位，如 13800138000；座机如 0710-1234567）。"


# --- rows that are not records ----------------------------------------------------------------

_NOTE = re.compile(r"^(注|备注|说明|附注|填表人|填报人|审核人|制表人|制表|审核|填报日期|联系电话|签字|盖章)\s*\d*\s*[:：]")


def not_a_record(source: Row) -> str:
    """Why a data row is not a record, or "": a group heading (“一、市直部门”, often merged across
    the whole row), a note or a signature line under the table (“注：…”, “填表人：…”)."""
    texts = {row_text for row_text in (source.text(name) for name in source.raw) if row_text}
    if len(texts) != 1:
        return ""
    text = texts.pop()
    if _NOTE.match(text):
        return "表格下方的说明或签字，不是数据，已跳过"
    code, ordinal, rest = split_code(text)
    if (code or ordinal) and rest:
        return "分组标题，不是数据，已跳过"
    return ""
