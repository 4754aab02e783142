"""The knowledge-base manifest: documents (content hash, metadata, cleaned text) and their chunks, in SQLite
(kb.sqlite), or in the shared PostgreSQL database when ASSISTANT_DATABASE_URL points to one (assistant/state).

It is the source of truth for what is indexed. Chroma and BM25 are derived from it: a document's vectors
are written before its manifest rows are committed, so a crash leaves at worst orphan vectors, which the
next ingest removes (`reconcile`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError

from assistant.state.engine import StateUnavailable, engine_for, translate_errors
from assistant.state.migrations import chunks as chunks_table
from assistant.state.migrations import class_overrides as class_overrides_table
from assistant.state.migrations import documents as documents_table
from assistant.state.migrations import migrate
from assistant.state.migrations import verifications as verifications_table


@dataclass
class DocRecord:
    doc_id: str
    source: str
    file_name: str
    content_hash: str
    size: int
    fmt: str
    meta: dict[str, str]
    n_chunks: int
    ingested_at: float


@dataclass
class ClassOverride:
    """The class an administrator gave a file's content, why, who and when (epoch seconds)."""

    content_hash: str
    source: str
    access: str
    reason: str
    username: str
    at: float


@dataclass
class Verification:
    """已核验 or 未核验, as an administrator set it for a file's content: why, who and when (epoch seconds)."""

    content_hash: str
    state: str
    reason: str
    username: str
    at: float


@dataclass
class ChunkRow:
    chunk_id: str
    doc_id: str
    ord: int
    text: str
    embed_text: str
    tokens: list[str]
    section: str
    start: int
    end: int
    kind: str
    page: int | None


