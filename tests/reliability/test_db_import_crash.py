"""`kill -9` during `assistant db import`, then a re-run; and one writer at a time for imports."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from assistant.cli import main
from assistant.db.models import ImportLog, Project
from assistant.db.session import create_writable_engine, is_sqlite, sqlite_path
from tests.db.conftest import BACKENDS, DEMO_DIR, _database_url, _pg_user
from tests.reliability.conftest import lock_held_by_other_process

ROWS = 20_000  # large enough that SQLite spills pages into the database file before the commit
_REGIONS = ("汉滨区", "汉阴县", "旬阳市", "平利县", "岚皋县", "宁陕县", "白河县")
_CHAINS = ("新型材料", "富硒食品", "装备制造", "纺织丝绸", "生物医药", "新能源", "文旅康养")
_HEADER = "项目名称,地区,产业链,企业,总投资（亿元）,阶段,签约日期,开工日期,投产日期,到位资金（亿元）,是否外资,外资金额（万美元）,备注"


@pytest.fixture(scope="module")
def pg_user() -> str | None:
    return _pg_user()


@pytest.fixture(scope="module")
def big_projects_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csv") / "项目库_大批量.csv"
    lines = [_HEADER] + [
        f"压力测试项目{i:06d}（示例）,{_REGIONS[i % 7]},{_CHAINS[i % 7]},,{1 + i % 50 / 10:.1f},在谈,,,,,否,,示例"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=BACKENDS)
def db_env(request: pytest.FixtureRequest, tmp_path: Path, pg_user: str | None) -> Iterator[dict[str, str]]:
    """Environment for `assistant` commands: a data directory and a fresh, migrated project database."""
    data = tmp_path / "data"
    for url in _database_url(request.param, data, pg_user):
        env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_DATABASE_URL": url}
        result = CliRunner().invoke(main, ["db", "migrate"], env=env)
        assert result.exit_code == 0, result.output
        yield env


@contextmanager
def _mid_import_sign(url: str) -> Iterator[Callable[[], bool]]:
    """A check that turns true once the importer is writing project rows inside its open transaction."""
    if is_sqlite(url):
        db = sqlite_path(url)
        journal = db.with_name(db.name + "-journal")
        size_before = db.stat().st_size

        def sqlite_sign() -> bool:
            # The rollback journal exists only inside a write transaction; a growing database file
            # means uncommitted pages have already been spilled into it.
            try:
                return journal.exists() and db.stat().st_size > size_before
            except FileNotFoundError:
                return False

        yield sqlite_sign
        return

    dbname = url.rsplit("/", 1)[1]
    user = url.split("//", 1)[1].split("@", 1)[0]
    with psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="postgres", autocommit=True) as monitor:

        def postgres_sign() -> bool:
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL"
                " AND query LIKE 'INSERT INTO projects%%'", (dbname,)).fetchone()
            return bool(row and row[0])

        yield postgres_sign


def _run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


def test_kill_during_db_import_then_rerun_gives_exactly_one_import(db_env: dict[str, str],
                                                                   big_projects_csv: Path) -> None:
    url = db_env["ASSISTANT_DATABASE_URL"]
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "db", "import", "projects",
                             str(big_projects_csv)], env={**os.environ, **db_env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    caught = False
    with _mid_import_sign(url) as sign:
        while time.monotonic() < deadline and proc.poll() is None:
            if sign():
                proc.send_signal(signal.SIGKILL)
                caught = True
                break
            time.sleep(0.005)  # poll interval
    proc.wait()
    assert caught and proc.returncode == -signal.SIGKILL, "the import finished before it could be killed mid-write"
    if is_sqlite(url):
        db = sqlite_path(url)
        assert db.with_name(db.name + "-journal").exists(), "the kill should leave a hot journal behind"
    # Readers (figures, serve) open the database read-only; the leftover journal must not lock them out.
    before_rerun = _run_cli(db_env, "db", "status")
    assert before_rerun.returncode == 0, before_rerun.stderr

    rerun = _run_cli(db_env, "db", "import", "projects", str(big_projects_csv))
    assert rerun.returncode == 0, rerun.stderr
    assert f"新增 {ROWS}、更新 0、删除 0、未变 0" in rerun.stdout  # nothing of the killed import survived

    engine = create_writable_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Project)) == ROWS
            assert conn.scalar(select(func.count(func.distinct(Project.name)))) == ROWS
            logs = conn.execute(select(ImportLog.id, ImportLog.row_count).where(ImportLog.kind == "projects")).all()
            assert len(logs) == 1 and logs[0].row_count == ROWS
            assert conn.scalar(select(func.count()).select_from(Project).where(Project.import_id != logs[0].id)) == 0
            if is_sqlite(url):
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        engine.dispose()
    if is_sqlite(url):
        with sqlite3.connect(sqlite_path(url)) as conn:
            assert conn.execute("SELECT count(*) FROM projects").fetchone() == (ROWS,)

    status = _run_cli(db_env, "db", "status")
    assert status.returncode == 0, status.stderr
    assert f"项目（projects） {ROWS}" in " ".join(status.stdout.split())


@pytest.mark.parametrize("args", [["db", "import-demo", str(DEMO_DIR)],
                                  ["db", "import", "projects", str(DEMO_DIR / "projects.csv")]],
                         ids=["import-demo", "import"])
def test_second_importer_gets_a_clear_message(tmp_path: Path, args: list[str]) -> None:
    data = tmp_path / "data"
    with lock_held_by_other_process(data) as pid:
        result = CliRunner().invoke(main, args, env={"ASSISTANT_DATA_DIR": str(data)})
    assert result.exit_code == 1
    assert "另一个入库或导入任务正在写入数据目录" in result.output and f"进程 {pid}" in result.output
    assert "Traceback" not in result.output
    assert not (data / "project.sqlite").exists()
