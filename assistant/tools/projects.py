"""Project-library tools: statistics by stage, chain and region, rates, and filtered lists.

With a period, the projects are those signed within it (signed_on from 1 January to the period's
end) and “started” means started_on on or before the period's end, as in the quarterly reports
(“一季度新签约项目已开工…个”). Without a period, all projects count and stages are as imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from assistant.db.errors import InvalidValue
from assistant.db.models import Enterprise, IndustryChain, Problem, Project, ProjectVersion, Region
from assistant.db.periods import Period
from assistant.db.records import PROJECT_SPECS
from assistant.db.reference import CITY_NAME, PROJECT_STAGES, SIGNED_STAGES
from assistant.db.session import FigureStore
from assistant.db.units import round2, to_decimal
from assistant.db.vocab import resolve_stage
from assistant.tools.common import (
    all_ids,
    check_region,
    found_or_examined,
    guard_aggregate,
    period_of,
    provenance,
    provenance_of,
    resolve_chain,
    resolve_region,
    scoped_region,
)
from assistant.tools.directory import match_names
from assistant.tools.formulas import formula
from assistant.tools.lifecycle import ledger_date, ledger_dates, region_filter
from assistant.tools.milestones import COLUMN_NAMES, DATE_COLUMNS
from assistant.tools.registry import figure_tool
from assistant.tools.types import UNFILLED, Figure, Provenance, as_float, cn_date, format_value, window_label

_NON_KEY = "非重点产业链"

# The ledger columns a project list shows when a question asks for them (汉阴县的项目管家, 各项目的约定开工期限): the
# importer's field → the Project attribute. They are named as the importer reads their headers (PROJECT_SPECS), so a
# question is matched against the database's own words for its columns.
_COLUMN_ATTRS = {
    "enterprise": "enterprise_name", "signed_on": "signed_on", "started_on": "started_on",
    "operating_on": "operating_on", "funds": "funds_arrived_yi_yuan", "lead_grade": "lead_grade", "clue_on": "clue_on",
    "talks_on": "talks_on", "source": "source_unit", "responsible": "responsible_unit", "leader": "lead_leader",
    "manager": "manager", "build_type": "build_type", "funds_year": "funds_this_year_yi_yuan",
    "deadline": "start_deadline", "progress": "progress", "progress_on": "progress_on",
    "foreign_amount": "foreign_amount_wan_usd",
}
# Amount columns a list adds up when they are asked (续建项目今年到位了多少资金): the column → its unit.
_SUMMED = {"funds_arrived_yi_yuan": "亿元", "funds_this_year_yi_yuan": "亿元", "foreign_amount_wan_usd": "万美元"}
# column label (the header's first name) → every header name the importer accepts for it
LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    spec.aliases[0]: spec.aliases for spec in PROJECT_SPECS if spec.field in _COLUMN_ATTRS}
_ATTR_OF = {spec.aliases[0]: _COLUMN_ATTRS[spec.field] for spec in PROJECT_SPECS if spec.field in _COLUMN_ATTRS}
# Ledger columns whose values pick projects out of the list (张某当管家的项目, 续建项目, B级线索): the ones who is in
# charge or what kind of project it is; a yes/no column (制造业) picks the projects marked 是 (or 否).
_MATCH_FIELDS = {"responsible": "responsible_unit", "leader": "lead_leader", "manager": "manager",
                 "build_type": "build_type", "lead_grade": "lead_grade", "manufacturing": "is_manufacturing"}
MATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    spec.aliases[0]: spec.aliases for spec in PROJECT_SPECS if spec.field in _MATCH_FIELDS}
_MATCH_ATTR = {spec.aliases[0]: _MATCH_FIELDS[spec.field] for spec in PROJECT_SPECS if spec.field in _MATCH_FIELDS}
FLAG_COLUMNS = tuple(label for label, attr in _MATCH_ATTR.items() if attr.startswith("is_"))
WHO_COLUMNS = tuple(label for label, attr in _MATCH_ATTR.items() if attr in ("responsible_unit", "lead_leader", "manager"))


def match_values(session: Session) -> dict[str, list[str]]:
    """The values each text column of MATCH_COLUMNS holds (张某, 续建, 副市长（分管文旅）): the vocabulary a question
    picks projects by."""
    out: dict[str, list[str]] = {}
    for label, attr in _MATCH_ATTR.items():
        if label not in FLAG_COLUMNS:
            column = getattr(Project, attr)
            out[label] = sorted(v for v in session.scalars(select(column).distinct()) if v)
    return out


_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])  # any select over Project


def parse_matches(matches: list[str] | None) -> dict[str, str]:
    """["项目管家=张某"] → {"项目管家": "张某"} (a list of text, so that a query string and a CLI option carry it)."""
    out: dict[str, str] = {}
    for item in matches or []:
        column, sep, value = item.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise InvalidValue(f"筛选条件“{item}”应写作“列名=值”，如“项目管家=张某”。")
        out[column_label(column.strip(), MATCH_COLUMNS)] = value.strip()
    return out


def _matching(session: Session, matches: dict[str, str]) -> list[ColumnElement[bool]]:
    """Conditions for `matches` (column label → value): a text column equal to the value or holding it (分管文旅
    in 副市长（分管文旅）), a yes/no column 是 or 否."""
    where: list[ColumnElement[bool]] = []
    for asked, value in matches.items():
        label = column_label(asked, MATCH_COLUMNS)
        column = getattr(Project, _MATCH_ATTR[label])
        if label in FLAG_COLUMNS:
            if value not in ("是", "否"):
                raise InvalidValue(f"“{label}”只能筛选“是”或“否”，不是“{value}”。")
            where.append(column.is_(value == "是"))
        elif value.strip() == UNFILLED:  # 还没配项目管家的: the cell left empty
            where.append(or_(column.is_(None), column == ""))
        else:
            where.append(column.contains(value.strip(), autoescape=True))
    return where


def column_label(name: str, columns: dict[str, tuple[str, ...]] | None = None) -> str:
    """The ledger column a header name means (管家 → 项目管家, 开工期限 → 约定开工期限); InvalidValue otherwise."""
    columns = LEDGER_COLUMNS if columns is None else columns
    for label, aliases in columns.items():
        if name == label or name in aliases:
            return label
    raise InvalidValue(f"项目台账没有可用的“{name}”列。可用的列：{'、'.join(columns)}。")


def _column_text(value: object, unit: str = "亿元") -> str:
    if value is None or value == "":
        return UNFILLED
    if isinstance(value, date):
        return cn_date(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_value(float(value), unit)  # SQLite gives a whole amount (1.00) back as 1
    return str(value)


@dataclass(frozen=True)
class _P:
    id: int
    import_id: int
    name: str
    region: str
    chain: str | None
    key_chain: bool
    enterprise: str | None
    total: Decimal | None
    stage: str
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds: Decimal | None
    is_foreign: bool
    foreign_wan_usd: Decimal | None


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _select(session: Session, region: str | None, chain: str | None, period: Period | None,
            *where: ColumnElement[bool], first: int | None = None, ledger_on: date | None = None) -> list[_P]:
    """The projects matching; `first`: only the first by signing date (then id), read as such from the database.
    `ledger_on`: the projects on the ledger of that date, with the stage, dates and amounts it recorded (the
    version of each project in force on that day); the names, chains and who is in charge are today's."""
    # Columns, not ORM entities: a 10,000-project ledger loads in a fraction of the time.
    row: type[Project] | type[ProjectVersion] = Project if ledger_on is None else ProjectVersion
    stmt = (
        select(Project.id, Project.import_id if ledger_on is None else ProjectVersion.import_id, Project.name,
               Region.name, Region.sort_order, IndustryChain.name, IndustryChain.is_key, Project.enterprise_name,
               row.total_investment_yi_yuan, row.stage, row.signed_on, row.started_on, row.operating_on,
               row.funds_arrived_yi_yuan, Project.is_foreign, Project.foreign_amount_wan_usd)
        .select_from(Project)
    )
    stmt = _on_ledger(stmt, ledger_on).join(Region, row.region_id == Region.id).outerjoin(IndustryChain, Project.chain_id == IndustryChain.id)
    if region:
        reg = resolve_region(session, region)
        if not reg.is_city:
            stmt = stmt.where(row.region_id == reg.id)
    if chain == UNFILLED:
        stmt = stmt.where(Project.chain_id.is_(None))  # 产业链没填的项目
    elif chain:
        stmt = stmt.where(Project.chain_id == resolve_chain(session, chain).id)
    if period:
        stmt = stmt.where(row.signed_on >= period.start, row.signed_on <= period.end)
    if where:
        stmt = stmt.where(*where)
    if first is not None:
        stmt = stmt.order_by(Project.signed_on, Project.id).limit(max(first, 0))
    rows = sorted(  # in Python: NULL ordering and Chinese collation differ between SQLite and PostgreSQL
        session.execute(stmt), key=lambda t: (t[4], t[10] or date.max, t[2])
    )
    return [
        _P(r[0], r[1], r[2], r[3], r[5], bool(r[5] and r[6]), r[7], _dec(r[8]), r[9], r[10], r[11], r[12],
           _dec(r[13]), bool(r[14]), _dec(r[15]))
        for r in rows
    ]


