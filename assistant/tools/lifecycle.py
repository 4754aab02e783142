"""项目台账 (两单一台账) tools: derived status, lifecycle windows, this week's signings, 周动态 between two ledger
dates, and per-county rates with ranking.

Every window is measured from the ledger date: the 填报日期 of the newest project ledger imported (台账日期), not
the server's clock, so that "本周" is the week the bureau last reported and the answer says which dates it means.
A database whose files state no date falls back to today.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, model_validator
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    CompoundSelect,
    Date,
    Float,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from assistant.db.errors import InvalidValue
from assistant.db.models import ImportLog, IndustryChain, Project, ProjectIssueSum, ProjectVersion, Region
from assistant.db.periods import parse_period
from assistant.db.rate_sums import KEY_TERM, NEW_BUILD, STORED, ledger_dates, on_key_chain, rate_aggregates
from assistant.db.reference import PROJECT_STAGES, SIGNED_STAGES
from assistant.db.session import FigureStore
from assistant.db.units import round2
from assistant.tools.common import (
    all_ids,
    check_region,
    found_or_examined,
    guard_aggregate,
    provenance,
    provenance_of,
    resolve_region,
    scoped_region,
)
from assistant.tools.indicator_rows import competition_rank
from assistant.tools.registry import figure_tool
from assistant.tools.types import Figure, Provenance, cn_date, format_value

# The status rule, written once: tools put it into provenance and the README quotes it.
WARN_BEFORE_DAYS = 30  # 约定开工期限 this close and not started: 预警
STALE_WARN_DAYS = 30  # no 进展 for this long: 预警
STALE_LAG_DAYS = 60  # no 进展 for this long: 滞后
SIGNED_WARN_DAYS = 90  # signed this long ago, not started, no agreed deadline: 预警
STATUS_RULE = (
    f"滞后：已过约定开工期限仍未开工，或最新进展距台账日期超过 {STALE_LAG_DAYS} 天；"
    f"预警：约定开工期限在 {WARN_BEFORE_DAYS} 天内仍未开工，或签约超过 {SIGNED_WARN_DAYS} 天未开工且没有约定开工期限，"
    f"或最新进展距台账日期超过 {STALE_WARN_DAYS} 天；其余为正常；已投产的项目为正常"
)
STATUSES = ("正常", "预警", "滞后")


def reported_on(session: Session) -> date | None:
    """The newest 填报日期 among imported project ledgers; None when none states one."""
    return session.scalar(select(func.max(ImportLog.as_of)).where(ImportLog.kind == "projects"))


def ledger_date(session: Session) -> date:
    """台账日期: the newest 填报日期 among imported project ledgers; today when none states one."""
    return reported_on(session) or date.today()


@dataclass(frozen=True)
class LedgerRow:
    id: int
    import_id: int
    name: str
    region: str
    region_order: int
    chain: str | None
    key_chain: bool
    stage: str
    total: float | None
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds: float | None
    funds_year: float | None
    deadline: date | None
    progress: str | None
    progress_on: date | None
    responsible_unit: str | None
    lead_leader: str | None
    manager: str | None
    source_unit: str | None
    lead_grade: str | None
    build_type: str | None
    is_manufacturing: bool | None
    enterprise: str | None = None  # the investing company, as the ledger names it

    @property
    def manufacturing(self) -> str | None:
        """制造业 or 非制造业 (None: not filled): what 制造业跟非制造业分别 groups by."""
        return None if self.is_manufacturing is None else "制造业" if self.is_manufacturing else "非制造业"

    @property
    def signed_month(self) -> str | None:
        """The month it was signed in (2023年2月): what 哪个月签的项目最多 groups by."""
        return month_label(self.signed_on)


def month_label(day: date | None) -> str | None:
    """2023年2月 of a day: a month as the ledger's totals by month name it."""
    return f"{day.year}年{day.month}月" if day else None


def region_filter(session: Session, region: str | None) -> list[ColumnElement[bool]]:
    if region:
        reg = resolve_region(session, region)
        if not reg.is_city:
            return [Project.region_id == reg.id]
    return []


def load_ledger(session: Session, region: str | None, *where: ColumnElement[bool],
                order: tuple[Any, ...] = (), limit: int | None = None) -> list[LedgerRow]:
    """The current project ledger rows (optionally one region, further conditions), by region then name. Filters
    run in the database: a window over a 10,000-project ledger fetches only the rows in the window."""
    stmt = (select(Project.id, Project.import_id, Project.name, Region.name, Region.sort_order, IndustryChain.name,
                   IndustryChain.is_key, Project.stage, Project.total_investment_yi_yuan, Project.signed_on,
                   Project.started_on, Project.operating_on, Project.funds_arrived_yi_yuan,
                   Project.funds_this_year_yi_yuan, Project.start_deadline, Project.progress, Project.progress_on,
                   Project.responsible_unit, Project.lead_leader, Project.manager, Project.source_unit,
                   Project.lead_grade, Project.build_type, Project.is_manufacturing, Project.enterprise_name)
            .join(Region, Project.region_id == Region.id)
            .outerjoin(IndustryChain, Project.chain_id == IndustryChain.id)
            .where(*region_filter(session, region), *where))
    if order:
        stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [LedgerRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), *r[7:])  # type: ignore[call-arg]
            for r in session.execute(stmt)]
    return sorted(rows, key=lambda p: (p.region_order, p.name))


def status_of(p: LedgerRow, day: date) -> tuple[str, str]:
    """(正常 / 预警 / 滞后, the reason in words) for a project as of `day`."""
    if p.stage == "投产":
        return "正常", "已投产"
    signed = PROJECT_STAGES.index(p.stage) >= PROJECT_STAGES.index("签约")
    not_started = signed and p.started_on is None
    stale = (day - p.progress_on).days if p.progress_on else None
    if not_started and p.deadline and p.deadline < day:
        return "滞后", f"已过约定开工期限（{cn_date(p.deadline)}）{(day - p.deadline).days} 天仍未开工"
    if stale is not None and stale > STALE_LAG_DAYS:
        return "滞后", f"最新进展停留在{cn_date(p.progress_on)}（{stale} 天未更新）"  # type: ignore[arg-type]
    if not_started and p.deadline and (p.deadline - day).days <= WARN_BEFORE_DAYS:
        return "预警", f"约定开工期限 {cn_date(p.deadline)}，还有 {(p.deadline - day).days} 天，尚未开工"
    if not_started and p.deadline is None and p.signed_on and (day - p.signed_on).days > SIGNED_WARN_DAYS:
        return "预警", f"签约 {(day - p.signed_on).days} 天未开工，且没有约定开工期限"
    if stale is not None and stale > STALE_WARN_DAYS:
        return "预警", f"最新进展停留在{cn_date(p.progress_on)}（{stale} 天未更新）"  # type: ignore[arg-type]
    return "正常", "按期推进"


def status_case(day: date) -> ColumnElement[int]:
    """status_of as one SQL expression (0 正常, 1 预警, 2 滞后), so counts over a large ledger are one query;
    the listed rows' reasons still come from status_of, and the tests hold the two to the same counts."""
    waiting = Project.stage == "签约"
    live = Project.stage != "投产"
    lagging = and_(live, or_(and_(waiting, Project.start_deadline < day),
                             Project.progress_on < day - timedelta(days=STALE_LAG_DAYS)))
    warning = and_(live, or_(and_(waiting, Project.start_deadline <= day + timedelta(days=WARN_BEFORE_DAYS)),
                             and_(waiting, Project.start_deadline.is_(None),
                                  Project.signed_on < day - timedelta(days=SIGNED_WARN_DAYS)),
                             Project.progress_on < day - timedelta(days=STALE_WARN_DAYS)))
    return case((lagging, 2), (warning, 1), else_=0)


class LedgerItem(BaseModel):
    id: int
    name: str
    region: str
    chain: str | None
    stage: str
    total_investment_yi_yuan: float | None
    signed_on: date | None
    started_on: date | None
    start_deadline: date | None
    funds_arrived_yi_yuan: float | None
    progress: str | None
    progress_on: date | None
    responsible_unit: str | None
    lead_leader: str | None
    manager: str | None
    status: str
    reason: str


