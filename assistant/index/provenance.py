"""Who loaded a document, and whether its figures are vouched for: 已核验 / 未核验.

Every document records its loader (`uploader`, `uploaded_via`: cli / api / ui, `uploaded_at`) and a verification
state (`verified`, with `verified_basis`: default | manual and `verified_reason`). The defaults:

- a file an administrator ingests from a folder on the server (`assistant ingest`) is 已核验: whoever has the
  server's shell and the bureau's folders is the person who would vouch for them;
- an upload (API or workbench), whoever sends it, and an ingest by a 科室 account (`--as`), is 未核验.

An administrator sets either state by hand (Workspace.verify); the state is kept per file content, so re-ingesting,
or deleting and uploading the same file again keeps it, and a changed file starts from the default again. A figure
quoted from an unverified document counts as sourced only where the database confirms it (answer/conflicts.py).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import IndexBusy, UnknownDocument
from assistant.index.lock import write_lock
from assistant.index.manifest import DocRecord, Verification

if TYPE_CHECKING:
    from assistant.index.kb import KnowledgeBase  # the knowledge base reads a passage's state from here

VERIFIED, UNVERIFIED = "已核验", "未核验"
STATES = (VERIFIED, UNVERIFIED)
VIA_LABELS = {"cli": "命令行入库", "api": "接口上传", "ui": "工作台上传"}
FIELDS = ("uploader", "uploaded_via", "uploaded_at", "verified", "verified_basis", "verified_reason")
BACKFILLED = "provenance_recorded"  # kv: documents indexed before this feature were given a loader and a state


@dataclass(frozen=True)
class Loader:
    """Who brings files in, through which front end, and the state what they bring starts in."""

    username: str
    via: str  # cli | api | ui
    verified: bool

    @property
    def default_reason(self) -> str:
        if self.verified:
            return "管理员从服务器文件夹入库，默认已核验"
        if self.via == "cli":
            return "非管理员账号入库的文档默认未核验，管理员核验后其中的数字才算有来源"
        return "上传的文档默认未核验，管理员核验后其中的数字才算有来源"


COMMAND_LINE = Loader("命令行", "cli", True)


def is_verified(meta: dict[str, str]) -> bool:
    """A document without a recorded state (indexed by an older version, not yet backfilled) is not verified."""
    return meta.get("verified") == VERIFIED


def uploader_text(meta: dict[str, str]) -> str:
    """"王科长（工作台上传）", "root（命令行入库）"."""
    who = meta.get("uploader") or "未记录"
    via = VIA_LABELS.get(meta.get("uploaded_via", ""), "")
    return f"{who}（{via}）" if via else who


def describe(meta: dict[str, str]) -> str:
    """"未核验（王科长（工作台上传）；上传的文档默认未核验…）": the state, the loader and why."""
    state = meta.get("verified") or UNVERIFIED
    reason = meta.get("verified_reason", "")
    return f"{state}（{uploader_text(meta)}" + (f"；{reason}" if reason else "") + "）"


def brief(meta: dict[str, str]) -> str:
    """"已核验", "未核验（人工）": for a table column."""
    state = meta.get("verified") or UNVERIFIED
    return f"{state}（管理员设定）" if meta.get("verified_basis") == "manual" else state


def loaded(meta: dict[str, str], loader: Loader, content_hash: str, existing: DocRecord | None,
           verification: Verification | None) -> dict[str, str]:
    """`meta` with its loader and state: the same content processed again keeps both; else the loader is the one
    ingesting now, and the state an administrator set for this content, or the loader's default."""
    if existing is not None and existing.content_hash == content_hash and existing.meta.get("verified"):
        return {**meta, **{k: existing.meta[k] for k in FIELDS if k in existing.meta}}
    out = {**meta, "uploader": loader.username, "uploaded_via": loader.via,
           "uploaded_at": datetime.now().strftime("%Y-%m-%d %H:%M")}
    if verification is not None:
        return {**out, "verified": verification.state, "verified_basis": "manual",
                "verified_reason": _manual_reason(verification)}
    return {**out, "verified": VERIFIED if loader.verified else UNVERIFIED, "verified_basis": "default",
            "verified_reason": loader.default_reason}


def _manual_reason(verification: Verification) -> str:
    when = datetime.fromtimestamp(verification.at).strftime("%Y-%m-%d %H:%M")
    return f"管理员 {verification.username} 于 {when} 设为{verification.state}：{verification.reason}"


def set_state(kb: KnowledgeBase, doc_id: str, state: str, reason: str, username: str) -> DocRecord:
    """Set a document's state by hand (taking the data directory's write lock), kept for its content; returns the
    updated record. Answers read it at once (the manifest's generation moves)."""
    if state not in STATES:
        raise ValueError(state)
    with write_lock(kb.settings.data_dir, kb.settings.database_url):
        record = kb.manifest.get(doc_id)
        if record is None:
            raise UnknownDocument(f"未找到文档“{doc_id}”。")
        verification = Verification(record.content_hash, state, reason, username, time.time())
        meta = {**record.meta, "verified": state, "verified_basis": "manual",
                "verified_reason": _manual_reason(verification)}
        meta.setdefault("uploader", "未记录")
        kb.manifest.update_meta(doc_id, meta, verification=verification)
        kb.refresh()
        updated = kb.manifest.get(doc_id)
    assert updated is not None
    return updated


def backfill(kb: KnowledgeBase) -> int:
    """Give documents indexed before loaders and states were recorded both; the caller holds the write lock.
    Files in the uploads folder start 未核验; the others came from `assistant ingest`, which an administrator runs,
    and count as 已核验. Returns how many documents were changed."""
    if kb.manifest.get_kv(BACKFILLED):
        return 0
    uploads = (kb.settings.data_dir / "uploads").resolve()
    changed = 0
    for record in kb.manifest.documents():
        if record.meta.get("verified"):
            continue
        uploaded = Path(record.source).parent == uploads
        loader = Loader("未记录", "api" if uploaded else "cli", not uploaded)
        meta = {**record.meta, "uploader": "未记录（早于本功能入库）", "uploaded_via": loader.via,
                "verified": VERIFIED if loader.verified else UNVERIFIED, "verified_basis": "default",
                "verified_reason": loader.default_reason}
        kb.manifest.update_meta(record.doc_id, meta)
        changed += 1
    kb.manifest.set_kv(BACKFILLED, "1")
    if changed:
        kb.refresh()
    return changed


def align(kb: KnowledgeBase) -> int:
    """On opening the knowledge base: `backfill` once. When another process is writing, it is left to that writer
    (every ingest backfills too); a read-only data directory is left as it is (its documents read as 未核验)."""
    if kb.manifest.get_kv(BACKFILLED):
        return 0
    try:
        with write_lock(kb.settings.data_dir, kb.settings.database_url):
            return backfill(kb)
    except (IndexBusy, OSError, sqlite3.OperationalError):
        return 0
