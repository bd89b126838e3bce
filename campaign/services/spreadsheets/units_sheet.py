"""The 单位通讯录: one unit per row with its 上级单位, kind, short name, phone, address and
contact. A 上级单位 may be a unit already in the system or another row of the same sheet (a city
sends its whole tree at once, parents merged down over their children). A row is matched to an
existing unit by parent and name, so the same sheet imported twice changes nothing and an edited
one updates in place."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from campaign.models import OrgUnit
from campaign.services.spreadsheets.lookups import NotFound, UnitDirectory
from campaign.services.spreadsheets.reading import Column, Row, Table, open_workbook, read_table
from campaign.services.spreadsheets.records import (
    RecordImport,
    RecordRow,
    cell,
    changed_fields,
    normalize_phone,
    not_a_record,
    problem,
)
from campaign.services.spreadsheets.text import key, parse_bool

KIND = "units"
WHAT = "单位通讯录"
COLUMNS = [
    Column("name", "单位名称", ("单位", "单位全称", "名称", "机构名称", "部门名称", "单位（部门）"), True),
    Column("short_name", "简称", ("单位简称",)),
    Column("parent", "上级单位", ("上级", "所属单位", "隶属单位", "上级部门", "主管单位", "所属", "上级机构")),
    Column("kind", "单位类型", ("类型", "单位类别", "类别", "单位性质", "层级")),
    Column("phone", "办公电话", ("电话", "联系电话", "座机", "单位电话", "办公室电话")),
    Column("address", "地址", ("办公地址", "单位地址", "详细地址")),
    Column("contact_name", "联系人", ("联络员", "联系人姓名")),
    Column("contact_phone", "联系人电话", ("联系人手机", "手机", "手机号码", "联系人联系电话")),
    Column("is_active", "启用", ("是否启用",)),
]
FIELDS = [c.field for c in COLUMNS]
LABELS = {"short_name": "简称", "kind": "单位类型", "phone": "办公电话", "address": "地址", "contact_name": "联系人",
          "contact_phone": "联系人电话", "is_active": "启用"}
MAX_LENGTH = {"name": 100, "short_name": 30, "address": 200, "contact_name": 50}

K = OrgUnit.Kind
KIND_WORDS = {
    K.OFFICE: ("创文办", "文明办", "创建办", "创城办"),
    K.CITY: ("市", "市级", "市本级", "地级市"),
    K.DISTRICT: ("区/县", "区", "县", "区县", "县区", "县级市", "区（县）", "县（市、区）", "区（县、市）"),
    K.STREET: ("街道/乡镇", "街道", "乡镇", "镇", "乡", "街道办事处", "街道（乡镇）"),
    K.COMMUNITY: ("社区/村", "社区", "村", "居委会", "村委会", "社区居委会", "社区（村）"),
    K.DEPARTMENT: ("部门", "市直部门", "市直单位", "成员单位", "机关", "单位", "委办局", "市直机关"),
    K.WINDOW: ("窗口单位", "窗口", "服务窗口"),
}
KIND_BY_KEY = {key(word): kind for kind, words in KIND_WORDS.items() for word in words}
_STREET_END = re.compile(r"(街道|街道办事处|镇|乡|镇人民政府|乡人民政府)$")
_COMMUNITY_END = re.compile(r"(社区|村|社区居委会|村委会|居委会)$")
_DISTRICT_END = re.compile(r"(区|县|区人民政府|县人民政府|新区|开发区|管委会)$")


@dataclass
class _Parent:
    """A row's 上级单位: a unit of the system or another row of the sheet (``row`` index)."""

    unit: OrgUnit | None = None
    row: int | None = None


def parse_units(data: bytes, *, filename: str = "") -> RecordImport:
    table = read_table(open_workbook(data, filename), COLUMNS, WHAT, kind=KIND)
    return _Parser(table).parse()


def kind_of(text: str) -> OrgUnit.Kind | None:
    return KIND_BY_KEY.get(key(text))