def _reached(stage: str, target: str) -> bool:
    return PROJECT_STAGES.index(stage) >= PROJECT_STAGES.index(target)


def _at_stage(projects: list[_P], stage: str | None) -> list[_P]:
    """The projects a stage picks, as the tools' `stage` parameter reads it: 开工 (at that stage now), 未签约 (not
    yet there: 线索, 在谈), 已签约 (there or past it: 签约, 开工, 投产)."""
    if not stage:
        return projects
    if stage.startswith("未"):
        before = resolve_stage(stage[1:])
        return [x for x in projects if not _reached(x.stage, before)]
    if stage.startswith("已"):
        reached = resolve_stage(stage[1:])
        return [x for x in projects if _reached(x.stage, reached)]
    wanted = resolve_stage(stage)
    return [x for x in projects if x.stage == wanted]


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    return round2(Decimal(numerator) / Decimal(denominator) * 100) if denominator else None


class GroupStat(BaseModel):
    name: str
    count: int
    investment_yi_yuan: float | None


class ProjectStats(BaseModel):
    period: str | None
    region: str | None
    chain: str | None
    project_count: int
    total_investment_yi_yuan: float | None
    missing_investment: int
    by_stage: list[GroupStat]
    by_chain: list[GroupStat]
    by_region: list[GroupStat]
    count_ge_5_yi: int
    count_ge_10_yi: int
    signed_count: int
    started_count: int
    start_rate_pct: float | None
    funds_arrived_yi_yuan: float | None
    funds_rate_pct: float | None
    fulfilled_count: int
    fulfilment_rate_pct: float | None
    key_chain_count: int
    key_chain_share_pct: float | None
    foreign_count: int
    foreign_amount_wan_usd: float | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _groups(projects: list[_P], key: str, order: list[str]) -> list[GroupStat]:
    stats = []
    for name in order:
        members = [p for p in projects if (getattr(p, key) or _NON_KEY) == name]
        if members or key == "stage":
            # No projects in a group is a true zero; members without investment figures are 无数据.
            investment = _sum([p.total for p in members]) if members else Decimal(0)
            stats.append(GroupStat(name=name, count=len(members), investment_yi_yuan=as_float(investment)))
    return stats


