"""Sentences about the database's figures, each carrying the Figures its numbers come from.

Numbers are written as 公文 write them: the tools' two decimals without trailing zeros (1916万美元, 559%,
240.6万美元; `gongwen_value`), the same value the tools report. A value the text needs but
no tool returns (a difference from 序时进度, a 降幅, a share) is computed here with Decimal and attached
as a Figure marked （计算）, with the source rows and formula of the figures it was computed from.
Missing data is left out of the sentence, never written as zero.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from assistant.db.errors import DatabaseNotReady
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.db.units import round2, to_decimal
from assistant.errors import AssistantError
from assistant.tools import (
    CityTotalResult,
    EventList,
    IndicatorResult,
    LaggingResult,
    ProblemList,
    ProjectStats,
    RankingResult,
)
from assistant.tools.formulas import FORMULAS
from assistant.tools.ledger import CountItem, open_problems, solved_problems
from assistant.tools.types import Figure, Provenance, cn_date
from assistant.tools.types import format_value as tool_value

from .templates import phrase

log = logging.getLogger(__name__)
T = TypeVar("T")
DOMESTIC, FOREIGN = "实际引进内资", "外商直接投资"
LARGE_YI, HUGE_YI = 5, 10  # 大项目 thresholds (亿元), as in FORMULAS["大项目"]


TRAILING_ZEROS = re.compile(r"(\d+)\.(\d*?)0+(?!\d)")


def gongwen_value(value: float | None, unit: str) -> str:
    """A figure as prose in a 公文 writes it: 1916万美元 and 559% rather than 1916.00万美元 and 559.00%."""
    return TRAILING_ZEROS.sub(lambda m: m[1] + (f".{m[2]}" if m[2] else ""), tool_value(value, unit))


@dataclass
class Fact:
    """A sentence (without final punctuation) and the figures behind its numbers."""

    text: str = ""
    figures: list[Figure] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.text)


def join(facts: list[Fact], sep: str = "；", end: str = "。") -> Fact:
    present = [f for f in facts if f]
    if not present:
        return Fact()
    return Fact(sep.join(f.text for f in present) + end, [x for f in present for x in f.figures])


def attempt(call: Callable[[], T]) -> T | None:
    """A tool result, or None when the database has nothing for it (unknown period, no rows)."""
    try:
        return call()
    except DatabaseNotReady:
        raise
    except (AssistantError, KeyError, ValueError) as exc:
        log.info("no figure: %s", exc)
        return None


def short_label(period: Period) -> str:
    """2023年一季度, 2023年1-7月, 2023年."""
    if period.month == 12:
        return f"{period.year}年"
    return period.label.split("（")[0]


def as_of(period: Period) -> str:
    """截至2023年3月底 / 截至2023年底."""
    return f"截至{period.year}年底" if period.month == 12 else f"截至{period.year}年{period.month}月底"


def derived(label: str, value: Decimal, unit: str, base: Provenance, term: str) -> Figure:
    prov = base.model_copy(update={"formula": FORMULAS[term]})
    return Figure(label=f"{label}（计算）", value=float(value), unit=unit, period=base.period, provenance=prov)


def _pct(value: float | Decimal) -> str:
    return gongwen_value(float(value), "%")


def metric_word(metric: str) -> str:
    return phrase("facts", "domestic_word" if metric == DOMESTIC else "foreign_word")


def indicator_fact(result: CityTotalResult | IndicatorResult, subject: str, target: bool = True) -> Fact:
    """“全市实际引进内资381.47亿元，同比增长4.63%，完成年度目标1250.28亿元的30.51%，高于25.00%的序时进度5.51个百分点”."""
    if result.value is None:
        return Fact()
    period = parse_period(result.period)
    label = f"{subject or '全市'} {result.metric} {result.period}"
    figures = list(result.figures)
    parts = [phrase("facts", "value", subject=subject, metric=metric_word(result.metric),
                    value=gongwen_value(result.value, result.unit))]
    if result.yoy_pct is not None:
        if result.yoy_pct >= 0:
            parts.append(phrase("facts", "yoy_up", pct=_pct(result.yoy_pct)))
        else:
            drop = abs(to_decimal(result.yoy_pct))
            parts.append(phrase("facts", "yoy_down", pct=_pct(drop)))
            figures.append(derived(f"{label} 同比降幅", drop, "%", result.provenance, "同比"))
    if result.completion_pct is not None and result.annual_target:
        key = "completion_target" if target else "completion"
        parts.append(phrase("facts", key, target=gongwen_value(result.annual_target, result.unit),
                            pct=_pct(result.completion_pct)))
        schedule = round2(period.schedule_pct)
        diff = to_decimal(result.completion_pct) - schedule
        if period.month < 12 and diff != 0:
            gap = gongwen_value(float(abs(diff)), "个百分点")
            parts.append(phrase("facts", "ahead" if diff > 0 else "behind", schedule=_pct(schedule), gap=gap))
            figures.append(derived(f"{label} 与序时进度之差", abs(diff), "个百分点", result.provenance, "低于序时进度"))
    return Fact("，".join(parts), figures)


def ranking_fact(ranking: RankingResult, top: int = 3) -> Fact:
    rows = [r for r in ranking.rows if r.completion_pct is not None][:top]
    if len(rows) < 2:
        return Fact()
    listing = "、".join(f"{r.region}（{_pct(r.completion_pct or 0)}）" for r in rows)
    return Fact(phrase("facts", "ranking_top", metric=metric_word(ranking.metric), regions=listing), ranking.figures)


def project_fact(stats: ProjectStats, subject: str) -> Fact:
    if not stats.project_count:
        return Fact()
    parts = [phrase("facts", "projects_signed", subject=subject, count=gongwen_value(stats.signed_count, "个"))]
    if stats.total_investment_yi_yuan is not None:
        parts[0] += phrase("facts", "projects_total", total=gongwen_value(stats.total_investment_yi_yuan, "亿元"))
    if stats.start_rate_pct is not None:
        parts.append(phrase("facts", "projects_started", count=gongwen_value(stats.started_count, "个"),
                            rate=_pct(stats.start_rate_pct)))
    if stats.funds_rate_pct is not None and stats.funds_arrived_yi_yuan is not None:
        parts.append(phrase("facts", "projects_funds", funds=gongwen_value(stats.funds_arrived_yi_yuan, "亿元"),
                            rate=_pct(stats.funds_rate_pct)))
    return Fact("；".join(parts), list(stats.figures))


def rates_fact(stats: ProjectStats, period: Period) -> Fact:
    """开工率 and 资金到位率 alone, for a reply letter's 项目落地 paragraph."""
    if stats.start_rate_pct is None:
        return Fact()
    text = phrase("facts", "rates", as_of=as_of(period), rate=_pct(stats.start_rate_pct))
    if stats.funds_rate_pct is not None:
        text += phrase("facts", "rates_funds", rate=_pct(stats.funds_rate_pct))
    return Fact(text, list(stats.figures))


