"""Two servers on two machines (issue 18, item 3): separate data directories, one PostgreSQL (accounts, sessions,
the ingest manifest) and one Chroma server (`chroma run`, from the chromadb package). A document uploaded through
one is found through the other within seconds (its BM25 rebuilt when the manifest generation moves), and a
session started on one is valid on the other."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.auth.sessions import SESSION_COOKIE
from assistant.auth.users import UserStore
from assistant.config import Settings

PASSWORD = "correct-horse-2"
NOTE = """安康市招商局关于试行“飞地园区”联合招商的通知

一、试行范围
汉阴县与深圳龙岗区共建的飞地园区，自2024年3月起试行联合招商，税收按六四分成。
"""


class ChromaServer:
    """`chroma run` on a free port, stopped and started again on the same port and path."""

    def __init__(self, chroma: str, path: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.command = [chroma, "run", "--path", str(path), "--port", str(self.port), "--host", "127.0.0.1"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:  # poll the heartbeat until the server answers
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Chroma 服务未能启动（退出码 {self.process.poll()}）")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        pytest.skip("找不到 chroma 命令（chromadb 包自带）：无法启动 Chroma 服务")
    server = ChromaServer(chroma, tmp_path_factory.mktemp("chroma-server"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def chroma_url(chroma_server: ChromaServer) -> str:
    return chroma_server.url


def test_a_document_uploaded_on_one_server_is_found_on_the_other_and_sessions_carry_over(
        tmp_path: Path, pg_url: str, chroma_url: str) -> None:
    settings = [Settings(data_dir=tmp_path / machine, database_url=pg_url, chroma_url=chroma_url,
                         rate_limit_per_minute=0) for machine in ("machine-a", "machine-b")]
    UserStore(pg_url).add("sun", PASSWORD, "admin")
    with TestClient(create_app(settings[0], warm=False)) as one, TestClient(create_app(settings[1], warm=False)) as two:
        login = one.post("/login", data={"username": "sun", "password": PASSWORD, "next": "/ui/"},
                         follow_redirects=False)
        assert login.status_code == 303, login.text
        for client in (one, two):
            client.cookies.update({SESSION_COOKIE: login.cookies[SESSION_COOKIE]})
        same_site = {"Origin": "http://testserver"}
        assert two.get("/api/search", params={"q": "飞地园区 税收分成"}).json()["hits"] == []

        uploaded = one.post("/api/documents", files={"files": ("飞地园区通知.txt", NOTE.encode(), "text/plain")},
                            headers=same_site)
        assert uploaded.status_code == 200, uploaded.text
        started, hits = time.monotonic(), list[dict[str, Any]]()
        while time.monotonic() - started < 5 and not hits:  # the other server sees the generation move
            found = two.get("/api/search", params={"q": "飞地园区 税收分成"})
            assert found.status_code == 200, found.text
            hits = found.json()["hits"]
        assert hits and "六四分成" in hits[0]["text"], hits
        assert not list((tmp_path / "machine-b").glob("*.sqlite"))  # nothing of it lives on machine b


def test_a_chroma_server_that_goes_away_is_a_chinese_503_and_is_used_again_when_back(
        chroma_server: ChromaServer) -> None:
    from assistant.index.vectors import open_vector_store
    from assistant.state.engine import StateUnavailable

    store = open_vector_store(Settings(chroma_url=chroma_server.url), "chunks-down-test")
    store.upsert(["a-0"], np.array([[1.0, 0.0]], dtype=np.float32), [{"doc_id": "a", "access": "公开"}])
    chroma_server.stop()
    try:
        with pytest.raises(StateUnavailable, match="向量库服务（Chroma"):
            store.query(np.array([1.0, 0.0], dtype=np.float32), 1)
    finally:
        chroma_server.start()
    assert [cid for cid, _ in store.query(np.array([1.0, 0.0], dtype=np.float32), 1)] == ["a-0"]  # no restart


def test_an_upload_while_the_chroma_server_is_away_is_a_chinese_503_that_loses_nothing(
        tmp_path: Path, pg_url: str, chroma_server: ChromaServer) -> None:
    """The Chroma server goes away between two uploads: the upload and the health check answer 503 in Chinese,
    the knowledge base keeps what it had (no half-written document), and once the server is back the same
    upload succeeds and is found, with no restart of the app."""
    settings = Settings(data_dir=tmp_path / "machine-a", database_url=pg_url, chroma_url=chroma_server.url,
                        rate_limit_per_minute=0)
    users = UserStore(pg_url)
    users.add("zhou", PASSWORD, "admin")
    auth = {"Authorization": f"Bearer {users.issue_api_key('zhou')}"}
    note = NOTE.replace("汉阴县与深圳龙岗区", "石泉县与东莞松山湖").replace("六四分成", "五五分成")
    upload = {"files": ("松山湖飞地通知.txt", note.encode(), "text/plain")}
    with TestClient(create_app(settings, warm=False)) as client:
        before = client.get("/api/documents", headers=auth).json()
        chroma_server.stop()
        try:
            down = client.post("/api/documents", files=upload, headers=auth)
            assert down.status_code == 503 and "向量库服务（Chroma" in down.json()["detail"], down.text
            health = client.get("/healthz")
            assert health.status_code == 503 and "知识库检索失败" in health.json()["reason"], health.text
            assert client.get("/api/documents", headers=auth).json() == before  # nothing half-written
        finally:
            chroma_server.start()
        again = client.post("/api/documents", files=upload, headers=auth)
        assert again.status_code == 200, again.text
        hits = client.get("/api/search", params={"q": "松山湖 飞地园区 税收分成"}, headers=auth).json()["hits"]
        assert hits and "五五分成" in hits[0]["text"]
