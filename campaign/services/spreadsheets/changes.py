"""A re-import of an edited 目标任务分解表 into the edition it came from: what the sheet adds, what
it changes and what it leaves as it is, matched by code (indicators) and by code and scope
(responsibility rows). Importing the same sheet again finds nothing to change. Indicators and rows
the sheet no longer lists are kept (old tasks point at them); the preview says how many."""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign.models import Framework, Indicator, Responsibility
from campaign.services.spreadsheets.framework_sheet import LEVEL_LABELS, Duty, FrameworkImport, Node, implied_evidence
from campaign.services.spreadsheets.lookups import TimeLimitDirectory


@dataclass
class Change:
    row: int
    what: str
    fields: list[tuple[str, str, str]]  # (label, before, after)


@dataclass
class Differences:
    framework: Framework
    new_nodes: list[Node] = field(default_factory=list)
    new_duties: list[Duty] = field(default_factory=list)
    changed_nodes: dict[str, Indicator] = field(default_factory=dict)
    changed_duties: list[tuple[Duty, Responsibility]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rows: int = 0
    kept: int = 0

    @property
    def new_rows(self) -> set[int]:
        return {n.own_row or n.row for n in self.new_nodes} | {d.row for d in self.new_duties}

    @property
    def new(self) -> int:
        """Sheet rows that add something (an indicator or a responsibility row)."""
        return len(self.new_rows)

    @property
    def changed(self) -> int:
        """Sheet rows that change something, and add nothing."""
        return len({c.row for c in self.changes} - self.new_rows)

    @property
    def unchanged(self) -> int:
        return self.rows - self.new - self.changed

    @property
    def is_empty(self) -> bool:
        return not self.new_nodes and not self.new_duties and not self.changes


def compare(framework: Framework, parsed: FrameworkImport) -> Differences:
    """The differences between ``framework`` and the parsed sheet. Row problems that make an
    update impossible (a code that changed level or parent) go on the parsed rows."""
    diff = Differences(framework)
    existing = {i.code: i for i in framework.indicators.select_related("parent").prefetch_related("site_types")}
    rows = {r.number: r for r in parsed.rows}
    for node in parsed.nodes.values():
        _compare_node(diff, node, existing.get(node.code), rows)
    duties = {
        (r.indicator.code, r.site_type_id, r.site_id): r
        for r in Responsibility.objects.filter(indicator__framework=framework).select_related(
            "indicator", "lead_unit", "leader", "time_limit").prefetch_related("responsible_units", "assisting_units")
    }
    for duty in parsed.duties:
        scope = (duty.code, duty.site_type.pk if duty.site_type else None, duty.site.pk if duty.site else None)
        _compare_duty(diff, duty, duties.pop(scope, None))
    diff.kept = sum(1 for code in existing if code not in parsed.nodes)
    diff.rows = sum(1 for r in parsed.rows if not r.errors)
    return diff


def _compare_node(diff: Differences, node: Node, indicator: Indicator | None, rows: dict) -> None:
    if indicator is None:
        diff.new_nodes.append(node)
        return
    parent = indicator.parent.code if indicator.parent else None
    if indicator.level != node.level or parent != node.parent:
        rows[node.row].errors.append(
            f"编号“{node.code}”在“{diff.framework}”中是{LEVEL_LABELS[indicator.level]}“{indicator.name}”"
            f"（上级 {parent or '无'}），表中是{LEVEL_LABELS[node.level]}（上级 {node.parent or '无'}）："
            "更新不能改变层级或上级，请改为新建版本导入。")
        return
    evidence = node.evidence if node.evidence is not None else implied_evidence(node.methods)
    pairs = [
        ("名称", indicator.name, node.name), ("标准内容", indicator.text, node.text),
        ("测评方法", "、".join(indicator.methods), "、".join(node.methods)),
        ("分值", _text(indicator.points), _text(node.points)),
        ("适用点位类型", "、".join(sorted(t.name for t in indicator.site_types.all())),
         "、".join(sorted(t.name for t in node.site_types))),
        ("必备材料类别", "、".join(indicator.evidence_categories), "、".join(evidence)),
        ("负面清单", _yes(indicator.is_negative), _yes(node.is_negative)),
    ]
    _record(diff, node.own_row or node.row, f"{LEVEL_LABELS[node.level]} {node.code}", pairs,
            lambda: diff.changed_nodes.__setitem__(node.code, indicator))


def _compare_duty(diff: Differences, duty: Duty, row: Responsibility | None) -> None:
    if row is None:
        diff.new_duties.append(duty)
        return
    pairs = [
        ("牵头单位", _unit(row.lead_unit), _unit(duty.lead_unit)),
        ("责任单位", _units(row.responsible_units.all()), _units(duty.responsible)),
        ("配合单位", _units(row.assisting_units.all()), _units(duty.assisting)),
        ("分管领导", _user(row.leader), _user(duty.leader)),
        ("完成时限", TimeLimitDirectory.label(row.time_limit, row.deadline),
         TimeLimitDirectory.label(duty.time_limit, duty.deadline)),
        ("备注", row.note, duty.note),
    ]
    scope = f"（限定 {duty.site_type or duty.site}）" if duty.site_type or duty.site else ""
    _record(diff, duty.row, f"责任分工 {duty.code}{scope}", pairs, lambda: diff.changed_duties.append((duty, row)))


def _record(diff: Differences, row: int, what: str, pairs, remember) -> None:
    changed = [(label, before or "（空）", after or "（空）") for label, before, after in pairs if before != after]
    if changed:
        diff.changes.append(Change(row, what, changed))
        remember()


def _text(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _unit(unit) -> str:
    return unit.name if unit else ""


def _units(units) -> str:
    return "、".join(sorted(u.name for u in units))


def _user(user) -> str:
    return (user.full_name or user.username) if user else ""
