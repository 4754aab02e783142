"""The 知识库 tab: upload (type, size and name checked per file, then incremental ingest with progress),
the paginated document list with metadata and each document's 公开属性 and why, delete and re-index, and for
administrators controls to reclassify the selected document and to mark it 已核验 / 未核验. Errors are shown per file, in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.corpus.loaders import loader_for, supported_types_described, unsupported_type
from assistant.errors import AssistantError
from assistant.index.disclosure import describe as describe_class
from assistant.index.ingest import IngestReport
from assistant.index.manifest import DocRecord
from assistant.index.provenance import STATES
from assistant.index.provenance import describe as describe_verification
from assistant.index.uploads import MAX_UPLOAD_FILES, UploadRejected, display_name, safe_file_name
from assistant.services import Services
from assistant.ui.documents_view import HEADERS, PAGE_SIZE, page_of, results_html
from assistant.ui.html import esc, notice
from assistant.ui.session import refused_as_toast, uploaded, workspace_of
from assistant.workspace import Workspace
from assistant.workspace.documents import MAX_REASON_CHARS

Result = tuple[str, str, str]  # file name, status, message


class GradioProgress:
    """ingest()'s progress interface, shown on the page by gr.Progress."""

    def __init__(self, progress: gr.Progress, total: int, desc: str) -> None:
        self.progress, self.total, self.desc, self.done = progress, total, desc, 0
        self.progress((0, total), desc=desc, unit="个文件")

    def update(self, n: int) -> None:
        self.done += n
        self.progress((self.done, self.total), desc=self.desc, unit="个文件")

    def close(self) -> None:
        pass


def check_upload(path: Path, settings: Settings) -> tuple[str | None, str]:
    """(the name to store it under, "") or (None, why it is refused)."""
    try:
        name = safe_file_name(path.name)
    except UploadRejected as exc:
        return None, str(exc)
    if loader_for(name) is None:
        return None, f"{unsupported_type(name)}，未上传。"
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        return None, f"大小 {size / 1048576:.2f} MB 超过上限 {settings.max_file_mb:g} MB，请拆分后再上传。"
    if size == 0:
        return None, "是空文件，未上传。"
    return name, ""


