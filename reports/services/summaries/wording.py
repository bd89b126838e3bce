"""The text of a 简报/周报/月报, in the offices' skeleton and register:
一、工作开展情况 二、取得成效 三、存在问题 四、下一步工作打算.

Every number in a sentence comes from ``SummaryData``; a sentence whose figure is zero or
unknown is rewritten or left out (never "整改率—%" or a made-up 0%). Points in 三 and 四 are
numbered 一是、二是 / （一）（二） in the order they occur, so the numbering has no holes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports.models.rates import percent
from reports.services.summaries.data import SummaryData

CN_NUMBERS = "一二三四五六七八九十"
ORDINALS = ["一是", "二是", "三是", "四是", "五是", "六是", "七是"]


@dataclass
class Paragraph:
    text: str
    lead: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


def pct(value: Decimal | None) -> str:
    return f"{value}%"


def count_change(now: int, before: int | None, prev_noun: str) -> str:
    """"较上月增加12件" / "较上月减少3件" / "与上月持平"; "" when there is nothing to compare."""
    if before is None:
        return ""
    if now == before:
        return f"与{prev_noun}持平"
    word = "增加" if now > before else "减少"
    return f"较{prev_noun}{word}{abs(now - before)}件"


def rate_change(now: Decimal | None, before: Decimal | None, against: str) -> str:
    if now is None or before is None:
        return ""
    if now == before:
        return f"与{against}持平"
    word = "提高" if now > before else "下降"
    return f"较{against}{word}{abs(now - before)}个百分点"


def joined(parts: list[str]) -> str:
    return "，".join(p for p in parts if p)


def _names(items: list[tuple[str, int]], unit: str = "件") -> str:
    return "、".join(f"{name}（{n}{unit}）" for name, n in items)


# --- 一、工作开展情况 ----------------------------------------------------------------------------


def _inspections(d: SummaryData) -> Paragraph | None:
    if not d.visits:
        return None
    return Paragraph(f"{d.period.noun}共组织督查检查{d.rounds}轮次，实地检查点位{d.visits}个次，"
                     "对照测评标准逐项检查、现场拍照取证，发现问题即时交办。", "督查检查情况。")


def _handover(d: SummaryData) -> Paragraph:
    noun, f = d.period.noun, d.flows
    if not f.handed_over:
        return Paragraph(f"{noun}未新交办问题。", "问题交办情况。")
    change = count_change(f.handed_over, d.prev_flows.handed_over, d.period.previous_noun)
    text = joined([f"{noun}共交办问题{f.handed_over}件", change, f"涉及责任单位{d.units_involved}个"]) + "。"
    if d.sources:
        text += "从问题来源看，" + "、".join(f"{label}{n}件" for label, n in d.sources) + "。"
    return Paragraph(text, "问题交办情况。")


def _signing(d: SummaryData) -> Paragraph | None:
    f = d.flows
    if not f.signed:
        return None
    text = f"各责任单位{d.period.noun}签收问题{f.signed}件，其中按时签收{f.signed_on_time}件，按时签收率{pct(f.sign_on_time_rate)}"
    text += f"；{d.sign_late}件未在规定时限内签收。" if d.sign_late else "，均在规定时限内签收。"
    return Paragraph(text, "签收办理情况。")


def _chasing(d: SummaryData) -> Paragraph | None:
    parts = []
    if d.chase.get("reminder"):
        parts.append(f"对临近期限的问题发出临期提醒{d.chase['reminder']}份")
    if d.chase.get("urge"):
        parts.append(f"对超过期限的问题发出催办通知{d.chase['urge']}份")
    if d.chase.get("bulletin"):
        parts.append(f"{d.chase['bulletin']}件问题经催办仍未整改到位，列入督查通报")
    if not parts:
        return None
    return Paragraph(f"{d.period.noun}" + "，".join(parts) + "。", "督办催办情况。")


def section_work(d: SummaryData) -> Section:
    items = [p for p in (_inspections(d), _handover(d), _signing(d), _chasing(d)) if p]
    for i, p in enumerate(items):
        p.lead = f"（{CN_NUMBERS[i]}）{p.lead}"
    return Section("一、工作开展情况", items)


# --- 二、取得成效 ------------------------------------------------------------------------------


def _closing(d: SummaryData) -> Paragraph:
    f, noun = d.flows, d.period.noun
    if not f.closed:
        return Paragraph(f"{noun}暂无经核查销号的问题。")
    change = count_change(f.closed, d.prev_flows.closed, d.period.previous_noun)
    head = joined([f"{noun}经核查销号问题{f.closed}件", change])
    return Paragraph(f"{head}，其中按期销号{f.closed_on_time}件，按期销号率{pct(f.close_on_time_rate)}；"
                     f"一次核查即通过{f.first_pass}件，一次核查通过率{pct(f.first_pass_rate)}。")


def _cumulative(d: SummaryData) -> Paragraph | None:
    e = d.end
    if not e.handed_over:
        return None
    end = f"{d.period.end.year}年{d.period.end.month}月{d.period.end.day}日"
    text = f"截至{end}，累计交办问题{e.handed_over}件"
    if e.rebounds:
        text += f"（其中{e.rebounds}件反弹后重新交办，按一件计）"
    if e.rectification_rate is None:
        return Paragraph(text + "。")
    text += f"，应整改{e.to_rectify}件，已整改{e.rectified}件，整改率{pct(e.rectification_rate)}"
    change = rate_change(e.rectification_rate, d.prev_end.rectification_rate, f"{d.period.previous_noun}末")
    return Paragraph(joined([text, change]) + "。")


def _score(d: SummaryData) -> Paragraph | None:
    if d.score is None:
        return None
    shown = percent(d.score.met, d.score.applicable)
    text = f"在{d.score.round_name}中，实地测评得分率为{shown}%"
    if d.score_before is not None:
        before = percent(d.score_before.met, d.score_before.applicable)
        text = joined([text, rate_change(shown, before, f"上一轮（{d.score_before.round_name}）")])
    return Paragraph(text + "。")


def _praise(d: SummaryData) -> Paragraph | None:
    good = [u for u in d.best if u.counts.red == 0 and u.rate is not None]
    if not good:
        return None
    names = "、".join(u.name for u in good)
    low = min(u.rate for u in good)
    return Paragraph(f"{names}等单位整改率均不低于{low}%且无超期问题，整改成效较好，予以通报表扬。")


def section_results(d: SummaryData) -> Section:
    return Section("二、取得成效", [p for p in (_closing(d), _cumulative(d), _score(d), _praise(d)) if p])


# --- 三、存在问题 ------------------------------------------------------------------------------


def _problem_points(d: SummaryData) -> list[str]:
    e, f, noun = d.end, d.flows, d.period.noun
    points = []
    if e.red:
        text = f"部分问题整改超期。截至期末，仍有{e.red}件问题超过整改期限未销号"
        text += f"，另有{e.yellow}件临近整改期限" if e.yellow else ""
        text += f"，超期问题较多的单位有{_names(d.red_units)}" if d.red_units else ""
        points.append(text + "。")
    if f.rebounds:
        rate = f"，累计反弹率{pct(e.rebound_rate)}" if e.rebound_rate is not None else ""
        points.append(f"问题反弹仍有发生。{noun}回头看发现反弹问题{f.rebounds}件{rate}。")
    if d.closed_late:
        points.append(f"部分问题未能按期整改。{noun}销号的问题中有{d.closed_late}件超过整改期限才完成销号。")
    if d.sign_late:
        points.append(f"个别单位签收不够及时，{noun}有{d.sign_late}件问题超过签收时限。")
    points.extend(_weak_points(d))
    return points


def _weak_points(d: SummaryData) -> list[str]:
    points = []
    average = d.end.rectification_rate
    lagging = [u for u in d.worst if average is not None and u.rate is not None and u.rate < average]
    if lagging:
        names = "、".join(f"{u.name}（{u.rate}%）" for u in lagging)
        points.append(f"单位之间进展不平衡。{names}整改率低于平均水平（{average}%）。")
    weak = _weak_types(d)
    if weak:
        points.append("部分点位类型短板明显。" + "、".join(f"{name}得分率{rate}%" for name, rate in weak)
                      + "，低于总体得分率。")
    if d.evidence and d.evidence[1] < d.evidence[0]:
        points.append(f"台账资料仍有缺项。应备材料{d.evidence[0]}项中齐全{d.evidence[1]}项，"
                      f"材料完整率{pct(d.evidence_rate)}。")
    return points


def _weak_types(d: SummaryData) -> list[tuple[str, Decimal]]:
    """Up to three site types whose shown score rate is below the scope's, lowest first."""
    if d.score is None or not d.score.applicable:
        return []
    overall = percent(d.score.met, d.score.applicable)
    rates = [(name, percent(Decimal(met), Decimal(applicable))) for name, (met, applicable) in d.score.by_type.items()]
    return sorted(((n, r) for n, r in rates if r is not None and r < overall), key=lambda x: (x[1], x[0]))[:3]


