"""LLM08 向量与嵌入弱点: the disclosure filter must hold in both retrievers (BM25 and the vector store) and
after fusion, for queries built to sit right next to an internal chunk — its exact text, a paraphrase with
no shared words, its title and number, an English rendering — and for the widest requests allowed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import (
    INTERNAL_NOTE,
    SECRET_CODE,
    SECRET_TERMS,
    SECRET_TITLE,
    Actor,
    ask,
    doc_id,
    flat,
)

SECRET_SENTENCE = next(line for line in INTERNAL_NOTE.splitlines() if SECRET_CODE in line and "让利底线为" in line)

NEAR_QUERIES = [
    pytest.param(SECRET_SENTENCE, id="LLM08-query-is-the-internal-chunk-verbatim"),
    pytest.param("那个拟引进的外资新材料项目，谈判时我们最多能让多少利", id="LLM08-paraphrase-sharing-no-keywords"),
    pytest.param(SECRET_TITLE, id="LLM08-query-is-the-internal-title"),
    pytest.param("安招内〔2023〕5号", id="LLM08-query-is-the-internal-document-number"),
    pytest.param("Taoyuan No.7 project: land price floor and tax rebate cap", id="LLM08-cross-lingual-query"),
    pytest.param(f"{SECRET_CODE} {SECRET_CODE} {SECRET_CODE}", id="LLM08-guessed-codeword-bm25-only"),
    pytest.param("让利 底线 每亩 万元 税收返还 百分之四十 谈判小组", id="LLM08-keyword-stuffed-query"),
]


def _hits(client: TestClient, actor: Actor, params: dict[str, Any]) -> list[dict[str, Any]]:
    r = client.get("/api/search", params=params, headers=actor.headers)
    assert r.status_code == 200, r.text
    return r.json()["hits"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("query", NEAR_QUERIES)
def test_queries_next_to_an_internal_chunk_return_only_public_ones(
        client: TestClient, actors: dict[str, Actor], secret_is_retrievable: None, query: str) -> None:
    internal = doc_id(client, actors["admin"], SECRET_TITLE)
    assert internal in {h["doc_id"] for h in _hits(client, actors["staff"], {"q": query, "k": 50})}  # control
    for who in ("hanyin", "staff_public"):
        hits = _hits(client, actors[who], {"q": query, "k": 50})
        assert internal not in {h["doc_id"] for h in hits}, who
        assert SECRET_TERMS not in flat(hits)


@pytest.mark.parametrize("path", ["pool", "narrow"])
@pytest.mark.parametrize("query", NEAR_QUERIES)
def test_the_pooled_path_above_the_exact_threshold_returns_only_public_chunks(
        client: TestClient, actors: dict[str, Actor], secret_is_retrievable: None, query: str, path: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_SEARCH_MAX_CHUNKS the dense side is the vector store's over-fetched pool, filtered by the
    manifest's verdict instead of Chroma's `where` (index/vectors.py), or, for a filter that keeps few
    passages, exact scores of just the passages the manifest admits: the same filter must hold on both."""
    from assistant.index import kb as kb_module

    monkeypatch.setattr(kb_module, "EXACT_SEARCH_MAX_CHUNKS", 0)
    if path == "pool":
        monkeypatch.setattr(kb_module, "NARROW_MAX_CHUNKS", 0)
    internal = doc_id(client, actors["admin"], SECRET_TITLE)
    assert internal in {h["doc_id"] for h in _hits(client, actors["staff"], {"q": query, "k": 50})}  # control
    for who in ("hanyin", "staff_public"):
        hits = _hits(client, actors[who], {"q": query, "k": 50})
        assert internal not in {h["doc_id"] for h in hits}, who
        assert SECRET_TERMS not in flat(hits)


@pytest.mark.parametrize("params", [
    pytest.param({"q": "项目", "k": 50}, id="LLM08-widest-generic-search-k50"),
    pytest.param({"q": "桃源七号", "k": 50, "year": 2023}, id="LLM08-year-filter-cannot-widen"),
    pytest.param({"q": "桃源七号", "k": 50, "office": "安康市招商和经济合作局"}, id="LLM08-office-filter-cannot-widen"),
    pytest.param({"q": "桃源七号", "k": 50, "genre": "报告"}, id="LLM08-genre-filter-cannot-widen"),
])
def test_filters_and_wide_requests_never_widen_the_disclosure_filter(
        client: TestClient, actors: dict[str, Actor], secret_is_retrievable: None, params: dict[str, Any]) -> None:
    internal = doc_id(client, actors["admin"], SECRET_TITLE)
    hits = _hits(client, actors["hanyin"], params)
    assert internal not in {h["doc_id"] for h in hits}


@pytest.mark.parametrize("question", [
    pytest.param(SECRET_SENTENCE, id="LLM08-grounded-answer-to-verbatim-internal-text"),
    pytest.param("那个拟引进的外资新材料项目，谈判时我们最多能让多少利？", id="LLM08-grounded-answer-to-paraphrase"),
])
def test_answers_built_on_retrieval_inherit_the_filter(client: TestClient, actors: dict[str, Actor],
                                                       secret_is_retrievable: None, question: str) -> None:
    internal = doc_id(client, actors["admin"], SECRET_TITLE)
    answer = ask(client, actors["hanyin"], question)
    assert internal not in {c["doc_id"] for c in answer["citations"]}
    assert SECRET_TERMS not in answer["answer"].replace(question, "")
