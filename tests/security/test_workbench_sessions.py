"""LLM02: a workbench session or event belongs to the account that opened it. Gradio hands out event ids and
accepts any session hash from any logged-in caller; a county account that learns another user's id (from a
shared screen, a proxy log, a browser extension) must not read that user's answer or act in their session."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import SECRET_CODE, Actor

PREFIX = "/ui/gradio_api"
QUESTION = "桃源七号项目的让利底线是多少？"  # staff (内部) get the secret in the answer


def _shown(text: str) -> str:
    """An event stream's data, CJK unescaped (404 bodies are returned as they are)."""
    data = re.findall(r"^data: (.*)$", text, re.M)
    return " ".join(json.dumps(json.loads(d), ensure_ascii=False) for d in data) if data else text


def _call(client: TestClient, actor: Actor, body: dict[str, object]) -> str:
    r = client.post(f"{PREFIX}/call/respond", json=body, headers=actor.headers)
    assert r.status_code == 200, r.text
    return str(r.json()["event_id"])


@pytest.mark.parametrize("thief", [pytest.param("hanyin", id="LLM02-ui-county-reads-another-users-event-result")])
def test_an_event_result_is_read_only_by_its_owner(client: TestClient, actors: dict[str, Actor],
                                                   secret_is_retrievable: None, thief: str) -> None:
    event_id = _call(client, actors["staff"], {"data": [QUESTION, []]})
    stolen = client.get(f"{PREFIX}/call/respond/{event_id}", headers=actors[thief].headers)
    assert stolen.status_code == 404 and SECRET_CODE not in _shown(stolen.text)
    for path in (f"{PREFIX}/queue/data?session_hash={event_id}", f"{PREFIX}/call/v2/respond/{event_id}"):
        probe = client.get(path, headers=actors[thief].headers)
        assert probe.status_code == 404 and SECRET_CODE not in _shown(probe.text), path
    mine = client.get(f"{PREFIX}/call/respond/{event_id}", headers=actors["staff"].headers)
    assert mine.status_code == 200 and SECRET_CODE in _shown(mine.text)  # control: the owner still gets it


@pytest.mark.parametrize("thief", [pytest.param("hanbin", id="LLM02-ui-county-joins-another-users-session")])
def test_a_session_hash_is_used_only_by_its_owner(client: TestClient, actors: dict[str, Actor], thief: str) -> None:
    session = uuid.uuid4().hex[:11]
    owner = _call(client, actors["staff"], {"data": ["项目管家是什么？", []], "session_hash": session})
    assert client.get(f"{PREFIX}/call/respond/{owner}", headers=actors["staff"].headers).status_code == 200
    for method, path, kwargs in [
        ("GET", f"{PREFIX}/queue/data", {"params": {"session_hash": session}}),
        ("GET", f"{PREFIX}/heartbeat/{session}", {}),
        ("POST", f"{PREFIX}/call/respond", {"json": {"data": ["项目管家是什么？", []], "session_hash": session}}),
        ("POST", f"{PREFIX}/queue/join", {"json": {"data": ["项目管家是什么？", []], "fn_index": 0, "session_hash": session}}),
        ("POST", f"{PREFIX}/cancel", {"json": {"session_hash": session, "event_id": owner, "fn_index": 0}}),
    ]:
        r = client.request(method, path, headers=actors[thief].headers, **kwargs)
        assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
        assert json.loads(r.text)["detail"].startswith("没有这个工作台会话或事件")
