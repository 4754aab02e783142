"""Backup and restore of the whole data directory.

A backup is a plain directory: a copy of every file of the data directory plus MANIFEST.json
(package version, time, embedder, and each file's size and sha256). SQLite files are copied with
the online backup API, so a server that has them open is fine and a WAL or rollback journal is
folded into the copy rather than copied beside it. Both directions hold the data directory's write
lock, so no ingest or import is half-way through a write while files are read or replaced.

Restore checks every file against the manifest before touching anything, copies into a sibling
temporary directory, moves the current data directory aside and renames the copy into place; the
old directory is kept, never deleted.

The manifest is signed (HMAC-SHA256) with a key the server holds and the backup does not: the setting
ASSISTANT_BACKUP_KEY, else the data directory's `.backup-key` (made on the first backup, never copied into a
backup, carried over by a restore). Whoever can write to where backups are kept can change a file and
re-hash the manifest, but cannot re-sign it: such a backup (an edited users.sqlite, say) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from assistant.config import Settings
from assistant.db.session import display_url, is_sqlite, sqlite_path
from assistant.errors import BackupError
from assistant.index.lock import write_lock
from assistant.state.engine import dispose_all

MANIFEST = "MANIFEST.json"
FORMAT = 2  # 2: signed; 1 (unsigned) restores only when asked for explicitly
_LOCK_NAME = ".write.lock"
KEY_FILE = ".backup-key"  # the signing key when ASSISTANT_BACKUP_KEY is not set; never backed up
_SQLITE_MAGIC = b"SQLite format 3\x00"
# Side files of an SQLite database; the backup API copy already contains what they hold.
_SQLITE_SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupFile:
    path: str  # relative to the data directory, '/'-separated
    size: int
    sha256: str


@dataclass
class BackupReport:
    data_dir: Path
    dest: Path
    files: list[BackupFile]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def summary(self) -> str:
        """备份结果的中文摘要。"""
        lines = [
            f"已备份数据目录 {self.data_dir} 到 {self.dest}：{len(self.files)} 个文件，"
            f"共 {format_size(self.total_bytes)}，用时 {self.seconds:.2f} 秒。",
            f"恢复：assistant restore {self.dest}",
        ]
        lines.extend(f"注意：{note}" for note in self.notes)
        return "\n".join(lines)


@dataclass
class RestoreReport:
    data_dir: Path
    src: Path
    files: int
    total_bytes: int
    seconds: float
    previous: Path | None  # where the replaced data directory was moved; None if there was nothing to keep
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """恢复结果的中文摘要。"""
        lines = [
            f"已从 {self.src} 恢复数据目录 {self.data_dir}：{self.files} 个文件，"
            f"共 {format_size(self.total_bytes)}，用时 {self.seconds:.2f} 秒。"
        ]
        if self.previous is not None:
            lines.append(f"原数据目录已移到 {self.previous}，确认恢复无误后可自行删除。")
        lines.append("如果 assistant serve 正在运行，请重启服务，它才会读取恢复后的数据。")
        lines.extend(f"注意：{note}" for note in self.notes)
        return "\n".join(lines)


def format_size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    if n < 1024 ** 3:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024 ** 3:.2f} GB"


def _package_version() -> str:
    try:
        return metadata.version("zhaoshang-assistant")
    except metadata.PackageNotFoundError:
        return "unknown"


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _copy_sqlite(src: Path, dst: Path) -> None:
    # A read-write source connection on purpose: if a killed writer left a hot journal, SQLite rolls
    # it back on first read, which is the state the database is really in.
    source = sqlite3.connect(str(src), timeout=30)
    try:
        target = sqlite3.connect(str(dst))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _copy_hashing(src: Path, dst: Path) -> tuple[int, str]:
    """Copy a file, fsync it, and return the size and sha256 of what was written."""
    digest = hashlib.sha256()
    size = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        while block := fin.read(_CHUNK):
            fout.write(block)
            digest.update(block)
            size += len(block)
        fout.flush()
        os.fsync(fout.fileno())
    shutil.copystat(src, dst)
    return size, digest.hexdigest()


def _data_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """Directories and files to back up, sorted, skipping the lock and SQLite side files."""
    dirs: list[Path] = []
    files: list[Path] = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_symlink():
            continue
        if path.is_dir():
            dirs.append(path)
        elif path.is_file():
            if path.parent == data_dir and path.name in (_LOCK_NAME, KEY_FILE):
                continue
            side = next((s for s in _SQLITE_SIDE_SUFFIXES if path.name.endswith(s)), None)
            if side and path.with_name(path.name[: -len(side)]).is_file():
                continue
            files.append(path)
    return dirs, files


def _external_notes(settings: Settings, data_dir: Path) -> list[str]:
    """What the configuration keeps outside the data directory, and so outside the backup."""
    notes: list[str] = []
    if settings.database_url:
        if is_sqlite(settings.database_url):
            db_file = sqlite_path(settings.database_url).resolve()
            if not _is_within(db_file, data_dir):
                notes.append(f"项目数据库文件 {db_file} 不在数据目录中，未包含在本备份里，请另行复制。")
        else:
            notes.append(
                f"项目数据库在 PostgreSQL（{display_url(settings.database_url)}）中，未包含在本备份里，"
                "请用 pg_dump 另行备份（如 pg_dump -Fc -f 项目数据库.dump 数据库名），恢复时用 pg_restore。"
            )
    if settings.chroma_url:
        notes.append(f"向量库使用独立的 Chroma 服务（{settings.chroma_url}），未包含在本备份里，请按该服务的方式备份。")
    return notes


def _key(settings: Settings, data_dir: Path, create: bool) -> bytes | None:
    """The signing key: ASSISTANT_BACKUP_KEY, else the data directory's key file (made when `create`)."""
    if settings.backup_key is not None:
        return settings.backup_key.get_secret_value().encode()
    path = data_dir / KEY_FILE
    if path.is_file():
        return path.read_text(encoding="ascii").strip().encode()
    if not create:
        return None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode()


