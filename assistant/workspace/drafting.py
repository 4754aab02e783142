"""Drafting for the bureau (管理员 and 科室 accounts) and the consistency check (every account, against the
rows it may see). A draft is audited as `draft`, every .docx made of it as `draft_export`, both with the
documents quoted and the rows behind its figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.auth.audit import draft_sources
from assistant.corpus.cleanup import CleanDocument
from assistant.drafting.bulletin import BulletinRequest, draft_bulletin
from assistant.drafting.check import (
    DraftDocument,
    as_document,
    check_consistency,
    read_document,
    within_limit,
)
from assistant.drafting.docx_export import docx_bytes
from assistant.drafting.edits import ParagraphEdit, Revision, apply_edits, recheck
from assistant.drafting.forms import DraftRequest
from assistant.drafting.reply import ReplyRequest, draft_reply
from assistant.drafting.report import ReportRequest, draft_report
from assistant.drafting.skeleton import draft_skeleton
from assistant.drafting.types import Draft, FigureCheck
from assistant.index.kb import SearchFilters
from assistant.workspace.base import Entry, WorkspaceBase

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

CHECK_LABEL_CHARS = 40
CHECK_STATUSES = {"match": "一致", "mismatch": "不一致", "not_found": "未找到"}


class Drafting(WorkspaceBase):
    def draft(self, request: DraftRequest, use_llm: bool = True) -> Draft:
        """Any form staff write (assistant/drafting/forms.py), for 管理员 and 科室 accounts: a 答复函 (分条 or
        两段式), a 工作报告 or 总结, a 通报 (周动态, 月排名, 季度考核) or a 通知 / 请示 skeleton. Audited as
        `draft` with the documents quoted and the rows behind its figures. A reply letter without a database
        says so and writes no figures; the other forms with figures need the database (DatabaseNotReady)."""
        label = _label(request)
        self.require("draft", label)
        with self._audited("draft", label) as entry:
            if isinstance(request, ReplyRequest):
                draft = draft_reply(request, self.kb, self.figure_store(), self._chat_model(use_llm),
                                    filters=self._filters())
            elif isinstance(request, ReportRequest):
                draft = draft_report(request, self.kb, self.store(), self._chat_model(use_llm), filters=self._filters())
            elif isinstance(request, BulletinRequest):
                draft = draft_bulletin(request, self.store())
            else:
                draft = draft_skeleton(request)
            _drafted(entry, draft)
        return draft

    def draft_reply(self, request: ReplyRequest, use_llm: bool = True) -> Draft:
        return self.draft(request, use_llm)

    def draft_report(self, request: ReportRequest, use_llm: bool = True) -> Draft:
        return self.draft(request, use_llm)

    def export(self, draft: Draft, sources: bool = True) -> bytes:
        """The draft (possibly edited by the user) as a GB/T 9704 .docx."""
        self.require("draft_export", draft.title)
        with self._audited("draft_export", draft.title) as entry:
            data = docx_bytes(draft, sources=sources)
            _drafted(entry, draft)
        return data

    def revise(self, draft: Draft, edits: list[ParagraphEdit]) -> Revision:
        """The draft with the officer's paragraph edits, and every number of it checked again: a number that
        was a database figure and was changed (or deleted) is 不一致 with the database value. Audited as
        `check`; export the returned draft with export()."""
        self.require("draft", draft.title)
        edited = apply_edits(draft, edits)
        label = f"修改稿：{draft.title}"
        with self._audited("check", label) as entry:
            checks = recheck(draft, edited, self.store())
            counts = "，".join(f"{word} {sum(1 for c in checks if c.status == status)}"
                               for status, word in CHECK_STATUSES.items())
            entry.detail = f"{label}（修改 {len(edits)} 段）：{len(checks)} 个数字，{counts}"
            entry.rows = list(dict.fromkeys(f"{c.provenance.table}#{i}" for c in checks
                                            if c.provenance is not None and c.status != "not_found"
                                            for i in c.provenance.row_ids))
        return Revision(draft=edited, checks=checks)

    def paste_draft(self, text: str) -> DraftDocument:
        """Pasted text as a draft to check: at most Settings.max_check_chars characters of it (cut_note() says
        what was left out)."""
        return as_document(text, max_chars=self.settings.max_check_chars)

    def read_draft(self, path: Path) -> DraftDocument:
        """A draft file to check, within the upload size limit and cut to Settings.max_check_chars characters
        before it is cleaned up; LoadError names the file and the reason."""
        return read_document(path, max_bytes=self.settings.max_file_bytes, max_chars=self.settings.max_check_chars)

    def check(self, document: str | CleanDocument, period: str | None = None, name: str | None = None
              ) -> list[FigureCheck]:
        """Every number of a draft against the database as this user sees it (another region's figures are
        "not found" for a county account). `name` is the file's name; pasted text is named by its start.
        Only the first Settings.max_check_chars characters are checked (see paste_draft, read_draft).
        Audited as `check`: what was checked and the verdict counts."""
        clean = (self.paste_draft(document) if isinstance(document, str)
                 else within_limit(document, self.settings.max_check_chars))
        label = name or _opening(clean.text)
        with self._audited("check", label) as entry:
            checks = check_consistency(clean, self.store(), period)
            counts = "，".join(f"{word} {sum(1 for c in checks if c.status == status)}"
                               for status, word in CHECK_STATUSES.items())
            cut = f"（共 {clean.total_chars:,} 字，只核对前 {clean.checked_chars:,} 字）" if clean.cut else ""
            entry.detail = f"{label}{cut}：{len(checks)} 个数字，{counts}"
            entry.rows = list(dict.fromkeys(f"{c.provenance.table}#{i}" for c in checks
                                            if c.provenance is not None and c.status != "not_found"
                                            for i in c.provenance.row_ids))
        return checks

    def _filters(self) -> SearchFilters:
        return SearchFilters().within(self.user.access.classes)

    def _chat_model(self, use_llm: bool) -> BaseChatModel | None:
        return self.services.assistant.chat_model if use_llm else None


def _label(request: DraftRequest) -> str:
    """What the audit log and a refusal name: the proposal's title, the report's period, the bulletin's kind."""
    if isinstance(request, ReplyRequest):
        return request.title
    if isinstance(request, ReportRequest):
        return f"{'工作情况报告' if request.form == '工作报告' else '工作总结'} {request.period}"
    if isinstance(request, BulletinRequest):
        return f"{request.kind}通报 {request.period or request.date_to or ''}".strip()
    return f"{request.form}：{request.subject}"


def _drafted(entry: Entry, draft: Draft) -> None:
    entry.detail = draft.title
    entry.documents, entry.rows = draft_sources(draft)


def _opening(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "（空白稿件）")
    return first[:CHECK_LABEL_CHARS] + ("…" if len(first) > CHECK_LABEL_CHARS else "")
