"""The editable preview: staff change paragraphs, the check runs again on the edited text and flags every
number changed away from the database; the edited draft is what is exported. Through the workspace's
use case as the API exposes it (the UI calls the same Workspace.revise)."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient

from tests.drafting.test_front_ends import REPLY, client  # noqa: F401 — the API client fixture

OVERVIEW = 3  # 一、办理情况's first paragraph: the city's figures as of the data period


def _draft(client: TestClient) -> dict:  # noqa: F811
    r = client.post("/api/draft/reply", json=REPLY)
    assert r.status_code == 200, r.text
    return r.json()["draft"]


def test_a_changed_figure_is_flagged_with_the_database_value_and_the_edit_is_exported(client: TestClient  # noqa: F811
                                                                                       ) -> None:
    draft = _draft(client)
    overview = draft["paragraphs"][OVERVIEW]["text"]
    assert "381.47亿元" in overview and "同比增长4.63%" in overview
    edited = overview.replace("381.47亿元", "391.47亿元").replace("同比增长4.63%", "同比增长约5%")
    opening = "您提出的提案收悉，现答复如下："
    r = client.post("/api/draft/revise", json={"draft": draft, "edits": [
        {"index": OVERVIEW, "text": edited}, {"index": 1, "text": opening}]})
    assert r.status_code == 200, r.text
    body = r.json()
    bad = {c["text"]: c for c in body["checks"] if c["status"] == "mismatch"}
    assert set(bad) == {"391.47亿元", "5%"}  # both changes, and nothing the officer left alone
    assert bad["391.47亿元"]["db_text"] == "381.47亿元" and bad["5%"]["db_text"] == "4.63%"
    assert "修改前为“4.63%”" in bad["5%"]["reason"]  # 约5% names no indicator; the edit still shows
    assert body["summary"]["mismatch"] == 2 and body["summary"]["match"] > 5
    revised = body["draft"]
    assert revised["paragraphs"][1]["text"] == opening and revised["paragraphs"][OVERVIEW]["text"] == edited
    r = client.post("/api/draft/export", params={"sources": "false"}, json=revised)
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert opening in texts and any("391.47亿元" in t for t in texts)


def test_wording_edits_that_keep_the_figures_check_clean_and_a_deleted_figure_is_listed(
        client: TestClient) -> None:  # noqa: F811
    draft = _draft(client)
    overview = draft["paragraphs"][OVERVIEW]["text"]
    reworded = overview.replace("我局高度重视", "我局始终高度重视")
    r = client.post("/api/draft/revise", json={"draft": draft, "edits": [{"index": OVERVIEW, "text": reworded}]})
    assert r.status_code == 200 and r.json()["summary"]["mismatch"] == 0
    shortened = overview.replace("，同比增长4.63%", "")
    r = client.post("/api/draft/revise", json={"draft": draft, "edits": [{"index": OVERVIEW, "text": shortened}]})
    deleted = [c for c in r.json()["checks"] if c["status"] == "mismatch"]
    assert [c["text"] for c in deleted] == [f"（第 {OVERVIEW + 1} 段删去了“4.63%”）"]


def test_an_edit_of_a_paragraph_that_does_not_exist_is_refused_in_chinese(client: TestClient) -> None:  # noqa: F811
    draft = _draft(client)
    r = client.post("/api/draft/revise", json={"draft": draft, "edits": [{"index": 999, "text": "新段落"}]})
    assert r.status_code == 400 and r.json()["detail"].startswith("第 1000 段不存在")
    r = client.post("/api/draft/revise", json={"draft": draft, "edits": [{"index": 1, "text": "字" * 6000}]})
    assert r.status_code == 422 and "请求参数有误" in r.json()["detail"]
