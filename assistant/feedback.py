"""Staff feedback on answers (👍/👎 and an optional comment), kept with the question, the answer and its
sources so that a bad answer can be traced later. One small SQLite file in the data directory, or a table in the
shared PostgreSQL database when ASSISTANT_DATABASE_URL points to one (assistant/state)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from assistant.answer.types import Answer
from assistant.state.engine import engine_for, translate_errors
from assistant.state.migrations import feedback as feedback_table
from assistant.state.migrations import migrate

MAX_COMMENT_CHARS = 2000


@dataclass
class FeedbackRow:
    id: int
    created_at: str
    rating: int
    question: str
    answer: str
    citations: list[dict[str, object]]
    comment: str


class FeedbackStore:
    """feedback.sqlite (or the shared database): one row per 👍/👎; a comment is added to the row afterwards.
    The table is created on first use, so merely opening the store writes nothing."""

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self._engine: Engine | None = None

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        if self._engine is None:
            engine = engine_for(self.location)
            migrate(engine, "feedback")
            self._engine = engine
        with translate_errors(), self._engine.begin() as conn:
            yield conn

    def close(self) -> None:
        """Close the pooled connections (a restore swaps the files underneath); the next use opens new ones."""
        if self._engine is not None:
            self._engine.dispose()

    def record(self, rating: int, question: str, history: list[str], answer: Answer, user: str = "") -> int:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._connect() as conn:
            result = conn.execute(feedback_table.insert().values(
                created_at=now, rating=1 if rating > 0 else -1, question=question, history=_json(history),
                answer=answer.answer, mode=answer.mode,
                citations=_json([c.model_dump(mode="json") for c in answer.citations]),
                figures=_json([f.model_dump(mode="json") for f in answer.figures]),
                flagged_numbers=_json(answer.flagged_numbers), comment="", username=user))
            return int((result.inserted_primary_key or (0,))[0] or 0)

    def add_comment(self, feedback_id: int, comment: str) -> bool:
        with self._connect() as conn:
            cursor = conn.execute(text("UPDATE feedback SET comment = :comment WHERE id = :id"),
                                  {"comment": comment.strip()[:MAX_COMMENT_CHARS], "id": feedback_id})
            return int(cursor.rowcount) == 1

    def recent(self, limit: int = 50) -> list[FeedbackRow]:
        with self._connect() as conn:
            rows = conn.execute(text(
                "SELECT id, created_at, rating, question, answer, citations, comment FROM feedback "
                "ORDER BY id DESC LIMIT :limit"), {"limit": limit}).all()
        return [FeedbackRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