def _item(p: LedgerRow, day: date) -> LedgerItem:
    status, reason = status_of(p, day)
    return LedgerItem(id=p.id, name=p.name, region=p.region, chain=p.chain, stage=p.stage,
                      total_investment_yi_yuan=p.total, signed_on=p.signed_on, started_on=p.started_on,
                      start_deadline=p.deadline, funds_arrived_yi_yuan=p.funds, progress=p.progress,
                      progress_on=p.progress_on, responsible_unit=p.responsible_unit, lead_leader=p.lead_leader,
                      manager=p.manager, status=status, reason=reason)


class LedgerList(BaseModel):
    as_of: date
    items: list[LedgerItem]
    total_count: int
    counts: dict[str, int]
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _line(i: LedgerItem) -> str:
    who = "，".join(x for x in (i.responsible_unit, i.manager and f"管家{i.manager}") if x)
    return f"{i.name}（{i.region}，{i.stage}{'，' + who if who else ''}）：{i.reason}"


@figure_tool(
    "项目台账状态：正常、预警、滞后的项目及原因",
    examples=[
        "哪些项目滞后了", "预警项目有哪些", "项目台账里进度滞后的项目", "重点项目推进状态怎么样",
        "有没有亮红灯的项目", "高新区有哪些项目预警", "滞后项目的原因是什么", "项目推进情况正常的有几个",
    ],
    path="ledger-status",
)
def ledger_status(store: FigureStore, region: str | None = None,
                  show: Literal["预警和滞后", "滞后", "预警", "正常", "全部"] = "预警和滞后",
                  limit: int = 50) -> LedgerList:
    """项目台账的推进状态（正常 / 预警 / 滞后，按台账日期判定）及原因、责任单位、项目管家。

    region：可选，地区名或简称；show：列出哪些，“预警和滞后”（默认）、“滞后”、“预警”、“正常”或“全部”；limit：最多列出条数。
    """
    with store.session() as session:
        day = ledger_date(session)
        region = scoped_region(store, session, region)
        status = status_case(day)
        counted = {code: n for code, n in session.execute(
            select(status, func.count()).select_from(Project).where(*region_filter(session, region)).group_by(status))}
        counts = {name: int(counted.get(code, 0)) for code, name in enumerate(STATUSES)}
        wanted = {"预警和滞后": ("预警", "滞后"), "全部": STATUSES}.get(show, (show,))
        codes = [STATUSES.index(w) for w in wanted]
        # the database picks the first `limit` (worst status, region order, id); names order them for reading
        listed = load_ledger(session, region, status.in_(codes), order=(status.desc(), Region.sort_order, Project.id),
                             limit=max(limit, 0))
        listed.sort(key=lambda p: (-STATUSES.index(status_of(p, day)[0]), p.region_order, p.name))
        shown = [_item(p, day) for p in listed]
        prov = provenance(session, "projects", [(p.id, p.import_id) for p in listed], None, STATUS_RULE)
    scope = region or "全市"
    figures = [Figure(label=f"{scope}{s}项目数（{cn_date(day)}台账）", value=counts[s], unit="个", period=None,
                      provenance=prov) for s in STATUSES]
    head = (f"截至{cn_date(day)}台账，{scope}项目 {sum(counts.values())} 个：正常 {counts['正常']} 个、预警 {counts['预警']} 个、"
            f"滞后 {counts['滞后']} 个。")
    body = "；".join(f"【{i.status}】{_line(i)}" for i in shown[:20])
    summary = head + (f"{show}项目：{body}。" if shown else f"没有{show}的项目。") + f"（判定规则：{STATUS_RULE}。）"
    return LedgerList(as_of=day, items=shown, total_count=sum(counts[w] for w in wanted), counts=counts, figures=figures,
                      provenance=prov, summary=summary)


class WindowList(BaseModel):
    as_of: date
    window: str
    items: list[LedgerItem]
    total_count: int
    provenance: Provenance
    summary: str
    figures: list[Figure] = []  # the count said in the summary, with its source (a zero names the rows looked at)

    @model_validator(mode="after")
    def _count_figure(self) -> WindowList:
        if not self.figures:
            self.figures = [Figure(label=f"项目数（截至{cn_date(self.as_of)}台账）", value=self.total_count, unit="个",
                                   period=None, provenance=self.provenance)]
        return self


@figure_tool(
    "超过一定天数没有更新进展的项目",
    examples=[
        "超过30天没有进展的项目", "哪些项目一个多月没动静了", "很久没更新进展的项目有哪些",
        "两个月以上没有新进展的项目", "项目进展长期未更新的清单", "恒口有哪些项目很久没进展",
        "哪个项目最久没报进展了，多少天了",
    ],
    path="no-progress",
)
def no_progress_projects(store: FigureStore, days: int = 30, region: str | None = None, limit: int = 50
                         ) -> WindowList:
    """最新进展距台账日期超过 days 天（或从未填报进展）的在推项目（未投产），按进展日期从早到晚。

    days：天数，默认 30；region：可选，地区名或简称；limit：最多列出条数（默认 50）。
    """
    if days < 0:
        raise InvalidValue(f"天数“{days}”无效，应为不小于 0 的整数。")
    with store.session() as session:
        day = ledger_date(session)
        cutoff = day - timedelta(days=days)
        region = scoped_region(store, session, region)
        stale = (Project.stage != "投产", or_(Project.progress_on.is_(None), Project.progress_on < cutoff))
        total = session.scalar(select(func.count()).select_from(Project).where(*region_filter(session, region),
                                                                               *stale)) or 0
        # never-reported first, then the oldest progress (NULLs placed explicitly: backends order them differently)
        hits = sorted(load_ledger(session, region, *stale, limit=max(limit, 0),
                                  order=(Project.progress_on.is_(None).desc(), Project.progress_on, Project.id)),
                      key=lambda p: (p.progress_on or date.min, p.name))
        rule = f"未投产、最新进展日期早于 {cn_date(day - timedelta(days=days))}（台账日期前 {days} 天）或没有进展记录的项目"
        prov = found_or_examined(session, "projects", [(p.id, p.import_id) for p in hits], Project.id,
                                 Project.import_id, region_filter(session, region), None, rule)
    items = [_item(p, day) for p in hits]
    listing = "；".join(f"{i.name}（{i.region}，{i.stage}，"
                       + (f"最新进展“{i.progress}”在{cn_date(i.progress_on)}，已 {(day - i.progress_on).days} 天"
                          if i.progress_on else "没有进展记录") + "）" for i in items[:20])
    more = f"（列出前 {len(items[:20])} 个）" if total > 20 else ""
    summary = (f"截至{cn_date(day)}台账，超过 {days} 天没有更新进展的项目 {total} 个{more}：{listing}。" if hits
               else f"截至{cn_date(day)}台账，没有超过 {days} 天未更新进展的项目。")
    return WindowList(as_of=day, window=f"{days}天", items=items, total_count=total, provenance=prov,
                      summary=summary)


