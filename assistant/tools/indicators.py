"""Indicator tools: one region's figures, rankings, regions behind schedule, city totals.

All percentages are computed here with Decimal and rounded half-up to two decimals, the way the
bureau's tables print them. Ranks use competition ranking on the rounded completion (1, 2, 2, 4).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue
from assistant.db.models import Indicator
from assistant.db.periods import Period, parse_period
from assistant.db.reference import CITY_NAME
from assistant.db.session import FigureStore
from assistant.db.units import convert, normalise_unit, round2
from assistant.db.vocab import resolve_metric
from assistant.tools.assessment import class_label, class_members
from assistant.tools.common import check_region, guard_aggregate, provenance, regions, resolve_region
from assistant.tools.formulas import formula
from assistant.tools.indicator_rows import Row, city_figures, competition_rank, load_rows, pct, yoy_of
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, as_float, format_value

RankBy = Literal["completion", "value", "yoy", "target"]
# Each basis a ranking is made by: its name in the ranking's table, and in an answer's sentence. The rates are in %,
# the value and the annual target in the metric's unit.
RANK_BASES: dict[str, tuple[str, str]] = {"completion": ("完成进度", "完成进度"), "value": ("数值", "总量"),
                                          "yoy": ("同比", "同比增速"), "target": ("年度目标", "年度目标")}
RATE_BASES = ("completion", "yoy")
_BY_LABELS: dict[str, str] = {key: table for key, (table, _) in RANK_BASES.items()}
_BY_ALIASES = {"完成进度": "completion", "完成率": "completion", "数值": "value", "绝对值": "value", "同比": "yoy",
               "年度目标": "target", "目标": "target"}


def basis_said(by: str) -> str:
    """A ranking's basis as an answer's sentence names it (总量, 同比增速)."""
    return RANK_BASES[by][1] if by in RANK_BASES else by


# What the target column answers besides itself: the rest of the target (the answer's lead says it when asked).
TARGET_MEANS = "年度目标（年度任务）；距离目标还差多少（缺口、剩余任务）= 年度目标 − 本年累计完成额"


class IndicatorResult(BaseModel):
    region: str
    period: str
    period_label: str
    metric: str
    unit: str
    value: float | None
    yoy_pct: float | None
    yoy_basis: str | None
    annual_target: float | None = Field(description=TARGET_MEANS)
    completion_pct: float | None
    schedule_pct: float
    rank: int | None
    ranked_regions: int
    rank_shared_by: int = 1  # regions holding the same place (并列)
    basis: str | None = None
    figures: list[Figure]
    provenance: Provenance
    summary: str
    # with no row for the period asked: the year's target as an earlier period of that year states it
    year_target: float | None = None
    year_target_period: str | None = None
    year_target_provenance: Provenance | None = None


def _figures(subject: str, period: Period, unit: str, value: Decimal | None, yoy: Decimal | None,
             target: Decimal | None, completion: Decimal | None, prov: Provenance) -> list[Figure]:
    label = f"{subject} {period.label}"
    items: list[tuple[str, Decimal | None, str]] = [
        (label, value, unit), (f"{label} 同比", yoy, "%"), (f"{label} 年度目标", target, unit),
        (f"{label} 完成进度", completion, "%"), (f"{period.label} 序时进度", round2(period.schedule_pct), "%"),
    ]
    return [Figure(label=lbl, value=as_float(v), unit=u, period=period.key, provenance=prov) for lbl, v, u in items]


@figure_tool(
    "某地区某期间某指标：数值、同比、目标、完成进度、排名",
    examples=[
        "汉阴县一季度外资完成进度？", "汉滨区2023年上半年实际引进内资多少亿元", "石泉县外商直接投资同比增长多少",
        "紫阳一季度内资完成了年度目标的百分之几", "高新区今年外资到位多少万美元", "恒口示范区内资目标是多少",
        "旬阳市1-7月引进内资完成情况", "平利县外资排第几", "岚皋县一季度内资同比", "宁陕引进内资完成率",
        "镇坪县外资完成进度怎么样", "白河县一季度招商引资完成得如何", "瀛湖景区一季度内资数据",
        "旬阳市内资距离年度目标还差多少",
    ],
    path="indicator",
)
def get_indicator(store: FigureStore, region: str, period: str, metric: str, unit: str | None = None
                  ) -> IndicatorResult:
    """查询某地区某期间某指标：数值、单位、同比、年度目标、完成进度（数值÷年度目标）及在各县（市、区）、开发区中的完成进度排名。
    同比又称增速、增幅、增长率，为负即负增长；年度目标又称年度任务；完成进度与序时进度之差即超前或落后序时的百分点。
    完成进度又称完成率、完成年度目标的百分比，超过年度目标的部分即超额完成。

    region：地区名或简称，如“汉阴县”“汉滨”“高新区”“瀛湖”，“全市”表示全市合计。
    period：累计期间，如“2023Q1”“2023-07”（1-7月累计）“2023”或“2023年一季度”。
    metric：指标，如“实际引进内资”（亿元）或“外商直接投资”（万美元），也认“内资”“外资”。
    unit：可选，换算后的单位，如“万元”；不填则用指标的标准单位。没有数据时数值为“无数据”，不是 0。
    """
    p, m = parse_period(period), resolve_metric(metric)
    out_unit = normalise_unit(unit) if unit else m.unit
    with store.session() as session:
        reg = resolve_region(session, region)
        check_region(store, reg)
        rows = load_rows(session, p, m.name)
        ranks = competition_rank([(r.region, c) for r in rows if not r.is_city and (c := r.completion) is not None])
        basis: str | None = None
        rank_rows = [r for r in rows if not r.is_city and r.completion is not None]
        if reg.is_city:
            guard_aggregate(store, f"全市{p.label}{m.name}合计", _others_reporting(store, rows))
            city = city_figures(session, p, m.name, rows)
            value, target, (yoy, yoy_basis), basis = city.value, city.target, (city.yoy, city.yoy_basis), city.basis
            completion = pct(value, target) if value is not None and target else None
            used, rank = city.used, None
            terms = ["全市（全市行）" if basis == "全市行" else "全市（各地区合计）", "完成进度"]
        else:
            row = next((r for r in rows if r.region == reg.name), None)
            prev = next((r for r in load_rows(session, p.previous_year(), m.name) if r.region == reg.name), None)
            value, target = (row.value, row.target) if row else (None, None)
            yoy, yoy_basis = yoy_of(row, prev)
            completion = row.completion if row else None
            rank = ranks.get(reg.name)
            used = ([row] if row else []) + ([prev] if prev and yoy_basis == "按上年同期数值计算" else [])
            terms = ["完成进度"]
        # the year's target is the year's, whatever period states it: the newest period of that year held gives
        # it when the period asked (全年) is not in yet — kept apart, for a question asking the target
        target_from = _target_of_year(session, p, m.name, reg.name) if value is None and target is None else None
        year_prov = (provenance(session, "indicators", [(target_from[1].id, target_from[1].import_id)], target_from[0],
                                "年度目标取自同一年最近一期有数据的报表") if target_from else None)
        if yoy_basis and yoy_basis != "报表数":
            terms.append("同比")
        prov = provenance(session, "indicators", [(r.id, r.import_id) for r in used], p, formula(*terms, "序时进度"))
        rank_prov = provenance(session, "indicators", [(r.id, r.import_id) for r in rank_rows], p,
                               formula("完成进度", "排名"))
    value = convert(value, m.unit, out_unit) if value is not None else None
    target = convert(target, m.unit, out_unit) if target is not None else None
    figures = _figures(f"{reg.name} {m.name}", p, out_unit, value, yoy, target, completion, prov)
    if rank is not None:
        figures.append(Figure(label=f"{reg.name} {m.name} {p.label} 完成进度排名", value=rank, unit="位",
                              period=p.key, provenance=rank_prov))
        prov = prov.model_copy(update={
            "row_ids": sorted(set(prov.row_ids) | set(rank_prov.row_ids)),
            "formula": f"{prov.formula}；{formula('排名')}",
            "files": sorted(set(prov.files) | set(rank_prov.files)),
            "as_of": max(filter(None, [prov.as_of, rank_prov.as_of]), default=None),
        })
    parts = [f"{reg.name} {p.label} {m.name}：{format_value(as_float(value), out_unit)}"]
    if basis and basis != "无数据":
        parts[0] += f"（{basis}）"
    parts.append(f"同比 {format_value(as_float(yoy), '%')}")
    parts.append(f"年度目标 {format_value(as_float(target), out_unit)}")
    parts.append(f"完成进度 {format_value(as_float(completion), '%')}（序时进度 {round2(p.schedule_pct)}%）")
    shared = sum(1 for place in ranks.values() if place == rank) if rank is not None else 1
    if rank is not None:
        parts.append(f"在 {len(ranks)} 个县（市、区）、开发区中排{'并列' if shared > 1 else ''}第 {rank} 位"
                     + (f"（{shared} 个并列）" if shared > 1 else ""))
    return IndicatorResult(
        region=reg.name, period=p.key, period_label=p.label, metric=m.name, unit=out_unit, value=as_float(value),
        yoy_pct=as_float(yoy), yoy_basis=yoy_basis, annual_target=as_float(target),
        completion_pct=as_float(completion), schedule_pct=float(round2(p.schedule_pct)), rank=rank,
        ranked_regions=len(ranks), rank_shared_by=shared, basis=basis, figures=figures, provenance=prov, summary="，".join(parts) + "。",
        year_target=as_float(convert(target_from[1].target, m.unit, out_unit)) if target_from and target_from[1].target else None,
        year_target_period=target_from[0].label if target_from else None, year_target_provenance=year_prov,
    )


def _target_of_year(session: Session, p: Period, metric: str, region: str) -> tuple[Period, Row] | None:
    """(the period, the row) of the newest period of `p`'s year, before `p`, that states the region's annual target."""
    for month in range(p.month - 1, 0, -1):
        earlier = Period(p.year, month)
        row = next((r for r in load_rows(session, earlier, metric) if r.region == region and r.target is not None), None)
        if row is not None:
            return earlier, row
    return None


class RankedRegion(BaseModel):
    rank: int
    region: str
    value: float | None
    yoy_pct: float | None
    annual_target: float | None
    completion_pct: float | None


class RankingResult(BaseModel):
    period: str
    period_label: str
    metric: str
    unit: str  # unit of the ranking score: % for completion and yoy
    value_unit: str
    by: str
    rows: list[RankedRegion]
    no_data: list[str]
    city_score: float | None = None  # the 全市 row by the same score, which is not ranked
    county_class: str | None = None  # ranked within this class of the 考核 scheme only
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "各县（市、区）、开发区按指标排名",
    examples=[
        "一季度各县区实际引进内资排名", "内资完成进度排第一的是哪个县区", "外资排名前三的是哪几个",
        "哪个县区外资完成得最好", "内资完成进度倒数第一是谁", "各县区外商直接投资同比增速排名",
        "上半年引进内资总量最多的县区", "哪个区县内资进度最慢", "各区县招商引资排名情况",
        "外资进度排在最后的是哪个县", "1-7月内资完成率排序",
    ],
    # a county's place (the city itself is not ranked); a class of the 考核 scheme ranks its members only
    slots={"region": "county", "county_class": "county_class"},
    path="rank",
)
def rank_regions(store: FigureStore, period: str, metric: str, by: RankBy = "completion",
                 region: str | None = None, county_class: str | None = None) -> RankingResult:
    """各县（市、区）、开发区按指标排名（全市不参与）。并列者名次相同，下一名次顺延（1、2、2、4）。

    period：累计期间，如“2023Q1”“2023-07”；metric：如“实际引进内资”“外商直接投资”；
    by：排名依据，“completion”完成进度（默认）、“value”数值（总量、总额、规模、绝对值）、“yoy”同比（增速）、“target”年度目标（任务）。没有该项数据的地区列在 no_data 中；
    region：可选，问某县区的名次时填（如“白河县”），摘要先说该地区的数值和名次（并列时说并列），其余排名照列；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名（考核“同类单元之间进行排名”）。
    """
    key = _BY_ALIASES.get(by, by)
    if key not in _BY_LABELS:
        raise InvalidValue(f"排名依据“{by}”无效，应为 completion（完成进度）、value（数值）、yoy（同比）或 target（年度目标）。")
    p, m = parse_period(period), resolve_metric(metric)
    with store.session() as session:
        asked = resolve_region(session, region) if region else None
        if asked is not None:
            check_region(store, asked)
        loaded = load_rows(session, p, m.name)
        rows = [r for r in loaded if not r.is_city]
        members = class_members(county_class) if county_class else None
        if members is not None:
            rows = [r for r in rows if r.region in members]
        score = {"completion": lambda r: r.completion, "value": lambda r: r.value, "yoy": lambda r: r.yoy,
                 "target": lambda r: r.target}[key]
        # the city's own row, by the same score: not ranked, the level a county beats or not (比全市快的县区)
        city_row = next((r for r in loaded if r.is_city and score(r) is not None), None)
        city_prov = provenance(session, "indicators", [(city_row.id, city_row.import_id)], p, None) if city_row else None
        scored = [(r, s) for r in rows if (s := score(r)) is not None]
        ranks = competition_rank([(r.region, s) for r, s in scored])
        has = {r.region for r, _ in scored}
        no_data = [r.name for r in regions(session) if not r.is_city and r.name not in has
                   and (members is None or r.name in members)]
        rule = (formula("完成进度", "排名") if key == "completion" else
                f"排名 = 按{_BY_LABELS[key]}由高到低排序，并列者名次相同，下一名次顺延（如 1、2、2、4）；全市不参与排名")
        prov = provenance(session, "indicators", [(r.id, r.import_id) for r, _ in scored], p, rule)
    ordered = sorted(scored, key=lambda item: ranks[item[0].region])
    if store.region_scope:  # a county officer sees their own place in the ranking, not other counties' rows
        ordered = [(r, s) for r, s in ordered if r.region == store.region_scope]
        no_data = [name for name in no_data if name == store.region_scope]
    unit = "%" if key in RATE_BASES else m.unit
    result_rows = [
        RankedRegion(rank=ranks[r.region], region=r.region, value=as_float(r.value), yoy_pct=as_float(r.yoy),
                     annual_target=as_float(r.target), completion_pct=as_float(r.completion))
        for r, _ in ordered
    ]
    figures: list[Figure] = []
    for r, s in ordered:
        label = f"{r.region} {p.label} {m.name} {_BY_LABELS[key]}"
        figures.append(Figure(label=label, value=float(s), unit=unit, period=p.key, provenance=prov))
        figures.append(Figure(label=f"{label}排名", value=ranks[r.region], unit="位", period=p.key, provenance=prov))
    groups: dict[int, list[tuple[str, Decimal]]] = {}
    for r, s in ordered:
        groups.setdefault(ranks[r.region], []).append((r.region, s))
    listing = "；".join(
        f"{rank}. {members[0][0]} {format_value(float(members[0][1]), unit)}" if len(members) == 1 else
        f"并列第{rank}（{len(members)}个）：{'、'.join(name for name, _ in members)} {format_value(float(members[0][1]), unit)}"
        for rank, members in groups.items())
    field_ = class_label(county_class, members) if county_class and members is not None else ""
    summary = f"{p.label} {m.name} {field_}按{_BY_LABELS[key]}排名：{listing or '无数据'}。"
    if asked is not None and not asked.is_city:
        mine = next(((r, s) for r, s in ordered if r.region == asked.name), None)
        if mine is None:
            summary = f"{asked.name} {p.label} {m.name}没有{_BY_LABELS[key]}数据，不参与排名。" + summary
        else:
            place = ranks[asked.name]
            tied = sum(1 for r, _ in ordered if ranks[r.region] == place)
            summary = (f"{asked.name} {p.label} {m.name}{_BY_LABELS[key]} {format_value(float(mine[1]), unit)}，"
                       + (f"在{county_class}县区（共 {len(ranks)} 个）中" if members is not None else
                          f"在 {len(ranks)} 个县（市、区）、开发区中")
                       + f"排{'并列' if tied > 1 else ''}第 {place}。" + summary)
    if store.region_scope:
        summary += f"（共 {len(ranks)} 个地区参与排名；您的账号只显示{store.region_scope}的名次。）"
    if no_data and scored:
        summary += f" 无数据：{'、'.join(no_data)}。"
    city_score = as_float(score(city_row)) if city_row is not None else None
    if city_score is not None and city_prov is not None and not store.region_scope and scored:
        summary += f"（全市{_BY_LABELS[key]} {format_value(city_score, unit)}，不参与排名）"
        figures.append(Figure(label=f"全市 {p.label} {m.name} {_BY_LABELS[key]}", value=city_score, unit=unit, period=p.key,
                              provenance=city_prov))
    return RankingResult(period=p.key, period_label=p.label, metric=m.name, unit=unit, value_unit=m.unit, by=key,
                         rows=result_rows, city_score=city_score if not store.region_scope and scored else None,
                         county_class=county_class if members is not None else None,
                         no_data=no_data, figures=figures, provenance=prov, summary=summary)


class LaggingRegion(BaseModel):
    region: str
    value: float | None
    annual_target: float | None
    completion_pct: float
    gap_pct: float


class LaggingResult(BaseModel):
    period: str
    period_label: str
    metric: str
    unit: str
    schedule_pct: float
    lagging: list[LaggingRegion]
    on_schedule: list[str]
    # the regions at or above the schedule with their completion, most ahead first (gap_pct: points above)
    ahead: list[LaggingRegion] = []
    no_target: list[str]
    city_completion_pct: float | None
    city_gap_pct: float | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "完成进度低于序时进度的地区",
    examples=[
        "一季度哪些县区内资低于序时进度？", "外资进度滞后的县区有哪些", "哪些地方没达到序时进度",
        "上半年内资落后于时间进度的区县", "有几个县外资完成进度拖后腿", "没跟上序时进度的开发区",
        "哪些县区外资进度慢了", "未达序时进度的地区和差距",
    ],
    path="lagging",
)
def lagging_regions(store: FigureStore, period: str, metric: str) -> LaggingResult:
    """找出完成进度低于序时进度的县（市、区）、开发区及差距（百分点）。

    序时进度按累计期间计算：一季度 25%，1-7月 7/12 = 58.33%，全年 100%。
    period：如“2023Q1”“2023-07”；metric：如“实际引进内资”“外商直接投资”。按差距从大到小排列。
    """
    p, m = parse_period(period), resolve_metric(metric)
    schedule = round2(p.schedule_pct)
    with store.session() as session:
        rows = load_rows(session, p, m.name)
        prov = provenance(session, "indicators", [(r.id, r.import_id) for r in rows], p,
                          formula("完成进度", "序时进度", "低于序时进度"))
    lagging, on_schedule, no_target, ahead = [], [], [], []
    for r in rows:
        completion = r.completion
        if r.is_city:
            continue
        if completion is None:
            no_target.append(r.region)
        elif completion < schedule:
            lagging.append(LaggingRegion(region=r.region, value=as_float(r.value), annual_target=as_float(r.target),
                                         completion_pct=float(completion), gap_pct=float(schedule - completion)))
        else:
            on_schedule.append(r.region)
            ahead.append(LaggingRegion(region=r.region, value=as_float(r.value), annual_target=as_float(r.target),
                                       completion_pct=float(completion), gap_pct=float(completion - schedule)))
    lagging.sort(key=lambda x: -x.gap_pct)
    ahead.sort(key=lambda x: -x.gap_pct)
    lagging_count = len(lagging)
    if store.region_scope:  # a county officer: their own region's status and the city-wide count only
        lagging = [x for x in lagging if x.region == store.region_scope]
        on_schedule = [x for x in on_schedule if x == store.region_scope]
        ahead = [x for x in ahead if x.region == store.region_scope]
        no_target = [x for x in no_target if x == store.region_scope]
    city = next((r for r in rows if r.is_city and r.completion is not None), None)
    hidden = bool(store.region_scope) and 0 < _others_reporting(store, rows) < store.min_group
    if hidden:  # inference control: with one or two other regions, the city figure would reveal theirs
        city, lagging_count = None, -1
    city_completion = city.completion if city else None
    city_gap = schedule - city_completion if city_completion is not None and city_completion < schedule else None
    figures = [Figure(label=f"{p.label} 序时进度", value=float(schedule), unit="%", period=p.key, provenance=prov)]
    for lag in lagging:
        base = f"{lag.region} {p.label} {m.name}"
        figures.append(Figure(label=f"{base} 完成进度", value=lag.completion_pct, unit="%", period=p.key,
                              provenance=prov))
        figures.append(Figure(label=f"{base} 低于序时进度", value=lag.gap_pct, unit="个百分点", period=p.key,
                              provenance=prov))
    if city_completion is not None:
        figures.append(Figure(label=f"全市 {p.label} {m.name} 完成进度", value=float(city_completion), unit="%",
                              period=p.key, provenance=prov))
    if not rows:
        summary = f"无数据：{p.label} {m.name} 尚未导入。"
    elif store.region_scope:
        own = (f"{lagging[0].region} 完成 {lagging[0].completion_pct:.2f}%，低于序时进度 {lagging[0].gap_pct:.2f} 个百分点"
               if lagging else f"{store.region_scope}{'达到序时进度' if on_schedule else '无完成进度数据'}")
        summary = (f"{p.label}序时进度 {schedule}%，{m.name}：{own}。全市低于序时进度的地区共 {lagging_count} 个"
                   f"（您的账号不显示其他地区明细）。" if lagging_count >= 0 else
                   f"{p.label}序时进度 {schedule}%，{m.name}：{own}。（参与统计的其他地区少于 {store.min_group} 个，"
                   f"不显示全市情况。）")
    elif lagging:
        listing = "、".join(f"{x.region} {x.completion_pct:.2f}%（差 {x.gap_pct:.2f} 个百分点）" for x in lagging)
        summary = f"{p.label}序时进度 {schedule}%，{m.name}低于序时进度的有 {len(lagging)} 个：{listing}。"
    else:
        summary = f"{p.label}序时进度 {schedule}%，{m.name}各地区均达到序时进度。"
    if city_gap is not None and city_completion is not None:
        summary += f" 全市完成 {city_completion}%，滞后序时进度 {city_gap} 个百分点。"
    return LaggingResult(
        period=p.key, period_label=p.label, metric=m.name, unit=m.unit, schedule_pct=float(schedule), lagging=lagging,
        on_schedule=on_schedule, ahead=ahead, no_target=no_target, city_completion_pct=as_float(city_completion),
        city_gap_pct=as_float(city_gap), figures=figures, provenance=prov, summary=summary,
    )


class CityTotalResult(BaseModel):
    period: str
    period_label: str
    metric: str
    unit: str
    basis: str
    value: float | None
    yoy_pct: float | None
    yoy_basis: str | None
    annual_target: float | None = Field(description=TARGET_MEANS)
    completion_pct: float | None
    regions_missing: list[str]
    regions_target_sum: float | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _others_reporting(store: FigureStore, rows: list[Any]) -> int:
    """Regions other than a county officer's own with a value or target in these rows."""
    return len({r.region for r in rows if not r.is_city and r.region != store.region_scope
                and (r.value is not None or r.target is not None)})


