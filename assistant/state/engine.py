"""One SQLAlchemy engine per state database and process; write transactions that exclude each other across
processes (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from assistant.config import Settings
from assistant.db.errors import DatabaseNotReady

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


class StateUnavailable(DatabaseNotReady):
    """The state database (PostgreSQL) or Redis cannot be reached: the API answers 503 (as for any database not
    ready) and the next request tries again; nothing needs a restart."""


def _normalise(url: str | URL) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_postgres(url: str | URL | None) -> bool:
    return bool(url) and _normalise(url or "").get_backend_name() == "postgresql"


def state_url(settings: Settings, name: str) -> str:
    """Where the store `name` (users, audit, feedback, learning) lives: the PostgreSQL database of
    ASSISTANT_DATABASE_URL, shared by every store and process, else its own SQLite file in the data directory."""
    return state_location(settings.data_dir, settings.database_url, name)


def state_location(data_dir: Path, database_url: str | None, name: str) -> str:
    if database_url and is_postgres(database_url):
        return database_url
    return URL.create("sqlite", database=str((data_dir / f"{name}.sqlite").resolve())).render_as_string()


def engine_for(location: str | Path) -> Engine:
    """The process's engine for a state database: a SQLAlchemy URL, or a SQLite file path."""
    url = _normalise(location if isinstance(location, str) else URL.create("sqlite", database=str(location)))
    key = url.render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _sqlite_engine(url) if url.get_backend_name() == "sqlite" else create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=10,
                connect_args={"connect_timeout": 5})
            _ENGINES[key] = engine
        return engine


def dispose_all() -> None:
    """Close every pooled connection (a restore swaps the data directory under the SQLite files)."""
    from assistant.state import migrations  # migrations builds on this module

    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
    # a new engine may reuse a disposed one's id(): the restored files are migrated afresh, not assumed done
    migrations.forget()


def _sqlite_engine(url: URL) -> Engine:
    path = Path(url.database or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Pooled (opening a connection costs milliseconds, and the manifest's generation is read on every search);
    # a store's close() disposes the pool, so a restore that swaps the data directory leaves no connection
    # writing to the file it moved aside.
    engine = create_engine(url, pool_size=5, max_overflow=20, connect_args={"timeout": 10, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: no fsync per request, no corruption on a crash
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # a write transaction takes SQLite's write lock at once, so its reads see what it will write over
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write_lock") else "BEGIN")

    return engine


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock, from a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def write_transaction(engine: Engine, lock: str) -> Iterator[Connection]:
    """A transaction that no other writer of `lock` runs beside, in any process on any machine: reads in it
    see every earlier such write (a count of login failures, of requests in the last minute)."""
    with translate_errors(), engine.connect() as conn:
        conn = conn.execution_options(write_lock=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (advisory_key(lock),))
            yield conn


@contextmanager
def translate_errors() -> Iterator[None]:
    """A lost PostgreSQL connection as StateUnavailable (503 at the API): the pool checks connections before use,
    so the next request after the database is back succeeds without a restart."""
    try:
        yield
    except OperationalError as exc:
        raise StateUnavailable(f"共享状态数据库暂时无法访问，请稍后重试（{type(exc.orig).__name__}）。") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StateUnavailable("共享状态数据库连接中断，请稍后重试。") from exc
        raise


@contextmanager
def advisory_lock(location: str, name: str) -> Iterator[None]:
    """Held while the block runs, by this process alone among every process of every machine sharing the
    PostgreSQL database (a session-level advisory lock on a connection kept for the purpose, so a process that
    dies releases it with its connection). Another holder: IndexBusy naming it, at once, never a wait."""
    from assistant.errors import IndexBusy

    key = advisory_key(name)
    with translate_errors(), engine_for(location).connect() as conn:
        got = conn.exec_driver_sql("SELECT pg_try_advisory_lock(%s)", (key,)).scalar()
        conn.commit()
        if not got:
            holder = conn.exec_driver_sql(
                "SELECT a.pid, coalesce(host(a.client_addr), '本机'), a.application_name FROM pg_locks l"
                " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                " AND ((l.classid::bigint << 32) | l.objid::bigint) = %s::bigint",
                (key,)).first()
            where = f"数据库连接 {holder[0]}，来自 {holder[1]}" if holder else "未知"
            raise IndexBusy(f"另一个入库或导入任务正在写入共享数据库（{where}），请等它完成后再试。")
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (key,))
            conn.commit()