@figure_tool(
    "项目库统计：按阶段、产业链、地区的个数与投资，开工率、资金到位率、履约率",
    examples=[
        "一季度新签约项目开工率是多少", "项目资金到位率", "汉阴县签约项目的履约率", "新型材料产业链有多少个项目",
        "全市签约项目总投资多少亿元", "5亿元以上项目有几个", "重点产业链项目占比多少", "上半年签约了多少个项目",
        "项目库里一共有多少项目", "开工项目有多少个", "外资项目有几个",
    ],
    slots={"matches": "rated", "signed_from": "signed_from", "signed_to": "signed_to", "source_unit": "source",
           "key_chain": "rated_key_chain", "stage": "rated_stage"},
    path="projects",
)
def project_stats(store: FigureStore, period: str | None = None, region: str | None = None,
                  chain: str | None = None, matches: list[str] | None = None, signed_from: date | None = None,
                  signed_to: date | None = None, source_unit: str | None = None,
                  key_chain: bool | None = None, stage: str | None = None) -> ProjectStats:
    """项目库统计：按阶段、产业链、地区的项目数和总投资，5亿元以上/10亿元以上项目数，开工率、资金到位率、履约率、重点产业链项目占比。

    period：可选，如“2023Q1”，只统计该累计期间内签约的项目（开工以期末前的开工日期为准）；不填则统计全部项目（含线索、在谈）。
    region：可选，地区名或简称；chain：可选，“5+3”重点产业链名，如“新型材料”“富硒食品”。金额单位均为亿元；
    matches：可选，台账列的取值，写作“列名=值”，如 ["包抓领导=分管工业"]：只统计这些项目；
    signed_from、signed_to：可选，签约日期范围，如“2023-04-01”到“2023-06-30”：只统计其间签约的项目（开工、到位按台账现状）；
    source_unit：可选，首谈单位名称或其中有区分度的部分，如“驻深圳招商联络处”“深圳”：只统计该单位首谈的项目；
    key_chain：可选，True 只统计“5+3”重点产业链上的项目，False 只统计不在任何一条重点产业链上的项目；
    stage：可选，只统计台账上处于该阶段的项目，写法同列项目的 stage：“开工”（在建的）、“投产”、“未签约”（线索、在谈）、“已开工”（开工、投产）；
    “签约”“已签约”不筛选（开工率、资金到位率、履约率本来就按已签约的项目算）。
    """
    p = period_of(period)
    picks = parse_matches(matches)
    # (签约, 已签约 narrow nothing: the rates are of the signed projects already)
    narrowing = stage if stage and stage.lstrip("已") != "签约" else None
    with store.session() as session:
        if region:
            check_region(store, resolve_region(session, region))
        projects = _select(session, region, chain, p, *_matching(session, picks))
        projects, units = _narrowed(session, projects, signed_from, signed_to, source_unit)
        if key_chain is not None:
            projects = [x for x in projects if x.key_chain == key_chain]
        projects = _at_stage(projects, narrowing)
        # a value asked in part (分管卫健) is said as the ledger writes it (副市长（分管卫健）)
        written = {label: sorted({str(v) for v in session.scalars(select(getattr(Project, _MATCH_ATTR[label])).where(
            Project.id.in_([x.id for x in projects]))) if v}) for label in picks if label not in FLAG_COLUMNS}
        region_name = resolve_region(session, region).name if region else None
        if region_name is None or region_name == CITY_NAME:  # a city-wide statistic: no other project alone
            guard_aggregate(store, "项目统计", sum(1 for x in projects if x.region != store.region_scope))
        chain_name = resolve_chain(session, chain).name if chain else None
        region_order = [r.name for r in session.scalars(select(Region).order_by(Region.sort_order))]
        chain_order = list(session.scalars(select(IndustryChain.name).order_by(IndustryChain.sort_order)))
        prov = provenance(session, "projects", [(x.id, x.import_id) for x in projects], p,
                          formula("开工率", "资金到位率", "履约率", "重点产业链项目占比", "大项目"))
    if p:
        signed = projects
        started = [x for x in signed if x.started_on is not None and x.started_on <= p.end]
    else:
        signed = [x for x in projects if _reached(x.stage, "签约")]
        started = [x for x in signed if _reached(x.stage, "开工")]
    with_money = [x for x in signed if x.total is not None and x.funds is not None]
    funds = _sum([x.funds for x in with_money])
    funds_total = _sum([x.total for x in with_money])
    fulfilled = [x for x in signed if x in started or (x.funds or 0) > 0]
    on_key_chain = [x for x in projects if x.key_chain]
    foreign = [x for x in projects if x.is_foreign]
    total = _sum([x.total for x in projects])
    stats = ProjectStats(
        period=p.key if p else None, region=region_name, chain=chain_name, project_count=len(projects),
        total_investment_yi_yuan=as_float(total), missing_investment=sum(1 for x in projects if x.total is None),
        by_stage=_groups(projects, "stage", list(PROJECT_STAGES)),
        by_chain=_groups(projects, "chain", chain_order + [_NON_KEY]),
        # a county officer sees city-wide totals, but the per-region breakdown only for their own region
        by_region=[g for g in _groups(projects, "region", region_order)
                   if not store.region_scope or g.name == store.region_scope],
        count_ge_5_yi=sum(1 for x in projects if x.total is not None and x.total >= 5),
        count_ge_10_yi=sum(1 for x in projects if x.total is not None and x.total >= 10),
        signed_count=len(signed), started_count=len(started), start_rate_pct=as_float(_rate(len(started), len(signed))),
        funds_arrived_yi_yuan=as_float(funds),
        funds_rate_pct=as_float(_rate(funds, funds_total) if funds is not None and funds_total else None),
        fulfilled_count=len(fulfilled), fulfilment_rate_pct=as_float(_rate(len(fulfilled), len(signed))),
        key_chain_count=len(on_key_chain), key_chain_share_pct=as_float(_rate(len(on_key_chain), len(projects))),
        foreign_count=len(foreign), foreign_amount_wan_usd=as_float(_sum([x.foreign_wan_usd for x in foreign])),
        figures=[], provenance=prov, summary="",
    )
    picked = "、".join(_picked(k, "/".join(written.get(k) or [v])) for k, v in picks.items())
    window = f"{span}签约的" if (span := window_label(signed_from, signed_to)) else ""
    on_chain = "" if key_chain is None else "“5+3”重点产业链上的" if key_chain else "不在“5+3”重点产业链上的"
    staged = "" if not narrowing else f"{narrowing}的" if narrowing[0] in "未已" else f"处于{resolve_stage(narrowing)}阶段的"
    scope = "".join(filter(None, [region_name, chain_name and f"{chain_name}产业链", on_chain, staged, picked and f"{picked}的",
                                  units and f"首谈单位为{units}的", window,
                                  f"{p.label}签约" if p else ("" if region_name or chain_name or on_chain or staged or picked
                                                               or units or window else "全部")]))
    items: list[tuple[str, float | int | None, str]] = [
        ("项目数", stats.project_count, "个"), ("总投资", stats.total_investment_yi_yuan, "亿元"),
        ("5亿元以上项目数", stats.count_ge_5_yi, "个"), ("10亿元以上项目数", stats.count_ge_10_yi, "个"),
        ("签约项目数", stats.signed_count, "个"), ("开工项目数", stats.started_count, "个"),
        ("开工率", stats.start_rate_pct, "%"), ("到位资金", stats.funds_arrived_yi_yuan, "亿元"),
        ("资金到位率", stats.funds_rate_pct, "%"), ("履约率", stats.fulfilment_rate_pct, "%"),
        ("重点产业链项目数", stats.key_chain_count, "个"), ("重点产业链项目占比", stats.key_chain_share_pct, "%"),
    ]
    stats.figures = [Figure(label=f"{scope}项目 {label}", value=value, unit=unit, period=stats.period, provenance=prov)
                     for label, value, unit in items]
    shown = "，".join(f"{label} {format_value(value, unit)}" for label, value, unit in items)
    # a few projects picked out (上个月签的, 深圳办首谈的) are named: which they are is half of what is asked
    # (a county officer sees the city's totals, but only their own region's projects by name)
    own = [x for x in projects if not store.region_scope or x.region == store.region_scope]
    named = ("（" + "、".join(x.name for x in own) + "）"
             if (signed_from or signed_to or source_unit or picks or key_chain is not None) and own
             and len(own) <= STATS_NAMED else "")
    stats.summary = f"{scope}项目{named}：{shown}。" if projects else f"{scope}项目：无数据。"
    idle = [x.name for x in signed if x not in started and x in own]
    if idle and len(idle) <= STATS_NAMED:  # which signed projects the 开工率 leaves out (哪个还没开)
        stats.summary += f"签约未开工的：{'、'.join(idle)}。"
    return stats


STATS_NAMED = 8  # up to this many projects picked out, the statistics name each


class ProjectItem(BaseModel):
    id: int
    name: str
    region: str
    chain: str | None
    enterprise: str | None
    total_investment_yi_yuan: float | None
    stage: str
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds_arrived_yi_yuan: float | None
    is_foreign: bool
    foreign_amount_wan_usd: float | None
    columns: dict[str, str] = {}  # the ledger columns asked for (项目管家 → 张某), as written in the answer


class ProjectList(BaseModel):
    items: list[ProjectItem]
    total_count: int
    truncated: bool
    provenance: Provenance
    summary: str
    figures: list[Figure] = []  # the count and total investment said in the summary, with their source
    headline: str = ""  # the summary's first clause: how many projects, their total investment, the filters
    totals: str = ""  # the summary's sums of the columns asked, and a part's share of the whole ledger's sums


