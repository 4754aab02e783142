"""Parsing project, enterprise, event and problem-ledger files into validated records. Pure.

Each parser checks every row, collects every bad cell and raises ImportRejected listing them all;
it returns records only when the whole file is good.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from assistant.db.errors import ImportFormatError, ImportRejected, InvalidValue, RowProblem, UnknownChain
from assistant.db.reference import ENTERPRISE_CATEGORIES, PROJECT_STAGES
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
from assistant.db.vocab import NameIndex, normalise_name, resolve_problem_status, resolve_stage

R = TypeVar("R")


@dataclass
class Lookups:
    """Names already in the database that rows may refer to."""

    regions: NameIndex
    chains: NameIndex
    project_regions: dict[str, str]  # project name -> its region


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
                                  r.text("status"), r.text("note"))
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
)
_STAGE_DATES = (("签约", "signed_on", "签约日期"), ("开工", "started_on", "开工日期"), ("投产", "operating_on", "投产日期"))


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


def _check_project(r: RowReader, stage: str, dates: dict[str, date | None], total: Decimal | None,
                   funds: Decimal | None, is_foreign: bool | None, foreign: Decimal | None) -> None:
    reached = PROJECT_STAGES.index(stage)
    for needed, field, label in _STAGE_DATES:
        if reached >= PROJECT_STAGES.index(needed) and dates[field] is None:
            r.problem(field, f"阶段为“{stage}”时必须填写{label}", r.raw(field))
        if reached < PROJECT_STAGES.index(needed) and dates[field] is not None:
            r.problem(field, f"阶段为“{stage}”，不应有{label}（请核对阶段）")
    ordered = [(f, d) for f, d in dates.items() if d is not None]
    for (f1, d1), (f2, d2) in zip(ordered, ordered[1:], strict=False):
        if d1 and d2 and d2 < d1:
            r.problem(f2, f"早于{r.label(f1)}（{d1.isoformat()}）")
    if total is not None and funds is not None and funds > total:
        r.problem("funds", "到位资金大于总投资")
    if foreign and is_foreign is False:
        r.problem("foreign_amount", "填写了外资金额，但“是否外资”为否")


def parse_projects(grid: Grid, lookups: Lookups) -> list[ProjectRecord]:
    """解析项目库文件。金额列按表头括号中的单位换算为亿元 / 万美元。"""
    problems: list[RowProblem] = []
    records: list[ProjectRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, PROJECT_SPECS, PROJECT_TEMPLATE, problems):
        name = r.text("name", required=True)
        region = r.parse("region", _region(lookups), required=True)
        chain = r.parse("chain", _chain(lookups))
        total = r.amount("total", "亿元")
        stage = r.parse("stage", resolve_stage, required=True)
        dates = {field: r.parse(field, parse_date) for _, field, _ in _STAGE_DATES}
        funds = r.amount("funds", "亿元")
        is_foreign = r.parse("is_foreign", parse_bool)
        foreign = r.amount("foreign_amount", "万美元")
        if stage and r.ok:
            _check_project(r, stage, dates, total, funds, is_foreign, foreign)
        if name:
            keys.append((r.row_no, r.label("name"), name, normalise_name(name)))
        if r.ok and name and region and stage:
            records.append(ProjectRecord(
                r.row_no, name, region, chain, r.text("enterprise"), total, stage, dates["signed_on"],
                dates["started_on"], dates["operating_on"], funds, bool(is_foreign or foreign), foreign,
                r.text("note"),
            ))
    return _finish(grid, records, keys, problems, lookups)


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
)


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
    problems: list[RowProblem] = []
    records: list[ProblemRecord] = []
    keys: list[tuple[int, str, str, Hashable]] = []
    for r in _rows(grid, PROBLEM_SPECS, PROBLEM_TEMPLATE, problems):
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
        code = r.text("code")
        if code is None and description:
            digest = hashlib.sha1(f"{project or region}|{normalise_name(description)}".encode()).hexdigest()
            code = f"auto-{digest[:16]}"
        if code:
            keys.append((r.row_no, r.label("code") if r.raw("code") else r.label("description"), code, code))
        if r.ok and description and region and department and status and opened and code:
            records.append(ProblemRecord(r.row_no, code, project, region, description, department, status,
                                         opened, closed))
    return _finish(grid, records, keys, problems, lookups)
