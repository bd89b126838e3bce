"""One issue of a report laid out once, written twice: the PDF (WeasyPrint) and the .docx
(python-docx) read the same ``Issue``, so both hold the same words and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reports.models.rates import percent
from reports.services.summaries.cases import Case
from reports.services.summaries.charts import Chart, bar_chart, column_chart
from reports.services.summaries.data import SummaryData, UnitLine
from reports.services.summaries.wording import Section, opening, sections

MASTHEADS = {"weekly": "创文工作周报", "monthly": "创文工作月报", "briefing": "创文工作简报"}
RANK_HEADER = ["名次", "单位", "累计交办", "应整改", "已整改", "整改率", "超期", "按期销号率", "反弹"]


@dataclass
class Figure:
    caption: str
    chart: Chart


@dataclass
class Issue:
    masthead: str
    issue_label: str
    editor: str
    published: date
    headline: str
    opening: str
    sections: list[Section]
    figures: dict[int, list[Figure]] = field(default_factory=dict)  # section index → figures after it
    best: list[list[str]] = field(default_factory=list)
    worst: list[list[str]] = field(default_factory=list)
    ranking: list[list[str]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    distribution: list[tuple[str, str]] = field(default_factory=list)

    @property
    def date_text(self) -> str:
        return f"{self.published.year}年{self.published.month}月{self.published.day}日"

    def numbered_figures(self):
        """(section index, "图N  caption", chart) in reading order."""
        n = 0
        for index in sorted(self.figures):
            for figure in self.figures[index]:
                n += 1
                yield index, f"图{n}　{figure.caption}", figure.chart


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def rank_cells(line: UnitLine) -> list[str]:
    c = line.counts
    return [str(line.rank), line.name, str(c.handed_over), str(c.to_rectify), str(c.rectified), _rate(line.rate),
            str(c.red), _rate(c.close_on_time_rate), str(c.rebounds)]


def _figures(d: SummaryData) -> dict[int, list[Figure]]:
    figures: dict[int, list[Figure]] = {}
    if any(h or c for _l, h, c in d.series):
        chart = column_chart([label for label, _h, _c in d.series],
                             [("交办", [h for _l, h, _c in d.series]), ("销号", [c for _l, _h, c in d.series])])
        figures.setdefault(0, []).append(Figure(f"{d.period.noun}问题交办与销号情况（件）", chart))
    if d.score is not None and d.score.by_type:
        rows = sorted(((name, percent(met, app)) for name, (met, app) in d.score.by_type.items()),
                      key=lambda x: (x[1] is None, -(x[1] or 0)))
        rows = [(name, rate) for name, rate in rows if rate is not None]
        if rows:
            chart = bar_chart([n for n, _r in rows], [r for _n, r in rows], maximum=100, suffix="%")
            figures.setdefault(1, []).append(Figure(f"{d.score.round_name}分点位类型得分率", chart))
    if d.red_units:
        chart = bar_chart([n for n, _c in d.red_units], [c for _n, c in d.red_units], colour="#c0392b", suffix="件")
        figures.setdefault(2, []).append(Figure("超期问题较多的单位（截至期末）", chart))
    return figures


def build_issue(d: SummaryData, *, kind: str, issue_label: str, office_name: str, subject: str,
                published: date, headline: str, cases: list[Case]) -> Issue:
    return Issue(
        masthead=MASTHEADS[kind], issue_label=issue_label, editor=f"{office_name}编", published=published,
        headline=headline, opening=opening(d, subject), sections=sections(d), figures=_figures(d),
        best=[rank_cells(u) for u in d.best], worst=[rank_cells(u) for u in d.worst],
        ranking=[rank_cells(u) for u in d.ranking], cases=cases,
        distribution=[("报", "市创建全国文明城市工作领导小组组长、副组长"), ("送", "各分管领导"),
                      ("发", "各区（县）、市直各责任单位")],
    )
