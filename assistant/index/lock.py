"""One writer at a time for the data directory; readers and writers of a store shared between processes."""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexBusy


@contextmanager
def write_lock(data_dir: Path, database_url: str | None = None) -> Iterator[None]:
    """The data directory's writer, by a file lock; with a PostgreSQL `database_url` (shared by several machines)
    also by an advisory lock there, so two ingests or imports on two machines never interleave."""
    if database_url:
        from assistant.state.engine import advisory_lock, is_postgres

        if is_postgres(database_url):
            with _file_lock(data_dir), advisory_lock(database_url, "assistant-write"):
                yield
            return
    with _file_lock(data_dir):
        yield


@contextmanager
def _file_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ".write.lock"
    fd = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode(errors="ignore").strip()
            raise IndexBusy(
                f"另一个入库或导入任务正在写入数据目录（进程 {holder or '未知'}），请等它完成后再试。锁文件：{path}"
            ) from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


class SharedAccess:
    """Readers and writers of one on-disk store, across processes and threads: a read holds a shared
    flock on `path`, a write an exclusive one. Each write leaves a fresh token in the file, so a reader
    that keeps state in memory (Chroma's HNSW index) can tell that someone else wrote since it loaded.

    Every acquisition opens its own descriptor: flock locks belong to an open file, so two threads of one
    process exclude each other exactly as two processes do. The token is random, not a counter, so a
    data directory restored from a backup never looks unchanged.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def reading(self) -> Iterator[str]:
        """Held while reading; yields the token of the last write."""
        with self._locked(fcntl.LOCK_SH) as fd:
            yield _token(fd)

    @contextmanager
    def exclusive(self) -> Iterator[str]:
        """Held alone, without counting as a write (to reopen in-memory state); yields the current token."""
        with self._locked(fcntl.LOCK_EX) as fd:
            yield _token(fd)

    @contextmanager
    def writing(self) -> Iterator[tuple[str, str]]:
        """Held while writing; yields (token before, token after). The new token is left even when the write
        fails part-way, since part of it may be on disk."""
        with self._locked(fcntl.LOCK_EX) as fd:
            before, after = _token(fd), uuid.uuid4().hex
            try:
                yield before, after
            finally:
                os.ftruncate(fd, 0)
                os.pwrite(fd, after.encode(), 0)

    @contextmanager
    def _locked(self, mode: int) -> Iterator[int]:
        fd = os.open(str(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, mode)
            yield fd
        finally:
            os.close(fd)  # closing the descriptor releases its lock


def _token(fd: int) -> str:
    return os.pread(fd, 64, 0).decode(errors="ignore").strip()
