"""The project's exception types. Messages are Chinese: they reach users through the CLI, API and UI."""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base class; str(err) is a user-facing Chinese message."""


class LoadError(AssistantError):
    """A file could not be read as a document."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"无法读取文件“{self.path.name}”：{reason}")


class IndexBusy(AssistantError):
    """Another process holds the index write lock."""


class EmbedderError(AssistantError):
    """The configured embedder cannot be loaded."""


class UnknownDocument(AssistantError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "未找到该文档"


class BackupError(AssistantError):
    """A backup or restore was refused or failed; the message names the path and what to do."""
