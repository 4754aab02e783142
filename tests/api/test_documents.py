"""Uploading and deleting documents over HTTP: names, types, sizes, ingest results, deletion."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.api_routes.deps import AppState
from assistant.corpus.loaders import supported_types_text
from tests.api.conftest import MAX_FILE_MB

NOTICE = "关于优化营商环境的通知\n\n全面推行企业开办“一网通办”，开办时间压缩至1个工作日。\n".encode()
STEWARD = "# 项目管家工作说明\n\n项目管家每月走访一次签约企业，协调解决用地、用工、融资问题。\n".encode()


def _uploads(state: AppState) -> list[str]:
    folder = state.settings.data_dir / "uploads"
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def test_upload_strips_directories_keeps_chinese_names_and_delete_removes_the_document(
        client: TestClient, state: AppState) -> None:
    files = [("files", ("../../evil.txt", NOTICE, "text/plain")),
             ("files", ("公文\\2024年\\项目管家工作说明.md", STEWARD, "text/markdown"))]
    r = client.post("/api/documents", files=files)

    assert r.status_code == 200, r.text
    results = r.json()["files"]
    assert [(f["saved_as"], f["status"]) for f in results] == [
        ("uploads/evil.txt", "added"), ("uploads/项目管家工作说明.md", "added")]
    assert not (state.settings.data_dir.parent / "evil.txt").exists()
    assert _uploads(state) == ["evil.txt", "项目管家工作说明.md"]
    hits = client.get("/api/search", params={"q": "企业开办一网通办", "k": 1}).json()["hits"]
    assert hits[0]["doc_id"] == results[0]["doc_id"]

    again = client.post("/api/documents", files=[("files", ("evil.txt", NOTICE, "text/plain"))]).json()["files"]
    assert again[0]["status"] == "unchanged"

    for f in results:
        r = client.delete(f"/api/documents/{f['doc_id']}")
        assert r.status_code == 200 and r.json()["message"] == f"已从知识库删除“{f['file_name']}”。"
    assert _uploads(state) == []
    listed = {d["doc_id"] for d in client.get("/api/documents").json()["documents"]}
    assert not listed & {f["doc_id"] for f in results}

    r = client.delete(f"/api/documents/{results[0]['doc_id']}")
    assert r.status_code == 404 and r.json()["detail"].startswith(f"未找到文档“{results[0]['doc_id']}”")


def test_a_file_over_the_size_limit_is_rejected_and_nothing_is_saved(client: TestClient, state: AppState) -> None:
    big = "招商引资。".encode() * int(MAX_FILE_MB * 1048576 / 15 + 100)
    r = client.post("/api/documents", files=[("files", ("小.txt", NOTICE, "text/plain")),
                                             ("files", ("大文件.txt", big, "text/plain"))])
    assert r.status_code == 413
    assert r.json()["detail"].startswith(f"文件“大文件.txt”大小 0.05 MB 超过上限 {MAX_FILE_MB:g} MB")
    assert _uploads(state) == []


def test_unsupported_types_and_unusable_names_are_rejected_in_chinese(client: TestClient, state: AppState) -> None:
    r = client.post("/api/documents", files=[("files", ("报表.xls", b"\xd0\xcf\x11\xe0", "application/octet-stream"))])
    assert r.status_code == 415
    assert r.json()["detail"] == f"文件“报表.xls”的类型“.xls”不支持，仅支持 {supported_types_text()}。本次上传未保存任何文件。"
    r = client.post("/api/documents", files=[("files", ("../..", NOTICE, "text/plain"))])
    assert r.status_code == 422 and r.json()["detail"].startswith("文件名“../..”无效")
    r = client.post("/api/documents")
    assert r.status_code == 422 and r.json()["detail"] == "请求参数有误：文件：缺少必填项"
    assert _uploads(state) == []


def test_a_file_that_cannot_be_read_is_reported_per_file_and_not_kept(client: TestClient, state: AppState) -> None:
    r = client.post("/api/documents", files=[("files", ("空白.txt", b"", "text/plain"))])
    assert r.status_code == 422
    assert r.json()["files"] == [{"file_name": "空白.txt", "saved_as": "uploads/空白.txt", "status": "failed",
                                  "message": "无法读取文件“空白.txt”：文件为空", "doc_id": None, "chunks": 0}]
    assert _uploads(state) == []


def test_a_loader_registered_at_run_time_is_accepted_by_the_upload_route(client: TestClient, state: AppState) -> None:
    from tests.kb.test_loader_registry import note_bytes, note_loader

    upload = [("files", ("会议纪要.zsnote", note_bytes(), "application/x-zsnote"))]
    with note_loader():
        r = client.post("/api/documents", files=upload)
        assert r.status_code == 200, r.text
        [result] = r.json()["files"]
        assert result["status"] == "added"
        hits = client.get("/api/search", params={"q": "每月走访一次", "k": 1}).json()["hits"]
        assert hits[0]["doc_id"] == result["doc_id"] and hits[0]["source"] == "会议纪要.zsnote"
        assert client.delete(f"/api/documents/{result['doc_id']}").status_code == 200
    r = client.post("/api/documents", files=upload)
    assert r.status_code == 415 and f"类型“.zsnote”不支持，仅支持 {supported_types_text()}" in r.json()["detail"]
    assert _uploads(state) == []


def test_a_draft_upload_over_the_size_limit_names_the_limit(client: TestClient) -> None:
    big = "招商引资。".encode() * int(MAX_FILE_MB * 1024 * 1024 / 15 + 100)
    r = client.post("/api/draft/check/upload", files={"file": ("稿件.txt", big, "text/plain")})
    assert r.status_code == 413 and r.json()["detail"] == f"文件“稿件.txt”超过 {MAX_FILE_MB:g} MB，请拆分后再上传。"
