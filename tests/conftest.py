"""Shared fixtures. Tests never reach a real LLM or the network: see the guard below."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "corpus"


def wait_until_up(proc: subprocess.Popen[bytes], url: str, timeout_s: float, failure: Callable[[], str]) -> None:
    """Poll `url` until it answers 200; if the process dies or time runs out, kill it and fail with `failure()`."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(failure())
        time.sleep(0.2)  # poll interval, not a wait for readiness


def build_data_dir(root: Path, documents: dict[str, str]) -> Settings:
    """Write and ingest `documents` (file name → text), then import the demo database as a user would."""
    from click.testing import CliRunner

    from assistant.cli import main
    from assistant.config import Settings
    from assistant.index.ingest import ingest
    from assistant.index.kb import KnowledgeBase

    settings = Settings(data_dir=root / "data")
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in documents.items():
        (corpus / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(settings)
    try:
        report = ingest(kb, [corpus])
    finally:
        kb.close()
    assert report.ok and len(report.added) == len(documents), report.summary()
    result = CliRunner().invoke(main, ["db", "import-demo", str(CORPUS / "data")],
                                env={"ASSISTANT_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    return settings


def add_user(settings: Settings, username: str, role: str = "admin", region: str | None = None,
             clearance: str | None = None, password: str = "correct-horse-9") -> str:
    """Create an account in the data directory (as `assistant users add` does) and return a new API key."""
    from assistant.auth.users import UserStore, parse_role

    store = UserStore(settings.data_dir / "users.sqlite")
    try:
        store.add(username, password, parse_role(role), region, clearance)
        return store.issue_api_key(username)
    finally:
        store.close()


def free_port() -> int:
    """A free TCP port on loopback for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data_dir: Path, log: Path, *, local: bool = False, env: dict[str, str] | None = None,
            timeout_s: float = 120) -> Iterator[str]:
    """`assistant serve` on `data_dir` in its own process, as a user starts it (no ASSISTANT_* variable of the test
    run leaks in; `env` adds some), its output in `log`; yields the base URL once /healthz answers, stops it after."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    full_env.update(ASSISTANT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
                    GRADIO_TEMP_DIR=str(log.parent / "gradio"), **(env or {}))
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", *(["--local"] if local else []),
                                 "--port", str(port)], env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(proc, f"{url}/healthz", timeout_s,
                  lambda: f"服务未能启动：\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine may take longer to stop Gradio's workers
            proc.kill()
            proc.wait(timeout=20)


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that opens a connection outside loopback (a real model, a hub download)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise RuntimeError(f"测试试图访问外部网络：{address}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for key in [k for k in os.environ if k.startswith("ASSISTANT_")]:
        monkeypatch.delenv(key, raising=False)
    yield


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from assistant.config import Settings

    return Settings(data_dir=tmp_path / "data")
