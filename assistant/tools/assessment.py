"""考核 engine: a scoring scheme (assistant/resources/assessment.yaml: indicators, weights, targets, county classes)
applied to the indicator table and the project ledger; each county's score, its rank within its class, and for
every point the rows and the formula behind it.

得分 = min(实际值 ÷ 目标值, 1) × 权重. An indicator target of “序时进度” is the period's schedule (一季度 25%…);
a ledger target is a fixed percentage. A value the database does not hold scores 0 and says 无数据.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from sqlalchemy import select

from assistant.db.errors import InvalidValue
from assistant.db.models import Indicator, Region
from assistant.db.periods import Period, parse_period
from assistant.db.reference import configured_city
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.tools.common import check_region, guard_aggregate, provenance, resolve_region
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.lifecycle import RATE_RULES, county_rates, ledger_date, load_ledger
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date

SCHEME_FILE = Path(__file__).resolve().parents[1] / "resources" / "assessment.yaml"
SCORE_RULE = "得分 = min(实际值 ÷ 目标值, 1) × 权重；无数据记 0 分；总分为各项得分之和，类别内按总分由高到低排名，并列同名次"
_LEDGER_FIELDS = {"开工率": "start_rate_pct", "资金到位率": "funds_rate_pct", "合同履约率": "fulfilment_rate_pct",
                  "涉链占比": "key_chain_share_pct"}


@dataclass(frozen=True)
class ScoredIndicator:
    name: str
    source: str  # indicator | ledger
    key: str  # metric or rate name
    weight: float
    target: str | float


@dataclass(frozen=True)
class Scheme:
    name: str
    classes: dict[str, list[str]]
    indicators: list[ScoredIndicator]


def load_scheme(path: Path = SCHEME_FILE) -> Scheme:
    """Read and check a scheme file; InvalidValue naming the bad entry otherwise."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InvalidValue(f"无法读取考核方案 {path.name}：{err}") from err
    indicators = []
    for i, item in enumerate(data.get("indicators") or [], start=1):
        source = item.get("source")
        key = item.get("metric") if source == "indicator" else item.get("rate")
        if source not in ("indicator", "ledger") or not key or not isinstance(item.get("weight"), int | float):
            raise InvalidValue(f"考核方案 {path.name} 第 {i} 个指标有误：须有 name、source（indicator 或 ledger）、"
                               "metric 或 rate、数值 weight。")
        if source == "ledger" and key not in _LEDGER_FIELDS:
            raise InvalidValue(f"考核方案 {path.name} 第 {i} 个指标的 rate“{key}”应为：{'、'.join(_LEDGER_FIELDS)}。")
        indicators.append(ScoredIndicator(str(item["name"]), source, str(key), float(item["weight"]),
                                          item.get("target", "序时进度")))
    classes = {str(k): [str(r) for r in v] for k, v in (data.get("classes") or {}).items()}
    if not indicators or not classes:
        raise InvalidValue(f"考核方案 {path.name} 缺少 indicators 或 classes。")
    return Scheme(str(data.get("name", "考核方案")), classes, indicators)


class Point(BaseModel):
    indicator: str
    actual: float | None
    target: float
    weight: float
    score: float
    lost: float
    formula: str
    table: str
    row_ids: list[int]


class CountyScore(BaseModel):
    region: str
    county_class: str
    total: float
    rank_in_class: int
    class_size: int
    points: list[Point]


class AssessmentResult(BaseModel):
    scheme: str
    period: str
    ledger_as_of: str
    rows: list[CountyScore]
    figures: list[Figure]
    provenance: Provenance
    summary: str


def county_classes() -> list[str]:
    """The county classes of the configured scheme (一类, 二类, 三类): a question may ask the ranking of one."""
    return list(load_scheme(configured_city().assessment_file or SCHEME_FILE).classes)


def class_members(county_class: str) -> list[str]:
    """The counties of one class of the configured scheme (二类 → 汉阴县, 石泉县, …); InvalidValue naming the classes
    when the scheme has no such class."""
    scheme = load_scheme(configured_city().assessment_file or SCHEME_FILE)
    if county_class not in scheme.classes:
        raise InvalidValue(f"考核方案中没有“{county_class}”县区。方案中的县区类别：{'、'.join(scheme.classes)}。")
    return list(scheme.classes[county_class])