@figure_tool(
    "本周（近 7 天内）到期：约定开工期限将到、尚未开工的项目",
    examples=[
        "本周到期的项目有哪些", "这周要到约定开工期限的项目", "快到开工期限还没开工的项目",
        "下周之前必须开工的项目", "近期开工期限到期的项目清单", "哪些项目本周到了约定开工时间",
    ],
    path="due-this-week",
)
def due_this_week(store: FigureStore, days: int = 7, region: str | None = None, due_from: date | None = None,
                  due_to: date | None = None) -> WindowList:
    """约定开工期限在台账日期起 days 天内（默认 7 天，即本周）且尚未开工（动工）的项目，即开工期限将到的项目；
    也可给出期限所在的日期范围（如 8 月份）。已过期限的见 overdue_starts。

    days：窗口天数，默认 7；region：可选，地区名或简称；
    due_from、due_to：可选，约定开工期限的起止日期，如“2023-08-01”“2023-08-31”（给出时不看 days）。
    """
    if days < 1:
        raise InvalidValue(f"天数“{days}”无效，应为正整数。")
    if due_from and due_to and due_from > due_to:
        raise InvalidValue(f"日期范围有误：起始日期 {due_from} 晚于结束日期 {due_to}。")
    with store.session() as session:
        day = ledger_date(session)
        start = due_from or day
        end = due_to or start + timedelta(days=days - 1)
        region = scoped_region(store, session, region)
        hits = sorted(load_ledger(session, region, Project.started_on.is_(None),
                                  Project.start_deadline >= start, Project.start_deadline <= end),
                      key=lambda p: (p.deadline or date.max, p.name))
        # a past window asked by its dates (约定5月份开工的项目，有没有没按时开的): those of it that have started too,
        # on time or late; of a window still ahead, what is yet to start is what falls due
        started = sorted(load_ledger(session, region, Project.started_on.is_not(None),
                                     Project.start_deadline >= start, Project.start_deadline <= end),
                         key=lambda p: (p.deadline or date.max, p.name)) if due_from and end < day else []
        rule = f"约定开工期限在 {cn_date(start)}—{cn_date(end)} 之间、没有开工日期的项目"
        prov = found_or_examined(session, "projects", [(p.id, p.import_id) for p in hits], Project.id,
                                 Project.import_id, region_filter(session, region), None, rule)
    items = [_item(p, day) for p in hits]
    window = f"{cn_date(start)}—{cn_date(end)}"
    # (还剩几天: the days from the ledger's day to each deadline still ahead)
    listing = "；".join(f"{i.name}（{i.region}，约定 {cn_date(i.start_deadline)} 前开工"  # type: ignore[arg-type]
                       + (f"，距台账日期还剩 {(i.start_deadline - day).days} 天" if i.start_deadline and i.start_deadline >= day
                          else "")
                       + f"，责任单位 {i.responsible_unit or '未填'}）" for i in items)
    summary = (f"{window}到约定开工期限、尚未开工的项目 {len(items)} 个：{listing}。" if items
               else f"{window}没有到约定开工期限的未开工项目。")
    if started:
        on_time = [p for p in started if p.started_on and p.deadline and p.started_on <= p.deadline]
        late = [p for p in started if p not in on_time]
        summary = (f"约定开工期限在{window}的项目共 {len(started) + len(items)} 个：按期开工 {len(on_time)} 个"
                   + (f"（{'；'.join(f'{p.name}，{cn_date(p.started_on)}开工' for p in on_time)}）"  # type: ignore[arg-type]
                      if on_time else "")
                   + f"，逾期开工 {len(late)} 个"
                   + (f"（{'；'.join(f'{p.name}，约定{cn_date(p.deadline)}、{cn_date(p.started_on)}开工' for p in late)}）"  # type: ignore[arg-type]
                      if late else "")
                   + f"，尚未开工 {len(items)} 个。" + summary)
    return WindowList(as_of=day, window=window, items=items, total_count=len(items), provenance=prov, summary=summary)


@figure_tool(
    "已过约定开工期限仍未开工的项目（逾期未开工）",
    examples=[
        "约定开工时间已经过了还没开工的项目", "逾期未开工的项目有哪些", "开工期限超了还没动工的项目名单",
        "超过约定开工日期仍未开工的项目", "哪些签约项目没按约定时间开工", "高新区有没有过了开工期限还没开工的项目",
    ],
    requires=("overdue",),
    path="overdue-starts",
)
def overdue_starts(store: FigureStore, region: str | None = None) -> WindowList:
    """约定开工期限早于台账日期、至今没有开工日期的签约项目（逾期未开工），按期限从早到晚，并写明已逾期多少天；
    期限还没到的见 due_this_week。

    region：可选，地区名或简称。
    """
    with store.session() as session:
        day = ledger_date(session)
        region = scoped_region(store, session, region)
        hits = sorted(load_ledger(session, region, Project.stage == "签约",
                                  Project.started_on.is_(None), Project.start_deadline < day),
                      key=lambda p: (p.deadline or date.max, p.name))
        rule = f"阶段为“签约”、没有开工日期、约定开工期限早于台账日期 {cn_date(day)} 的项目"
        prov = found_or_examined(session, "projects", [(p.id, p.import_id) for p in hits], Project.id,
                                 Project.import_id, region_filter(session, region), None, rule)
    items = [_item(p, day) for p in hits]
    listing = "；".join(f"{i.name}（{i.region}，约定 {cn_date(i.start_deadline)} 前开工，已逾期 "  # type: ignore[arg-type]
                       f"{(day - i.start_deadline).days} 天，责任单位 {i.responsible_unit or '未填'}）"  # type: ignore[operator]
                       for i in items)
    summary = (f"截至{cn_date(day)}台账，已过约定开工期限仍未开工的项目 {len(items)} 个：{listing}。" if items
               else f"截至{cn_date(day)}台账，没有已过约定开工期限仍未开工的项目。")
    return WindowList(as_of=day, window=f"截至{cn_date(day)}", items=items, total_count=len(items), provenance=prov,
                      summary=summary)


