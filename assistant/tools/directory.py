"""Look-ups by name: one project (with its open problems), one enterprise (with its projects), the target
enterprise list by status, chain or category. Names match the way people type them: without the
"（示例）" tag, without the trailing 项目/有限公司, or as a distinctive part (锂电池正极材料)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.db.errors import InvalidValue
from assistant.db.models import (
    Contact,
    Enterprise,
    IndustryChain,
    Problem,
    ProblemProgress,
    Project,
    ProjectVersion,
    Region,
)
from assistant.db.reference import SIGNED_STAGES
from assistant.db.session import FigureStore
from assistant.db.vocab import normalise_name
from assistant.tools.common import other_region_units, provenance, resolve_chain
from assistant.tools.contacts import visit_line
from assistant.tools.lifecycle import ledger_date
from assistant.tools.registry import figure_tool
from assistant.tools.types import UNFILLED, Figure, Provenance, against_due, cn_date, format_value, solved_on

_TAGS = re.compile(r"[（(]示例[)）]")
_PROJECT_SUFFIX = re.compile(r"(?:建设)?项目$")
_COMPANY_SUFFIX = re.compile(r"(?:股份|集团)?有限(?:责任)?公司$|集团$|公司$")
# 对接状态 words people use for "still being followed"
ACTIVE_STATUSES = ("跟踪中", "对接中", "储备", "在谈")


def core_name(name: str, kind: str = "project") -> str:
    """The distinctive part of a project or enterprise name: 富硒茶精深加工项目（示例）→ 富硒茶精深加工."""
    text = _TAGS.sub("", normalise_name(name))
    return (_PROJECT_SUFFIX if kind == "project" else _COMPANY_SUFFIX).sub("", text) or text


# The industry words after a company's trade name (格力钛|新能源, 纵目|科技, 欣旺达|电子, 国轩|高科): staff call a
# company by what is left (格力钛那边下一步干啥, 纵目对接到哪了).
_INDUSTRY_WORDS = re.compile(r"(?:新能源|新材料|硅材料|材料|能源|电子|科技|高科|实业|投资|控股|发展|文旅|药业|物流|纺织|"
                             r"智能装备|装备|茶业|集团|股份)$")


def trade_name(name: str) -> str:
    """An enterprise's trade name: its core name without the industry words it ends with (格力钛新能源 → 格力钛)."""
    text = core_name(name, "enterprise")
    while (shorter := _INDUSTRY_WORDS.sub("", text)) != text and len(shorter) >= 2:
        text = shorter
    return text


def trade_names(names: list[str]) -> dict[str, str]:
    """Trade name → enterprise for the trade names only one enterprise has (示例 is many companies' and none's)."""
    by_short: dict[str, list[str]] = {}
    for name in names:
        by_short.setdefault(trade_name(name), []).append(name)
    return {short: mine[0] for short, mine in by_short.items() if len(mine) == 1 and len(short) >= 2}


def match_names(query: str, names: list[str], kind: str) -> list[str]:
    """Names the query refers to: exact, then by core name (either containing the other)."""
    q = normalise_name(query)
    exact = [n for n in names if normalise_name(n) == q]
    if exact:
        return exact
    qc = core_name(q, kind)
    if len(qc) < 2:
        return []
    return [n for n in names if (c := core_name(n, kind)) and (qc in c or (len(c) >= 3 and c in qc))]


@dataclass(frozen=True)
class _ProjectRow:
    id: int
    import_id: int
    name: str
    enterprise_name: str | None
    stage: str
    total_investment_yi_yuan: float | None
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds_arrived_yi_yuan: float | None
    is_foreign: bool
    foreign_amount_wan_usd: float | None
    note: str | None


class ProblemBrief(BaseModel):
    code: str
    description: str
    department: str
    status: str
    opened_on: date
    closed_on: date | None
    due_on: date | None = None
    latest_progress: str | None = None  # the newest 办理进展 with its date
    earlier_progress: list[str] = []  # the 办理进展 before it, oldest first (之前是咋帮企业的)
    escalation: str | None = None