def _narrowed(session: Session, projects: list[_P], signed_from: date | None, signed_to: date | None,
              source_unit: str | None) -> tuple[list[_P], str]:
    """The projects signed within the window and first talked to by the unit (驻深圳招商联络处 for 深圳办), with
    the units' names as the ledger writes them: the one narrowing the list and the statistics share."""
    if signed_from and signed_to and signed_from > signed_to:
        raise InvalidValue(f"签约日期范围有误：起始日期 {signed_from} 晚于结束日期 {signed_to}。")
    if signed_from or signed_to:
        projects = [x for x in projects if x.signed_on is not None
                    and (not signed_from or x.signed_on >= signed_from) and (not signed_to or x.signed_on <= signed_to)]
    units = ""
    if source_unit:
        first = dict(session.execute(select(Project.id, Project.source_unit).where(
            Project.id.in_([x.id for x in projects]))).all())
        projects = [x for x in projects if _same_unit(source_unit, first.get(x.id))]
        units = "、".join(sorted({str(first[x.id]) for x in projects})) or f"“{source_unit}”"
    return projects, units


def _upper_bound(text: str) -> tuple[Decimal, bool]:
    """"2" → (2, False): below 2 亿元; "2（含）" → (2, True): 2 亿元 or less. InvalidValue for anything else."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:亿元?)?\s*(（含）|\(含\)|含)?\s*", text)
    if m is None:
        raise InvalidValue(f"总投资上限“{text}”无效，应写作“2”（低于 2 亿元）或“2（含）”（2 亿元及以下）。")
    return Decimal(m.group(1)), bool(m.group(2))


# A project list's order: by region and signing (the default), by an amount, or by the date a step was reached.
ProjectOrder = Literal["signed", "investment", "investment_asc", "funds", "funds_asc", "gap", "signed_first", "signed_last",
                       "started_first", "started_last", "operating_first", "operating_last",
                       "signed_to_started_fastest", "signed_to_started_slowest", "started_to_operating_fastest",
                       "started_to_operating_slowest", "signed_to_operating_fastest", "signed_to_operating_slowest"]
# the date orders: the listed project's date attribute and whether the latest comes first, and the ledger column
# (签约日期…) shown beside each project so ordered
_DATED_STEPS = {"signed": "签约", "started": "开工", "operating": "投产"}
DATE_ORDERS: dict[str, tuple[str, bool]] = {f"{step}_{end}": (f"{step}_on", end == "last")
                                            for step in _DATED_STEPS for end in ("first", "last")}
DATE_ORDER_COLUMNS: dict[str, str] = {f"{step}_{end}": COLUMN_NAMES[stage]
                                      for step, stage in _DATED_STEPS.items() for end in ("first", "last")}
# the span orders (从开工到投产最快的): the two steps' date attributes, whether the longest comes first, and the two
# ledger columns shown beside each project so ordered
SPAN_ORDERS: dict[str, tuple[str, str, bool]] = {
    f"{a}_to_{b}_{end}": (f"{a}_on", f"{b}_on", end == "slowest")
    for a, b in (("signed", "started"), ("started", "operating"), ("signed", "operating")) for end in ("fastest", "slowest")}
SPAN_ORDER_COLUMNS: dict[str, tuple[str, str]] = {
    order: (COLUMN_NAMES[_DATED_STEPS[a.removesuffix("_on")]], COLUMN_NAMES[_DATED_STEPS[b.removesuffix("_on")]])
    for order, (a, b, _) in SPAN_ORDERS.items()}


def span_days(project: object, order: str) -> int | None:
    """The days between the two steps a span order measures (签约 → 开工), None without both dates."""
    start, end, _ = SPAN_ORDERS[order]
    first, then = getattr(project, start), getattr(project, end)
    return (then - first).days if first is not None and then is not None else None


@figure_tool(
    "列出项目：按地区、产业链、阶段、期间、投资额、是否外资筛选",
    examples=[
        "汉阴县有哪些项目", "列出新能源产业链的项目", "还在谈的项目有哪些", "总投资10亿元以上的项目名单",
        "一季度签约的项目有哪些", "外资项目都有哪些", "高新区已开工的项目", "投产的项目清单",
        "旬阳市的签约项目列表", "处于线索阶段的项目", "投资最大的项目是哪个", "5月份签约了哪些项目",
        "上海联络处牵线引进的项目有哪些", "新能源链上的项目各自到了什么阶段", "汉阴县各项目的项目管家是谁",
        "高新区项目的包抓领导和责任单位", "各项目约定开工期限分别是什么时候", "总投资不到1亿元的项目有几个",
        "哪个项目开工最晚", "投产的项目里哪个最早投产", "台账上所有项目的当年到位资金加起来是多少",
        "签约后超过45天才开工的项目有哪些", "哪个项目还差钱最多（资金缺口最大）", "从签约到开工平均用了多少天",
        "在建项目平均每个到位了多少钱",
    ],
    slots={"min_investment_yi": "amount", "max_investment_yi": "amount_below", "signed_from": "signed_from", "signed_to": "signed_to", "enterprise": "enterprise",
           "source_unit": "source", "columns": "columns", "headquarters": "hq"},
    path="project-list",
    rows="项目",
)
def list_projects(store: FigureStore, region: str | None = None, chain: str | None = None,
                  stage: str | None = None, period: str | None = None, min_investment_yi: float | None = None,
                  foreign: bool | None = None, signed_from: date | None = None, signed_to: date | None = None,
                  order: ProjectOrder = "signed", limit: int = 50,
                  enterprise: str | None = None, source_unit: str | None = None,
                  columns: list[str] | None = None, matches: list[str] | None = None,
                  max_investment_yi: str | None = None, no_funds: bool | None = None,
                  ledger_on: date | None = None, key_chain: bool | None = None,
                  headquarters: str | None = None, span_over: int | None = None,
                  span_under: int | None = None, mean: bool | None = None,
                  with_problems: bool | None = None) -> ProjectList:
    """列出项目库中的项目，可按条件筛选，按地区、签约日期排列（或按总投资从大到小）；问到台账列时逐个项目写出该列。

    region：地区名或简称；chain：“5+3”产业链名；stage：线索、在谈、签约、开工、投产（处于该阶段的），“未签约”“未开工”“未投产”
    （还没到该阶段的），或“已签约”“已开工”（到了该阶段及以后的：签约项目即已签约的，含已开工、投产的）；
    period：如“2023Q1”，只列该累计期间内（1月1日起）签约的项目；min_investment_yi：总投资下限（亿元），如 5；
    foreign：True 只列外资项目；signed_from、signed_to：签约日期范围，如“2023-04-01”到“2023-06-30”（某月、某季度内签约）；
    order：“signed”按地区和签约日期（默认），“investment”按总投资从大到小，“investment_asc”从小到大，“funds”按到位资金从多到少，
    “funds_asc”从少到多，“gap”按资金缺口（总投资减到位资金，只列已签约且两项都有的项目）从大到小，“signed_first”“started_first”“operating_first”按签约、开工、投产日期从早到晚，“…_last”从晚到早
    （还没到该阶段的排在最后），“signed_to_started_fastest”“started_to_operating_fastest”“signed_to_operating_fastest”
    按两个阶段之间的天数从少到多（从签约到开工最快的），“…_slowest”从多到少（没有两个日期的排在最后）；
    limit：最多返回条数（默认 50）；
    enterprise：投资企业名称或其中有区分度的部分，只列该企业的项目；
    source_unit：首谈单位（项目来源、引荐单位）名称或其中有区分度的部分，如“驻深圳招商联络处”“深圳”，只列该单位首谈的项目；
    columns：要逐个项目写出的台账列，如 ["项目管家", "包抓领导"]，可选：企业、签约日期、开工日期、投产日期、到位资金、线索等级、线索日期、在谈日期、
    来源/首谈单位、责任单位、包抓领导、项目管家、新建/续建、当年到位资金、约定开工期限、最新进展、进展日期、外资金额
    （到位资金、当年到位资金、外资金额问到时另给全部所列项目的合计）；
    max_investment_yi：总投资上限（亿元），如“2”只列总投资低于 2 亿元的项目，“2（含）”含 2 亿元；
    no_funds：True 只列已签约（签约、开工、投产阶段）而到位资金为零或未填（一分钱没到位）的项目；
    matches：按台账列的值筛选，每项写作“列名=值”，如 ["项目管家=张某"]、["新建/续建=续建"]、["项目管家=未填"]（该列空着的），可用的列：责任单位、包抓领导、
    项目管家、新建/续建、线索等级和填“是/否”的列（值为“是”或“否”）；文字列包含该值即可（“分管文旅”可找到“副市长（分管文旅）”）。
    key_chain：True 只列“5+3”重点产业链上的项目，False 只列不在任何一条“5+3”重点产业链上的项目；
    ledger_on：台账日期，如“2023-06-30”：列出那一期台账上的项目，阶段、日期和金额按那一期台账（该日有效的版本）；
    headquarters：投资企业的总部所在地，如“西安”：只列目标企业库中总部在该地的企业投资的项目；
    span_over、span_under：与两个阶段之间天数的排列（order 为“signed_to_started_…”等）同用，只列两个日期都有、相隔超过
    span_over 天（或不到 span_under 天）的项目，如签约后超过 45 天才开工的。
    with_problems：True 只列在问题台账上还有未办结（未解决、推进中）问题的项目（按项目名称对应）；
    mean：True 时另给所列项目的平均值：问到的金额列（到位资金等）为合计 ÷ 填报的项目数，没问金额列时为平均总投资
    （总投资合计 ÷ 填了总投资的项目数），如“在建项目平均每个到位了多少钱”“签约项目平均一个多大”。
    """
    if (span_over is not None or span_under is not None) and order not in SPAN_ORDERS:
        raise InvalidValue("span_over、span_under 须与两个阶段之间天数的排列（order，如“signed_to_started_slowest”）同用。")
    p = period_of(period)
    asked = list(dict.fromkeys(column_label(c) for c in columns or []))
    picks = parse_matches(matches)
    # 已签约: at that step or past it (签约项目 are the signed ones, whatever step they have reached since)
    reached_stage = resolve_stage(stage[1:]) if stage and stage.startswith("已") else None
    with store.session() as session:
        projects = _select(session, scoped_region(store, session, region), chain, p,
                           *_matching(session, picks), ledger_on=ledger_on)
        projects, units = _narrowed(session, projects, signed_from, signed_to, source_unit)
        # the projects the column's value was picked among (高新区那7个项目里哪个不算制造业: 7, then the one)
        pool = _narrowed(session, _select(session, scoped_region(store, session, region), chain, p, ledger_on=ledger_on),
                         signed_from, signed_to, source_unit)[0] if picks else []
        among = len(pool)
        pool_prov = provenance(session, "projects", [(x.id, x.import_id) for x in pool], p, None) if pool else None
        if order == "investment":
            projects = sorted(projects, key=lambda x: (x.total is None, -(x.total or 0), x.name))
        elif order == "investment_asc":  # 投资最小的: the smallest first, unfilled last
            projects = sorted(projects, key=lambda x: (x.total is None, x.total or 0, x.name))
        elif order in ("funds", "funds_asc"):  # 到位资金最多 / 最少: unfilled last either way
            sign = -1 if order == "funds" else 1
            projects = sorted(projects, key=lambda x: (x.funds is None, sign * (x.funds or 0), x.name))
        elif order == "gap":  # 还差钱最多的 (总投资 − 到位资金): signed projects with both amounts, the biggest gap first
            projects = sorted((x for x in projects if x.stage in SIGNED_STAGES and x.total is not None and x.funds is not None),
                              key=lambda x: (-((x.total or 0) - (x.funds or 0)), x.name))
        elif order in SPAN_ORDERS:  # 从开工到投产最快的: by the days between the two steps, those without both last
            longest = SPAN_ORDERS[order][2]
            span = {x.id: span_days(x, order) for x in projects}
            projects = sorted(projects, key=lambda x: (span[x.id] is None,
                                                       -(span[x.id] or 0) if longest else span[x.id] or 0, x.name))
        elif order in DATE_ORDERS:  # 哪个开工最晚 / 最先签约: by the step's date, those not there yet last
            attr, latest = DATE_ORDERS[order]
            day = {x.id: d.toordinal() if (d := getattr(x, attr)) else None for x in projects}
            projects = sorted(projects, key=lambda x: (day[x.id] is None, -(day[x.id] or 0) if latest else day[x.id] or 0,
                                                       x.name))
        if order in SPAN_ORDERS and (span_over is not None or span_under is not None):
            projects = [x for x in projects if (d := span_days(x, order)) is not None
                        and (span_over is None or d > span_over) and (span_under is None or d < span_under)]
        projects = _at_stage(projects, stage)
        if min_investment_yi is not None:
            floor = to_decimal(min_investment_yi)
            projects = [x for x in projects if x.total is not None and x.total >= floor]
        if max_investment_yi:
            ceiling, inclusive = _upper_bound(max_investment_yi)
            projects = [x for x in projects if x.total is not None
                        and (x.total <= ceiling if inclusive else x.total < ceiling)]
        if foreign is not None:
            projects = [x for x in projects if x.is_foreign == foreign]
        if no_funds:
            projects = [x for x in projects if x.stage in SIGNED_STAGES and not x.funds]
        if key_chain is not None:
            projects = [x for x in projects if x.key_chain == key_chain]
        if enterprise:
            named = set(match_names(enterprise, sorted({x.enterprise for x in projects if x.enterprise}), "enterprise"))
            projects = [x for x in projects if x.enterprise in named]
        if with_problems:
            # 还挂着没办完问题的项目: the project ledger joined to the problem ledger by the project's name
            open_names = set(session.scalars(select(Problem.project_name).where(Problem.status != "已解决")))
            projects = [x for x in projects if x.name in open_names]
        if headquarters:
            # 总部在西安的企业落了哪些项目: the enterprise table says where each company sits
            seated = {e.name for e in session.scalars(select(Enterprise)) if e.headquarters and headquarters in e.headquarters}
            investors = sorted({x.enterprise for x in projects if x.enterprise})
            named = {n for e in seated for n in match_names(e, investors, "enterprise")}
            projects = [x for x in projects if x.enterprise in named]
        shown = projects[: max(limit, 0)]
        prov = provenance(session, "projects", [(x.id, x.import_id) for x in shown], p, None)
        ledger = ledger_column_texts(session, [x.id for x in shown], asked, ledger_on)
        sums = column_sums(session, [x.id for x in projects], asked, ledger_on) if projects else []
        # the whole ledger's sums beside a part's (制造业项目的到位资金占全部的比重), of today's ledger and the same
        # columns; not for a county account, whose whole would be every county's
        count = (session.scalar(select(func.count(Project.id))) or 0) if sums and ledger_on is None else 0
        whole = column_sums(session, None, asked) if not store.region_scope and 0 < len(projects) < count else []
        whole_prov = (provenance_of(session, "projects", all_ids(session, Project.id),
                                    session.scalars(select(Project.import_id).distinct()), None, None) if whole else prov)
        first_ledger = min(ledger_dates(session), default=None) if ledger_on and not projects else None
    items = [
        ProjectItem(id=x.id, name=x.name, region=x.region, chain=x.chain, enterprise=x.enterprise,
                    total_investment_yi_yuan=as_float(x.total), stage=x.stage, signed_on=x.signed_on,
                    started_on=x.started_on, operating_on=x.operating_on, funds_arrived_yi_yuan=as_float(x.funds),
                    is_foreign=x.is_foreign, foreign_amount_wan_usd=as_float(x.foreign_wan_usd),
                    columns=ledger.get(x.id, {}))
        for x in shown
    ]
    total = _sum([x.total for x in projects])
    summary = (f"共 {len(projects)} 个项目，总投资 {format_value(as_float(total), '亿元')}" if projects else
               f"项目库中没有{enterprise}投资的项目（无数据）" if enterprise else
               f"项目库中没有首谈单位为“{source_unit}”的项目（无数据）" if source_unit else "无符合条件的项目")
    if projects and source_unit:
        summary = f"首谈单位为{units}的项目{summary[1:].replace(' 个项目', ' 个', 1)}"
    if reached_stage and projects and not no_funds:  # (一分钱没到位 is said of signed projects already)
        later = "、".join(PROJECT_STAGES[PROJECT_STAGES.index(reached_stage):])
        summary = f"已{reached_stage}（{later}阶段）的项目{summary[1:].replace(' 个项目', ' 个', 1)}"
    if key_chain is not None and projects:
        summary = f"{'' if key_chain else '不'}在“5+3”重点产业链上的项目{summary[1:].replace(' 个项目', ' 个', 1)}"
    if with_problems and projects:
        summary = (f"问题台账上还有未办结问题的项目{summary[1:].replace(' 个项目', ' 个', 1)}" if summary.startswith("共")
                   else f"问题台账上还有未办结问题的、{summary}")
    if no_funds:
        summary = (f"已签约、到位资金为零的项目{summary[1:].replace(' 个项目', ' 个', 1)}" if projects
                   else "没有已签约而到位资金为零的项目")
    if picks:
        picked = "、".join(_picked(k, v) for k, v in picks.items())
        signed = f"{p.label}签约的" if p is not None else ""
        # none of a pool that has projects (今年签的项目里有续建的没): that is the answer, not missing data
        summary = ((f"{signed} {among} 个项目中没有{picked}的项目" if among else f"项目库中没有{signed}{picked}的项目（无数据）")
                   if not projects else
                   f"{picked}的项目{summary[1:].replace(' 个项目', ' 个', 1)}" if summary.startswith("共") else
                   f"{picked}、{summary}")
        if projects and among > len(projects):
            summary = f"{among} 个项目中，{summary}"
    if ledger_on is not None:
        summary = (f"台账历史从{cn_date(first_ledger)}开始，没有{cn_date(ledger_on)}及以前的台账（无数据）"
                   if first_ledger and first_ledger > ledger_on else f"按{cn_date(ledger_on)}那一期台账，{summary}")
    headline = summary
    if items:
        summary += "：" + "；".join(
            f"{i.name}（{i.region}，{i.stage}，{format_value(i.total_investment_yi_yuan, '亿元')}"
            + "".join(f"，{label}：{value}" for label, value in i.columns.items()) + "）" for i in items[:20])
    if len(items) > 20 or len(shown) < len(projects):
        summary += f"（列出前 {min(len(items), 20)} 个）"
    figures = [Figure(label="按列筛选前的项目数", value=among, unit="个", period=p.key if p else None, provenance=pool_prov)
               for _ in range(1 if among > len(projects) and pool_prov else 0)]
    figures += [Figure(label="符合条件的项目数", value=len(projects), unit="个", period=p.key if p else None, provenance=prov),
               Figure(label="符合条件的项目总投资", value=as_float(total), unit="亿元", period=p.key if p else None,
                      provenance=prov)] if projects else []
    totals = ""
    if order in SPAN_ORDERS and (spans := [d for x in projects if (d := span_days(x, order)) is not None]):
        # 签约到开工平均用了多少天: the mean of the days between the two steps, over the projects with both dates
        first, then = (c.removesuffix("日期") for c in SPAN_ORDER_COLUMNS[order])
        average = round(sum(spans) / len(spans), 2)
        totals = (f"两个日期都有的 {len(spans)} 个项目从{first}到{then}平均用了 {format_value(average, '天')}"
                  f"（最长 {max(spans)} 天，最短 {min(spans)} 天）")
        # (over every project with both dates, not only the rows listed: the shortest may lie past the list's end)
        figures += [Figure(label=f"从{first}到{then}的{what}（{len(spans)} 个项目）", value=value, unit="天",
                           period=p.key if p else None,
                           provenance=prov.model_copy(update={"formula": f"平均天数 = Σ（{then}日期 − {first}日期）÷ 项目数"}))
                    for what, value in (("平均天数", average), ("最长天数", max(spans)), ("最短天数", min(spans)))]
    if sums:
        # an amount column asked of the list is added up over every listed project, with how many filled it
        said, summed = sums_said(sums, "符合条件的项目", p.key if p else None, prov)
        totals = f"{totals}；{said}" if totals else said
        figures += summed
    if mean and projects and order not in SPAN_ORDERS:
        # 平均每个到位了多少: each amount asked (总投资 when none is) over the projects that filled it
        filled: list[Decimal | None] = [x.total for x in projects if x.total is not None]
        averaged = [(label, value, unit, n) for label, value, unit, n in sums if n] or (
            [("总投资", as_float(_sum(filled)) or 0.0, "亿元", len(filled))] if filled else [])
        said, figured = means_said(averaged, "符合条件的项目", p.key if p else None, prov)
        totals = f"{said}；{totals}" if totals else said
        figures += figured
    shares = [(label, value, all_value, unit, round(value / all_value * 100, 2))
              for (label, value, unit, _), (_, all_value, _, _) in zip(sums, whole, strict=True) if all_value] if whole else []
    if shares:
        totals += "；" + "；".join(f"占全部项目{label}合计 {format_value(all_value, unit)} 的 {format_value(share, '%')}"
                                  for label, _, all_value, unit, share in shares)
        figures += [Figure(label=f"全部项目{label}合计", value=all_value, unit=unit, period=None, provenance=whole_prov)
                    for label, _, all_value, unit, _ in shares]
        # (符合条件的项目的合计 ÷ 全部项目的合计 × 100%, both said in the sentence)
        figures += [Figure(label=f"符合条件的项目{label}占全部项目的比重", value=share, unit="%", period=None,
                           provenance=whole_prov) for label, _, _, _, share in shares]
    return ProjectList(items=items, total_count=len(projects), truncated=len(shown) < len(projects), provenance=prov,
                       summary=summary + (f"。{totals}" if totals else "") + "。", figures=figures, headline=headline,
                       totals=totals)


def _on_ledger(stmt: _S, ledger_on: date | None) -> _S:
    """`stmt` (over Project) joined to each project's version in force on `ledger_on`; unchanged without a date."""
    if ledger_on is None:
        return stmt
    return stmt.join(ProjectVersion, and_(ProjectVersion.project_id == Project.id, ProjectVersion.in_force(ledger_on)))


