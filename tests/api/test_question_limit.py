"""One question-length limit (ASSISTANT_MAX_QUESTION_CHARS) for every front end: the API's 422, the
workbench's input box, the command line and the engine all say the same number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from assistant.config import Settings

LIMIT = 40


def too_long(n: int = LIMIT + 1, what: str = "问题") -> str:
    return f"{what}过长：{n} 字，最多 {LIMIT} 字，请精简后再问（上限由管理员通过 ASSISTANT_MAX_QUESTION_CHARS 设置）。"


@pytest.fixture(scope="module")
def short_settings(api_settings: Settings) -> Settings:
    return api_settings.model_copy(update={"max_question_chars": LIMIT})


@pytest.fixture(scope="module")
def short(short_settings: Settings, admin_key: str) -> Iterator[TestClient]:
    with TestClient(create_app(short_settings, warm=False), headers={"Authorization": f"Bearer {admin_key}"}) as c:
        yield c


def test_the_default_limit_is_2000_characters() -> None:
    assert Settings().max_question_chars == 2000


@pytest.mark.parametrize(("method", "path", "request_args", "detail"), [
    ("POST", "/api/ask", {"json": {"question": "外" * 41}}, too_long()),
    ("POST", "/api/ask/stream", {"json": {"question": "外" * 41}}, too_long()),
    ("POST", "/api/ask", {"json": {"question": "那恒口呢？", "history": ["外" * 41]}}, too_long(what="追问历史中的问题")),
    ("POST", "/v1/chat/completions", {"json": {"messages": [{"role": "user", "content": "外" * 41}]}}, too_long()),
    ("GET", "/api/search", {"params": {"q": "外" * 41}}, too_long(what="检索问题")),
], ids=["ask", "stream", "history", "openai", "search"])
def test_the_api_refuses_a_question_over_the_limit_with_422_naming_it(
        short: TestClient, method: str, path: str, request_args: dict[str, Any], detail: str) -> None:
    r = short.request(method, path, **request_args)
    assert r.status_code == 422 and r.json()["detail"] == detail


def test_a_question_at_the_limit_is_answered(short: TestClient) -> None:
    question = "汉阴县一季度外商直接投资完成进度？".ljust(LIMIT, "。")
    assert short.post("/api/ask", json={"question": question}).status_code == 200
    assert short.get("/api/search", params={"q": question}).status_code == 200


def test_the_workbench_input_box_has_the_same_limit(short: TestClient) -> None:
    config = short.get("/ui/config").json()
    [box] = [c["props"] for c in config["components"] if c.get("props", {}).get("elem_id") == "zs-question"]
    assert box["max_length"] == LIMIT


def test_the_command_line_refuses_it_naming_the_line(short_settings: Settings, tmp_path: Path) -> None:
    env = {"ASSISTANT_DATA_DIR": str(short_settings.data_dir), "ASSISTANT_MAX_QUESTION_CHARS": str(LIMIT)}
    result = CliRunner().invoke(main, ["ask", "外" * 41], env=env)
    assert result.exit_code != 0 and too_long() in result.output
    batch = tmp_path / "问题.txt"
    batch.write_text("汉阴县一季度外资？\n" + "外" * 45 + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["search", "--batch", str(batch)], env=env)
    assert result.exit_code != 0 and f"{batch.name} 第 2 行：{too_long(45, '检索问题')}" in result.output


def test_the_engine_reads_only_up_to_the_limit_and_says_so(short_settings: Settings) -> None:
    from assistant.answer.engine import Assistant

    assistant = Assistant(short_settings)
    try:
        answer = assistant.ask("汉阴县一季度外商直接投资完成进度？" + "请详细说明。" * 10)
    finally:
        assistant.kb.close()
    assert f"问题超过 {LIMIT} 字，只按前 {LIMIT} 字处理。" in answer.warnings