class Manifest:
    """`location`: the kb.sqlite file, or the shared PostgreSQL database's URL (state.state_url(settings, "kb")),
    where every server sees the documents any of them ingested and reloads when the generation moves."""

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self.path = location if isinstance(location, Path) else None
        self._engine = engine_for(location)
        migrate(self._engine, "kb")

    def close(self) -> None:
        """Close the pooled connections (a restore swaps the files underneath); the engine opens new ones on use."""
        self._engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with translate_errors(), self._engine.begin() as conn:
            yield conn

    def _rows(self, query: str, **params: object) -> list[Any]:
        with translate_errors(), self._engine.connect() as conn:
            return list(conn.execute(sql(query), params).all())

    # -- generation: bumps on every change so derived indexes know they are stale
    def generation(self) -> int:
        """Read on every search, so on the pooled driver connection directly (a tenth of the cost through
        SQLAlchemy's execution layer)."""
        try:
            conn = self._engine.raw_connection()
        except OperationalError as exc:
            raise StateUnavailable("入库清单所在的数据库暂时无法访问，请稍后重试。") from exc
        try:
            cursor = conn.cursor()
            cursor.execute("SELECT value FROM kv WHERE key = 'generation'")
            row = cursor.fetchone()
            cursor.close()
            conn.rollback()  # psycopg opened a transaction for the read
        except self._engine.dialect.loaded_dbapi.OperationalError as exc:
            conn.invalidate()
            raise StateUnavailable("入库清单所在的数据库暂时无法访问，请稍后重试。") from exc
        finally:
            conn.close()  # back to the pool
        return int(row[0]) if row else 0

    def _bump(self, conn: Connection) -> None:
        conn.execute(sql(
            "INSERT INTO kv (key, value) VALUES ('generation', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(kv.value AS INTEGER) + 1 AS TEXT)"
        ))

    _COLUMNS = "doc_id, source, file_name, content_hash, size, fmt, meta, n_chunks, ingested_at"

    def _records(self, where: str = "", **params: object) -> list[DocRecord]:
        rows = self._rows(f"SELECT {self._COLUMNS} FROM documents {where} ORDER BY file_name", **params)  # noqa: S608
        return [DocRecord(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def get_kv(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM kv WHERE key = :key", key=key)
        return str(rows[0][0]) if rows else None

    def set_kv(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            if value is None:
                conn.execute(sql("DELETE FROM kv WHERE key = :key"), {"key": key})
            else:
                conn.execute(sql("INSERT INTO kv (key, value) VALUES (:key, :value) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"key": key, "value": value})

    def documents(self) -> list[DocRecord]:
        return self._records()

    def by_source(self, source: str) -> DocRecord | None:
        found = self._records("WHERE source = :source", source=source)
        return found[0] if found else None

    def by_hash(self, content_hash: str) -> DocRecord | None:
        found = self._records("WHERE content_hash = :hash", hash=content_hash)
        return found[0] if found else None

    def get(self, doc_id: str) -> DocRecord | None:
        found = self._records("WHERE doc_id = :doc_id", doc_id=doc_id)
        return found[0] if found else None

    def document_text(self, doc_id: str) -> str:
        rows = self._rows("SELECT text FROM documents WHERE doc_id = :doc_id", doc_id=doc_id)
        return str(rows[0][0]) if rows else ""

    def replace_document(self, record: DocRecord, text: str, encoding: str, chunks: list[ChunkRow], replaces: str | None) -> None:
        """Atomically drop the document previously at this source (if any) and store the new one."""
        with self.transaction() as conn:
            for doc_id in dict.fromkeys(d for d in (replaces, record.doc_id) if d):
                conn.execute(sql("DELETE FROM chunks WHERE doc_id = :doc_id"), {"doc_id": doc_id})
                conn.execute(sql("DELETE FROM documents WHERE doc_id = :doc_id"), {"doc_id": doc_id})
            conn.execute(documents_table.insert().values(
                doc_id=record.doc_id, source=record.source, file_name=record.file_name,
                content_hash=record.content_hash, size=record.size, fmt=record.fmt, encoding=encoding,
                meta=json.dumps(record.meta, ensure_ascii=False), text=text, n_chunks=record.n_chunks,
                ingested_at=record.ingested_at))
            if chunks:
                conn.execute(chunks_table.insert(), [
                    {"chunk_id": c.chunk_id, "doc_id": c.doc_id, "ord": c.ord, "text": c.text,
                     "embed_text": c.embed_text, "tokens": " ".join(c.tokens), "section": c.section,
                     "start": c.start, "end": c.end, "kind": c.kind, "page": c.page}
                    for c in chunks])
            self._bump(conn)

    def update_meta(self, doc_id: str, meta: dict[str, str], override: ClassOverride | None = None,
                    verification: Verification | None = None) -> None:
        """Replace one document's metadata (its class, its verification), recording the administrator's override
        or verification with it in the same transaction; bumps the generation so searches, listings and the
        glossary see it at once."""
        with self.transaction() as conn:
            if verification is not None:
                conn.execute(sql("DELETE FROM verifications WHERE content_hash = :hash"),
                             {"hash": verification.content_hash})
                conn.execute(verifications_table.insert().values(
                    content_hash=verification.content_hash, state=verification.state, reason=verification.reason,
                    username=verification.username, at=verification.at))
            conn.execute(sql("UPDATE documents SET meta = :meta WHERE doc_id = :doc_id"),
                         {"meta": json.dumps(meta, ensure_ascii=False), "doc_id": doc_id})
            if override is not None:
                conn.execute(sql("DELETE FROM class_overrides WHERE content_hash = :hash"),
                             {"hash": override.content_hash})
                conn.execute(class_overrides_table.insert().values(
                    content_hash=override.content_hash, source=override.source, access=override.access,
                    reason=override.reason, username=override.username, at=override.at))
            self._bump(conn)

    def class_override(self, content_hash: str, source: str) -> ClassOverride | None:
        """The override made for this content; else the latest one made for an earlier version at this path."""
        columns = "content_hash, source, access, reason, username, at"
        rows = self._rows(f"SELECT {columns} FROM class_overrides WHERE content_hash = :hash", hash=content_hash)  # noqa: S608
        if not rows:
            rows = self._rows(f"SELECT {columns} FROM class_overrides WHERE source = :source ORDER BY at DESC LIMIT 1",  # noqa: S608
                              source=source)
        return ClassOverride(*rows[0]) if rows else None

    def verification(self, content_hash: str) -> Verification | None:
        """The state an administrator set for this content, if any (a changed file is a new content)."""
        rows = self._rows("SELECT content_hash, state, reason, username, at FROM verifications WHERE content_hash = :hash",
                          hash=content_hash)
        return Verification(*rows[0]) if rows else None

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as conn:
            conn.execute(sql("DELETE FROM chunks WHERE doc_id = :doc_id"), {"doc_id": doc_id})
            conn.execute(sql("DELETE FROM documents WHERE doc_id = :doc_id"), {"doc_id": doc_id})
            self._bump(conn)

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT chunk_id FROM chunks")}

    def chunks(self, ids: list[str] | None = None, doc_id: str | None = None) -> list[ChunkRow]:
        query = 'SELECT chunk_id, doc_id, ord, text, embed_text, tokens, section, start, "end", kind, page FROM chunks'
        if doc_id is not None:
            rows = self._rows(query + " WHERE doc_id = :doc_id ORDER BY ord", doc_id=doc_id)
        elif ids is None:
            rows = self._rows(query + " ORDER BY doc_id, ord")
        else:
            rows = []
            for offset in range(0, len(ids), 500):
                part = ids[offset : offset + 500]
                names = {f"i{n}": chunk_id for n, chunk_id in enumerate(part)}
                rows += self._rows(query + f" WHERE chunk_id IN ({', '.join(':' + n for n in names)})", **names)
        return [
            ChunkRow(r[0], r[1], r[2], r[3], r[4], r[5].split(" ") if r[5] else [], r[6], r[7], r[8], r[9], r[10])
            for r in rows
        ]

    def stats(self) -> tuple[int, int]:
        docs = self._rows("SELECT COUNT(*) FROM documents")[0][0]
        chunks = self._rows("SELECT COUNT(*) FROM chunks")[0][0]
        return int(docs), int(chunks)


def now() -> float:
    return time.time()
