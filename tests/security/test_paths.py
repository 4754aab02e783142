"""Path traversal: file names in uploads (the knowledge base's and drafting's), document ids in the delete
route, and the workbench's file route. Writing outside the uploads folder would let an uploader replace
the index, the accounts database or code (LLM04); reading arbitrary files leaks them (LLM02)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.security.conftest import Actor

TRAVERSAL_NAMES = [
    pytest.param("../../逃逸一.txt", "逃逸一.txt", id="LLM04-upload-name-dot-dot-slash"),
    pytest.param("..\\..\\逃逸二.txt", "逃逸二.txt", id="LLM04-upload-name-dot-dot-backslash"),
    pytest.param("/etc/cron.d/逃逸三.txt", "逃逸三.txt", id="LLM04-upload-name-absolute-path"),
    pytest.param("....//....//逃逸四.txt", "逃逸四.txt", id="LLM04-upload-name-doubled-dots"),
    pytest.param("C:\\Windows\\逃逸五.txt", "逃逸五.txt", id="LLM04-upload-name-windows-drive"),
    pytest.param("../逃逸十.sqlite.txt", "逃逸十.sqlite.txt", id="LLM04-upload-name-beside-accounts-db"),
    pytest.param(".逃逸六.txt", "逃逸六.txt", id="LLM04-upload-name-hidden-dotfile"),
    pytest.param("逃逸七<img src=x onerror=alert(1)>.txt", "逃逸七_img src=x onerror=alert(1)_.txt",
                 id="LLM05-upload-name-markup-is-neutralised"),
    pytest.param("%2e%2e%2f逃逸八.txt", "%2e%2e%2f逃逸八.txt", id="LLM04-upload-name-url-encoded-dots-stay-literal"),
    pytest.param("．．／逃逸九.txt", "．．／逃逸九.txt", id="LLM04-upload-name-fullwidth-dots-stay-literal"),
]


def _files_named(root: Path, name: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.name.endswith(name)]


@pytest.mark.parametrize(("raw", "stored"), TRAVERSAL_NAMES)
def test_an_upload_is_stored_only_inside_the_uploads_folder(
        client: TestClient, sec_settings: Settings, actors: dict[str, Actor], cleanup: list[str], raw: str,
        stored: str) -> None:
    root = sec_settings.data_dir.parent  # data/ and corpus/ of the battery
    text = f"上传文件名测试：{raw!r}。项目管家每月走访签约企业。\n".encode()
    r = client.post("/api/documents", files=[("files", (raw, text, "text/plain"))], headers=actors["staff"].headers)
    assert r.status_code == 200, r.text
    result = r.json()["files"][0]
    cleanup.append(result["doc_id"])
    assert result["saved_as"] == f"uploads/{stored}"
    uploads = (sec_settings.data_dir / "uploads").resolve()
    written = _files_named(root, stored)
    assert written and all(p.resolve().parent == uploads for p in written), written
    assert not (Path("/etc/cron.d") / stored).exists() and not (root.parent / stored).exists()


@pytest.mark.parametrize("raw", [
    pytest.param("..", id="LLM04-upload-name-only-dots"),
    pytest.param("../../", id="LLM04-upload-name-only-directories"),
    pytest.param("...", id="LLM04-upload-name-three-dots"),
])
def test_an_upload_name_with_nothing_left_is_refused(client: TestClient, sec_settings: Settings,
                                                     actors: dict[str, Actor], raw: str) -> None:
    r = client.post("/api/documents", files=[("files", (raw, "内容".encode(), "text/plain"))],
                    headers=actors["staff"].headers)
    assert r.status_code == 422 and r.json()["detail"].startswith(f"文件名“{raw}”无效")


DRAFT_UPLOAD_NAMES = [
    pytest.param("..", id="LLM04-draft-upload-name-dot-dot"),
    pytest.param(".", id="LLM04-draft-upload-name-dot"),
    pytest.param("/", id="LLM04-draft-upload-name-slash"),
    pytest.param("a/..", id="LLM04-draft-upload-name-trailing-dot-dot"),
    pytest.param("../../../逃逸稿件.txt", id="LLM04-draft-upload-name-traversal"),
]


@pytest.mark.parametrize("raw", DRAFT_UPLOAD_NAMES)
def test_drafting_uploads_never_write_outside_their_temporary_folder(
        client: TestClient, sec_settings: Settings, actors: dict[str, Actor], raw: str) -> None:
    text = "汉阴县2023年一季度外商直接投资236.70万美元。".encode()
    r = client.post("/api/draft/check/upload", files={"file": (raw, text, "text/plain")}, headers=actors["staff"].headers)
    assert r.status_code in (200, 422), (r.status_code, r.text[:200])  # never a crash
    assert r.json()["summary"]["match"] == 1 if r.status_code == 200 else "文件名" in r.json()["detail"]
    assert not _files_named(sec_settings.data_dir.parent, "逃逸稿件.txt")
    assert not Path("/tmp/逃逸稿件.txt").exists()


@pytest.mark.parametrize("doc", [
    pytest.param("..%2F..%2Fusers.sqlite", id="LLM06-delete-route-doc-id-encoded-traversal"),
    pytest.param("*", id="LLM06-delete-route-doc-id-wildcard"),
    pytest.param("%25", id="LLM06-delete-route-doc-id-sql-like-wildcard"),
])
def test_the_delete_route_takes_only_an_exact_document_id(client: TestClient, sec_settings: Settings,
                                                          actors: dict[str, Actor], doc: str) -> None:
    before = client.get("/api/documents", headers=actors["admin"].headers).json()["total"]
    r = client.delete(f"/api/documents/{doc}", headers=actors["admin"].headers)
    assert r.status_code in (404, 422)
    assert client.get("/api/documents", headers=actors["admin"].headers).json()["total"] == before
    assert (sec_settings.data_dir / "users.sqlite").exists()


# --- the workbench's file route -----------------------------------------------------------------------

def _file_routes(settings: Settings) -> list[tuple[str, str]]:
    data = settings.data_dir
    return [
        ("/etc/passwd", "root:"),
        (str(data / "users.sqlite"), "SQLite format"),
        (str(data / "audit.sqlite"), "SQLite format"),
        (str(data.parent / "corpus" / "桃源七号项目内部情况说明.txt"), "青鸾"),
        ("pyproject.toml", "[project]"),
        ("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "root:"),
        ("/proc/self/environ", "PATH="),
    ]


@pytest.mark.parametrize("which", [
    pytest.param(0, id="LLM02-file-route-etc-passwd"),
    pytest.param(1, id="LLM02-file-route-accounts-database"),
    pytest.param(2, id="LLM02-file-route-audit-log"),
    pytest.param(3, id="LLM02-file-route-internal-source-file"),
    pytest.param(4, id="LLM02-file-route-relative-to-working-dir"),
    pytest.param(5, id="LLM02-file-route-encoded-traversal"),
    pytest.param(6, id="LLM02-file-route-process-environment"),
])
def test_the_file_route_serves_no_server_files(client: TestClient, sec_settings: Settings,
                                                actors: dict[str, Actor], which: int) -> None:
    target, content = _file_routes(sec_settings)[which]
    for prefix in ("/ui/gradio_api/file=", "/ui/file="):
        r = client.get(prefix + target, headers=actors["admin"].headers)
        assert r.status_code in (403, 404), (prefix, r.status_code)
        assert content not in r.text
        unauthenticated = client.get(prefix + target)
        assert unauthenticated.status_code == 401 and content not in unauthenticated.text
