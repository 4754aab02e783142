"""LLM10: the per-account budget for questions and searches (ASSISTANT_RATE_LIMIT_PER_MINUTE), on every channel."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.auth.limits import RateLimiter
from assistant.config import Settings
from tests.conftest import add_user

BUDGET = 3


@pytest.fixture(scope="module")
def limited(sec_settings: Settings) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = sec_settings.model_copy(update={"rate_limit_per_minute": BUDGET})
    keys = {name: add_user(settings, name, "科室") for name in ("rl_busy", "rl_other", "rl_ui", "rl_v1")}
    with TestClient(create_app(settings, warm=False)) as client:
        yield client, keys


def _ask(client: TestClient, key: str, path: str) -> int:
    headers = {"Authorization": f"Bearer {key}"}
    if path == "/api/search":
        return client.get(path, params={"q": "项目管家"}, headers=headers).status_code
    if path == "/v1/chat/completions":
        body = {"messages": [{"role": "user", "content": "项目管家是什么？"}]}
        return client.post(path, json=body, headers=headers).status_code
    return client.post(path, json={"question": "项目管家是什么？"}, headers=headers).status_code


@pytest.mark.parametrize("path", [
    pytest.param("/api/ask", id="LLM10-rate-limit-ask"),
    pytest.param("/api/ask/stream", id="LLM10-rate-limit-stream-refused-before-streaming"),
    pytest.param("/api/search", id="LLM10-rate-limit-search"),
    pytest.param("/v1/chat/completions", id="LLM10-rate-limit-openai-endpoint"),
])
def test_an_account_past_its_budget_gets_a_chinese_429_and_others_are_unaffected(
        limited: tuple[TestClient, dict[str, str]], path: str) -> None:
    client, keys = limited
    limiter: RateLimiter = client.app.state.auth.limiter  # type: ignore[attr-defined]
    limiter._hits.clear()  # each case starts with a fresh minute  # noqa: SLF001
    assert [_ask(client, keys["rl_busy"], path) for _ in range(BUDGET)] == [200] * BUDGET
    refused = client.post(path, json={"question": "再问一次"}, headers={"Authorization": f"Bearer {keys['rl_busy']}"}) \
        if path != "/api/search" else client.get(path, params={"q": "再问"},
                                                 headers={"Authorization": f"Bearer {keys['rl_busy']}"})
    assert refused.status_code == 429 and "提问过于频繁" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert _ask(client, keys["rl_other"], path) == 200  # the budget is per account


@pytest.mark.parametrize("who", [pytest.param("rl_ui", id="LLM10-rate-limit-workbench-chat")])
def test_the_workbench_chat_shares_the_budget(limited: tuple[TestClient, dict[str, str]], who: str) -> None:
    client, keys = limited
    headers = {"Authorization": f"Bearer {keys[who]}"}
    for _ in range(BUDGET):
        assert _ask(client, keys[who], "/api/ask") == 200
    started = client.post("/ui/gradio_api/call/respond", json={"data": ["项目管家是什么？", []]}, headers=headers)
    stream = client.get(f"/ui/gradio_api/call/respond/{started.json()['event_id']}", headers=headers).text
    shown = " ".join(json.dumps(json.loads(line[6:]), ensure_ascii=False) for line in stream.splitlines()
                     if line.startswith("data: "))
    assert "提问过于频繁" in shown and "项目管家是指" not in shown
