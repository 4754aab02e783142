"""Staff feedback on answers (👍/👎 and an optional comment), kept with the question, the answer and its
sources so that a bad answer can be traced later. One small SQLite file in the data directory."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer.types import Answer

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    mode TEXT NOT NULL,
    citations TEXT NOT NULL,
    figures TEXT NOT NULL,
    flagged_numbers TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)"""
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
    """feedback.sqlite: one row per 👍/👎; a comment is added to the row afterwards."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=10)
        try:
            with conn:
                conn.execute(SCHEMA)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(feedback)")}
                if "username" not in columns:  # files written before accounts existed
                    conn.execute("ALTER TABLE feedback ADD COLUMN username TEXT NOT NULL DEFAULT ''")
                yield conn
        finally:
            conn.close()

    def record(self, rating: int, question: str, history: list[str], answer: Answer, user: str = "") -> int:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, rating, question, history, answer, mode, citations, figures, "
                "flagged_numbers, username) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (now, 1 if rating > 0 else -1, question, _json(history), answer.answer, answer.mode,
                 _json([c.model_dump(mode="json") for c in answer.citations]),
                 _json([f.model_dump(mode="json") for f in answer.figures]), _json(answer.flagged_numbers), user),
            )
            return int(cursor.lastrowid or 0)

    def add_comment(self, feedback_id: int, comment: str) -> bool:
        with self._connect() as conn:
            cursor = conn.execute("UPDATE feedback SET comment=? WHERE id=?",
                                  (comment.strip()[:MAX_COMMENT_CHARS], feedback_id))
            return cursor.rowcount == 1

    def recent(self, limit: int = 50) -> list[FeedbackRow]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, rating, question, answer, citations, comment FROM feedback "
                "ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [FeedbackRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