class ProgressNote(BaseModel):
    noted_on: date  # 进展日期
    text: str
    issue: date  # the first ledger issue (填报日期) that carried it


class ProjectDetail(BaseModel):
    name: str
    region: str
    chain: str | None
    enterprise: str | None = Field(description="投资企业")
    stage: str
    total_investment_yi_yuan: float | None
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds_arrived_yi_yuan: float | None
    is_foreign: bool
    foreign_amount_wan_usd: float | None
    note: str | None
    # 两单一台账 (empty when the imported ledger did not carry them)
    lead_grade: str | None = Field(None, description="线索等级")
    source_unit: str | None = Field(None, description="来源/首谈单位")
    responsible_unit: str | None = Field(None, description="责任单位")
    lead_leader: str | None = Field(None, description="包抓领导")
    manager: str | None = Field(None, description="项目管家")
    build_type: str | None = Field(None, description="新建/续建")
    start_deadline: date | None = Field(None, description="约定开工期限")
    progress: str | None = Field(None, description="最新进展")
    progress_on: date | None = Field(None, description="进展日期")
    # every ledger column as text, 未填 for an empty cell (包抓领导 → 副市长（分管工业）): what a question asks of it
    columns: dict[str, str] = Field(default_factory=dict, description="台账各列（未填的为“未填”）")
    # the earlier issues' progress notes, oldest first, each once (取得施工许可证 on 2023-07-20): when a step was taken
    earlier_progress: list[ProgressNote] = Field(default_factory=list, description="此前各期台账的进展")
    # the investing company's record in the target-enterprise list (类别, 总部所在地, 对接状态, 跟踪责任单位), when it is
    # listed there: 这个项目的企业总部在哪 is one of the 五库 joined to another
    investor: dict[str, str] = Field(default_factory=dict, description="投资企业在目标企业库中的记录")
    problems: list[ProblemBrief]
    figures: list[Figure]
    provenance: Provenance
    summary: str


def _date(d: object) -> str:
    """2024年3月5日 for a date; empty for a missing one (the ledger fields come as one dict of mixed values)."""
    return cn_date(d) if isinstance(d, date) else ""


