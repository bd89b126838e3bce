"""The office's 目标任务分解表: the indicator tree and the responsibility matrix in one sheet.

One row is either a 测评标准 (standard code + text) under its category, item and content, or a
row for a category / item / content itself (no standard on the row). Category, item and content
cells may be merged down over their rows or left blank under the first one ("同上"). A row that
names a 限定点位类型 or 限定点位 adds a narrowed responsibility to the indicator of its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from campaign.models import EVIDENCE_CATEGORIES, Method, OrgUnit, Site, SiteType, TimeLimit, User
from campaign.services.spreadsheets.basis import read_basis
from campaign.services.spreadsheets.lookups import (
    LeaderDirectory,
    NotFound,
    SiteDirectory,
    SiteTypeDirectory,
    TimeLimitDirectory,
    UnitDirectory,
    resolve_method,
)
from campaign.services.spreadsheets.reading import Column, Row, RowErrorSummary, Table, open_workbook, read_table
from campaign.services.spreadsheets.text import is_valid_code, key, normalize_code, parse_bool, split_code, split_multi

WHAT = "目标任务分解表"
LEVEL_LABELS = {1: "测评类别", 2: "测评项目", 3: "测评内容", 4: "测评标准"}
HIERARCHY = ("area", "item", "content")

COLUMNS = [
    Column("area", "测评类别", ("版块", "板块", "测评版块", "测评板块", "类别", "测评类别版块", "一级指标", "测评领域"), True),
    Column("item", "测评项目", ("项目", "二级指标", "测评项目名称"), True),
    Column("content", "测评内容", ("内容", "三级指标"), True),
    Column("code", "标准编号", ("编号", "测评标准编号", "指标编号", "标准序号", "标准代码", "代码")),
    Column("text", "测评标准", ("标准", "测评标准内容", "标准内容", "四级指标", "具体标准", "测评细则"), True),
    Column("methods", "测评方法", ("方法", "测评方式", "考评方式", "评价方式")),
    Column("lead", "牵头单位", ("牵头部门", "牵头")),
    Column("basis", "属地/行业", ("属地行业", "属地或行业", "管理方式")),
    Column("responsible", "责任单位", ("责任部门",)),
    Column("assisting", "配合单位", ("配合部门", "协助单位", "协办单位")),
    Column("leader", "分管领导", ("分管市领导", "分管领导姓名", "责任领导", "领导")),
    Column("time", "完成时限", ("时限", "整改时限", "完成时间", "办结时限")),
    Column("name", "标准名称", ("标准简称",)),
    Column("points", "分值", ("分数", "权重", "分值/权重")),
    Column("site_types", "适用点位类型", ("点位类型", "适用点位", "实地考察点位")),
    Column("evidence", "必备材料类别", ("材料类别", "必备材料")),
    Column("negative", "负面清单", ("是否负面清单",)),
    Column("scope_type", "限定点位类型"),
    Column("scope_site", "限定点位"),
    Column("note", "备注", ("说明",)),
]
LABEL = {c.field: c.label for c in COLUMNS}
DUTY_FIELDS = ("lead", "basis", "responsible", "assisting", "leader", "time", "note")
PREVIEW_FIELDS = ("area", "item", "content", "code", "text", "methods", "lead", "responsible", "assisting",
                  "leader", "time")


class RowError(Exception):
    pass


@dataclass
class Node:
    """One indicator to create; ``parent`` is the parent's code."""

    level: int
    code: str
    name: str
    parent: str | None
    row: int
    text: str = ""
    methods: list[str] = field(default_factory=list)
    points: Decimal | None = None
    site_types: list[SiteType] = field(default_factory=list)
    evidence: list[str] | None = None  # None: implied_evidence(methods)
    is_negative: bool = False
    own_row: int | None = None

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"


@dataclass
class Duty:
    """One responsibility row to create."""

    code: str
    row: int
    site_type: SiteType | None = None
    site: Site | None = None
    leader: User | None = None
    lead_unit: OrgUnit | None = None
    responsible: list[OrgUnit] = field(default_factory=list)
    assisting: list[OrgUnit] = field(default_factory=list)
    time_limit: TimeLimit | None = None
    deadline: date | None = None
    note: str = ""
    basis: str = ""


