"""Fixtures for crash-safety and backup tests: a built data directory, and a lock held by another process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.config import Settings
from tests.llm.data import build_data_dir

_HOLD_LOCK = """
import sys
from pathlib import Path
from assistant.index.lock import write_lock
with write_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture(scope="session")
def built_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two documents ingested and the demo database imported, built once; tests work on copies."""
    return build_data_dir(tmp_path_factory.mktemp("built")).data_dir


@pytest.fixture
def data_settings(built_data_dir: Path, tmp_path: Path) -> Settings:
    """A private copy of the built data directory."""
    target = tmp_path / "data"
    shutil.copytree(built_data_dir, target)
    return Settings(data_dir=target)


@contextmanager
def lock_held_by_other_process(data_dir: Path) -> Iterator[int]:
    """Another process holds the data directory's write lock until the block ends; yields its pid."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(data_dir)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "locked", "the lock-holding process did not start"
        yield proc.pid
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


# --- shared state on PostgreSQL (issue 18) -----------------------------------------------------------------

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def reachable(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of the test module's own on 127.0.0.1:5432 (CI runs one), dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    from assistant.state.engine import engine_for

    if not reachable(5432):
        pytest.skip("PostgreSQL 127.0.0.1:5432 无法连接（CI 中有）：共享状态测试需要真实的 PostgreSQL")
    name = f"zs_state_{uuid.uuid4().hex[:10]}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
