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


class QuestionTooLong(AssistantError, ValueError):
    """A question (or a turn of its history, or a search query) over Settings.max_question_chars. The API
    answers 422; the workbench and the command line say the message."""

    def __init__(self, length: int, limit: int, what: str = "问题") -> None:
        self.length, self.limit = length, limit
        super().__init__(f"{what}过长：{length} 字，最多 {limit} 字，请精简后再问"
                         "（上限由管理员通过 ASSISTANT_MAX_QUESTION_CHARS 设置）。")

    @classmethod
    def check(cls, text: str, limit: int, what: str = "问题") -> str:
        """`text` unchanged when it is within `limit` characters."""
        if len(text) > limit:
            raise cls(len(text), limit, what)
        return text


class BackupError(AssistantError):
    """A backup or restore was refused or failed; the message names the path and what to do."""


class Denied(AssistantError, PermissionError):
    """The acting account may not do this (a county account uploading, anyone but an administrator restoring).
    The API answers 403, the workbench and the command line say the message."""


class RateLimited(AssistantError):
    """The account has used its per-minute budget of questions and searches."""

    def __init__(self, per_minute: int, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"提问过于频繁：每个账号每分钟最多 {per_minute} 次提问或检索，请约 {max(1, round(retry_after_s))} 秒后再试。"
                         "需要批量处理请联系管理员调高 ASSISTANT_RATE_LIMIT_PER_MINUTE。")