@figure_tool(
    "按名称查项目：阶段、投资、日期、到位资金和问题诉求",
    examples=[
        "锂电池正极材料项目现在什么进度？", "富硒茶精深加工项目开工了吗", "某某项目总投资多少、到位资金多少",
        "生物医药中间体项目的情况", "瀛湖康养度假区项目问题解决了没有", "这个项目是哪家企业投资的",
        "查一下硅材料项目", "纺织项目签约时间", "智能装备项目投产了没", "某项目的问题诉求办理到哪一步了",
        "某项目从线索到开工各个节点的时间", "某项目签约后多少天开的工", "某项目的线索是从哪来的，首谈单位是谁",
    ],
    slots={"name": "project"},
    requires=("project",),
    path="project",
)
def find_project(store: FigureStore, name: str) -> ProjectDetail:
    """按名称查一个项目：所在地区、产业链、企业、阶段、总投资、签约/开工/投产日期、到位资金，负责人（责任单位、包抓领导、项目管家），
    以及它在问题台账中的问题和办理状态。

    name：项目名称或其中有区分度的部分，如“锂电池正极材料”“富硒茶精深加工项目”。名称对应多个项目时报错并列出候选。
    """
    with store.session() as session:
        rows = list(session.execute(
            select(Project, Region, IndustryChain).join(Region, Project.region_id == Region.id)
            .outerjoin(IndustryChain, Project.chain_id == IndustryChain.id)
        ))
        if store.region_scope:
            rows = [t for t in rows if t[1].name == store.region_scope]
        names = match_names(name, [p.name for p, _, _ in rows], "project")
        if not names:
            raise InvalidValue(f"项目库中没有名称含“{name}”的项目{'（您的账号只能查本地区的项目）' if store.region_scope else ''}。"
                               "可用 list_projects 按地区、产业链或阶段列出项目。")
        if len(names) > 1:
            raise InvalidValue(f"“{name}”对应多个项目：{'、'.join(names[:10])}。请写出完整名称。")
        row, region_row, chain_row = next(t for t in rows if t[0].name == names[0])
        ledger = {"lead_grade": row.lead_grade, "source_unit": row.source_unit,
                  "responsible_unit": row.responsible_unit, "lead_leader": row.lead_leader, "manager": row.manager,
                  "build_type": row.build_type, "start_deadline": row.start_deadline, "progress": row.progress,
                  "progress_on": row.progress_on}
        project = _ProjectRow(row.id, row.import_id, row.name, row.enterprise_name, row.stage,
                              row.total_investment_yi_yuan, row.signed_on, row.started_on,
                              row.operating_on, row.funds_arrived_yi_yuan, row.is_foreign,
                              row.foreign_amount_wan_usd, row.note)
        region_name, chain_name = region_row.name, chain_row.name if chain_row else None
        clue_on, talks_on = row.clue_on, row.talks_on
        from assistant.tools.projects import (  # projects lists through this module
            LEDGER_COLUMNS,
            ledger_column_texts,
        )

        columns = ledger_column_texts(session, [row.id], list(LEDGER_COLUMNS)).get(row.id, {})
        earlier: dict[tuple[date, str], ProgressNote] = {}
        for version in session.scalars(select(ProjectVersion).where(ProjectVersion.project_id == row.id)
                                       .order_by(ProjectVersion.valid_from)):
            if version.progress and version.progress_on and (version.progress_on, version.progress) != (
                    row.progress_on, row.progress):
                earlier.setdefault((version.progress_on, version.progress),
                                   ProgressNote(noted_on=version.progress_on, text=version.progress,
                                                issue=version.valid_from))
        as_of = ledger_date(session)
        problems = sorted(session.scalars(select(Problem).where(
            (Problem.project_id == project.id) | (Problem.project_name == project.name))), key=lambda p: p.opened_on)
        prov = provenance(session, "projects", [(project.id, project.import_id)], None, None)
        company = session.scalar(select(Enterprise).where(Enterprise.name == project.enterprise_name)) \
            if project.enterprise_name else None
        investor = {label: value for label, value in (
            ("类别", company.category), ("总部所在地", company.headquarters), ("对接状态", company.status),
            ("跟踪责任单位", company.owner)) if value} if company else {}
        if company:
            eprov = provenance(session, "enterprises", [(company.id, company.import_id)], None, None)
            prov = prov.model_copy(update={"files": sorted(set(prov.files) | set(eprov.files))})
        if problems:
            pprov = provenance(session, "problems", [(p.id, p.import_id) for p in problems], None, None)
            prov = prov.model_copy(update={"formula": f"问题来自 problems 表第 {'、'.join(map(str, pprov.row_ids))} 行",
                                           "files": sorted(set(prov.files) | set(pprov.files))})
        latest: dict[int, str] = {}
        before_latest: dict[int, list[str]] = {}  # each problem's 办理进展 before its newest, oldest first
        for note in session.scalars(select(ProblemProgress).where(
                ProblemProgress.problem_id.in_([p.id for p in problems] or [0])).order_by(ProblemProgress.noted_on)):
            if note.problem_id in latest:
                before_latest.setdefault(note.problem_id, []).append(latest[note.problem_id])
            latest[note.problem_id] = f"{_date(note.noted_on)}{note.text}"
        briefs = [ProblemBrief(code=p.code, description=p.description, department=p.department, status=p.status,
                               opened_on=p.opened_on, closed_on=p.closed_on, due_on=p.due_on,
                               latest_progress=latest.get(p.id), earlier_progress=before_latest.get(p.id, []),
                               escalation=p.escalation) for p in problems]
    label = project.name
    figures = [Figure(label=f"{label} 总投资", value=project.total_investment_yi_yuan, unit="亿元", period=None,
                      provenance=prov),
               Figure(label=f"{label} 到位资金", value=project.funds_arrived_yi_yuan, unit="亿元", period=None,
                      provenance=prov)]
    if project.is_foreign:
        figures.append(Figure(label=f"{label} 外资金额", value=project.foreign_amount_wan_usd, unit="万美元",
                              period=None, provenance=prov))
    # a signed project's own 资金到位率 (考核办法: 项目累计到位资金 ÷ 项目合同总投资), with the formula beside it
    funds_rate = (round(project.funds_arrived_yi_yuan / project.total_investment_yi_yuan * 100, 2)
                  if project.stage in SIGNED_STAGES and project.funds_arrived_yi_yuan is not None
                  and project.total_investment_yi_yuan else None)
    if funds_rate is not None:
        rule = "资金到位率 = 到位资金 ÷ 总投资 × 100%"
        figures.append(Figure(label=f"{label} 资金到位率", value=funds_rate, unit="%", period=None,
                              provenance=prov.model_copy(update={"formula": rule})))
    dates = _timeline((("获取线索", clue_on), ("进入洽谈", talks_on), ("签约", project.signed_on),
                       ("开工", project.started_on), ("投产", project.operating_on)))
    # how long it has been at its stage, as of the ledger's date (进入在谈多长时间了, 签约到现在多少天)
    reached = {"线索": clue_on, "在谈": talks_on, "签约": project.signed_on, "开工": project.started_on,
               "投产": project.operating_on}.get(project.stage)
    held = (f"（{cn_date(reached)}起，截至{cn_date(as_of)}已 {(as_of - reached).days} 天）"
            if reached and reached <= as_of else "")
    parts = [f"{project.name}（{region_name}{'，' + chain_name + '产业链' if chain_name else ''}"
             f"{'，' + project.enterprise_name if project.enterprise_name else ''}）目前处于“{project.stage}”阶段{held}",
             f"总投资 {format_value(project.total_investment_yi_yuan, '亿元')}"]
    if dates:
        parts.append(dates)
    parts.append(f"到位资金 {format_value(project.funds_arrived_yi_yuan, '亿元')}"
                 + (f"（资金到位率 {format_value(funds_rate, '%')}）" if funds_rate is not None else ""))
    if project.is_foreign:  # a foreign project's money is also counted in 外资 (万美元), the figure beside it says so
        parts.append(f"外资金额 {format_value(project.foreign_amount_wan_usd, '万美元')}")
    summary = "，".join(parts) + "。"
    duties = "，".join(f"{label}{value}" for label, value in (
        ("线索等级", ledger["lead_grade"]), ("首谈单位", ledger["source_unit"]), ("责任单位", ledger["responsible_unit"]),
        ("包抓领导", ledger["lead_leader"]), ("项目管家", ledger["manager"]),
        ("约定开工期限", _date(ledger["start_deadline"]) + against_deadline(project.started_on, ledger["start_deadline"])))
        if value)
    if duties:
        summary += f"台账：{duties}。"
    if investor:
        summary += f"投资企业{project.enterprise_name}在目标企业库中：" + "，".join(
            f"{label}{value}" for label, value in investor.items()) + "。"
    if ledger["progress"]:
        summary += f"最新进展（{_date(ledger['progress_on'])}）：{ledger['progress']}。"
    if earlier:
        summary += "此前各期进展：" + "；".join(f"{_date(n.noted_on)} {n.text}" for n in earlier.values()) + "。"
    if briefs:
        summary += "问题台账：" + "；".join(
            f"{b.code}：{b.description}（{b.department}，{b.status}"
            f"{'，' + solved_on(b.opened_on, b.closed_on, due=b.due_on) if b.closed_on else ''}"
            f"{'，办结时限' + _date(b.due_on) if b.due_on and not b.closed_on else ''}"
            f"{'，协调层级' + b.escalation if b.escalation else ''}"
            f"{'，此前进展：' + '；'.join(b.earlier_progress) if b.earlier_progress else ''}"
            f"{'，最新进展：' + b.latest_progress if b.latest_progress else ''}）" for b in briefs) + "。"
    else:
        summary += "问题台账中没有该项目的问题。"
    return ProjectDetail(
        name=project.name, region=region_name, chain=chain_name, enterprise=project.enterprise_name,
        stage=project.stage, total_investment_yi_yuan=project.total_investment_yi_yuan, signed_on=project.signed_on,
        started_on=project.started_on, operating_on=project.operating_on,
        funds_arrived_yi_yuan=project.funds_arrived_yi_yuan, is_foreign=project.is_foreign,
        foreign_amount_wan_usd=project.foreign_amount_wan_usd, note=project.note, problems=briefs, figures=figures,
        provenance=prov, summary=summary, columns=columns, earlier_progress=list(earlier.values()), investor=investor,
        **ledger,
    )


