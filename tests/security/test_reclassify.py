"""Reclassifying a document (公开 ↔ 内部): administrators only, through the command line, the API and the workbench —
one Workspace method, so each writes the same audit row (only `via` differs) and each changes at once what a
county account can search, ask about, list and look up in the glossary. The class outlives re-ingest of the same
file. LLM02: a document made 内部 by hand must vanish from county accounts at once; LLM06: only an administrator
may change who can read a document."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.auth.audit import AuditLog
from assistant.cli import main
from assistant.config import Settings
from tests.security.conftest import Actor, ask, flat, gradio_call

REASON = "含谈判底线，版记漏标“不予公开”"


def _document(word: str) -> str:
    return (f"关于{word}专项推进情况的说明\n一、基本情况\n{word}专项的测算为每亩九万元，谈判代号为{word}密码本。\n"
            f"二、名词解释\n“{word}密码本”是指{word}专项谈判小组掌握的让利方案。\n")


def _upload(client: TestClient, actors: dict[str, Actor], name: str, content: bytes) -> str:
    r = client.post("/api/documents", files=[("files", (name, content, "text/plain"))], headers=actors["admin"].headers)
    assert r.status_code == 200, r.text
    result = r.json()["files"][0]
    assert result["status"] == "added", result
    return str(result["doc_id"])


def _county_sees(client: TestClient, actors: dict[str, Actor], word: str) -> dict[str, bool]:
    """Where a county account (公开 clearance) finds the document's text: search, ask, the list, the glossary."""
    county = actors["hanyin"]
    secret = f"{word}密码本"
    hits = client.get("/api/search", params={"q": f"{word}专项 谈判代号 {secret}", "k": 20}, headers=county.headers)
    answer = ask(client, county, f"{word}专项的谈判代号是什么？")
    listed = client.get("/api/documents", params={"limit": 200}, headers=county.headers).text
    _, glossary = gradio_call(client, county, "glossary", [secret])
    return {"search": any(secret in h["text"] for h in hits.json()["hits"]), "ask": secret in flat(answer),
            "list": f"{word}专项" in listed, "glossary": f"{word}专项谈判小组掌握" in glossary}


