"""LLM10 (availability): `assistant ingest` from the command line while the server answers, as the README tells
staff to load documents. Before: every search after such an ingest failed with HTTP 500 (chromadb: Error finding
id) until a restart, while /healthz said ok. The server here has already searched (its index is in memory); a
separate CLI process writes the same data directory; the server must keep answering and find the new document.
The long run (20 clients during a 50-document ingest) is bench/ingest_while_serving.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.security.conftest import Actor

NEW = """关于锦鲤专项服务机制的通知
一、服务机制
锦鲤专项实行首问负责，受理后三个工作日内答复企业。
"""


@pytest.mark.parametrize("via", [pytest.param("cli", id="LLM10-cli-ingest-while-serving-keeps-search-and-health-working")])
def test_a_command_line_ingest_does_not_break_the_running_server(
        client: TestClient, actors: dict[str, Actor], sec_settings: Settings, tmp_path: Path, via: str) -> None:
    staff = actors["staff"].headers
    before = client.get("/api/search", params={"q": "锦鲤专项 首问负责", "k": 5}, headers=staff)
    assert before.status_code == 200 and not any("锦鲤" in h["text"] for h in before.json()["hits"])
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "锦鲤专项服务机制.txt").write_text(NEW, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(sec_settings.data_dir), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(folder)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        after = client.get("/api/search", params={"q": "锦鲤专项 首问负责", "k": 5}, headers=staff)
        assert after.status_code == 200, after.text
        assert any("锦鲤专项实行首问负责" in h["text"] for h in after.json()["hits"])
        asked = client.post("/api/ask", json={"question": "锦鲤专项多久答复企业？"}, headers=staff)
        assert asked.status_code == 200 and "三个工作日" in asked.text, asked.text
        health = client.get("/healthz")
        assert health.status_code == 200, health.text
    finally:
        listed = client.get("/api/documents", params={"limit": 200}, headers=actors["admin"].headers).json()
        for doc in listed["documents"]:
            if doc["file_name"] == "锦鲤专项服务机制.txt":
                client.delete(f"/api/documents/{doc['doc_id']}", headers=actors["admin"].headers)