class EnterpriseItem(BaseModel):
    name: str
    category: str
    headquarters: str | None
    chain: str | None
    status: str | None
    projects: list[str]
    owner: str | None = None  # 跟踪责任单位
    # each project's stage and funds as the ledger holds them (锂电池正极材料项目（示例）：开工，到位资金4.10亿元)
    project_states: list[str] = Field(default_factory=list)


class EnterpriseList(BaseModel):
    status: str | None
    chain: str | None
    category: str | None
    items: list[EnterpriseItem]
    count: int
    by_status: list[tuple[str, int]]
    figures: list[Figure]
    provenance: Provenance
    summary: str


PROJECTS_SHOWN_UP_TO = 10  # companies in a list whose projects' stage and funds are said beside them


class _ProjectState(NamedTuple):
    """A company's project as the ledger holds it: its stage, funds (亿元) and the row it is read from."""
    stage: str
    funds: float | None
    id: int
    import_id: int


@dataclass(frozen=True)
class _E:
    id: int
    import_id: int
    name: str
    category: str
    headquarters: str | None
    status: str | None
    owner: str | None = None


def _enterprise_rows(store: FigureStore, states: dict[str, _ProjectState] | None = None
                     ) -> list[tuple[_E, str | None, list[str]]]:
    """The enterprises with their chain and their projects' names; `states`, when given, is filled with each of those
    projects' stage, funds and row."""
    with store.session() as session:
        chains = {c.id: c.name for c in session.scalars(select(IndustryChain))}
        projects: dict[int, list[str]] = {}
        for p, r in session.execute(select(Project, Region).join(Region, Project.region_id == Region.id)):
            if p.enterprise_id is not None and (not store.region_scope or r.name == store.region_scope):
                projects.setdefault(p.enterprise_id, []).append(p.name)
                if states is not None:
                    funds = p.funds_arrived_yi_yuan
                    states[p.name] = _ProjectState(p.stage or "", float(funds) if funds is not None else None, p.id,
                                                   p.import_id)
        enterprises = sorted(session.scalars(select(Enterprise)), key=lambda e: e.id)
        if store.region_scope:  # another county's own leads (跟踪责任单位 紫阳县招商局…) are that county's rows
            others = other_region_units(session, store.region_scope)
            enterprises = [e for e in enterprises if not (e.owner and normalise_name(e.owner).startswith(others))]
        return [(_E(e.id, e.import_id, e.name, e.category, e.headquarters, e.status, e.owner),
                 chains.get(e.chain_id) if e.chain_id else None, projects.get(e.id, [])) for e in enterprises]