@figure_tool(
    "全市合计：数值、同比、目标、完成进度",
    examples=[
        "全市一季度实际引进内资多少", "安康市上半年外商直接投资总额", "全市外资完成进度",
        "我市今年引进内资完成了多少亿元", "全市招商引资总量是多少", "全市内资同比增长多少",
        "2023年全市实际利用外资", "安康今年外资目标完成得怎么样",
    ],
    path="city",
)
def city_total(store: FigureStore, period: str, metric: str, parts: bool = False) -> CityTotalResult:
    """全市合计：有“全市”行时用全市行（含全市目标），否则为各县（市、区）、开发区之和，并注明口径。

    全市目标由市级下达，不等于各县区目标之和，所以按各地区合计时不推算完成进度。
    period：如“2023Q1”“2023-07”；metric：如“实际引进内资”“外商直接投资”；
    parts：可选，为 true 时给各县（市、区）、开发区数值相加之和（问“各县区加起来”时），并列出全市行以示口径之别。
    """
    p, m = parse_period(period), resolve_metric(metric)
    with store.session() as session:
        rows = load_rows(session, p, m.name)
        guard_aggregate(store, f"全市{p.label}{m.name}合计", _others_reporting(store, rows))
        if parts:
            return _sum_of_regions(session, p, m.name, m.unit, rows)
        city = city_figures(session, p, m.name, rows)
        term = "全市（全市行）" if city.basis == "全市行" else "全市（各地区合计）"
        terms = [term, "完成进度"] + (["同比"] if city.yoy_basis and city.yoy_basis != "报表数" else [])
        prov = provenance(session, "indicators", [(r.id, r.import_id) for r in city.used], p, formula(*terms))
    completion = pct(city.value, city.target) if city.value is not None and city.target else None
    figures = _figures(f"{CITY_NAME} {m.name}", p, m.unit, city.value, city.yoy, city.target, completion, prov)
    if city.basis == "无数据":
        summary = f"无数据：{p.label} {m.name} 尚未导入。"
    else:
        summary = (
            f"{CITY_NAME} {p.label} {m.name}：{format_value(as_float(city.value), m.unit)}（{city.basis}），"
            f"同比 {format_value(as_float(city.yoy), '%')}，年度目标 {format_value(as_float(city.target), m.unit)}，"
            f"完成进度 {format_value(as_float(completion), '%')}。"
        )
        if city.target is not None and city.region_target_sum is not None and city.region_target_sum != city.target:
            summary += f" 注：全市目标不等于各县区目标之和（{format_value(float(city.region_target_sum), m.unit)}）。"
        if city.basis == "各地区合计" and city.missing:
            summary += f" 合计不含无数据的地区：{'、'.join(city.missing)}。"
    return CityTotalResult(
        period=p.key, period_label=p.label, metric=m.name, unit=m.unit, basis=city.basis, value=as_float(city.value),
        yoy_pct=as_float(city.yoy), yoy_basis=city.yoy_basis, annual_target=as_float(city.target),
        completion_pct=as_float(completion), regions_missing=city.missing,
        regions_target_sum=as_float(city.region_target_sum), figures=figures, provenance=prov, summary=summary,
    )


