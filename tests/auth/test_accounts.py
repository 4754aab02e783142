"""Accounts, login, API keys and the audit log, through the CLI and HTTP as staff would use them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings
from tests.conftest import add_user
from tests.llm.data import build_data_dir

PASSWORD = "汉阴-招商-2023"


def run(settings: Settings, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"ASSISTANT_DATA_DIR": str(settings.data_dir), **(env or {})})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_data_dir(tmp_path_factory.mktemp("auth"))


@pytest.fixture(scope="module")
def app_client(data: Settings) -> Iterator[TestClient]:
    code, out = run(data, "users", "add", "wang", "--role", "科室", "--password", PASSWORD)
    assert code == 0, out
    with TestClient(create_app(data, warm=False), base_url="http://127.0.0.1:7860") as c:
        yield c


def test_users_cli_stores_argon2_hashes_and_lists_roles(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    code, out = run(settings, "users", "add", "li", "--role", "县区", "--region", "汉阴", "--password", PASSWORD)
    assert code == 0 and "县区（汉阴县）" in out and "仅公开文档" in out
    code, out = run(settings, "users", "list")
    assert code == 0 and "li\t县区\t汉阴县" in out
    with sqlite3.connect(settings.data_dir / "users.sqlite") as conn:
        stored = conn.execute("SELECT password_hash FROM users WHERE username='li'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(("args", "message"), [
    (["x1", "--role", "县区", "--password", PASSWORD], "县区账号必须指定所属地区"),
    (["x2", "--role", "县区", "--region", "火星区", "--password", PASSWORD], "未知地区“火星区”"),
    (["x3", "--role", "科室", "--region", "汉阴县", "--password", PASSWORD], "只有县区账号绑定地区"),
    (["x4", "--role", "局长", "--password", PASSWORD], "未知角色“局长”"),
    (["x5", "--role", "科室", "--password", "short"], "密码太短"),
    (["a b", "--role", "科室", "--password", PASSWORD], "用户名“a b”无效"),
])
def test_users_add_rejects_bad_input_in_chinese(tmp_path: Path, args: list[str], message: str) -> None:
    code, out = run(Settings(data_dir=tmp_path / "data"), "users", "add", *args)
    assert code == 1 and message in out


def test_first_admin_password_is_printed_once_or_taken_from_the_environment(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    code, out = run(settings, "users", "init")
    assert code == 0 and "初始密码：" in out and "只显示这一次" in out
    password = out.split("初始密码：")[1].split()[0]
    code, again = run(settings, "users", "init")
    assert code == 0 and "已有 1 个账号" in again and password not in again
    other = Settings(data_dir=tmp_path / "other")
    code, out = run(other, "users", "init", env={"ASSISTANT_ADMIN_PASSWORD": PASSWORD})
    assert code == 0 and "环境变量" in out and PASSWORD not in out


def test_serve_refuses_local_mode_off_loopback_and_an_empty_account_list(tmp_path: Path) -> None:
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "assistant.cli", "serve"]
    local = subprocess.run([*cmd, "--local", "--host", "0.0.0.0"], env=env, capture_output=True, text=True, timeout=60)
    assert local.returncode == 1 and "只能绑定 127.0.0.1" in local.stderr
    empty = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert empty.returncode == 1 and "assistant users init" in empty.stderr


def test_only_healthz_and_the_login_page_are_open(app_client: TestClient) -> None:
    open_paths = {"/healthz", "/login", "/logout"}
    for route in app_client.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if not path or path in open_paths or "{" in path:
            continue
        methods = sorted(getattr(route, "methods", None) or {"GET"})
        response = app_client.request(methods[0], path, follow_redirects=False)
        assert response.status_code in (401, 303), (path, response.status_code)
    assert app_client.get("/healthz").status_code == 200
    assert app_client.get("/api/ask").status_code == 401
    assert "未登录" in app_client.post("/api/ask", json={"question": "项目管家是什么？"}).json()["detail"]
    assert app_client.get("/docs").status_code == 401


def test_browser_login_logout_and_wrong_password(app_client: TestClient, data: Settings) -> None:
    page = app_client.get("/ui/", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    wrong = app_client.post("/login", data={"username": "wang", "password": "not-the-password", "next": "/ui/"})
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    evil = app_client.post("/login", data={"username": "wang", "password": PASSWORD, "next": "//evil.example/x"},
                           follow_redirects=False)
    assert evil.status_code == 303 and evil.headers["location"] == "/ui/"  # no open redirect
    assert app_client.get("/ui/", follow_redirects=False).status_code == 200
    asked = app_client.post("/api/ask", json={"question": "项目管家是什么？"})
    assert asked.status_code == 200 and asked.json()["citations"]
    cross = app_client.post("/api/ask", json={"question": "项目管家是什么？"}, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403 and "跨站" in cross.json()["detail"]
    app_client.post("/logout", follow_redirects=False)
    app_client.cookies.clear()
    assert app_client.post("/api/ask", json={"question": "项目管家是什么？"}).status_code == 401
    code, out = run(data, "audit", "--user", "wang", "--json")
    actions = [json.loads(line)["action"] for line in out.splitlines()]
    assert code == 0 and {"login", "login_failed", "ask", "logout"} <= set(actions)


def test_five_wrong_passwords_lock_the_account_for_a_while(data: Settings) -> None:
    add_user(data, "zhao", "科室", password=PASSWORD)
    with TestClient(create_app(data, warm=False)) as c:
        for _ in range(5):
            assert c.post("/login", data={"username": "zhao", "password": "wrong-password"}).status_code == 401
        locked = c.post("/login", data={"username": "zhao", "password": PASSWORD})
    assert locked.status_code == 429 and "已暂时锁定" in locked.text


def test_api_keys_disable_and_revoke(data: Settings) -> None:
    key = add_user(data, "sun", "科室")
    with TestClient(create_app(data, warm=False)) as c:
        ok = c.get("/api/search", params={"q": "项目管家"}, headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200
        assert c.get("/api/search", params={"q": "项目管家"}, headers={"X-API-Key": key}).status_code == 200
        code, out = run(data, "users", "disable", "sun")
        assert code == 0 and "已停用" in out
        gone = c.get("/api/search", params={"q": "项目管家"}, headers={"Authorization": f"Bearer {key}"})
        assert gone.status_code == 401 and "已停用" in gone.json()["detail"]
        run(data, "users", "enable", "sun")
        assert c.get("/api/search", params={"q": "项目管家"}, headers={"X-API-Key": key}).status_code == 200
        code, out = run(data, "users", "key", "sun", "--revoke")
        assert code == 0 and "吊销" in out
        assert c.get("/api/search", params={"q": "项目管家"}, headers={"X-API-Key": key}).status_code == 401


def test_audit_records_questions_with_documents_and_rows_and_draft_exports(data: Settings) -> None:
    key = add_user(data, "qian", "科室")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(data, warm=False), headers=headers) as c:
        answer = c.post("/api/ask", json={"question": "汉阴县一季度外资完成进度？"}).json()
        assert answer["figures"]
        docx = c.post("/api/draft/report", params={"format": "docx"}, json={"period": "2023Q1"})
        assert docx.status_code == 200
    code, out = run(data, "audit", "--user", "qian", "--json")
    events = [json.loads(line) for line in out.splitlines()]
    ask = next(e for e in events if e["action"] == "ask")
    assert ask["subject"] == "汉阴县一季度外资完成进度？" and any(r.startswith("indicators#") for r in ask["rows"])
    export = next(e for e in events if e["action"] == "draft_export")
    assert "2023" in export["subject"] and export["rows"]
    code, text = run(data, "audit", "--user", "qian", "--action", "ask")
    assert code == 0 and "提问" in text and "数据行" in text


def test_workbench_questions_are_audited_under_the_logged_in_user(data: Settings) -> None:
    key = add_user(data, "zhou", "县区", region="汉阴县")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(data, warm=False), headers=headers) as c:
        started = c.post("/ui/gradio_api/call/respond", json={"data": ["那汉滨区一季度外资呢？", []]})
        assert started.status_code == 200, started.text
        stream = c.get(f"/ui/gradio_api/call/respond/{started.json()['event_id']}").text
    events = [json.dumps(json.loads(line[6:]), ensure_ascii=False) for line in stream.splitlines()
              if line.startswith("data: ")]
    assert "event: complete" in stream and "只能查看汉阴县" in events[-1]
    code, out = run(data, "audit", "--user", "zhou", "--json")
    event = json.loads(out.splitlines()[0])
    assert code == 0 and event["action"] == "ask" and event["via"] == "ui" and event["role"] == "county"
    assert event["subject"] == "那汉滨区一季度外资呢？"
