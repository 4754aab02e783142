"""Asking over HTTP: /api/ask, the NDJSON stream, the OpenAI-compatible endpoint, and request limits."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api_routes.deps import AppState
from tests.llm.fakes import ScriptedChatModel, tool_call

POLICY = "下一步如何补齐外资短板？"
FIGURE_REPLY = "汉阴县2023年一季度外商直接投资236.70万美元，同比增长18.5%。"


@pytest.fixture
def llm_mode(state: AppState) -> Iterator[Callable[..., ScriptedChatModel]]:
    """Switch the running app to LLM mode with a scripted model, and back afterwards."""

    def use(*script: Any) -> ScriptedChatModel:
        model = ScriptedChatModel(script=list(script))
        state.assistant.chat_model = model
        return model

    yield use
    state.assistant.chat_model = None


def _indicator_script() -> list[Any]:
    return [tool_call("get_indicator", region="汉阴县", period="2023Q1", metric="外商直接投资"), FIGURE_REPLY]


def _sse(text: str) -> list[Any]:
    events = [line.removeprefix("data: ") for line in text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    return [json.loads(e) for e in events[:-1]]


def test_ask_returns_a_cited_answer(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": POLICY}).json()
    assert body["mode"] == "grounded" and body["citations"][0]["doc_number"] == "安招函〔2023〕31号"
    assert "[1]" in body["answer"]


def test_ask_stream_sends_deltas_then_the_answer_with_flagged_numbers(client: TestClient, llm_mode: Any) -> None:
    llm_mode(*_indicator_script())
    r = client.post("/api/ask/stream", json={"question": "汉阴县一季度外资完成多少？"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in r.text.splitlines()]
    deltas, final = events[:-1], events[-1]
    assert {e["type"] for e in deltas} == {"delta"} and len(deltas) > 5
    assert final["type"] == "answer" and final["answer"]["mode"] == "llm"
    assert "".join(e["text"] for e in deltas) == final["answer"]["answer"] == FIGURE_REPLY
    assert final["answer"]["flagged_numbers"] == ["18.5%"]


def test_chat_completions_answers_with_a_citation_list(client: TestClient) -> None:
    r = client.post("/v1/chat/completions", json={
        "model": "zhaoshang-assistant", "temperature": 0.2,
        "messages": [{"role": "system", "content": "你是助手"}, {"role": "user", "content": "项目管家是什么？"},
                     {"role": "assistant", "content": "……"}, {"role": "user", "content": [{"type": "text", "text": POLICY}]}],
    })
    assert r.status_code == 200
    body = r.json()
    content = body["choices"][0]["message"]["content"]
    answer = body["zhaoshang_answer"]
    assert body["object"] == "chat.completion" and body["choices"][0]["finish_reason"] == "stop"
    assert content.startswith(answer["answer"].strip() + "\n\n引用：\n[1] 《关于市政协五届二次会议第205号提案的答复函》（安招函〔2023〕31号）")


def test_chat_completions_streams_openai_chunks_ending_with_done(client: TestClient, llm_mode: Any) -> None:
    llm_mode(*_indicator_script())
    r = client.post("/v1/chat/completions", json={
        "model": "zhaoshang-assistant", "stream": True, "messages": [{"role": "user", "content": "汉阴县一季度外资完成多少？"}]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    chunks = _sse(r.text)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert content == FIGURE_REPLY + "\n\n提示：\n· 以下数字未能在数据库或引用原文中找到来源，请核对：18.5%"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["zhaoshang_answer"]["flagged_numbers"] == ["18.5%"]


def test_models_lists_the_assistant(client: TestClient) -> None:
    assert client.get("/v1/models").json()["data"][0]["id"] == "zhaoshang-assistant"


def test_oversized_and_malformed_requests_get_chinese_4xx(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "外资" * 600_000})
    assert r.status_code == 413 and r.json()["detail"].startswith("请求体过大：上限 1.0 MB")
    limit = "最多 2000 字，请精简后再问（上限由管理员通过 ASSISTANT_MAX_QUESTION_CHARS 设置）。"
    r = client.post("/api/ask", json={"question": "外" * 2001})
    assert r.status_code == 422 and r.json()["detail"] == f"问题过长：2001 字，{limit}"
    r = client.post("/api/ask", json={"question": "  "})
    assert r.status_code == 422 and r.json()["detail"] == "问题不能为空"
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "你好"}]})
    assert r.status_code == 422 and r.json()["detail"].startswith("messages 中最后一条用户")
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "外" * 10_001}]})
    assert r.status_code == 422 and r.json()["detail"] == f"问题过长：10001 字，{limit}"
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"] == "请求参数有误：请求体：不是合法的 JSON"
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and r.json()["detail"] == "未找到该接口，请查看 /docs 中的接口列表。"