def _sum_of_regions(session: Any, p: Period, metric: str, unit: str, rows: list[Any]) -> CityTotalResult:
    """The counties' values added up (各地区合计), beside the 全市 row: the two are different figures (the city's
    own report is not always the sum of its parts) and the answer says which one it gives."""
    parts = [r for r in rows if not r.is_city and r.value is not None]
    explicit = next((r for r in rows if r.is_city and r.value is not None), None)
    names = {r.region for r in parts}
    missing = [r.name for r in regions(session) if not r.is_city and r.name not in names]
    total = sum((r.value for r in parts if r.value is not None), Decimal(0)) if parts else None
    # the counties' annual targets added up, beside the city's own target (the city's is set by the province and is
    # not their sum): 各县区目标加起来多少，比全市目标多出多少
    targeted = [r for r in rows if not r.is_city and r.target is not None]
    targets = sum((r.target for r in targeted), Decimal(0)) if targeted else None
    city_target = explicit.target if explicit is not None else None
    used = parts + targeted + ([explicit] if explicit else [])
    prov = provenance(session, "indicators", [(r.id, r.import_id) for r in used], p,
                      "各地区合计 = 各县（市、区）、开发区数值相加；全市行是报表中的全市数，二者可能不一致；"
                      "各地区目标之和 = 各县（市、区）、开发区年度目标相加")
    figures = [Figure(label=f"{len(parts)}个县（市、区）、开发区 {metric} {p.label} 合计", value=as_float(total), unit=unit,
                      period=p.key, provenance=prov)]
    if explicit is not None:
        figures.append(Figure(label=f"{CITY_NAME} {metric} {p.label}（全市行）", value=as_float(explicit.value), unit=unit,
                              period=p.key, provenance=prov))
    if total is None:
        summary = f"无数据：{p.label} {metric} 没有分县区的数值。"
    else:
        summary = (f"{p.label} {len(parts)} 个县（市、区）、开发区 {metric} 相加合计 {format_value(as_float(total), unit)}"
                   f"（各地区合计）。")
        if explicit is not None:
            same = "一致" if explicit.value == total else "不一致，以全市行为全市口径"
            summary += f"全市行（报表中的全市数）为 {format_value(as_float(explicit.value), unit)}，与各地区合计{same}。"
        if missing:
            summary += f"合计不含无数据的地区：{'、'.join(missing)}。"
    if targets is not None:
        figures.append(Figure(label=f"{len(targeted)}个县（市、区）、开发区 {metric} 年度目标之和", value=as_float(targets),
                              unit=unit, period=p.key, provenance=prov))
        summary += f"{len(targeted)} 个县（市、区）、开发区{metric}年度目标相加 {format_value(as_float(targets), unit)}"
        if city_target is not None:
            gap = targets - city_target
            figures += [Figure(label=f"{CITY_NAME} {metric} 年度目标（全市行）", value=as_float(city_target), unit=unit,
                               period=p.key, provenance=prov),
                        Figure(label=f"各地区目标之和与全市目标之差（{metric}）", value=as_float(gap), unit=unit,
                               period=p.key, provenance=prov)]
            summary += (f"，全市年度目标 {format_value(as_float(city_target), unit)}，各地区目标之和比全市目标"
                        f"{'多' if gap >= 0 else '少'} {format_value(as_float(abs(gap)), unit)}")
        summary += "。"
    return CityTotalResult(
        period=p.key, period_label=p.label, metric=metric, unit=unit, basis="各地区合计", value=as_float(total),
        yoy_pct=None, yoy_basis=None, annual_target=None, completion_pct=None, regions_missing=missing,
        regions_target_sum=as_float(targets), figures=figures, provenance=prov, summary=summary,
    )