def _column_of(attr: str, ledger_on: date | None) -> tuple[InstrumentedAttribute[Any], ColumnElement[bool] | None]:
    """The column holding a ledger attribute — the version in force on `ledger_on` where versions keep it — and the
    condition picking that version."""
    if ledger_on is None or not hasattr(ProjectVersion, attr):
        return getattr(Project, attr), None
    return getattr(ProjectVersion, attr), ProjectVersion.in_force(ledger_on)


def column_sums(session: Session, ids: list[int] | None, labels: list[str],
                ledger_on: date | None = None) -> list[tuple[str, float, str, int]]:
    """(label, total, unit, projects with a value) of each amount column among `labels`, over the projects `ids`
    (every project when None; as the ledger of `ledger_on` recorded them, when given)."""
    out = []
    for label in labels:
        attr = _ATTR_OF.get(label)
        if attr not in _SUMMED:
            continue
        column, on_day = _column_of(attr, ledger_on)
        stmt = select(column) if on_day is None else select(column).where(on_day)
        if ids is not None:
            stmt = stmt.where((Project.id if on_day is None else ProjectVersion.project_id).in_(ids))
        values = [v for v in session.scalars(stmt) if v is not None]
        out.append((label, round(float(sum(values)), 4), _SUMMED[attr], len(values)))
    return out


