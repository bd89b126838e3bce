"""批量交办: the office hands over many problems at once from a spreadsheet.

    upload → ``read_rows(bytes)``  (SheetError: the file as a whole is unusable)
           → ``check_rows(rows)``  (per row: resolved values or Chinese errors, and the routing proposal)
           → preview; the raw rows wait in the session
    confirm → ``check_rows`` again (reference data may have changed) → ``bulk_handover``: every task
              through ``task_create`` in ONE transaction; any error and nothing is created.

A blank 牵头单位 / 配合单位 / 分管领导 / 时限 cell takes the responsibility matrix's answer
(``campaign.selectors.responsibility_for``), shown in the preview before anything is saved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from campaign.access import office_over
from campaign.models import Indicator, OrgUnit, Role, Site, TimeLimit, User
from campaign.selectors import RULE_LABELS, Routing, responsibility_for
from campaign.services.spreadsheets.lookups import UnitDirectory, close_matches
from campaign.services.spreadsheets.reading import Column, open_workbook, read_table
from campaign.services.spreadsheets.text import key, split_multi
from campaign.services.spreadsheets.writing import append_row, to_bytes
from tasks.models import Priority, RectificationTask, Source
from tasks.services import TransitionError, task_create

# Every row becomes a task in one transaction, and the rows wait in the session until confirmed.
MAX_ROWS = 1000
WHAT = "批量交办表"

COLUMNS = [
    Column("title", "标题", ("问题标题", "问题"), True),
    Column("description", "问题描述", ("描述", "问题详情", "具体问题")),
    Column("standard", "测评标准编号", ("测评标准", "标准编号", "指标编号"), True),
    Column("site", "点位名称", ("点位",)),
    Column("district", "区", ("所属区", "区县", "区/县")),
    Column("source", "来源", ("问题来源",), True),
    Column("lead_unit", "牵头单位"),
    Column("assisting", "配合单位"),
    Column("leader", "分管领导"),
    Column("time_limit", "时限", ("整改时限", "完成时限")),
    Column("due_date", "完成日期", ("整改期限", "期限")),
    Column("priority", "紧急程度", ("优先级",)),
]
FIELDS = [column.field for column in COLUMNS]
HEADERS = [column.label for column in COLUMNS]
PRIORITY_NAMES = {label: value for value, label in Priority.choices}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def read_rows(data: bytes, *, filename: str = "") -> list[dict]:
    """The data rows of the sheets whose header matches ``COLUMNS``, as {field: text, "row": n,
    "sheet": name, "problems": [...]}: plain values, because they wait in the session between
    preview and confirm. Opening the file, finding the header band and the limits are the shared
    reader's (SheetError when unusable, naming the columns it could not place)."""
    table = read_table(open_workbook(data, filename, max_rows=MAX_ROWS), COLUMNS, WHAT, max_rows=MAX_ROWS)
    return [{**{name: row.text(name) for name in FIELDS}, "row": row.number, "sheet": row.sheet,
             "problems": row.problems} for row in table.rows]


# --- checking the rows ----------------------------------------------------------------------------


@dataclass
class RowCheck:
    """One spreadsheet row: what it says, what it resolves to, and what is wrong with it."""

    row: int
    raw: dict
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    routed: dict = field(default_factory=dict)  # field → True when taken from the responsibility matrix
    rule: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def _suggest(text: str, choices) -> str:
    close = close_matches(text, list(choices), n=3)
    return f"您是不是要找：{'、'.join(close)}？" if close else ""


