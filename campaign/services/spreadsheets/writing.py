"""Workbooks the office downloads: exports of the indicator tree with its responsibility matrix
and of the site list (laid out the way offices keep them, merged category cells included), and
blank templates with an example row and a notes sheet. Every export imports back unchanged.

Every .xlsx the product writes puts its values through ``put``, ``append_row`` or ``cell_for``
here, so that text typed by a user (a site named ``=HYPERLINK(…)``, an address from an imported
sheet) reaches the file as text and never as a formula Excel would evaluate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from campaign.models import (
    EVIDENCE_CATEGORIES,
    Framework,
    Membership,
    Method,
    OrgUnit,
    Responsibility,
    Role,
    SiteType,
    TimeLimit,
)
from campaign.services.spreadsheets import framework_sheet, people_sheet, sites_sheet, units_sheet
from campaign.services.spreadsheets.basis import basis_label
from campaign.services.spreadsheets.lookups import LeaderDirectory, SiteDirectory, TimeLimitDirectory, UnitDirectory
from campaign.services.spreadsheets.reading import MAX_BYTES, MAX_DATA_ROWS, NOTES_SHEET, human_size

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="A6AEB8")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REQUIRED_FONT = Font(bold=True, color="C00000")
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
WRAP = Alignment(wrap_text=True, vertical="center")

FRAMEWORK_FIELDS = ["area", "item", "content", "code", "text", "methods", "lead", "responsible", "assisting",
                    "leader", "time", "basis", "name", "points", "site_types", "evidence", "negative", "scope_type",
                    "scope_site", "note"]
FRAMEWORK_WIDTHS = {"area": 16, "item": 18, "content": 24, "code": 10, "text": 48, "methods": 12, "lead": 14,
                    "responsible": 22, "assisting": 22, "leader": 10, "time": 12, "name": 24, "evidence": 26,
                    "site_types": 20}
SITE_FIELDS = list(sites_sheet.PREVIEW_FIELDS)  # the one-column 经纬度 is read, never written
SITE_WIDTHS = {"name": 24, "site_type": 14, "district": 10, "street": 12, "address": 32, "longitude": 12,
               "latitude": 12, "adopting_unit": 18}


# A cell typed with one of these first characters is read by Excel and LibreOffice as a formula
# (and openpyxl itself turns a string starting with "=" into one): user text must stay text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def store(cell: Cell, value) -> Cell:
    """Put ``value`` in ``cell``. Text is stored as a string and, when it starts like a formula,
    marked as text (Excel's leading apostrophe) so it stays text even after someone edits the
    cell; characters XML cannot carry are dropped rather than failing the whole export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
    return cell


def cell_for(ws, value) -> Cell:
    """A new cell holding ``value`` for ``ws.append`` (normal and write-only sheets)."""
    return store(Cell(ws, row=1, column=1), value)  # placed by append, as openpyxl's WriteOnlyCell


def append_row(ws, values) -> list[Cell]:
    """``ws.append(values)`` with every value put through ``store``; returns the row's cells."""
    cells = [cell_for(ws, value) for value in values]
    ws.append(cells)
    return cells


def put(ws, row: int, column: int, value) -> Cell:
    """``ws.cell(row, column, value)`` with the value put through ``store``."""
    return store(ws.cell(row, column), value)


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _natural(code: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.\-]", code)]


def _table_sheet(ws, title: str, labels: list[str], widths: list[int], required: set[str]) -> int:
    """A title row, a styled header row; returns the number of the first data row."""
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(labels))
    ws.row_dimensions[1].height = 26
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = put(ws, 2, col, label)
        cell.font = REQUIRED_FONT if label in required else Font(bold=True)
        cell.fill, cell.border, cell.alignment = HEADER_FILL, BORDER, Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    return 3


def _write_row(ws, number: int, values: list, font: Font | None = None) -> None:
    for col, value in enumerate(values, start=1):
        cell = put(ws, number, col, value)
        cell.border, cell.alignment = BORDER, WRAP
        if isinstance(value, str):
            cell.number_format = "@"
        if font is not None:
            cell.font = font


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- 目标任务分解表 ---------------------------------------------------------------------------


