"""A project rate between two issues of the ledger (全市开工率这期比上期变了多少个点, 这周资金到位率比上周高了还是
低了): the rate of the city and of each county computed from the versions of the rows each issue recorded
(project_versions in force on the issue's date), so both sides are what the ledger said then, not today's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue
from assistant.db.models import Project, ProjectIssueSum, ProjectVersion, Region
from assistant.db.rate_sums import on_key_chain
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.tools.common import Named, all_ids, check_region, provenance_of, resolve_chain, resolve_region
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.lifecycle import (
    RATE_FIELDS,
    RATE_RULES,
    WHOLE_CITY,
    CountyRates,
    Mover,
    county_rates_at_issue,
    issue_on,
    ledger_dates,
    movers_by_issue,
    rates_by_issue,
)
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date, format_value

CITY = WHOLE_CITY
MOVERS_EVERY_STEP = 13  # a series of up to this many issues (a quarter of weeks) names the movers of every step
MOVERS_SHOWN = 5  # per issue, the projects that moved the most (a stage first, then the biggest change of funds)


class RateAt(BaseModel):
    region: str  # a county, or 全市
    before: float | None
    after: float | None
    change_points: float | None  # after − before, in percentage points
    rank_before: int | None = None  # among the counties, in each issue (全市 is not ranked)
    rank_after: int | None = None


class RateStep(BaseModel):
    """One issue of the ledger in the window, for the projects asked about (a county's, a chain's): its rate, the
    change from the issue before and the projects whose funds or stage moved in between."""

    issue: date
    value: float | None
    change_points: float | None = None
    movers: list[str] = []  # 富硒茶饮品项目（示例）到位资金 0.60 → 0.70亿元: those that moved most
    moved: int | None = 0  # how many projects moved, listed or not (None: not looked up, see _series)


class RateChange(BaseModel):
    rate: str
    issue_from: date
    issue_to: date
    rows: list[RateAt]  # 全市 first, then the counties whose rate changed
    scope: str | None = None  # the projects a series is of (紫阳县, 新能源产业链, 不在“5+3”重点产业链上的项目)
    series: list[RateStep] = []  # every issue from issue_from to issue_to, for `scope`
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "两期项目台账之间项目比率的变化：全市和各县区的开工率、资金到位率、合同履约率、涉链占比",
    examples=[
        "全市开工率这期台账跟上期比变了多少", "这周资金到位率比上周高了还是低了", "最近两期台账开工率有没有提高",
        "上期到这期各县区资金到位率谁提高最多", "6月底以来全市开工率变化了多少个点", "履约率这周比上周掉了没有",
        "某条产业链的资金到位率这几期是怎么变的", "一条链上项目的开工率上月底那期和现在各是多少",
        "不在重点产业链上的项目资金到位率每期多少", "某县资金到位率哪一周提高得最多，是哪个项目到的钱",
    ],
    slots={"rate": "rate", "date_from": "date_from", "date_to": "date_to", "region": "county", "ledger_on": "ledger_on",
           "key_chain": "rated_key_chain"},
    requires=("rate", "across_issues"),
    path="rate-change",
)
def rate_change(store: FigureStore, rate: str = "开工率", date_from: date | None = None, date_to: date | None = None,
                region: str | None = None, ledger_on: date | None = None, chain: str | None = None,
                key_chain: bool | None = None, every_issue: bool = False) -> RateChange:
    """两期项目台账之间项目比率的变化（单位：百分点），全市和各县区分别计算，各期按当期台账记录的阶段、资金、期限算。

    rate：“开工率”（默认）、“资金到位率”、“合同履约率”或“涉链占比”；date_from：可选，起始日期（如“2023-07-17”），
    前一期取不晚于这天的最近一期台账；date_to：可选，结束日期，后一期取不晚于这天的最近一期（都不填时比较最近两期台账）；
    region：可选，某县区：先写明该县区的变化和两期名次；ledger_on：可选，前一期台账的日期（“6月底那期跟现在比”），同 date_from；
    chain：可选，某条产业链：只算该链的项目；key_chain：可选，True 只算“5+3”重点产业链上的项目，False 只算不在其上的；
    every_issue：可选，为真时（问哪一期、哪一周、各期）不填日期也从第一期台账看起。
    问到某县区、某条链或链外项目时，另列时间窗内每一期台账的比率、与上一期相比的变化和带来变化的项目（某条链或链外项目
    不填日期时为全部各期）。
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
        by_chain = chain is not None or key_chain is not None  # the projects of a chain (or off the key chains)
        # (a county officer's chain is the chain's projects in their county)
        own_region = resolve_region(session, store.region_scope) if store.region_scope and named is None else None
        scope, picking = _scope(session, named or own_region if by_chain else named, chain, key_chain)
        where = picking(Project)
        last = issue_on(issues, date_to, rate) if date_to else issues[-1]
        # the issue before the window: what the ledger said when it began (这周比上周: last week's issue); for one
        # chain's projects, or when each issue is asked, with no day named, the whole history (哪一期开始过六成的,
        # 哪一周涨得最多)
        start = date_from or ledger_on
        whole = start is None and (by_chain or every_issue)
        first = issue_on(issues, start, rate) if start else issues[0] if whole \
            else max((d for d in issues if d < last), default=last)
        if first >= last:
            raise InvalidValue(f"{cn_date(last)}那期以前没有更早的台账可比较（最早一期是{cn_date(issues[0])}）。")
        # the versions behind the two issues: their ids in order and their imports, each from the database (not
        # tens of thousands of (id, import) pairs sorted here), each issue's by itself (a range the versions'
        # window index serves; one chain's projects picked by id first, each one's versions by its id)
        picked = (ProjectVersion.project_id.in_(select(Project.id).where(*where)),) if by_chain and where else ()
        ids = sorted({i for day in (first, last) for i in all_ids(session, ProjectVersion.id,
                                                                  ProjectVersion.in_force(day), *picked)})
        imports = {i for day in (first, last) for i in session.scalars(
            select(ProjectVersion.import_id).where(ProjectVersion.in_force(day), *picked).distinct())}
        prov = provenance_of(session, "project_versions", ids, imports, None,
                             f"{RATE_RULES[rate]}；两期各按当期台账的项目记录计算，变化 = 后一期 − 前一期（百分点）")
        series = _series(session, rate, [d for d in issues if first <= d <= last], scope, where,
                         picking(ProjectIssueSum)) \
            if scope is not None else []
        if by_chain:  # one chain's projects: its series is the answer, the counties' rates are not asked
            return _of_scope(rate, first, last, scope or "", series, prov)
        # (both are issues: their per-issue sums hold each county's, as county_rates_in_db would sum the versions)
        before = county_rates_at_issue(session, first, city=CITY)
        after = county_rates_at_issue(session, last, city=CITY)
        order = [r.name for r in session.scalars(select(Region).order_by(Region.sort_order)) if not r.is_city]
    own = store.region_scope
    def rate_of(rates: dict[str, CountyRates], name: str) -> float | None:
        return rates[name].rate(rate) if name in rates else None

    rows = [] if own else [_moved(CITY, rate_of(before, CITY), rate_of(after, CITY))]
    rows += [_moved(name, rate_of(before, name), rate_of(after, name))
             for name in order if (name in before or name in after) and (not own or name == own)]
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
    if len(series) > 2:
        summary += _steps_said(rate, scope or "", series)
    summary += f"（{RATE_RULES[rate]}；两期各按当期台账计算）"
    return RateChange(rate=rate, issue_from=first, issue_to=last, rows=rows, scope=scope, series=series,
                      figures=figures, provenance=prov, summary=summary)