@dataclass
class PreviewRow:
    number: int
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    kind: str = ""
    scope: str = ""


@dataclass
class FrameworkImport(RowErrorSummary):
    table: Table
    nodes: dict[str, Node]
    duties: list[Duty]
    rows: list[PreviewRow]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LEVEL_LABELS.values(), 0)
        for node in self.nodes.values():
            counts[LEVEL_LABELS[node.level]] += 1
        counts["责任分工"] = len(self.duties)
        return counts


def parse_framework(data: bytes) -> FrameworkImport:
    """Read and check a 目标任务分解表. Raises SheetError when the file as a whole is unusable;
    row problems are collected on the rows."""
    table = read_table(open_workbook(data), COLUMNS, WHAT)
    parser = _Parser(table)
    for row in table.rows:
        parser.add(row)
    return FrameworkImport(table=table, nodes=parser.nodes, duties=parser.duties, rows=parser.rows)


class _Parser:
    def __init__(self, table: Table):
        self.table = table
        self.nodes: dict[str, Node] = {}
        self.by_name: dict[tuple, str] = {}
        self.duties: list[Duty] = []
        self.rows: list[PreviewRow] = []
        self.last: list[str | None] = [None, None, None]
        self.scopes_seen: dict[tuple, int] = {}
        self.units = UnitDirectory()
        self.leaders = LeaderDirectory()
        self.time_limits = TimeLimitDirectory()
        self.site_types = SiteTypeDirectory()
        self._sites = None

    @property
    def sites(self) -> SiteDirectory:
        if self._sites is None:
            self._sites = SiteDirectory()
        return self._sites

    def add(self, row: Row) -> None:
        preview = PreviewRow(row.number, [row.text(f) for f in PREVIEW_FIELDS])
        self.rows.append(preview)
        try:
            code = self._target(row)
            scope, scope_label = self._scope(row)
        except (RowError, NotFound) as exc:
            preview.errors.append(str(exc))
            return
        node = self.nodes[code]
        preview.kind, preview.scope = LEVEL_LABELS[node.level], scope_label
        seen_key = (code, scope)
        if seen_key in self.scopes_seen:
            preview.errors.append(self._duplicate_message(node, scope_label, self.scopes_seen[seen_key]))
            return
        self.scopes_seen[seen_key] = row.number
        if scope is None:
            node.own_row = row.number
            self._attributes(node, row, preview.errors)
        duty = self._duty(row, code, scope, preview.errors)
        if duty is not None and not preview.errors:
            self.duties.append(duty)

    @staticmethod
    def _duplicate_message(node: Node, scope_label: str, first_row: int) -> str:
        if node.level == 4 and not scope_label:
            return f"标准编号“{node.code}”重复，第{first_row}行已有该标准。"
        if scope_label:
            return f"{LEVEL_LABELS[node.level]}“{node.code}”限定“{scope_label}”的责任分工与第{first_row}行重复。"
        return (f"{LEVEL_LABELS[node.level]}“{node.title}”重复（第{first_row}行已有）；"
                "如果这一行是测评标准，请填写标准编号和内容。")

    # --- the tree -----------------------------------------------------------------------

    def _target(self, row: Row) -> str:
        """The code of the indicator this row is about, creating tree nodes on the way."""
        cells = [row.text(f) for f in HIERARCHY]
        std_code, std_text = self._standard_cells(row)
        has_standard = bool(std_code or std_text or row.text("name"))
        path: list[str] = []
        explicit: str | None = None
        changed = False
        for level, text in enumerate(cells, start=1):
            deeper = any(cells[level:]) or has_standard
            if not text:
                if not deeper:
                    break
                if changed or self.last[level - 1] is None:
                    raise RowError(f"缺少{LEVEL_LABELS[level]}。")
                path.append(self.last[level - 1])
                continue
            code = self._node(level, text, path[-1] if path else None, row.number, std_code)
            changed = changed or code != self.last[level - 1]
            path.append(code)
            explicit = code
        self.last = path + ([None] * (3 - len(path)) if changed else self.last[len(path):])
        if has_standard:
            return self._standard(row, std_code, std_text, path[-1])
        if explicit is None:
            raise RowError("缺少测评标准：请填写标准编号和测评标准内容。")
        return explicit

    def _standard_cells(self, row: Row) -> tuple[str, str]:
        code, text = normalize_code(row.text("code")), row.text("text")
        prefix, _ordinal, rest = split_code(text)
        if prefix and (not code or prefix == code):
            return prefix, rest
        return code, text

    def _node(self, level: int, text: str, parent: str | None, number: int, std_code: str) -> str:
        code, ordinal, name = split_code(text)
        if code is None and ordinal is not None:
            code = str(ordinal) if parent is None else f"{parent}.{ordinal}"
        if code is None:
            existing = self.by_name.get((level, parent, key(name)))
            if existing:
                return existing
            code = self._derived_code(level, parent, std_code)
        if len(name) > 200:
            raise RowError(f"{LEVEL_LABELS[level]}名称过长（{len(name)} 字，最多 200 字）。")
        node = self.nodes.get(code)
        if node is None:
            self.nodes[code] = Node(level, code, name, parent, number)
            self.by_name[(level, parent, key(name))] = code
            return code
        self._check_same(node, level, name, parent)
        return code

    def _check_same(self, node: Node, level: int, name: str, parent: str | None) -> None:
        label = LEVEL_LABELS[level]
        if node.level != level:
            raise RowError(f"编号“{node.code}”在第{node.row}行是{LEVEL_LABELS[node.level]}，不能再用作{label}。")
        if key(node.name) != key(name):
            raise RowError(f"{label}编号“{node.code}”在第{node.row}行名为“{node.name}”，本行为“{name}”，请统一。")
        if node.parent != parent:
            before = self.nodes[node.parent].title if node.parent else "（无）"
            now = self.nodes[parent].title if parent else "（无）"
            raise RowError(f"{label}“{node.title}”在第{node.row}行属于“{before}”，本行却属于“{now}”。")

    def _derived_code(self, level: int, parent: str | None, std_code: str) -> str:
        """A code for a cell written without one: the matching prefix of the row's standard code
        (2.3.1.4 → 2.3 for an item), else the next number under the parent."""
        parts = std_code.split(".") if std_code else []
        if len(parts) > level:
            candidate = ".".join(parts[:level])
            if (parent is None or candidate.startswith(f"{parent}.")) and candidate not in self.nodes:
                return candidate
        siblings = sum(1 for n in self.nodes.values() if n.level == level and n.parent == parent)
        number = siblings + 1
        while (candidate := str(number) if parent is None else f"{parent}.{number}") in self.nodes:
            number += 1
        return candidate

    def _standard(self, row: Row, code: str, text: str, parent: str) -> str:
        name = row.text("name")
        if not code:
            raise RowError("缺少标准编号：请在“标准编号”列填写，或写在标准内容前面（如“2.3.1 …”）。")
        if not is_valid_code(code):
            raise RowError(f"标准编号“{code}”格式不正确，应为数字和点，如“2.3.1”。")
        if not text and not name:
            raise RowError(f"标准“{code}”缺少测评标准内容。")
        if len(name) > 200:
            raise RowError(f"标准名称过长（{len(name)} 字，最多 200 字）。")
        node = self.nodes.get(code)
        if node is None:
            self.nodes[code] = Node(4, code, name or standard_name(text), parent, row.number, text=text)
            return code
        if node.level != 4:
            raise RowError(f"编号“{code}”在第{node.row}行是{LEVEL_LABELS[node.level]}“{node.name}”，不能再用作标准编号。")
        if node.parent != parent:
            raise RowError(f"标准“{code}”在第{node.row}行属于“{self.nodes[node.parent].title}”，本行却属于“{self.nodes[parent].title}”。")
        if text and key(text) != key(node.text):
            raise RowError(f"标准编号“{code}”重复，第{node.row}行的标准内容与本行不同。")
        return code

    # --- attributes and responsibilities -------------------------------------------------

    def _scope(self, row: Row) -> tuple[tuple | None, str]:
        type_text, site_text = row.text("scope_type"), row.text("scope_site")
        if type_text and site_text:
            raise RowError("“限定点位类型”和“限定点位”只能填一个。")
        if type_text:
            site_type = self.site_types.resolve(type_text, "限定点位类型")
            return ("type", site_type), site_type.name
        if site_text:
            site = self.sites.resolve(site_text)
            return ("site", site), site.name
        return None, ""

    def _attributes(self, node: Node, row: Row, errors: list[str]) -> None:
        node.methods = self._each(split_multi(row.text("methods")), resolve_method, errors)
        node.methods = list(dict.fromkeys(node.methods))
        node.site_types = self._each(split_multi(row.text("site_types")), self.site_types.resolve, errors)
        node.points = _points(row.text("points"), errors)
        if self.table.has("evidence"):
            node.evidence = split_multi(row.text("evidence"))
            errors.extend(f"材料类别“{c}”过长（最多 20 字）。" for c in node.evidence if len(c) > 20)
        negative = parse_bool(row.text("negative"))
        if negative is None:
            errors.append(f"负面清单“{row.text('negative')}”请填“是”或“否”。")
        node.is_negative = bool(negative)

    @staticmethod
    def _each(parts: list[str], resolve, errors: list[str]) -> list:
        found = []
        for part in parts:
            try:
                found.append(resolve(part))
            except NotFound as exc:
                errors.append(str(exc))
        return found

    def _duty(self, row: Row, code: str, scope, errors: list[str]) -> Duty | None:
        if scope is None and not any(row.text(f) for f in DUTY_FIELDS):
            return None
        duty = Duty(code=code, row=row.number)
        if scope is not None:
            setattr(duty, "site_type" if scope[0] == "type" else "site", scope[1])
        duty.lead_unit = self._single(row, "lead", lambda t: self.units.resolve(t, LABEL["lead"]), errors)
        duty.basis = read_basis(row.text("basis"), duty.lead_unit, errors)
        duty.responsible = self._each(split_multi(row.text("responsible")),
                                      lambda t: self.units.resolve(t, LABEL["responsible"]), errors)
        duty.assisting = self._each(split_multi(row.text("assisting")),
                                    lambda t: self.units.resolve(t, LABEL["assisting"]), errors)
        duty.leader = self._single(row, "leader", self.leaders.resolve, errors)
        if row.text("time"):
            try:
                duty.time_limit, duty.deadline = self.time_limits.resolve(row.raw.get("time"), row.text("time"))
            except NotFound as exc:
                errors.append(str(exc))
        duty.note = row.text("note")
        if len(duty.note) > 200:
            errors.append(f"备注过长（{len(duty.note)} 字，最多 200 字）。")
        return duty

    def _single(self, row: Row, name: str, resolve, errors: list[str]):
        parts = split_multi(row.text(name))
        if len(parts) > 1:
            errors.append(f"{LABEL[name]}只能填一个（本行填了 {len(parts)} 个：{'、'.join(parts)}）。")
            return None
        found = self._each(parts, resolve, errors)
        return found[0] if found else None


def _points(text: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(key(text).rstrip("分"))
    except InvalidOperation:
        errors.append(f"分值“{text}”不是数字。")
        return None
    if value != value.quantize(Decimal("0.01")) or abs(value) >= 10000:
        errors.append(f"分值“{text}”超出范围（最多两位小数，小于 10000）。")
        return None
    return value


def implied_evidence(methods: list[str]) -> list[str]:
    """Evidence categories of an indicator whose row does not list them: the five default
    categories for a 材料审核 indicator (offices check those by hand), none otherwise."""
    return list(EVIDENCE_CATEGORIES) if Method.MATERIAL.value in methods else []


_SENTENCE_END = re.compile(r"[。；;！？\n]")


def standard_name(text: str) -> str:
    """A short name for a standard given only by its text: its first sentence, at most 60 characters."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first if len(first) <= 60 else first[:59] + "…"
