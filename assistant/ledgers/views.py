"""Filtered views of the four ledgers, a project's timeline and the rows behind a 考核 point.

Every view runs on a FigureStore as the user may see it: a county officer's store filters 项目 and 问题 to their
region (asking for another raises RegionDenied), lists the target enterprises with only their region's projects (as
the enterprise tools do), and refuses the 联络处's 走访/叩门 records (LedgerDenied). Status words and rules are the
tools' own (assistant/tools/lifecycle.py, ledger.py), so the table shows what the assistant answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from assistant.db.errors import InvalidValue, LedgerDenied
from assistant.db.models import (
    OPEN_END,
    Contact,
    Enterprise,
    Indicator,
    IndustryChain,
    Office,
    Problem,
    ProblemProgress,
    Project,
    ProjectVersion,
    Region,
)
from assistant.db.reference import PROBLEM_STATUSES, PROJECT_STAGES
from assistant.db.session import FigureStore
from assistant.db.tabular import CellError, parse_date
from assistant.db.vocab import normalise_name
from assistant.tools.common import (
    check_region,
    other_region_units,
    regions,
    resolve_chain,
    resolve_region,
    scoped_region,
)
from assistant.tools.directory import match_names
from assistant.tools.ledger import OVERDUE_RULE
from assistant.tools.lifecycle import (
    STATUS_RULE,
    STATUSES,
    ledger_date,
    load_ledger,
    region_filter,
    status_case,
    status_of,
)
from assistant.tools.types import cn_date

Kind = Literal["projects", "enterprises", "contacts", "problems"]
LEDGER_KINDS: dict[str, str] = {"projects": "项目", "enterprises": "企业", "contacts": "走访记录", "problems": "问题"}
OVERDUE = "逾期未办结"
PROBLEM_FILTERS = (*PROBLEM_STATUSES, OVERDUE)
# What the date window filters on, per ledger (enterprises carry no date).
DATE_FIELDS = {"projects": "签约日期", "contacts": "走访日期", "problems": "提出日期"}
CONTACTS_DENIED = "驻外招商联络处的走访、叩门记录"
PAGE_ROWS = 500  # rows a page (the 台账 tab, the API, the CLI) shows by default; the export holds every row
MAX_PAGE_ROWS = 5000
# Which filters each ledger has (enterprises carry no date, contacts no region or stage), and their names.
FILTERS: dict[str, tuple[str, ...]] = {
    "projects": ("region", "chain", "status", "stage", "dates", "text"),
    "enterprises": ("region", "chain", "status", "text"),
    "contacts": ("chain", "status", "dates", "text"),
    "problems": ("region", "chain", "status", "dates", "text"),
}
STATUS_LABELS = {"projects": "状态", "enterprises": "对接状态", "contacts": "方式", "problems": "办理状态"}
FILTER_LABELS = {"region": "地区", "chain": "产业链", "stage": "阶段", "dates": "日期范围", "text": "关键词"}

Value = str | float | int | date | None


@dataclass(frozen=True)
class LedgerFilter:
    """What the person narrowed the view to; empty fields do not filter."""

    region: str | None = None
    chain: str | None = None
    status: str | None = None
    stage: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None

    def describe(self, kind: str = "projects") -> str:
        """The filter in words (audit rows, the export's 说明 sheet): 地区=汉阴县 状态=滞后 签约日期=2023-07-01—."""
        parts = [f"{label}={value}" for label, value in (
            ("地区", self.region), ("产业链", self.chain), ("状态", self.status), ("阶段", self.stage),
            ("关键词", self.text)) if value]
        if self.date_from or self.date_to:
            window = f"{self.date_from or ''}—{self.date_to or ''}"
            parts.append(f"{DATE_FIELDS.get(kind, '日期')}={window}")
        return " ".join(parts)


def _day(text: str | None, what: str) -> date | None:
    try:
        return parse_date(text or "")
    except CellError as err:
        raise InvalidValue(f"{what}“{text}”{err}。") from None


def parse_filter(kind: str, region: str | None = None, chain: str | None = None, status: str | None = None,
                 stage: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 text: str | None = None) -> LedgerFilter:
    """The filter as a person typed it (the 台账 tab's boxes, the API's query, the CLI's options): dates in the
    formats staff type (2023-07-01, 2023.7.1, 2023年7月1日, an Excel serial); a filter this ledger does not have
    is refused rather than silently ignored. InvalidValue (Chinese) for either."""
    check_kind(kind)
    given = {"region": region, "chain": chain, "status": status, "stage": stage,
             "dates": (date_from or "").strip() or (date_to or "").strip(), "text": text}
    has = FILTERS[kind]
    extra = [name for name, value in given.items() if (value or "").strip() and name not in has]
    if extra:
        named = "、".join(FILTER_LABELS.get(n, STATUS_LABELS[kind]) for n in extra)
        offered = "、".join(FILTER_LABELS.get(n, STATUS_LABELS[kind]) for n in has)
        raise InvalidValue(f"{LEDGER_KINDS[kind]}台账没有“{named}”筛选，可按：{offered}。")
    field = DATE_FIELDS.get(kind, "日期")
    return LedgerFilter(region=(region or "").strip() or None, chain=(chain or "").strip() or None,
                        status=(status or "").strip() or None, stage=(stage or "").strip() or None,
                        date_from=_day(date_from, f"{field}起"), date_to=_day(date_to, f"{field}止"),
                        text=(text or "").strip() or None)


def check_kind(kind: str) -> None:
    if kind not in LEDGER_KINDS:
        raise InvalidValue(f"未知的台账“{kind}”，应为：{'、'.join(f'{k}（{v}）' for k, v in LEDGER_KINDS.items())}。")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Literal["text", "date", "amount", "count", "status"] = "text"


@dataclass
class ViewRow:
    row_id: int
    key: str  # the row's name in its ledger: project name, enterprise, problem code, date + enterprise
    values: list[Value]
    tone: str | None = None  # 正常 / 预警 / 滞后 / 逾期 / 已解决: the colour the page and the export give the row


@dataclass
class LedgerView:
    kind: str
    title: str
    columns: list[Column]
    rows: list[ViewRow]
    table: str  # the database table the rows come from (provenance)
    as_of: date | None = None  # 台账日期 the statuses are judged on
    rule: str = ""
    filters: LedgerFilter = field(default_factory=LedgerFilter)
    counts: dict[str, int] = field(default_factory=dict)  # matching rows per tone
    total: int | None = None  # rows matching the filter, when `rows` is only the first page of them

    @property
    def matched(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def row_refs(self) -> list[str]:
        return [f"{self.table}#{r.row_id}" for r in self.rows]


def _tally(rows: list[ViewRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rows:
        if r.tone:
            counts[r.tone] = counts.get(r.tone, 0) + 1
    return counts


def _window(column: Any, f: LedgerFilter) -> list[ColumnElement[bool]]:
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidValue(f"日期范围有误：起始日期 {f.date_from} 晚于结束日期 {f.date_to}。")
    out: list[ColumnElement[bool]] = []
    if f.date_from:
        out.append(column >= f.date_from)
    if f.date_to:
        out.append(column <= f.date_to)
    return out


def _like(text: str | None, *columns: object) -> list[ColumnElement[bool]]:
    text = (text or "").strip()
    if not text:
        return []
    return [or_(*(c.contains(text, autoescape=True) for c in columns))]  # type: ignore[attr-defined]


def _chain_id(session: Session, chain: str | None) -> int | None:
    return resolve_chain(session, chain).id if chain else None


# ---- 项目 ------------------------------------------------------------------------------------

PROJECT_COLUMNS = [
    Column("项目名称"), Column("地区"), Column("产业链"), Column("阶段"), Column("状态", "status"), Column("状态说明"),
    Column("总投资（亿元）", "amount"), Column("累计到位资金（亿元）", "amount"), Column("签约日期", "date"),
    Column("开工日期", "date"), Column("约定开工期限", "date"), Column("最新进展"), Column("进展日期", "date"),
    Column("责任单位"), Column("项目管家"),
]


def _projects(session: Session, store: FigureStore, f: LedgerFilter, *where: ColumnElement[bool],
              limit: int | None = None) -> tuple[date, list[ViewRow], int, dict[str, int]]:
    """(台账日期, the rows — the first `limit` by region and name when given —, how many match, matches per status).
    With a limit the count and the statuses are one GROUP BY, so a page of a 10,000-project ledger reads 500 rows."""
    day = ledger_date(session)
    region = scoped_region(store, session, f.region)
    conditions = list(where)
    chain_id = _chain_id(session, f.chain)
    if chain_id is not None:
        conditions.append(Project.chain_id == chain_id)
    if f.stage:
        if f.stage not in PROJECT_STAGES:
            raise InvalidValue(f"阶段“{f.stage}”应为：{'、'.join(PROJECT_STAGES)}。")
        conditions.append(Project.stage == f.stage)
    if f.status:
        if f.status not in STATUSES:
            raise InvalidValue(f"项目状态“{f.status}”应为：{'、'.join(STATUSES)}。")
        conditions.append(status_case(day) == STATUSES.index(f.status))
    conditions += _window(Project.signed_on, f)
    conditions += _like(f.text, Project.name, Project.enterprise_name, Project.progress, Project.responsible_unit,
                        Project.manager, Project.lead_leader)
    rows = []
    order = (Region.sort_order, Project.name) if limit is not None else ()
    for p in load_ledger(session, region, *conditions, order=order, limit=limit):
        status, reason = status_of(p, day)
        rows.append(ViewRow(p.id, p.name, [p.name, p.region, p.chain, p.stage, status, reason, p.total, p.funds,
                                           p.signed_on, p.started_on, p.deadline, p.progress, p.progress_on,
                                           p.responsible_unit, p.manager], status))
    if limit is None or len(rows) < limit:
        return day, rows, len(rows), _tally(rows)
    code = status_case(day)
    counted = session.execute(select(code, func.count()).select_from(Project)
                              .where(*region_filter(session, region), *conditions).group_by(code))
    counts = {STATUSES[c]: int(n) for c, n in counted if n}
    return day, rows, sum(counts.values()), counts


def project_view(store: FigureStore, f: LedgerFilter, limit: int | None = None) -> LedgerView:
    with store.session() as session:
        day, rows, total, counts = _projects(session, store, f, limit=limit)
    return LedgerView("projects", "项目台账", PROJECT_COLUMNS, rows, "projects", day,
                      f"状态按{cn_date(day)}台账判定。{STATUS_RULE}", f, counts, total)


# ---- 企业 ------------------------------------------------------------------------------------

ENTERPRISE_COLUMNS = [Column("企业名称"), Column("类别"), Column("总部所在地"), Column("产业链"), Column("对接状态", "status"),
                      Column("跟踪责任单位"), Column("本市项目"), Column("备注")]


def enterprise_view(store: FigureStore, f: LedgerFilter) -> LedgerView:
    """The target-enterprise list; a region narrows it to enterprises with a project there. A county officer sees
    the list with only their region's projects, without the leads another county's unit tracks (as list_enterprises
    answers them)."""
    with store.session() as session:
        region = None
        if f.region:
            reg = resolve_region(session, f.region)
            check_region(store, reg)
            region = None if reg.is_city else reg.name
        stmt = select(Enterprise, IndustryChain.name).outerjoin(IndustryChain, Enterprise.chain_id == IndustryChain.id)
        chain_id = _chain_id(session, f.chain)
        if chain_id is not None:
            stmt = stmt.where(Enterprise.chain_id == chain_id)
        if f.status:
            stmt = stmt.where(Enterprise.status == f.status)
        stmt = stmt.where(*_like(f.text, Enterprise.name, Enterprise.category, Enterprise.headquarters,
                                 Enterprise.owner, Enterprise.note))
        projects: dict[int, list[str]] = {}
        seen_in: dict[int, set[str]] = {}
        for eid, name, where in session.execute(select(Project.enterprise_id, Project.name, Region.name)
                                                .join(Region, Project.region_id == Region.id)
                                                .where(Project.enterprise_id.is_not(None))):
            seen_in.setdefault(int(eid or 0), set()).add(where)
            if not store.region_scope or where == store.region_scope:
                projects.setdefault(int(eid or 0), []).append(name)
        others = other_region_units(session, store.region_scope) if store.region_scope else ()
        rows = []
        for e, chain in sorted(session.execute(stmt), key=lambda t: t[0].id):
            if region and region not in seen_in.get(e.id, set()):
                continue
            if others and e.owner and normalise_name(e.owner).startswith(others):  # another county's own lead
                continue
            rows.append(ViewRow(e.id, e.name, [e.name, e.category, e.headquarters, chain, e.status, e.owner,
                                               "、".join(sorted(projects.get(e.id, []))), e.note], None))
    return LedgerView("enterprises", "目标企业库", ENTERPRISE_COLUMNS, rows, "enterprises", None,
                      "本市项目：项目库中由该企业投资的项目" + ("（只列本地区的）" if store.region_scope else ""), f)


def enterprise_statuses(store: FigureStore) -> list[str]:
    with store.session() as session:
        return sorted({s for s in session.scalars(select(Enterprise.status).distinct()) if s})


# ---- 走访记录 ----------------------------------------------------------------------------------

CONTACT_COLUMNS = [Column("日期", "date"), Column("企业名称"), Column("对接单位"), Column("联络处"), Column("走访人员"),
                   Column("方式", "status"), Column("对接成果"), Column("下一步")]


def contact_view(store: FigureStore, f: LedgerFilter) -> LedgerView:
    """走访 / 叩门 records; the status filter is the 方式 (走访、叩门、来访…). Refused to county officers."""
    if store.region_scope:
        raise LedgerDenied(CONTACTS_DENIED)
    with store.session() as session:
        stmt = (select(Contact, Office.name).outerjoin(Office, Contact.office_id == Office.id)
                .where(*_window(Contact.held_on, f))
                .where(*_like(f.text, Contact.enterprise_name, Contact.unit, Contact.visitors, Contact.outcome,
                              Contact.next_step)))
        if f.status:
            stmt = stmt.where(Contact.method == f.status)
        chain_id = _chain_id(session, f.chain)
        if chain_id is not None:
            stmt = stmt.where(Contact.enterprise_id.in_(select(Enterprise.id).where(Enterprise.chain_id == chain_id)))
        rows = [ViewRow(c.id, f"{c.held_on} {c.enterprise_name}",
                        [c.held_on, c.enterprise_name, c.unit, office, c.visitors, c.method, c.outcome, c.next_step])
                for c, office in sorted(session.execute(stmt), key=lambda t: (t[0].held_on, t[0].enterprise_name),
                                        reverse=True)]
    return LedgerView("contacts", "走访叩门记录", CONTACT_COLUMNS, rows, "contacts", None, "按日期从近到远", f)


def contact_methods(store: FigureStore) -> list[str]:
    if store.region_scope:
        return []
    with store.session() as session:
        return sorted({m for m in session.scalars(select(Contact.method).distinct()) if m})


# ---- 问题 ------------------------------------------------------------------------------------

PROBLEM_COLUMNS = [
    Column("编号"), Column("项目名称"), Column("地区"), Column("问题描述"), Column("责任部门"), Column("状态", "status"),
    Column("提出日期", "date"), Column("办结时限", "date"), Column("逾期天数", "count"), Column("协调层级"),
    Column("最新进展"), Column("进展日期", "date"), Column("解决日期", "date"), Column("企业评价"),
]


def problem_view(store: FigureStore, f: LedgerFilter) -> LedgerView:
    """The problem ledger with its workflow; 逾期 is judged on the 台账日期 by the tools' rule. The status filter
    takes 未解决 / 推进中 / 已解决 or 逾期未办结."""
    with store.session() as session:
        day = ledger_date(session)
        stmt = (select(Problem, Region.name).join(Region, Problem.region_id == Region.id)
                .where(*_window(Problem.opened_on, f))
                .where(*_like(f.text, Problem.code, Problem.project_name, Problem.description, Problem.department)))
        region = scoped_region(store, session, f.region)
        if region:
            reg = resolve_region(session, region)
            if not reg.is_city:
                stmt = stmt.where(Problem.region_id == reg.id)
        if f.status == OVERDUE:
            stmt = stmt.where(Problem.status != "已解决", Problem.due_on < day)
        elif f.status:
            if f.status not in PROBLEM_STATUSES:
                raise InvalidValue(f"问题状态“{f.status}”应为：{'、'.join(PROBLEM_FILTERS)}。")
            stmt = stmt.where(Problem.status == f.status)
        chain_id = _chain_id(session, f.chain)
        if chain_id is not None:
            stmt = stmt.where(Problem.project_id.in_(select(Project.id).where(Project.chain_id == chain_id)))
        found = list(session.execute(stmt.order_by(Region.sort_order, Problem.opened_on, Problem.code)))
        latest: dict[int, ProblemProgress] = {}
        ids = [pb.id for pb, _ in found]
        for note in session.scalars(select(ProblemProgress).where(ProblemProgress.problem_id.in_(ids or [0]))
                                    .order_by(ProblemProgress.noted_on)):
            latest[note.problem_id] = note
        rows = []
        for pb, region_name in found:
            overdue: int | None = None
            tone = None
            if pb.status == "已解决":
                tone = "已解决"
                if pb.due_on and pb.closed_on and pb.closed_on > pb.due_on:
                    overdue = (pb.closed_on - pb.due_on).days
            elif pb.due_on and pb.due_on < day:
                overdue, tone = (day - pb.due_on).days, "逾期"
            last = latest.get(pb.id)
            rows.append(ViewRow(pb.id, pb.code, [
                pb.code, pb.project_name, region_name, pb.description, pb.department, pb.status, pb.opened_on,
                pb.due_on, overdue, pb.escalation, last.text if last else None, last.noted_on if last else None,
                pb.closed_on, pb.evaluation], tone))
    return LedgerView("problems", "问题台账", PROBLEM_COLUMNS, rows, "problems", day,
                      f"按{cn_date(day)}台账判定。{OVERDUE_RULE}", f, _tally(rows))


VIEWS = {"projects": project_view, "enterprises": enterprise_view, "contacts": contact_view, "problems": problem_view}


def ledger_view(store: FigureStore, kind: str, f: LedgerFilter, limit: int | None = None) -> LedgerView:
    """The rows of one ledger under a filter; `limit` (a page): only the first rows, with the count and statuses of
    all matches (the project ledger reads only those rows; the other ledgers are small and are cut after reading)."""
    check_kind(kind)
    if kind == "projects":
        return project_view(store, f, limit)
    view = VIEWS[kind](store, f)
    if limit is not None and len(view.rows) > limit:
        view.total, view.rows = len(view.rows), view.rows[:limit]
    return view


def visible_regions(store: FigureStore) -> list[str]:
    """The regions a filter may name for this store: a county officer's own, else every county (city first)."""
    if store.region_scope:
        return [store.region_scope]
    with store.session() as session:
        return [r.name for r in regions(session) if not r.is_city]


def chain_names(store: FigureStore) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(IndustryChain.name).order_by(IndustryChain.sort_order)))


# ---- a project's timeline --------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    stage: str
    on: date | None


@dataclass(frozen=True)
class Version:
    valid_from: date
    valid_to: date | None  # None: in force now
    stage: str
    total: float | None
    funds: float | None
    progress: str | None
    progress_on: date | None


@dataclass
class ProjectTimeline:
    project_id: int
    name: str
    region: str
    chain: str | None
    stage: str
    status: str
    reason: str
    as_of: date
    deadline: date | None
    milestones: list[Milestone]
    versions: list[Version]
    problems: list[tuple[str, str, str]]  # code, status, description

    @property
    def row_refs(self) -> list[str]:
        return [f"projects#{self.project_id}"]


def project_timeline(store: FigureStore, name: str) -> ProjectTimeline:
    """One project's stages with their dates and its dated ledger history (project_versions), oldest first."""
    with store.session() as session:
        names = list(session.scalars(select(Project.name)))
        found = [name] if name in names else match_names(name, names, "project")
        if not found:
            raise InvalidValue(f"项目库中没有名称含“{name}”的项目。")
        if len(found) > 1:
            raise InvalidValue(f"“{name}”对应多个项目：{'、'.join(found[:10])}。请写出完整名称。")
        project = session.scalars(select(Project).where(Project.name == found[0])).one()
        region = session.get(Region, project.region_id)
        assert region is not None
        check_region(store, resolve_region(session, region.name))
        day = ledger_date(session)
        [row] = load_ledger(session, None, Project.id == project.id)
        status, reason = status_of(row, day)
        history = [Version(v.valid_from, None if v.valid_to == OPEN_END else v.valid_to, v.stage,
                           v.total_investment_yi_yuan, v.funds_arrived_yi_yuan, v.progress, v.progress_on)
                   for v in session.scalars(select(ProjectVersion).where(ProjectVersion.project_id == project.id)
                                            .order_by(ProjectVersion.valid_from))]
        problems = [(p.code, p.status, p.description) for p in session.scalars(
            select(Problem).where(or_(Problem.project_id == project.id, Problem.project_name == project.name))
            .order_by(Problem.opened_on))]
        dates = {"线索": project.clue_on, "在谈": project.talks_on, "签约": project.signed_on,
                 "开工": project.started_on, "投产": project.operating_on}
        return ProjectTimeline(project.id, project.name, region.name, row.chain, project.stage, status, reason, day,
                               project.start_deadline, [Milestone(s, dates[s]) for s in PROJECT_STAGES], history,
                               problems)


# ---- the rows behind a 考核 point ---------------------------------------------------------------

INDICATOR_COLUMNS = [Column("地区"), Column("期间"), Column("指标"), Column("累计值", "amount"), Column("单位"),
                     Column("年度目标", "amount"), Column("完成进度（%）", "amount")]


def score_rows(store: FigureStore, table: str, row_ids: list[int]) -> LedgerView:
    """The database rows a 考核 point was computed from (indicators or the project ledger), within the store's
    scope."""
    ids = row_ids or [0]
    if table == "projects":
        with store.session() as session:
            day, rows, _, _ = _projects(session, store, LedgerFilter(), Project.id.in_(ids))
        return LedgerView("projects", "项目台账", PROJECT_COLUMNS, rows, "projects", day,
                          f"状态按{cn_date(day)}台账判定。{STATUS_RULE}", counts=_tally(rows))
    if table != "indicators":
        raise InvalidValue(f"考核得分不来自表“{table}”。")
    with store.session() as session:
        stmt = select(Indicator, Region).join(Region, Indicator.region_id == Region.id).where(Indicator.id.in_(ids))
        if store.region_scope:
            stmt = stmt.where(or_(Region.name == store.region_scope, Region.kind == "全市"))
        rows = []
        for ind, reg in session.execute(stmt.order_by(Region.sort_order)):
            done = (round(ind.value / ind.annual_target * 100, 2)
                    if ind.value is not None and ind.annual_target else None)
            rows.append(ViewRow(ind.id, f"{reg.name} {ind.period} {ind.metric}",
                                [reg.name, ind.period, ind.metric, ind.value, ind.unit, ind.annual_target, done]))
    return LedgerView("indicators", "县区指标", INDICATOR_COLUMNS, rows, "indicators", None,
                      "完成进度 = 累计值 ÷ 年度目标 × 100%")
