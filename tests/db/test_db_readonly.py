"""Tools read through a connection the database itself keeps read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from assistant.db.errors import DatabaseNotReady
from assistant.db.migrations import migrate, schema_version
from assistant.db.models import Region
from assistant.db.session import FigureStore


def test_migrate_is_idempotent(engine: Engine) -> None:
    assert migrate(engine) == ["create_core_tables", "seed_regions_and_chains", "ledgers_lifecycle_history_contacts",
                               "index_project_versions_by_project_and_end", "project_issue_sums"]
    assert migrate(engine) == []
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(schema_version)) == 5
        assert conn.scalar(select(func.count()).select_from(Region)) == 14


def test_tool_store_refuses_writes(engine: Engine, db_url: str) -> None:
    migrate(engine)
    store = FigureStore.open(db_url)
    try:
        with store.session() as session, pytest.raises(DBAPIError):
            session.execute(text("DELETE FROM regions"))
        with store.session() as session, pytest.raises(DBAPIError):
            session.execute(text("CREATE TABLE sneaky (x INTEGER)"))
        with store.session() as session:
            session.add(Region(name="新区", full_name="新区", kind="区", aliases=[], sort_order=99))
            with pytest.raises(DBAPIError):
                session.flush()
    finally:
        store.close()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Region)) == 14


def test_store_explains_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotReady, match="assistant db import-demo"):
        FigureStore.open(f"sqlite:///{tmp_path / 'absent.sqlite'}")


def test_store_explains_an_empty_database(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:  # an existing database with no schema yet
        conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    with pytest.raises(DatabaseNotReady, match="尚未建立"):
        FigureStore.open(db_url)
