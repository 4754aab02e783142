"""Engines and sessions.

Imports use a writable engine. Tools only ever get a FigureStore, whose engine is read-only at the
connection level: SQLite is opened with a `mode=ro` URI (plus `PRAGMA query_only`), PostgreSQL
connections default to read-only transactions and every transaction is started with
`SET TRANSACTION READ ONLY`. A write through a FigureStore fails in the database itself.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, func, make_url, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from assistant.db.errors import DatabaseNotReady
from assistant.db.migrations import LATEST_VERSION, current_version
from assistant.db.models import ImportLog


def normalise_url(url: str | URL) -> URL:
    """postgresql:// defaults to psycopg (v3), the driver this project ships with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: str | URL) -> bool:
    return normalise_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> Path:
    parsed = normalise_url(url)
    if not parsed.database or parsed.database == ":memory:":
        raise DatabaseNotReady("项目数据库必须是 SQLite 文件或 PostgreSQL，不能是内存数据库。")
    return Path(parsed.database)


def display_url(url: str | URL) -> str:
    """The URL without its password, for messages."""
    return normalise_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(*pragmas: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return on_connect


def create_writable_engine(url: str | URL) -> Engine:
    """导入用的可写引擎；SQLite 文件所在目录不存在时创建。"""
    parsed = normalise_url(url)
    if is_sqlite(parsed):
        path = sqlite_path(parsed)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(URL.create("sqlite", database=str(path)))
        event.listen(engine, "connect", _sqlite_pragmas("PRAGMA foreign_keys = ON"))
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _roll_back_hot_journal(path: Path) -> None:
    """An import killed mid-write leaves a rollback journal that a read-only connection cannot replay
    ("attempt to write a readonly database"): replay it once with a short writable connection."""
    journal = path.with_name(path.name + "-journal")
    if journal.is_file() and journal.stat().st_size > 0:
        import sqlite3

        try:
            with closing(sqlite3.connect(str(path), timeout=10)) as conn:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reading replays the journal
        except sqlite3.Error:
            pass  # a writer holds it (mid-import) or the file is not writable: the read-only open reports it


def create_readonly_engine(url: str | URL) -> Engine:
    """工具用的只读引擎：SQLite 以 mode=ro 打开，PostgreSQL 使用只读事务。"""
    parsed = normalise_url(url)
    if is_sqlite(parsed):
        path = sqlite_path(parsed).resolve()
        if not path.is_file():
            raise DatabaseNotReady(
                f"项目数据库文件不存在：{path}。请先运行 assistant db import-demo corpus/data/ 或 assistant db import。"
            )
        _roll_back_hot_journal(path)
        ro_url = URL.create(
            "sqlite", database="file:" + urllib.parse.quote(str(path)), query={"mode": "ro", "uri": "true"}
        )
        engine = create_engine(ro_url)
        event.listen(engine, "connect", _sqlite_pragmas("PRAGMA query_only = ON"))
        return engine
    engine = create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"options": "-c default_transaction_read_only=on"},
    )

    @event.listens_for(engine, "begin")
    def _read_only_transaction(conn: Any) -> None:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


class FigureStore:
    """只读的数据来源：工具函数的第一个参数。由调用方（CLI、API、对话引擎）创建并传入。"""

    def __init__(self, engine: Engine, region_scope: str | None = None, min_group: int = 3) -> None:
        self.engine = engine
        # A county officer's store: the tools return only this region's rows, plus city-wide aggregates.
        self.region_scope = region_scope
        # Inference control for a county officer: an aggregate is shown only when the regions or projects other
        # than their own behind it number at least this many, so that no single other one can be derived
        # (city total minus own value, a statistic narrowed to one other county's project).
        self.min_group = min_group

    def scoped(self, region: str | None) -> FigureStore:
        """The same database seen by a user bound to `region` (None: every region). Shares the engine."""
        return self if region == self.region_scope else FigureStore(self.engine, region, self.min_group)

    @classmethod
    def open(cls, url: str | URL, min_group: int = 3) -> FigureStore:
        """按数据库地址打开只读数据源，并检查库结构已是当前版本。"""
        store = cls(create_readonly_engine(url), min_group=min_group)
        store.check_ready(display_url(url))
        return store

    def check_ready(self, where: str = "") -> None:
        try:
            with self.engine.connect() as conn:
                version = current_version(conn)
        except OperationalError as err:
            raise DatabaseNotReady(f"无法打开项目数据库 {where}：{err.orig}") from err
        if version == 0:
            raise DatabaseNotReady(
                f"项目数据库 {where} 尚未建立。请先运行 assistant db import-demo corpus/data/ 或 assistant db import。"
            )
        if version < LATEST_VERSION:
            raise DatabaseNotReady(f"项目数据库 {where} 的结构版本 {version} 过旧，请运行 assistant db migrate。")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction is rolled back at the end: tools never commit."""
        session = Session(self.engine, autoflush=False)
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def import_mark(self) -> tuple[int, int]:
        """(imports logged, the latest one's id): it moves with every import that changed the database, whichever
        process made it, so a server can tell that its vocabulary of regions, periods and names is stale."""
        with self.session() as session:
            count, latest = session.execute(select(func.count(ImportLog.id), func.max(ImportLog.id))).one()
        return int(count), int(latest or 0)

    def close(self) -> None:
        self.engine.dispose()
