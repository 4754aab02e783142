"""月排名: the counties ranked across every indicator the table holds for one cumulative month, with an overall
place from the indicator places. When the county table has no row for the month asked (the bureau reports the
counties quarterly, say), the answer says so and ranks the latest period before it that it does hold."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue
from assistant.db.models import Indicator, Region
from assistant.db.periods import Period, parse_period
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.db.vocab import known_metrics, resolve_metric
from assistant.tools.common import provenance, regions
from assistant.tools.formulas import formula
from assistant.tools.indicator_rows import competition_rank, load_rows
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, as_float, format_value

OVERALL_RULE = ("综合名次 = 各项指标完成进度名次的平均值由小到大排序（平均名次相同者并列，下一名次顺延）；"
                "缺少任一指标完成进度的县区不参加综合排名")


class MetricPlace(BaseModel):
    metric: str
    completion_pct: float | None
    rank: int | None


class MonthlyRow(BaseModel):
    region: str
    places: list[MetricPlace]
    mean_rank: float | None
    rank: int | None


class MonthlyRanking(BaseModel):
    period_asked: str | None
    period: str
    period_label: str
    metrics: list[str]
    reported: list[str]  # the periods the county table holds in that year (shows whether it is monthly)
    rows: list[MonthlyRow]
    ranked_count: int
    note: str | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _county_periods(session: Session, city: bool = False) -> list[Period]:
    """The periods the indicator table holds county rows for (with `city`, the 全市 row), oldest first."""
    keys = session.scalars(select(Indicator.period).join(Region, Indicator.region_id == Region.id)
                           .where((Region.kind == "全市") if city else (Region.kind != "全市")).distinct())
    return sorted(parse_period(k) for k in keys)


def _period_used(session: Session, asked: Period | None) -> tuple[Period, str | None, list[Period]]:
    held = _county_periods(session)
    if not held:
        raise InvalidValue("县区指标表还没有分县区的数据，无法排名。请先导入县区指标。")
    if asked is None:
        return held[-1], None, [p for p in held if p.year == held[-1].year]
    year = [p for p in held if p.year == asked.year]
    if asked in held:
        return asked, None, year
    listing = "、".join(p.label for p in year) or "无"
    quarterly = bool(year) and all(p.month % 3 == 0 for p in year)
    why = (f"县区指标按季度报送，{asked.year}年只有：{listing}" if quarterly
           else f"{asked.year}年已有的县区指标期间：{listing}")
    earlier = [p for p in year if p < asked]
    if not earlier:
        raise InvalidValue(f"县区指标表中没有{asked.label}分县区的数据（{why}），无法排名。")
    return earlier[-1], f"县区指标表中没有{asked.label}分县区的数据（{why}），以下为{earlier[-1].label}的排名。", year


@figure_tool(
    "月排名：各县区各项招商引资指标完成进度名次及综合名次",
    examples=[
        "月排名", "7月份各县区招商引资综合排名", "1-7月各县区各项指标完成情况排名", "这个月哪个县区综合排名第一",
        "本月各县区招商指标排名靠后的是哪些", "各县区月度综合排名", "月度通报里各县区的名次",
    ],
    path="monthly-ranking",
)
def monthly_ranking(store: FigureStore, period: str | None = None) -> MonthlyRanking:
    """月排名：某月累计（如“2023-07”即1-7月）各县（市、区）、开发区每项指标（实际引进内资、外商直接投资等）的完成进度名次，
    以及按各项名次平均值排出的综合名次。县区指标表没有该月的分县区数据时（例如按季度报送）如实说明，并给出此前最近一期的排名。

    period：可选，月份或累计期间，如“2023-07”“2023年1-7月”“2023Q2”；不填时为县区指标中最新的期间。
    """
    asked = parse_period(period) if period else None
    with store.session() as session:
        used, note, year = _period_used(session, asked)
        held = set(session.scalars(select(Indicator.metric).join(Region, Indicator.region_id == Region.id)
                                   .where(Indicator.period == used.key, Region.kind != "全市").distinct()))
        metrics = [m for m in known_metrics() if m in held] + sorted(held - set(known_metrics()))
        counties = [r.name for r in regions(session) if not r.is_city]
        rows_by_metric = {m: [r for r in load_rows(session, used, m) if not r.is_city] for m in metrics}
        used_rows = [(r.id, r.import_id) for rows in rows_by_metric.values() for r in rows if r.completion is not None]
        prov = provenance(session, "indicators", used_rows, used, formula("完成进度", "排名") + "；" + OVERALL_RULE)
    completion = {m: {r.region: r.completion for r in rows if r.completion is not None}
                  for m, rows in rows_by_metric.items()}
    ranks = {m: competition_rank(list(scores.items())) for m, scores in completion.items()}
    means = {c: Decimal(sum(ranks[m][c] for m in metrics)) / len(metrics)
             for c in counties if metrics and all(c in ranks[m] for m in metrics)}
    overall = competition_rank([(c, -mean) for c, mean in means.items()])  # a smaller mean is a better place
    table = [MonthlyRow(region=c, rank=overall.get(c), mean_rank=float(round2(means[c])) if c in means else None,
                        places=[MetricPlace(metric=m, completion_pct=float(completion[m][c]) if c in completion[m]
                                            else None, rank=ranks[m].get(c)) for m in metrics])
             for c in counties if c in means or any(c in completion[m] for m in metrics)]
    table.sort(key=lambda r: (r.rank is None, r.rank or 0, counties.index(r.region)))
    ranked_count = len(means)
    if store.region_scope:  # a county officer sees their own places, not other counties' rows
        table = [r for r in table if r.region == store.region_scope]
    figures: list[Figure] = []
    for row in table:
        for place in row.places:
            if place.completion_pct is not None:
                figures.append(Figure(label=f"{row.region} {used.label} {place.metric} 完成进度",
                                      value=place.completion_pct, unit="%", period=used.key, provenance=prov))
                figures.append(Figure(label=f"{row.region} {used.label} {place.metric} 完成进度排名",
                                      value=place.rank, unit="位", period=used.key, provenance=prov))
        if row.rank is not None:
            figures.append(Figure(label=f"{row.region} {used.label} 综合排名", value=row.rank, unit="位",
                                  period=used.key, provenance=prov))

    def line(r: MonthlyRow) -> str:
        places = "、".join(f"{p.metric}{format_value(p.completion_pct, '%')}第{p.rank}" if p.rank else f"{p.metric}无数据"
                           for p in r.places)
        head = f"{r.rank}. {r.region}" if r.rank else f"{r.region}（不参加综合排名）"
        return f"{head}（{places}）"

    listing = "；".join(line(r) for r in table)
    summary = (note + " " if note else "") + f"{used.label}各县区{'、'.join(metrics)}完成进度排名及综合名次：{listing or '无数据'}。"
    ranked = [r for r in table if r.rank is not None]
    if ranked and not store.region_scope:
        last = [r.region for r in ranked if r.rank == max(x.rank or 0 for x in ranked)]
        summary += f"综合排名靠后的：{'、'.join(last)}。"
    if store.region_scope:
        summary += f"（共 {ranked_count} 个地区参加综合排名；您的账号只显示{store.region_scope}的名次。）"
    summary += f"（{OVERALL_RULE}。）"
    return MonthlyRanking(period_asked=asked.key if asked else None, period=used.key, period_label=used.label,
                          metrics=metrics, reported=[p.key for p in year], rows=table, ranked_count=ranked_count,
                          note=note, figures=figures, provenance=prov, summary=summary)


# ---- 进度变化: two periods compared ----------------------------------------------------------------

CHANGE_RULE = ("进度提升 = 后一期完成进度 − 前一期完成进度（百分点；完成进度 = 累计值 ÷ 年度目标 × 100%）；"
               "按提升由多到少排名，并列者名次相同；两期都有完成进度的县区才参加排名")


class ProgressStep(BaseModel):
    region: str
    metric: str
    before_pct: float
    after_pct: float
    change_points: float
    rank: int
    # the county's place by completion in each period (名次 一季度第7 → 1-7月第8), ties sharing a place
    before_place: int | None = None
    after_place: int | None = None


class ProgressChange(BaseModel):
    period: str
    period_label: str
    compared_to: str
    compared_label: str
    metrics: list[str]
    rows: list[ProgressStep]
    figures: list[Figure]
    provenance: Provenance
    summary: str
    # the city's own change per metric (全市行, not ranked among the counties): rank 0
    city: list[ProgressStep] = []


@figure_tool(
    "两个期间之间各县区完成进度的提升（如上半年比一季度），按提升多少排名",
    examples=[
        "一季度以来哪个县区完成进度提升得最多", "与上一期相比各县区完成进度提高了多少", "7月比上半年哪个县区进度提升最快",
        "哪些县区的完成进度比上季度下降了", "各县区内资完成进度比一季度提升了多少", "进度提升最慢的县区",
    ],
    slots={"period": "period", "metric": "metric", "compared_to": "compared_to"},
    requires=("change",),  # 一季度各县区完成进度排名 is one period's ranking, not a change
    path="progress-change",
)
def progress_change(store: FigureStore, period: str | None = None, metric: str | None = None,
                    compared_to: str | None = None) -> ProgressChange:
    """各县（市、区）、开发区两个累计期间之间完成进度的变化（百分点），按提升由多到少排名。

    period：较晚的期间，如“2023Q2”“上半年”，不填为县区指标中最新的期间；metric：可选，指标，不填为每项指标；
    compared_to：可选，较早的期间，不填为同一年中 period 之前最近的一期（上半年比一季度）。
    """
    after = parse_period(period) if period else None
    with store.session() as session:
        held = _county_periods(session)
        if not held:
            raise InvalidValue("县区指标表还没有分县区的数据，无法比较进度。请先导入县区指标。")
        after = after or held[-1]
        # a period only the 全市 row holds (全年, reported for the city alone): the city's own change, no ranking
        city_held = _county_periods(session, city=True) if after not in held and not store.region_scope else []
        city_only = after in city_held
        if after not in held and not city_only:
            raise InvalidValue(f"县区指标表中没有{after.label}分县区的数据。已有期间：{'、'.join(p.label for p in held)}。")
        usable = city_held if city_only else held
        before = parse_period(compared_to) if compared_to else None
        if before is None:
            earlier = [p for p in usable if p.year == after.year and p < after]
            if not earlier:
                raise InvalidValue(f"{after.year}年在{after.label}之前没有分县区的县区指标，无法比较进度。")
            before = earlier[-1]
        if before not in usable or before >= after:
            raise InvalidValue(f"无法用{before.label}与{after.label}比较：前一期须早于后一期且县区指标表中有数据。"
                               f"已有期间：{'、'.join(p.label for p in usable)}。")
        names = [resolve_metric(metric).name] if metric else [
            m for m in known_metrics() if m in set(session.scalars(select(Indicator.metric).where(
                Indicator.period == after.key).distinct()))]
        steps: list[ProgressStep] = []
        city: list[ProgressStep] = []
        amounts: dict[str, tuple[Decimal | None, str]] = {}  # the city's later figure per metric, said where only it is held
        used: list[tuple[int, int]] = []
        for name in names:
            ends = [next((r for r in load_rows(session, p, name) if r.is_city and r.completion is not None), None)
                    for p in (before, after)]
            if ends[0] is not None and ends[1] is not None and not store.region_scope:
                amounts[name] = (ends[1].value, resolve_metric(name).unit)
                start, end = ends[0].completion, ends[1].completion
                city.append(ProgressStep(region=ends[1].region, metric=name, before_pct=float(start),  # type: ignore[arg-type]
                                         after_pct=float(end), change_points=float(end - start), rank=0))  # type: ignore[arg-type,operator]
                used += [(ends[0].id, ends[0].import_id), (ends[1].id, ends[1].import_id)]
            old = {r.region: r for r in load_rows(session, before, name) if not r.is_city and r.completion is not None}
            new = {r.region: r for r in load_rows(session, after, name) if not r.is_city and r.completion is not None}
            both = [c for c in new if c in old]
            deltas = {c: new[c].completion - old[c].completion for c in both}  # type: ignore[operator]
            ranks = competition_rank(list(deltas.items()))
            old_place = competition_rank([(c, r.completion) for c, r in old.items()])  # type: ignore[misc]
            new_place = competition_rank([(c, r.completion) for c, r in new.items()])  # type: ignore[misc]
            for c in sorted(both, key=lambda c: ranks[c]):
                steps.append(ProgressStep(region=c, metric=name, before_pct=float(old[c].completion),  # type: ignore[arg-type]
                                          after_pct=float(new[c].completion),  # type: ignore[arg-type]
                                          change_points=float(deltas[c]), rank=ranks[c],
                                          before_place=old_place.get(c), after_place=new_place.get(c)))
                used += [(old[c].id, old[c].import_id), (new[c].id, new[c].import_id)]
        prov = provenance(session, "indicators", used, after, CHANGE_RULE + f"；前一期为{before.label}")
    if store.region_scope:  # a county officer sees their own change and place
        steps = [s for s in steps if s.region == store.region_scope]
    figures = [Figure(label=f"{s.region} {s.metric} {after.label}比{before.label}完成进度变化", value=s.change_points,
                      unit="个百分点", period=after.key, provenance=prov) for s in [*city, *steps]]
    figures += [Figure(label=f"{s.region} {s.metric} {p.label}完成进度", value=v, unit="%", period=p.key,
                       provenance=prov) for s in [*city, *steps] for p, v in ((before, s.before_pct), (after, s.after_pct))]

    def part(name: str) -> str:
        mine = [s for s in steps if s.metric == name]
        def moved(s: ProgressStep) -> str:
            if not s.change_points:
                return "持平"
            return f"{'提高' if s.change_points > 0 else '下降'} {format_value(abs(s.change_points), '个百分点')}"

        listing = "；".join(f"{s.rank}. {s.region} {moved(s)}（{format_value(s.before_pct, '%')}，第{s.before_place}名→"
                           f"{format_value(s.after_pct, '%')}，第{s.after_place}名）" for s in mine[:13])
        whole = next((f"全市{moved(s)}（{format_value(s.before_pct, '%')}→{format_value(s.after_pct, '%')}）；"
                      for s in city if s.metric == name), "")
        return f"{name}：{whole}{listing or '无数据'}"

    if city_only:
        figures += [Figure(label=f"全市 {name} {after.label}", value=as_float(value), unit=unit, period=after.key,
                           provenance=prov) for name, (value, unit) in amounts.items()]
        return ProgressChange(
            period=after.key, period_label=after.label, compared_to=before.key, compared_label=before.label, metrics=names,
            rows=[], figures=figures, provenance=prov, city=city,
            summary=f"{after.label}比{before.label}：" + "；".join(
                f"全市{after.label}{s.metric}{format_value(as_float(amounts[s.metric][0]), amounts[s.metric][1])}，"
                f"完成进度{format_value(s.before_pct, '%')}→{format_value(s.after_pct, '%')}，"
                f"{'提高' if s.change_points >= 0 else '下降'} {format_value(abs(s.change_points), '个百分点')}" for s in city)
            + f"（县区指标表没有{after.label}分县区的数据，只有全市行；{CHANGE_RULE}。）")
    summary = (f"{after.label}比{before.label}，各县区完成进度提升排名——" + "。".join(part(n) for n in names) + "。"
               + (f"（您的账号只显示{store.region_scope}的变化和名次。）" if store.region_scope else "")
               + f"（{CHANGE_RULE}。）")
    return ProgressChange(period=after.key, period_label=after.label, compared_to=before.key,
                          compared_label=before.label, metrics=names, rows=steps, figures=figures, provenance=prov,
                          summary=summary, city=city)
