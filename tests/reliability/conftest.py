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