class ScheduleResult(BaseModel):
    period: str
    period_label: str
    schedule_pct: float
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "某期间的序时进度（按时间应完成的比例）",
    examples=["1-7月的序时进度是多少", "一季度序时进度多少", "上半年按时间进度应该完成多少", "前三季度的时间进度"],
    path="schedule",
)
def schedule_progress(store: FigureStore, period: str) -> ScheduleResult:
    """某累计期间的序时进度：季度数 ÷ 4 或月份数 ÷ 12（自1月起累计），用来判断完成进度是否滞后。

    period：累计期间，如“2023Q1”“2023-07”“2023年上半年”。
    """
    p = parse_period(period)
    value = round2(p.schedule_pct)
    with store.session() as session:
        # the schedule is computed from the period alone; the rows it is the schedule of are those reported for
        # that period (a period with none is the computation only)
        rows = session.execute(select(Indicator.id, Indicator.import_id).where(Indicator.period == p.key)).all()
        prov = (provenance(session, "indicators", [(r.id, r.import_id) for r in rows], p, formula("序时进度")) if rows
                else Provenance(table="（计算）", row_ids=[], period=p.key, formula=formula("序时进度")))
    return ScheduleResult(period=p.key, period_label=p.label, schedule_pct=float(value),
                          figures=[Figure(label=f"{p.label} 序时进度", value=float(value), unit="%", period=p.key,
                                          provenance=prov)],
                          provenance=prov, summary=f"{p.label}的序时进度为 {format_value(float(value), '%')}。")
