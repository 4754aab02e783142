"""Database fixtures: every database test runs on SQLite and, when reachable, on PostgreSQL 127.0.0.1:5432.

Each PostgreSQL test gets a freshly created, uniquely named database that is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from assistant.db.importers import import_demo
from assistant.db.session import FigureStore, create_writable_engine

PG_SKIP_REASON = "PostgreSQL 127.0.0.1:5432 不可达，跳过 PostgreSQL 测试"
DEMO_DIR = Path(__file__).resolve().parents[2] / "corpus" / "data"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_user() -> str | None:
    for user in ("postgres", "root"):
        try:
            with psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="postgres", connect_timeout=3):
                return user
        except psycopg.Error:
            continue
    return None


@pytest.fixture(scope="session")
def pg_user() -> str | None:
    return _pg_user()


class _PgDatabases:
    def __init__(self, user: str) -> None:
        self.user = user

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=5432, user=self.user, dbname="postgres", autocommit=True)

    def create(self) -> tuple[str, str]:
        name = f"assistant_test_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        return name, f"postgresql+psycopg://{self.user}@127.0.0.1:5432/{name}"

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(backend: str, directory: Path, pg_user: str | None) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'project.sqlite'}"
        return
    if pg_user is None:
        pytest.skip(PG_SKIP_REASON)
    databases = _PgDatabases(pg_user)
    name, url = databases.create()
    try:
        yield url
    finally:
        databases.drop(name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_user: str | None) -> Iterator[str]:
    """A fresh, empty database URL for one test."""
    yield from _database_url(request.param, tmp_path, pg_user)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_writable_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             pg_user: str | None) -> Iterator[str]:
    """One database per backend with corpus/data imported, shared by the read-only tests."""
    for url in _database_url(request.param, tmp_path_factory.mktemp(request.param), pg_user):
        eng = create_writable_engine(url)
        import_demo(eng, DEMO_DIR)
        eng.dispose()
        yield url


@pytest.fixture(scope="session")
def demo_store(demo_url: str) -> Iterator[FigureStore]:
    store = FigureStore.open(demo_url)
    yield store
    store.close()


@pytest.fixture(scope="session")
def both_demo_stores(tmp_path_factory: pytest.TempPathFactory, pg_user: str | None
                     ) -> Iterator[tuple[FigureStore, FigureStore]]:
    """The demo data on SQLite and on PostgreSQL side by side, to compare answers."""
    if pg_user is None:
        pytest.skip(PG_SKIP_REASON)
    stores = []
    generators = [_database_url(b, tmp_path_factory.mktemp(f"both-{b}"), pg_user) for b in ("sqlite", "postgresql")]
    for gen in generators:
        url = next(gen)
        eng = create_writable_engine(url)
        import_demo(eng, DEMO_DIR)
        eng.dispose()
        stores.append(FigureStore.open(url))
    yield stores[0], stores[1]
    for store, gen in zip(stores, generators, strict=True):
        store.close()
        next(gen, None)