def sums_said(sums: list[tuple[str, float, str, int]], of: str, period: str | None,
              prov: Provenance) -> tuple[str, list[Figure]]:
    """column_sums in words (到位资金合计 0.70亿元（3 个项目填报）) and as figures labelled `of`…合计."""
    text = "；".join(f"{label}合计 {format_value(value, unit)}（{filled} 个项目填报）" for label, value, unit, filled in sums)
    figures = [Figure(label=f"{of}{label}合计", value=value, unit=unit, period=period, provenance=prov)
               for label, value, unit, _ in sums]
    return text, figures


def means_said(sums: list[tuple[str, float, str, int]], of: str, period: str | None,
               prov: Provenance) -> tuple[str, list[Figure]]:
    """The mean of each (label, total, unit, projects filled) in words (平均每个项目到位资金 1.72亿元（46.50亿元 ÷ 27 个）)
    and as figures whose formula says the division."""
    means = [(label, round(value / n, 2), unit, value, n) for label, value, unit, n in sums if n]
    text = "；".join(f"平均每个项目{label} {format_value(m, unit)}（{format_value(value, unit)} ÷ {n} 个项目）"
                    for label, m, unit, value, n in means)
    figures = [Figure(label=f"{of}平均每个项目{label}", value=m, unit=unit, period=period,
                      provenance=prov.model_copy(update={"formula": f"平均{label} = {label}合计 ÷ 填报的项目数（{n} 个）"}))
               for label, m, unit, _, n in means]
    return text, figures