class _FrameworkRows:
    """The rows of one framework in tree order, each with the codes of its category/item/content
    (used to merge those cells afterwards)."""

    def __init__(self, framework: Framework):
        self.indicators = list(framework.indicators.prefetch_related("site_types"))
        self.by_id = {i.pk: i for i in self.indicators}
        self.children = defaultdict(list)
        for indicator in self.indicators:
            self.children[indicator.parent_id].append(indicator)
        for siblings in self.children.values():
            siblings.sort(key=lambda i: (i.sort_order, _natural(i.code)))
        self.duties = defaultdict(list)
        rows = (Responsibility.objects.filter(indicator__framework=framework)
                .select_related("site_type", "site__district", "leader", "lead_unit__parent", "time_limit")
                .prefetch_related("responsible_units__parent", "assisting_units__parent"))
        for duty in rows:
            self.duties[duty.indicator_id].append(duty)
        self.units, self.leaders, self.sites = UnitDirectory(), LeaderDirectory(), None
        if any(d.site_id for ds in self.duties.values() for d in ds):
            self.sites = SiteDirectory()

    def rows(self):
        out: list[tuple[list, list]] = []
        stack = list(reversed(self.children[None]))
        while stack:
            node = stack.pop()
            out.extend(self._node_rows(node))
            stack.extend(reversed(self.children[node.pk]))
        return out

    def _trail(self, node) -> list:
        chain = [node]
        while chain[-1].parent_id:
            chain.append(self.by_id[chain[-1].parent_id])
        return [n for n in reversed(chain) if n.level <= 3]

    def _node_rows(self, node):
        duties = self.duties[node.pk]
        base = next((d for d in duties if not d.site_type_id and not d.site_id), None)
        scoped = sorted((d for d in duties if d.site_type_id or d.site_id),
                        key=lambda d: (d.site_id is not None, d.site_type.sort_order if d.site_type else 0,
                                       d.site.name if d.site else ""))
        trail = self._trail(node)
        codes = [n.code for n in trail] + [None] * (3 - len(trail))
        if node.level == 4 or base or not self.children[node.pk] or self._has_attributes(node):
            yield codes, self._values(node, trail, base, with_attributes=True)
        for duty in scoped:
            yield codes, self._values(node, trail, duty, with_attributes=False)

    @staticmethod
    def _has_attributes(node) -> bool:
        return bool(node.methods or node.points is not None or node.is_negative or list(node.site_types.all())
                    or list(node.evidence_categories) != framework_sheet.implied_evidence(node.methods))

    def _values(self, node, trail, duty, with_attributes: bool) -> list:
        cells = dict.fromkeys(FRAMEWORK_FIELDS)
        for field, ancestor in zip(framework_sheet.HIERARCHY, trail, strict=False):
            cells[field] = f"{ancestor.code} {ancestor.name}"
        if node.level == 4:
            cells.update(code=node.code, text=node.text, name=node.name)
        if with_attributes:
            cells.update(
                methods="、".join(node.methods), points=_number(node.points),
                site_types="、".join(t.name for t in node.site_types.all()),
                evidence="、".join(node.evidence_categories), negative="是" if node.is_negative else None,
            )
        if duty is not None:
            self._duty_cells(cells, duty)
        return [cells[f] if cells[f] != "" else None for f in FRAMEWORK_FIELDS]

    def _duty_cells(self, cells: dict, duty) -> None:
        cells.update(
            lead=self.units.label(duty.lead_unit) if duty.lead_unit else None,
            basis=basis_label(duty.basis),
            responsible="、".join(self.units.label(u) for u in duty.responsible_units.all()),
            assisting="、".join(self.units.label(u) for u in duty.assisting_units.all()),
            leader=self.leaders.label(duty.leader) if duty.leader else None,
            time=TimeLimitDirectory.label(duty.time_limit, duty.deadline), note=duty.note,
        )
        if duty.site_type_id:
            cells["scope_type"] = duty.site_type.name
        if duty.site_id:
            cells["scope_site"] = self.sites.label(duty.site)


