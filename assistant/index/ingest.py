"""Incremental ingest: files → cleaned documents → chunks → vectors + manifest, skipping unchanged files."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.access import PUBLIC
from assistant.corpus.chunking import Chunk, chunk_document, subtitle_of
from assistant.corpus.cleanup import clean
from assistant.corpus.formats.sheets import database_tables
from assistant.corpus.gongwen import extract_metadata
from assistant.corpus.loaders import RawDocument, load_file, loader_for, reading_together
from assistant.corpus.markings import markings_of
from assistant.corpus.ocr import pages_text
from assistant.corpus.titles import document_title
from assistant.errors import AssistantError, LoadError
from assistant.index.disclosure import apply_default, sync_pending, with_override
from assistant.index.kb import KnowledgeBase, chunk_metadata
from assistant.index.lock import write_lock
from assistant.index.manifest import ChunkRow, ClassOverride, DocRecord, now
from assistant.index.provenance import COMMAND_LINE, Loader, backfill, loaded
from assistant.index.tokenize import tokenize

SKIPPED_NAMES = {"readme.md", "readme.txt"}
# Bump when cleanup, metadata or chunking change, so that an unchanged file is processed again.
PIPELINE_VERSION = "10"  # 10: offices issuing jointly on one head line are the office (甲局 乙局); 9: see git log; 8: unnumbered heading lines in a document without 一、 are sections; 7: a report's subtitle, source and time lines and photo captions are no passages (the subtitle is kept in the metadata); 6: no title passages, multi-line titles, every 文号 form, heading facts in text, comments and web furniture dropped, hard maximum passage length (5: OCR)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the already indexed file)
    pruned: list[str] = field(default_factory=list)
    reclassified: list[str] = field(default_factory=list)  # unmarked documents brought to a changed default
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese message)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, Chinese message): ingested, but check
    repaired_chunks: int = 0
    chunks_written: int = 0
    chars_embedded: int = 0
    seconds_embedding: float = 0.0
    seconds_total: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        lines = [
            f"入库完成：新增 {len(self.added)} 个，更新 {len(self.updated)} 个，未变化跳过 {len(self.unchanged)} 个，"
            f"重复文件跳过 {len(self.duplicates)} 个，移除 {len(self.pruned)} 个，失败 {len(self.failed)} 个；"
            f"写入 {self.chunks_written} 个片段，用时 {self.seconds_total:.1f} 秒。"
        ]
        for name, original in self.duplicates:
            lines.append(f"  · “{name}”与已入库的“{original}”内容完全相同，已跳过")
        if self.reclassified:
            lines.append(f"  · {len(self.reclassified)} 个未标注公开属性的文档已按新的默认设置重新归类："
                         + "、".join(self.reclassified[:10]) + ("等" if len(self.reclassified) > 10 else ""))
        if self.repaired_chunks:
            lines.append(f"  · 修复了 {self.repaired_chunks} 个索引不一致的片段（上次入库可能被中断）")
        for name, message in self.warnings:
            lines.append(f"  ! “{name}”：{message}")
        for _name, message in self.failed:
            lines.append(f"  ✗ {message}")
        return "\n".join(lines)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand directories; explicit files of unsupported types are reported, in directories they are ignored."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    data_tables: dict[Path, set[Path]] = {}  # per folder: the project database's import tables, not documents
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and loader_for(child) is not None
                    and child.name.lower() not in SKIPPED_NAMES
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                    and not _database_table(child, data_tables)
                ):
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            problems.append((str(path), f"路径“{path}”不存在"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        resolved = f.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
    return unique, problems


def _database_table(path: Path, known: dict[Path, set[Path]]) -> bool:
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return False
    if path.parent not in known:
        known[path.parent] = database_tables(path.parent)
    return path.resolve() in known[path.parent]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class PreparedDocument:
    record: DocRecord
    text: str
    encoding: str
    chunks: list[ChunkRow]
    warnings: list[str] = field(default_factory=list)  # from the loader: pages OCR read badly or not at all


def prepare(path: Path, content_hash: str, max_chars: int, max_bytes: int, default_access: str = PUBLIC,
            override: ClassOverride | None = None, max_ocr_pages: int | None = None) -> PreparedDocument:
    """Load, clean, extract metadata and chunk one file. Pure apart from reading the file.
    `default_access`: the class of an unmarked file; `override`: an administrator's class for it, if any;
    `max_ocr_pages`: a scan with more pages to OCR is refused before any is read."""
    raw = load_file(path, max_bytes=max_bytes, max_ocr_pages=max_ocr_pages)
    doc = clean(raw)
    if not doc.text.strip():
        raise LoadError(path, "清理后没有可入库的文字内容")
    meta = extract_metadata(doc, fallback_title=path.stem, markings=markings_of(raw), default_access=default_access)
    meta.title = document_title(meta.title, doc, own_title=raw.title, file_name=path.name)
    if raw.unread_margins:  # a picture watermark without OCR: the class stands on what could be read, and says so
        meta.access_reason += "；" + "；".join(raw.unread_margins)
    scanned = _ocr_meta(raw)
    if meta.access == "涉密":
        raise LoadError(path, f"文件标注为涉密（{meta.access_reason or '密级标志'}），涉密文件不得录入本系统")
    chunks: list[Chunk] = chunk_document(doc, meta.title, max_chars)
    subtitle = subtitle_of(doc, meta.title)
    doc_id = content_hash[:16]
    rows = []
    for order, chunk in enumerate(chunks):
        embed_text = chunk.embed_text(meta.title)
        rows.append(
            ChunkRow(
                chunk_id=f"{doc_id}-{order:04d}", doc_id=doc_id, ord=order, text=chunk.text,
                embed_text=embed_text, tokens=tokenize(embed_text), section=chunk.section,
                start=chunk.start, end=chunk.end, kind=chunk.kind, page=chunk.page,
            )
        )
    record = DocRecord(
        doc_id=doc_id, source=str(path.resolve()), file_name=path.name, content_hash=content_hash,
        size=path.stat().st_size, fmt=raw.fmt,
        meta={**with_override(meta.as_dict(), override, content_hash), **scanned, "pipeline": PIPELINE_VERSION,
              **({"subtitle": subtitle} if subtitle else {})},
        n_chunks=len(rows), ingested_at=now(),
    )
    return PreparedDocument(record, doc.text, raw.encoding, rows, list(raw.warnings))


def _ocr_meta(raw: RawDocument) -> dict[str, str]:
    """For a scan: which pages were read by OCR (citations say so) and how sure it was (mean over lines)."""
    if not raw.ocr_pages:
        return {}
    scores = [(b.confidence, len(b.text)) for b in raw.blocks if b.confidence is not None and b.text]
    chars = sum(n for _, n in scores)
    mean = sum(c * n for c, n in scores) / chars if chars else 0.0
    return {"ocr_pages": pages_text(raw.ocr_pages), "ocr_confidence": f"{mean:.3f}"}


class Progress(Protocol):
    """Minimal progress interface (tqdm-compatible) so the library does not depend on a terminal."""

    def update(self, n: int) -> None: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int], Progress]  # called with the number of files to read; update(1) per file


def ingest(
    kb: KnowledgeBase,
    paths: list[Path],
    prune: bool = False,
    progress: ProgressFactory | None = None,
    loader: Loader = COMMAND_LINE,
) -> IngestReport:
    """`loader`: who brings the files in, recorded on each new document with the 已核验/未核验 state it starts in
    (index/provenance.py); a file processed again with the same content keeps its loader and state."""
    started = time.perf_counter()
    report = IngestReport()
    settings = kb.settings
    with write_lock(settings.data_dir, settings.database_url):
        files, report.failed = collect_files(paths)
        consistent = _consistency_mark(kb)
        if kb.manifest.get_kv("consistent") != consistent:
            report.repaired_chunks = reconcile(kb)
        sync_pending(kb)  # vectors an interrupted reclassification left with their old class
        report.reclassified = apply_default(kb, settings.default_disclosure)
        backfill(kb)  # documents indexed before loaders and states were recorded
        work: list[tuple[Path, str, DocRecord | None]] = []
        for path in files:
            try:
                content_hash = file_hash(path)
            except OSError as exc:
                report.failed.append((path.name, str(LoadError(path, f"无法读取（{exc.strerror or exc}）"))))
                continue
            existing = kb.manifest.by_source(str(path.resolve()))
            if (
                existing is not None
                and existing.content_hash == content_hash
                and existing.meta.get("pipeline") == PIPELINE_VERSION
            ):
                report.unchanged.append(path.name)
                continue
            twin = kb.manifest.by_hash(content_hash)
            if twin is not None and twin.source != str(path.resolve()) and Path(twin.source).exists():
                report.duplicates.append((path.name, twin.file_name))
                continue
            work.append((path, content_hash, existing))
        # Each file is stored as soon as it is read: an ingest interrupted half-way through a folder (a long scan,
        # kill -9) keeps the files done before it, and the next run reads only the rest.
        writing = False
        bar = progress(len(work)) if progress and work else None
        try:
            with reading_together([path for path, _, _ in work]):  # .doc/.wps: one LibreOffice run for the folder
                for path, content_hash, existing in work:
                    doc = _prepare_one(kb, path, content_hash, existing, loader, report)
                    if doc is not None:
                        if not writing:
                            kb.manifest.set_kv("consistent", None)  # cleared while vectors and manifest may disagree
                            writing = True
                        report.warnings += [(doc.record.file_name, message) for message in doc.warnings]
                        t0 = time.perf_counter()
                        _store(kb, doc, existing)
                        report.seconds_embedding += time.perf_counter() - t0
                        report.chars_embedded += sum(len(c.embed_text) for c in doc.chunks)
                        report.chunks_written += len(doc.chunks)
                        (report.updated if existing else report.added).append(doc.record.file_name)
                    if bar:
                        bar.update(1)
        finally:
            if bar:
                bar.close()
        if prune and not writing:
            kb.manifest.set_kv("consistent", None)
        if prune:
            for record in kb.manifest.documents():
                if not Path(record.source).exists():
                    remove_document(kb, record.doc_id, locked=True)
                    report.pruned.append(record.file_name)
        kb.manifest.set_kv("consistent", _consistency_mark(kb))
        kb.refresh()
        _refresh_glossary(kb, report)
    report.seconds_total = time.perf_counter() - started
    return report


def _prepare_one(kb: KnowledgeBase, path: Path, content_hash: str, existing: DocRecord | None, loader: Loader,
                 report: IngestReport) -> PreparedDocument | None:
    """One file read, cleaned and chunked, with who brought it in; None, with the reason in the report, for a
    file that cannot be read."""
    settings = kb.settings
    try:
        override = kb.manifest.class_override(content_hash, str(path.resolve()))
        doc = prepare(path, content_hash, settings.chunk_max_chars, settings.max_file_bytes,
                      settings.default_disclosure, override, settings.max_ocr_pages)
        doc.record.meta = loaded(doc.record.meta, loader, content_hash, existing, kb.manifest.verification(content_hash))
        return doc
    except LoadError as exc:
        report.failed.append((path.name, str(exc)))
    except AssistantError as exc:
        report.failed.append((path.name, f"“{path.name}”：{exc}"))
    except Exception as exc:  # a loader bug must not stop the other files
        report.failed.append((path.name, f"无法读取文件“{path.name}”：内部错误（{type(exc).__name__}: {exc}）"))
    return None


def _refresh_glossary(kb: KnowledgeBase, report: IngestReport) -> None:
    """Terms learned from the corpus follow every ingest; only the documents just added are mined."""
    from assistant.onboarding.glossary import refresh_learned_terms  # onboarding sits above the index

    try:
        refresh_learned_terms(kb)
    except Exception as exc:  # the documents are indexed; the glossary is rebuilt when next viewed
        report.warnings.append(("术语表", f"术语表未能更新（{type(exc).__name__}: {exc}），查看术语表时将重新提取"))


def _store(kb: KnowledgeBase, doc: PreparedDocument, existing: DocRecord | None) -> None:
    """Vectors first, then the manifest commit, then the old version's vectors: a crash at any point
    leaves either the old or the new document fully indexed, plus at most orphan vectors."""
    rows = doc.chunks
    stale: list[str] = []
    kept: list[str] = []
    moved: dict[str, str] = {}  # new chunk id → the old chunk id whose vector (same embedded text) it takes
    if existing is not None:
        # A newer pipeline or an edited file: a passage whose embedded text did not change keeps its vector, even
        # under a new chunk id (a passage left out before it, an edit above it), so a pipeline bump or a one-line
        # edit re-embeds only the passages that changed. Those vectors are in the store: the ingest began
        # consistent. The old version's other vectors go after the manifest commit.
        previous = kb.manifest.chunks(doc_id=existing.doc_id)
        holder: dict[str, str] = {}
        for c in previous:
            holder.setdefault(c.embed_text, c.chunk_id)
        if existing.doc_id == doc.record.doc_id:
            before = {c.chunk_id: c.embed_text for c in previous}
            new_ids = {r.chunk_id for r in rows}
            stale = [chunk_id for chunk_id in before if chunk_id not in new_ids]
            kept = [r.chunk_id for r in rows if before.get(r.chunk_id) == r.embed_text]
        unchanged = set(kept)
        moved = {r.chunk_id: holder[r.embed_text] for r in rows
                 if r.chunk_id not in unchanged and r.embed_text in holder}
    if rows:
        meta = chunk_metadata(doc.record.doc_id, doc.record.meta)
        stored = kb.vectors.vectors(sorted(set(moved.values()))) if moved else {}
        moved = {new: old for new, old in moved.items() if old in stored}
        if moved:
            ids = list(moved)
            kb.vectors.upsert(ids, np.stack([stored[moved[i]] for i in ids]), [dict(meta) for _ in ids])
        reuse = set(kept) | set(moved)
        todo = [r for r in rows if r.chunk_id not in reuse]
        if todo:
            vectors = kb.embedder.embed_documents([r.embed_text for r in todo])
            kb.vectors.upsert([r.chunk_id for r in todo], vectors, [dict(meta) for _ in todo])
        if kept:
            kb.vectors.update_metadata(kept, [dict(meta) for _ in kept])
    replaces = existing.doc_id if existing and existing.doc_id != doc.record.doc_id else None
    kb.manifest.replace_document(doc.record, doc.text, doc.encoding, rows, replaces)
    if replaces:
        kb.vectors.delete_doc(replaces)
    if stale:
        kb.vectors.delete_ids(stale)


def reconcile(kb: KnowledgeBase) -> int:
    """Make Chroma match the manifest: drop orphan vectors, re-embed chunks whose vectors are missing
    (after a crash, or when the embedder changed). Returns how many chunks were repaired."""
    wanted = kb.manifest.chunk_ids()
    if not wanted and not kb.settings.chroma_path.exists() and not kb.settings.chroma_url:
        return 0
    present = kb.vectors.all_ids()
    orphans = sorted(present - wanted)
    if orphans:
        kb.vectors.delete_ids(orphans)
    missing = sorted(wanted - present)
    if missing:
        rows = kb.manifest.chunks(missing)
        metas = {d.doc_id: chunk_metadata(d.doc_id, d.meta) for d in kb.manifest.documents()}
        for offset in range(0, len(rows), 256):
            part = rows[offset : offset + 256]
            vectors = kb.embedder.embed_documents([r.embed_text for r in part])
            kb.vectors.upsert([r.chunk_id for r in part], vectors, [dict(metas[r.doc_id]) for r in part])
    return len(orphans) + len(missing)


def remove_document(kb: KnowledgeBase, doc_id: str, locked: bool = False) -> bool:
    """Delete one document from the manifest and the vector store."""
    def _remove() -> bool:
        if kb.manifest.get(doc_id) is None:
            return False
        kb.manifest.delete_document(doc_id)
        kb.vectors.delete_doc(doc_id)
        return True

    if locked:
        return _remove()
    with write_lock(kb.settings.data_dir, kb.settings.database_url):
        removed = _remove()
        kb.refresh()
        return removed


def _consistency_mark(kb: KnowledgeBase) -> str:
    return f"{kb.manifest.generation()}:{kb.embedder_name}:{kb.settings.chroma_url or 'local'}"