def _picked(label: str, value: str) -> str:
    """A filter in words: 项目管家为张某; a yes/no column by its name (制造业, 非制造业)."""
    if label in FLAG_COLUMNS:
        return label if value == "是" else f"非{label}"
    return f"{label}未填" if value == UNFILLED else f"{label}为{value}"


def ledger_column_texts(session: Session, ids: list[int], labels: list[str],
                    ledger_on: date | None = None) -> dict[int, dict[str, str]]:
    """The asked ledger columns of the listed projects, as text (未填 for an empty cell); 最新进展 with its date. With
    `ledger_on`, the columns the ledger's history keeps are as that day's ledger recorded them."""
    if not labels or not ids:
        return {}
    attrs = [_ATTR_OF[label] for label in labels]
    if "progress" in attrs and "progress_on" not in attrs:
        labels, attrs = [*labels, "进展日期"], [*attrs, "progress_on"]
    columns = [_column_of(a, ledger_on)[0] for a in attrs]
    rows = session.execute(_on_ledger(select(Project.id, *columns).where(Project.id.in_(ids)), ledger_on))
    units = [_SUMMED.get(attr, "亿元") for attr in attrs]  # 外资金额 is in 万美元, the other amounts in 亿元
    return {row[0]: {label: _column_text(value, unit) for label, value, unit in zip(labels, row[1:], units, strict=True)}
            for row in rows}


def _same_unit(asked: str, unit: str | None) -> bool:
    """A 首谈单位 as asked (驻深圳招商联络处, 深圳联络处, 深圳) matches the ledger's spelling of it."""
    if not unit:
        return False
    core = re.sub(r"^驻|招商|联络处$|联络处|办事处$", "", asked)
    return asked in unit or (len(core) >= 2 and core in unit)


# A stage a project can stay in, the step that ends it, and how each is said (签约 → 开工: 签约超过90天仍未开工).
StuckStage = Literal["线索", "在谈", "签约", "开工"]
NEXT_STEP: dict[str, str] = {"线索": "在谈", "在谈": "签约", "签约": "开工", "开工": "投产"}
STEP_VERBS = {"线索": "进入线索", "在谈": "进入洽谈", "签约": "签约", "开工": "开工", "投产": "投产"}
STEP_FIELDS = {"签约": "signed_on", "开工": "started_on", "投产": "operating_on"}  # the listed item's dates


class StalledProject(ProjectItem):
    days_since_signed: int
    entered_on: date | None = None  # the day the project reached the stage it stays in
    days_in_stage: int = 0


class StalledProjects(BaseModel):
    days: int
    as_of: date
    stage: StuckStage = "签约"
    items: list[StalledProject]
    total_count: int
    figures: list[Figure] = []
    provenance: Provenance
    summary: str