def _status_matches(wanted: str, status: str | None) -> bool:
    if not status:
        return False
    if wanted in ("跟踪", "在跟踪", "还在跟踪", "对接中", "跟踪中", "储备", "未签约"):
        return status in ACTIVE_STATUSES
    return normalise_name(wanted) in normalise_name(status)


@figure_tool(
    "目标企业库：按对接状态、产业链、类别列出企业并计数",
    examples=[
        "目标企业库里还在跟踪的企业有几家？", "已对接的500强企业有哪些", "新能源产业链的目标企业",
        "跟踪中的外资企业名单", "目标企业库一共多少家企业", "民营500强企业我们对接了哪些",
        "哪些企业已经签约了", "客商库里有哪些行业领军企业", "上海办负责跟踪的目标企业名单", "总部在深圳的目标企业有哪些",
        "哪些目标企业还没走访过", "哪些企业一个多月没去对接了",
    ],
    slots={"headquarters": "hq"},
    path="enterprises",
    rows="企业",
)
def list_enterprises(store: FigureStore, status: str | None = None, chain: str | None = None,
                     category: str | None = None, owner: str | None = None,
                     headquarters: str | None = None, unvisited: bool | None = None,
                     days: int | None = None) -> EnterpriseList:
    """目标企业库（客商库）：按对接状态（已对接、跟踪中、已签约；“在跟踪”“对接中”“储备”都按尚未签约的跟踪中企业）、
    “5+3”产业链、类别（中国500强、民营500强、行业领军、外资）筛选，列出企业及其在项目库中的项目，并按状态计数。

    status：可选，对接状态，如“已对接”“跟踪中”“在跟踪”“已签约”；chain：可选，“5+3”产业链名，“未填”为产业链一栏空着的企业；
    category：可选，类别，如“中国500强”“民营500强”“行业领军”“外资”；
    owner：可选，跟踪责任单位名称或其中有区分度的部分，如“驻深圳招商联络处”“深圳”，只列该单位负责跟踪的企业；
    headquarters：可选，总部所在地，如“深圳”，只列总部在那里的企业；
    unvisited：True 只列走访叩门记录中一次都没有的企业；与 days 同填时，列截至台账日期超过 days 天没有走访叩门记录的企业
    （含从未走访的），并写出各自最近一次对接的日期。都不填即全部企业。
    """
    chain_name = None
    if chain == UNFILLED:
        chain_name = UNFILLED  # 产业链一栏没标的: the companies the list gives no chain
    elif chain:
        with store.session() as session:
            chain_name = resolve_chain(session, chain).name
    states: dict[str, _ProjectState] = {}
    rows = _enterprise_rows(store, states)
    picked = [(e, c, ps) for e, c, ps in rows
              if (not status or _status_matches(status, e.status))
              and (not chain_name or c == chain_name or chain_name == UNFILLED and not c)
              and (not category or normalise_name(category) in normalise_name(e.category or ""))
              and (not owner or _same_owner(owner, e.owner))
              and (not headquarters or normalise_name(headquarters) in normalise_name(e.headquarters or ""))]
    last_seen: dict[int, date] = {}  # an enterprise's newest contact, where a number of days is asked
    as_of = None
    if unvisited:
        with store.session() as session:
            as_of = ledger_date(session) if days else None
            contacts = list(session.execute(select(Contact.enterprise_id, Contact.enterprise_name, Contact.held_on)))
        newest: dict[int | str, date] = {}
        for eid, ename, held in contacts:
            for key in (eid, normalise_name(ename or "")):
                if key and (key not in newest or held > newest[key]):
                    newest[key] = held
        for e, _, _ in picked:
            seen = [d for d in (newest.get(e.id), newest.get(normalise_name(e.name))) if d]
            if seen:
                last_seen[e.id] = max(seen)
        # never visited; or, with a number of days, not visited within them before the ledger's date
        picked = [(e, c, ps) for e, c, ps in picked if e.id not in last_seen
                  or as_of is not None and days is not None and (as_of - last_seen[e.id]).days > days]
    with store.session() as session:
        # none matched: the zero is a finding about the whole enterprise list looked through
        prov = provenance(session, "enterprises", [(e.id, e.import_id) for e, _, _ in picked or rows], None,
                          "“在跟踪”= 对接状态为“跟踪中”（或对接中、储备、在谈）" if status else None)
    items = [EnterpriseItem(name=e.name, category=e.category, headquarters=e.headquarters, chain=c, status=e.status,
                            projects=ps, owner=e.owner,
                            project_states=[f"{name}：{states[name].stage}" + (
                                f"，到位资金{format_value(states[name].funds, '亿元')}"
                                if states[name].funds is not None else "") for name in ps])
             for e, c, ps in picked]
    by_status = Counter(i.status or "未填" for i in items).most_common()
    units = "、".join(sorted({e.owner for e, _, _ in picked if e.owner})) or f"“{owner}”"
    quiet = (f"截至{cn_date(as_of)}超过 {days} 天没有走访叩门记录的" if as_of is not None and days
             else "没有走访叩门记录的" if unvisited else None)
    scope = "".join(filter(None, [quiet, headquarters and f"总部在{headquarters}的", owner and f"由{units}跟踪的",
                                  chain_name and ("产业链未填的" if chain_name == UNFILLED else f"{chain_name}产业链"),
                                  category,
                                  status and f"“{status}”"]))
    figures = [Figure(label=f"目标企业库{scope}企业数", value=len(items), unit="家", period=None, provenance=prov)]
    # a short list says where each company's projects stand (谁投的项目还没开工, 在咱这的项目到位了多少): the ledger's
    # rows, traced to the projects table
    shown_projects = len(items) <= PROJECTS_SHOWN_UP_TO and any(i.project_states for i in items)
    if shown_projects:
        shown = [(name, states[name]) for i in items for name in i.projects]
        with store.session() as session:  # (the rows read above: a county officer's own projects only)
            project_prov = provenance(session, "projects", [(st.id, st.import_id) for _, st in shown], None, None)
        figures += [Figure(label=f"{name}到位资金", value=st.funds, unit="亿元", period=None, provenance=project_prov)
                    for name, st in shown if st.funds is not None]
    if items:
        # each company's 对接状态 unless the question chose one (how far each is along is what a list is asked for)
        names = "、".join(i.name + (f"（{'，'.join(notes)}）" if (notes := [
            *([i.status] if i.status and not status else []),
            *([f"{i.owner}跟踪"] if i.owner and not owner else []),
            *([f"最近一次对接{cn_date(d)}" if (d := last_seen.get(e.id)) else "从未走访"] if as_of is not None else []),
            *(["项目：" + "；".join(i.project_states)] if shown_projects and i.project_states else [])])
            else "") for i, (e, _, _) in zip(items[:30], picked, strict=False))
        summary = f"目标企业库中{scope}企业共 {len(items)} 家：{names}"
        if len(by_status) > 1:
            summary += "（" + "，".join(f"{s} {n} 家" for s, n in by_status) + "）"
        summary += "。"
    else:
        summary = f"目标企业库中没有{scope}的企业。"
    return EnterpriseList(status=status, chain=chain_name, category=category, items=items, count=len(items),
                          by_status=by_status, figures=figures, provenance=prov, summary=summary)


