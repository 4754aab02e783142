"""The ledgers (项目, 企业, 走访记录, 问题) over HTTP: the 台账 tab's filtered tables as JSON, their Excel export
and the blank import templates. Each route parses the query and calls one Workspace use case (ledger,
ledger_export, ledger_template), which scopes a county account to its region, refuses it the 联络处 records and
writes the audit row the workbench and the CLI write for the same view."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from assistant.api_routes.deps import WorkspaceDep
from assistant.ledgers.table import LedgerTable, ledger_table
from assistant.ledgers.views import MAX_PAGE_ROWS, PAGE_ROWS, parse_filter

router = APIRouter(prefix="/api/ledgers", tags=["台账"])

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Annotated[Literal["projects", "enterprises", "contacts", "problems"],
                 Path(description="projects 项目 / enterprises 企业 / contacts 走访记录 / problems 问题")]
Region = Annotated[str | None, Query(max_length=50, description="县区（县区账号只能查本县区）；企业台账：在该县区有项目的企业")]
Chain = Annotated[str | None, Query(max_length=50, description="产业链，如 新能源")]
Status = Annotated[str | None, Query(max_length=20, description=(
    "项目：正常 / 预警 / 滞后；问题：未解决 / 推进中 / 已解决 / 逾期未办结；企业：对接状态；走访记录：方式（走访、叩门…）"))]
Stage = Annotated[str | None, Query(max_length=10, description="项目阶段：线索 / 在谈 / 签约 / 开工 / 投产")]
DateFrom = Annotated[str | None, Query(max_length=20, description=(
    "日期起（项目：签约日期；走访：走访日期；问题：提出日期），如 2023-07-01、2023.7.1、2023年7月1日"))]
DateTo = Annotated[str | None, Query(max_length=20, description="日期止，写法同上")]
Keyword = Annotated[str | None, Query(max_length=50, description="关键词：名称、进展、责任单位等中包含的文字")]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=ledger.xlsx; filename*=UTF-8''{quote(name, safe='')}"}


@router.get("/{kind}", summary="查询台账（与工作台“台账”页的筛选相同）")
def ledger(workspace: WorkspaceDep, kind: Kind, region: Region = None, chain: Chain = None, status: Status = None,
           stage: Stage = None, date_from: DateFrom = None, date_to: DateTo = None, text: Keyword = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE_ROWS, description="最多返回的行数；total 为符合条件的行数")]
           = PAGE_ROWS) -> LedgerTable:
    filters = parse_filter(kind, region, chain, status, stage, date_from, date_to, text)
    return ledger_table(workspace.ledger(kind, filters, limit=limit))


@router.get("/{kind}/export", summary="导出台账的筛选结果为 Excel（全部符合条件的行，带状态颜色和说明页）",
            response_class=Response, responses={200: {"content": {XLSX_MEDIA: {}}}})
def export(workspace: WorkspaceDep, kind: Kind, region: Region = None, chain: Chain = None, status: Status = None,
           stage: Stage = None, date_from: DateFrom = None, date_to: DateTo = None, text: Keyword = None) -> Response:
    filters = parse_filter(kind, region, chain, status, stage, date_from, date_to, text)
    name, data = workspace.ledger_export(kind, filters)
    return Response(data, media_type=XLSX_MEDIA, headers=_attachment(name))


@router.get("/templates/{kind}", summary="下载台账的空白导入模板（CSV 或 XLSX）", response_class=Response)
def template(workspace: WorkspaceDep,
             kind: Annotated[Literal["projects", "problems", "enterprises", "contacts", "offices"], Path()],
             format: Annotated[Literal["xlsx", "csv"], Query(description="xlsx（默认）或 csv")] = "xlsx") -> Response:
    name, data = workspace.ledger_template(kind, f".{format}")
    media = XLSX_MEDIA if format == "xlsx" else "text/csv; charset=utf-8"
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=template.{format}; filename*=UTF-8''{quote(name, safe='')}"})
