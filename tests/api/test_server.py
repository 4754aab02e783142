"""`assistant serve` as a user starts it: a real server process on a free loopback port, polled via /healthz."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import SEEDS, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds 不存在")
    root = tmp_path_factory.mktemp("srv")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), corpus / "reply.txt")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(root / "data")}
    subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(corpus)], env=env, check=True,
                   capture_output=True)
    with serving(root / "data", root / "serve.log", local=True) as url:
        yield url


def test_health_reports_the_index(server: str) -> None:
    body = httpx.get(f"{server}/healthz").json()
    assert body["status"] == "ok" and body["documents"] == 1 and body["chunks"] > 5


def test_search_returns_cited_paragraphs(server: str) -> None:
    body = httpx.get(f"{server}/api/search", params={"q": "下一步如何补齐外资短板", "k": 2}).json()
    top = body["hits"][0]
    assert top["section"] == "三、下一步工作措施 › 三是补齐外资短板"
    assert top["doc_number"] == "安招函〔2023〕31号"


def test_bad_requests_get_chinese_4xx(server: str) -> None:
    r = httpx.get(f"{server}/api/search", params={"q": "外资", "k": 0})
    assert r.status_code == 422 and "请求参数有误" in r.json()["detail"]
    r = httpx.get(f"{server}/api/search", params={"q": "   "})
    assert r.status_code == 422 and "不能为空" in r.json()["detail"]


def test_documents_list_is_paginated(server: str) -> None:
    body = httpx.get(f"{server}/api/documents", params={"limit": 1}).json()
    assert body["total"] == 1 and body["documents"][0]["doc_number"] == "安招函〔2023〕31号"


def test_chat_completions_stream_over_http(server: str) -> None:
    request = {"stream": True, "messages": [{"role": "user", "content": "下一步如何补齐外资短板？"}]}
    with httpx.stream("POST", f"{server}/v1/chat/completions", json=request, timeout=60) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line.removeprefix("data: ") for line in r.iter_lines() if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    answer = chunks[-1]["zhaoshang_answer"]
    assert "三是补齐外资短板" in answer["citations"][0]["section"]
    assert content.startswith(answer["answer"].strip()) and "\n\n引用：\n[1] " in content