def _scope(session: Session, named: Named | None, chain: str | None, key_chain: bool | None
           ) -> tuple[str | None, Callable[[Any], tuple[ColumnElement[bool], ...]]]:
    """The projects a series is of, in words (None: the whole ledger), and the conditions picking them from a table
    with their region_id and chain_id (the projects, or the per-issue sums of the rates)."""
    words: list[str] = []
    region_id = named.id if named is not None and not named.is_city else None
    if region_id is not None:
        words.append(named.name if named is not None else "")
    chain_id = None
    if chain is not None:
        picked = resolve_chain(session, chain)
        chain_id = picked.id
        words.append(f"{picked.name}产业链")
    elif key_chain is not None:
        words.append("“5+3”重点产业链上的" if key_chain else "不在“5+3”重点产业链上的")

    def where(src: Any) -> tuple[ColumnElement[bool], ...]:
        picks: list[ColumnElement[bool]] = []
        if region_id is not None:
            picks.append(src.region_id == region_id)
        if chain_id is not None:
            picks.append(src.chain_id == chain_id)
        elif key_chain is not None:
            on_key = on_key_chain(src.chain_id)
            picks.append(on_key if key_chain else or_(src.chain_id.is_(None), ~on_key))
        return tuple(picks)

    return ("".join(words) if words else None), where