def framework_workbook(framework: Framework) -> Workbook:
    """The 目标任务分解表 of one edition, category/item/content cells merged over their rows."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "目标任务分解表"
    labels = [framework_sheet.LABEL[f] for f in FRAMEWORK_FIELDS]
    widths = [FRAMEWORK_WIDTHS.get(f, 10) for f in FRAMEWORK_FIELDS]
    first = _table_sheet(ws, f"{framework}目标任务分解表", labels, widths, _required())
    rows = _FrameworkRows(framework).rows()
    for offset, (_codes, values) in enumerate(rows):
        _write_row(ws, first + offset, values)
    _merge_runs(ws, first, [codes for codes, _values in rows])
    _framework_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _required() -> set[str]:
    return {c.label for c in framework_sheet.COLUMNS if c.required}


def _merge_runs(ws, first: int, codes: list[list]) -> None:
    """Merge each category/item/content cell down over the consecutive rows of that node."""
    for level in range(3):
        start = 0
        for index in range(1, len(codes) + 1):
            if index < len(codes) and codes[index][level] is not None and codes[index][level] == codes[start][level] \
                    and codes[index][:level] == codes[start][:level]:
                continue
            if codes[start][level] is not None and index - start > 1:
                ws.merge_cells(start_row=first + start, start_column=level + 1,
                               end_row=first + index - 1, end_column=level + 1)
            start = index


def framework_template() -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "目标任务分解表"
    labels = [framework_sheet.LABEL[f] for f in FRAMEWORK_FIELDS]
    widths = [FRAMEWORK_WIDTHS.get(f, 10) for f in FRAMEWORK_FIELDS]
    first = _table_sheet(ws, "××市创建全国文明城市目标任务分解表（示例行请删除后填写）", labels, widths, _required())
    examples = [
        {"area": "1 公共秩序", "item": "1.1 交通秩序", "content": "1.1.1 道路通行秩序良好", "code": "1.1.1.1",
         "text": "机动车、非机动车各行其道，主次干道无乱停乱放。", "methods": "实地考察", "lead": "市交警支队",
         "basis": "行业", "responsible": "东湖区、江北区", "assisting": "市城管局、市交通局", "leader": "陈建华", "time": "3个工作日"},
        {"area": "1 公共秩序", "item": "1.1 交通秩序", "content": "1.1.1 道路通行秩序良好", "code": "1.1.1.2",
         "text": "主要交通路口设置文明交通劝导岗，行人、非机动车遵守交通信号。", "methods": "实地考察、问卷调查",
         "lead": "市交警支队", "responsible": "市交通局", "leader": "陈建华", "time": "5个工作日"},
    ]
    for offset, example in enumerate(examples):
        _write_row(ws, first + offset, [example.get(f) for f in FRAMEWORK_FIELDS], EXAMPLE_FONT)
    _merge_runs(ws, first, [["1", "1.1", "1.1.1"]] * len(examples))
    _framework_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _framework_notes(ws) -> None:
    limits = "、".join(t.name for t in TimeLimit.objects.exclude(kind=TimeLimit.Kind.DATE))
    lines = [
        ("目标任务分解表填写说明", ""),
        ("必填列", "测评类别（版块）、测评项目、测评内容、测评标准；其余列可删去。表头可放在前 20 行内的任意一行，"
                 "上方可留标题；列名可用常见写法（如“版块”“测评类别”均可），不区分全角半角和空格。"),
        ("编号", "测评类别、项目、内容写成“编号 名称”，如“1 公共秩序”“1.1 交通秩序”“1.1.1 道路通行秩序良好”；"
               "也可写“一、公共秩序”，或只写名称（系统按顺序编号）。标准编号填在“标准编号”列，或写在标准内容前面"
               "（如“1.1.1.1 机动车……”）。编号单元格请设为文本格式，以免 1.10 被 Excel 改成 1.1。"),
        ("合并单元格", "测评类别、项目、内容可以向下合并单元格，或只在第一行填写、下面留空，表示与上一行相同。"),
        ("测评方法", "、".join(m.value for m in Method) + "；可填多个。"),
        ("单位", "牵头单位只填一个；责任单位、配合单位可填多个，用顿号、逗号、分号或换行分隔。单位名称用系统中的全称或简称；"
               "遇到同名单位写成“上级单位/单位名称”。"),
        ("属地/行业", "属地：问题由点位所在街道或社区（或点位包保单位）牵头，牵头单位作为行业配合，如背街小巷保洁、占道经营；"
                  "行业：由牵头单位（行业主管部门）牵头，如公交站台设施、明码标价；指定：不论点位，固定由牵头单位牵头。"
                  "留空时牵头单位是部门或窗口单位的按“行业”，否则按“指定”。"),
        ("分管领导", "填写具有“分管领导”角色的用户姓名（同名时填用户名）。"),
        ("完成时限", f"{limits}（“三个工作日”“3 个工作日”均可），或具体日期如 2026-06-30（即“指定日期”）。"),
        ("适用点位类型", "、".join(SiteType.objects.values_list("name", flat=True))),
        ("必备材料类别", "可填多个。不填此列时：测评方法含“材料审核”的使用默认类别（" + "、".join(EVIDENCE_CATEGORIES)
         + "），其他为空。"),
        ("限定点位类型 / 限定点位", "同一标准需要按点位类型或具体点位指定不同的责任单位时，再加一行，写同样的标准编号，"
                            "并在这两列之一填写点位类型或点位名称（同名点位写“区/点位名称”）。"),
        ("导入规则", "上传后先预览，每一行的问题都会列出；全部无误才能确认导入，有任何错误都不会写入数据。"
                 "导入会新建一个测评体系版本（或填入一个还没有指标的空版本），不会与已有版本的数据混合。"),
        ("文件要求", f"Excel 2007 及以上（.xlsx），不超过 {human_size(MAX_BYTES)}，不超过 {MAX_DATA_ROWS} 行。"),
    ]
    _notes(ws, lines)


def _notes(ws, lines) -> None:
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    for number, (title, body) in enumerate(lines, start=1):
        put(ws, number, 1, title).font = Font(bold=True, size=14 if number == 1 else 11)
        put(ws, number, 2, body).alignment = Alignment(wrap_text=True, vertical="top")


# --- 点位清单 -----------------------------------------------------------------------------------


def sites_workbook(sites) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "点位清单"
    first = _site_sheet(ws, "点位清单")
    units = UnitDirectory()
    rows = sites.select_related("site_type", "district", "street", "adopting_unit__parent").order_by(
        "district__path", "site_type__sort_order", "name")
    for offset, site in enumerate(rows):
        _write_row(ws, first + offset, [
            site.name, site.site_type.name, site.district.name, site.street.name if site.street else None,
            site.address or None, _number(site.longitude), _number(site.latitude),
            units.label(site.adopting_unit) if site.adopting_unit else None,
            "是" if site.is_chronic else "否", "是" if site.is_active else "否",
        ])
    _sites_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _site_sheet(ws, title: str) -> int:
    columns = [c for c in sites_sheet.COLUMNS if c.field in SITE_FIELDS]
    labels = [c.label for c in columns]
    widths = [SITE_WIDTHS.get(f, 10) for f in SITE_FIELDS]
    required = {c.label for c in columns if c.required}
    return _table_sheet(ws, title, labels, widths, required)


def sites_template() -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "点位清单"
    first = _site_sheet(ws, "点位清单（示例行请删除后填写）")
    _write_row(ws, first, ["人民广场", "公共广场", "东湖区", "湖滨街道", "东湖区人民路 1 号", 114.305215, 30.592781,
                           "市城管局", "否", "是"], EXAMPLE_FONT)
    _sites_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _sites_notes(ws) -> None:
    lines = [
        ("点位清单填写说明", ""),
        ("必填列", "点位名称、类型、区；其余列可删去（删去的列在更新已有点位时保持原值）。表头可放在前 20 行内的任意一行。"),
        ("类型", "、".join(SiteType.objects.values_list("name", flat=True))),
        ("区、街道", "填写系统中的区和街道（乡镇）名称，街道必须属于所填的区。"),
        ("经度、纬度", "十进制度数，如 114.305215 和 30.592781（经度约 73～136，纬度约 3～54），两列同时填写或同时留空；"
                   "也可写度分秒（114°18′18.8″、东经114度18分18.8秒），或只用一列“经纬度”写“114.305215,30.592781”。"),
        ("包保单位", "系统中的单位全称或简称；同名单位写成“上级单位/单位名称”。"),
        ("顽疾点位、启用", "填“是”或“否”；“启用”留空视为“是”。"),
        ("新增与更新", "按“区 + 点位名称”匹配：已有的点位更新其余各列，没有的新增；同一文件中同一区内点位名称不能重复。"),
        ("导入规则", "上传后先预览，显示新增、更新的数量和每一行的问题；全部无误才能确认导入，有任何错误都不会写入数据。"),
        ("文件要求", f"Excel 2007 及以上（.xlsx），不超过 {human_size(MAX_BYTES)}，不超过 {MAX_DATA_ROWS} 行。"),
    ]
    _notes(ws, lines)


# --- 单位通讯录 ---------------------------------------------------------------------------------


def _list_sheet(workbook, sheet: str, title: str, columns, widths: dict[str, int]):
    ws = workbook.active
    ws.title = sheet
    labels = [c.label for c in columns]
    required = {c.label for c in columns if c.required}
    first = _table_sheet(ws, title, labels, [widths.get(c.field, 12) for c in columns], required)
    return ws, first


UNIT_WIDTHS = {"name": 26, "short_name": 14, "parent": 22, "kind": 12, "phone": 16, "address": 30, "contact_name": 10,
               "contact_phone": 16}


def units_workbook(units) -> Workbook:
    """Every unit under its 上级单位, parents first (the order the import needs none of)."""
    workbook = Workbook()
    ws, first = _list_sheet(workbook, "单位通讯录", "单位通讯录", units_sheet.COLUMNS, UNIT_WIDTHS)
    directory = UnitDirectory(OrgUnit.objects.all())
    for offset, unit in enumerate(units.select_related("parent__parent").order_by("path")):
        _write_row(ws, first + offset, [
            unit.name, unit.short_name or None, directory.label(unit.parent) if unit.parent else None,
            unit.get_kind_display(), unit.phone or None, unit.address or None, unit.contact_name or None,
            unit.contact_phone or None, "是" if unit.is_active else "否",
        ])
    _units_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def units_template() -> Workbook:
    workbook = Workbook()
    ws, first = _list_sheet(workbook, "单位通讯录", "单位通讯录（示例行请删除后填写）", units_sheet.COLUMNS, UNIT_WIDTHS)
    examples = [
        ["东湖区", None, "江城市", "区/县", "0710-3221000", "东湖区政务中心 2 楼", "李明", "13800138001", "是"],
        ["湖滨街道", None, "东湖区", "街道/乡镇", "0710-3225100", "湖滨路 18 号", "王芳", "13800138002", "是"],
        ["市城市管理局", "市城管局", "江城市", "部门", "0710-3210000", "市政大道 66 号", "赵强", "13800138003", "是"],
    ]
    for offset, values in enumerate(examples):
        _write_row(ws, first + offset, values, EXAMPLE_FONT)
    _units_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _units_notes(ws) -> None:
    kinds = "、".join(label for _value, label in OrgUnit.Kind.choices)
    _notes(ws, [
        ("单位通讯录填写说明", ""),
        ("必填列", "单位名称；新单位还要填上级单位（只有“市”级单位可以不填）。其余列可删去（删去的列在更新已有单位时保持原值）。"),
        ("上级单位", "可以是系统中已有的单位，也可以是本表中的另一行；同一上级的单位可以把“上级单位”单元格向下合并。"
                 "遇到同名单位写成“上级单位/单位名称”。"),
        ("单位类型", f"{kinds}；不填时按名称推断（××街道为街道/乡镇，××社区为社区/村……），预览中会显示推断结果。"),
        ("电话", "办公电话、联系人电话可写成 0710-1234567、138 0013 8000、+86 13800138000 等，导入时统一格式。"),
        ("新增与更新", "按“上级单位 + 单位名称”匹配：已有的单位更新其余各列，没有的新增；同一个文件再次导入不会有任何变化。"),
        ("导入规则", "上传后先预览，显示新增、更新的数量和每一行的问题；全部无误才能确认导入，有任何错误都不会写入数据。"),
        ("文件要求", f"Excel 2007 及以上（.xlsx），不超过 {human_size(MAX_BYTES)}，不超过 {MAX_DATA_ROWS} 行。"),
    ])


# --- 人员名单 ---------------------------------------------------------------------------------

PEOPLE_WIDTHS = {"full_name": 12, "unit": 24, "title": 20, "role": 16, "phone": 16, "username": 16}


def people_workbook(users) -> Workbook:
    """One row per 任职 (a person with two posts has two rows), by unit."""
    workbook = Workbook()
    ws, first = _list_sheet(workbook, "人员名单", "人员名单", people_sheet.COLUMNS, PEOPLE_WIDTHS)
    directory = UnitDirectory()
    posts = (Membership.objects.filter(user__in=users).select_related("user", "unit__parent")
             .order_by("unit__path", "role", "user__username"))
    for offset, post in enumerate(posts):
        user = post.user
        _write_row(ws, first + offset, [
            user.full_name or user.username, directory.label(post.unit), post.title or None,
            post.get_role_display(), user.phone or None, user.username,
        ])
    _people_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def people_template() -> Workbook:
    workbook = Workbook()
    ws, first = _list_sheet(workbook, "人员名单", "人员名单（示例行请删除后填写）", people_sheet.COLUMNS, PEOPLE_WIDTHS)
    examples = [
        ["王晓东", "湖滨街道", "党政办副主任", "联络员", "13800138011", None],
        ["李婷", "湖滨街道", "文明办干事", "资料员", "13800138012", None],
        ["陈建华", "江城市", "副市长", "分管领导", "13800138013", None],
    ]
    for offset, values in enumerate(examples):
        _write_row(ws, first + offset, values, EXAMPLE_FONT)
    _people_notes(workbook.create_sheet(NOTES_SHEET))
    return workbook


def _people_notes(ws) -> None:
    _notes(ws, [
        ("人员名单填写说明", ""),
        ("必填列", "姓名、单位、角色（角色为空时，职务含“联络员”“资料员”“督查员”的按职务识别）。"),
        ("角色", "、".join(Role.labels) + "；一人在同一单位有多个角色时用顿号分开，在不同单位任职时写多行。"),
        ("手机号码", "138 0013 8000、138-0013-8000、+86 13800138000 均可，导入时统一为 11 位数字。"),
        ("用户名", "可不填：新人员以手机号码为用户名（没有手机号码时由系统生成），导入后在结果页显示。"),
        ("账号与密码", "新人员的账号在确认导入时建立，每人一个随机的一次性密码，只在导入结果页显示一次（可下载一次），"
                  "请当面或通过安全渠道交给本人；本人首次登录时系统会要求其设置新密码。系统不使用任何默认密码。"),
        ("新增与更新", "按用户名、手机号码、（姓名 + 单位）依次匹配已有用户：已有的更新姓名、手机号码、职务并补上缺少的任职，"
                  "不会删除名单中没有的任职；同一个文件再次导入不会有任何变化。"),
        ("文件要求", f"Excel 2007 及以上（.xlsx），不超过 {human_size(MAX_BYTES)}，不超过 {MAX_DATA_ROWS} 行。"),
    ])


def accounts_workbook(accounts) -> Workbook:
    """The one-time passwords of the accounts just created, to hand to each person."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "新建账号"
    first = _table_sheet(ws, "新建账号与一次性密码（请妥善保管，交给本人后删除此文件）",
                         ["姓名", "单位", "用户名", "一次性密码"], [12, 24, 18, 18], set())
    for offset, account in enumerate(accounts):
        _write_row(ws, first + offset, [account["full_name"], account["unit"], account["username"], account["password"]])
    return workbook
