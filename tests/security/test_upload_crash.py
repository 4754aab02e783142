"""LLM04 数据与模型投毒 by a crash: a new version of an uploaded file is being ingested when the process is killed
(kill -9). The knowledge base still holds the old version; the uploads folder must not keep the unconfirmed
new file under the real name nor a stale `.previous` copy, or a later 重新入库 indexes content nobody
confirmed. Works on a data directory of its own, with a real process killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from tests.conftest import add_user
from tests.security.conftest import gradio_call

NAME = "招商工作通知.txt"
OLD = "公开属性：主动公开\n关于招商工作的通知\n第一版内容标记甲：项目管家每月走访签约企业。\n"
NEW_MARK = "第二版内容标记乙"
# Long enough that embedding it takes seconds: the kill lands while it is being ingested.
NEW = "公开属性：主动公开\n关于招商工作的通知（修订）\n" + "".join(
    f"{NEW_MARK}第{i}条：外资项目管家制度修订为按季度走访，并同步调整要素保障清单和问题台账办理时限。\n" for i in range(12000))

UPLOADER = textwrap.dedent("""
    import io, sys
    from pathlib import Path
    from assistant.config import Settings
    from assistant.services import Services
    from assistant.workspace import Workspace, command_line_user
    services = Services(Settings(data_dir=Path(sys.argv[1])))
    data = Path(sys.argv[2]).read_bytes()
    Workspace(services, command_line_user(), "cli").upload([(sys.argv[3], io.BytesIO(data))])
""")


def _search(client: TestClient, key: str, q: str) -> str:
    """The text of the passages a search finds."""
    r = client.get("/api/search", params={"q": q, "k": 10}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200, r.text
    return "\n".join(hit["text"] for hit in r.json()["hits"])


@pytest.mark.parametrize("kill", [pytest.param(signal.SIGKILL, id="LLM04-kill-9-during-upload-leaves-no-stale-copy-for-reingest")])
def test_a_reingest_after_a_killed_upload_indexes_the_confirmed_version(tmp_path: Path, kill: int) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    key = add_user(settings, "crash_admin", "管理员")
    with TestClient(create_app(settings, warm=False)) as client:
        r = client.post("/api/documents", files=[("files", (NAME, OLD.encode(), "text/plain"))],
                        headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200 and r.json()["files"][0]["status"] == "added", r.text
    uploads = settings.data_dir / "uploads"
    new_file = tmp_path / "新版.txt"
    new_file.write_text(NEW, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    proc = subprocess.Popen([sys.executable, "-c", UPLOADER, str(settings.data_dir), str(new_file), NAME], env=env)
    try:
        deadline = time.monotonic() + 120
        # The new version is in place under the real name and ingest has begun: kill the process there.
        while not ((uploads / f".{NAME}.previous").exists() and (uploads / NAME).stat().st_size > len(OLD.encode())):
            assert proc.poll() is None, "上传进程在被终止之前就结束了"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, kill)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -kill

    with TestClient(create_app(settings, warm=False)) as client:
        admin = type("Admin", (), {"headers": {"Authorization": f"Bearer {key}"}})()
        event, payload = gradio_call(client, admin, "reindex_all", [])  # 知识库 → 全部重新入库
        assert event == "complete", payload[:300]
        assert "第一版内容标记甲" in _search(client, key, "第一版内容标记甲 项目管家每月走访")
        assert NEW_MARK not in _search(client, key, f"{NEW_MARK} 按季度走访")
    leftovers = sorted(p.name for p in uploads.iterdir())
    assert leftovers == [NAME], leftovers
    assert (uploads / NAME).read_text(encoding="utf-8") == OLD
