"""Documents: list, upload (type, size and file-name checks, then incremental ingest), delete."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.access import PUBLIC
from assistant.api_routes.auth import CurrentUser, Writer
from assistant.api_routes.deps import KB, AppState, SettingsDep, State
from assistant.config import Settings
from assistant.corpus.loaders import SUPPORTED_SUFFIXES
from assistant.index.ingest import IngestReport, ingest, remove_document
from assistant.index.kb import KnowledgeBase
from assistant.index.manifest import DocRecord

router = APIRouter(tags=["文档"])

MAX_UPLOAD_FILES = 20
MAX_NAME_CHARS = 120
UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
Status = Literal["added", "updated", "unchanged", "duplicate", "failed"]


class UploadedFile(BaseModel):
    file_name: str
    saved_as: str
    status: Status
    message: str
    doc_id: str | None = None
    chunks: int = 0


class UploadResult(BaseModel):
    detail: str
    files: list[UploadedFile]


def uploads_dir(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def upload_limit(settings: Settings) -> int:
    """Body limit for the upload route: the per-file limit for every file allowed, plus form overhead."""
    return int(settings.max_file_mb * 1048576) * MAX_UPLOAD_FILES + 1048576


def safe_file_name(raw: str) -> str:
    """The name to store an upload under: no directories, no '..', no control or reserved characters,
    Chinese kept. Raises 422 when nothing usable is left."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").split("/")[-1])
    name = UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name or name in (".", ".."):
        raise HTTPException(status_code=422, detail=f"文件名“{raw}”无效，请改用普通文件名（如“答复函.docx”）后重新上传。")
    if len(name) > MAX_NAME_CHARS:
        suffix = Path(name).suffix[:10]
        name = name[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name


def _size(upload: UploadFile) -> int:
    if upload.size is not None:
        return upload.size
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


@router.get("/api/documents", summary="已入库文档（分页）")
def api_documents(
    kb: KB,
    user: CurrentUser,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    records = visible_documents(kb, user.access.classes)
    page = records[offset : offset + limit]
    return {
        "total": len(records),
        "documents": [
            {"doc_id": r.doc_id, "file_name": r.file_name, "chunks": r.n_chunks, **r.meta} for r in page
        ],
    }


def visible_documents(kb: KnowledgeBase, classes: tuple[str, ...]) -> list[DocRecord]:
    """The documents whose disclosure class the user is cleared for (others are as if absent)."""
    return [r for r in kb.manifest.documents() if r.meta.get("access", PUBLIC) in classes]


@router.post("/api/documents", summary="上传一个或多个文件并入库（txt、md、docx、pdf）", response_model=UploadResult)
def api_upload(
    files: Annotated[list[UploadFile], File(description="要入库的文件，可多个")],
    state: State,
    user: Writer,
) -> JSONResponse:
    settings = state.settings
    if len(files) > MAX_UPLOAD_FILES:
        raise HTTPException(status_code=422, detail=f"一次最多上传 {MAX_UPLOAD_FILES} 个文件，本次 {len(files)} 个，请分批上传。")
    max_bytes = int(settings.max_file_mb * 1048576)
    named: list[tuple[str, UploadFile]] = []
    for upload in files:
        name = safe_file_name(upload.filename or "")
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise HTTPException(
                status_code=415,
                detail=f"文件“{name}”的类型“{suffix or '无扩展名'}”不支持，仅支持 txt、md、docx、pdf。本次上传未保存任何文件。",
            )
        size = _size(upload)
        if size > max_bytes:
            raise HTTPException(
                status_code=413,
                detail=f"文件“{name}”大小 {size / 1048576:.2f} MB 超过上限 {settings.max_file_mb:g} MB，"
                       "请拆分后再上传。本次上传未保存任何文件。",
            )
        if any(name == other for other, _ in named):
            raise HTTPException(status_code=422, detail=f"本次上传中有两个文件都叫“{name}”，请改名后重新上传。")
        named.append((name, upload))
    with state.write_lock:
        results = _save_and_ingest(state, named)
    for r in results:
        state.auth.audit.record(user.username, user.role, "upload", r.file_name, [r.doc_id] if r.doc_id else [],
                                outcome=r.status, via="api")
    ok = any(r.status != "failed" for r in results)
    detail = "；".join(f"{r.file_name}：{r.message}" for r in results)
    body = UploadResult(detail=detail, files=results)
    return JSONResponse(status_code=200 if ok else 422, content=body.model_dump(mode="json"))


def _save_and_ingest(state: AppState, named: list[tuple[str, UploadFile]]) -> list[UploadedFile]:
    """Store the files, ingest them, and undo the store for files that did not go in: a failed new
    version of an already indexed file puts the old file back."""
    folder = uploads_dir(state.settings)
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[tuple[str, Path, Path | None]] = []
    for name, upload in named:
        target = folder / name
        backup = None
        if target.exists():
            backup = folder / f".{name}.previous"
            target.replace(backup)
        with target.open("wb") as out:
            upload.file.seek(0)
            shutil.copyfileobj(upload.file, out)
        saved.append((name, target, backup))
    try:
        report = ingest(state.kb, [path for _, path, _ in saved])
    except BaseException:  # e.g. another process is writing the index: leave the folder as it was
        for _, target, backup in saved:
            if backup is not None:
                backup.replace(target)
            else:
                target.unlink(missing_ok=True)
        raise
    results = []
    for name, target, backup in saved:
        result = _result(state, report, name, target)
        if result.status in ("failed", "duplicate"):
            if backup is not None:
                backup.replace(target)
            else:
                target.unlink(missing_ok=True)
        elif backup is not None:
            backup.unlink(missing_ok=True)
        results.append(result)
    return results


def _result(state: AppState, report: IngestReport, name: str, target: Path) -> UploadedFile:
    saved_as = f"uploads/{name}"
    for failed_name, message in report.failed:
        if failed_name == name:
            return UploadedFile(file_name=name, saved_as=saved_as, status="failed", message=message)
    for dup_name, original in report.duplicates:
        if dup_name == name:
            return UploadedFile(file_name=name, saved_as=saved_as, status="duplicate",
                                message=f"与已入库的“{original}”内容完全相同，未重复入库")
    record = state.kb.manifest.by_source(str(target.resolve()))
    doc_id, chunks = (record.doc_id, record.n_chunks) if record else (None, 0)
    if name in report.added:
        return UploadedFile(file_name=name, saved_as=saved_as, status="added", doc_id=doc_id, chunks=chunks,
                            message=f"已入库，{chunks} 个片段")
    if name in report.updated:
        return UploadedFile(file_name=name, saved_as=saved_as, status="updated", doc_id=doc_id, chunks=chunks,
                            message=f"已替换同名文件的旧版本，{chunks} 个片段")
    return UploadedFile(file_name=name, saved_as=saved_as, status="unchanged", doc_id=doc_id, chunks=chunks,
                        message="与已入库的同名文件内容相同，未重复入库")


@router.delete("/api/documents/{doc_id}", summary="从知识库删除一个文档")
def api_delete_document(
    doc_id: Annotated[str, PathParam(max_length=64, description="文档 id（见 GET /api/documents）")],
    state: State,
    settings: SettingsDep,
    user: Writer,
) -> dict[str, str]:
    record = state.kb.manifest.get(doc_id)
    if record is None or record.meta.get("access", PUBLIC) not in user.access.classes:
        raise HTTPException(status_code=404, detail=f"未找到文档“{doc_id}”。可用 GET /api/documents 查看已入库文档及其 doc_id。")
    with state.write_lock:
        removed = remove_document(state.kb, doc_id)
    if not removed:
        raise HTTPException(status_code=404, detail=f"文档“{doc_id}”已被删除。")
    state.auth.audit.record(user.username, user.role, "delete", record.file_name, [doc_id], via="api")
    source = Path(record.source)
    if source.parent == uploads_dir(settings).resolve():  # an uploaded copy would come back on the next ingest
        source.unlink(missing_ok=True)
    return {"deleted": doc_id, "file_name": record.file_name, "message": f"已从知识库删除“{record.file_name}”。"}
