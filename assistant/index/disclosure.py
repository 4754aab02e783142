"""A document's disclosure class once indexed: an administrator's reclassification, and the deployment default.

Ingest decides the class from the file's markings (corpus/markings.py), or gives an unmarked file
Settings.default_disclosure. An administrator may reclassify a document: the new class is written to the
document's metadata in the manifest (which the keyword side, listings and the glossary read) and to its chunks'
metadata in the vector store, at once; and it is kept as an override for the file's content, so re-ingesting the
same file keeps it. A changed file at the same path keeps an override only where it does not loosen what the new
version's markings say.

The manifest is the authority: the knowledge base also checks vector hits against it, so a vector whose metadata
lags (a crash between the two writes) can never show a document to someone the manifest says may not see it;
`sync_pending` repairs such vectors on the next ingest.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime

from assistant.access import DISCLOSURE_CLASSES, PUBLIC
from assistant.corpus.markings import RESTRICTIVENESS
from assistant.errors import IndexBusy, UnknownDocument
from assistant.index.kb import KnowledgeBase, chunk_metadata
from assistant.index.lock import write_lock
from assistant.index.manifest import ClassOverride, DocRecord

BASIS_LABELS = {"marking": "按标注", "default": "未标注，按默认设置", "manual": "管理员改定"}
PENDING = "class_sync_pending"  # kv: doc ids whose vectors may still carry their previous class
DEFAULT_KEY = "default_disclosure"  # kv: the default the unmarked documents were last classified with


def describe(meta: dict[str, str]) -> str:
    """"内部（标注：页眉“内部资料 注意保存”）": a document's class and why, as the document lists show it."""
    access = meta.get("access", PUBLIC)
    reason = meta.get("access_reason") or ("按标注“" + meta["disclosure"] + "”" if meta.get("disclosure") else "")
    return f"{access}（{reason}）" if reason else access


def brief(meta: dict[str, str]) -> str:
    """"内部（页眉“内部资料”）", "公开（未标注）", "内部（管理员改定）": for a table column; `describe` has the rest."""
    access, basis = meta.get("access", PUBLIC), meta.get("access_basis", "")
    if basis == "manual":
        return f"{access}（管理员改定）"
    if basis == "default":
        return f"{access}（未标注）"
    label = meta.get("disclosure", "").split("、")[0]
    return f"{access}（{label[:16]}）" if label else access


def override_text(override: ClassOverride) -> str:
    when = datetime.fromtimestamp(override.at).strftime("%Y-%m-%d %H:%M")
    return f"管理员 {override.username} 于 {when} 改为{override.access}：{override.reason}"


def with_override(meta: dict[str, str], override: ClassOverride | None, content_hash: str) -> dict[str, str]:
    """`meta` (as detection left it) with an administrator's class, where one applies to this content."""
    if override is None:
        return meta
    detected = {"detected_access": meta.get("access", PUBLIC), "detected_reason": meta.get("access_reason", "")}
    if override.content_hash == content_hash:
        return {**meta, **detected, "access": override.access, "access_basis": "manual",
                "access_reason": override_text(override)}
    # The file changed since it was reclassified: keep the administrator's class unless it would loosen the new
    # version's markings (a 公开 given to the old text must not publish what the new text marks 内部).
    if RESTRICTIVENESS[override.access] >= RESTRICTIVENESS[meta.get("access", PUBLIC)]:
        return {**meta, **detected, "access": override.access, "access_basis": "manual",
                "access_reason": override_text(override) + "（文件已修改，沿用此设定）"}
    note = f"；管理员曾把此文件的旧版本改为{override.access}，新版本的标注更严，按标注处理"
    return {**meta, "access_reason": meta.get("access_reason", "") + note}


def reclassify(kb: KnowledgeBase, doc_id: str, access: str, reason: str, username: str) -> DocRecord:
    """Give a document a class by hand (taking the data directory's write lock); returns the updated record."""
    if access not in DISCLOSURE_CLASSES:
        raise ValueError(access)
    with write_lock(kb.settings.data_dir, kb.settings.database_url):
        record = kb.manifest.get(doc_id)
        if record is None:
            raise UnknownDocument(f"未找到文档“{doc_id}”。")
        override = ClassOverride(record.content_hash, record.source, access, reason, username, time.time())
        meta = dict(record.meta)
        if meta.get("access_basis") != "manual":
            meta["detected_access"] = meta.get("access", PUBLIC)
            meta["detected_reason"] = meta.get("access_reason", "")
        meta.update(access=access, access_basis="manual", access_reason=override_text(override))
        _write(kb, record, meta, override)
        updated = kb.manifest.get(doc_id)
    assert updated is not None
    return updated


def apply_default(kb: KnowledgeBase, default: str) -> list[str]:
    """Bring every document classified by the default (no marking, no override) to `default`; the caller holds
    the write lock. Returns the file names reclassified."""
    changed: list[str] = []
    if kb.manifest.get_kv(DEFAULT_KEY) == default:
        return changed
    for record in kb.manifest.documents():
        meta = record.meta
        if meta.get("access_basis") == "default" and meta.get("access") != default:
            meta = {**meta, "access": default,
                    "access_reason": f"未发现公开属性或密级标注，按默认设置归为{default}（ASSISTANT_DEFAULT_DISCLOSURE）"}
            _write(kb, record, meta, None)
            changed.append(record.file_name)
    kb.manifest.set_kv(DEFAULT_KEY, default)
    return changed


def sync_pending(kb: KnowledgeBase) -> int:
    """Vector metadata left behind by an interrupted reclassification, rewritten from the manifest."""
    pending = json.loads(kb.manifest.get_kv(PENDING) or "[]")
    for doc_id in pending:
        record = kb.manifest.get(doc_id)
        if record is not None:
            _vectors(kb, record.doc_id, record.meta)
    kb.manifest.set_kv(PENDING, None)
    return len(pending)


def _write(kb: KnowledgeBase, record: DocRecord, meta: dict[str, str], override: ClassOverride | None) -> None:
    """Manifest first (the authority, checked on every hit), then the vectors; a crash in between is repaired by
    the next ingest (sync_pending)."""
    pending = json.loads(kb.manifest.get_kv(PENDING) or "[]")
    kb.manifest.set_kv(PENDING, json.dumps(sorted({*pending, record.doc_id})))
    kb.manifest.update_meta(record.doc_id, meta, override)
    _vectors(kb, record.doc_id, meta)
    pending = [d for d in json.loads(kb.manifest.get_kv(PENDING) or "[]") if d != record.doc_id]
    kb.manifest.set_kv(PENDING, json.dumps(pending) if pending else None)
    kb.refresh()


def _vectors(kb: KnowledgeBase, doc_id: str, meta: dict[str, str]) -> None:
    ids = [c.chunk_id for c in kb.manifest.chunks(doc_id=doc_id)]
    if ids:
        vector_meta = chunk_metadata(doc_id, meta)
        kb.vectors.update_metadata(ids, [dict(vector_meta) for _ in ids])


def align_default(kb: KnowledgeBase, default: str) -> list[str]:
    """On opening the knowledge base: if the default changed since the unmarked documents were classified,
    reclassify them now. When another process is writing, it is left to that writer (every ingest applies the
    default too); a read-only data directory is left as it is."""
    if kb.manifest.get_kv(DEFAULT_KEY) == default:
        return []
    try:
        with write_lock(kb.settings.data_dir, kb.settings.database_url):
            return apply_default(kb, default)
    except (IndexBusy, OSError, sqlite3.OperationalError):
        return []
