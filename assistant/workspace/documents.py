"""The knowledge base and the project database: listing what the user may see, and the writes (upload,
delete, re-ingest, ingest, import) that only 管理员 and 科室 accounts may make, one at a time; reclassifying a
document (公开 / 内部) and marking it 已核验 / 未核验, which only 管理员 may do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from assistant.access import DISCLOSURE_CLASSES
from assistant.db.errors import DatabaseNotReady, ImportRejected
from assistant.db.importers import ImportSummary, import_demo, import_file
from assistant.db.periods import parse_period
from assistant.db.session import create_writable_engine, display_url
from assistant.errors import AssistantError, UnknownDocument
from assistant.index.disclosure import reclassify
from assistant.index.ingest import IngestReport, ProgressFactory, ingest, remove_document
from assistant.index.kb import cleared, visible_documents
from assistant.index.lock import write_lock
from assistant.index.manifest import DocRecord
from assistant.index.provenance import STATES, UNVERIFIED, Loader, set_state
from assistant.index.uploads import (
    UploadedFile,
    recover_interrupted,
    safe_file_name,
    save_and_ingest,
    uploads_dir,
)
from assistant.workspace.base import Entry, WorkspaceBase

MAX_REASON_CHARS = 200


@dataclass
class Reclassified:
    record: DocRecord  # as it is now
    previous: str  # the class it had


@dataclass
class Verified:
    record: DocRecord  # as it is now
    previous: str  # the state it had: 已核验 / 未核验


class Documents(WorkspaceBase):
    # -- reading (not audited: a listing shows only what the account is cleared for)
    def documents(self) -> list[DocRecord]:
        return visible_documents(self.kb, self.user.access.classes)

    def document(self, doc_id: str) -> DocRecord:
        """UnknownDocument, with the same words, whether it does not exist or the user is not cleared for it."""
        record = self.kb.manifest.get(doc_id) if doc_id else None
        if record is None or not cleared(record.meta, self.user.access.classes):
            raise UnknownDocument(f"未找到文档“{doc_id}”。请在文档列表中查看已入库文档及其 doc_id。")
        return record

    def find_document(self, ref: str) -> DocRecord:
        """A document the user may see by its doc_id or its file name (as `assistant docs` lists them)."""
        ref = ref.strip()
        record = self.kb.manifest.get(ref) if ref else None
        if record is not None and cleared(record.meta, self.user.access.classes):
            return record
        named = [r for r in self.documents() if ref and r.file_name == ref]
        if len(named) > 1:
            raise AssistantError(f"有 {len(named)} 个文档都叫“{ref}”，请改用文档 id："
                                 + "、".join(r.doc_id for r in named) + "。")
        if not named:
            raise UnknownDocument(f"未找到文档“{ref}”。请用 assistant docs 或文档列表查看文档 id 和文件名。")
        return named[0]

    def reclassify(self, ref: str, access: str, reason: str) -> Reclassified:
        """Set a document's disclosure class by hand (管理员 only): it takes effect in the index at once (what a
        county account can search, ask about, list and learn from) and survives re-ingest of the same file.
        Audited as `reclassify`: the file, the old and new class and the reason."""
        reason = " ".join(reason.split())
        self.require("reclassify", f"{ref} → {access}")
        if access not in DISCLOSURE_CLASSES:
            raise AssistantError(f"公开属性只能是 {' 或 '.join(DISCLOSURE_CLASSES)}，收到“{access}”。涉密文件不得录入本系统。")
        if not reason:
            raise AssistantError("请写明更改公开属性的理由（记入审计日志）。")
        if len(reason) > MAX_REASON_CHARS:
            raise AssistantError(f"理由过长：{len(reason)} 字，最多 {MAX_REASON_CHARS} 字。")
        record = self.find_document(ref)
        previous = record.meta.get("access", "公开")
        with self._audited("reclassify", f"{record.file_name}：{previous}→{access}；理由：{reason}") as entry:
            entry.documents = [record.doc_id]
            with self._writing():
                updated = reclassify(self.kb, record.doc_id, access, reason, self.user.username)
        return Reclassified(updated, previous)

    def verify(self, ref: str, state: str, reason: str) -> Verified:
        """Mark a document 已核验 or 未核验 (管理员 only), kept for its content: figures quoted from an unverified
        document count as sourced only where the database confirms them, and answers say the document is
        unverified. Audited as `verify`: the file, the old and new state and the reason."""
        reason = " ".join(reason.split())
        self.require("verify", f"{ref} → {state}")
        if state not in STATES:
            raise AssistantError(f"核验状态只能是 {' 或 '.join(STATES)}，收到“{state}”。")
        if not reason:
            raise AssistantError("请写明核验依据或理由（记入审计日志），如“已与统计局季报核对”。")
        if len(reason) > MAX_REASON_CHARS:
            raise AssistantError(f"理由过长：{len(reason)} 字，最多 {MAX_REASON_CHARS} 字。")
        record = self.find_document(ref)
        previous = record.meta.get("verified") or UNVERIFIED
        with self._audited("verify", f"{record.file_name}：{previous}→{state}；理由：{reason}") as entry:
            entry.documents = [record.doc_id]
            with self._writing():
                updated = set_state(self.kb, record.doc_id, state, reason, self.user.username)
        return Verified(updated, previous)

    def _loader(self, vouched: bool = False) -> Loader:
        """The files this user brings in: theirs, through this front end; 已核验 only where `vouched` and the user
        is an administrator (index/provenance.py)."""
        return Loader(self.user.username, self.via, vouched and self.user.is_admin)

    # -- writing
    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time in this process; ingest and import also take the data directory's file lock,
        which tells another process (a command-line ingest, a backup) to wait."""
        with self.services.write_lock:
            yield

    def upload(self, files: list[tuple[str, BinaryIO]]) -> list[UploadedFile]:
        """Store each file under data_dir/uploads/ (by its safe name) and ingest it; one `upload` row per file
        with its outcome (added, updated, unchanged, duplicate, failed)."""
        named = [(safe_file_name(name), content) for name, content in files]
        self.require("upload", "、".join(name for name, _ in named))
        try:
            with self._writing():
                results = save_and_ingest(self.kb, named, self._loader())
        except Exception:  # e.g. another process is writing the index: nothing was kept
            for name, _ in named:
                self._record(Entry(name, outcome="failed"), "upload")
            raise
        for r in results:
            self._record(Entry(r.file_name, [r.doc_id] if r.doc_id else [], outcome=r.status), "upload")
        return results

    def delete(self, doc_id: str) -> DocRecord:
        """Remove a document the user may see (and its uploaded copy, which would come back on the next
        ingest); UnknownDocument if it is not there (any more)."""
        self.require("delete", doc_id)
        record = self.document(doc_id)
        with self._audited("delete", record.file_name) as entry:
            entry.documents = [doc_id]
            with self._writing():
                removed = remove_document(self.kb, doc_id)
            if not removed:
                raise UnknownDocument(f"文档“{record.file_name}”已被删除。")
            source = Path(record.source)
            if source.parent == uploads_dir(self.settings).resolve():
                source.unlink(missing_ok=True)
        return record

    def reingest(self, doc_ids: list[str] | None = None, progress: ProgressFactory | None = None) -> IngestReport:
        """Run the current pipeline again over the given documents (None: every document the user may see)."""
        self.require("reingest", "全部文档" if doc_ids is None else "、".join(doc_ids))
        records = self.documents() if doc_ids is None else [self.document(d) for d in doc_ids]
        detail = "全部文档" if doc_ids is None else "、".join(r.file_name for r in records)
        with self._audited("reingest", detail) as entry, self._writing():
            recover_interrupted(self.kb)  # an upload killed half-way must not hand its unconfirmed file over
            report = ingest(self.kb, [Path(r.source) for r in records], progress=progress, loader=self._loader())
            entry.outcome = "ok" if report.ok else "failed"
        return report

    def ingest(self, paths: list[Path], prune: bool = False, progress: ProgressFactory | None = None) -> IngestReport:
        """Ingest files and folders on the server (the command line's `assistant ingest`)."""
        detail = " ".join(str(p) for p in paths) + (" --prune" if prune else "")
        self.require("ingest", detail)
        with self._audited("ingest", detail) as entry, self._writing():
            # files from the server's folders, by an administrator: 已核验 (README, 文档的来源与核验)
            report = ingest(self.kb, paths, prune=prune, progress=progress,
                            loader=self._loader(vouched=self.via == "cli"))
            entry.outcome = "ok" if report.ok else "failed"
        return report

    def import_data(self, kind: str, path: Path, layout: str = "auto", period: str | None = None,
                    replace_period: bool = False) -> ImportSummary:
        """Import one CSV/XLSX file (all rows or none); ImportRejected lists every bad cell. An indicator file
        that lacks regions the database holds for its period raises PartialPeriod (naming them) unless
        `replace_period` says to replace the whole period."""
        detail = f"{kind} {path.name}" + ("（整期替换）" if replace_period else "")
        self.require("import", detail)
        with self._audited("import", detail) as entry:
            try:
                [summary] = self._import(lambda engine: [import_file(engine, kind, path, layout,
                                                                    parse_period(period) if period else None,
                                                                    replace_period=replace_period)])
            except ImportRejected:
                entry.outcome = "rejected"
                raise
        return summary

    def import_demo(self, directory: Path) -> list[ImportSummary]:
        """Import every file of a demo data folder (corpus/data/)."""
        detail = f"演示数据 {directory}"
        self.require("import", detail)
        with self._audited("import", detail):
            return self._import(lambda engine: import_demo(engine, directory))

    def _import(self, run: Callable[[Engine], list[ImportSummary]]) -> list[ImportSummary]:
        url = self.settings.db_url
        with self._writing(), write_lock(self.settings.data_dir, self.settings.database_url):
            engine = create_writable_engine(url)
            try:
                summaries = run(engine)
            except OperationalError as err:
                raise DatabaseNotReady(f"无法连接项目数据库 {display_url(url)}：{err.orig}") from err
            finally:
                engine.dispose()
        self.services.reload_figures()
        return summaries
