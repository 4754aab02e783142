"""Drafting: reply letters, report sections and the consistency check over HTTP.

Every draft comes back as JSON (paragraphs with their citations and figures, tables, warnings, and the
附：依据 lines); `?format=docx` returns the .docx instead. A draft shown to the user (and possibly edited)
can be turned into exactly that .docx by POSTing it to /api/draft/export. Proposals and drafts to check
can also be uploaded as files of any type corpus/loaders.py registers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from assistant.api_routes.deps import WorkspaceDep
from assistant.config import Settings
from assistant.corpus.loaders import supported_types_text
from assistant.drafting.edits import ParagraphEdit
from assistant.drafting.forms import FORMS, DraftRequest
from assistant.drafting.proposal import ProposalText, read_proposal, split_suggestions
from assistant.drafting.reply import ReplyRequest
from assistant.drafting.report import ReportRequest
from assistant.drafting.sources import source_lines
from assistant.drafting.types import Draft, FigureCheck
from assistant.errors import LoadError
from assistant.index.uploads import safe_file_name
from assistant.workspace import Workspace

# Drafting speaks for the bureau (管理员 and 科室 accounts); the check is open to every account, against the
# rows it may see. The Workspace decides both.
router = APIRouter(prefix="/api/draft", tags=["起草"])

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_CHECK_CHARS = 200_000
Format = Annotated[Literal["json", "docx"], Query(description="json（默认）或 docx（直接下载 Word 文件）")]
WithSources = Annotated[bool, Query(description="docx 是否附“附：依据”")]


class ReplyBody(ReplyRequest):
    suggestions_text: str = Field("", max_length=20_000, description="主要建议的整段文字（按一是、（一）、1. 或分行拆分）")


class DraftResponse(BaseModel):
    draft: Draft
    sources: list[str] = Field(description="“附：依据”各行：每段文字和数字的出处")
    export: str = Field("/api/draft/export", description="把 draft 原样 POST 到此接口即得 .docx；也可在原请求加 ?format=docx")


class CheckBody(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CHECK_CHARS, description="要核对的稿件文字")
    period: str | None = Field(None, max_length=30, description="稿件所说的期间，如 2023Q1；默认从稿件开头识别")


class CheckResponse(BaseModel):
    summary: dict[str, int] = Field(description="match 一致 / mismatch 不一致 / not_found 未找到 的个数")
    checks: list[FigureCheck]
    text: str = Field(description="清理后的稿件文字；checks 中的 start/end 指向这里")
    note: str = Field("", description="稿件超过核对上限（ASSISTANT_MAX_CHECK_CHARS）时，说明只核对了前多少字；否则为空")


def _respond(draft: Draft, fmt: str, sources: bool, workspace: Workspace) -> Response | DraftResponse:
    """The draft as JSON, or as the .docx (an export)."""
    if fmt == "docx":
        name = f"{draft.title[:60]}.docx"
        disposition = f"attachment; filename=draft.docx; filename*=UTF-8''{quote(name, safe='')}"
        return Response(workspace.export(draft, sources=sources), media_type=DOCX_MEDIA,
                        headers={"Content-Disposition": disposition})
    return DraftResponse(draft=draft, sources=source_lines(draft))


@router.post("/reply", summary="起草提案（建议）答复函", response_model=None)
def reply(body: ReplyBody, workspace: WorkspaceDep, format: Format = "json", sources: WithSources = True
          ) -> Response | DraftResponse:
    request = ReplyRequest.model_validate(body.model_dump(exclude={"suggestions_text"}))
    request = request.model_copy(update={"suggestions": request.suggestions + split_suggestions(body.suggestions_text)})
    return _respond(workspace.draft(request), format, sources, workspace)


async def _saved(upload: UploadFile, settings: Settings, directory: str) -> Path:
    data = await upload.read(settings.max_file_bytes + 1)
    name = safe_file_name(upload.filename or "上传文件.txt")  # "..", "." or "/" would name the folder itself
    if len(data) > settings.max_file_bytes:
        raise HTTPException(status_code=413, detail=f"文件“{name}”超过 {settings.max_file_mb:g} MB，请拆分后再上传。")
    path = Path(directory) / name
    path.write_bytes(data)
    return path


@router.post("/reply/upload", summary=f"上传提案原文（{supported_types_text()}）起草答复函", response_model=None)
async def reply_upload(
    workspace: WorkspaceDep,
    file: Annotated[UploadFile, File(description="提案原文或建议清单")],
    number: Annotated[str, Form(max_length=80)],
    title: Annotated[str, Form(max_length=200)] = "",
    proposer: Annotated[str, Form(max_length=100)] = "",
    session: Annotated[str, Form(max_length=60)] = "",
    category: Annotated[Literal["A", "B", "C"], Form()] = "A",
    contact: Annotated[str, Form(max_length=40)] = "",
    phone: Annotated[str, Form(max_length=60)] = "",
    period: Annotated[str | None, Form(max_length=30)] = None,
    format: Format = "json", sources: WithSources = True,
) -> Response | DraftResponse:
    workspace.require("draft", title or file.filename or "")  # before reading the upload
    with tempfile.TemporaryDirectory() as directory:
        try:
            parsed: ProposalText = read_proposal(await _saved(file, workspace.settings, directory))
        except LoadError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    title, proposer = title or parsed.title, proposer or parsed.proposer
    if not title or not proposer:
        missing = "、".join(n for n, v in (("提案标题", title), ("提案人", proposer)) if not v)
        raise HTTPException(status_code=422, detail=f"缺少{missing}：文件中没有识别到，请在表单中填写。")
    request = ReplyRequest(number=number, title=title, proposer=proposer, session=session or parsed.session,
                           category=category, contact=contact, phone=phone, period=period or None
                           ).model_copy(update={"suggestions": parsed.suggestions})
    return _respond(workspace.draft(request), format, sources, workspace)


@router.post("/report", summary="起草某期间的工作情况报告", response_model=None)
def report(body: ReportRequest, workspace: WorkspaceDep, format: Format = "json", sources: WithSources = True
           ) -> Response | DraftResponse:
    return _respond(workspace.draft(body), format, sources, workspace)


class FormInfo(BaseModel):
    title: str = Field(description="文种，如“周动态通报”")
    form: str = Field(description="请求体中的 form")
    fixed: dict[str, str] = Field(description="该文种固定的字段，如 {\"kind\": \"周动态\"}")
    what: str
    template: str = Field(description="模板文件，prompts/drafting/ 下")


@router.get("/forms", summary="可起草的文种")
def forms() -> list[FormInfo]:
    return [FormInfo(title=f.title, form=f.name, fixed=dict(f.fixed), what=f.what,
                     template=f"prompts/drafting/{f.template}.yaml") for f in FORMS]


@router.post("/form", summary="起草任一文种（答复函、工作报告或总结、情况通报、通知、请示），按 form 区分", response_model=None)
def form(body: Annotated[DraftRequest, Body()], workspace: WorkspaceDep, format: Format = "json",
         sources: WithSources = True) -> Response | DraftResponse:
    return _respond(workspace.draft(body), format, sources, workspace)


@router.post("/export", summary="把草稿（可已修改）导出为 .docx", response_class=Response)
def export(draft: Draft, workspace: WorkspaceDep, sources: WithSources = True) -> Response:
    response = _respond(draft, "docx", sources, workspace)
    assert isinstance(response, Response)
    return response


class ReviseBody(BaseModel):
    draft: Draft = Field(description="起草接口返回的 draft（原稿）")
    edits: list[ParagraphEdit] = Field(max_length=500, description="修改的段落：序号和修改后的整段文字")


class ReviseResponse(BaseModel):
    draft: Draft = Field(description="修改后的草稿；原样 POST 到 /api/draft/export 即得 .docx")
    summary: dict[str, int] = Field(description="match 一致 / mismatch 不一致 / not_found 未找到 的个数")
    checks: list[FigureCheck] = Field(description="修改稿中每个数字的核对结果；改动了数据库数字的标为不一致")
    sources: list[str]


@router.post("/revise", summary="修改草稿段落并重新核对数字")
def revise(body: ReviseBody, workspace: WorkspaceDep) -> ReviseResponse:
    revision = workspace.revise(body.draft, body.edits)
    return ReviseResponse(draft=revision.draft, summary=_summary(revision.checks), checks=revision.checks,
                          sources=source_lines(revision.draft))


def _summary(checks: list[FigureCheck]) -> dict[str, int]:
    return {status: sum(1 for c in checks if c.status == status) for status in ("match", "mismatch", "not_found")}


@router.post("/check", summary="核对稿件中的每个数字（粘贴文字）")
def check(body: CheckBody, workspace: WorkspaceDep) -> CheckResponse:
    if not body.text.strip():
        raise HTTPException(status_code=422, detail="稿件文字不能为空")
    document = workspace.paste_draft(body.text)
    checks = workspace.check(document, body.period)
    return CheckResponse(summary=_summary(checks), checks=checks, text=document.text, note=document.cut_note())


@router.post("/check/upload", summary=f"核对稿件中的每个数字（上传 {supported_types_text()}）")
async def check_upload(workspace: WorkspaceDep, file: Annotated[UploadFile, File(description="要核对的稿件")],
                       period: Annotated[str | None, Form(max_length=30)] = None) -> CheckResponse:
    with tempfile.TemporaryDirectory() as directory:
        try:
            saved = await _saved(file, workspace.settings, directory)
            document = workspace.read_draft(saved)
        except LoadError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    checks = workspace.check(document, period or None, name=saved.name)
    return CheckResponse(summary=_summary(checks), checks=checks, text=document.text, note=document.cut_note())
