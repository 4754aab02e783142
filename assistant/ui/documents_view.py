"""The knowledge-base list as table rows: filtering and pagination over the manifest's records, so the
page shows PAGE_SIZE rows however many documents are indexed. Pure functions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.index.disclosure import brief as brief_class
from assistant.index.manifest import DocRecord
from assistant.index.provenance import brief as brief_verification
from assistant.ui.html import esc

PAGE_SIZE = 20
HEADERS = ["标题", "文号", "发文机关", "日期", "公开属性", "核验", "文种", "片段数", "文件名", "文档编号"]
STATUS_LABELS = {"added": "已入库", "updated": "已更新", "unchanged": "未变化", "duplicate": "重复，未入库",
                 "failed": "失败", "rejected": "未上传"}


@dataclass
class DocPage:
    rows: list[list[str | int]]
    doc_ids: list[str]
    page: int  # 1-based, clamped to the pages there are
    pages: int
    total: int  # documents matching the filter
    indexed: int  # documents in the knowledge base

    def caption(self, query: str = "") -> str:
        if not self.indexed:
            return "知识库中还没有文档，请在上方上传。"
        if query and not self.total:
            return f"没有标题、文号、发文机关或文件名含“{query}”的文档（知识库共 {self.indexed:,} 个文档）。"
        matched = f"符合“{query}”的 {self.total:,} 个，" if query else ""
        return f"知识库共 {self.indexed:,} 个文档，{matched}第 {self.page} / {self.pages} 页"


def row(record: DocRecord) -> list[str | int]:
    m = record.meta
    return [m.get("title") or record.file_name, m.get("doc_number", ""), m.get("office", ""), m.get("date", ""),
            brief_class(m), brief_verification(m), m.get("genre", ""), record.n_chunks, record.file_name, record.doc_id]


def matches(record: DocRecord, query: str) -> bool:
    m = record.meta
    haystack = " ".join([m.get("title", ""), m.get("doc_number", ""), m.get("office", ""), record.file_name])
    return query.lower() in haystack.lower()


def page_of(records: list[DocRecord], page: int, query: str = "") -> DocPage:
    query = query.strip()
    found = [r for r in records if matches(r, query)] if query else records
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return DocPage([row(r) for r in shown], [r.doc_id for r in shown], page, pages, len(found), len(records))


def results_html(results: list[tuple[str, str, str]]) -> str:
    """Per-file outcome of an upload or re-index: (file name, status, Chinese message)."""
    if not results:
        return ""
    body = "".join(
        f'<tr class="zs-status-{esc(status)}"><td>{esc(name)}</td><td>{esc(STATUS_LABELS.get(status, status))}</td>'
        f"<td>{esc(message)}</td></tr>"
        for name, status, message in results
    )
    return (f'<table class="zs-table zs-results"><thead><tr><th>文件</th><th>结果</th><th>说明</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")