class KnowledgeTab:
    def __init__(self, services: Services, status: Callable[[gr.Request], str]) -> None:
        self.services = services
        self.status = status  # the header's summary (document count), refreshed after every change

    def build(self, status: gr.HTML) -> None:
        max_mb = self.services.settings.max_file_mb
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=320):
                gr.Markdown("#### 上传文件")
                files = gr.File(label="选择或拖入文件", file_count="multiple", height=150, elem_id="zs-upload")
                gr.HTML(f'<div class="zs-hint">支持 {esc(supported_types_described())}；单个文件不超过 {max_mb:g} MB，一次最多 '
                        f"{MAX_UPLOAD_FILES} 个。同名文件会替换旧版本，内容相同的文件不会重复入库。</div>")
                upload = gr.Button("上传并入库", variant="primary", elem_id="zs-upload-go")
            with gr.Column(scale=3, min_width=360):
                gr.Markdown("#### 处理结果")
                results = gr.HTML(notice("上传后在这里逐个文件显示入库结果；读不了的文件会说明原因，其他文件照常入库。"),
                                  elem_id="zs-upload-results")
        gr.Markdown("#### 已入库文档")
        with gr.Row(elem_classes="zs-doc-tools"):
            query = gr.Textbox(show_label=False, placeholder="按标题、文号、发文机关或文件名筛选", scale=4,
                               elem_id="zs-doc-query")
            reindex_all = gr.Button("全部重新入库", size="sm", scale=0, min_width=130)
        self.write_controls = [upload, reindex_all]
        table = gr.Dataframe(headers=HEADERS, value=[], interactive=False, wrap=True, max_height=720,
                             column_widths=["22%", "12%", "12%", "9%", "9%", "7%", "6%", "5%", "10%", "8%"],
                             elem_id="zs-doc-table", label="点击一行选择文档", show_label=True)
        with gr.Row(elem_classes="zs-pager"):
            prev = gr.Button("上一页", size="sm", min_width=80, scale=0)
            caption = gr.HTML(elem_id="zs-doc-caption")
            following = gr.Button("下一页", size="sm", min_width=80, scale=0)
        with gr.Row(elem_classes="zs-selected"):
            selected_html = gr.HTML(notice("点击表格中的一行选择文档，然后可以重新入库或删除。"))
            reindex = gr.Button("重新入库所选", size="sm", interactive=False, scale=0, min_width=120)
            delete = gr.Button("删除所选", size="sm", variant="stop", interactive=False, scale=0, min_width=100)
        # Administrators only (app.py shows the rows by role; Workspace.reclassify and .verify refuse anyone else).
        with gr.Column(visible=False, elem_id="zs-admin-doc") as admin_rows:
            with gr.Row(elem_classes="zs-reclassify", elem_id="zs-reclassify"):
                class_doc = gr.Textbox(label="文档（点击表格一行自动填入，或写文档编号、文件名）", scale=2,
                                       max_length=200, elem_id="zs-class-doc")
                new_class = gr.Dropdown(["内部", "公开"], value="内部", label="公开属性改为", scale=0, min_width=120,
                                        elem_id="zs-class")
                class_reason = gr.Textbox(label="理由（记入审计日志）", placeholder="如：含谈判底线，版记漏标“不予公开”",
                                          max_length=MAX_REASON_CHARS, scale=3, elem_id="zs-class-reason")
                reclassify = gr.Button("更改公开属性", size="sm", scale=0, min_width=120, elem_id="zs-class-go")
            with gr.Row(elem_classes="zs-reclassify", elem_id="zs-verify"):
                new_state = gr.Dropdown(list(STATES), value=STATES[0], label="核验状态改为（文档同上）", scale=0,
                                        min_width=160, elem_id="zs-verify-state")
                verify_reason = gr.Textbox(label="核验依据（记入审计日志）", placeholder="如：已与统计局季报逐项核对",
                                           max_length=MAX_REASON_CHARS, scale=3, elem_id="zs-verify-reason")
                verify = gr.Button("更改核验状态", size="sm", scale=0, min_width=120, elem_id="zs-verify-go")
        self.admin_row = admin_rows
        with gr.Row(visible=False, elem_classes="zs-confirm") as confirm_row:
            confirm_text = gr.HTML()
            confirm = gr.Button("确认删除", variant="stop", size="sm", scale=0, min_width=100)
            cancel = gr.Button("取消", size="sm", scale=0, min_width=80)

        page = gr.State(1)
        page_ids = gr.State([])
        selected = gr.State(None)
        listing = [table, caption, page, page_ids]

        upload.click(self.upload, files, [results, files]).then(self.list_page, [page, query], listing).then(
            self.status, None, status, show_progress="hidden")
        query.submit(self.first_page, query, listing)
        query.change(self.first_page, query, listing, show_progress="hidden")
        prev.click(self.previous_page, [page, query], listing, show_progress="hidden")
        following.click(self.next_page, [page, query], listing, show_progress="hidden")
        table.select(self.select, page_ids, [selected, selected_html, reindex, delete], show_progress="hidden")
        selected.change(lambda doc_id: doc_id or "", selected, class_doc, show_progress="hidden", api_visibility="private")
        delete.click(self.ask_delete, selected, [confirm_row, confirm_text], show_progress="hidden")
        cancel.click(lambda: gr.Row(visible=False), None, confirm_row, show_progress="hidden")
        unselect = [selected, selected_html, reindex, delete, confirm_row]
        for event in (confirm.click(self.delete, selected, [results, *unselect]),
                      reindex.click(self.reindex, selected, results),
                      reindex_all.click(self.reindex_all, None, results),
                      reclassify.click(self.reclassify, [class_doc, new_class, class_reason], [results, selected_html]),
                      verify.click(self.verify, [class_doc, new_state, verify_reason], [results, selected_html])):
            event.then(self.list_page, [page, query], listing).then(self.status, None, status, show_progress="hidden")
        self._load = (self.list_page, [page, query], listing)

    def on_load(self, demo: gr.Blocks) -> None:
        fn, inputs, outputs = self._load
        demo.load(fn, inputs, outputs, show_progress="hidden")

    # -- listing
    def _visible(self, doc_id: str | None, request: gr.Request | None) -> DocRecord | None:
        """The document if it exists and this user is cleared for its disclosure class."""
        try:
            return workspace_of(self.services, request).document(doc_id or "")
        except AssistantError:
            return None

    def list_page(self, page: int, query: str, request: gr.Request) -> tuple[Any, str, int, list[str]]:
        shown = page_of(workspace_of(self.services, request).documents(), page, query or "")
        return (gr.Dataframe(value=shown.rows, headers=HEADERS), f'<div class="zs-caption">{esc(shown.caption(query))}</div>',
                shown.page, shown.doc_ids)

    # Named methods, not lambdas: Gradio passes the request (the user) only to a parameter annotated gr.Request.
    def first_page(self, query: str, request: gr.Request) -> tuple[Any, str, int, list[str]]:
        return self.list_page(1, query, request)

    def previous_page(self, page: int, query: str, request: gr.Request) -> tuple[Any, str, int, list[str]]:
        return self.list_page(page - 1, query, request)

    def next_page(self, page: int, query: str, request: gr.Request) -> tuple[Any, str, int, list[str]]:
        return self.list_page(page + 1, query, request)

    def select(self, page_ids: list[str], evt: gr.SelectData, request: gr.Request) -> tuple[Any, ...]:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        record = self._visible(page_ids[row], request) if isinstance(row, int) and row < len(page_ids) else None
        if record is None:
            return None, notice("未选中文档。", "warn"), gr.Button(interactive=False), gr.Button(interactive=False)
        return record.doc_id, self._selected_notice(record), gr.Button(interactive=True), gr.Button(interactive=True)

    @staticmethod
    def _selected_notice(record: DocRecord) -> str:
        title = record.meta.get("title") or record.file_name
        return notice(f"已选择：《{title}》（{record.file_name}，{record.n_chunks} 个片段）；公开属性：{describe_class(record.meta)}；"
                      f"核验：{describe_verification(record.meta)}", "info")

    # -- changes
    def upload(self, paths: list[str] | None, request: gr.Request, progress: gr.Progress = gr.Progress()
               ) -> tuple[str, Any]:
        workspace = workspace_of(self.services, request)
        with refused_as_toast():
            workspace.require("upload", "、".join(Path(p).name for p in paths or []))
        if not paths:
            return notice("请先选择要上传的文件。", "warn"), gr.skip()
        if len(paths) > MAX_UPLOAD_FILES:
            return notice(f"一次最多上传 {MAX_UPLOAD_FILES} 个文件，本次 {len(paths)} 个，请分批上传。", "error"), gr.skip()
        results: list[Result] = []
        accepted: list[tuple[str, Path]] = []
        for raw in map(uploaded, paths):
            name, problem = check_upload(raw, self.services.settings)
            if name is None:
                results.append((display_name(raw.name), "rejected", problem))
            elif any(name == other for other, _ in accepted):
                results.append((display_name(raw.name), "rejected", f"本次上传中有两个文件都叫“{name}”，请改名后重新上传。"))
            else:
                accepted.append((name, raw))
        # One file at a time, so the page can say which file is being read and embedded.
        for done, (name, raw) in enumerate(accepted):
            progress((done, len(accepted)), desc=f"正在入库：{name}", unit="个文件")
            try:
                with raw.open("rb") as fh:
                    saved = workspace.upload([(name, fh)])[0]
            except AssistantError as exc:  # e.g. another process is writing the index
                results.append((name, "failed", str(exc)))
            else:
                results.append((name, saved.status, saved.message))
        progress((len(accepted), len(accepted)), desc="入库完成", unit="个文件")
        return results_html(results), None

    def ask_delete(self, doc_id: str | None, request: gr.Request) -> tuple[Any, str]:
        with refused_as_toast():
            workspace_of(self.services, request).require("delete", doc_id or "")
        record = self._visible(doc_id, request)
        if record is None:
            return gr.Row(visible=False), ""
        title = record.meta.get("title") or record.file_name
        return gr.Row(visible=True), notice(f"确定从知识库删除《{title}》（{record.file_name}）吗？删除后检索不到该文件。", "warn")

    def delete(self, doc_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        workspace = workspace_of(self.services, request)
        unselect = (None, notice("点击表格中的一行选择文档，然后可以重新入库或删除。"),
                    gr.Button(interactive=False), gr.Button(interactive=False), gr.Row(visible=False))
        try:
            with refused_as_toast():
                record = workspace.delete(doc_id or "")
        except AssistantError as exc:  # gone meanwhile, or another process is writing the index
            return (notice(str(exc), "warn"), *unselect)
        return (notice(f"已从知识库删除“{record.file_name}”。", "ok"), *unselect)

    def reindex(self, doc_id: str | None, request: gr.Request, progress: gr.Progress = gr.Progress()) -> str:
        workspace = workspace_of(self.services, request)
        with refused_as_toast():
            workspace.require("reingest", doc_id or "")
        if self._visible(doc_id, request) is None:
            return notice("请先在表格中选择文档。", "warn")
        return self._reingest(workspace, [doc_id or ""], progress)

    def reindex_all(self, request: gr.Request, progress: gr.Progress = gr.Progress()) -> str:
        workspace = workspace_of(self.services, request)
        with refused_as_toast():
            workspace.require("reingest", "全部文档")
        if not workspace.documents():
            return notice("知识库中还没有文档。", "warn")
        return self._reingest(workspace, None, progress)

    def reclassify(self, doc_id: str | None, access: str, reason: str, request: gr.Request) -> tuple[str, Any]:
        """A document's 公开属性 (by doc_id or file name; selecting a row fills it in), set by an administrator
        (Workspace.reclassify: audited, effective at once)."""
        workspace = workspace_of(self.services, request)
        try:
            with refused_as_toast():
                done = workspace.reclassify(doc_id or "", access, reason or "")
        except AssistantError as exc:  # no document selected, no reason, another process writing the index
            return notice(str(exc), "warn"), gr.skip()
        record = done.record
        title = record.meta.get("title") or record.file_name
        return (notice(f"《{title}》（{record.file_name}）的公开属性已由{done.previous}改为{access}，立即生效："
                       f"{describe_class(record.meta)}", "ok"), self._selected_notice(record))

    def verify(self, doc_id: str | None, state: str, reason: str, request: gr.Request) -> tuple[str, Any]:
        """A document's 已核验/未核验 (by doc_id or file name), set by an administrator (Workspace.verify: audited,
        effective at once)."""
        workspace = workspace_of(self.services, request)
        try:
            with refused_as_toast():
                done = workspace.verify(doc_id or "", state, reason or "")
        except AssistantError as exc:  # no document selected, no reason, another process writing the index
            return notice(str(exc), "warn"), gr.skip()
        record = done.record
        title = record.meta.get("title") or record.file_name
        return (notice(f"《{title}》（{record.file_name}）的核验状态已由{done.previous}改为{state}，立即生效："
                       f"{describe_verification(record.meta)}", "ok"), self._selected_notice(record))

    @staticmethod
    def _reingest(workspace: Workspace, doc_ids: list[str] | None, progress: gr.Progress) -> str:
        progress(0, desc="正在检查文件……")
        try:
            report = workspace.reingest(doc_ids, progress=lambda total: GradioProgress(progress, total,
                                                                                       "正在重新切分和向量化"))
        except AssistantError as exc:
            return notice(str(exc), "error")
        return reingest_summary(report)


def reingest_summary(report: IngestReport) -> str:
    notes = {n: "".join(f"；注意：{m}" for w, m in report.warnings if w == n) for n in report.added + report.updated}
    results: list[Result] = [(n, "updated", "已按当前流程重新入库" + notes[n]) for n in report.added + report.updated]
    results += [(n, "duplicate", f"与已入库的“{o}”内容完全相同") for n, o in report.duplicates]
    results += [(Path(n).name, "failed", m + "（如需移除，请选中后删除）") for n, m in report.failed]
    head = (f"重新入库完成：处理 {len(report.added) + len(report.updated)} 个，内容未变化跳过 {len(report.unchanged)} 个，"
            f"失败 {len(report.failed)} 个，用时 {report.seconds_total:.1f} 秒。")
    if report.repaired_chunks:
        head += f" 修复了 {report.repaired_chunks} 个索引不一致的片段。"
    return notice(head, "error" if report.failed else "ok") + results_html(results)


__all__ = ["PAGE_SIZE", "KnowledgeTab", "check_upload", "reingest_summary"]
