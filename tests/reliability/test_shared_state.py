"""Shared state on PostgreSQL (issue 18, item 2): two servers pointed at one database behave as one for
accounts, sessions, API keys, login lockouts, the audit log, feedback, quiz results and the per-minute budget;
the schema comes from ordered migrations that two processes may run at once; a database that goes away is a
Chinese 503, and the next request after it is back succeeds without a restart.

Runs against the PostgreSQL at 127.0.0.1:5432 (as in CI), each test module in a database of its own, and the
Redis at 127.0.0.1:6379 for the Redis budget; skipped, with the reason, only when they cannot be reached.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from assistant.api import create_app
from assistant.auth.audit import AuditLog
from assistant.auth.limits import RedisRateLimiter, SqlRateLimiter, make_limiter
from assistant.auth.sessions import SESSION_COOKIE, Auth
from assistant.auth.users import LoginLocked, UserStore
from assistant.config import Settings
from assistant.errors import RateLimited
from assistant.state import migrations
from assistant.state.engine import StateUnavailable, engine_for, state_url
from tests.reliability.conftest import PG_ADMIN, reachable

REDIS = "redis://127.0.0.1:6379/15"
PASSWORD = "correct-horse-1"


def _servers(tmp_path: Path, pg_url: str, per_minute: int = 0) -> tuple[Auth, Auth]:
    """Two servers' Auth: separate data directories (two machines), one PostgreSQL."""
    return (Auth(tmp_path / "a", per_minute=per_minute, database_url=pg_url),
            Auth(tmp_path / "b", per_minute=per_minute, database_url=pg_url))


def test_every_store_is_migrated_in_order_and_two_processes_may_migrate_at_once(pg_url: str) -> None:
    engine = engine_for(pg_url)
    errors: list[BaseException] = []

    def run(store: str) -> None:
        try:
            migrations.migrate(engine, store)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    migrations._DONE.clear()  # as a fresh process would  # noqa: SLF001
    threads = [threading.Thread(target=run, args=(store,)) for store in migrations.STEPS for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert migrations.current_versions(engine) == migrations.LATEST
    with engine.connect() as conn:
        applied = conn.execute(text("SELECT store, version FROM state_schema ORDER BY store, version")).all()
    assert applied == sorted((s, v) for s, n in migrations.LATEST.items() for v in range(1, n + 1))  # each once


def test_a_session_or_key_from_one_server_is_valid_on_the_other_until_the_account_is_disabled(
        tmp_path: Path, pg_url: str) -> None:
    one, two = _servers(tmp_path, pg_url)
    one.users.add("wang", PASSWORD, "staff")
    user, token = two.log_in("wang", PASSWORD, client="10.0.0.9")
    key = one.users.issue_api_key("wang")
    assert one.users.user_for_session(token) == user
    assert two.users.user_for_api_key(key) is not None
    one.users.set_disabled("wang")
    assert two.users.user_for_session(token) is None and one.users.user_for_session(token) is None
    assert two.users.user_for_api_key(key) is None
    # the login and the refusals of both servers are in one audit log
    assert [e.action for e in one.audit.query(username="wang")] == ["login"]


def test_failed_logins_on_both_servers_count_towards_one_lockout(tmp_path: Path, pg_url: str) -> None:
    one, two = _servers(tmp_path, pg_url)
    one.users.add("zhao", PASSWORD, "staff")
    for i in range(5):
        server = (one, two)[i % 2]
        assert server.users.authenticate("zhao", "wrong-password", client="10.0.0.7") is None
    with pytest.raises(LoginLocked, match="已暂时锁定"):
        one.users.authenticate("zhao", PASSWORD, client="10.0.0.7")


def test_the_per_minute_budget_is_shared_by_both_servers(tmp_path: Path, pg_url: str) -> None:
    one, two = _servers(tmp_path, pg_url, per_minute=3)
    assert isinstance(one.limiter, SqlRateLimiter)
    name = f"busy-{uuid.uuid4().hex[:6]}"
    one.limiter.hit(name, now=1000.0)
    two.limiter.hit(name, now=1001.0)
    one.limiter.hit(name, now=1002.0)
    with pytest.raises(RateLimited, match="每分钟最多 3 次") as refused:
        two.limiter.hit(name, now=1003.0)
    assert refused.value.retry_after_s == pytest.approx(57.0)
    two.limiter.hit("someone-else", now=1003.0)  # per account
    one.limiter.hit(name, now=1061.0)  # the first hit has left the window


def test_the_budget_lives_in_redis_when_it_is_configured(pg_url: str) -> None:
    if not reachable(6379):
        pytest.skip("Redis 127.0.0.1:6379 无法连接：Redis 限流测试需要真实的 Redis")
    prefix = f"zs:test:{uuid.uuid4().hex[:8]}:"
    one, two = RedisRateLimiter(2, REDIS, prefix=prefix), RedisRateLimiter(2, REDIS, prefix=prefix)
    assert isinstance(make_limiter(2, REDIS, pg_url), RedisRateLimiter)
    one.hit("li", now=500.0)
    two.hit("li", now=510.0)
    with pytest.raises(RateLimited) as refused:
        one.hit("li", now=520.0)
    assert refused.value.retry_after_s == pytest.approx(40.0)
    two.hit("li", now=561.0)
    with pytest.raises(StateUnavailable, match="Redis"):
        RedisRateLimiter(2, "redis://127.0.0.1:1/0").hit("li")


def test_feedback_audit_and_quiz_results_of_both_servers_land_in_one_database(tmp_path: Path, pg_url: str) -> None:
    from assistant.answer.types import Answer
    from assistant.feedback import FeedbackStore

    settings = Settings(data_dir=tmp_path / "a", database_url=pg_url)
    other = Settings(data_dir=tmp_path / "b", database_url=pg_url)
    assert state_url(settings, "feedback") == state_url(other, "audit") == pg_url
    answer = Answer(question="资金到位率", answer="资金到位率为 85%。", mode="grounded")
    row = FeedbackStore(state_url(settings, "feedback")).record(-1, "资金到位率", [], answer, user="wang")
    assert FeedbackStore(state_url(other, "feedback")).add_comment(row, "口径不对")
    assert [(r.id, r.comment) for r in FeedbackStore(state_url(settings, "feedback")).recent()][0] == (row, "口径不对")
    AuditLog(state_url(other, "audit")).record("wang", "staff", "ask", "资金到位率")
    assert AuditLog(state_url(settings, "audit")).query(action="ask")[0].subject == "资金到位率"
    from assistant.onboarding.quiz import Results

    Results(state_url(settings, "learning")).save("wang", [], [], [])
    assert [(score, total) for _, score, total in Results(state_url(other, "learning")).history("wang")] == [(0, 0)]
    # nothing was written to either data directory
    assert not list((tmp_path / "a").glob("*.sqlite")) and not list((tmp_path / "b").glob("*.sqlite"))


def test_two_apps_on_one_database_share_the_login_and_a_lost_database_is_a_chinese_503(
        tmp_path: Path, pg_url: str) -> None:
    one_settings = Settings(data_dir=tmp_path / "a", database_url=pg_url, rate_limit_per_minute=0)
    two_settings = Settings(data_dir=tmp_path / "b", database_url=pg_url, rate_limit_per_minute=0)
    UserStore(pg_url).add("qian", PASSWORD, "staff")
    with TestClient(create_app(one_settings, warm=False)) as one, TestClient(create_app(two_settings, warm=False)) as two:
        login = one.post("/login", data={"username": "qian", "password": PASSWORD, "next": "/ui/"},
                         follow_redirects=False)
        assert login.status_code == 303, login.text
        cookie = {SESSION_COOKIE: login.cookies[SESSION_COOKIE]}
        two.cookies.update(cookie)
        assert two.get("/api/documents").status_code == 200  # the session started on the other server

        name = pg_url.rsplit("/", 1)[1]
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:  # the database goes away: connections cut, new ones refused
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                             {"n": name})
            down = two.get("/api/documents")
            assert down.status_code == 503 and "共享状态数据库" in down.json()["detail"], down.text
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
        assert two.get("/api/documents").status_code == 200  # back, with no restart