@figure_tool(
    "停在某一阶段超过一定天数的项目（签约未开工、在谈未签约、线索未转在谈、开工未投产）",
    examples=[
        "签约超过3个月还没开工的项目有哪些？", "签约半年了还没动工的项目", "签了约迟迟不开工的项目",
        "签约后90天未开工的项目名单", "哪些项目签约很久了还没开工", "汉阴县签约未开工超过两个月的项目",
        "截至6月底签了约还没开工的项目", "到3月31日为止签约了但没动工的有几个",
        "在谈超过两个月还没签约的项目", "线索进来一个多月了还没转入洽谈的", "开工一年了还没投产的项目",
        "签约不到一个月、还没开工的项目",
    ],
    slots={"as_of": "until", "stage": "stuck_in", "within": "days_within", "columns": "shown_columns"},
    path="stalled-projects",
)
def stalled_projects(store: FigureStore, days: int | None = None, region: str | None = None,
                     as_of: date | None = None, limit: int = 50, stage: StuckStage = "签约",
                     within: bool = False, columns: list[str] | None = None,
                     ledger_on: date | None = None) -> StalledProjects:
    """停在某一阶段超过 days 天、还没走到下一步的项目（默认：签约后超过 days 天仍未开工），按进入该阶段的日期排列；
    给出 as_of 时按那一天的情况：那天以前进入该阶段、那天还没有走到下一步（下一步日期为空或晚于那天）的项目，
    包括后来已经走到下一步的。

    days：进入该阶段后的天数，如 3 个月填 90（默认：不给 as_of 时 90，给 as_of 时 0，即那天停在该阶段的全部）；
    region：可选，地区名或简称；as_of：可选，截至日期（默认台账日期，即最新一期项目台账的填报日期），如“2023-06-30”；
    limit：最多列出条数（默认 50），total_count 为全部个数；
    stage：停留的阶段：“签约”（未开工，默认）、“在谈”（未签约）、“线索”（未转在谈）、“开工”（未投产）；
    within：True 时 days 是上限：进入该阶段还不满 days 天、还没走到下一步的项目（签约不到两个月、还没开工的）；
    columns：要逐个项目写出的台账列（同 list_projects 的 columns），如 ["到位资金", "项目管家"]，金额列另给合计；
    ledger_on：可选，某一期项目台账的日期（按7月14日那期台账算）：与 as_of 相同，按各阶段日期截至那一天计算。
    """
    as_of = as_of or ledger_on  # (an issue's day: the stages' dates read up to it, as of any other day)
    days = (0 if as_of else 90) if days is None else days
    asked = list(dict.fromkeys(column_label(c) for c in columns or []))
    if days < 0:
        raise InvalidValue(f"天数“{days}”无效，应为不小于 0 的整数。")
    if stage not in NEXT_STEP:
        raise InvalidValue(f"阶段“{stage}”无效，应为 {'、'.join(NEXT_STEP)} 之一。")
    entered, step = DATE_COLUMNS[stage], NEXT_STEP[stage]
    reached = DATE_COLUMNS[step]
    with store.session() as session:
        # the ledger's own date, as the other lifecycle windows count: the wall clock would call every project
        # of an old ledger stalled
        cutoff_day = as_of or ledger_date(session)
        region = scoped_region(store, session, region)
        entered_by = (entered.between(cutoff_day - timedelta(days=days), cutoff_day) if within
                      else entered <= cutoff_day - timedelta(days=days) if as_of and not days
                      else entered < cutoff_day - timedelta(days=days))
        # on a past day the stage is not the ledger's current one: not moved on then is no next date up to it
        not_moved = ((reached.is_(None) | (reached > cutoff_day)),) if as_of else (
            Project.stage == stage, reached.is_(None))
        window = (*not_moved, entered.is_not(None), entered_by)
        total, invested = session.execute(select(func.count(), func.sum(Project.total_investment_yi_yuan))
                                          .where(*region_filter(session, region), *window)).one()
        total = total or 0
        stalled = _select(session, region, None, None, *window, first=limit)
        entered_on: dict[int, date] = {
            pid: day for pid, day in session.execute(select(Project.id, entered).where(
                Project.id.in_([x.id for x in stalled])))}
        stalled.sort(key=lambda x: (entered_on.get(x.id) or date.max, x.name))
        ledger = ledger_column_texts(session, [x.id for x in stalled], asked)
        sums = column_sums(session, [x.id for x in stalled], asked) if total <= limit else []
        dated = COLUMN_NAMES[stage]
        prov = found_or_examined(session, "projects", [(x.id, x.import_id) for x in stalled], Project.id,
                                 Project.import_id, region_filter(session, region), None,
                          (f"{dated}不晚于 {cn_date(cutoff_day)}、到那天还没有{COLUMN_NAMES[step]}（或{COLUMN_NAMES[step]}晚于那天）"
                           + (f"、{dated}距那天{'不超过' if within else '超过'} {days} 天" if days else "") + "的项目")
                          if as_of else f"阶段为“{stage}”、没有{COLUMN_NAMES[step]}、{dated}距 {cn_date(cutoff_day)}（台账日期）"
                                        f"{'不超过' if within else '超过'} {days} 天的项目")
    items = [
        StalledProject(id=x.id, name=x.name, region=x.region, chain=x.chain, enterprise=x.enterprise,
                       total_investment_yi_yuan=as_float(x.total), stage=x.stage, signed_on=x.signed_on,
                       started_on=x.started_on, operating_on=x.operating_on, funds_arrived_yi_yuan=as_float(x.funds),
                       is_foreign=x.is_foreign, foreign_amount_wan_usd=as_float(x.foreign_wan_usd),
                       days_since_signed=(cutoff_day - x.signed_on).days if x.signed_on else 0,
                       entered_on=entered_on.get(x.id),
                       days_in_stage=(cutoff_day - entered_on[x.id]).days if entered_on.get(x.id) else 0,
                       columns=ledger.get(x.id, {}))
        for x in stalled
    ]
    verb = STEP_VERBS[stage]
    listing = "；".join(f"{x.name}（{x.region}，{cn_date(x.entered_on) if x.entered_on else ''}{verb}，"
                       f"已 {x.days_in_stage} 天" + "".join(f"，{label}：{value}" for label, value in x.columns.items())
                       + "）" for x in items[:20])
    more = f"（列出{verb}最早的 {len(items[:20])} 个）" if total > len(items[:20]) else ""
    # the region asked is said: 镇坪县有没有… answered "没有…" without it reads as the whole city's
    what = (f"{region or ''}{verb}{'不满' if within else '超过'} {days} 天{'、尚' if within else '仍'}未{STEP_VERBS[step]}的项目"
            if days
            else f"{region or ''}已{verb}、尚未{STEP_VERBS[step]}的项目")
    moved = [f"{x.name}后于{cn_date(d)}{STEP_VERBS[step]}" for x in items
             if (d := getattr(x, STEP_FIELDS.get(step, ""), None)) is not None]
    later = f"（其中{'；'.join(moved)}）" if moved else ""
    # what they stand for together, as a list of projects says (共 3 个，总投资 12.00亿元)
    invested = float(round2(to_decimal(invested))) if invested is not None else None  # (SQLite adds floats)
    invested_said = f"，总投资 {format_value(invested, '亿元')}" if invested is not None else ""
    summary = (f"截至{cn_date(cutoff_day)}，{what}共 {total} 个{invested_said}{more}：{listing}。{later}" if items
               else f"截至{cn_date(cutoff_day)}，没有{what}。")
    figures = [Figure(label=f"截至{cn_date(cutoff_day)}{what}个数", value=total, unit="个", period=None, provenance=prov)]
    if items and invested is not None:
        figures.append(Figure(label=f"截至{cn_date(cutoff_day)}{what}总投资合计", value=invested, unit="亿元",
                              period=None, provenance=prov))
    if items and sums:
        # an amount column asked of the list is added up over the listed projects, with how many filled it
        said, summed = sums_said(sums, what, None, prov)
        summary += said + "。"
        figures += summed
    return StalledProjects(days=days, as_of=cutoff_day, stage=stage, items=items, total_count=total, figures=figures,
                           provenance=prov, summary=summary)