def guess_kind(name: str, parent_kind: str | None) -> OrgUnit.Kind:
    """What a unit is, read from its name as offices name units (湖滨街道, 和平社区, 东湖区)."""
    if "创文办" in name and parent_kind in (None, K.CITY):
        return K.OFFICE
    if _COMMUNITY_END.search(name):
        return K.COMMUNITY
    if _STREET_END.search(name):
        return K.STREET
    if parent_kind is None and name.endswith("市"):
        return K.CITY
    if parent_kind == K.CITY and (_DISTRICT_END.search(name) or name.endswith("市")):
        return K.DISTRICT
    return K.DEPARTMENT


class _Parser:
    def __init__(self, table: Table):
        self.table = table
        self.directory = UnitDirectory(OrgUnit.objects.all())
        self.children: dict[int | None, dict[str, OrgUnit]] = defaultdict(dict)
        for unit in OrgUnit.objects.all():
            self.children[unit.parent_id].setdefault(key(unit.name), unit)
        self.any_unit = bool(self.children)
        self.rows: list[RecordRow] = []
        self.parents: list[_Parent | None] = []
        self.by_name: dict[str, list[int]] = defaultdict(list)

    def parse(self) -> RecordImport:
        for source in self.table.rows:
            self.rows.append(self._read(source))
        for index, row in enumerate(self.rows):
            if not row.values.get("skip") and row.values.get("name"):
                for name in {row.values["name"], row.values.get("short_name") or ""} - {""}:
                    self.by_name[key(name)].append(index)
        self.parents = [self._parent(index, source) for index, source in enumerate(self.table.rows)]
        self._place()
        return RecordImport(table=self.table, rows=self.rows, headers=[c.label for c in COLUMNS])

    def _read(self, source: Row) -> RecordRow:
        t = self.table
        row = RecordRow(source.number, [cell(source, t, f) for f in FIELDS])
        values, errors = row.values, row.errors
        skipped = not_a_record(source)
        if skipped:
            row.understood.append(skipped)
            values["skip"] = True
            return row
        typed = cell(source, t, "name")
        name = re.sub(r"\s+", "", typed)
        if not name:
            errors.append(problem(t, "name", "", "缺少单位名称。"))
        if name != typed:
            row.understood.append(f"单位名称：{name}")
        values["name"] = name
        for f in ("short_name", "address", "contact_name"):
            if t.has(f):
                values[f] = cell(source, t, f)
        for f, text in values.items():
            if f in MAX_LENGTH and len(text) > MAX_LENGTH[f]:
                errors.append(problem(t, f, text, f"过长（{len(text)} 字，最多 {MAX_LENGTH[f]} 字）。"))
        for f in ("phone", "contact_phone"):
            if t.has(f):
                values[f] = self._phone(source, f, row)
        if t.has("kind") and cell(source, t, "kind"):
            kind = kind_of(cell(source, t, "kind"))
            if kind is None:
                choices = "、".join(label for _value, label in K.choices)
                errors.append(problem(t, "kind", cell(source, t, "kind"), f"无法识别的单位类型，可填：{choices}。"))
            values["kind"] = kind
        if t.has("is_active"):
            flag = parse_bool(cell(source, t, "is_active"))
            if flag is None:
                errors.append(problem(t, "is_active", cell(source, t, "is_active"), "请填“是”或“否”。"))
            values["is_active"] = True if not cell(source, t, "is_active") else bool(flag)
        return row

    def _phone(self, source: Row, name: str, row: RecordRow) -> str:
        text = cell(source, self.table, name)
        phone, message = normalize_phone(text)
        if phone is None:
            row.errors.append(problem(self.table, name, text, message))
            return text
        if phone != text:
            row.understood.append(f"{self.table.labels.get(name, name)}：{phone}")
        if len(phone) > 30:
            row.errors.append(problem(self.table, name, text, "过长（最多 30 个字符）。"))
        return phone

    def _parent(self, index: int, source: Row) -> _Parent | None:
        row = self.rows[index]
        if row.values.get("skip") or not row.values.get("name"):
            return None
        text = cell(source, self.table, "parent")
        if not text:
            return _Parent()
        k = key(text).replace("／", "/")
        if "/" in k:
            upper, _, name = k.rpartition("/")
            found = [i for i in self.by_name.get(name, [])
                     if key(cell(self.table.rows[i], self.table, "parent")).endswith(upper)]
        else:
            found = [i for i in self.by_name.get(k, []) if i != index]
        if len(found) == 1:
            return _Parent(row=found[0])
        if len(found) > 1:
            lines = "、".join(f"第{self.rows[i].number}行" for i in found)
            row.errors.append(problem(self.table, "parent", text,
                                      f"表中有多个同名单位（{lines}），请写成“上级单位/单位名称”。"))
            return None
        try:
            return _Parent(unit=self.directory.resolve(text, "上级单位"))
        except NotFound as exc:
            row.errors.append(problem(self.table, "parent", text, f"{exc} 也可以把上级单位加到本表中。"))
            return None

    def _place(self) -> None:
        """Match every row to its unit, parents before children (a loop of 上级单位 is an error)."""
        state: dict[int, str] = {}
        seen: dict[tuple, int] = {}
        for index in range(len(self.rows)):
            self._visit(index, state, seen)

    def _visit(self, index: int, state: dict[int, str], seen: dict[tuple, int]) -> None:
        if state.get(index) == "done":
            return
        row, parent = self.rows[index], self.parents[index]
        if parent is None:
            state[index] = "done"
            return
        if state.get(index) == "visiting":
            row.errors.append(problem(self.table, "parent", cell(self.table.rows[index], self.table, "parent"),
                                      "上级单位形成了循环（单位不能是自己的下级）。"))
            state[index] = "done"
            return
        state[index] = "visiting"
        if parent.row is not None:
            self._visit(parent.row, state, seen)
            upper = self.rows[parent.row]
            if upper.errors and state.get(index) == "done":
                return  # this row was the end of a loop and already reported
            if upper.errors:
                row.errors.append(problem(self.table, "parent", upper.values.get("name", ""),
                                          f"上级单位所在的第{upper.number}行有错误，请先改正该行。"))
                state[index] = "done"
                return
        state[index] = "done"
        self._match(index, row, parent, seen)

    def _match(self, index: int, row: RecordRow, parent: _Parent, seen: dict[tuple, int]) -> None:
        values = row.values
        name = values["name"]
        upper_unit = parent.unit if parent.row is None else self.rows[parent.row].existing
        identity = (("unit", upper_unit.pk) if upper_unit else ("row", parent.row), key(name))
        if identity in seen:
            row.errors.append(problem(self.table, "name", name,
                                      f"与第{self.rows[seen[identity]].number}行重复：同一上级单位下单位名称不能相同。"))
            return
        seen[identity] = index
        values["parent_unit"], values["parent_row"] = parent.unit, parent.row
        if parent.row is None and parent.unit is None:
            row.existing = self._top_level(name, row)
        elif upper_unit is not None:
            row.existing = self.children[upper_unit.pk].get(key(name))
        if row.existing is None:
            self._new(row, parent, upper_unit)
        else:
            row.values["parent_unit"] = row.existing.parent
            row.changed = changed_fields(row.existing, values, LABELS)

    def _top_level(self, name: str, row: RecordRow) -> OrgUnit | None:
        """A row without 上级单位: the unit of that name (the city, or a unit listed alone)."""
        matches = self.directory.by_key.get(key(name), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            row.errors.append(problem(self.table, "parent", "", f"系统中有 {len(matches)} 个“{name}”，请填写上级单位。"))
        return None

    def _new(self, row: RecordRow, parent: _Parent, upper_unit: OrgUnit | None) -> None:
        values = row.values
        if parent.row is None and parent.unit is None and self.any_unit and values.get("kind") != K.CITY:
            row.errors.append(problem(self.table, "parent", "", "新单位请填写上级单位（只有“市”级单位可以不填）。"))
            return
        if values.get("kind") is None:
            upper_kind = upper_unit.kind if upper_unit else (
                self.rows[parent.row].values.get("kind") if parent.row is not None else None)
            values["kind"] = guess_kind(values["name"], upper_kind)
            row.understood.append(f"单位类型：{K(values['kind']).label}（按名称推断）")
        elsewhere = self.directory.by_key.get(key(values["name"]), [])
        if elsewhere:
            where = elsewhere[0].parent.name if elsewhere[0].parent else "最上级"
            row.understood.append(f"系统中“{where}”下已有同名单位，本行将在所填上级单位下另建一个")