def test_two_writers_on_two_machines_never_interleave(tmp_path: Path, pg_url: str) -> None:
    """An ingest or import holds the advisory lock of the shared database as well as its own data directory's
    file lock: a second writer with another data directory (another machine) is refused at once, in Chinese."""
    from assistant.errors import IndexBusy
    from assistant.index.lock import write_lock

    with write_lock(tmp_path / "machine-a", pg_url):
        with pytest.raises(IndexBusy, match="另一个入库或导入任务正在写入共享数据库"):
            with write_lock(tmp_path / "machine-b", pg_url):
                pass
        with write_lock(tmp_path / "machine-c"):  # without the shared database only the directory counts
            pass
    with write_lock(tmp_path / "machine-b", pg_url):  # released with the first
        pass


def test_an_ingest_on_another_machine_is_refused_while_one_writes(tmp_path: Path, pg_url: str) -> None:
    from assistant.errors import IndexBusy
    from assistant.index.ingest import ingest
    from assistant.index.kb import KnowledgeBase
    from assistant.index.lock import write_lock

    other = KnowledgeBase(Settings(data_dir=tmp_path / "machine-b", database_url=pg_url))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "通知.txt").write_text("关于开展招商引资季度调度的通知\n请各县区按时报送。\n", encoding="utf-8")
    try:
        with write_lock(tmp_path / "machine-a", pg_url), pytest.raises(IndexBusy, match="共享数据库"):
            ingest(other, [folder])
        assert other.manifest.documents() == []  # nothing of it was written
    finally:
        other.close()


_HOLD_SHARED_LOCK = """
import sys
from pathlib import Path
from assistant.index.lock import write_lock
with write_lock(Path(sys.argv[1]), sys.argv[2]):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_assistant_ingest_on_a_second_machine_is_refused_while_another_process_writes_then_succeeds(
        tmp_path: Path, pg_url: str) -> None:
    """Two `assistant ingest` processes on two machines (two data directories, one PostgreSQL): while one holds
    the write lock the other exits at once with a Chinese reason and writes nothing; run again later, it works."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "调度通知.txt").write_text("关于开展招商引资季度调度的通知\n请各县区于每季度末前报送项目进展。\n",
                                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(tmp_path / "machine-b"), ASSISTANT_DATABASE_URL=pg_url, HF_HUB_OFFLINE="1")
    command = [sys.executable, "-m", "assistant.cli", "ingest", str(folder)]
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_SHARED_LOCK, str(tmp_path / "machine-a"), pg_url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert refused.returncode != 0
    assert "另一个入库或导入任务正在写入共享数据库" in refused.stdout + refused.stderr, refused.stdout + refused.stderr
    from assistant.index.manifest import Manifest

    manifest = Manifest(state_url(Settings(data_dir=tmp_path / "machine-b", database_url=pg_url), "kb"))
    try:
        assert manifest.documents() == []  # nothing of the refused ingest
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert [d.file_name for d in manifest.documents()] == ["调度通知.txt"]
    finally:
        manifest.close()
