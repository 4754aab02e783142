"""Documents: list, upload (type, size and file-name checks, then incremental ingest), delete, reclassify, verify."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.api_routes.deps import WorkspaceDep
from assistant.config import Settings
from assistant.corpus.loaders import loader_for, supported_types_text, unsupported_type
from assistant.index.uploads import MAX_UPLOAD_FILES, UploadedFile, safe_file_name
from assistant.workspace.documents import MAX_REASON_CHARS

router = APIRouter(tags=["文档"])


class ClassChange(BaseModel):
    access: Literal["公开", "内部"] = Field(description="新的公开属性")
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="更改理由（记入审计日志和文档信息）")


class VerificationChange(BaseModel):
    state: Literal["已核验", "未核验"] = Field(description="新的核验状态")
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="核验依据或理由（记入审计日志和文档信息）")


class UploadResult(BaseModel):
    detail: str
    files: list[UploadedFile]


def upload_limit(settings: Settings) -> int:
    """Body limit for the upload route: the per-file limit for every file allowed, plus form overhead."""
    return settings.max_file_bytes * MAX_UPLOAD_FILES + 1024 * 1024


def _size(upload: UploadFile) -> int:
    if upload.size is not None:
        return upload.size
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


@router.get("/api/documents", summary="已入库文档（分页）")
def api_documents(
    workspace: WorkspaceDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    records = workspace.documents()
    page = records[offset : offset + limit]
    return {
        "total": len(records),
        "documents": [
            {"doc_id": r.doc_id, "file_name": r.file_name, "chunks": r.n_chunks, **r.meta} for r in page
        ],
    }


@router.post("/api/documents", summary=f"上传一个或多个文件并入库（{supported_types_text()}）", response_model=UploadResult)
def api_upload(
    files: Annotated[list[UploadFile], File(description="要入库的文件，可多个")],
    workspace: WorkspaceDep,
) -> JSONResponse:
    workspace.require("upload", "、".join(f.filename or "" for f in files))  # before looking at any file
    settings = workspace.settings
    if len(files) > MAX_UPLOAD_FILES:
        raise HTTPException(status_code=422, detail=f"一次最多上传 {MAX_UPLOAD_FILES} 个文件，本次 {len(files)} 个，请分批上传。")
    named: list[tuple[str, UploadFile]] = []
    for upload in files:
        name = safe_file_name(upload.filename or "")
        if loader_for(name) is None:
            raise HTTPException(status_code=415, detail=f"文件“{name}”的{unsupported_type(name)}。本次上传未保存任何文件。")
        size = _size(upload)
        if size > settings.max_file_bytes:
            raise HTTPException(
                status_code=413,
                detail=f"文件“{name}”大小 {size / 1048576:.2f} MB 超过上限 {settings.max_file_mb:g} MB，"
                       "请拆分后再上传。本次上传未保存任何文件。",
            )
        if any(name == other for other, _ in named):
            raise HTTPException(status_code=422, detail=f"本次上传中有两个文件都叫“{name}”，请改名后重新上传。")
        named.append((name, upload))
    results = workspace.upload([(name, upload.file) for name, upload in named])
    ok = any(r.status != "failed" for r in results)
    detail = "；".join(f"{r.file_name}：{r.message}" for r in results)
    body = UploadResult(detail=detail, files=results)
    return JSONResponse(status_code=200 if ok else 422, content=body.model_dump(mode="json"))


@router.delete("/api/documents/{doc_id}", summary="从知识库删除一个文档")
def api_delete_document(
    doc_id: Annotated[str, PathParam(max_length=64, description="文档 id（见 GET /api/documents）")],
    workspace: WorkspaceDep,
) -> dict[str, str]:
    record = workspace.delete(doc_id)
    return {"deleted": doc_id, "file_name": record.file_name, "message": f"已从知识库删除“{record.file_name}”。"}


@router.post("/api/documents/{doc_id}/class", summary="更改一个文档的公开属性（仅管理员；立即生效，重新入库时保留）")
def api_reclassify_document(
    doc_id: Annotated[str, PathParam(max_length=64, description="文档 id（见 GET /api/documents）")],
    change: ClassChange,
    workspace: WorkspaceDep,
) -> dict[str, str]:
    done = workspace.reclassify(doc_id, change.access, change.reason)
    record = done.record
    return {"doc_id": record.doc_id, "file_name": record.file_name, "previous": done.previous,
            "access": record.meta.get("access", ""), "access_reason": record.meta.get("access_reason", ""),
            "message": f"“{record.file_name}”的公开属性已由{done.previous}改为{change.access}，立即生效。"}


@router.post("/api/documents/{doc_id}/verification",
             summary="把一个文档标为已核验或未核验（仅管理员；立即生效，按文件内容保存）")
def api_verify_document(
    doc_id: Annotated[str, PathParam(max_length=64, description="文档 id（见 GET /api/documents）")],
    change: VerificationChange,
    workspace: WorkspaceDep,
) -> dict[str, str]:
    done = workspace.verify(doc_id, change.state, change.reason)
    record = done.record
    return {"doc_id": record.doc_id, "file_name": record.file_name, "previous": done.previous,
            "verified": record.meta.get("verified", ""), "verified_reason": record.meta.get("verified_reason", ""),
            "uploader": record.meta.get("uploader", ""),
            "message": f"“{record.file_name}”的核验状态已由{done.previous}改为{change.state}，立即生效。"}