def class_label(county_class: str, members: list[str]) -> str:
    """How an answer names a class with its counties: 二类县区（汉阴县、石泉县、…）."""
    return f"{county_class}县区（{'、'.join(members)}）"


def class_of(region: str) -> str | None:
    """The class of the configured scheme a county is in (汉阴县 → 二类), or None."""
    scheme = load_scheme(configured_city().assessment_file or SCHEME_FILE)
    return next((name for name, members in scheme.classes.items() if region in members), None)


def _score(actual: Decimal | None, target: Decimal, weight: float) -> Decimal:
    if actual is None or target <= 0:
        return Decimal(0)
    return round2(min(actual / target, Decimal(1)) * Decimal(str(weight)))


@figure_tool(
    "季度考核：按考核方案计算各县区得分、类别内排名和失分原因",
    examples=[
        "考核得分排在最后的县区失分在哪", "二季度考核各县区得分排名", "考核得分最低的县区是哪个",
        "汉阴县考核扣分在哪些指标", "一类县区考核排名", "季度考核结果怎么样", "考核问效排名",
    ],
    slots={"county_class": "county_class"},
    path="assessment",
)
def assessment(store: FigureStore, period: str | None = None, region: str | None = None,
               county_class: str | None = None) -> AssessmentResult:
    """按考核方案（城市配置中的“考核方案”，默认 assistant/resources/assessment.yaml：指标、权重、目标、县区分类）计算各县区考核得分和类别内排名，
    并列出每一分来自哪些数据行、按什么公式，以及失分最多的指标（原因）。

    period：考核期间，如“2023Q2”，不填时为县区指标中最新的季度；region：可选，只看该县区（仍按全部县区排名）；
    county_class：可选，只列该类县区，如“一类”“三类”。
    """
    scheme = load_scheme(configured_city().assessment_file or SCHEME_FILE)  # the configured city's scheme
    if county_class:
        class_members(county_class)  # an unknown class is refused, naming the scheme's
    with store.session() as session:
        regions = {r.name: r.id for r in session.scalars(select(Region))}
        county_periods = (select(Indicator.period).join(Region, Indicator.region_id == Region.id)
                          .where(Region.kind != "全市"))
        # without a period: the newest quarter with county rows (季度考核, not a 1-7月 month)
        latest = session.scalar(county_periods.where(Indicator.end_month.in_((3, 6, 9, 12)))
                                .order_by(Indicator.year.desc(), Indicator.end_month.desc()).limit(1)) or session.scalar(
            county_periods.order_by(Indicator.year.desc(), Indicator.end_month.desc()).limit(1))
        if latest is None:
            raise InvalidValue("县区指标表还没有分县区的数据，无法计算考核得分。")
        p = parse_period(period) if period else parse_period(latest)
        if period and session.scalar(county_periods.where(Indicator.period == p.key).limit(1)) is None:
            # a period with no county rows would rank every county on zeros
            raise InvalidValue(f"县区指标表中没有{p.label}分县区的数据（无数据），无法计算这一期的考核得分；"
                               f"最近有分县区数据的是{parse_period(latest).label}。")
        class_of = {name: cls for cls, names in scheme.classes.items() for name in names}
        unknown = [name for name in class_of if name not in regions]
        if unknown:
            raise InvalidValue(f"考核方案中的县区“{'、'.join(unknown)}”不在地区配置中。")
        if region:
            asked = resolve_region(session, region)
            check_region(store, asked)  # a county officer sees their own score only
            region = asked.name
        guard_aggregate(store, "考核排名", len([r for r in class_of if r != store.region_scope]))
        rows = list(session.scalars(select(Indicator).where(Indicator.period == p.key)))
        by_key = {(r.region_id, r.metric): (r.id, r.value, r.annual_target) for r in rows}
        day = ledger_date(session)
        ledger = load_ledger(session, None)
        rates = county_rates(ledger, day)
        ledger_ids: dict[str, list[int]] = {}
        for project in ledger:
            ledger_ids.setdefault(project.region, []).append(project.id)
        prov = provenance(session, "indicators", [(r.id, r.import_id) for r in rows], p, SCORE_RULE)
    schedule = round2(p.schedule_pct)
    scores: list[CountyScore] = []
    for name, cls in class_of.items():
        points = []
        for ind in scheme.indicators:
            if ind.source == "indicator":
                row = by_key.get((regions[name], ind.key))
                actual = (round2(Decimal(str(row[1])) / Decimal(str(row[2])) * 100)
                          if row is not None and row[1] is not None and row[2] else None)
                target = schedule if ind.target == "序时进度" else Decimal(str(ind.target))
                formula = (f"{ind.key}完成进度 = 累计值 ÷ 年度目标 × 100%，目标为{p.label}序时进度 {schedule}%"
                           if ind.target == "序时进度" else f"{ind.key}完成进度，目标 {ind.target}%")
                table, ids = "indicators", [row[0]] if row is not None else []
            else:
                county = rates.get(name)
                value = getattr(county, _LEDGER_FIELDS[ind.key]) if county else None
                actual = Decimal(str(value)) if value is not None else None
                target = Decimal(str(ind.target))
                formula = f"{RATE_RULES[ind.key]}（{cn_date(day)}台账），目标 {ind.target}%"
                table, ids = "projects", ledger_ids.get(name, [])
            score = _score(actual, target, ind.weight)
            points.append(Point(indicator=ind.name, actual=float(actual) if actual is not None else None,
                                target=float(target), weight=ind.weight, score=float(score),
                                lost=float(Decimal(str(ind.weight)) - score), formula=formula, table=table,
                                row_ids=ids))
        total = float(sum((Decimal(str(pt.score)) for pt in points), Decimal(0)))
        scores.append(CountyScore(region=name, county_class=cls, total=total, rank_in_class=0, class_size=0,
                                  points=points))
    for cls in scheme.classes:
        members = [s for s in scores if s.county_class == cls]
        ranks = competition_rank([(s.region, Decimal(str(s.total))) for s in members])
        for s in members:
            s.rank_in_class, s.class_size = ranks[s.region], len(members)
    order = list(scheme.classes)
    scores.sort(key=lambda s: (order.index(s.county_class), s.rank_in_class, s.region))
    shown = [s for s in scores if (not store.region_scope or s.region == store.region_scope)
             and (not region or s.region == region) and (not county_class or s.county_class == county_class)]
    figures = [Figure(label=f"{s.region}{p.label}考核得分", value=s.total, unit="分", period=p.key, provenance=prov)
               for s in shown]

    def reasons(s: CountyScore) -> str:
        # what the indicator scored beside what it lost: 扣分在哪 is answered by either
        lost = sorted((pt for pt in s.points if pt.lost > 0), key=lambda pt: -pt.lost)[:2]
        return "、".join(f"{pt.indicator}（{'无数据' if pt.actual is None else f'{pt.actual:.2f}%'}，"
                        f"目标 {pt.target:.2f}%，权重 {pt.weight:g} 分得 {pt.score:.2f} 分，失 {pt.lost:.2f} 分）"
                        for pt in lost) or "无失分"

    # a shared place is said as one (并列第2), in the class the county is ranked in
    tied = Counter((s.county_class, s.rank_in_class) for s in scores)

    def place(s: CountyScore) -> str:
        return f"{'并列' if tied[(s.county_class, s.rank_in_class)] > 1 else ''}第 {s.rank_in_class} 名"

    parts = []
    if region and shown:
        s0 = shown[0]
        parts.append(f"{s0.region}得 {s0.total:.2f} 分，在{s0.county_class}（共 {s0.class_size} 个）中排{place(s0)}；"
                     f"失分：{reasons(s0)}")
    for cls in order if not region else []:
        members = [s for s in shown if s.county_class == cls]
        if not members:
            continue
        listing = "、".join(f"{s.rank_in_class}. {s.region} {s.total:.2f}分"
                           + ("（并列）" if tied[(s.county_class, s.rank_in_class)] > 1 else "") for s in members)
        last = [s for s in members if s.rank_in_class == max(m.rank_in_class for m in members)]
        parts.append(f"{cls}（共 {members[0].class_size} 个）：{listing}；排名靠后的{'、'.join(s.region for s in last)}主要失分在"
                     + "；".join(reasons(s) for s in last))
    summary = (f"{scheme.name}，{p.label}：" + "。".join(parts) + f"。（{SCORE_RULE}；县区指标为{p.label}，"
               f"项目比率为{cn_date(day)}台账。）")
    return AssessmentResult(scheme=scheme.name, period=p.key, ledger_as_of=day.isoformat(), rows=shown,
                            figures=figures, provenance=prov, summary=summary)


__all__ = ["Period", "assessment", "load_scheme"]