def _week(session: Session, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The window asked for, or the 7 days ending on the ledger date (本周)."""
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(f"日期范围有误：起始日期 {date_from} 晚于结束日期 {date_to}。")
    end = date_to or (date_from + timedelta(days=6) if date_from else ledger_date(session))
    start = date_from or end - timedelta(days=6)
    return start, end


class SigningList(BaseModel):
    date_from: date
    date_to: date
    items: list[LedgerItem]
    count: int
    investment_yi_yuan: float | None
    latest_before: str | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


@figure_tool(
    "本周（或某段时间）新签约的项目",
    examples=[
        "这个星期有新签约的项目吗", "这周签了哪些项目", "最近一周新签约了几个项目", "本周签约项目总投资多少",
        "汉阴县本周有没有新签约项目", "这个星期新签的项目清单",
    ],
    slots={"date_from": "date_from", "date_to": "date_to"},
    path="new-signings",
)
def new_signings(store: FigureStore, date_from: date | None = None, date_to: date | None = None,
                 region: str | None = None) -> SigningList:
    """签约日期在某段时间内的项目；不填日期时为本周（台账日期及之前共 7 天）。

    date_from、date_to：可选，如“2023-07-01”到“2023-07-07”；region：可选，地区名或简称。
    """
    with store.session() as session:
        start, end = _week(session, date_from, date_to)
        day = ledger_date(session)
        region = scoped_region(store, session, region)
        hits = sorted(load_ledger(session, region, Project.signed_on >= start, Project.signed_on <= end),
                      key=lambda p: (p.signed_on or date.max, p.name))
        last_day = session.scalar(select(func.max(Project.signed_on)).where(*region_filter(session, region),
                                                                             Project.signed_on < start))
        earlier = load_ledger(session, region, Project.signed_on == last_day) if last_day else []
        before = earlier[0] if earlier else None
        rule = f"签约日期在 {cn_date(start)}—{cn_date(end)} 之间的项目"
        prov = found_or_examined(session, "projects", [(p.id, p.import_id) for p in hits], Project.id,
                                 Project.import_id, region_filter(session, region), None, rule)
    items = [_item(p, day) for p in hits]
    money = [p.total for p in hits if p.total is not None]
    total = float(round2(sum((Decimal(str(m)) for m in money), Decimal(0)))) if money else None
    window = f"{cn_date(start)}—{cn_date(end)}"
    latest = f"{before.name}（{before.region}，{cn_date(before.signed_on)}签约）" if before and before.signed_on else None
    figures = [Figure(label=f"{window}新签约项目数", value=len(items), unit="个", period=None, provenance=prov),
               Figure(label=f"{window}新签约项目总投资", value=total, unit="亿元", period=None, provenance=prov)]
    if items:
        listing = "；".join(f"{i.name}（{i.region}，{cn_date(i.signed_on)}签约，"  # type: ignore[arg-type]
                           f"总投资 {format_value(i.total_investment_yi_yuan, '亿元')}）" for i in items)
        summary = f"{window}新签约项目 {len(items)} 个，总投资 {format_value(total, '亿元')}：{listing}。"
    else:
        summary = f"{window}没有新签约项目（无数据）。" + (f"此前最近一次签约：{latest}。" if latest else "")
    return SigningList(date_from=start, date_to=end, items=items, count=len(items), investment_yi_yuan=total,
                       latest_before=latest, figures=figures, provenance=prov, summary=summary)


# ---- 周动态: the ledger at two dates ---------------------------------------------------------


def signed_between(days: tuple[date, date]) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The conditions picking the projects signed within `days` (first and last day included)."""
    return Project.signed_on >= days[0], Project.signed_on <= days[1]


def issue_on(issues: list[date], day: date, what: str) -> date:
    """The ledger issue in force on `day` (the last one dated on or before it); InvalidValue when the history starts
    later, naming what could not be worked out (`what`)."""
    held = [d for d in issues if d <= day]
    if not held:
        raise InvalidValue(f"项目台账历史从{cn_date(issues[0])}开始，没有{cn_date(day)}及以前的台账（无数据），"
                           f"无法算出那时的{what}。")
    return held[-1]


def issue_dates(session: Session) -> dict[str, list[date]]:
    """Every dated ledger's issues: {"projects": [...], "problems": [...]}; a ledger without dated issues is absent."""
    kinds = session.scalars(select(ImportLog.kind).where(ImportLog.as_of.is_not(None)).distinct())
    return {kind: ledger_dates(session, kind) for kind in sorted(kinds)}


class Change(BaseModel):
    project: str
    region: str
    what: str
    funds_added_yi_yuan: float | None = None  # 资金到位 changes: the increase and the new cumulative amount
    funds_total_yi_yuan: float | None = None


CHANGE_CAP = 200


class WeeklyChanges(BaseModel):
    date_from: date
    date_to: date
    added: list[Change]
    advanced: list[Change]
    funds: list[Change]
    progressed: list[Change]
    stalled: list[Change]
    counts: dict[str, int]  # 新增, 阶段前进, 资金到位, 进展更新, 停滞 (the lists above stop at CHANGE_CAP each)
    funds_added_yi_yuan: float | None
    figures: list[Figure]
    provenance: Provenance
    summary: str


# What a project did between the two dates, as bits: a project can be new, or advance, gain funds and report
# progress at once; 停滞 is none of the four while not yet 投产.
_NEW, _ADVANCED, _FUNDED, _PROGRESSED, _STALLED = 1, 2, 4, 8, 16
_KINDS = (_NEW, _ADVANCED, _FUNDED, _PROGRESSED, _STALLED)
_CHANGED = _NEW | _ADVANCED | _FUNDED | _PROGRESSED


@dataclass(frozen=True)
class _Compared:
    version_id: int
    import_id: int
    old_version_id: int | None
    old_import_id: int | None
    name: str
    region: str
    stage: str
    old_stage: str | None
    funds: float | None
    old_funds: float | None
    progress_on: date | None
    progress: str | None
    flags: int  # the kinds of change (bits above)
    listed: int  # the kinds under which this row is among the first CHANGE_CAP (region order, then name)


def _paired_versions(seek: bool, *chosen: ColumnElement[bool]) -> Subquery:
    """The chosen versions (conditions on ProjectVersion) each beside the same project's version on the date bound
    as `start`, flagged with its kinds of change (k1 … k16, 0 or 1: the bits above) and the funds it added.

    Two ways to find the earlier version, the same rows either way. `seek` (SQLite, which joins row by row): a
    version that began after `start` looks up the project's last version beginning on or before it, one entry
    of the (project_id, valid_from) index however long the history, where the range on (project_id, valid_to)
    walks every later version; a version already in force on `start` is its own earlier version. Otherwise
    (PostgreSQL) the plain condition valid_from <= start < valid_to on project_id, which its planner serves
    with one hash of the earlier ledger (an expression as join key makes it hash the whole later history)."""
    start = bindparam("start", type_=Date)
    old_v = aliased(ProjectVersion)
    old_key: ColumnElement[int] | InstrumentedAttribute[int]
    if seek:
        earlier = aliased(ProjectVersion)
        on_start = (select(earlier.id).where(earlier.project_id == ProjectVersion.project_id,
                                             earlier.valid_from <= start)
                    .order_by(earlier.valid_from.desc()).limit(1).scalar_subquery())
        old_key = case((ProjectVersion.valid_from <= start, ProjectVersion.id), else_=on_start)
    else:
        old_key = ProjectVersion.project_id
    now_v = (select(ProjectVersion.id, ProjectVersion.import_id, ProjectVersion.project_id, ProjectVersion.region_id,
                    ProjectVersion.stage, ProjectVersion.funds_arrived_yi_yuan, ProjectVersion.progress_on,
                    ProjectVersion.progress, old_key.label("old_key"))
             .where(*chosen).subquery())
    earlier_one = (and_(old_v.id == now_v.c.old_key, old_v.valid_to > start) if seek else
                   and_(old_v.project_id == now_v.c.old_key, old_v.valid_to > start, old_v.valid_from <= start))
    rank = {stage: i for i, stage in enumerate(PROJECT_STAGES)}
    is_new = old_v.id.is_(None)
    funded = and_(~is_new, func.coalesce(now_v.c.funds_arrived_yi_yuan, 0)
                  > func.coalesce(old_v.funds_arrived_yi_yuan, 0) + 1e-9)
    flag = {bit: case((cond, 1), else_=0) for bit, cond in {
        _NEW: is_new,
        _ADVANCED: and_(~is_new, case(rank, value=now_v.c.stage) > case(rank, value=old_v.stage)),
        _FUNDED: funded,
        _PROGRESSED: and_(~is_new, now_v.c.progress_on.is_not(None),
                          or_(old_v.progress_on.is_(None), now_v.c.progress_on > old_v.progress_on)),
    }.items()}
    changed = flag[_NEW] + flag[_ADVANCED] + flag[_FUNDED] + flag[_PROGRESSED]
    flag[_STALLED] = case((and_(changed == 0, now_v.c.stage != "投产"), 1), else_=0)
    return (select(now_v.c.id, now_v.c.import_id, old_v.id.label("old_id"), old_v.import_id.label("old_import_id"),
                   Project.name, Region.name.label("region"), now_v.c.stage, old_v.stage.label("old_stage"),
                   now_v.c.funds_arrived_yi_yuan.label("funds"), old_v.funds_arrived_yi_yuan.label("old_funds"),
                   now_v.c.progress_on, now_v.c.progress, Region.sort_order,
                   *(f.label(f"k{bit}") for bit, f in flag.items()),
                   case((funded, now_v.c.funds_arrived_yi_yuan - func.coalesce(old_v.funds_arrived_yi_yuan, 0)),
                        else_=None).label("added"))
            .select_from(now_v).join(Project, Project.id == now_v.c.project_id)
            .join(Region, Region.id == now_v.c.region_id)
            .outerjoin(old_v, earlier_one)
            .subquery())


@cache
def _comparison(dialect: str) -> tuple[CompoundSelect, Select[Any]]:
    """The two statements of 周动态, built once per database kind (bound: start, end, region_id or None; ids for
    the second).

    The first compares the ledger in force on `end` with the one on `start` and returns the first CHANGE_CAP
    of each kind in region-then-name order (a bounded sort each, never the whole ledger) beside every kind's
    total and the funds added; the second reads the details of those listed versions only."""
    end, region_id = bindparam("end", type_=Date), bindparam("region_id", type_=Integer)
    seek = dialect == "sqlite"
    paired = _paired_versions(seek, ProjectVersion.in_force(end),
                              or_(region_id.is_(None), ProjectVersion.region_id == region_id))
    # only what choosing needs, read by the five lists and the totals: both backends materialise it once
    flagged = select(paired.c.id, paired.c.sort_order, paired.c.name, paired.c.added,
                     *(paired.c[f"k{bit}"] for bit in _KINDS)).cte("flagged")
    # names in code point order, as Python sorts them, whatever the PostgreSQL database's collation
    by_name = (lambda name: name.collate("C")) if dialect == "postgresql" else (lambda name: name)
    order = (flagged.c.sort_order, by_name(flagged.c.name), flagged.c.id)
    # one row per listed version (kind = its bit, amount unused), then one row of totals (kind 0, id empty,
    # amount = the funds added); a row's counts are the kinds' totals only on the totals row
    firsts = [select(literal(bit, Integer).label("kind"), first.c.id, cast(null(), Float).label("amount"))
              for bit, first in ((bit, select(flagged.c.id).where(flagged.c[f"k{bit}"] == 1).order_by(*order)
                                  .limit(CHANGE_CAP).subquery()) for bit in _KINDS)]
    totals = select(literal(0, Integer), cast(null(), Integer), func.sum(flagged.c.added),
                    *(func.sum(flagged.c[f"k{bit}"]) for bit in _KINDS))
    # the listed few; PostgreSQL takes their ids as one array, so that the statement's text (and the plan the
    # driver prepares for it) stays the same whatever their number
    ids = (ProjectVersion.id == any_(bindparam("ids", type_=ARRAY(Integer))) if dialect == "postgresql"
           else ProjectVersion.id.in_(bindparam("ids", expanding=True)))
    shown = _paired_versions(seek, ids)
    return (union_all(*(arm.add_columns(*(cast(null(), Integer) for _ in _KINDS)) for arm in firsts), totals),
            select(shown).order_by(shown.c.sort_order, by_name(shown.c.name), shown.c.id))


def _compare_ledgers(session: Session, start: date, end: date, region_id: int | None
                     ) -> tuple[list[_Compared], dict[int, int], Decimal]:
    """The ledger at `end` beside the ledger at `start`: the rows the lists show (the first CHANGE_CAP of each kind,
    region order then name), every kind's total and the funds added. The database compares, counts and chooses;
    nothing Python does grows with the ledger."""
    choose, detail = _comparison(session.get_bind().dialect.name)
    listed: dict[int, int] = {}  # version id → the kinds it is listed under
    counts = dict.fromkeys(_KINDS, 0)
    money = Decimal(0)
    for kind, version_id, amount, *totals in session.execute(choose, {"start": start, "end": end,
                                                                    "region_id": region_id}):
        if kind:
            listed[version_id] = listed.get(version_id, 0) | kind
        else:
            counts = {bit: int(n or 0) for bit, n in zip(_KINDS, totals, strict=True)}
            money = Decimal(str(amount)) if amount is not None else Decimal(0)
    rows: Iterable[RowMapping] = (
        session.execute(detail, {"start": start, "ids": list(listed)}).mappings() if listed else [])
    return [_Compared(r["id"], r["import_id"], r["old_id"], r["old_import_id"], r["name"], r["region"], r["stage"],
                      r["old_stage"], r["funds"], r["old_funds"], r["progress_on"], r["progress"],
                      sum(bit for bit in _KINDS if r[f"k{bit}"]), listed[r["id"]]) for r in rows], counts, money


@figure_tool(
    "周动态：两个台账日期之间新增、推进（阶段前进、资金到位、进展更新）和停滞的项目",
    examples=[
        "本周项目有什么变化", "这周项目台账有哪些新动态", "周动态", "上周以来哪些项目有进展",
        "本周哪些项目开工了", "最近一周新增了哪些项目线索", "哪些项目这周没有任何进展", "本周以来资金到位有什么变化，哪个县区新到位的最多",
    ],
    slots={"date_from": "date_from", "date_to": "date_to"},
    path="weekly-changes",
)
def weekly_changes(store: FigureStore, date_from: date | None = None, date_to: date | None = None,
                   region: str | None = None) -> WeeklyChanges:
    """比较两个日期的项目台账（周动态）：新增的项目、阶段前进的项目（如签约→开工）、新到位资金、进展有更新的项目，
    以及没有任何变化（没动静）的在推项目（停滞）。不填日期时比较最近两期台账。

    date_from：可选，较早的日期，如“2023-07-21”；date_to：可选，较晚的日期，默认最新台账日期；region：可选，地区名或简称。
    """
    with store.session() as session:
        dates = ledger_dates(session)
        if not dates:
            raise InvalidValue("项目台账还没有带填报日期的导入记录，无法比较两个日期。请导入带“填报日期”列的项目台账。")
        end = date_to or dates[-1]
        start = date_from or next((d for d in reversed(dates) if d < end), end - timedelta(days=7))
        # a start before the history holds no ledger to compare with: the first one stands for it, and is said
        earliest = f"（台账历史从{cn_date(dates[0])}开始，按这一期比较）" if start < dates[0] < end else ""
        start = max(start, dates[0]) if earliest else start
        if start >= end:
            raise InvalidValue(f"日期范围有误：{start} 不早于 {end}。")
        region = scoped_region(store, session, region)
        reg = resolve_region(session, region) if region else None
        region_id = reg.id if reg and not reg.is_city else None
        rows, totals, funds_added = _compare_ledgers(session, start, end, region_id)
        moved_rows = [r for r in rows if r.flags & _CHANGED]
        stalled_rows = [r for r in rows if r.flags & _STALLED]
        added: list[Change] = []
        advanced: list[Change] = []
        funds: list[Change] = []
        progressed: list[Change] = []
        for row in moved_rows:  # each row is listed under the kinds whose first CHANGE_CAP it is among
            if row.flags & _NEW and row.listed & _NEW:
                added.append(Change(project=row.name, region=row.region, what=f"新进入台账（{row.stage}）"))
            if row.flags & _ADVANCED and row.listed & _ADVANCED:
                advanced.append(Change(project=row.name, region=row.region, what=f"{row.old_stage}→{row.stage}"))
            if row.flags & _FUNDED and row.listed & _FUNDED:
                delta = Decimal(str(row.funds or 0)) - Decimal(str(row.old_funds or 0))
                funds.append(Change(project=row.name, region=row.region,
                                    what=f"到位资金增加 {format_value(float(delta), '亿元')}（累计 {format_value(row.funds, '亿元')}）",
                                    funds_added_yi_yuan=float(delta), funds_total_yi_yuan=row.funds))
            if row.flags & _PROGRESSED and row.listed & _PROGRESSED:
                progressed.append(Change(project=row.name, region=row.region,
                                         what=f"{cn_date(row.progress_on)}：{row.progress or ''}"))  # type: ignore[arg-type]
        funds.sort(key=lambda c: -(c.funds_added_yi_yuan or 0))  # the largest increase first: 增加最多的 leads
        stalled = [Change(project=r.name, region=r.region, what=f"{r.stage}，本期无变化") for r in stalled_rows
                   if r.listed & _STALLED]
        listed = [r for r in rows if r.listed]
        used = [(r.version_id, r.import_id) for r in listed] + [
            (r.old_version_id, r.old_import_id) for r in listed
            if r.old_version_id is not None and r.old_import_id is not None]
        rule = (f"比较 {cn_date(start)} 与 {cn_date(end)} 两个日期的项目台账历史（project_versions 中当日有效的版本）："
                "新增 = 后一日期才有的项目；推进 = 阶段前进、累计到位资金增加或进展日期更新；停滞 = 未投产且三者都没有变化；"
                f"各项个数由数据库按上述条件统计，行号为列出的项目（每项至多 {CHANGE_CAP} 个）在两个日期的版本")
        prov = provenance(session, "project_versions", used, None, rule)
    window = f"{cn_date(start)}—{cn_date(end)}"
    counts = {"新增": totals[_NEW], "阶段前进": totals[_ADVANCED], "资金到位": totals[_FUNDED],
              "进展更新": totals[_PROGRESSED], "停滞": totals[_STALLED]}
    tally = {id(added): counts["新增"], id(advanced): counts["阶段前进"], id(funds): counts["资金到位"],
             id(progressed): counts["进展更新"], id(stalled): counts["停滞"]}
    money = float(round2(funds_added)) if counts["资金到位"] else None

    figures = [Figure(label=f"{window}新增项目数", value=counts["新增"], unit="个", period=None, provenance=prov),
               Figure(label=f"{window}阶段前进项目数", value=counts["阶段前进"], unit="个", period=None, provenance=prov),
               Figure(label=f"{window}新到位资金", value=money, unit="亿元", period=None, provenance=prov),
               Figure(label=f"{window}停滞项目数", value=counts["停滞"], unit="个", period=None, provenance=prov)]

    def listing(changes: list[Change], cap: int = 12) -> str:
        text = "；".join(f"{c.project}（{c.region}）{c.what}" for c in changes[:cap])
        n = tally.get(id(changes), 0)
        return text + (f"等 {n} 个" if n > cap else "")

    # the new funds added up by county, most first (哪个县区新到位的资金最多), when every funded project is listed
    by_county: dict[str, Decimal] = defaultdict(Decimal)
    for c in funds:
        by_county[c.region] += Decimal(str(c.funds_added_yi_yuan or 0))
    counties = sorted(by_county.items(), key=lambda kv: -kv[1])
    per_county = ("；分县区：" + "、".join(f"{name} {format_value(float(v), '亿元')}" for name, v in counties)
                  if len(counties) > 1 and len(funds) == counts["资金到位"] else "")
    parts = [f"周动态（{window}）{earliest}：新增 {counts['新增']} 个项目" + (f"：{listing(added)}" if added else ""),
             f"阶段前进 {counts['阶段前进']} 个" + (f"：{listing(advanced)}" if advanced else ""),
             f"新到位资金 {format_value(money, '亿元')}" + (f"：{listing(funds)}{per_county}" if funds else "（无数据）"),
             f"进展有更新 {counts['进展更新']} 个", f"停滞 {counts['停滞']} 个" + (f"：{listing(stalled)}" if stalled else "")]
    return WeeklyChanges(date_from=start, date_to=end, added=added[:CHANGE_CAP], advanced=advanced[:CHANGE_CAP],
                         funds=funds[:CHANGE_CAP], progressed=progressed[:CHANGE_CAP], stalled=stalled[:CHANGE_CAP],
                         counts=counts, funds_added_yi_yuan=money, figures=figures, provenance=prov,
                         summary="；".join(parts) + "。")


# ---- per-county rates ----------------------------------------------------------------------

RATE_RULES = {
    "开工率": "开工率 = 已开工（含投产）的签约项目数 ÷ 签约项目数 × 100%",
    "资金到位率": "资金到位率 = 累计到位资金 ÷ 总投资 × 100%（只计已签约且两项均已填写的项目）",
    "合同履约率": "合同履约率 = 在约定开工期限内开工的项目数 ÷ 约定开工期限已到（不晚于台账日期）的签约项目数 × 100%",
    "涉链占比": "涉链占比 = 属于“5+3”重点产业链的项目数 ÷ 项目总数 × 100%",
    # the assessment's own measure of funds (考核评价办法: 新建项目当年资金到位率低于40%的不得分)
    "新建项目当年资金到位率": "新建项目当年资金到位率（考核口径）= 新建且已签约项目的当年到位资金 ÷ 其合同总投资 × 100%（只计两项均已填写的项目）",
}
RATE_TARGETS = {"资金到位率": 40.0, "开工率": 80.0, "涉链占比": 60.0,  # 考核评价办法: first-year funds ≥ 40% etc.
                "新建项目当年资金到位率": 40.0}


class CountyRates(BaseModel):
    region: str
    projects: int
    signed: int
    started: int
    start_rate_pct: float | None
    funds_rate_pct: float | None
    due: int
    on_time: int
    fulfilment_rate_pct: float | None
    key_chain_share_pct: float | None
    new_funds_rate_pct: float | None = None  # 新建项目当年资金到位率 (the assessment's measure)
    rank: int | None = None

    def rate(self, by: str) -> float | None:
        """One of the four rates by its Chinese name (开工率, 资金到位率, 合同履约率, 涉链占比)."""
        value: float | None = getattr(self, RATE_FIELDS[by])
        return value


class CountyRanking(BaseModel):
    as_of: date
    by: str
    rows: list[CountyRates]
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _pct(num: Decimal | float, den: Decimal | float) -> float | None:
    return float(round2(Decimal(str(num)) / Decimal(str(den)) * 100)) if den else None


def county_rates(rows: list[LedgerRow], day: date, by: str = "region") -> dict[str, CountyRates]:
    """The four rates per region (or per another column of the rows: `by` chain, manager…) from current ledger rows
    (pure); rows leaving that column empty are left out."""
    groups: dict[str, list[LedgerRow]] = defaultdict(list)
    for p in rows:
        if key := getattr(p, by):
            groups[key].append(p)
    out: dict[str, CountyRates] = {}
    for region, members in groups.items():
        signed = [p for p in members if PROJECT_STAGES.index(p.stage) >= PROJECT_STAGES.index("签约")]
        started = [p for p in signed if PROJECT_STAGES.index(p.stage) >= PROJECT_STAGES.index("开工")]
        money = [p for p in signed if p.total is not None and p.funds is not None]
        funds = sum((Decimal(str(p.funds)) for p in money), Decimal(0))
        totals = sum((Decimal(str(p.total)) for p in money), Decimal(0))
        due = [p for p in signed if p.deadline and p.deadline <= day]
        on_time = [p for p in due if p.started_on and p.deadline and p.started_on <= p.deadline]
        new = [p for p in signed if p.build_type == NEW_BUILD and p.total is not None and p.funds_year is not None]
        out[region] = CountyRates(
            region=region, projects=len(members), signed=len(signed), started=len(started),
            start_rate_pct=_pct(len(started), len(signed)), funds_rate_pct=_pct(funds, totals) if money else None,
            due=len(due), on_time=len(on_time), fulfilment_rate_pct=_pct(len(on_time), len(due)),
            key_chain_share_pct=_pct(sum(1 for p in members if p.key_chain), len(members)),
            new_funds_rate_pct=_pct(sum((Decimal(str(p.funds_year)) for p in new), Decimal(0)),
                                    sum((Decimal(str(p.total)) for p in new), Decimal(0))) if new else None)
    return out


def county_rates_in_db(session: Session, day: date, ledger_on: date | None = None,
                       city: str | None = None, signed_within: tuple[date, date] | None = None,
                       regions: Iterable[str] | None = None,
                       where: tuple[ColumnElement[bool], ...] = ()) -> dict[str, CountyRates]:
    """county_rates computed by the database (one GROUP BY over the ledger), for large ledgers. `ledger_on`: over
    the rows as the issue of that date recorded them (project_versions in force), not today's; `city`: also the
    whole ledger's rates, under that name (全市); `signed_within`: only the projects signed within these days;
    `regions`: only these regions' projects (the `city` row is then their combined rates: 二类县区合计); `where`:
    further conditions on the project (one chain's projects: the `city` row is then that chain's rates)."""
    src: Any = ProjectVersion if ledger_on is not None else Project
    aggregates = rate_aggregates(src, src.start_deadline <= day)
    names: dict[int, str] = {i: n for i, n in session.execute(select(Region.id, Region.name))}
    only = [i for i, n in names.items() if n in set(regions)] if regions is not None else None

    def over_ledger(stmt: Any) -> Any:
        stmt = stmt.where(*where)
        if only is not None:
            stmt = stmt.where(src.region_id.in_(only))
        if signed_within is not None:
            stmt = stmt.where(*signed_between(signed_within))
        if ledger_on is None:
            return stmt
        return (stmt.select_from(ProjectVersion).join(Project, Project.id == ProjectVersion.project_id)
                .where(ProjectVersion.in_force(ledger_on)))

    rows = [(names[region_id], *rest) for region_id, *rest in
            session.execute(over_ledger(select(src.region_id, *aggregates)).group_by(src.region_id))]
    if city is not None and rows:
        # the whole's sums are the regions' sums added up (every project is in one region): no second pass
        rows.append((city, *(sum((r[i] or 0 for r in rows), 0) for i in range(1, len(rows[0])))))
    return {name: _rates_of(name, rest) for name, *rest in rows}


def version_bounds() -> tuple[ColumnElement[date], ColumnElement[date]]:
    """A version's valid_from and valid_to wrapped so that no planner walks the versions' date index: for a query
    over a few projects' whole histories, each project's versions are found by its id instead (on a window of
    issues, every issue's in-force set is most of the history)."""
    return func.coalesce(ProjectVersion.valid_from, None), func.coalesce(ProjectVersion.valid_to, None)


def versions_between(first: date, last: date, where: tuple[ColumnElement[bool], ...]) -> tuple[ColumnElement[bool], ...]:
    """The versions in force on some day from `first` to `last` of the projects picked by `where` (conditions on
    Project, picked in a subquery: the query need not join Project): the picked projects' ids first, as a list the
    planner walks, then each one's versions by its id, the version dates left unindexed (version_bounds)."""
    # (a window of a week or two: the versions whose end falls after it are each project's last one or two, which
    # the (project_id, valid_to) index walks straight to)
    start, end = version_bounds() if (last - first).days > 31 else (ProjectVersion.valid_from, ProjectVersion.valid_to)
    return ProjectVersion.project_id.in_(select(Project.id).where(*where)), end > first, start <= last


_AMOUNT_STEP = Decimal("0.000001")  # the amounts' six decimals (models._amount)


def _summed(value: Any) -> Decimal:
    """A database sum of amounts as an exact Decimal: SQLite adds them as floats, whose last bits are noise."""
    return Decimal(str(value or 0)).quantize(_AMOUNT_STEP)


def _rates_of(name: str, sums: Iterable[Any]) -> CountyRates:
    """The rates from one row of _rate_aggregates' sums."""
    n, n_signed, n_started, n_money, funds, totals, n_due, n_on_time, n_key, n_new, new_funds, new_totals = sums
    return CountyRates(
        region=name, projects=n, signed=n_signed, started=n_started,
        start_rate_pct=_pct(n_started, n_signed),
        funds_rate_pct=_pct(_summed(funds), _summed(totals)) if n_money else None,
        due=n_due, on_time=n_on_time, fulfilment_rate_pct=_pct(n_on_time, n_due),
        key_chain_share_pct=_pct(n_key, n),
        new_funds_rate_pct=_pct(_summed(new_funds), _summed(new_totals)) if n_new else None)


def _issue_sums(session: Session, by: Any, *where: ColumnElement[bool]) -> list[tuple[Any, list[Any]]]:
    """project_issue_sums added up per value of `by` over the rows `where` picks: each value with its sums in
    _rates_of's order (amounts exact, counts whole, the “5+3” count read from the chains' current is_key)."""
    s = ProjectIssueSum
    key = func.sum(case((on_key_chain(s.chain_id), s.projects), else_=0))
    out = []
    for value, *total, k in session.execute(select(by, *(func.sum(getattr(s, c)) for c in STORED), key)
                                            .where(*where).group_by(by)):
        counted: list[Any] = [_summed(x) if i in _AMOUNTS else int(x or 0) for i, x in enumerate(total)]
        out.append((value, [*counted[:KEY_TERM], int(k or 0), *counted[KEY_TERM:]]))
    return out


def rates_by_issue(session: Session, days: list[date], name: str,
                   where: tuple[ColumnElement[bool], ...] = ()) -> dict[date, CountyRates]:
    """The rates of the projects picked by `where` (conditions on project_issue_sums' region_id and chain_id) as
    each issue of `days` recorded them: the same sums as county_rates_in_db's over the versions in force that day,
    read from the per-issue totals the importer keeps (rate_sums.refresh_issue_sums), a few hundred rows for a
    year of weekly issues. An issue with no such project is absent."""
    if not days:
        return {}
    return {_as_date(day): _rates_of(name, counted) for day, counted in _issue_sums(
        session, ProjectIssueSum.issue, ProjectIssueSum.issue.in_(days), *where) if counted[0]}


def county_rates_at_issue(session: Session, issue: date, city: str | None = None) -> dict[str, CountyRates]:
    """county_rates_in_db of one issue of the ledger (ledger_on = that issue's day), read from its per-issue sums:
    each region's rates as the issue recorded them, and with `city` the whole ledger's under that name."""
    names: dict[int, str] = {i: n for i, n in session.execute(select(Region.id, Region.name))}
    rows = _issue_sums(session, ProjectIssueSum.region_id, ProjectIssueSum.issue == issue)
    out = {names[region_id]: _rates_of(names[region_id], counted) for region_id, counted in rows}
    if city is not None and rows:
        # the whole's sums are the regions' sums added up (every project is in one region)
        out[city] = _rates_of(city, [sum(column) for column in zip(*(counted for _, counted in rows), strict=True)])
    return out


_AMOUNTS = {4, 5, 9, 10}  # the stored sums that are amounts, not counts (STORED's order)


class Mover(BaseModel):
    """A project whose row the rates read changed from one issue to the next: it entered the ledger (before is
    None), or its stage moved to or from a signed one, or its funds changed."""

    project: str
    stage: str
    funds_yi_yuan: float | None
    stage_before: str | None = None
    funds_before_yi_yuan: float | None = None
    entered: bool = False


def movers_by_issue(session: Session, days: list[date], where: tuple[ColumnElement[bool], ...] = (),
                    shown: int = 5) -> dict[date, tuple[int, list[Mover]]]:
    """The projects picked by `where` that moved between one issue of `days` and the next, per issue: how many, and
    the `shown` that moved most (a stage change first, then the biggest change of funds). A project moves at the
    first issue a version of it is in force on, from the version in force at the issue before (none: it entered
    the ledger). The versions are read once, five narrow columns in project order, and only the names of the
    projects shown are looked up."""
    if len(days) < 2:
        return {}
    v = ProjectVersion
    # the dates as the database hands them (ISO text on SQLite, dates on PostgreSQL), compared as ISO text: parsing
    # tens of thousands of them into dates would cost more than the query
    rows = session.connection().execute(
        select(v.project_id, type_coerce(v.valid_from, String), type_coerce(v.valid_to, String), v.stage,
               type_coerce(v.funds_arrived_yi_yuan, Float))
        .where(*versions_between(days[0], days[-1], where))
        .order_by(v.project_id, v.valid_from))
    issues = [d.isoformat() for d in days]
    moves: list[list[tuple[bool, float, int, str | None, float | None, str, float | None]]] = [[] for _ in days]
    last: tuple[int, int, str, float | None] | None = None  # the project's version before: (id, issues end, stage, funds)
    for pid, valid_from, valid_to, stage, funds in rows:
        first = bisect_left(issues, valid_from if isinstance(valid_from, str) else valid_from.isoformat())
        stop = bisect_left(issues, valid_to if isinstance(valid_to, str) else valid_to.isoformat())  # days[first:stop]
        if first == stop:
            continue
        if first:
            if last is not None and last[0] == pid and last[1] == first:
                staged = stage != last[2] and (stage in SIGNED_STAGES or last[2] in SIGNED_STAGES)
                if staged or (funds or 0) != (last[3] or 0):
                    moves[first].append((not staged, -abs((funds or 0) - (last[3] or 0)), pid, last[2], last[3],
                                         stage, funds))
            else:  # (it entered the ledger)
                moves[first].append((True, -(funds or 0), pid, None, None, stage, funds))
        last = (pid, stop, stage, funds)
    picked = {day: (len(m), sorted(m)[:shown]) for day, m in zip(days, moves, strict=True) if m}
    names = dict(session.execute(select(Project.id, Project.name).where(
        Project.id.in_({m[2] for _, listed in picked.values() for m in listed}))).all())
    return {day: (count, [Mover(project=names[pid], stage=stage, funds_yi_yuan=funds, stage_before=stage_before,
                                funds_before_yi_yuan=funds_before, entered=stage_before is None)
                          for _, _, pid, stage_before, funds_before, stage, funds in listed])
            for day, (count, listed) in picked.items()}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


RATE_FIELDS = {"开工率": "start_rate_pct", "资金到位率": "funds_rate_pct", "合同履约率": "fulfilment_rate_pct",
                "涉链占比": "key_chain_share_pct", "新建项目当年资金到位率": "new_funds_rate_pct"}
WHOLE_CITY = "全市"  # the row of the whole ledger beside the counties'


def project_rate(by: str) -> str:
    """How a rate is said of a place's projects: 项目开工率, but 新建项目当年资金到位率 as it is (it names its projects)."""
    return by if by.startswith("新建项目") else f"项目{by}"


@figure_tool(
    "各县区项目资金到位率（及开工率、合同履约率、涉链占比）排名",
    examples=[
        "资金到位率各县区排个名", "哪个县区项目资金到位率最低", "各县区项目资金到位率谁最高", "各县区项目四率排名",
        "各地项目资金到位情况比较", "资金到位率低于40%的县区", "按考核口径各县区新建项目当年资金到位率",
    ],
    slots={"rate": "rate", "region": "county", "county_class": "county_class", "period": "signed_period",
           "ledger_on": "ledger_on"},
    path="county-rates",
)
def county_project_rates(store: FigureStore,
                         rate: Literal["资金到位率", "开工率", "合同履约率", "涉链占比", "新建项目当年资金到位率"] = "资金到位率",
                         region: str | None = None, county_class: str | None = None,
                         period: str | None = None, ledger_on: date | None = None) -> CountyRanking:
    """各县（市、区）、开发区项目台账的开工率、资金到位率（到位资金占总投资的比例）、合同履约率、涉链占比，
    按 rate 指定的比率从高到低排名（并列同名次；没有可计算项目的地区不参与排名）。

    rate：排名依据，“资金到位率”（默认）、“开工率”、“合同履约率”、“涉链占比”或“新建项目当年资金到位率”（考核口径）；
    region：可选，某县区名或简称：先写明该县区的比率和名次（仍按全部县区排名）；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名；
    period：可选，如“2023Q1”：只算该年1月1日至该期末签约的项目（一季度签约、新签的那批）；
    ledger_on：可选，某一期项目台账的日期，如“2023-07-14”：按那一期台账记录的项目计算。
    """
    return _county_ranking(store, rate, region, county_class, period, ledger_on)


@figure_tool(
    "各县区项目开工率排名",
    examples=["各县区项目开工率排名", "哪个县区项目开工率最低", "开工率排在后面的县区有哪些", "各县区签约项目开工情况比较"],
    slots={"region": "county", "county_class": "county_class", "period": "signed_period",
           "ledger_on": "ledger_on"},
    path="county-start-rates",
)
def county_start_rates(store: FigureStore, region: str | None = None, county_class: str | None = None,
                       period: str | None = None, ledger_on: date | None = None) -> CountyRanking:
    """各县（市、区）、开发区签约项目的开工率（已开工含投产 ÷ 签约项目数）排名，并附资金到位率等其他比率。

    region：可选，某县区名或简称：先写明该县区的开工率和名次；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名；
    period：可选，如“2023Q1”：只算该年1月1日至该期末签约的项目（一季度签约、新签的那批）；
    ledger_on：可选，某一期项目台账的日期，如“2023-07-14”：按那一期台账记录的项目计算。
    """
    return _county_ranking(store, "开工率", region, county_class, period, ledger_on)


@figure_tool(
    "各县区合同履约率排名（按约定开工期限）",
    examples=["各县区合同履约率排名", "哪个县区合同履约率最低", "各地项目履约情况比较", "按期开工的履约率各县区谁高"],
    slots={"region": "county", "county_class": "county_class", "period": "signed_period",
           "ledger_on": "ledger_on"},
    path="county-fulfilment-rates",
)
def county_fulfilment_rates(store: FigureStore, region: str | None = None, county_class: str | None = None,
                            period: str | None = None, ledger_on: date | None = None) -> CountyRanking:
    """各县（市、区）、开发区的合同履约率（在约定开工期限内开工 ÷ 期限已到的签约项目）排名。

    region：可选，某县区名或简称：先写明该县区的合同履约率和名次；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名；
    period：可选，如“2023Q1”：只算该年1月1日至该期末签约的项目（一季度签约、新签的那批）；
    ledger_on：可选，某一期项目台账的日期，如“2023-07-14”：按那一期台账记录的项目计算。
    """
    return _county_ranking(store, "合同履约率", region, county_class, period, ledger_on)


@figure_tool(
    "各县区涉链项目占比排名",
    examples=["涉链项目占比各县区排名", "各县区重点产业链项目占比谁最高", "哪个县区涉链项目占比低于60%", "各县区项目涉链情况"],
    slots={"region": "county", "county_class": "county_class", "period": "signed_period",
           "ledger_on": "ledger_on"},
    path="county-chain-shares",
)
def county_chain_shares(store: FigureStore, region: str | None = None, county_class: str | None = None,
                        period: str | None = None, ledger_on: date | None = None) -> CountyRanking:
    """各县（市、区）、开发区项目中属于“5+3”重点产业链的占比排名。

    region：可选，某县区名或简称：先写明该县区的涉链占比和名次；
    county_class：可选，考核方案的县区类别（如“二类”），只在该类县区之间排名；
    period：可选，如“2023Q1”：只算该年1月1日至该期末签约的项目（一季度签约、新签的那批）；
    ledger_on：可选，某一期项目台账的日期，如“2023-07-14”：按那一期台账记录的项目计算。
    """
    return _county_ranking(store, "涉链占比", region, county_class, period, ledger_on)


def _county_ranking(store: FigureStore, by: str, region: str | None = None, county_class: str | None = None,
                    period: str | None = None, ledger_on: date | None = None) -> CountyRanking:
    from assistant.tools.assessment import class_label, class_members  # the scheme reads this module's rates

    field = RATE_FIELDS[by]
    members = class_members(county_class) if county_class else None
    cohort = parse_period(period) if period else None
    signed = (cohort.start, cohort.end) if cohort is not None else None
    scope = f"{cn_date(signed[0])}至{cn_date(signed[1])}签约的项目，" if signed else ""
    cohort_where = signed_between(signed) if signed else ()
    with store.session() as session:
        named = resolve_region(session, region) if region else None
        if named is not None:
            check_region(store, named)  # a county officer asks of their own county, not another's
        asked = named.name if named is not None else None
        # 7月14号那期台账: the rows as that issue recorded them, deadlines due by then
        issue_day = issue_on(ledger_dates(session, "projects"), ledger_on, by) if ledger_on is not None else None
        day = issue_day or ledger_date(session)
        # (the whole ledger's rate beside the ranking, as an indicator ranking gives the city's: 跟全市比咋样)
        rates = county_rates_in_db(session, day, ledger_on=issue_day, signed_within=signed,
                                   city=None if store.region_scope else WHOLE_CITY)
        city = rates.pop(WHOLE_CITY, None)
        guard_aggregate(store, "各县区项目比率排名", len([r for r in rates if r != store.region_scope]))
        order = [r.name for r in session.scalars(select(Region).order_by(Region.sort_order)) if not r.is_city
                 and (members is None or r.name in members)]
        # Every project of the ledger stands behind the ranking: its ids and the imports that wrote them come
        # from the database as one aggregate each, not as 10,000 (id, import) pairs to sort in Python.
        # (of a cohort, 一季度签约的那批: the projects signed in it)
        cohort_ids = sorted(session.scalars(select(Project.id).where(*cohort_where))) if signed else None
        prov = provenance_of(session, "projects", cohort_ids if cohort_ids is not None else all_ids(session, Project.id),
                             session.scalars(select(Project.import_id).distinct()), None,
                             scope + "；".join(RATE_RULES.values()) + f"；按{by}两位小数由高到低排名，并列者名次相同")
        # the county asked about: which of its signed projects have not started (镇坪开工率咋才一半？哪个没开)
        idle = list(session.scalars(select(Project.name).where(
            Project.region_id == named.id, Project.stage == "签约", *cohort_where)
            .order_by(Project.signed_on, Project.id))) \
            if named is not None and not named.is_city and by == "开工率" else []
        # 二类县区的签约项目合起来看: the class's projects together, beside its ranking
        whole = county_rates_in_db(session, day, ledger_on=issue_day, city=f"{county_class}县区合计",
                                   signed_within=signed, regions=members) \
            if members is not None and not store.region_scope else {}
    table = [rates[name] for name in order if name in rates]
    ranks = competition_rank([(r.region, Decimal(str(getattr(r, field)))) for r in table
                              if getattr(r, field) is not None])
    for r in table:
        r.rank = ranks.get(r.region)
    table.sort(key=lambda r: (r.rank is None, r.rank or 0, order.index(r.region)))
    if store.region_scope:
        table = [r for r in table if r.region == store.region_scope]
    figures = [Figure(label=f"{r.region}{project_rate(by)}", value=getattr(r, field), unit="%", period=None, provenance=prov)
               for r in table]
    city_rate = getattr(city, field) if city is not None else None
    if city_rate is not None:
        figures.append(Figure(label=f"{WHOLE_CITY}{project_rate(by)}", value=city_rate, unit="%", period=None,
                              provenance=prov))
    ranked = [r for r in table if r.rank is not None]
    listing = "、".join(f"{r.rank}. {r.region} {format_value(getattr(r, field), '%')}" for r in ranked)
    if city_rate is not None and members is None:
        listing += f"（{WHOLE_CITY} {format_value(city_rate, '%')}，不参与排名）"
    missing = [r.region for r in table if r.rank is None]
    target = RATE_TARGETS.get(by)
    below = [r.region for r in ranked if target is not None and getattr(r, field) < target]
    field_ = f"{county_class}县区" if members is not None else "各县区"
    combined = ""
    if county_class and members is not None and (total := whole.get(f"{county_class}县区合计")) is not None:
        combined = (f"{class_label(county_class, members)}合计：" + "，".join(
            f"{project_rate(name)}{format_value(getattr(total, f), '%')}" for name, f in RATE_FIELDS.items()
            if getattr(total, f) is not None and name in (by, "开工率", "资金到位率")) + "。")
    issue = f"按{cn_date(day)}那一期台账" if issue_day is not None else f"截至{cn_date(day)}台账"
    summary = f"{issue}，{scope}{field_}{project_rate(by)}排名：{listing}。"
    own = next((r for r in table if r.region == asked), None)
    if asked:  # the county asked about first: its rate and its place among the ranked
        tie = "并列" if own is not None and sum(1 for r in ranked if r.rank == own.rank) > 1 else ""
        summary = (f"{asked}{project_rate(by)}{format_value(getattr(own, field), '%')}，在 {len(ranked)} 个县区中排{tie}第 {own.rank} 名。"
                   if own is not None and own.rank is not None else f"{asked}没有可计算{by}的项目（无数据）。") \
            + (f"其中签约未开工的：{'、'.join(idle)}。" if idle else "") + summary
    summary += combined
    if missing:
        summary += f"无法计算（无数据）：{'、'.join(missing)}。"
    if target is not None:
        summary += f"低于考核目标 {target:.0f}% 的：{'、'.join(below) if below else '无'}。"
    summary += f"（{RATE_RULES[by]}）"
    return CountyRanking(as_of=day, by=by, rows=table, figures=figures, provenance=prov, summary=summary)