def section_problems(d: SummaryData) -> Section:
    points = _problem_points(d)
    if not points:
        return Section("三、存在问题", [Paragraph(f"{d.period.noun}未发现突出问题，但巩固整改成果、防止问题反弹的任务依然艰巨。")])
    return Section("三、存在问题", [Paragraph(f"{ORDINALS[i]}{p}") for i, p in enumerate(points)])


# --- 四、下一步工作打算 ---------------------------------------------------------------------------


def _plans(d: SummaryData) -> list[tuple[str, str]]:
    plans = []
    if d.end.red:
        plans.append(("紧盯超期问题挂牌督办。", f"对{d.end.red}件超期问题逐件建立台账、明确时限，由分管领导督促责任单位限期整改；"
                                       "对经催办仍未整改到位的，按程序列入督查通报，必要时实施约谈。"))
    if d.flows.rebounds or d.end.rebounds:
        plans.append(("持续开展“回头看”。", "对已销号问题按比例复查，对反弹问题提级督办、挂牌整改，防止问题反复。"))
    weak = _weak_types(d)
    if weak:
        names = "、".join(name for name, _rate in weak)
        plans.append(("补齐点位短板。", f"针对{names}等得分率偏低的点位类型，组织责任单位对照测评标准逐项整改、逐项销号。"))
    if d.evidence and d.evidence[1] < d.evidence[0]:
        plans.append(("规范台账资料。", "督促相关单位对照测评体系补齐缺项材料，做到资料完整、真实、规范，确保迎检时调得出、看得懂。"))
    plans.append(("强化考核奖惩。", "继续实行红黑榜通报制度，将问题整改情况纳入年度创建工作考核，对整改不力的单位严肃问责。"))
    return plans


def section_plans(d: SummaryData) -> Section:
    return Section("四、下一步工作打算",
                   [Paragraph(text, f"（{CN_NUMBERS[i]}）{lead}") for i, (lead, text) in enumerate(_plans(d))])


def opening(d: SummaryData, subject: str) -> str:
    return (f"{d.period.span_text}，{subject}坚持问题导向，围绕“发现、交办、整改、核查、销号”闭环管理，"
            f"扎实推进问题整改。现将{d.period.noun}工作情况通报如下。")


def sections(d: SummaryData) -> list[Section]:
    return [section_work(d), section_results(d), section_problems(d), section_plans(d)]
