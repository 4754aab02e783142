"""Uploaded files: a safe name to store each under data_dir/uploads/, then one incremental ingest, with the
folder put back as it was for every file that did not go in. The API and the workbench both call this."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.ingest import IngestReport, ingest
from assistant.index.kb import KnowledgeBase

MAX_UPLOAD_FILES = 20
MAX_NAME_CHARS = 120
UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
Status = Literal["added", "updated", "unchanged", "duplicate", "failed"]


class UploadRejected(AssistantError, ValueError):
    """A file refused before anything was stored (its name, type or size); the message says what to do."""


class UploadedFile(BaseModel):
    file_name: str
    saved_as: str
    status: Status
    message: str
    doc_id: str | None = None
    chunks: int = 0


def uploads_dir(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def safe_file_name(raw: str) -> str:
    """The name to store an upload under: no directories, no '..', no control or reserved characters,
    Chinese kept. UploadRejected when nothing usable is left."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").split("/")[-1])
    name = UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name or name in (".", ".."):
        raise UploadRejected(f"文件名“{raw}”无效，请改用普通文件名（如“答复函.docx”）后重新上传。")
    if len(name) > MAX_NAME_CHARS:
        suffix = Path(name).suffix[:10]
        name = name[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name


def save_and_ingest(kb: KnowledgeBase, named: list[tuple[str, BinaryIO]]) -> list[UploadedFile]:
    """Store the files (name from safe_file_name → content), ingest them, and undo the store for files that
    did not go in: a failed new version of an already indexed file puts the old file back. The caller holds
    the process's write lock; ingest takes the data directory's."""
    folder = uploads_dir(kb.settings)
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[tuple[str, Path, Path | None]] = []
    for name, content in named:
        target = folder / name
        backup = None
        if target.exists():
            backup = folder / f".{name}.previous"
            target.replace(backup)
        with target.open("wb") as out:
            content.seek(0)
            shutil.copyfileobj(content, out)
        saved.append((name, target, backup))
    try:
        report = ingest(kb, [path for _, path, _ in saved])
    except BaseException:  # e.g. another process is writing the index: leave the folder as it was
        for _, target, backup in saved:
            if backup is not None:
                backup.replace(target)
            else:
                target.unlink(missing_ok=True)
        raise
    results = []
    for name, target, backup in saved:
        result = _result(kb, report, name, target)
        if result.status in ("failed", "duplicate"):
            if backup is not None:
                backup.replace(target)
            else:
                target.unlink(missing_ok=True)
        elif backup is not None:
            backup.unlink(missing_ok=True)
        results.append(result)
    return results


def _result(kb: KnowledgeBase, report: IngestReport, name: str, target: Path) -> UploadedFile:
    saved_as = f"uploads/{name}"
    for failed_name, message in report.failed:
        if failed_name == name:
            return UploadedFile(file_name=name, saved_as=saved_as, status="failed", message=message)
    for dup_name, original in report.duplicates:
        if dup_name == name:
            return UploadedFile(file_name=name, saved_as=saved_as, status="duplicate",
                                message=f"与已入库的“{original}”内容完全相同，未重复入库")
    record = kb.manifest.by_source(str(target.resolve()))
    doc_id, chunks = (record.doc_id, record.n_chunks) if record else (None, 0)
    if name in report.added:
        return UploadedFile(file_name=name, saved_as=saved_as, status="added", doc_id=doc_id, chunks=chunks,
                            message=f"已入库，{chunks} 个片段")
    if name in report.updated:
        return UploadedFile(file_name=name, saved_as=saved_as, status="updated", doc_id=doc_id, chunks=chunks,
                            message=f"已替换同名文件的旧版本，{chunks} 个片段")
    return UploadedFile(file_name=name, saved_as=saved_as, status="unchanged", doc_id=doc_id, chunks=chunks,
                        message="与已入库的同名文件内容相同，未重复入库")