def _signature(manifest: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _check_signature(settings: Settings, data_dir: Path, src: Path, manifest: dict[str, Any],
                     allow_unsigned: bool) -> None:
    path = src / MANIFEST
    if manifest.get("format") == 1:
        if allow_unsigned:
            return
        raise BackupError(f"{path} 是旧版本生成的没有签名的备份，无法确认它未被改动，已拒绝恢复。确认备份来源可靠时，"
                          "可用 assistant restore --allow-unsigned 恢复。数据目录未做任何改动。")
    key = _key(settings, data_dir, create=False)
    if key is None:
        raise BackupError(f"无法验证备份 {src} 的签名：本机没有备份密钥（既未设置 ASSISTANT_BACKUP_KEY，数据目录中也没有 "
                          f"{KEY_FILE}）。请把 ASSISTANT_BACKUP_KEY 设为做备份的那台服务器的密钥后再恢复。数据目录未做任何改动。")
    signature = manifest.get("signature")
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _signature(manifest, key)):
        raise BackupError(f"备份清单 {path} 的签名不符：清单或其中列出的文件在备份后被改动过（或备份来自使用另一把密钥的服务器），"
                          "已拒绝恢复。数据目录未做任何改动。")


def backup(settings: Settings, dest: Path) -> BackupReport:
    """把整个数据目录复制到 dest（须不存在或为空目录），并写入带校验值的 MANIFEST.json。"""
    started = time.monotonic()
    data_dir = settings.data_dir.resolve()
    target = dest.resolve()
    if not data_dir.is_dir():
        raise BackupError(f"数据目录 {data_dir} 不存在，没有可备份的内容。请检查 ASSISTANT_DATA_DIR。")
    if _is_within(target, data_dir):
        raise BackupError(f"备份目录 {target} 在数据目录 {data_dir} 之内，请换一个数据目录以外的位置。")
    if target.exists() and not target.is_dir():
        raise BackupError(f"备份位置 {target} 是一个文件，请指定一个不存在的或空的目录。")
    if target.is_dir() and any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 已存在且不是空目录，请指定一个不存在的或空的目录，以免覆盖已有备份。")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the destination and renamed at the end: an interrupted backup never looks complete.
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    notes = _external_notes(settings, data_dir)
    try:
        with write_lock(data_dir):
            key = _key(settings, data_dir, create=True)
            assert key is not None
            if partial.exists():
                shutil.rmtree(partial)
            partial.mkdir()
            dirs, files = _data_files(data_dir)
            for d in dirs:
                (partial / d.relative_to(data_dir)).mkdir(parents=True, exist_ok=True)
            entries: list[BackupFile] = []
            for src in files:
                rel = src.relative_to(data_dir)
                dst = partial / rel
                if _is_sqlite_file(src):
                    _copy_sqlite(src, dst)
                    size, sha = dst.stat().st_size, _sha256(dst)
                else:
                    size, sha = _copy_hashing(src, dst)
                entries.append(BackupFile(rel.as_posix(), size, sha))
            manifest = {
                "format": FORMAT,
                "package_version": _package_version(),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "data_dir": str(data_dir),
                "embedder": settings.embedder,
                "directories": [d.relative_to(data_dir).as_posix() for d in dirs],
                "files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in entries],
                "notes": notes,
            }
            manifest["signature"] = _signature(manifest, key)
            (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            if target.exists():
                target.rmdir()  # empty, checked above
            os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if settings.backup_key is None:
        notes = [*notes, f"备份清单已用本机密钥签名（{data_dir / KEY_FILE}，不随备份复制）。要在另一台机器上恢复，"
                         "请另行妥善保存该文件的内容，恢复前把它设为 ASSISTANT_BACKUP_KEY。"]
    return BackupReport(data_dir, target, entries, time.monotonic() - started, notes)


def _read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    if not src.is_dir():
        raise BackupError(f"备份目录 {src} 不存在。")
    if not path.is_file():
        raise BackupError(f"{src} 不是完整的备份：缺少 {MANIFEST}（备份可能中途中断），无法恢复。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BackupError(f"备份清单 {path} 已损坏，无法读取：{err}") from err
    if not isinstance(manifest, dict) or manifest.get("format") not in (1, FORMAT) or not isinstance(
        manifest.get("files"), list
    ):
        raise BackupError(f"备份清单 {path} 的格式无法识别（应为第 {FORMAT} 版），无法恢复。")
    return manifest


def _safe_relative(raw: object, manifest_path: Path) -> PurePosixPath:
    rel = PurePosixPath(str(raw))
    if not str(raw) or rel.is_absolute() or ".." in rel.parts:
        raise BackupError(f"备份清单 {manifest_path} 中的路径“{raw}”不合法，无法恢复。")
    return rel


def _verify(src: Path, manifest: dict[str, Any]) -> list[BackupFile]:
    """Every listed file is present with its size and sha256; the first mismatch is an error."""
    entries: list[BackupFile] = []
    for item in manifest["files"]:
        rel = _safe_relative(item.get("path", ""), src / MANIFEST)
        path = src / rel
        expected = BackupFile(rel.as_posix(), int(item.get("size", -1)), str(item.get("sha256", "")))
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {path}。数据目录未做任何改动。")
        if path.stat().st_size != expected.size or _sha256(path) != expected.sha256:
            raise BackupError(
                f"备份文件 {path} 与备份清单不符（已被修改或损坏），无法恢复。数据目录未做任何改动。"
            )
        entries.append(expected)
    return entries


def _restore_notes(settings: Settings, manifest: dict[str, Any]) -> list[str]:
    notes = [str(n) for n in manifest.get("notes", [])]
    embedder = manifest.get("embedder")
    if embedder and embedder != settings.embedder:
        notes.append(
            f"备份时的嵌入模型是“{embedder}”，当前配置是“{settings.embedder}”：请把 ASSISTANT_EMBEDDER 改回"
            f"“{embedder}”，或运行 assistant ingest 用当前模型重新向量化。"
        )
    return notes


def restore(settings: Settings, src: Path, allow_unsigned: bool = False) -> RestoreReport:
    """校验备份（清单签名、每个文件）后用它替换整个数据目录；原数据目录移到旁边保留，不删除。
    allow_unsigned：也接受旧版本生成的未签名备份（无法确认未被改动）。"""
    started = time.monotonic()
    source = src.resolve()
    data_dir = settings.data_dir.resolve()
    if _is_within(source, data_dir):
        raise BackupError(f"备份目录 {source} 在数据目录 {data_dir} 之内，请先把它移到数据目录以外再恢复。")
    manifest = _read_manifest(source)
    _check_signature(settings, data_dir, source, manifest, allow_unsigned)
    entries = _verify(source, manifest)
    dirs = [_safe_relative(d, source / MANIFEST) for d in manifest.get("directories", [])]
    existed = data_dir.is_dir()
    staging = data_dir.parent / f".restore-{os.getpid()}"
    with write_lock(data_dir):
        if staging.exists():
            shutil.rmtree(staging)
        try:
            staging.mkdir(parents=True)
            for d in dirs:
                (staging / d).mkdir(parents=True, exist_ok=True)
            for entry in entries:
                dst = staging / entry.path
                dst.parent.mkdir(parents=True, exist_ok=True)
                size, sha = _copy_hashing(source / entry.path, dst)
                if (size, sha) != (entry.size, entry.sha256):
                    raise BackupError(f"复制备份文件 {source / entry.path} 时内容发生变化，已中止恢复。数据目录未做任何改动。")
            if (data_dir / KEY_FILE).is_file():  # the server keeps its key: later backups stay verifiable
                shutil.copy2(data_dir / KEY_FILE, staging / KEY_FILE)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = data_dir.parent / f".{data_dir.name}.before-restore-{stamp}"
            if aside.exists():
                aside = aside.with_name(f"{aside.name}-{os.getpid()}")
            os.rename(data_dir, aside)
            try:
                os.rename(staging, data_dir)
            except BaseException:
                os.rename(aside, data_dir)
                raise
            dispose_all()  # pooled connections still hold the files moved aside
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    previous: Path | None = aside
    # A data directory that did not exist (or held only the lock we just took) is not worth keeping.
    if not existed or all(p.name in (_LOCK_NAME, KEY_FILE) for p in aside.iterdir()):
        shutil.rmtree(aside, ignore_errors=True)
        previous = None
    return RestoreReport(data_dir, source, len(entries), sum(e.size for e in entries),
                         time.monotonic() - started, previous, _restore_notes(settings, manifest))
