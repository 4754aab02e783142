"""Upload names an officer or an attacker may send: 90+ Chinese characters (270+ bytes in UTF-8, past the file
system's 255-byte limit) must not crash any upload route (LLM10: a 500 instead of a Chinese answer), and
bidi controls such as U+202E must not make a name show a spoofed extension (LLM05: "…exe.docx" for a file
that ends in .exe). Every route that takes a file: the knowledge base upload (API and workbench), the
drafting upload and the consistency check (API and workbench)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.security.conftest import Actor, gradio_call

LONG_STEM = "关于" + "加快推进外资项目签约落地和要素保障" * 6 + "的答复函"  # 106 characters, 318 bytes
BIDI = "\u202e"
BIDI_CONTROLS = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                 "\u200e", "\u200f")
PROPOSAL = "关于加快外资项目落地的提案\n提案人：张三\n建议：一是推行项目管家制度。二是压缩审批时限。\n".encode()
CHECK_TEXT = "汉阴县2023年一季度外商直接投资236.70万美元。".encode()


def _ok_name(name: str, suffix: str) -> None:
    assert len(name.encode()) <= 200 and name.endswith(suffix), name
    assert not any(c in name for c in BIDI_CONTROLS), ascii(name)


def _gradio_upload(client: TestClient, actor: Actor, name: str, content: bytes) -> dict[str, Any]:
    """Send a file the way the page does (Gradio's upload route); the FileData the page then passes on."""
    r = client.post("/ui/gradio_api/upload", files=[("files", (name, content, "text/plain"))], headers=actor.headers)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    path = r.json()[0]
    return {"path": path, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


@pytest.mark.parametrize("suffix", [pytest.param(".txt", id="LLM10-api-upload-name-of-106-chinese-characters")])
def test_a_long_chinese_name_is_shortened_by_bytes_in_the_knowledge_base(
        client: TestClient, sec_settings: Settings, actors: dict[str, Actor], cleanup: list[str], suffix: str) -> None:
    text = "长文件名测试：项目管家每月走访签约企业。\n".encode()
    r = client.post("/api/documents", files=[("files", (LONG_STEM + suffix, text, "text/plain"))],
                    headers=actors["staff"].headers)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    result = r.json()["files"][0]
    cleanup.append(result["doc_id"])
    name = result["saved_as"].removeprefix("uploads/")
    _ok_name(name, suffix)
    assert name.startswith(LONG_STEM[:40]) and (sec_settings.data_dir / "uploads" / name).is_file()
    again = client.post("/api/documents", files=[("files", (LONG_STEM + suffix, text + b"\n", "text/plain"))],
                        headers=actors["staff"].headers)  # a new version: the ".name.previous" copy fits too
    assert again.status_code == 200 and again.json()["files"][0]["status"] == "updated", again.text[:300]
    listed = client.get("/api/documents", params={"limit": 200}, headers=actors["staff"].headers).json()["documents"]
    assert name in [d["file_name"] for d in listed]


@pytest.mark.parametrize(("path", "data", "content"), [
    pytest.param("/api/draft/reply/upload", {"number": "第205号"}, PROPOSAL, id="LLM10-api-draft-upload-long-chinese-name"),
    pytest.param("/api/draft/check/upload", {}, CHECK_TEXT, id="LLM10-api-check-upload-long-chinese-name"),
])
def test_drafting_uploads_take_a_long_chinese_name(client: TestClient, actors: dict[str, Actor], path: str,
                                                   data: dict[str, str], content: bytes) -> None:
    r = client.post(path, data=data, files={"file": (LONG_STEM + ".txt", content, "text/plain")},
                    headers=actors["staff"].headers)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    if path.endswith("check/upload"):
        assert r.json()["summary"]["match"] == 1


@pytest.mark.parametrize("handler", [
    pytest.param("upload", id="LLM10-ui-upload-long-chinese-name"),
    pytest.param("check", id="LLM10-ui-check-upload-long-chinese-name"),
    pytest.param("read_upload", id="LLM10-ui-draft-upload-long-chinese-name"),
])
def test_the_workbench_takes_a_long_chinese_name(client: TestClient, actors: dict[str, Actor], cleanup: list[str],
                                                 handler: str) -> None:
    content = {"upload": "工作台长文件名测试：项目管家。\n".encode(), "check": CHECK_TEXT, "read_upload": PROPOSAL}[handler]
    file = _gradio_upload(client, actors["staff"], LONG_STEM + ".txt", content)
    args: list[Any] = {"upload": [[file]], "check": ["", file, ""], "read_upload": [file, "", "", "", ""]}[handler]
    event, payload = gradio_call(client, actors["staff"], handler, args)
    assert event == "complete", payload[:300]
    if handler == "upload":
        assert "已入库" in payload
        listed = client.get("/api/documents", params={"limit": 200}, headers=actors["staff"].headers).json()
        long_names = [d for d in listed["documents"] if d["file_name"].startswith(LONG_STEM[:40])]
        assert long_names
        for doc in long_names:
            _ok_name(doc["file_name"], ".txt")
            cleanup.append(doc["doc_id"])
    elif handler == "check":
        assert "一致" in payload
    else:
        assert "已读取" in payload


SPOOFS = [
    # Shown as "关于外资的答复函exe.docx" by a bidi-aware display, but it is an .exe …
    pytest.param(f"关于外资的答复函{BIDI}xcod.exe", 415, id="LLM05-upload-name-rlo-spoofs-docx-over-exe"),
    # … and this one, shown as "关于外资的答复函txt.docx", is really a .txt: stored without the override.
    pytest.param(f"关于外资的答复函{BIDI}xcod.txt", 200, id="LLM05-upload-name-rlo-stripped-from-stored-name"),
    pytest.param("关于外资的\u2067答复函\u2069.txt", 200, id="LLM05-upload-name-isolate-controls-stripped"),
]


@pytest.mark.parametrize(("raw", "status"), SPOOFS)
def test_bidi_controls_cannot_spoof_an_upload_name(client: TestClient, sec_settings: Settings,
                                                   actors: dict[str, Actor], cleanup: list[str], raw: str,
                                                   status: int) -> None:
    r = client.post("/api/documents", files=[("files", (raw, "公开属性：主动公开\n项目管家。\n".encode(), "text/plain"))],
                    headers=actors["staff"].headers)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert not any(c in r.text for c in BIDI_CONTROLS)
    uploads = sec_settings.data_dir / "uploads"
    assert not any(c in p.name for p in uploads.iterdir() for c in BIDI_CONTROLS)
    if status == 415:
        assert "xcod.exe" in r.json()["detail"]  # the real extension, as it is
    else:
        result = r.json()["files"][0]
        cleanup.append(result["doc_id"])
        _ok_name(result["file_name"], ".txt")


@pytest.mark.parametrize("handler", [pytest.param("upload", id="LLM05-ui-upload-rejection-shows-no-bidi-override")])
def test_the_workbench_names_a_refused_file_without_its_override(client: TestClient, actors: dict[str, Actor],
                                                                  handler: str) -> None:
    file = _gradio_upload(client, actors["staff"], f"通知{BIDI}xcod.exe", b"MZ\x90\x00")
    event, payload = gradio_call(client, actors["staff"], handler, [[file]])
    assert event == "complete" and "xcod.exe" in payload
    assert not any(c in payload for c in BIDI_CONTROLS) and "\\u202e" not in payload.lower()
