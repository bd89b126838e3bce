"""What reading a 目标任务分解表 produces: the indicators and responsibility rows to create, each
sheet row as the preview shows it, and the codes the portal had to give. framework_sheet fills
these in; load writes them and changes compares them with an edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from campaign.models import OrgUnit, Site, SiteType, TimeLimit, User
from campaign.services.spreadsheets.lookups import TimeLimitDirectory
from campaign.services.spreadsheets.questions import Answers, Question
from campaign.services.spreadsheets.reading import RowErrorSummary, Table
from campaign.services.spreadsheets.text import key

LEVEL_LABELS = {1: "测评类别", 2: "测评项目", 3: "测评内容", 4: "测评标准"}


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
class Understood:
    """One cell read into something else than its text: shown beside what was typed."""

    column: str
    typed: str
    meaning: str


@dataclass
class PreviewRow:
    number: int
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    kind: str = ""
    scope: str = ""
    sheet: str = ""
    hidden: bool = False
    understood: list[Understood] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    code: str = ""


@dataclass
class Renumbered:
    """An office code the portal could not keep (absent or clashing), and the code it gave."""

    row: int
    level: str
    name: str
    office: str
    portal: str
    reason: str


@dataclass
class FrameworkImport(RowErrorSummary):
    table: Table
    nodes: dict[str, Node]
    duties: list[Duty]
    rows: list[PreviewRow]
    answers: Answers = field(default_factory=lambda: Answers(given={}))
    renumbered: list[Renumbered] = field(default_factory=list)
    new_time_limits: list[TimeLimit] = field(default_factory=list)
    differences: object = None  # changes.Differences when the sheet updates an existing edition

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LEVEL_LABELS.values(), 0)
        for node in self.nodes.values():
            counts[LEVEL_LABELS[node.level]] += 1
        counts["责任分工"] = len(self.duties)
        return counts

    @property
    def questions(self) -> list[Question]:
        """What the office must answer before the import can be confirmed."""
        return self.answers.open

    @property
    def is_valid(self) -> bool:
        return not self.messages and not self.questions

    def also_written(self) -> list[str]:
        """What confirming writes besides the tree and the matrix (from the answers and the time limits)."""
        lines = [f"记“{text}”为“{unit.name}”的别名" for text, unit in self.answers.aliases.items()
                 if any(key(text) == k for k in self._used_aliases)]
        lines += [f"新建单位“{u.name}”（{u.get_kind_display()}，上级：{u.parent.name if u.parent else '无'}）"
                  for u in self.answers.new_units.values()]
        lines += [f"新建分管领导“{user.full_name}”（{unit.name}{'，' + title if title else ''}；账号需由创文办设置密码后才能登录）"
                  for user, unit, title in self.answers.new_leaders.values()]
        lines += [f"新建完成时限“{t.name}”（{TimeLimitDirectory.understood(t, None)}）" for t in self.new_time_limits]
        return lines

    @property
    def _used_aliases(self) -> set[str]:
        return {key(text) for text in self.answers.aliases}