class Lookup:
    """Reference data read once per file (a few queries, not one per row)."""

    def __init__(self, rows: list[dict]):
        self.indicators = {key(i.code): i for i in Indicator.objects.active()}
        self.units = UnitDirectory()
        self.districts = {key(unit.name): unit for found in self.units.by_key.values() for unit in found
                          if unit.kind == OrgUnit.Kind.DISTRICT}
        names = {r["site"] for r in rows if r["site"]}
        self.sites = {}
        for site in Site.objects.filter(name__in=names, is_active=True).select_related("district"):
            self.sites.setdefault(key(site.name), []).append(site)
        leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
        self.leaders = {}
        for user in leaders:
            self.leaders.setdefault(key(user.full_name or user.username), []).append(user)
        self.time_limits = {key(t.name): t for t in TimeLimit.objects.all()}
        self.routing_cache = {}

    def routing(self, indicator, site):
        cache_key = (indicator.pk, site.pk if site else None)
        if cache_key not in self.routing_cache:
            self.routing_cache[cache_key] = responsibility_for(indicator, site)
        return self.routing_cache[cache_key]

    def unit(self, text: str) -> tuple[OrgUnit | None, str]:
        """A unit by full name or short name, or "上级/单位" when the name repeats; else an error."""
        parent_name, _, name = text.replace("／", "/").rpartition("/")
        found = self.units.by_key.get(key(name), [])
        if parent_name:
            found = [u for u in found if u.parent and key(parent_name) in (key(u.parent.name), key(u.parent.short_name))]
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, f"有 {len(found)} 个单位叫“{text}”，请写成“上级单位/单位”，如“{found[0].parent}/{found[0].name}”。"
        labels = set(self.units.display.values())
        return None, f"未找到单位“{text}”。{_suggest(name, labels) or '请填写系统中的单位全称或简称。'}"


def check_rows(rows: list[dict], *, today: date | None = None, user=None) -> list[RowCheck]:
    """Each row checked; with ``user`` (the one handing over) the units must be ones they are the
    office for: a 区创文办 hands over within its district only."""
    today = today or timezone.localdate()
    lookup = Lookup(rows)
    checks = [_check_row(row, lookup, today) for row in rows]
    if user is not None:
        for check in checks:
            _check_scope(check, user)
    return checks


def _check_scope(check: RowCheck, user) -> None:
    """Units outside the user's district are an error when written in the row; proposed assisting
    units outside it are left out (the district cannot direct them)."""
    if check.routed.get("assisting"):
        check.values["assisting_units"] = [u for u in check.values["assisting_units"] if office_over(user, u)]
    units = [check.values.get("lead_unit"), *check.values.get("assisting_units", [])]
    outside = [u.name for u in units if u is not None and not office_over(user, u)]
    if outside:
        check.errors.append(f"{'、'.join(outside)}不在本区范围内，区创文办只能交办给本区的单位。")


def _check_row(raw: dict, lookup: Lookup, today: date) -> RowCheck:
    check = RowCheck(row=raw["row"], raw=raw)
    check.errors.extend(raw.get("problems", []))
    _check_text(check)
    _check_standard_and_site(check, lookup)
    _check_choices(check)
    routing = None  # unknown while the standard or the site is wrong: nothing is proposed then
    if "indicator" in check.values and "site" in check.values:
        routing = lookup.routing(check.values["indicator"], check.values["site"])
        check.rule = RULE_LABELS.get(routing.rule, "")
    _check_units(check, lookup, routing or Routing(lead_unit=None, rule="none"), proposed=routing is not None)
    _check_deadline(check, lookup, routing or Routing(lead_unit=None, rule="none"), today, proposed=routing is not None)
    _check_priority(check)
    return check


def _check_text(check: RowCheck) -> None:
    title = check.raw["title"]
    if not title:
        check.errors.append("“标题”不能为空。")
    elif len(title) > 200:
        check.errors.append(f"“标题”过长（{len(title)} 字），请控制在 200 字以内，详细情况写在“问题描述”里。")
    check.values.update(title=title, description=check.raw["description"])


def _check_standard_and_site(check: RowCheck, lookup: Lookup) -> None:
    code = check.raw["standard"]
    indicator = lookup.indicators.get(key(code))
    if not code:
        check.errors.append("“测评标准编号”不能为空，请填写如 1.2.3 的标准编号。")
    elif indicator is None:
        check.errors.append(f"测评标准编号“{code}”在当前测评体系中不存在，请到“基础数据 › 测评体系”中核对编号。")
    elif not indicator.is_standard:
        check.errors.append(f"“{code}”是{indicator.get_level_display()}，请填写到测评标准一级的编号。")
    else:
        check.values["indicator"] = indicator
    site = _site(check, lookup)
    if site is not False:
        check.values["site"] = site


