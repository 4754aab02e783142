"""The 起草 tab: a 提案答复函 from the proposal's details (typed or read from an uploaded file), a work
report for a period, and the consistency check of an existing draft. Drafts are previewed as 公文 with
their sources and offered as a .docx; the tab only calls assistant.drafting."""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import ValidationError

from assistant.corpus.loaders import supported_suffixes, supported_types_text
from assistant.db.periods import parse_period
from assistant.drafting import (
    Draft,
    ReplyRequest,
    ReportRequest,
    docx_bytes,
    read_proposal,
    split_suggestions,
)
from assistant.drafting.edits import ParagraphEdit
from assistant.drafting.forms import DraftRequest
from assistant.drafting.types import CATEGORY_LABELS
from assistant.errors import AssistantError
from assistant.index.uploads import display_name
from assistant.services import Services
from assistant.ui.drafting_forms import OtherForms
from assistant.ui.drafting_inputs import NO_DATABASE, invalid_message, parse_day, unchanged
from assistant.ui.drafting_view import CHECK_EMPTY, checks_html, draft_html
from assistant.ui.figures import periods_with_data
from assistant.ui.html import esc, notice
from assistant.ui.session import refused_as_toast, uploaded, workspace_of
from assistant.workspace import Workspace

log = logging.getLogger(__name__)

MAX_SUGGESTION_CHARS = 20_000
MAX_CHECK_CHARS = 200_000
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def save_docx(draft: Draft, sources: bool, export: Callable[..., bytes] = docx_bytes) -> str:
    """The draft as a .docx in a fresh temporary folder, named after its title (Gradio serves it from there).
    In the workbench `export` is the Workspace's, which audits the export."""
    name = UNSAFE_NAME.sub("_", draft.title)[:60] or "草稿"
    path = Path(tempfile.mkdtemp(prefix="zs-draft-")) / f"{name}.docx"
    path.write_bytes(export(draft, sources=sources))
    return str(path)


def editable_text(draft: Draft | None) -> str:
    """The draft's paragraphs one per line, as the officer edits them (line N is paragraph N)."""
    if draft is None:
        return ""
    return "\n".join(" ".join(p.full_text.split("\n")) for p in draft.paragraphs)


def edits_from(draft: Draft, text: str) -> list[ParagraphEdit]:
    """The paragraphs the officer changed. The lines must stay one per paragraph: ValueError (in Chinese)
    when lines were added or removed."""
    lines = (text or "").split("\n")
    if len(lines) != len(draft.paragraphs):
        raise ValueError(f"请逐段修改，不要增加或删除行：草稿共 {len(draft.paragraphs)} 段，现在是 {len(lines)} 行。"
                         "要删除一段，请清空该行的文字。")
    return [ParagraphEdit(index=i, text=line) for i, (line, p) in enumerate(zip(lines, draft.paragraphs, strict=True))
            if line.strip() != " ".join(p.full_text.split("\n")).strip()]


def suggestions_text(suggestions: list[str]) -> str:
    return "\n".join(f"{i}. {s}" for i, s in enumerate(suggestions, start=1))


@dataclass
class DraftPane:
    """The right-hand side every drafting form shares: the 公文 preview, the .docx, the 附：依据 switch and the
    editor that re-checks the edited paragraphs."""

    preview: gr.HTML
    download: gr.File
    with_sources: gr.Checkbox
    editor: gr.Textbox
    revise: gr.Button
    checked: gr.HTML