def _threshold_figures(prov: Provenance) -> list[Figure]:
    return [Figure(label=f"大项目标准（总投资{n}亿元以上）", value=n, unit="亿元", period=prov.period,
                   provenance=prov.model_copy(update={"formula": FORMULAS["大项目"]})) for n in (LARGE_YI, HUGE_YI)]


def large_projects_fact(stats: ProjectStats, subject: str) -> Fact:
    if not stats.project_count:
        return Fact()
    share = round2(Decimal(stats.count_ge_5_yi) * 100 / Decimal(stats.project_count))
    figures = list(stats.figures) + _threshold_figures(stats.provenance)
    figures.append(derived(f"{subject}5亿元以上项目占比", share, "%", stats.provenance, "大项目"))
    text = phrase("facts", "large_projects", subject=subject, large=str(LARGE_YI), huge=str(HUGE_YI),
                  count=gongwen_value(stats.count_ge_5_yi, "个"), share=_pct(share),
                  count_huge=gongwen_value(stats.count_ge_10_yi, "个"))
    return Fact(text, figures)


def large_share(stats: ProjectStats) -> Decimal | None:
    if not stats.project_count:
        return None
    return Decimal(stats.count_ge_5_yi) * 100 / Decimal(stats.project_count)


def events_fact(events: EventList, subject: str) -> Fact:
    if not events.event_count:
        return Fact()
    text = phrase("facts", "events", subject=subject, count=gongwen_value(events.event_count, "场"))
    if events.contracts_total is not None and events.amount_total_yi_yuan is not None:
        text += phrase("facts", "events_signed", count=gongwen_value(events.contracts_total, "个"),
                       amount=gongwen_value(events.amount_total_yi_yuan, "亿元"))
    return Fact(text, list(events.figures))


def events_list_fact(events: EventList, start: date, end: date, top: int = 4) -> Fact:
    """The period's activities by name, from the events table: “3月9日在成都举办富硒食品产业链精准招商推介会”."""
    items = [e for e in events.items if start <= e.held_on <= end][:top]
    if not items:
        return Fact()
    named = "；".join(phrase("facts", "event_item", month=str(e.held_on.month), day=str(e.held_on.day), city=e.city,
                            title=e.title) for e in items)
    return Fact(phrase("facts", "events_named", items=named), [])