def _site(check: RowCheck, lookup: Lookup):
    name, district_name = check.raw["site"], check.raw["district"]
    district = None
    if district_name:
        district = lookup.districts.get(key(district_name))
        if district is None:
            check.errors.append(f"未找到区“{district_name}”。{_suggest(district_name, [d.name for d in lookup.districts.values()])}")
            return False
    if not name:
        return None
    found = [s for s in lookup.sites.get(key(name), []) if district is None or s.district_id == district.pk]
    if len(found) == 1:
        return found[0]
    if found:
        where = "、".join(sorted({s.district.name for s in found}))
        check.errors.append(f"有 {len(found)} 个点位叫“{name}”（{where}），请在“区”列填写所属区。")
    else:
        check.errors.append(f"未找到点位“{name}”{f'（{district_name}）' if district_name else ''}，请到“基础数据 › 点位”中核对名称。")
    return False


def _check_choices(check: RowCheck) -> None:
    source = check.raw["source"]
    sources = {key(v): v for v, _label in Source.choices} | {key(label): v for v, label in Source.choices}
    if source and key(source) in sources:
        check.values["source"] = sources[key(source)]
    else:
        allowed = "、".join(label for _v, label in Source.choices)
        check.errors.append(f"来源“{source}”无效，请填写：{allowed}。" if source else f"“来源”不能为空，请填写：{allowed}。")


def _check_priority(check: RowCheck) -> None:
    priority = check.raw["priority"] or Priority.NORMAL.label
    if priority in PRIORITY_NAMES:
        check.values["priority"] = PRIORITY_NAMES[priority]
    else:
        check.errors.append(f"紧急程度“{priority}”无效，请填写：一般、紧急或特急（留空为一般）。")


def _check_units(check: RowCheck, lookup: Lookup, routing, *, proposed: bool) -> None:
    raw = check.raw
    if raw["lead_unit"]:
        unit, error = lookup.unit(raw["lead_unit"])
        check.errors.extend([error] if error else [])
    else:
        unit = routing.lead_unit
        check.routed["lead_unit"] = True
        if unit is None and proposed:
            check.errors.append("责任分工中没有这条标准（和点位）的牵头单位，请在“牵头单位”列填写。")
    check.values["lead_unit"] = unit
    if raw["assisting"]:
        assisting = []
        for name in split_multi(raw["assisting"]):
            other, error = lookup.unit(name)
            check.errors.extend([error] if error else [])
            assisting.append(other)
        check.values["assisting_units"] = [u for u in assisting if u is not None]
    else:
        check.values["assisting_units"] = [u for u in routing.assisting_units if u != unit]
        check.routed["assisting"] = True
    check.values["leader"] = _leader(check, lookup, routing)


def _leader(check: RowCheck, lookup: Lookup, routing):
    name = check.raw["leader"]
    if not name:
        check.routed["leader"] = True
        return routing.leader
    found = lookup.leaders.get(key(name), [])
    if len(found) == 1:
        return found[0]
    if found:
        check.errors.append(f"有 {len(found)} 位分管领导叫“{name}”，请留空由责任分工确定，或在交办后修改。")
    else:
        names = {u.full_name for users in lookup.leaders.values() for u in users if u.full_name}
        check.errors.append(f"未找到分管领导“{name}”（须是系统中的分管领导账号）。{_suggest(name, names)}")
    return None


def _check_deadline(check: RowCheck, lookup: Lookup, routing, today: date, *, proposed: bool) -> None:
    raw = check.raw
    limit = _time_limit(check, lookup, routing, has_date=bool(raw["due_date"]), proposed=proposed)
    due = None
    if raw["due_date"]:
        due = parse_date(raw["due_date"])
        if due is None:
            check.errors.append(f"完成日期“{raw['due_date']}”无法识别，请按 2026-06-30 的格式填写。")
        elif due < today:
            check.errors.append(f"完成日期 {due:%Y-%m-%d} 早于今天，请修改。")
    if limit is not None and limit.kind == TimeLimit.Kind.DATE and not raw["due_date"]:
        due = routing.deadline if routing.deadline and routing.deadline >= today else None
        check.routed["due_date"] = due is not None
        if due is None:
            check.errors.append("时限为“指定日期”时，请填写“完成日期”。")
    check.values["time_limit"] = limit
    check.values["due_date"] = due