class DraftingTab(OtherForms):
    def __init__(self, services: Services) -> None:
        self.write_controls: list[gr.Button] = []  # disabled for county accounts
        self.services = services

    def build(self) -> None:
        with gr.Tabs(elem_id="zs-draft-tabs"):
            with gr.Tab("提案答复函", id="reply", elem_id="zs-draft-reply"):
                self._reply_form()
            with gr.Tab("工作报告", id="report", elem_id="zs-draft-report"):
                self._report_form()
            with gr.Tab("通报、通知、请示", id="forms", elem_id="zs-draft-forms"):
                self._other_forms()
            with gr.Tab("一致性核对", id="check", elem_id="zs-draft-check"):
                self._check_form()

    def _pane(self, prefix: str) -> DraftPane:
        with gr.Row(elem_classes="zs-download-row"):
            download = gr.File(label="下载 Word 文件（.docx，GB/T 9704 版式）", interactive=False, height=70,
                               elem_id=f"zs-{prefix}-docx", scale=3)
            sources = gr.Checkbox(value=True, label="Word 文件末尾附“附：依据”（定稿时可整体删除）", scale=2,
                                  elem_id=f"zs-{prefix}-sources")
        with gr.Accordion("修改草稿（逐段修改后重新核对数字，下载的 Word 文件随之更新）", open=False,
                          elem_id=f"zs-{prefix}-edit"):
            editor = gr.Textbox(label="每行一段，行的顺序与草稿段落一致；不要增删行（清空一行即删去该段的文字）", lines=12,
                                max_lines=40, elem_id=f"zs-{prefix}-editor")
            revise = gr.Button("核对修改并更新下载", elem_id=f"zs-{prefix}-revise")
            self.write_controls.append(revise)
            checked = gr.HTML(elem_id=f"zs-{prefix}-recheck")
        preview = gr.HTML(draft_html(None), elem_id=f"zs-{prefix}-preview")
        return DraftPane(preview, download, sources, editor, revise, checked)

    def _wire(self, pane: DraftPane, go: gr.Button, handler: Callable[..., tuple[Any, ...]],
              inputs: list[Any], status: gr.HTML) -> None:
        """One wiring for every form: drafting fills the preview and the download and becomes the original the
        edits are checked against; the 附：依据 switch exports again; the editor re-checks and exports."""
        draft, original = gr.State(None), gr.State(None)  # as shown (maybe edited), and as generated
        go.click(handler, [*inputs, pane.with_sources], [draft, pane.preview, pane.download, status]).then(
            self._editing, [draft], [original, pane.editor, pane.checked], show_progress="hidden")
        pane.with_sources.input(self.export, [draft, pane.with_sources], pane.download, show_progress="hidden")
        pane.revise.click(self.revise, [original, pane.editor, pane.with_sources],
                          [draft, pane.preview, pane.download, pane.checked])

    def _drafted(self, workspace: Workspace, request: DraftRequest, with_sources: bool, done: str,
                 level: str = "ok") -> tuple[Any, ...]:
        """The request drafted through the Workspace's one use case, its .docx ready (an export, audited as
        one): (draft, preview, download, notice); an error leaves the pane as it was."""
        try:
            with refused_as_toast():
                draft = workspace.draft(request)
                docx = self._docx(workspace, draft, with_sources)
        except AssistantError as exc:
            return unchanged(notice(str(exc), "error"))
        return draft, draft_html(draft), docx, notice(done, level)

    def revise(self, original: Draft | None, text: str, with_sources: bool, http: gr.Request) -> tuple[Any, ...]:
        """The officer's edits applied to the generated draft, its numbers checked again (a changed database
        figure is 不一致), the preview and the .docx updated: Workspace.revise does the work."""
        if original is None:
            return unchanged(notice("请先起草，再修改。", "warn"))
        workspace = workspace_of(self.services, http)
        try:
            edits = edits_from(original, text)
        except ValueError as exc:
            return unchanged(notice(str(exc), "warn"))
        try:
            with refused_as_toast():
                revision = workspace.revise(original, edits)
                docx = self._docx(workspace, revision.draft, with_sources)
        except ValidationError as exc:
            return unchanged(notice(f"修改有误：{exc.errors()[0]['msg']}", "warn"))
        except AssistantError as exc:
            return unchanged(notice(str(exc), "error"))
        head = notice(f"已按修改更新草稿（修改 {len(edits)} 段）"
                      + (f"，有 {revision.mismatches} 个数字与数据库不一致，请核对。" if revision.mismatches else "，数字与数据库一致。"),
                      "warn" if revision.mismatches else "ok")
        return revision.draft, draft_html(revision.draft), docx, head + checks_html(revision.checks, "修改稿")

    # -- reply letter
    def _reply_form(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=360, elem_classes="zs-form"):
                gr.Markdown("#### 提案（建议）信息")
                with gr.Row():
                    session = gr.Textbox(label="会议", placeholder="如：市政协五届二次会议", scale=3, max_length=60)
                    number = gr.Textbox(label="提案号", placeholder="如：205", scale=1, min_width=90, max_length=80,
                                        elem_id="zs-reply-number")
                title = gr.Textbox(label="提案标题", placeholder="如：关于补齐我市外资短板的提案", max_length=200,
                                   elem_id="zs-reply-title")
                proposer = gr.Textbox(label="提案人", placeholder="如：王委员、民建安康市委员会", max_length=100,
                                      elem_id="zs-reply-proposer")
                suggestions = gr.Textbox(label="主要建议（每条一行，或按“一是……二是……”书写）", lines=6, max_lines=14,
                                         max_length=MAX_SUGGESTION_CHARS, elem_id="zs-reply-suggestions",
                                         placeholder="1. 加大外资招引力度，主动对接粤港澳大湾区外资企业\n2. 实行项目管家制度")
                upload = gr.File(label=f"或上传提案原文（{supported_types_text()}），自动识别标题、提案人和建议",
                                 file_types=list(supported_suffixes()), height=120, elem_id="zs-reply-file")
                category = gr.Radio(label="答复类别", value="A", elem_id="zs-reply-category",
                                    choices=[(f"{k} 类（{v}）", k) for k, v in CATEGORY_LABELS.items()])
                style = gr.Radio(label="样式", value="分条", elem_id="zs-reply-style",
                                 choices=[("分条（办理情况、存在的问题、下一步）", "分条"),
                                          ("两段式（工作成效、下一步工作重点）", "两段式")])
                with gr.Row():
                    contact = gr.Textbox(label="联系人", max_length=40, elem_id="zs-reply-contact")
                    phone = gr.Textbox(label="联系电话", max_length=60, elem_id="zs-reply-phone")
                with gr.Accordion("版头与数据期间（可选）", open=False):
                    with gr.Row():
                        doc_number = gr.Textbox(label="发文字号", placeholder="如：安招函〔2023〕31号", max_length=40)
                        signer = gr.Textbox(label="签发人", max_length=20)
                    with gr.Row():
                        letter_date = gr.Textbox(label="成文日期", placeholder="如 2023-07-28；不填为今天", max_length=20,
                                                 elem_id="zs-reply-date")
                        period = gr.Textbox(label="数据期间", placeholder="如 2023-07、2023Q2；不填则用成文日期前最新的期间",
                                            max_length=30)
                go = gr.Button("起草答复函", variant="primary", elem_id="zs-reply-go")
                self.write_controls.append(go)
                status = gr.HTML()
            with gr.Column(scale=3, min_width=480):
                pane = self._pane("reply")
        upload.upload(self.read_upload, [upload, session, number, title, proposer],
                      [session, number, title, proposer, suggestions, status])
        self._wire(pane, go, self.draft_reply, [session, number, title, proposer, suggestions, upload, category,
                                                contact, phone, doc_number, signer, period, letter_date, style], status)

    def read_upload(self, path: str | None, session: str, number: str, title: str, proposer: str) -> tuple[Any, ...]:
        """Fill the empty fields from the uploaded proposal, so the officer sees (and can correct) what was read."""
        if not path:
            return (gr.skip(),) * 6
        try:
            found = read_proposal(uploaded(path), max_bytes=self.services.settings.max_file_bytes)
        except AssistantError as exc:
            return (*(gr.skip(),) * 5, notice(str(exc), "error"))
        read = [name for name, value in (("标题", found.title), ("提案人", found.proposer), ("会议", found.session))
                if value]
        message = (f"已读取“{display_name(Path(path).name)}”：识别到{'、'.join(read) or '正文'}和 {len(found.suggestions)} 条建议，"
                   "请核对后起草。")
        return (session or found.session, number or found.number, title or found.title, proposer or found.proposer,
                suggestions_text(found.suggestions), notice(message, "ok" if found.suggestions else "warn"))

    def draft_reply(self, session: str, number: str, title: str, proposer: str, suggestions: str, upload: str | None,
                    category: str, contact: str, phone: str, doc_number: str, signer: str, period: str,
                    letter_date: str | None, with_sources: bool, style: str | None, http: gr.Request,
                    progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        workspace = workspace_of(self.services, http)
        with refused_as_toast():
            workspace.require("draft", (title or "").strip())
        # Fields in a closed accordion arrive as None until it has been opened once.
        session, number, title, proposer, suggestions, contact, phone, doc_number, signer, period = (
            (v or "").strip() for v in (session, number, title, proposer, suggestions, contact, phone, doc_number,
                                        signer, period))
        try:
            day = parse_day(letter_date)
        except ValueError as exc:
            return unchanged(notice(str(exc), "warn"))
        items = split_suggestions(suggestions)
        if not items and upload:
            try:
                found = read_proposal(uploaded(upload), max_bytes=self.services.settings.max_file_bytes)
            except AssistantError as exc:
                return unchanged(notice(str(exc), "error"))
            items, title, proposer = found.suggestions, title or found.title, proposer or found.proposer
        try:
            request = ReplyRequest(session=session, number=number, title=title, proposer=proposer, suggestions=items,
                                   category=category or "A", contact=contact, phone=phone, doc_number=doc_number,
                                   signer=signer, period=period or None, date=day,
                                   style="两段式" if style == "两段式" else "分条")
        except ValidationError as exc:
            return unchanged(notice(invalid_message(exc), "warn"))
        progress(0, desc="正在检索办理措施、查询数据……")
        has_data = workspace.figure_store() is not None
        done = "已生成草稿" + ("" if items else "（未填写建议，办理情况部分需要补写）") + "，请在右侧核对后下载。"
        return self._drafted(workspace, request, with_sources, done if has_data else f"{done} {NO_DATABASE}",
                             "ok" if has_data else "warn")

    @staticmethod
    def _editing(draft: Draft | None) -> tuple[Any, ...]:
        """A new draft becomes the original the edits are checked against, and fills the editor."""
        return draft, editable_text(draft), ""

    @staticmethod
    def _docx(workspace: Workspace, draft: Draft, with_sources: bool) -> str:
        """The preview comes with its .docx ready to download: an export, audited as one."""
        return save_docx(draft, with_sources, export=workspace.export)

    def export(self, draft: Draft | None, with_sources: bool, request: gr.Request) -> Any:
        if draft is None:
            return gr.skip()
        with refused_as_toast():
            return self._docx(workspace_of(self.services, request), draft, with_sources)

    # -- report
    def _report_form(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=360, elem_classes="zs-form"):
                gr.Markdown("#### 工作情况报告")
                gr.HTML('<div class="zs-hint">按期间生成“工作进展情况、存在的主要问题、下一步工作措施”三部分和县区指标完成情况表：'
                        "数字取自项目数据库，存在问题由数据计算，措施摘自知识库原文。</div>")
                period = gr.Dropdown(label="期间（自 1 月起累计）", choices=[], elem_id="zs-report-period",
                                     filterable=False)
                report_form = gr.Radio(label="文种", value="工作报告", choices=["工作报告", "工作总结"],
                                       elem_id="zs-report-form")
                recipient = gr.Textbox(label="主送机关（可空）", placeholder="如：市人民政府", max_length=60)
                table = gr.Checkbox(value=True, label="附县区指标完成情况表")
                go = gr.Button("起草报告", variant="primary", elem_id="zs-report-go")
                self.write_controls.append(go)
                status = gr.HTML()
            with gr.Column(scale=3, min_width=480):
                pane = self._pane("report")
        self._wire(pane, go, self.draft_report, [period, recipient, table, report_form], status)
        self._load = (self.periods, [period], [period])

    def on_load(self, demo: gr.Blocks) -> None:
        fn, inputs, outputs = self._load
        demo.load(fn, inputs, outputs, show_progress="hidden")

    def periods(self, current: str | None, request: gr.Request) -> Any:
        store = workspace_of(self.services, request).figure_store()
        if store is None:
            return gr.Dropdown(choices=[], value=None)
        choices, default = periods_with_data(store, "实际引进内资")
        keys = {key for _, key in choices}
        return gr.Dropdown(choices=choices, value=current if current in keys else default)

    def draft_report(self, period: str | None, recipient: str, table: bool, form: str | None, with_sources: bool,
                     http: gr.Request, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        workspace = workspace_of(self.services, http)
        with refused_as_toast():
            workspace.require("draft", f"工作情况报告 {period or ''}".strip())
        if workspace.figure_store() is None:
            return unchanged(notice(NO_DATABASE, "warn"))
        if not period:
            return unchanged(notice("请选择期间。", "warn"))
        try:
            request = ReportRequest(period=period, recipient=recipient or "", table=bool(table),
                                    form="工作总结" if form == "工作总结" else "工作报告")
        except ValidationError as exc:
            return unchanged(notice(invalid_message(exc), "warn"))
        progress(0, desc="正在取数、检索工作措施……")
        return self._drafted(workspace, request, with_sources, "已生成草稿，请在右侧核对后下载。")

    # -- consistency check
    def _check_form(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=360, elem_classes="zs-form"):
                gr.Markdown("#### 核对稿件中的数字")
                gr.HTML('<div class="zs-hint">逐个找出稿件（含表格）中的数字，与项目数据库比对：一致、不一致（给出数据库值和来源），'
                        "或未找到（说明原因，如目标值、措施中的数量）。上传了文件时以文件为准。</div>")
                text = gr.Textbox(label="粘贴稿件文字", lines=10, max_lines=24, max_length=MAX_CHECK_CHARS,
                                  elem_id="zs-check-text", placeholder="如：一季度，汉阴县外商直接投资236.7万美元……")
                upload = gr.File(label=f"或上传稿件（{supported_types_text()}）", file_types=list(supported_suffixes()), height=120,
                                 elem_id="zs-check-file")
                period = gr.Textbox(label="稿件所说的期间（可空）", max_length=30,
                                    placeholder="如 2023Q1；不填则从稿件开头识别，识别不到用最新期间")
                go = gr.Button("核对", variant="primary", elem_id="zs-check-go")
            with gr.Column(scale=3, min_width=480):
                result = gr.HTML(f'<div class="zs-empty">{esc(CHECK_EMPTY)}</div>', elem_id="zs-check-result")
        go.click(self.check, [text, upload, period], result)

    def check(self, text: str, upload: str | None, period: str, request: gr.Request) -> str:
        workspace = workspace_of(self.services, request)
        if workspace.figure_store() is None:
            return notice(NO_DATABASE, "warn")
        period = (period or "").strip()
        try:
            if period:
                parse_period(period)  # a clear message before reading the whole draft
            name = None
            if upload:
                document = workspace.read_draft(uploaded(upload))
                name = display_name(Path(upload).name)
                what = f"文件“{name}”"
            elif (text or "").strip():
                document, what = workspace.paste_draft(text), "粘贴的文字"
            else:
                return notice("请粘贴稿件文字或上传稿件文件。", "warn")
            checks = workspace.check(document, period or None, name=name)
        except AssistantError as exc:
            return notice(str(exc), "error")
        cut = document.cut_note()
        return (notice(cut, "warn") if cut else "") + checks_html(checks, what)