def against_deadline(started: date | None, deadline: object) -> str:
    """（实际比期限提前 66 天开工）: how the start stood against the agreed 约定开工期限, when both are known."""
    if started is None or not isinstance(deadline, date):
        return ""
    return f"（{'' if started == deadline else '实际'}{against_due(started, deadline, '期限')}开工）"


def _timeline(steps: tuple[tuple[str, date | None], ...]) -> str:
    """The lifecycle dates a project has, each after the first with the days since the step before it
    (签约于2023年5月12日，开工于2023年6月20日（签约后 39 天））: how long each step took is what a timeline is read for."""
    reached = [(step, day) for step, day in steps if day]
    return "，".join(f"{step}于{_date(day)}" + (f"（{reached[i - 1][0][-2:]}后 {(day - reached[i - 1][1]).days} 天）"
                                               if i else "") for i, (step, day) in enumerate(reached))


def _same_owner(asked: str, owner: str | None) -> bool:
    """A 跟踪责任单位 as asked (驻深圳招商联络处, 深圳联络处, 深圳办, 深圳) matches the ledger's spelling of it."""
    if not owner:
        return False
    core = re.sub(r"^驻|招商|联络处|办事处|办$", "", asked)
    return asked in owner or (len(core) >= 2 and core in owner)


@figure_tool(
    "按名称查目标企业：类别、总部、产业链、对接状态、跟踪责任单位和在本市的项目",
    examples=[
        "宁德时代对接得怎么样了？", "通威集团在我们这有项目吗", "欣旺达是什么状态", "某某集团是哪条产业链的",
        "国轩高科总部在哪", "京东集团对接情况",
    ],
    slots={"name": "enterprise"},
    requires=("enterprise",),
    path="enterprise",
)
def find_enterprise(store: FigureStore, name: str) -> EnterpriseList:
    """按名称查一家目标企业：类别、总部所在地、产业链、对接状态、跟踪责任单位（谁在跟）、最近一次走访叩门记录，以及它在项目库中
    的项目。

    name：企业名称或其中有区分度的部分，如“宁德时代”“通威”。
    """
    rows = _enterprise_rows(store)
    names = match_names(name, [e.name for e, _, _ in rows], "enterprise")
    if not names:
        raise InvalidValue(f"目标企业库中没有名称含“{name}”的企业。可用 list_enterprises 按状态或产业链列出。")
    picked = [(e, c, ps) for e, c, ps in rows if e.name in names]
    with store.session() as session:
        prov = provenance(session, "enterprises", [(e.id, e.import_id) for e, _, _ in picked], None, None)
        # how many projects each has is read off the project ledger: its rows of the company, or all it looked at
        figures = []
        ledger = select(Project.id, Project.import_id).join(Region, Project.region_id == Region.id)
        if store.region_scope:  # a county officer's count is of their own region's projects
            ledger = ledger.where(Region.name == store.region_scope)
        # the latest visit to each (上回去是哪天，聊了些啥): its record, with the others counted
        visits: dict[int, str] = {}
        for e, _, _ in picked:
            records = list(session.scalars(select(Contact).where(
                (Contact.enterprise_id == e.id) | (Contact.enterprise_name == e.name)).order_by(Contact.held_on.desc())))
            if records:
                last = records[0]
                visits[e.id] = (f"，走访叩门记录（contacts 表）{len(records)} 次，最近一次："
                                + visit_line(last.held_on, last.unit, last.visitors, last.method, last.outcome))
        for e, _, ps in picked:
            owned = list(session.execute(ledger.where(Project.enterprise_id == e.id)))
            looked = owned or list(session.execute(ledger))
            figures.append(Figure(label=f"{e.name}在项目库中的项目数", value=len(ps), unit="个", period=None,
                                  provenance=provenance(session, "projects", [(i, m) for i, m in looked], None,
                                                        "项目库中企业为该企业的项目")))
    items = [EnterpriseItem(name=e.name, category=e.category, headquarters=e.headquarters, chain=c, status=e.status,
                            projects=ps, owner=e.owner) for e, c, ps in picked]
    lines = []
    for (e, _, _), i in zip(picked, items, strict=True):
        where = f"，总部{i.headquarters}" if i.headquarters else ""
        chain = f"，{i.chain}产业链" if i.chain else ""
        projects = f"，项目库中的项目：{'、'.join(i.projects)}" if i.projects else "，项目库中暂无其项目"
        owner = f"，跟踪责任单位：{i.owner}" if i.owner else ""
        visit = visits.get(e.id, "")
        lines.append(f"{i.name}（{i.category}{where}{chain}）对接状态：{i.status or '未填'}{owner}{visit}{projects}")
    return EnterpriseList(status=None, chain=None, category=None, items=items, count=len(items),
                          by_status=Counter(i.status or "未填" for i in items).most_common(), figures=figures,
                          provenance=prov, summary="；".join(lines) + "。")
