"""Malformed and oversized inputs (LLM10 无限制消耗): every limit answers with a Chinese 4xx before work is
done, and nothing malformed becomes a 500 that leaks a traceback (LLM02)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.security.conftest import MAX_FILE_MB, Actor

MB = 1024 * 1024

OVERSIZED = [
    pytest.param("POST", "/api/ask", {"json": {"question": "问" * 10_001}}, 422, id="LLM10-question-over-10000-chars"),
    pytest.param("POST", "/api/ask", {"json": {"question": "项目管家？", "history": ["问"] * 21}}, 422,
                 id="LLM10-history-over-20-turns"),
    pytest.param("POST", "/api/ask", {"json": {"question": "项目管家？", "history": ["问" * 2001]}}, 422,
                 id="LLM10-history-turn-over-2000-chars"),
    pytest.param("POST", "/api/ask/stream", {"json": {"question": "问" * 10_001}}, 422,
                 id="LLM10-streamed-question-over-limit"),
    pytest.param("POST", "/v1/chat/completions",
                 {"json": {"messages": [{"role": "user", "content": "你好"}] * 101}}, 422,
                 id="LLM10-openai-over-100-messages"),
    pytest.param("POST", "/v1/chat/completions",
                 {"json": {"messages": [{"role": "user", "content": [{"type": "text", "text": "问" * 6000}] * 2}]}},
                 422, id="LLM10-openai-question-split-into-parts"),
    pytest.param("GET", "/api/search", {"params": {"q": "问" * 2001}}, 422, id="LLM10-search-query-over-2000-chars"),
    pytest.param("GET", "/api/search", {"params": {"q": "项目管家", "k": 51}}, 422, id="LLM10-search-k-over-50"),
    pytest.param("GET", "/api/documents", {"params": {"limit": 201}}, 422, id="LLM10-document-page-over-200"),
    pytest.param("GET", "/api/figures/indicator",
                 {"params": {"region": "汉" * 51, "period": "2023Q1", "metric": "实际引进内资"}}, 422,
                 id="LLM10-figure-region-over-50-chars"),
    pytest.param("POST", "/api/draft/check", {"json": {"text": "数" * 200_001}}, 422,
                 id="LLM10-consistency-check-text-over-200000-chars"),
    pytest.param("POST", "/api/ask", {"content": b'{"question": "' + b"x" * (MB + 10) + b'"}',
                                      "headers": {"content-type": "application/json"}}, 413,
                 id="LLM10-json-body-over-1mb"),
    pytest.param("POST", "/login", {"data": {"username": "admin", "password": "x" * 2000}}, 422,
                 id="LLM10-login-password-over-limit"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), OVERSIZED)
def test_oversized_requests_are_refused_in_chinese(client: TestClient, actors: dict[str, Actor], method: str,
                                                   path: str, kwargs: dict[str, Any], status: int) -> None:
    headers = {**actors["staff"].headers, **kwargs.pop("headers", {})}
    r = client.request(method, path, headers=headers, **kwargs)
    assert r.status_code == status, (r.status_code, r.text[:300])
    detail = r.json()["detail"]
    assert isinstance(detail, str) and not detail.isascii(), detail


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    for _ in range(total // size + 1):
        yield b"x" * size


@pytest.mark.parametrize("path", [
    pytest.param("/api/ask", id="LLM10-streamed-body-without-length-over-1mb"),
    pytest.param("/v1/chat/completions", id="LLM10-openai-streamed-body-without-length"),
])
def test_a_body_without_content_length_is_cut_off_at_the_limit(client: TestClient, actors: dict[str, Actor],
                                                               path: str) -> None:
    r = client.post(path, content=_chunks(3 * MB), headers={**actors["staff"].headers,
                                                            "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"].startswith("请求体过大")


@pytest.fixture
def uploads_unchanged(sec_settings: Settings) -> Iterator[None]:
    folder = sec_settings.data_dir / "uploads"
    before = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    yield
    after = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert after == before


@pytest.mark.parametrize("case", [
    pytest.param("one-big-file", id="LLM10-upload-file-over-size-limit"),
    pytest.param("too-many-files", id="LLM10-upload-over-20-files"),
    pytest.param("wrong-type", id="LLM04-upload-executable-into-the-knowledge-base"),
    pytest.param("empty", id="LLM10-upload-empty-file"),
    pytest.param("fake-docx", id="LLM10-upload-binary-named-docx"),
    pytest.param("fake-pdf", id="LLM10-upload-truncated-pdf"),
])
def test_uploads_that_cannot_be_ingested_are_refused_and_nothing_is_kept(
        client: TestClient, actors: dict[str, Actor], uploads_unchanged: None, case: str) -> None:
    note = "正常的说明文件。".encode()
    files = {
        "one-big-file": [("files", ("大文件.txt", "招商".encode() * int(MAX_FILE_MB * MB / 6 + 10), "text/plain"))],
        "too-many-files": [("files", (f"第{i}个.txt", note + str(i).encode(), "text/plain")) for i in range(21)],
        "wrong-type": [("files", ("安装包.exe", b"MZ\x90\x00", "application/octet-stream"))],
        "empty": [("files", ("空白.txt", b"", "text/plain"))],
        "fake-docx": [("files", ("伪装.docx", b"\x7fELF" + b"\x00" * 200, "application/octet-stream"))],
        "fake-pdf": [("files", ("截断.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog", "application/pdf"))],
    }[case]
    r = client.post("/api/documents", files=files, headers=actors["staff"].headers)
    assert r.status_code in (413, 415, 422), (r.status_code, r.text[:300])
    body = r.json()
    assert not body["detail"].isascii()
    assert "Traceback" not in r.text


MALFORMED = [
    pytest.param(b'{"question": "abc', "application/json", id="LLM10-truncated-json"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "application/json", id="LLM10-deeply-nested-json"),
    pytest.param(b'{"question": "\xff\xfe\xfa"}', "application/json", id="LLM10-invalid-utf8-json"),
    pytest.param(b'{"question": {"$ne": 1}}', "application/json", id="LLM10-operator-object-instead-of-text"),
    pytest.param(b'{"question": ["a", "b"]}', "application/json", id="LLM10-list-instead-of-text"),
    pytest.param("question=项目管家".encode(), "application/x-www-form-urlencoded", id="LLM10-form-instead-of-json"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_malformed_bodies_get_a_chinese_4xx_not_a_crash(client: TestClient, actors: dict[str, Actor], body: bytes,
                                                       content_type: str) -> None:
    r = client.post("/api/ask", content=body, headers={**actors["staff"].headers, "content-type": content_type})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert not r.json()["detail"].isascii() and "Traceback" not in r.text


@pytest.mark.parametrize("question", [
    pytest.param("汉阴县\x00一季度\u202e外商直接投资\ufeff多少？", id="LLM10-control-and-bidi-characters-in-question"),
    pytest.param("\U0001f600" * 2000, id="LLM10-emoji-flood-question"),  # at ASSISTANT_MAX_QUESTION_CHARS
    pytest.param("汉阴县" * 666, id="LLM10-repeated-entity-flood-question"),
])
def test_odd_but_legal_questions_are_answered_without_crashing(client: TestClient, actors: dict[str, Actor],
                                                               question: str) -> None:
    r = client.post("/api/ask", json={"question": question}, headers=actors["staff"].headers)
    assert r.status_code == 200, r.text[:300]
    answer = r.json()
    assert answer["answer"] and answer["flagged_numbers"] == []
    assert len(answer["figures"]) <= 20
