"""Parsing project, enterprise, event and problem-ledger files into validated records. Pure.

Each parser checks every row, collects every bad cell and raises ImportRejected listing them all;
it returns records only when the whole file is good.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from assistant.db.errors import ImportFormatError, ImportRejected, InvalidValue, RowProblem, UnknownChain
from assistant.db.reference import (
    BUILD_TYPE_ALIASES,
    BUILD_TYPES,
    CONTACT_METHODS,
    ENTERPRISE_CATEGORIES,
    ESCALATION_ALIASES,
    ESCALATIONS,
    EVALUATIONS,
    LEAD_GRADE_ALIASES,
    LEAD_GRADES,
    PROJECT_STAGES,
)
from assistant.db.tabular import (
    CellError,
    ColumnSpec,
    Grid,
    RowReader,
    find_header,
    is_blank,
    is_footnote,
    parse_bool,
    parse_date,
    parse_int,
)
from assistant.db.vocab import (
    NameIndex,
    normalise_name,
    resolve_choice,
    resolve_problem_status,
    resolve_stage,
)

R = TypeVar("R")


@dataclass
class Lookups:
    """Names already in the database that rows may refer to."""

    regions: NameIndex
    chains: NameIndex
    project_regions: dict[str, str]  # project name -> its region
    offices: NameIndex = field(default_factory=lambda: NameIndex(()))


_STATED_DATE = re.compile(r"(?:截至|截止|截至日期|填报日期|统计日期|报送日期|台账日期)[：:\s]*"
                          r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)")
_FILE_DATE = re.compile(r"(20\d{2})[-_.年]?(\d{2})[-_.月]?(\d{2})")


def stated_as_of(grid: Grid, header_row: int, column_dates: list[tuple[int, date]], label: str,
                 problems: list[RowProblem]) -> date | None:
    """The date a ledger file stands at: its 填报日期 column (one date for the whole file), else a 截至…日
    line above the header, else a date in the file name (projects_2023-07-28.csv); None when it states none."""
    if column_dates:
        first_row, first = column_dates[0]
        for row_no, value in column_dates[1:]:
            if value != first:
                problems.append(RowProblem(row_no, label, value.isoformat(),
                                           f"同一文件的填报日期应相同（第 {first_row} 行为 {first.isoformat()}）"))
        return first
    for cells in grid.rows[:header_row]:
        for cell in cells:
            if m := _STATED_DATE.search(cell.replace(" ", "")):
                try:
                    return parse_date(m.group(1))
                except CellError:
                    continue
    if m := _FILE_DATE.search(grid.path.stem):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _chain(lookups: Lookups) -> Callable[[str], str | None]:
    def resolve(text: str) -> str | None:
        if is_blank(text) or text.strip() in ("其他", "非重点产业链"):
            return None
        name = lookups.chains.get(text)
        if name is None:
            raise UnknownChain(text, lookups.chains.names)
        return name

    return resolve


def _region(lookups: Lookups) -> Callable[[str], str | None]:
    def resolve(text: str) -> str | None:
        if is_blank(text):
            return None
        name = lookups.regions.get(text)
        if name is None:
            raise InvalidValue("未知地区")
        return name

    return resolve


def _rows(grid: Grid, specs: Sequence[ColumnSpec], template: str, problems: list[RowProblem]
          ) -> list[RowReader]:
    header = find_header(grid, specs, template)
    readers = []
    for row_index in range(header.row_index + 1, len(grid.rows)):
        row = grid.rows[row_index]
        if all(is_blank(cell) for cell in row) or (row and is_footnote(row[0])):
            continue
        readers.append(RowReader(grid, header, row_index, problems))
    return readers


def _finish(grid: Grid, records: list[R], keys: list[tuple[int, str, str, Hashable]],
            problems: list[RowProblem], lookups: Lookups) -> list[R]:
    seen: dict[Hashable, int] = {}
    for row, column, shown, key in keys:
        if key in seen:
            problems.append(RowProblem(row, column, shown, f"与第 {seen[key]} 行重复"))
        else:
            seen[key] = row
    if problems:
        footer = []
        if any(p.reason == "未知地区" for p in problems):
            footer.append(f"已知地区：{'、'.join(lookups.regions.names)}（也可用简称，如“汉滨”“旬阳”“高新”）。")
        raise ImportRejected(grid.path, problems, footer)
    if not records:
        raise ImportFormatError(grid.path, "文件中没有数据行。")
    return records


# ---- enterprises ---------------------------------------------------------------------------

ENTERPRISE_TEMPLATE = "企业名称,类别,总部所在地,产业链,对接状态,备注"
ENTERPRISE_SPECS = (
    ColumnSpec("name", ("企业名称", "企业", "名称"), required=True),
    ColumnSpec("category", ("类别", "企业类别", "类型"), required=True),
    ColumnSpec("headquarters", ("总部所在地", "总部", "所在地")),
    ColumnSpec("chain", ("产业链", "所属产业链")),
    ColumnSpec("status", ("对接状态", "状态", "跟踪状态")),
    ColumnSpec("note", ("备注", "说明")),
    ColumnSpec("owner", ("跟踪责任单位", "责任单位", "跟踪单位", "责任人", "对接责任人")),
)


@dataclass(frozen=True)
class EnterpriseRecord:
    row: int
    name: str
    category: str
    headquarters: str | None
    chain: str | None
    status: str | None
    note: str | None
    owner: str | None = None


def _categories(text: str) -> str:
    parts = [p for p in re.split(r"[、,，;；/\s]+", text.strip()) if p]
    bad = [p for p in parts if p not in ENTERPRISE_CATEGORIES]
    if bad or not parts:
        raise CellError(f"类别应为：{'、'.join(ENTERPRISE_CATEGORIES)}（可用“、”分隔多个）")
    return "、".join(parts)


def parse_enterprises(grid: Grid, lookups: Lookups) -> list[EnterpriseRecord]:
    """解析目标企业库文件。"""
    problems: list[RowProblem] = []
    records: list[EnterpriseRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, ENTERPRISE_SPECS, ENTERPRISE_TEMPLATE, problems):
        name = r.text("name", required=True)
        category = r.parse("category", _categories, required=True)
        chain = r.parse("chain", _chain(lookups))
        record = EnterpriseRecord(r.row_no, name or "", category or "", r.text("headquarters"), chain,
                                  r.text("status"), r.text("note"), r.text("owner"))
        if name:
            keys.append((r.row_no, r.label("name"), name, normalise_name(name)))
        if r.ok:
            records.append(record)
    return _finish(grid, records, keys, problems, lookups)


# ---- projects ------------------------------------------------------------------------------

PROJECT_TEMPLATE = (
    "项目名称,地区,产业链,企业,总投资（亿元）,阶段,签约日期,开工日期,投产日期,到位资金（亿元）,"
    "是否外资,外资金额（万美元）,备注"
)
# The full 项目台账 (两单一台账) header; every column after 备注 is optional, so files in PROJECT_TEMPLATE's
# shape still import.
LEDGER_TEMPLATE = (
    PROJECT_TEMPLATE + ",线索等级,线索日期,在谈日期,来源/首谈单位,责任单位,包抓领导,项目管家,新建/续建,制造业,"
    "当年到位资金（亿元）,约定开工期限,最新进展,进展日期,填报日期"
)
PROJECT_SPECS = (
    ColumnSpec("name", ("项目名称", "项目"), required=True),
    ColumnSpec("region", ("地区", "所在地区", "县区", "所属地区", "落地地区"), required=True),
    ColumnSpec("chain", ("产业链", "所属产业链")),
    ColumnSpec("enterprise", ("企业", "企业名称", "投资企业", "投资方")),
    ColumnSpec("total", ("总投资", "总投资额", "计划总投资")),
    ColumnSpec("stage", ("阶段", "项目阶段", "进展阶段", "项目状态"), required=True),
    ColumnSpec("signed_on", ("签约日期", "签约时间")),
    ColumnSpec("started_on", ("开工日期", "开工时间")),
    ColumnSpec("operating_on", ("投产日期", "投产时间")),
    ColumnSpec("funds", ("到位资金", "累计到位资金", "实际到位资金")),
    ColumnSpec("is_foreign", ("是否外资", "外资项目")),
    ColumnSpec("foreign_amount", ("外资金额", "利用外资额", "外资到位")),
    ColumnSpec("note", ("备注", "说明")),
    ColumnSpec("lead_grade", ("线索等级", "项目等级", "等级")),
    ColumnSpec("clue_on", ("线索日期", "线索时间", "获取线索日期")),
    ColumnSpec("talks_on", ("在谈日期", "洽谈日期", "首谈日期", "在谈时间")),
    ColumnSpec("source", ("来源/首谈单位", "来源", "首谈单位", "线索来源", "信息来源", "来源单位")),
    ColumnSpec("responsible", ("责任单位", "落实单位", "承办单位")),
    ColumnSpec("leader", ("包抓领导", "包联领导", "联系领导")),
    ColumnSpec("manager", ("项目管家", "服务管家", "管家")),
    ColumnSpec("build_type", ("新建/续建", "新建续建", "建设性质")),
    ColumnSpec("manufacturing", ("制造业", "是否制造业", "制造业项目")),
    ColumnSpec("funds_year", ("当年到位资金", "本年到位资金", "年度到位资金")),
    ColumnSpec("deadline", ("约定开工期限", "约定开工日期", "开工期限", "合同约定开工日期")),
    ColumnSpec("progress", ("最新进展", "进展情况", "项目进展", "进展")),
    ColumnSpec("progress_on", ("进展日期", "进展更新日期", "更新日期")),
    ColumnSpec("as_of", ("填报日期", "截至日期", "台账日期", "报送日期", "统计日期")),
)
_STAGE_DATES = (("线索", "clue_on", "线索日期"), ("在谈", "talks_on", "在谈日期"), ("签约", "signed_on", "签约日期"),
                ("开工", "started_on", "开工日期"), ("投产", "operating_on", "投产日期"))
_REQUIRED_FROM = ("签约", "开工", "投产")  # stages whose date must be filled (线索, 在谈 dates are optional)


@dataclass(frozen=True)
class ProjectRecord:
    row: int
    name: str
    region: str
    chain: str | None
    enterprise_name: str | None
    total_investment_yi_yuan: Decimal | None
    stage: str
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    funds_arrived_yi_yuan: Decimal | None
    is_foreign: bool
    foreign_amount_wan_usd: Decimal | None
    note: str | None
    lead_grade: str | None = None
    clue_on: date | None = None
    talks_on: date | None = None
    source_unit: str | None = None
    office: str | None = None  # the 联络处 the source names, when it is one
    responsible_unit: str | None = None
    lead_leader: str | None = None
    manager: str | None = None
    build_type: str | None = None
    is_manufacturing: bool | None = None
    funds_this_year_yi_yuan: Decimal | None = None
    start_deadline: date | None = None
    progress: str | None = None
    progress_on: date | None = None


@dataclass
class ProjectFile:
    """A parsed project ledger: its rows and the date it stands at (None when the file states none)."""

    records: list[ProjectRecord]
    as_of: date | None


def _check_project(r: RowReader, stage: str, dates: dict[str, date | None], total: Decimal | None,
                   funds: Decimal | None, is_foreign: bool | None, foreign: Decimal | None) -> None:
    reached = PROJECT_STAGES.index(stage)
    for needed, field_name, label in _STAGE_DATES:
        if needed in _REQUIRED_FROM and reached >= PROJECT_STAGES.index(needed) and dates[field_name] is None:
            r.problem(field_name, f"阶段为“{stage}”时必须填写{label}", r.raw(field_name))
        if reached < PROJECT_STAGES.index(needed) and dates[field_name] is not None:
            r.problem(field_name, f"阶段为“{stage}”，不应有{label}（请核对阶段）")
    ordered = [(f, d) for f, d in dates.items() if d is not None]
    for (f1, d1), (f2, d2) in zip(ordered, ordered[1:], strict=False):
        if d1 and d2 and d2 < d1:
            r.problem(f2, f"早于{r.label(f1)}（{d1.isoformat()}）")
    if total is not None and funds is not None and funds > total:
        r.problem("funds", "到位资金大于总投资")
    if foreign and is_foreign is False:
        r.problem("foreign_amount", "填写了外资金额，但“是否外资”为否")


def _source_office(lookups: Lookups, source: str | None) -> str | None:
    """The 联络处 a 来源/首谈单位 names (驻深圳招商联络处, 深圳联络处), if it is one."""
    if not source:
        return None
    return lookups.offices.get(source) or lookups.offices.find_in(source)


def parse_projects(grid: Grid, lookups: Lookups) -> list[ProjectRecord]:
    """解析项目库文件。金额列按表头括号中的单位换算为亿元 / 万美元。"""
    return parse_project_ledger(grid, lookups).records


def parse_project_ledger(grid: Grid, lookups: Lookups) -> ProjectFile:
    """解析项目台账（项目库）文件，连同它的填报日期（填报日期列、表头上方“截至…”或文件名中的日期）。

    台账列（线索等级、来源/首谈单位、责任单位、包抓领导、项目管家、约定开工期限、最新进展等）都可省略。"""
    problems: list[RowProblem] = []
    records: list[ProjectRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    header = find_header(grid, PROJECT_SPECS, PROJECT_TEMPLATE)
    rows = _rows(grid, PROJECT_SPECS, PROJECT_TEMPLATE, problems)
    column_dates = [(r.row_no, d) for r in rows if (d := r.parse("as_of", parse_date)) is not None]
    as_of = stated_as_of(grid, header.row_index, column_dates, rows[0].label("as_of") if rows else "填报日期", problems)
    for r in rows:
        name = r.text("name", required=True)
        region = r.parse("region", _region(lookups), required=True)
        chain = r.parse("chain", _chain(lookups))
        total = r.amount("total", "亿元")
        stage = r.parse("stage", resolve_stage, required=True)
        dates = {field_name: r.parse(field_name, parse_date) for _, field_name, _ in _STAGE_DATES}
        funds = r.amount("funds", "亿元")
        funds_year = r.amount("funds_year", "亿元")
        is_foreign = r.parse("is_foreign", parse_bool)
        foreign = r.amount("foreign_amount", "万美元")
        grade = r.parse("lead_grade", lambda t: None if is_blank(t) else resolve_choice(
            t, LEAD_GRADES, LEAD_GRADE_ALIASES, "线索等级"))
        build_type = r.parse("build_type", lambda t: None if is_blank(t) else resolve_choice(
            t, BUILD_TYPES, BUILD_TYPE_ALIASES, "建设性质"))
        manufacturing = r.parse("manufacturing", parse_bool)
        deadline = r.parse("deadline", parse_date)
        progress, progress_on = r.text("progress"), r.parse("progress_on", parse_date)
        if stage and r.ok:
            _check_project(r, stage, dates, total, funds, is_foreign, foreign)
        if deadline and dates["signed_on"] and deadline < dates["signed_on"]:
            r.problem("deadline", f"约定开工期限早于签约日期（{dates['signed_on'].isoformat()}）")
        if funds_year is not None and funds is not None and funds_year > funds:
            r.problem("funds_year", f"当年到位资金大于累计到位资金（{funds}）")
        if progress and progress_on is None:
            r.problem("progress_on", "填写了最新进展时必须填写进展日期", r.raw("progress_on"))
        if as_of:
            for field_name, value in (*dates.items(), ("progress_on", progress_on)):
                if value and value > as_of:
                    r.problem(field_name, f"晚于填报日期（{as_of.isoformat()}）")
        if name:
            keys.append((r.row_no, r.label("name"), name, normalise_name(name)))
        if r.ok and name and region and stage:
            source = r.text("source")
            records.append(ProjectRecord(
                r.row_no, name, region, chain, r.text("enterprise"), total, stage, dates["signed_on"],
                dates["started_on"], dates["operating_on"], funds, bool(is_foreign or foreign), foreign,
                r.text("note"), grade, dates["clue_on"], dates["talks_on"], source, _source_office(lookups, source),
                r.text("responsible"), r.text("leader"), r.text("manager"), build_type, manufacturing, funds_year,
                deadline, progress, progress_on,
            ))
    return ProjectFile(_finish(grid, records, keys, problems, lookups), as_of)


# ---- events --------------------------------------------------------------------------------

EVENT_TEMPLATE = "日期,城市,活动名称,类型,出席领导,签约项目数,签约金额（亿元）,备注"
EVENT_SPECS = (
    ColumnSpec("title", ("活动名称", "名称", "活动"), required=True),
    ColumnSpec("held_on", ("日期", "活动日期", "举办日期"), required=True),
    ColumnSpec("city", ("城市", "举办地", "地点", "举办城市"), required=True),
    ColumnSpec("category", ("类型", "活动类型")),
    ColumnSpec("leaders", ("出席领导", "带队领导", "领导")),
    ColumnSpec("contracts", ("签约项目数", "签约项目", "签约个数", "签约合同数")),
    ColumnSpec("amount", ("签约金额", "签约总额", "签约总投资", "金额")),
    ColumnSpec("note", ("备注", "说明")),
)


@dataclass(frozen=True)
class EventRecord:
    row: int
    held_on: date
    city: str
    title: str
    category: str | None
    leaders: str | None
    contracts_signed: int | None
    amount_yi_yuan: Decimal | None
    note: str | None


def parse_events(grid: Grid, lookups: Lookups) -> list[EventRecord]:
    """解析招商活动文件。"""
    problems: list[RowProblem] = []
    records: list[EventRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, EVENT_SPECS, EVENT_TEMPLATE, problems):
        title = r.text("title", required=True)
        held_on = r.parse("held_on", parse_date, required=True)
        city = r.text("city", required=True)
        contracts = r.parse("contracts", parse_int)
        if contracts is not None and contracts < 0:
            r.problem("contracts", "不能为负数")
        amount = r.amount("amount", "亿元")
        if title and held_on:
            keys.append((r.row_no, r.label("title"), title, (held_on, normalise_name(title))))
        if r.ok and title and held_on and city:
            records.append(EventRecord(r.row_no, held_on, city, title, r.text("category"), r.text("leaders"),
                                       contracts, amount, r.text("note")))
    return _finish(grid, records, keys, problems, lookups)


# ---- problems ------------------------------------------------------------------------------

PROBLEM_TEMPLATE = "编号,项目名称,地区,问题描述,责任部门,状态,提出日期,解决日期"
PROBLEM_SPECS = (
    ColumnSpec("description", ("问题描述", "问题", "问题内容", "存在问题"), required=True),
    ColumnSpec("code", ("编号", "问题编号")),
    ColumnSpec("project", ("项目名称", "项目")),
    ColumnSpec("region", ("地区", "县区", "所在地区")),
    ColumnSpec("department", ("责任部门", "责任单位", "牵头部门"), required=True),
    ColumnSpec("status", ("状态", "办理状态", "进展状态"), required=True),
    ColumnSpec("opened_on", ("提出日期", "登记日期", "提出时间"), required=True),
    ColumnSpec("closed_on", ("解决日期", "办结日期", "解决时间")),
    ColumnSpec("due_on", ("办结时限", "办理时限", "限办日期", "完成时限")),
    ColumnSpec("progress", ("办理进展", "进展情况", "最新进展")),
    ColumnSpec("progress_on", ("进展日期", "进展更新日期", "更新日期")),
    ColumnSpec("escalation", ("协调层级", "提级层级", "协调级别", "层级")),
    ColumnSpec("evaluation", ("企业评价", "评价", "满意度")),
    ColumnSpec("as_of", ("填报日期", "截至日期", "台账日期", "报送日期", "统计日期")),
)
PROBLEM_LEDGER_TEMPLATE = PROBLEM_TEMPLATE + ",办结时限,办理进展,进展日期,协调层级,企业评价"


@dataclass(frozen=True)
class ProblemRecord:
    row: int
    code: str
    project_name: str | None
    region: str
    description: str
    department: str
    status: str
    opened_on: date
    closed_on: date | None
    due_on: date | None = None
    progress: str | None = None
    progress_on: date | None = None
    escalation: str | None = None
    evaluation: str | None = None


def _problem_region(r: RowReader, lookups: Lookups, project: str | None, region: str | None) -> str | None:
    project_region = None
    if project is not None:
        project_region = lookups.project_regions.get(normalise_name(project))
        if project_region is None:
            r.problem("project", "项目库中没有该项目（请先导入项目库，或不填项目名称只填地区）")
            return None
    if region and project_region and region != project_region:
        r.problem("region", f"与项目所在地区“{project_region}”不一致")
    if not region and not project_region:
        r.problem("region", "地区和项目名称至少填写一项")
    return region or project_region


def parse_problems(grid: Grid, lookups: Lookups) -> list[ProblemRecord]:
    """解析问题台账文件。项目名称须已在项目库中。"""
    return parse_problem_ledger(grid, lookups)[0]


def parse_problem_ledger(grid: Grid, lookups: Lookups) -> tuple[list[ProblemRecord], date | None]:
    """解析问题台账文件及其填报日期。项目名称须已在项目库中。"""
    problems: list[RowProblem] = []
    records: list[ProblemRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    header = find_header(grid, PROBLEM_SPECS, PROBLEM_TEMPLATE)
    rows = _rows(grid, PROBLEM_SPECS, PROBLEM_TEMPLATE, problems)
    column_dates = [(r.row_no, d) for r in rows if (d := r.parse("as_of", parse_date)) is not None]
    as_of = stated_as_of(grid, header.row_index, column_dates, rows[0].label("as_of") if rows else "填报日期", problems)
    for r in rows:
        description = r.text("description", required=True)
        project = r.text("project")
        region = _problem_region(r, lookups, project, r.parse("region", _region(lookups)))
        department = r.text("department", required=True)
        status = r.parse("status", resolve_problem_status, required=True)
        opened = r.parse("opened_on", parse_date, required=True)
        closed = r.parse("closed_on", parse_date)
        if status == "已解决" and closed is None and r.ok:
            r.problem("closed_on", "状态为“已解决”时必须填写解决日期")
        if status and status != "已解决" and closed is not None:
            r.problem("closed_on", f"状态为“{status}”，不应有解决日期")
        if opened and closed and closed < opened:
            r.problem("closed_on", f"早于提出日期（{opened.isoformat()}）")
        due = r.parse("due_on", parse_date)
        if opened and due and due < opened:
            r.problem("due_on", f"办结时限早于提出日期（{opened.isoformat()}）")
        progress, progress_on = r.text("progress"), r.parse("progress_on", parse_date)
        if progress and progress_on is None:
            r.problem("progress_on", "填写了办理进展时必须填写进展日期", r.raw("progress_on"))
        if opened and progress_on and progress_on < opened:
            r.problem("progress_on", f"早于提出日期（{opened.isoformat()}）")
        escalation = r.parse("escalation", lambda t: None if is_blank(t) else resolve_choice(
            t, ESCALATIONS, ESCALATION_ALIASES, "协调层级"))
        evaluation = r.parse("evaluation", lambda t: None if is_blank(t) else resolve_choice(
            t, EVALUATIONS, {}, "企业评价"))
        if evaluation and status and status != "已解决":
            r.problem("evaluation", f"状态为“{status}”，问题办结后才有企业评价")
        code = r.text("code")
        if code is None and description:
            digest = hashlib.sha1(f"{project or region}|{normalise_name(description)}".encode()).hexdigest()
            code = f"auto-{digest[:16]}"
        if code:
            keys.append((r.row_no, r.label("code") if r.raw("code") else r.label("description"), code, code))
        if r.ok and description and region and department and status and opened and code:
            records.append(ProblemRecord(r.row_no, code, project, region, description, department, status,
                                         opened, closed, due, progress, progress_on, escalation, evaluation))
        if as_of and progress_on and progress_on > as_of:
            r.problem("progress_on", f"晚于填报日期（{as_of.isoformat()}）")
    return _finish(grid, records, keys, problems, lookups), as_of


# ---- offices (驻外招商联络处) ------------------------------------------------------------------

OFFICE_TEMPLATE = "联络处名称,驻地城市,简称,负责人,设立日期,备注"
OFFICE_SPECS = (
    ColumnSpec("name", ("联络处名称", "联络处", "驻外机构", "分局名称", "名称"), required=True),
    ColumnSpec("city", ("驻地城市", "驻地", "城市", "所在城市"), required=True),
    ColumnSpec("aliases", ("简称", "别名")),
    ColumnSpec("head", ("负责人", "处长", "联系人")),
    ColumnSpec("founded_on", ("设立日期", "成立日期", "设立时间")),
    ColumnSpec("note", ("备注", "说明")),
)


@dataclass(frozen=True)
class OfficeRecord:
    row: int
    name: str
    city: str
    aliases: tuple[str, ...]
    head: str | None
    founded_on: date | None
    note: str | None


def parse_offices(grid: Grid, lookups: Lookups) -> list[OfficeRecord]:
    """解析驻外招商联络处（驻外分局）配置文件。简称可用“、”分隔多个。"""
    problems: list[RowProblem] = []
    records: list[OfficeRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, OFFICE_SPECS, OFFICE_TEMPLATE, problems):
        name = r.text("name", required=True)
        city = r.text("city", required=True)
        aliases = tuple(a for a in re.split(r"[、,，;；/\s]+", r.text("aliases") or "") if a)
        founded = r.parse("founded_on", parse_date)
        if name:
            keys.append((r.row_no, r.label("name"), name, normalise_name(name)))
        if r.ok and name and city:
            records.append(OfficeRecord(r.row_no, name, city, aliases, r.text("head"), founded, r.text("note")))
    return _finish(grid, records, keys, problems, lookups)


# ---- contacts (走访 / 叩门记录) ---------------------------------------------------------------

CONTACT_TEMPLATE = "日期,企业名称,对接单位,走访人员,方式,对接成果,下一步"
CONTACT_SPECS = (
    ColumnSpec("enterprise", ("企业名称", "企业", "对接企业", "走访企业"), required=True),
    ColumnSpec("held_on", ("日期", "走访日期", "对接日期", "时间"), required=True),
    ColumnSpec("unit", ("对接单位", "联络处", "走访单位", "责任单位"), required=True),
    ColumnSpec("visitors", ("走访人员", "走访人", "参加人员", "人员")),
    ColumnSpec("method", ("方式", "对接方式", "形式")),
    ColumnSpec("outcome", ("对接成果", "成果", "结果", "对接情况")),
    ColumnSpec("next_step", ("下一步", "下一步计划", "下步打算")),
)


@dataclass(frozen=True)
class ContactRecord:
    row: int
    held_on: date
    enterprise_name: str
    unit: str
    office: str | None
    visitors: str | None
    method: str | None
    outcome: str | None
    next_step: str | None


def _method(text: str) -> str | None:
    if is_blank(text):
        return None
    value = normalise_name(text).removesuffix("招商").removesuffix("拜访") or text
    value = {"上门": "走访", "拜访": "走访", "叩门招商": "叩门", "来安考察": "来访", "考察": "来访", "座谈": "会谈",
             "洽谈": "会谈"}.get(value, value)
    if value not in CONTACT_METHODS:
        raise CellError(f"未知对接方式“{text}”，应为：{'、'.join(CONTACT_METHODS)}")
    return value


def parse_contacts(grid: Grid, lookups: Lookups) -> list[ContactRecord]:
    """解析走访 / 叩门记录。对接单位是联络处时（如“驻深圳招商联络处”“深圳联络处”）记到该联络处名下。"""
    problems: list[RowProblem] = []
    records: list[ContactRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, CONTACT_SPECS, CONTACT_TEMPLATE, problems):
        held_on = r.parse("held_on", parse_date, required=True)
        enterprise = r.text("enterprise", required=True)
        unit = r.text("unit", required=True)
        method = r.parse("method", _method)
        if held_on and enterprise and unit:
            keys.append((r.row_no, r.label("enterprise"), enterprise,
                         (held_on, normalise_name(enterprise), normalise_name(unit))))
        if r.ok and held_on and enterprise and unit:
            records.append(ContactRecord(r.row_no, held_on, enterprise, unit, _source_office(lookups, unit),
                                         r.text("visitors"), method, r.text("outcome"), r.text("next_step")))
    return _finish(grid, records, keys, problems, lookups)
