"""A project rate between two issues of the ledger (全市开工率这期比上期变了多少个点, 这周资金到位率比上周高了还是
低了): the rate of the city and of each county computed from the versions of the rows each issue recorded
(project_versions in force on the issue's date), so both sides are what the ledger said then, not today's rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from assistant.db.errors import InvalidValue
from assistant.db.models import ProjectVersion, Region
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.tools.common import check_region, provenance, resolve_region
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.lifecycle import (
    RATE_FIELDS,
    RATE_RULES,
    CountyRates,
    county_rates_in_db,
    issue_on,
    ledger_dates,
)
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date, format_value

CITY = "全市"


class RateAt(BaseModel):
    region: str  # a county, or 全市
    before: float | None
    after: float | None
    change_points: float | None  # after − before, in percentage points
    rank_before: int | None = None  # among the counties, in each issue (全市 is not ranked)
    rank_after: int | None = None


class RateChange(BaseModel):
    rate: str
    issue_from: date
    issue_to: date
    rows: list[RateAt]  # 全市 first, then the counties whose rate changed
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "两期项目台账之间项目比率的变化：全市和各县区的开工率、资金到位率、合同履约率、涉链占比",
    examples=[
        "全市开工率这期台账跟上期比变了多少", "这周资金到位率比上周高了还是低了", "最近两期台账开工率有没有提高",
        "上期到这期各县区资金到位率谁提高最多", "6月底以来全市开工率变化了多少个点", "履约率这周比上周掉了没有",
    ],
    slots={"rate": "rate", "date_from": "date_from", "date_to": "date_to", "region": "county", "ledger_on": "ledger_on"},
    requires=("rate", "across_issues"),
    path="rate-change",
)
def rate_change(store: FigureStore, rate: str = "开工率", date_from: date | None = None, date_to: date | None = None,
                region: str | None = None, ledger_on: date | None = None) -> RateChange:
    """两期项目台账之间项目比率的变化（单位：百分点），全市和各县区分别计算，各期按当期台账记录的阶段、资金、期限算。

    rate：“开工率”（默认）、“资金到位率”、“合同履约率”或“涉链占比”；date_from：可选，起始日期（如“2023-07-17”），
    前一期取不晚于这天的最近一期台账；date_to：可选，结束日期，后一期取不晚于这天的最近一期（都不填时比较最近两期台账）；
    region：可选，某县区：先写明该县区的变化和两期名次；ledger_on：可选，前一期台账的日期（“6月底那期跟现在比”），同 date_from。
    """
    if rate not in RATE_FIELDS:
        raise InvalidValue(f"“{rate}”不是项目比率，可选：{'、'.join(RATE_FIELDS)}。")
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(f"日期范围有误：起始日期 {date_from} 晚于结束日期 {date_to}。")
    with store.session() as session:
        named = resolve_region(session, region) if region else None
        if named is not None:
            check_region(store, named)
        issues = ledger_dates(session, "projects")
        if len(issues) < 2:
            raise InvalidValue("项目台账只有一期（或没有按填报日期导入的分期数据），无法比较两期之间的变化。")
        last = issue_on(issues, date_to, rate) if date_to else issues[-1]
        # the issue before the window: what the ledger said when it began (这周比上周: last week's issue)
        start = date_from or ledger_on
        first = issue_on(issues, start, rate) if start else max((d for d in issues if d < last), default=last)
        if first >= last:
            raise InvalidValue(f"{cn_date(last)}那期以前没有更早的台账可比较（最早一期是{cn_date(issues[0])}）。")
        before = county_rates_in_db(session, first, ledger_on=first, city=CITY)
        after = county_rates_in_db(session, last, ledger_on=last, city=CITY)
        ids = list(session.execute(select(ProjectVersion.id, ProjectVersion.import_id).where(
            ProjectVersion.in_force(first) | ProjectVersion.in_force(last))))
        prov = provenance(session, "project_versions", [(i, j) for i, j in ids], None,
                          f"{RATE_RULES[rate]}；两期各按当期台账的项目记录计算，变化 = 后一期 − 前一期（百分点）")
        order = [r.name for r in session.scalars(select(Region).order_by(Region.sort_order)) if not r.is_city]
    scope = store.region_scope
    def rate_of(rates: dict[str, CountyRates], name: str) -> float | None:
        return rates[name].rate(rate) if name in rates else None

    rows = [] if scope else [_moved(CITY, rate_of(before, CITY), rate_of(after, CITY))]
    rows += [_moved(name, rate_of(before, name), rate_of(after, name))
             for name in order if (name in before or name in after) and (not scope or name == scope)]
    for side in ("before", "after"):
        ranks = competition_rank([(r.region, Decimal(str(getattr(r, side)))) for r in rows
                                  if r.region != CITY and getattr(r, side) is not None])
        for r in rows:
            setattr(r, f"rank_{side}", ranks.get(r.region))
    asked = named.name if named is not None and not named.is_city else None
    span = f"{cn_date(first)}那期 → {cn_date(last)}那期台账"
    figures = [Figure(label=f"{r.region}项目{rate}（{cn_date(d)}台账）", value=v, unit="%", period=None, provenance=prov)
               for r in rows for d, v in ((first, r.before), (last, r.after))]
    figures += [Figure(label=f"{r.region}项目{rate}变化（{span}）", value=r.change_points, unit="个百分点", period=None,
                       provenance=prov) for r in rows if r.change_points is not None]
    lead_rows = [r for r in rows if r.region == (asked or CITY)] or rows[:1]
    summary = "；".join(_said(rate, r, first, last) for r in lead_rows) + "。"
    moved = [r for r in rows if r.region not in (asked, CITY) and r.change_points]
    if moved:
        moved.sort(key=lambda r: -(r.change_points or 0))
        summary += "有变化的县区：" + "；".join(
            f"{r.region} {format_value(r.before, '%')} → {format_value(r.after, '%')}（{_points(r.change_points)}）"
            for r in moved) + "。"
    elif not asked:
        summary += "各县区的" + rate + "两期相同。"
    summary += f"（{RATE_RULES[rate]}；两期各按当期台账计算）"
    return RateChange(rate=rate, issue_from=first, issue_to=last, rows=rows, figures=figures, provenance=prov,
                      summary=summary)


def _moved(region: str, before: float | None, after: float | None) -> RateAt:
    change = float(round2(Decimal(str(after)) - Decimal(str(before)))) if before is not None and after is not None else None
    return RateAt(region=region, before=before, after=after, change_points=change)


def _points(change: float | None) -> str:
    if change is None:
        return "无法比较"
    return "持平" if change == 0 else f"{'提高' if change > 0 else '下降'} {format_value(abs(change), '个百分点')}"


def _said(rate: str, r: RateAt, first: date, last: date) -> str:
    def place(rank: int | None) -> str:
        return f"（排第{rank}）" if rank is not None and r.region != CITY else ""

    return (f"{r.region}项目{rate}{cn_date(first)}那期台账 {format_value(r.before, '%')}{place(r.rank_before)}，"
            f"{cn_date(last)}那期 {format_value(r.after, '%')}{place(r.rank_after)}，{_points(r.change_points)}")