def _time_limit(check: RowCheck, lookup: Lookup, routing, *, has_date: bool, proposed: bool):
    text = check.raw["time_limit"]
    if text:
        limit = lookup.time_limits.get(key(text))
        if limit is None:
            names = "、".join(t.name for t in lookup.time_limits.values())
            check.errors.append(f"时限“{text}”无效，请填写：{names}。")
        elif has_date and limit.kind != TimeLimit.Kind.DATE:
            check.errors.append(f"时限“{limit.name}”会自动计算整改期限，与填写的完成日期冲突：请清空其中一项。")
        return limit
    if has_date:
        return next((t for t in lookup.time_limits.values() if t.kind == TimeLimit.Kind.DATE), None)
    check.routed["time_limit"] = True
    if routing.time_limit is None and proposed:
        check.errors.append("责任分工中没有这条标准的整改时限，请填写“时限”或“完成日期”。")
    return routing.time_limit


def parse_date(text: str) -> date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    match = DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


# --- creating -------------------------------------------------------------------------------------


@transaction.atomic
def bulk_handover(*, actor: User, checks: list[RowCheck]) -> list[RectificationTask]:
    """Create every task of a checked file in one transaction: all or nothing."""
    bad = [c for c in checks if not c.ok]
    if bad or not checks:
        raise TransitionError("表格中还有错误，没有交办任何任务。" if bad else "没有可交办的数据行。")
    created = []
    for check in checks:
        v = check.values
        try:
            created.append(task_create(
                actor=actor, title=v["title"], description=v["description"], source=v["source"],
                indicator=v["indicator"], site=v["site"], lead_unit=v["lead_unit"],
                assisting_units=v["assisting_units"], leader=v["leader"], time_limit=v["time_limit"],
                due_date=v["due_date"], priority=v["priority"],
            ))
        except TransitionError as exc:
            raise TransitionError(f"第 {check.row} 行：{exc} 没有交办任何任务。") from None
    return created


# --- the template ---------------------------------------------------------------------------------

NOTES = [
    "填写说明",
    "1. 每行一个问题；第一行为表头，请勿修改列名。带 * 的列必填。",
    "2. 测评标准编号：填写当前测评体系中测评标准一级的编号，如 1.2.3。",
    "3. 点位名称：实地考察类问题填写点位；同名点位在多个区时，请同时填写“区”。材料类问题可留空。",
    "4. 牵头单位、配合单位、分管领导、时限：留空则按责任分工（测评标准 + 点位）自动确定，上传后可在预览中核对。",
    "   单位填写全称或简称；多个配合单位用顿号（、）分隔；同名单位写成“上级单位/单位”，如“湖滨街道/和平社区”。",
    "5. 时限：填写系统中的时限名称（如 5个工作日）；填写了完成日期时时限可留空（按指定日期处理）。",
    "6. 完成日期：格式 2026-06-30，不得早于今天。",
    "7. 来源：督查、暗访、巡查、模拟测评、领导交办、群众投诉、12345热线、自查。紧急程度：一般、紧急、特急（留空为一般）。",
    "8. 上传后先预览，所有行都没有错误时才能确认交办；确认后全部一次交办，有任何一行出错则一件也不交办。",
]


def template_workbook() -> bytes:
    """The empty 批量交办 sheet with drop-downs, and a 填写说明 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "批量交办"
    required = {column.label for column in COLUMNS if column.required}
    append_row(ws, [f"{label}*" if label in required else label for label in HEADERS])
    widths = [28, 40, 14, 20, 10, 10, 18, 24, 10, 12, 12, 10]
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(1, col)
        cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    lists = {
        "F": [label for _v, label in Source.choices],
        "J": [t.name for t in TimeLimit.objects.all()],
        "L": [label for _v, label in Priority.choices],
    }
    for column, values in lists.items():
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        rule.add(f"{column}2:{column}{MAX_ROWS + 1}")
        ws.add_data_validation(rule)
    notes = wb.create_sheet("填写说明")
    for line in NOTES:
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = Font(bold=True, size=13)
    return to_bytes(wb)
