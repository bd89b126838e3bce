"""The office's 目标任务分解表: the indicator tree and the responsibility matrix in one sheet.

One row is either a 测评标准 (standard code + text) under its category, item and content, or a
row for a category / item / content itself (no standard on the row). Category, item and content
cells may be merged down over their rows or left blank under the first one ("同上"). A row that
names a 限定点位类型 or 限定点位 adds a narrowed responsibility to the indicator of its row.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from campaign.models import EVIDENCE_CATEGORIES, Framework, Method, OrgUnit, TimeLimit, User
from campaign.services.spreadsheets.basis import read_basis
from campaign.services.spreadsheets.framework_rows import (
    LEVEL_LABELS,
    Duty,
    FrameworkImport,
    Node,
    PreviewRow,
    Renumbered,
    RowError,
    Understood,
)
from campaign.services.spreadsheets.lookups import (
    LeaderDirectory,
    NotFound,
    SiteDirectory,
    SiteTypeDirectory,
    TimeLimitDirectory,
    UnitDirectory,
    Unknown,
    resolve_method,
)
from campaign.services.spreadsheets.questions import Answers, Place
from campaign.services.spreadsheets.reading import Column, Row, Table, open_workbook, read_table
from campaign.services.spreadsheets.text import (
    is_valid_code,
    key,
    normalize_code,
    ordinal_number,
    parse_bool,
    split_code,
    split_multi,
)

WHAT = "目标任务分解表"
KIND = "framework"
HIERARCHY = ("area", "item", "content")

COLUMNS = [
    Column("area", "测评类别", ("版块", "板块", "测评版块", "测评板块", "类别", "测评类别版块", "一级指标", "测评领域",
                              "测评类别（版块）"), True),
    Column("item", "测评项目", ("项目", "二级指标", "测评项目名称"), True),
    # Optional: a three-level sheet (类别/项目/标准) gets one 测评内容 per item, named as the item.
    Column("content", "测评内容", ("内容", "三级指标", "测评内容名称")),
    Column("code", "标准编号", ("编号", "测评标准编号", "指标编号", "标准序号", "标准代码", "代码", "测评标准序号")),
    Column("text", "测评标准", ("标准", "测评标准内容", "标准内容", "四级指标", "具体标准", "测评细则", "测评标准具体内容",
                              "标准具体内容", "考核标准"), True),
    Column("methods", "测评方法", ("方法", "测评方式", "考评方式", "评价方式", "考核方式", "考评方法", "检查方式", "测评形式")),
    Column("lead", "牵头单位", ("牵头部门", "牵头", "主责单位", "主责部门", "责任领导单位", "牵头责任单位", "牵头单位（部门）")),
    Column("basis", "属地/行业", ("属地行业", "属地或行业", "管理方式")),
    Column("responsible", "责任单位", ("责任部门", "具体责任单位", "落实单位", "实施单位")),
    Column("assisting", "配合单位", ("配合部门", "协助单位", "协办单位", "参与单位", "协同单位")),
    Column("leader", "分管领导", ("分管市领导", "分管领导姓名", "责任领导", "领导", "牵头领导", "包保领导", "联系领导")),
    Column("time", "完成时限", ("时限", "整改时限", "完成时间", "办结时限", "时间要求", "完成期限", "时间节点", "完成时间节点")),
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


def parse_framework(data: bytes, *, filename: str = "", answers: dict | None = None, year: int | None = None,
                    update: Framework | None = None) -> FrameworkImport:
    """Read and check a 目标任务分解表. Raises SheetError when the file as a whole is unusable;
    row problems are collected on the rows, names and time limits the portal does not know become
    questions (``answers`` are the office's replies so far; ``year`` completes dates written
    without one, such as 6月底前). With ``update``, the sheet is compared with that edition.
    MappingNeeded (a SheetError) when the office should first say which column is which."""
    table = read_table(open_workbook(data, filename), COLUMNS, WHAT, kind=KIND)
    parser = _Parser(table, Answers.read(answers), year)
    for row in table.rows:
        parser.add(row)
    parsed = FrameworkImport(table=table, nodes=parser.nodes, duties=parser.duties, rows=parser.rows,
                             answers=parser.answers, renumbered=parser.renumbered,
                             new_time_limits=list(parser.time_limits.created.values()))
    if update is not None:
        from campaign.services.spreadsheets.changes import compare  # changes builds on this module

        parsed.differences = compare(update, parsed)
    return parsed


class _Parser:
    def __init__(self, table: Table, answers: Answers, year: int | None):
        self.table = table
        self.answers = answers
        self.nodes: dict[str, Node] = {}
        self.by_name: dict[tuple, str] = {}
        self.duties: list[Duty] = []
        self.rows: list[PreviewRow] = []
        self.renumbered: list[Renumbered] = []
        self.last: list[str | None] = [None, None, None]
        self.scopes_seen: dict[tuple, int] = {}
        self.units = UnitDirectory(aliases=answers.aliases)
        self.leaders = LeaderDirectory()
        self.time_limits = TimeLimitDirectory(year)
        self.site_types = SiteTypeDirectory()
        self._sites = None
        self.reserved: set[str] = set()  # dotted codes the sheet writes somewhere
        self.local_levels = self._local_levels(table)

    @property
    def sites(self) -> SiteDirectory:
        if self._sites is None:
            self._sites = SiteDirectory()
        return self._sites

    def add(self, row: Row) -> None:
        preview = PreviewRow(row.number, [row.text(f) for f in PREVIEW_FIELDS], sheet=row.sheet, hidden=row.hidden)
        self.rows.append(preview)
        preview.errors.extend(row.problems)
        self.row, self.preview = row, preview
        try:
            code = self._target(row)
            scope, scope_label = self._scope(row)
        except (RowError, NotFound) as exc:
            preview.errors.append(str(exc))
            # Every problem of the row at once: its other cells are still checked.
            self._attributes(Node(4, "", "", None, row.number), row, preview.errors)
            self._duty(row, "", None, preview.errors)
            return
        node = self.nodes[code]
        preview.kind, preview.scope, preview.code = LEVEL_LABELS[node.level], scope_label, code
        seen_key = (code, scope)
        if seen_key in self.scopes_seen:
            preview.errors.append(self._duplicate_message(node, scope_label, self.scopes_seen[seen_key]))
            return
        self.scopes_seen[seen_key] = row.number
        if scope is None:
            node.own_row = row.number
            self._attributes(node, row, preview.errors)
        duty = self._duty(row, code, scope, preview.errors)
        if duty is not None and not preview.errors and not preview.questions:
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
        if not self.table.has("content") and has_standard and cells[1]:
            cells[2] = split_code(cells[1])[2]  # three levels: the item is its own 测评内容
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
        prefix, ordinal, rest = split_code(text)
        if prefix and (not code or normalize_code(prefix) == code):
            return normalize_code(prefix), rest
        if ordinal and not code:
            return str(ordinal), rest
        return code, text

    def _node(self, level: int, text: str, parent: str | None, number: int, std_code: str) -> str:
        code, ordinal, name = split_code(text)
        if len(name) > 200:
            raise RowError(f"{LEVEL_LABELS[level]}名称过长（{len(name)} 字，最多 200 字）。")
        existing = self.by_name.get((level, parent, key(name)))
        if existing:
            return existing
        office = code or (str(ordinal) if ordinal else "")
        wanted = self._local_code(code, ordinal, parent, level)
        if wanted is not None and not self._fits(wanted, level, parent):
            wanted = None
        if wanted is None:
            wanted = self._derived_code(level, parent, std_code)
            if office:
                self._renumber(level, name, office, wanted, "编号与同级或上级重复")
        self.nodes[wanted] = Node(level, wanted, name, parent, number)
        self.by_name[(level, parent, key(name))] = wanted
        return wanted

    def _local_levels(self, table: Table) -> set[int]:
        """The levels numbered within their parent ("1." … under each category) rather than across
        the sheet (items 1 to 12 under categories A to C, as the demo edition writes them): a level
        whose one-part numbers repeat with another name, or repeat a number of a higher level."""
        seen: dict[tuple[int, str], str] = {}
        local: set[int] = set()
        for row in table.rows:
            cells = [split_code(row.text(f)) for f in HIERARCHY]
            std_code, std_text = self._standard_cells(row)
            cells.append((std_code or None, None, key(std_text)))
            for level, (code, ordinal, name) in enumerate(cells, start=1):
                number = normalize_code(code, keep_case=level < 4) if code else (str(ordinal) if ordinal else "")
                if "." in number:
                    self.reserved.add(number)
                if not number or "." in number:
                    continue
                if seen.setdefault((level, number), key(name)) != key(name) or any(
                        (higher, number) in seen for higher in range(1, level)):
                    local.add(level)
        return local

    def _local_code(self, code: str | None, ordinal: int | None, parent: str | None, level: int) -> str | None:
        """The code a cell's own numbering gives: "1.1 交通秩序" → 1.1; a Chinese ordinal
        ("（一）", "①"), or a one-part number on a level numbered within its parent, counts under
        the parent: the first item of category 2 is 2.1."""
        if code is not None:
            code = normalize_code(code, keep_case=True)
            if level > 1 and level in self.local_levels and "." not in code and ordinal_number(code):
                ordinal = ordinal_number(code)
            else:
                return code
        if ordinal:
            return str(ordinal) if parent is None else f"{parent}.{ordinal}"
        return None

    def _fits(self, code: str, level: int, parent: str | None) -> bool:
        """An office code is kept unless it is malformed or already names another indicator."""
        return is_valid_code(code) and code not in self.nodes and (parent is None or code != parent)

    def _renumber(self, level: int, name: str, office: str, portal: str, reason: str) -> None:
        self.renumbered.append(Renumbered(self.row.number, LEVEL_LABELS[level], name, office, portal, reason))

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
        # Skip numbers the sheet gives elsewhere: the office's own codes stay where they are.
        while (candidate := str(number) if parent is None else f"{parent}.{number}") in self.nodes or (
                candidate in self.reserved):
            number += 1
        return candidate

    def _standard(self, row: Row, code: str, text: str, parent: str) -> str:
        name = row.text("name")
        if not text and not name:
            raise RowError(f"标准“{code}”缺少测评标准内容。" if code else "缺少测评标准内容。")
        if len(name) > 200:
            raise RowError(f"标准名称过长（{len(name)} 字，最多 200 字）。")
        if code and "." not in code and ordinal_number(code) and 4 in self.local_levels:
            code = f"{parent}.{ordinal_number(code)}"  # a 序号 within the content
        node = self.nodes.get(code) if code else None
        if node is not None and node.level == 4 and node.parent == parent and (not text or key(text) == key(node.text)):
            return code  # another responsibility row of the same standard
        shown = name or standard_name(text)
        if not code:
            code = self._derived_code(4, parent, "")
            self._renumber(4, shown, "（无编号）", code, "表中没有编号，按顺序编号")
        elif not is_valid_code(code) or node is not None:
            office = code
            code = self._derived_code(4, parent, "")
            reason = (f"与第{node.row}行的{LEVEL_LABELS[node.level]}重复" if node is not None
                      else "编号格式无法识别")
            self._renumber(4, shown, office, code, reason)
        self.nodes[code] = Node(4, code, shown, parent, row.number, text=text)
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
        duty.lead_unit = self._lead(row, errors)
        duty.basis = read_basis(row.text("basis"), duty.lead_unit, errors)
        duty.responsible = self._units(row, "responsible", errors)
        duty.assisting = self._units(row, "assisting", errors)
        duty.leader = self._leader(row, errors)
        if row.text("time"):
            duty.time_limit, duty.deadline = self._time(row, errors)
        duty.note = row.text("note")
        if len(duty.note) > 200:
            errors.append(f"备注过长（{len(duty.note)} 字，最多 200 字）。")
        return duty

    def _lead(self, row: Row, errors: list[str]) -> OrgUnit | None:
        parts = split_multi(row.text("lead"))
        if len(parts) > 1:
            errors.append(f"{LABEL['lead']}只能填一个（本行填了 {len(parts)} 个：{'、'.join(parts)}）。")
            return None
        lead = self._units(row, "lead", errors)
        if len(lead) > 1:
            errors.append(f"{LABEL['lead']}只能填一个单位（“{row.text('lead')}”代表 {len(lead)} 个单位）。")
            return None
        return lead[0] if lead else None

    def _ask(self, unknown: Unknown, column: str) -> None:
        place = Place(self.table.sheet, self.row.number, LABEL[column])
        question = self.answers.ask(unknown, place)
        if question not in self.preview.questions:
            self.preview.questions.append(question)

    def _understood(self, column: str, typed: str, meaning: str) -> None:
        if meaning and key(meaning) != key(typed):
            self.preview.understood.append(Understood(LABEL[column], typed, meaning))

    def _units(self, row: Row, column: str, errors: list[str]) -> list[OrgUnit]:
        """The units of a cell: several names split by 、，； or line breaks (and blanks or / where
        the whole does not read as one name), each a unit, a group or an alias."""
        found: list[OrgUnit] = []
        for part in split_multi(row.text(column)):
            for unit in self._unit_part(part, column, errors):
                if unit not in found:
                    found.append(unit)
        if found:
            self._understood(column, row.text(column), "、".join(self.units.label(u) if u.pk else u.name for u in found))
        return found

    def _unit_part(self, part: str, column: str, errors: list[str]) -> list[OrgUnit]:
        try:
            return self._unit_name(part, column)
        except Unknown as unknown:
            pieces = split_multi(part, spaces=True, slashes=True)
            if len(pieces) == 1:
                self._ask(unknown, column)
                return []
        except NotFound as exc:
            errors.append(str(exc))
            return []
        found = []
        for piece in pieces:
            try:
                found += self._unit_name(piece, column)
            except Unknown as unknown:
                self._ask(unknown, column)
            except NotFound as exc:
                errors.append(str(exc))
        return found

    def _unit_name(self, text: str, column: str) -> list[OrgUnit]:
        created = self.answers.unit(text)
        if created is not None:
            return [created]
        return self.units.resolve_many(text, LABEL[column])

    def _leader(self, row: Row, errors: list[str]) -> User | None:
        parts = split_multi(row.text("leader"))
        if len(parts) > 1:
            errors.append(f"{LABEL['leader']}只能填一个（本行填了 {len(parts)} 个：{'、'.join(parts)}）。")
            return None
        if not parts:
            return None
        user = self.answers.leader(parts[0])
        try:
            user = user or self.leaders.resolve(parts[0])
        except Unknown as unknown:
            self._ask(unknown, "leader")
            return None
        except NotFound as exc:
            errors.append(str(exc))
            return None
        self._understood("leader", parts[0], user.full_name or user.username)
        return user

    def _time(self, row: Row, errors: list[str]) -> tuple[TimeLimit | None, date | None]:
        text = row.text("time")
        answered = self.answers.times.get(key(text))
        try:
            if answered is not None:
                kind, amount, day = answered
                found = self.time_limits.profile(kind, amount), day
            else:
                found = self.time_limits.resolve(row.raw.get("time"), text)
        except Unknown as unknown:
            self._ask(unknown, "time")
            return None, None
        except NotFound as exc:
            errors.append(str(exc))
            return None, None
        self._understood("time", text, TimeLimitDirectory.understood(*found))
        return found


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