def problems_as_of(store: FigureStore, day: date, region: str | None = None) -> ProblemList:
    """The ledger's problems that were open on `day`: raised on or before it and not yet solved then (a
    problem solved later counts; one raised later does not). Built from the ledger's open and solved lists."""
    still_open = open_problems(store, region)
    solved = solved_problems(store, region)
    items = [i for i in still_open.items if i.opened_on <= day]
    items += [i for i in solved.items if i.opened_on <= day and (i.closed_on is None or i.closed_on > day)]
    items.sort(key=lambda i: (i.opened_on, i.code))
    counts = Counter(i.department for i in items)
    regions = Counter(i.region for i in items)
    rows = sorted({i.id for i in items})
    prov = still_open.provenance.model_copy(update={
        "row_ids": rows, "formula": f"{cn_date(day)}时未解决的问题 = 提出日期不晚于该日、且当时尚未解决"})
    return ProblemList(region=still_open.region, department=None, items=items, open_count=len(items),
                       by_department=[CountItem(name=n, count=c) for n, c in counts.most_common()],
                       by_region=[CountItem(name=n, count=c) for n, c in regions.most_common()],
                       provenance=prov, summary=f"{day.isoformat()} 时未解决的问题 {len(items)} 个")


def problems_fact(problems: ProblemList, day: date, top: int = 3) -> Fact:
    """“截至2023年3月底，项目问题台账中尚有6个问题未解决……” for the problems open on `day` (a month end)."""
    if not problems.open_count:
        return Fact()
    prov = problems.provenance
    figures = [Figure(label="问题台账 未解决问题数", value=problems.open_count, unit="个", period=None, provenance=prov)]
    figures += [Figure(label=f"问题台账 {d.name} 未解决问题数", value=d.count, unit="个", period=None, provenance=prov)
                for d in problems.by_department[:top]]
    departments = "、".join(f"{d.name}（{d.count}个）" for d in problems.by_department[:top])
    when = f"截至{day.year}年底" if day.month == 12 else f"截至{day.year}年{day.month}月底"
    return Fact(phrase("facts", "problems", as_of=when, count=gongwen_value(problems.open_count, "个"),
                       departments=departments), figures)


def laggards_fact(lagging: LaggingResult) -> Fact:
    if not lagging.lagging:
        return Fact()
    names = "、".join(x.region for x in lagging.lagging)
    pcts = "、".join(_pct(x.completion_pct) for x in lagging.lagging)
    key = "laggards_many" if len(lagging.lagging) > 1 else "laggards_one"
    return Fact(phrase("facts", key, as_of=as_of(parse_period(lagging.period)), regions=names,
                       metric=metric_word(lagging.metric), pcts=pcts, schedule=_pct(lagging.schedule_pct)),
                list(lagging.figures))


def on_schedule_fact(lagging: LaggingResult) -> Fact:
    """“13个县（市、区）、开发区中有11个达到25.00%的序时进度”."""
    ranked = len(lagging.lagging) + len(lagging.on_schedule)
    if not ranked:
        return Fact()
    figures = list(lagging.figures)
    base = f"{lagging.period} {lagging.metric}"
    figures.append(derived(f"{base} 有完成进度的地区数", Decimal(ranked), "个", lagging.provenance, "低于序时进度"))
    figures.append(derived(f"{base} 达到序时进度的地区数", Decimal(len(lagging.on_schedule)), "个",
                           lagging.provenance, "低于序时进度"))
    return Fact(phrase("facts", "on_schedule", total=gongwen_value(ranked, "个"), metric=metric_word(lagging.metric),
                       count=gongwen_value(len(lagging.on_schedule), "个"), schedule=_pct(lagging.schedule_pct)), figures)


def foreign_regions_fact(ranking: RankingResult) -> Fact:
    """“外资仅汉阴县、高新区分别到位236.70万美元、3.90万美元，其余11个县（市、区）、开发区均为零”."""
    positive = [r for r in ranking.rows if r.value]
    zero = [r for r in ranking.rows if r.value == 0] + [None] * len(ranking.no_data)
    if not positive or not zero:
        return Fact()
    figures = list(ranking.figures)
    figures.append(derived(f"{ranking.period} 外资为零或无数据的地区数", Decimal(len(zero)), "个",
                           ranking.provenance, "排名"))
    values = "、".join(gongwen_value(r.value, ranking.value_unit) for r in positive)
    key = "foreign_regions_many" if len(positive) > 1 else "foreign_regions_one"
    return Fact(phrase("facts", key, regions="、".join(r.region for r in positive), values=values,
                       rest=gongwen_value(len(zero), "个")), figures)


def foreign_gap_fact(result: CityTotalResult) -> Fact:
    """The city's foreign-investment completion against 序时进度, when behind."""
    period = parse_period(result.period)
    if result.completion_pct is None or period.month == 12:
        return Fact()
    schedule = round2(period.schedule_pct)
    gap = schedule - to_decimal(result.completion_pct)
    if gap <= 0:
        return Fact()
    figures = list(result.figures)
    figures.append(derived(f"全市 {result.metric} {result.period} 低于序时进度", gap, "个百分点",
                           result.provenance, "低于序时进度"))
    return Fact(phrase("facts", "foreign_gap", as_of=as_of(period), pct=_pct(result.completion_pct),
                       schedule=_pct(schedule), gap=gongwen_value(float(gap), "个百分点")), figures)