def _series(session: Session, rate: str, days: list[date], scope: str, where: tuple[ColumnElement[bool], ...],
            summed: tuple[ColumnElement[bool], ...]) -> list[RateStep]:
    """The rate of the projects picked by `where` (conditions on the projects; `summed`, the same on the per-issue
    sums) at each issue of `days` (rates_by_issue), and the projects whose stage or funds moved most between one
    issue and the next (movers_by_issue). A series of more than MOVERS_EVERY_STEP issues (a year of weeks) looks
    up the projects behind the steps its answer names — the latest, the biggest rise and the biggest fall — not
    behind every week, which would read every version of every project picked."""
    rates = rates_by_issue(session, days, scope, summed)
    steps: list[RateStep] = []
    for day in days:
        value = rates[day].rate(rate) if day in rates else None
        step = RateStep(issue=day, value=value)
        if steps:
            step.change_points = _moved(scope, steps[-1].value, value).change_points
        steps.append(step)
    if len(days) <= MOVERS_EVERY_STEP:
        looked = [(days, steps[1:])]
    else:
        changed = [s for s in steps[1:] if s.change_points]
        named = {steps[-1].issue: steps[-1]}
        for pick in (max, min):
            if changed:
                top = pick(changed, key=lambda s: s.change_points or 0)
                named[top.issue] = top
        for step in steps[1:]:
            step.moved = None
        looked = [([steps[steps.index(step) - 1].issue, day], [step]) for day, step in sorted(named.items())]
    for window, asked in looked:
        moves = movers_by_issue(session, window, where, MOVERS_SHOWN)
        for step in asked:
            step.moved, movers = moves.get(step.issue, (0, []))
            step.movers = [_move(m) for m in movers[:MOVERS_SHOWN]]
    return steps


def _move(m: Mover) -> str:
    """What one project did between two issues, in words."""
    if m.entered:
        return f"{m.project}新入台账（{m.stage}）"
    said = []
    if m.stage != m.stage_before:
        said.append(f"由{m.stage_before}转{m.stage}")
    if (m.funds_yi_yuan or 0) != (m.funds_before_yi_yuan or 0):
        said.append(f"到位资金 {format_value(m.funds_before_yi_yuan or 0, '亿元')} → {format_value(m.funds_yi_yuan or 0, '亿元')}")
    return f"{m.project}{'，'.join(said)}"


def _steps_said(rate: str, scope: str, series: list[RateStep]) -> str:
    """Each issue's rate, the change from the one before and the projects behind it; the biggest rise named."""
    parts = [f"{cn_date(series[0].issue)} {format_value(series[0].value, '%')}"]
    for step in series[1:]:
        more = f"等 {step.moved} 个项目" if (step.moved or 0) > len(step.movers) else ""
        moved = f"，{'；'.join(step.movers)}{more}" if step.movers and step.change_points else ""
        parts.append(f"{cn_date(step.issue)} {format_value(step.value, '%')}（{_points(step.change_points)}{moved}）")
    said = f"{scope}项目{rate}各期台账：" + "；".join(parts) + "。"
    rises = [s for s in series[1:] if s.change_points and s.change_points > 0]
    if rises and len(series) > 2:
        top = max(rises, key=lambda s: s.change_points or 0)
        prior = series[series.index(top) - 1]
        said += (f"提高最多的一期是{cn_date(prior.issue)}那期到{cn_date(top.issue)}那期"
                 f"（{format_value(prior.value, '%')} → {format_value(top.value, '%')}，{_points(top.change_points)}）。")
    return said


def _of_scope(rate: str, first: date, last: date, scope: str, series: list[RateStep], prov: Provenance) -> RateChange:
    """The change of one chain's projects (or those off the key chains): the two ends, then every issue between."""
    start, end = series[0], series[-1]
    whole = _moved(scope, start.value, end.value)
    figures = [Figure(label=f"{scope}项目{rate}（{cn_date(s.issue)}台账）", value=s.value, unit="%", period=None,
                      provenance=prov) for s in series]
    if whole.change_points is not None:
        figures.append(Figure(label=f"{scope}项目{rate}变化（{cn_date(first)}那期 → {cn_date(last)}那期台账）",
                              value=whole.change_points, unit="个百分点", period=None, provenance=prov))
    summary = (f"{scope}项目{rate}{cn_date(first)}那期台账 {format_value(start.value, '%')}，{cn_date(last)}那期 "
               f"{format_value(end.value, '%')}，{_points(whole.change_points)}。")
    if len(series) > 2 or any(s.movers for s in series):
        summary += _steps_said(rate, scope, series)
    summary += f"（{RATE_RULES[rate]}；只计{scope}项目，各期按当期台账计算）"
    return RateChange(rate=rate, issue_from=first, issue_to=last, rows=[whole], scope=scope, series=series,
                      figures=figures, provenance=prov, summary=summary)


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
