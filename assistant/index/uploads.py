"""Uploaded files: a safe name to store each under data_dir/uploads/, then one incremental ingest, with the
folder put back as it was for every file that did not go in. The API and the workbench both call this."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.ingest import IngestReport, file_hash, ingest
from assistant.index.kb import KnowledgeBase
from assistant.index.provenance import Loader

MAX_UPLOAD_FILES = 20
# File systems limit a name to 255 *bytes*: 85 Chinese characters in UTF-8. Names are kept well below that,
# leaving room for the ".<name>.previous" copy an update makes and for other tools' prefixes.
MAX_NAME_BYTES = 180
UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"|?*]')
# Invisible format characters, above all the bidi controls (U+202E turns "报告\u202Excod.exe" into a name that
# shows as "报告exe.docx"): dropped, so the name shows what the file is.
FORMAT_CHARS = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
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
    name = unicodedata.normalize("NFC", FORMAT_CHARS.sub("", raw).replace("\\", "/").split("/")[-1])
    name = UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name or name in (".", ".."):
        raise UploadRejected(f"文件名“{display_name(raw)[:60]}”无效，请改用普通文件名（如“答复函.docx”）后重新上传。")
    return shorten_name(name)


def display_name(raw: str) -> str:
    """A file name as received, for messages about it: without bidi and other invisible format characters
    (which could show "…exe.docx" for a file that ends in .exe) nor control characters."""
    return UNSAFE_CHARS.sub("_", FORMAT_CHARS.sub("", raw))


def shorten_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """`name` if it fits in max_bytes of UTF-8, else its start cut at a character boundary, a short digest of
    the whole name (two long names with the same start stay two files) and its extension kept."""
    if len(name.encode()) <= max_bytes:
        return name
    match = EXTENSION.search(name)
    suffix = match.group(0) if match else ""
    digest = "~" + hashlib.sha1(name.encode()).hexdigest()[:8]
    room = max_bytes - len(suffix.encode()) - len(digest)
    stem = name[: len(name) - len(suffix)].encode()[:room].decode("utf-8", errors="ignore").rstrip(". ")
    return stem + digest + suffix


PREVIOUS = ".previous"  # ".<name>.previous": the stored version while a new one is being ingested
INCOMING = ".incoming"  # ".<name>.incoming": an upload being written, before it takes the name


def recover_interrupted(kb: KnowledgeBase) -> list[str]:
    """Put the uploads folder back in order after a process was killed (even kill -9) during an upload:
    a half-written ".incoming" file is dropped; a ".previous" copy goes back under its name unless the
    knowledge base already holds the new version (then the copy is dropped). Afterwards every stored file
    is the version the manifest knows, so a later 重新入库 reads what was indexed, never a stale copy or a
    half-written file. Returns what was done, in Chinese. The caller holds the process's write lock."""
    folder = uploads_dir(kb.settings)
    if not folder.is_dir():
        return []
    done: list[str] = []
    for leftover in sorted(folder.glob(f".*{INCOMING}")):
        leftover.unlink(missing_ok=True)
        done.append(f"删除未写完的上传文件 {leftover.name}")
    for copy in sorted(folder.glob(f".*{PREVIOUS}")):
        target = folder / copy.name[1:-len(PREVIOUS)]
        record = kb.manifest.by_source(str(target.resolve()))
        if target.is_file() and record is not None and file_hash(target) == record.content_hash:
            copy.unlink()  # the new version went in: the old copy is stale
            done.append(f"删除过期副本 {copy.name}")
        else:
            copy.replace(target)  # the new version never went in: the stored file is the old one again
            done.append(f"恢复 {target.name} 的上一版本")
    return done


def save_and_ingest(kb: KnowledgeBase, named: list[tuple[str, BinaryIO]], loader: Loader) -> list[UploadedFile]:
    """Store the files (name from safe_file_name → content), ingest them as `loader`'s (an upload starts 未核验,
    index/provenance.py), and undo the store for files that
    did not go in: a failed new version of an already indexed file puts the old file back. Each file is
    written under a hidden ".incoming" name first and renamed into place, so a crash never leaves a half
    file under a real name; what a crash leaves is put right by recover_interrupted, which runs first. The
    caller holds the process's write lock; ingest takes the data directory's."""
    folder = uploads_dir(kb.settings)
    folder.mkdir(parents=True, exist_ok=True)
    recover_interrupted(kb)
    saved: list[tuple[str, Path, Path | None]] = []
    for name, content in named:
        target = folder / name
        incoming = folder / f".{name}{INCOMING}"
        with incoming.open("wb") as out:
            content.seek(0)
            shutil.copyfileobj(content, out)
            out.flush()
            os.fsync(out.fileno())
        backup = None
        if target.exists():
            backup = folder / f".{name}{PREVIOUS}"
            target.replace(backup)
        incoming.replace(target)
        saved.append((name, target, backup))
    try:
        report = ingest(kb, [path for _, path, _ in saved], loader=loader)
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
    scanned = "（扫描件，文字识别）" if record and record.meta.get("ocr_pages") else ""
    # Pages OCR could not read, or read with low confidence: said with the result, never silently dropped.
    notes = "".join(f"；注意：{message}" for warned, message in report.warnings if warned == name)
    if name in report.added:
        return UploadedFile(file_name=name, saved_as=saved_as, status="added", doc_id=doc_id, chunks=chunks,
                            message=f"已入库{scanned}，{chunks} 个片段{notes}")
    if name in report.updated:
        return UploadedFile(file_name=name, saved_as=saved_as, status="updated", doc_id=doc_id, chunks=chunks,
                            message=f"已替换同名文件的旧版本{scanned}，{chunks} 个片段{notes}")
    return UploadedFile(file_name=name, saved_as=saved_as, status="unchanged", doc_id=doc_id, chunks=chunks,
                        message="与已入库的同名文件内容相同，未重复入库")