def _reclassify(client: TestClient, actors: dict[str, Actor], settings: Settings, via: str, who: str, doc_id: str,
                access: str, reason: str = REASON) -> tuple[bool, str]:
    """(done, what the front end said) for one front end acting as `who`."""
    actor = actors[who]
    if via == "api":
        r = client.post(f"/api/documents/{doc_id}/class", json={"access": access, "reason": reason},
                        headers=actor.headers)
        return r.status_code == 200, f"{r.status_code} {r.text}"
    if via == "cli":
        result = CliRunner().invoke(main, ["--as", who, "docs", "reclassify", doc_id, access, "--reason", reason],
                                    env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
        return result.exit_code == 0, result.output
    event, payload = gradio_call(client, actor, "reclassify", [doc_id, access, reason])
    return event == "complete" and "立即生效" in payload, f"{event} {payload}"


def _last_row(settings: Settings, action: str = "reclassify") -> dict[str, object]:
    log = AuditLog(settings.data_dir / "audit.sqlite")
    try:
        return log.query(action=action, limit=1)[0].as_json()
    finally:
        log.close()


@pytest.fixture
def document(client: TestClient, actors: dict[str, Actor], request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(doc_id, word): an unmarked document (公开 by default), deleted afterwards."""
    word = {"api": "云杉", "cli": "冷杉", "ui": "水杉"}.get(request.node.callspec.params.get("via", ""), "红杉")
    doc_id = _upload(client, actors, f"{word}专项说明.txt", _document(word).encode())
    yield doc_id, word
    client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)


@pytest.mark.parametrize("via", [
    pytest.param("api", id="LLM02-reclassify-via-api-hides-the-document-from-counties-at-once"),
    pytest.param("cli", id="LLM02-reclassify-via-cli-hides-the-document-from-counties-at-once"),
    pytest.param("ui", id="LLM02-reclassify-via-workbench-hides-the-document-from-counties-at-once"),
])
def test_reclassification_takes_effect_at_once_and_is_audited_the_same_way(
        client: TestClient, actors: dict[str, Actor], sec_settings: Settings, document: tuple[str, str],
        via: str) -> None:
    doc_id, word = document
    everywhere = {"search": True, "ask": True, "list": True, "glossary": True}
    assert _county_sees(client, actors, word) == everywhere  # control: unmarked, so 公开 by default
    done, said = _reclassify(client, actors, sec_settings, via, "admin", doc_id, "内部")
    assert done, said
    assert _county_sees(client, actors, word) == dict.fromkeys(everywhere, False)
    row = _last_row(sec_settings)
    assert {k: row[k] for k in ("username", "role", "action", "subject", "documents", "outcome", "via")} == {
        "username": "admin", "role": "admin", "action": "reclassify",
        "subject": f"{word}专项说明.txt：公开→内部；理由：{REASON}", "documents": [doc_id], "outcome": "ok", "via": via}
    listed = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).json()["documents"]
    meta = next(d for d in listed if d["doc_id"] == doc_id)
    assert meta["access"] == "内部" and meta["access_basis"] == "manual" and REASON in meta["access_reason"]
    assert meta["detected_access"] == "公开"
    done, said = _reclassify(client, actors, sec_settings, via, "admin", doc_id, "公开", "经审核可以公开")
    assert done, said
    assert _county_sees(client, actors, word) == everywhere  # and back, at once


@pytest.mark.parametrize(("via", "who", "refusal"), [
    pytest.param("api", "staff", "403", id="LLM06-reclassify-by-staff-via-api-is-403"),
    pytest.param("api", "hanyin", "403", id="LLM06-reclassify-by-county-via-api-is-403"),
    pytest.param("api", "hanyin_internal", "403", id="LLM06-reclassify-by-internal-county-via-api-is-403"),
    pytest.param("cli", "staff", "仅限管理员", id="LLM06-reclassify-by-staff-via-cli-as-is-refused"),
    pytest.param("cli", "hanyin", "仅限管理员", id="LLM06-reclassify-by-county-via-cli-as-is-refused"),
    pytest.param("ui", "staff", "仅限管理员", id="LLM06-reclassify-by-staff-via-workbench-is-refused"),
    pytest.param("ui", "hanyin", "仅限管理员", id="LLM06-reclassify-by-county-via-workbench-is-refused"),
])
def test_only_administrators_may_reclassify(client: TestClient, actors: dict[str, Actor], sec_settings: Settings,
                                           secret_is_retrievable: None, via: str, who: str, refusal: str) -> None:
    internal = next(d for d in client.get("/api/documents", params={"limit": 200},
                                          headers=actors["admin"].headers).json()["documents"]
                    if d["file_name"] == "桃源七号项目内部情况说明.txt")
    done, said = _reclassify(client, actors, sec_settings, via, who, internal["doc_id"], "公开", "想看一下")
    assert not done and refusal in said, said
    row = _last_row(sec_settings)
    assert (row["username"], row["action"], row["outcome"], row["via"]) == (who, "reclassify", "denied", via)
    after = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).json()["documents"]
    assert next(d for d in after if d["doc_id"] == internal["doc_id"])["access"] == "内部"
    assert "桃源七号" not in client.get("/api/documents", headers=actors["hanyin"].headers).text


@pytest.mark.parametrize(("marked", "to"), [
    pytest.param("", "内部", id="LLM02-reclassified-internal-survives-delete-and-re-upload"),
    pytest.param("公开方式：不予公开", "公开", id="LLM02-reclassified-public-survives-delete-and-re-upload"),
])
def test_a_manual_class_survives_re_ingest_of_the_same_file(
        client: TestClient, actors: dict[str, Actor], sec_settings: Settings, marked: str, to: str) -> None:
    word = "银松" if to == "内部" else "金松"
    content = (_document(word) + (f"抄送：市商务局。\n{marked}\n" if marked else "")).encode()
    name = f"{word}专项说明.txt"
    doc_id = _upload(client, actors, name, content)
    try:
        done, said = _reclassify(client, actors, sec_settings, "api", "admin", doc_id, to)
        assert done, said
        client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)
        doc_id = _upload(client, actors, name, content)  # the same file again: detection would say otherwise
        listed = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).json()
        meta = next(d for d in listed["documents"] if d["doc_id"] == doc_id)
        assert (meta["access"], meta["access_basis"]) == (to, "manual"), json.dumps(meta, ensure_ascii=False)
        assert _county_sees(client, actors, word)["search"] is (to == "公开")
    finally:
        client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)


@pytest.mark.parametrize("body", [
    pytest.param({"access": "涉密", "reason": "x"}, id="LLM10-reclassify-to-an-unknown-class-is-422"),
    pytest.param({"access": "公开", "reason": ""}, id="LLM10-reclassify-without-a-reason-is-422"),
    pytest.param({"access": "公开", "reason": "理" * 201}, id="LLM10-reclassify-with-an-overlong-reason-is-422"),
])
def test_a_reclassification_needs_a_known_class_and_a_reason(client: TestClient, actors: dict[str, Actor],
                                                            body: dict[str, str]) -> None:
    doc = client.get("/api/documents", headers=actors["admin"].headers).json()["documents"][0]
    r = client.post(f"/api/documents/{doc['doc_id']}/class", json=body, headers=actors["admin"].headers)
    assert r.status_code == 422 and ("公开属性" in r.json()["detail"] or "理由" in r.json()["detail"]), r.text
