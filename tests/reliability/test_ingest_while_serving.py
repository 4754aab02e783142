"""`assistant ingest` and `assistant db import` from the command line while `assistant serve` answers, as the
README tells staff to load documents: a real server process, real CLI processes, traffic throughout.

Before: the first search after the ingest failed with HTTP 500 (chromadb InternalError: Error finding id) and
so did every later one until a restart, while /healthz said ok; a project imported meanwhile was unknown to
questions until a restart. /healthz now runs a real search and a database query.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant import services
from assistant.answer import engine
from assistant.api import create_app
from assistant.config import Settings
from assistant.index.lock import SharedAccess
from assistant.index.vectors import ACCESS_LOCK_NAME
from tests.conftest import serving
from tests.reliability.generated import marker_of, title_of, write_documents

NEW_DOCUMENTS = 6
NEW_PROJECT = "钠离子电池储能项目（示例）"
PROJECTS_HEADER = "项目名称,地区,产业链,企业,总投资（亿元）,阶段,签约日期,开工日期,投产日期,到位资金（亿元）,是否外资,外资金额（万美元）,备注"
VISIBLE_WITHIN_S = 10.0
Health = tuple[int, dict[str, Any]]


@dataclass(eq=False)  # a thread: hashable by identity
class Traffic(threading.Thread):
    """One client asking, searching and checking health in a loop until stopped; keeps every response."""

    url: str
    responses: list[tuple[float, str, int, str]] = field(default_factory=list)  # (time, request, status, body)
    stopped: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        super().__init__(daemon=True)

    def run(self) -> None:
        requests: list[tuple[str, Callable[[httpx.Client], httpx.Response]]] = [
            ("检索", lambda c: c.get("/api/search", params={"q": "项目管家全程帮办代办", "k": 5})),
            ("问答·政策", lambda c: c.post("/api/ask", json={"question": "项目管家是什么？"})),
            ("问答·数据", lambda c: c.post("/api/ask", json={"question": "汉阴县一季度外资完成进度？"})),
            ("健康检查", lambda c: c.get("/healthz")),
        ]
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self.stopped.is_set():
                for name, send in requests:
                    try:
                        r = send(client)
                        status, body = r.status_code, "" if r.status_code == 200 else r.text[:300]
                    except httpx.HTTPError as exc:
                        status, body = 0, f"{type(exc).__name__}: {exc}"
                    self.responses.append((time.monotonic(), name, status, body))


@pytest.fixture
def server(data_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`assistant serve --local` on a copy of the built data directory; yields its URL and the environment
    for CLI commands on the same data directory."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_settings.data_dir), "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
    log_path = tmp_path / "serve.log"
    with serving(data_settings.data_dir, log_path, local=True, env={"ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}) as url:
        yield url, env
    assert "Traceback" not in log_path.read_text(errors="replace"), log_path.read_text(errors="replace")[-3000:]


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def poll(check: Callable[[], bool], within_s: float) -> float:
    """Seconds until `check()` holds; fails after `within_s`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < within_s, f"{within_s:.0f} 秒内未满足"
        time.sleep(0.1)  # poll interval
    return time.monotonic() - started


def test_ingest_and_import_while_serving(server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    url, env = server
    client = httpx.Client(base_url=url, timeout=120)

    def titles(query: str) -> list[str]:
        response = client.get("/api/search", params={"q": query, "k": 5})
        assert response.status_code == 200, response.text
        return [str(hit["title"]) for hit in response.json()["hits"]]

    def found(n: int) -> bool:
        # visibility is under test here, not ranking: the generated documents differ only in their numbers,
        # which the dense half of the fusion barely tells apart
        return title_of(n) in titles(marker_of(n))

    def project_known() -> bool:
        # a question only the project ledger answers (进展 now also reaches the problem ledger's progress)
        response = client.post("/api/ask", json={"question": f"{NEW_PROJECT}总投资多少？"})
        assert response.status_code == 200, response.text
        answer = response.json()
        return answer["answer"].startswith(NEW_PROJECT) and \
            any(f["provenance"]["table"] == "projects" for f in answer["figures"])

    assert title_of(NEW_DOCUMENTS - 1) not in titles(marker_of(NEW_DOCUMENTS - 1))  # searched once: index in memory
    assert not project_known()
    traffic = [Traffic(url) for _ in range(3)]
    for t in traffic:
        t.start()

    write_documents(tmp_path / "new", NEW_DOCUMENTS)
    started = time.monotonic()
    cli(env, "ingest", str(tmp_path / "new"))
    ingested = time.monotonic()
    for n in range(NEW_DOCUMENTS):
        poll(partial(found, n), VISIBLE_WITHIN_S)

    projects = tmp_path / "新增项目.csv"
    projects.write_text(f"{PROJECTS_HEADER}\n{NEW_PROJECT},汉阴县,新能源,示例储能科技有限公司,8.6,签约,2024-03-18,,,0.90,否,,示例\n",
                        encoding="utf-8")
    cli(env, "db", "import", "projects", str(projects))
    poll(project_known, VISIBLE_WITHIN_S)

    for t in traffic:
        t.stopped.set()
    for t in traffic:
        t.join(timeout=120)
    responses = [r for t in traffic for r in t.responses]
    during = [r for r in responses if started <= r[0] <= ingested]
    assert len(during) >= 4, "没有请求落在入库期间，测试没有测到要测的情形"
    assert [r[1:] for r in responses if r[2] != 200] == []
    # /healthz answers from its last check for services.HEALTH_TTL_S: it reports the new documents within that time
    poll(lambda: client.get("/healthz").json()["documents"] == 2 + NEW_DOCUMENTS, services.HEALTH_TTL_S + 5)
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def health_of(data_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Health]]:
    """GET /healthz on an app over a private data directory, checked afresh at every call: (status, body)."""
    monkeypatch.setattr(services, "HEALTH_TTL_S", 0.0)
    monkeypatch.setattr(engine, "IMPORT_RECHECK_S", 0.0)
    with TestClient(create_app(data_settings, warm=False)) as client:
        def health() -> Health:
            response = client.get("/healthz")
            return response.status_code, response.json()

        yield health


def test_health_fails_when_the_vector_store_cannot_be_read(health_of: Callable[[], Health],
                                                          data_settings: Settings) -> None:
    assert health_of()[0] == 200
    (data_settings.chroma_path / "chroma.sqlite3").write_bytes(b"not a database" * 1000)
    with SharedAccess(data_settings.chroma_path / ACCESS_LOCK_NAME).writing():
        pass  # as a writer would leave it: the server reopens its client and meets the damaged files
    status, body = health_of()
    assert status == 503 and body["status"] == "error" and body["reason"].startswith("知识库检索失败")


def test_health_fails_when_the_database_cannot_be_queried(health_of: Callable[[], Health],
                                                          data_settings: Settings) -> None:
    assert health_of()[1]["database"] == "正常"
    (data_settings.data_dir / "project.sqlite").write_bytes(b"not a database" * 1000)
    status, body = health_of()
    assert status == 503 and body["database"] == "查询失败" and body["reason"].startswith("项目数据库查询失败")


def test_health_without_a_database_is_ok_and_says_so(data_settings: Settings) -> None:
    (data_settings.data_dir / "project.sqlite").unlink()
    with TestClient(create_app(data_settings, warm=False)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "未导入"
