"""The state tables and their ordered migrations, per store.

Each store (users, audit, feedback, learning, limits, kb) has its own list of steps, recorded in a state_schema
table of the database it lives in. A step runs once, in a write transaction that excludes every other process
migrating the same store (two servers starting at once), and is safe where its effect is already present:
files written before migrations existed (users.sqlite with the same tables) are adopted as they are. To change a
schema, append a step; never edit one that has shipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from assistant.state.engine import translate_errors, write_transaction

metadata = MetaData()

state_schema = Table(
    "state_schema", metadata,
    Column("store", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(32), nullable=False),
    PrimaryKeyConstraint("store", "version"),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", Text, nullable=False, unique=True),
    Column("role", Text, nullable=False),
    Column("region", Text),
    Column("clearance", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Integer, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
    Column("last_login", Text),
)
api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False),
    Column("key_hash", Text, nullable=False, unique=True),
    Column("label", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text),
)
sessions = Table(
    "sessions", metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
)
login_failures = Table(
    "login_failures", metadata,
    Column("username", Text, nullable=False),
    Column("at", Float, nullable=False),
    Column("client", Text, nullable=False, server_default=""),
)
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("username", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("documents", Text, nullable=False),
    Column("rows", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("via", Text, nullable=False),
    Index("audit_user", "username", "at"),
    Index("audit_action", "action", "at"),
)
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Text, nullable=False),
    Column("rating", Integer, CheckConstraint("rating IN (-1, 1)"), nullable=False),
    Column("question", Text, nullable=False),
    Column("history", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("citations", Text, nullable=False),
    Column("figures", Text, nullable=False),
    Column("flagged_numbers", Text, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("username", Text, nullable=False, server_default=""),
)
quiz_results = Table(
    "quiz_results", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", Text, nullable=False),
    Column("taken_at", Float, nullable=False),
    Column("score", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("detail", Text, nullable=False),
)
rate_hits = Table(
    "rate_hits", metadata,
    Column("username", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("rate_hits_user", "username", "at"),
)

# The knowledge-base manifest (index/manifest.py): the same tables kb.sqlite has always had.
documents = Table(
    "documents", metadata,
    Column("doc_id", Text, primary_key=True),
    Column("source", Text, nullable=False, unique=True),
    Column("file_name", Text, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("fmt", Text, nullable=False),
    Column("encoding", Text),
    Column("meta", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("n_chunks", Integer, nullable=False),
    Column("ingested_at", Float, nullable=False),
)
chunks = Table(
    "chunks", metadata,
    Column("chunk_id", Text, primary_key=True),
    Column("doc_id", Text, ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("embed_text", Text, nullable=False),
    Column("tokens", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("page", Integer),
    Index("chunks_doc", "doc_id"),
)
kv = Table(
    "kv", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
class_overrides = Table(
    "class_overrides", metadata,
    Column("content_hash", Text, primary_key=True),
    Column("source", Text, nullable=False),
    Column("access", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("username", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("class_overrides_source", "source"),
)
verifications = Table(
    "verifications", metadata,  # 已核验 / 未核验 set by an administrator, per file content
    Column("content_hash", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("username", Text, nullable=False),
    Column("at", Float, nullable=False),
)

Step = tuple[str, Callable[[Connection], None]]


def _create(*tables: Table) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)
            for index in table.indexes:
                index.create(conn, checkfirst=True)

    return apply


def _add_column(table: str, column: str, ddl: str) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))

    return apply


STEPS: dict[str, list[Step]] = {
    "users": [
        ("accounts, API keys, sessions, login failures", _create(users, api_keys, sessions, login_failures)),
        ("login failures counted per client address", _add_column("login_failures", "client", "TEXT NOT NULL DEFAULT ''")),
    ],
    "audit": [("audit log", _create(audit))],
    "feedback": [
        ("feedback on answers", _create(feedback)),
        ("feedback names its account", _add_column("feedback", "username", "TEXT NOT NULL DEFAULT ''")),
    ],
    "learning": [("quiz results", _create(quiz_results))],
    "limits": [("per-account request times", _create(rate_hits))],
    "kb": [("knowledge-base manifest: documents, chunks, generation, class overrides",
            _create(documents, chunks, kv, class_overrides)),
           ("document verification (已核验 / 未核验) per file content", _create(verifications))],
}
LATEST = {store: len(steps) for store, steps in STEPS.items()}

_DONE: set[tuple[int, str]] = set()
_DONE_LOCK = threading.Lock()


def forget() -> None:
    """Forget which stores this process migrated (a restore swapped the files under them)."""
    with _DONE_LOCK:
        _DONE.clear()


def migrate(engine: Engine, store: str) -> int:
    """Bring `store`'s tables in `engine` to the latest version; the version reached. Once per process."""
    key = (id(engine), store)
    with _DONE_LOCK:
        if key in _DONE:
            return LATEST[store]
    with write_transaction(engine, "migrate") as conn:
        state_schema.create(conn, checkfirst=True)
        done = {int(v) for v in conn.execute(select(state_schema.c.version).where(state_schema.c.store == store)).scalars()}
        for version, (name, apply) in enumerate(STEPS[store], start=1):
            if version in done:
                continue
            apply(conn)
            conn.execute(state_schema.insert().values(store=store, version=version, name=name,
                                                      applied_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    with _DONE_LOCK:
        _DONE.add(key)
    return LATEST[store]


def current_versions(engine: Engine) -> dict[str, int]:
    """The version each store has reached in `engine` (0: never migrated)."""
    with translate_errors(), engine.connect() as conn:
        if not inspect(conn).has_table("state_schema"):
            return dict.fromkeys(STEPS, 0)
        rows = conn.execute(select(state_schema.c.store, state_schema.c.version)).all()
    versions = dict.fromkeys(STEPS, 0)
    for store, version in rows:
        versions[store] = max(versions.get(store, 0), int(version))
    return versions
