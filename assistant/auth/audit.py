"""Audit log: who asked what, which documents and rows the answer used, which drafts were exported, logins,
uploads, deletions and refused requests. Append-only table in data_dir/audit.sqlite, or in the shared
PostgreSQL database when ASSISTANT_DATABASE_URL points to one (assistant/state)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from assistant.state.engine import engine_for, translate_errors
from assistant.state.migrations import migrate

if TYPE_CHECKING:
    from assistant.answer.types import Answer
    from assistant.drafting.types import Draft

MAX_SUBJECT = 2000

ACTION_LABELS = {
    "ask": "提问", "search": "检索", "draft": "起草", "draft_export": "导出文稿", "check": "一致性核对",
    "figures": "查数", "upload": "上传文档", "delete": "删除文档", "import": "导入数据",
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "denied": "拒绝访问",
    "users": "账号管理", "backup": "备份", "restore": "恢复", "ingest": "入库", "reingest": "重新入库",
    "quiz": "测验", "feedback": "反馈", "reclassify": "更改公开属性",
    "verify": "更改核验状态",
}


@dataclass
class AuditEvent:
    at: str
    username: str
    role: str
    action: str
    subject: str
    documents: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)  # "table#id"
    outcome: str = "ok"
    via: str = ""

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def json_line(self) -> str:
        """One line of JSON holding exactly what was recorded, with every control, format and line-separator
        character written as a \\u escape: a terminal or log viewer shows it as text, never obeys it."""
        return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(self.as_json(), ensure_ascii=False))


# C0 and C1 controls (CR, LF, ESC…), DEL, and the invisible format characters (bidi overrides such as U+202E,
# zero-width joiners) and Unicode line/paragraph separators: whatever a user typed into a login name, a
# question or a file name must not start a new line, move the cursor or reorder text in the audit view.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def printable(text: str) -> str:
    """`text` for one line of the audit's text view: backslashes doubled and each unsafe character shown
    as an escape (\\n, \\r, \\t, \\e for ESC, else \\xNN or \\uNNNN), so the line cannot be split or forged."""
    return _UNSAFE.sub(lambda m: _SHORT.get(m.group(0)) or (f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                                                           else f"\\u{ord(m.group(0)):04x}"),
                       text.replace("\\", "\\\\"))


def answer_sources(answer: Answer) -> tuple[list[str], list[str]]:
    """Documents cited and database rows behind the figures of an answer."""
    docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    rows: list[str] = []
    for figure in answer.figures:
        prov = figure.provenance
        if prov is not None:
            rows += [f"{prov.table}#{row_id}" for row_id in prov.row_ids]
    return docs, list(dict.fromkeys(rows))


def draft_sources(draft: Draft) -> tuple[list[str], list[str]]:
    """Documents quoted and database rows behind the figures of a draft."""
    docs = [c.doc_id for p in draft.paragraphs for c in p.citations if c.doc_id]
    rows = [f"{f.provenance.table}#{i}" for p in draft.paragraphs for f in p.figures for i in f.provenance.row_ids]
    return list(dict.fromkeys(docs)), list(dict.fromkeys(rows))


class AuditLog:
    def __init__(self, location: Path | str) -> None:
        """`location`: the audit.sqlite file, or the shared database's URL (state.state_url)."""
        self.location = location
        self._engine = engine_for(location)
        migrate(self._engine, "audit")

    def close(self) -> None:
        """Close the pooled connections (a restore swaps the files underneath); the engine opens new ones on use."""
        self._engine.dispose()

    def record(self, username: str, role: str, action: str, subject: str = "", documents: Sequence[str] = (),
               rows: Sequence[str] = (), outcome: str = "ok", via: str = "") -> None:
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO audit (at, username, role, action, subject, documents, rows, outcome, via)"
                " VALUES (:at, :username, :role, :action, :subject, :documents, :rows, :outcome, :via)"),
                {"at": at, "username": username, "role": role, "action": action, "subject": subject[:MAX_SUBJECT],
                 "documents": json.dumps(list(documents), ensure_ascii=False),
                 "rows": json.dumps(list(rows), ensure_ascii=False), "outcome": outcome, "via": via})

    def query(self, username: str | None = None, action: str | None = None, since: str | None = None,
              limit: int = 50) -> list[AuditEvent]:
        """Newest first."""
        clauses: list[str] = []
        params: dict[str, object] = {"limit": max(1, limit)}
        for column, value in (("username", username), ("action", action)):
            if value:
                clauses.append(f"{column} = :{column}")
                params[column] = value
        if since:
            clauses.append("at >= :since")
            params["since"] = since
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(text(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT :limit"),  # noqa: S608
                                params).mappings().all()
        return [AuditEvent(at=r["at"], username=r["username"], role=r["role"], action=r["action"], subject=r["subject"],
                           documents=json.loads(r["documents"]), rows=json.loads(r["rows"]), outcome=r["outcome"],
                           via=r["via"]) for r in rows]
