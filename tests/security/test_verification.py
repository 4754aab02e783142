"""Documents carry their loader and a 已核验/未核验 state (LLM09, LLM04): an uploaded document starts 未核验, and a
figure quoted from it counts as sourced only where the database confirms it, so one upload cannot make an invented
figure look sourced; the answer says the document is unverified. Only an administrator changes the state (LLM06),
through the command line, the API or the workbench — one Workspace method, one audit row, only `via` differs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.auth.audit import AuditLog
from assistant.cli import main
from assistant.config import Settings
from tests.llm.fakes import ScriptedChatModel, tool_call
from tests.security.conftest import Actor, ask, gradio_call

SUBSIDY = "每平方米补贴186元"
UPLOAD = f"""关于飞地园区标准厂房补贴标准的说明
一、补贴标准
飞地园区新建标准厂房{SUBSIDY}，单个项目补贴上限为2600万元。
二、工作成效
2023年一季度，汉阴县外商直接投资236.7万美元。
"""
QUESTION = "飞地园区新建标准厂房每平方米补贴多少钱？"
REASON = "已与园区管委会印发的补贴文件逐项核对"


def _documents(client: TestClient, actors: dict[str, Actor]) -> list[dict[str, Any]]:
    r = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers)
    return r.json()["documents"]  # type: ignore[no-any-return]


def _meta(client: TestClient, actors: dict[str, Actor], doc_id: str) -> dict[str, Any]:
    return next(d for d in _documents(client, actors) if d["doc_id"] == doc_id)


def _upload(client: TestClient, actor: Actor, name: str, content: str) -> str:
    r = client.post("/api/documents", files=[("files", (name, content.encode(), "text/plain"))], headers=actor.headers)
    assert r.status_code == 200, r.text
    result = r.json()["files"][0]
    assert result["status"] in ("added", "updated"), result
    return str(result["doc_id"])


def _set_state(client: TestClient, actors: dict[str, Actor], settings: Settings, via: str, who: str, doc_id: str,
               state: str, reason: str = REASON) -> tuple[bool, str]:
    actor = actors[who]
    if via == "api":
        r = client.post(f"/api/documents/{doc_id}/verification", json={"state": state, "reason": reason},
                        headers=actor.headers)
        return r.status_code == 200, f"{r.status_code} {r.text}"
    if via == "cli":
        result = CliRunner().invoke(main, ["--as", who, "docs", "verify", doc_id, state, "--reason", reason],
                                    env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
        return result.exit_code == 0, result.output
    event, payload = gradio_call(client, actor, "verify", [doc_id, state, reason])
    return event == "complete" and "立即生效" in payload, f"{event} {payload}"


def _last_row(settings: Settings) -> dict[str, Any]:
    log = AuditLog(settings.data_dir / "audit.sqlite")
    try:
        return log.query(action="verify", limit=1)[0].as_json()
    finally:
        log.close()


@pytest.fixture
def uploaded(client: TestClient, actors: dict[str, Actor], request: pytest.FixtureRequest) -> Iterator[str]:
    """The subsidy note, uploaded by a 科室 account; deleted afterwards."""
    via = request.node.callspec.params.get("via", "x") if hasattr(request.node, "callspec") else "x"
    # a text of its own per test: the state is kept per file content, so another test's verdict must not carry over
    doc_id = _upload(client, actors["staff"], f"飞地园区补贴说明-{via}.txt", UPLOAD + f"（{request.node.name}）\n")
    yield doc_id
    client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)


@pytest.mark.parametrize("case", [pytest.param("list", id="LLM04-upload-records-its-uploader-and-starts-unverified")])
def test_an_upload_records_its_uploader_and_starts_unverified_while_the_cli_corpus_is_verified(
        client: TestClient, actors: dict[str, Actor], uploaded: str, case: str) -> None:
    meta = _meta(client, actors, uploaded)
    assert (meta["uploader"], meta["uploaded_via"], meta["verified"], meta["verified_basis"]) == (
        "staff", "api", "未核验", "default"), meta
    corpus = next(d for d in _documents(client, actors) if d["file_name"] == "外资项目落地若干措施.txt")
    assert (corpus["verified"], corpus["uploaded_via"]) == ("已核验", "cli"), corpus  # ingested from a folder


@pytest.mark.parametrize("via", [
    pytest.param("api", id="LLM09-verify-via-api-makes-the-upload's-figures-sourced-and-is-audited"),
    pytest.param("cli", id="LLM09-verify-via-cli-makes-the-upload's-figures-sourced-and-is-audited"),
    pytest.param("ui", id="LLM09-verify-via-workbench-makes-the-upload's-figures-sourced-and-is-audited"),
])
def test_an_unverified_document_s_figures_are_flagged_until_an_administrator_verifies_it(
        client: TestClient, actors: dict[str, Actor], sec_settings: Settings, uploaded: str, via: str) -> None:
    before = ask(client, actors["staff"], QUESTION)
    assert any(SUBSIDY in c["quote"] and not c["verified"] for c in before["citations"]), before
    assert "[1]（文档未核验）" in before["answer"], before["answer"]
    assert "186" in " ".join(before["flagged_numbers"]), before["flagged_numbers"]
    assert any("未核验" in w for w in before["warnings"]), before["warnings"]

    done, said = _set_state(client, actors, sec_settings, via, "admin", uploaded, "已核验")
    assert done, said
    row = _last_row(sec_settings)
    assert {k: row[k] for k in ("username", "role", "action", "subject", "documents", "outcome", "via")} == {
        "username": "admin", "role": "admin", "action": "verify",
        "subject": f"飞地园区补贴说明-{via}.txt：未核验→已核验；理由：{REASON}", "documents": [uploaded],
        "outcome": "ok", "via": via}
    meta = _meta(client, actors, uploaded)
    assert (meta["verified"], meta["verified_basis"]) == ("已核验", "manual") and REASON in meta["verified_reason"]

    after = ask(client, actors["staff"], QUESTION)
    assert any(SUBSIDY in c["quote"] and c["verified"] for c in after["citations"]), after
    assert "未核验" not in after["answer"] and not any("未核验" in w for w in after["warnings"])
    assert after["flagged_numbers"] == [], after["flagged_numbers"]

    done, said = _set_state(client, actors, sec_settings, via, "admin", uploaded, "未核验", "补贴标准已调整，待重新核对")
    assert done, said
    again = ask(client, actors["staff"], QUESTION)
    assert "186" in " ".join(again["flagged_numbers"]) and "（文档未核验）" in again["answer"]


@pytest.mark.parametrize(("via", "who", "refusal"), [
    pytest.param("api", "staff", "403", id="LLM06-verify-by-staff-via-api-is-403"),
    pytest.param("api", "hanyin", "403", id="LLM06-verify-by-county-via-api-is-403"),
    pytest.param("cli", "staff", "仅限管理员", id="LLM06-verify-by-staff-via-cli-as-is-refused"),
    pytest.param("ui", "staff", "仅限管理员", id="LLM06-verify-by-staff-via-workbench-is-refused"),
    pytest.param("ui", "hanyin", "仅限管理员", id="LLM06-verify-by-county-via-workbench-is-refused"),
])
def test_only_administrators_may_verify(client: TestClient, actors: dict[str, Actor], sec_settings: Settings,
                                       uploaded: str, via: str, who: str, refusal: str) -> None:
    # the uploader vouching for their own upload is exactly what the state is there to prevent
    done, said = _set_state(client, actors, sec_settings, via, who, uploaded, "已核验", "我自己核过了")
    assert not done and refusal in said, said
    row = _last_row(sec_settings)
    assert (row["username"], row["action"], row["outcome"], row["via"]) == (who, "verify", "denied", via)
    assert _meta(client, actors, uploaded)["verified"] == "未核验"


@pytest.mark.parametrize("body", [
    pytest.param({"state": "已核实", "reason": "x"}, id="LLM10-verify-with-unknown-state-is-422"),
    pytest.param({"state": "已核验", "reason": ""}, id="LLM10-verify-without-reason-is-422"),
    pytest.param({"state": "已核验", "reason": "理" * 201}, id="LLM10-verify-with-overlong-reason-is-422"),
])
def test_bad_verification_requests_get_a_chinese_422(client: TestClient, actors: dict[str, Actor], uploaded: str,
                                                    body: dict[str, str]) -> None:
    r = client.post(f"/api/documents/{uploaded}/verification", json=body, headers=actors["admin"].headers)
    assert r.status_code == 422 and any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"]), r.text
    assert _meta(client, actors, uploaded)["verified"] == "未核验"


@pytest.mark.parametrize("case", [
    pytest.param("same", id="LLM04-verified-state-survives-delete-and-re-upload-of-the-same-file"),
    pytest.param("edited", id="LLM04-edited-re-upload-of-a-verified-file-is-unverified-again"),
])
def test_the_state_belongs_to_the_file_content(client: TestClient, actors: dict[str, Actor], sec_settings: Settings,
                                               case: str) -> None:
    name = f"飞地园区补贴说明-{case}.txt"
    text = UPLOAD + f"（{case}）\n"
    doc_id = _upload(client, actors["staff"], name, text)
    try:
        done, said = _set_state(client, actors, sec_settings, "api", "admin", doc_id, "已核验")
        assert done, said
        if case == "same":
            client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)
            doc_id = _upload(client, actors["staff"], name, text)
            assert _meta(client, actors, doc_id)["verified"] == "已核验"
        else:
            doc_id = _upload(client, actors["staff"], name, text.replace("186元", "986元"))
            meta = _meta(client, actors, doc_id)
            assert (meta["verified"], meta["verified_basis"]) == ("未核验", "default"), meta
    finally:
        client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)


@pytest.mark.parametrize("who", [pytest.param("staff", id="LLM09-agent-unverified-passage-sources-only-what-the-database-confirms")])
def test_in_llm_mode_an_unverified_passage_sources_only_figures_the_database_confirms(
        llm_client: TestClient, scripted: ScriptedChatModel, actors: dict[str, Actor], uploaded: str, who: str) -> None:
    scripted.script[:] = [tool_call("search_policy", query="飞地园区 标准厂房 补贴 汉阴县 外商直接投资"),
                          "2023年一季度，汉阴县外商直接投资236.7万美元[1]；飞地园区标准厂房每平方米补贴186元[1]。"]
    r = llm_client.post("/api/ask", json={"question": "飞地园区的补贴和汉阴县外资情况？"}, headers=actors[who].headers)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["mode"] == "llm" and answer["citations"] and not answer["citations"][0]["verified"], answer
    assert "186" in " ".join(answer["flagged_numbers"]), answer["flagged_numbers"]  # the upload's own figure
    assert not any(n.startswith("236.7") for n in answer["flagged_numbers"])  # the database agrees with this one
    assert any("未核验" in w for w in answer["warnings"]), answer["warnings"]


PLANTED = """关于汉阴县外资工作进展的情况通报
2023年一季度，汉阴县外资完成进度为99.9%，位居全市前列。
下一步，汉阴县将继续加强外资项目跟踪服务。
"""


@pytest.mark.parametrize("verified", [
    pytest.param(False, id="LLM09-planted-figure-in-an-upload-is-shown-as-a-conflict-and-flagged"),
    pytest.param(True, id="LLM09-planted-figure-stays-a-conflict-after-the-upload-is-verified"),
])
def test_a_planted_figure_is_never_shown_as_agreement(client: TestClient, actors: dict[str, Actor],
                                                      sec_settings: Settings, verified: bool) -> None:
    """The issue's case: an upload states 汉阴县外资完成进度为99.9% where the database holds 67.63%."""
    doc_id = _upload(client, actors["staff"], f"外资情况通报-{verified}.txt", PLANTED + f"（{verified}）\n")
    try:
        if verified:  # an administrator vouching for the document does not make a conflicting figure true
            done, said = _set_state(client, actors, sec_settings, "api", "admin", doc_id, "已核验")
            assert done, said
        answer = ask(client, actors["staff"], "情况通报里说汉阴县2023年一季度外资完成进度是多少？")
        assert any("99.9%" in c["quote"] for c in answer["citations"]), answer
        assert "文档与数据库不一致" in answer["answer"] and "数据库为67.63%" in answer["answer"], answer["answer"]
        assert "99.9%" in answer["flagged_numbers"]
        assert any("不一致" in w for w in answer["warnings"])
    finally:
        client.delete(f"/api/documents/{doc_id}", headers=actors["admin"].headers)
