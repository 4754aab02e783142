"""LLM05 输出处理不当 in the audit log: a login name or a question is attacker text, and `assistant audit` prints
it to an administrator's terminal. CR/LF, terminal escapes (ESC [), C1 controls, Unicode line separators and
bidi overrides must neither forge a line nor repaint the screen; `--json` keeps the recorded value exactly."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import Actor

# What the forged line would look like in the text view: a successful admin login.
FORGED = "\r\n2026-12-01 08:00:00  admin  登录  (ui)\x1b[2K"
LOGIN_NAME = f"x{FORGED}"
QUESTION = "项目管家是什么？\n2026-12-01 08:00:01  admin  备份\x1b]0;标题\x07\u202egpj.exe\x9b31m\u2028结束"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LINE_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  ")


def _audit(settings: Settings, *args: str) -> str:
    # color=True: click would otherwise strip ANSI sequences itself, hiding what a terminal receives.
    result = CliRunner().invoke(main, ["audit", "-n", "200", *args], color=True,
                                env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def planted(client: TestClient, actors: dict[str, Actor]) -> None:
    """A failed login under a hostile name (from its own address) and a hostile question by a real account."""
    attacker = TestClient(client.app, client=("198.51.100.140", 40000))
    r = attacker.post("/login", data={"username": LOGIN_NAME, "password": "wrong-password", "next": "/ui/"})
    assert r.status_code == 401
    r = client.post("/api/ask", json={"question": QUESTION}, headers=actors["staff"].headers)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("where", [
    pytest.param("login", id="LLM05-audit-login-name-with-crlf-cannot-forge-a-line"),
    pytest.param("ask", id="LLM05-audit-question-with-ansi-and-bidi-cannot-forge-a-line"),
])
def test_the_audit_text_view_shows_control_characters_escaped(sec_settings: Settings, planted: None, where: str) -> None:
    out = _audit(sec_settings, "--action", "login_failed" if where == "login" else "ask")
    assert not RAW_CONTROL.search(out), repr(out[:500])
    lines = out.splitlines()
    assert lines and all(LINE_START.match(line) for line in lines), lines  # no line that did not come from a record
    shown = [line for line in lines if ("x\\r\\n2026" if where == "login" else "项目管家是什么？\\n2026") in line]
    assert len(shown) == 1, lines
    if where == "login":
        assert "\\e[2K" in shown[0] and "登录失败" in shown[0]
    else:
        assert "\\e]0;标题\\x07\\u202egpj.exe\\x9b31m\\u2028结束" in shown[0]


@pytest.mark.parametrize("field", [pytest.param("username", id="LLM05-audit-json-is-escaped-but-faithful")])
def test_the_audit_json_keeps_the_recorded_text_exactly(sec_settings: Settings, planted: None, field: str) -> None:
    out = _audit(sec_settings, "--json")
    assert not RAW_CONTROL.search(out), repr(out[:500])
    events = [json.loads(line) for line in out.splitlines()]  # one event per line, every line valid JSON
    assert any(e[field] == LOGIN_NAME for e in events if e["action"] == "login_failed")
    assert any(e["subject"].startswith(QUESTION) for e in events if e["action"] == "ask")


@pytest.mark.parametrize("name", [
    pytest.param("wang\u202ennahz", id="LLM05-account-name-with-bidi-override-refused"),
    pytest.param("wang\x1b[31m", id="LLM05-account-name-with-terminal-escape-refused"),
])
def test_an_account_name_cannot_carry_control_characters(sec_settings: Settings, name: str) -> None:
    env = {"ASSISTANT_DATA_DIR": str(sec_settings.data_dir)}
    result = CliRunner().invoke(main, ["users", "add", name, "--role", "科室", "--password", "correct-horse-9"], env=env)
    assert result.exit_code != 0 and "控制字符" in result.output
    assert not RAW_CONTROL.search(result.output)
    assert "wang" not in CliRunner().invoke(main, ["users", "list"], env=env).output
