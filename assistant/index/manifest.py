"""The knowledge-base manifest: documents (content hash, metadata, cleaned text) and their chunks, in SQLite.

It is the source of truth for what is indexed. Chroma and BM25 are derived from it: a document's vectors
are written before its manifest rows are committed, so a crash leaves at worst orphan vectors, which the
next ingest removes (`reconcile`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        doc_id TEXT PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        file_name TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        size INTEGER NOT NULL,
        fmt TEXT NOT NULL,
        encoding TEXT,
        meta TEXT NOT NULL,
        text TEXT NOT NULL,
        n_chunks INTEGER NOT NULL,
        ingested_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS chunks (
        chunk_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL,
        embed_text TEXT NOT NULL,
        tokens TEXT NOT NULL,
        section TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        page INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id)",
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # An administrator's disclosure class for a file's content (index/disclosure.py): it outlives re-ingest
    # and deletion, so the same file ingested again keeps the class it was given.
    """CREATE TABLE IF NOT EXISTS class_overrides (
        content_hash TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        access TEXT NOT NULL,
        reason TEXT NOT NULL,
        username TEXT NOT NULL,
        at REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS class_overrides_source ON class_overrides(source)",
]


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
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        for statement in SCHEMA:
            self.conn.execute(statement)
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.conn:
            yield self.conn

    # -- generation: bumps on every change so derived indexes know they are stale
    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM kv WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO kv(key, value) VALUES('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    _COLUMNS = "doc_id, source, file_name, content_hash, size, fmt, meta, n_chunks, ingested_at"

    def _records(self, where: str = "", params: tuple[object, ...] = ()) -> list[DocRecord]:
        rows = self.conn.execute(
            f"SELECT {self._COLUMNS} FROM documents {where} ORDER BY file_name", params
        ).fetchall()
        return [DocRecord(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8]) for r in rows]

    def get_kv(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_kv(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM kv WHERE key=?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO kv(key, value) VALUES(?, ?)", (key, value))

    def documents(self) -> list[DocRecord]:
        return self._records()

    def by_source(self, source: str) -> DocRecord | None:
        found = self._records("WHERE source=?", (source,))
        return found[0] if found else None

    def by_hash(self, content_hash: str) -> DocRecord | None:
        found = self._records("WHERE content_hash=?", (content_hash,))
        return found[0] if found else None

    def get(self, doc_id: str) -> DocRecord | None:
        found = self._records("WHERE doc_id=?", (doc_id,))
        return found[0] if found else None

    def document_text(self, doc_id: str) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def replace_document(self, record: DocRecord, text: str, encoding: str, chunks: list[ChunkRow], replaces: str | None) -> None:
        """Atomically drop the document previously at this source (if any) and store the new one."""
        with self.transaction() as conn:
            if replaces:
                conn.execute("DELETE FROM chunks WHERE doc_id=?", (replaces,))
                conn.execute("DELETE FROM documents WHERE doc_id=?", (replaces,))
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (record.doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id=?", (record.doc_id,))
            conn.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record.doc_id, record.source, record.file_name, record.content_hash, record.size,
                    record.fmt, encoding, json.dumps(record.meta, ensure_ascii=False), text,
                    record.n_chunks, record.ingested_at,
                ),
            )
            conn.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (c.chunk_id, c.doc_id, c.ord, c.text, c.embed_text, " ".join(c.tokens), c.section,
                     c.start, c.end, c.kind, c.page)
                    for c in chunks
                ],
            )
            self._bump(conn)

    def update_meta(self, doc_id: str, meta: dict[str, str], override: ClassOverride | None = None) -> None:
        """Replace one document's metadata (its class, say), recording the administrator's override with it in
        the same transaction; bumps the generation so searches, listings and the glossary see it at once."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET meta=? WHERE doc_id=?", (json.dumps(meta, ensure_ascii=False), doc_id))
            if override is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO class_overrides VALUES (?,?,?,?,?,?)",
                    (override.content_hash, override.source, override.access, override.reason, override.username,
                     override.at),
                )
            self._bump(conn)

    def class_override(self, content_hash: str, source: str) -> ClassOverride | None:
        """The override made for this content; else the latest one made for an earlier version at this path."""
        row = self.conn.execute("SELECT * FROM class_overrides WHERE content_hash=?", (content_hash,)).fetchone()
        if row is None:
            row = self.conn.execute("SELECT * FROM class_overrides WHERE source=? ORDER BY at DESC LIMIT 1",
                                    (source,)).fetchone()
        return ClassOverride(row[0], row[1], row[2], row[3], row[4], row[5]) if row else None

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self._bump(conn)

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT chunk_id FROM chunks")}

    def chunks(self, ids: list[str] | None = None, doc_id: str | None = None) -> list[ChunkRow]:
        query = "SELECT chunk_id, doc_id, ord, text, embed_text, tokens, section, start, end, kind, page FROM chunks"
        if doc_id is not None:
            rows = self.conn.execute(query + " WHERE doc_id=? ORDER BY ord", (doc_id,)).fetchall()
        elif ids is None:
            rows = self.conn.execute(query + " ORDER BY doc_id, ord").fetchall()
        else:
            rows = []
            for offset in range(0, len(ids), 500):
                part = ids[offset : offset + 500]
                rows += self.conn.execute(
                    query + f" WHERE chunk_id IN ({','.join('?' * len(part))})", part
                ).fetchall()
        return [
            ChunkRow(r[0], r[1], r[2], r[3], r[4], r[5].split(" ") if r[5] else [], r[6], r[7], r[8], r[9], r[10])
            for r in rows
        ]

    def stats(self) -> tuple[int, int]:
        docs = self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = self.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return int(docs), int(chunks)


def now() -> float:
    return time.time()
