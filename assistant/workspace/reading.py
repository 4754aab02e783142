"""Asking, searching and querying figures: the user's access applied below the model, questions and searches
counted against their budget, every one audited with the documents and database rows it used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from assistant.answer.types import Answer
from assistant.auth.audit import answer_sources
from assistant.errors import AssistantError, QuestionTooLong
from assistant.index.kb import Hit, SearchFilters
from assistant.tools.registry import get_tool, run_tool
from assistant.tools.types import Provenance
from assistant.workspace.base import Entry, WorkspaceBase


class Reading(WorkspaceBase):
    @property
    def mode(self) -> str:
        """'grounded' or 'llm': how answers are composed."""
        return self.services.assistant.mode

    def ask(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None) -> Answer:
        """Audited as `ask` with the question, the documents cited and the rows behind its figures."""
        self._within_limit(question, history)
        self._budget()
        with self._audited("ask", question) as entry:
            answer = self.services.assistant.ask(question, history, filters, access=self.user.access)
            _answered(entry, answer)
        return without_server_paths(answer)

    def stream(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None
               ) -> Iterator[str | Answer]:
        """Text pieces, then the Answer. The budget is checked now, before anything streams (so the API can
        still answer 429); the audit row is written when the Answer arrives, the same row `ask` writes."""
        self._within_limit(question, history)
        self._budget()
        return self._stream(question, history, filters)

    def _stream(self, question: str, history: list[str] | None, filters: SearchFilters | None
                ) -> Iterator[str | Answer]:
        entry = Entry(question)
        try:
            for item in self.services.assistant.stream(question, history, filters, access=self.user.access):
                if isinstance(item, Answer):
                    _answered(entry, item)
                    self._record(entry, "ask")
                    item = without_server_paths(item)
                yield item
        except Exception:
            entry.outcome = "failed"
            self._record(entry, "ask")
            raise

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """Passages the user is cleared for; audited as `search` with the documents hit."""
        self._within_limit(query, what="检索问题")
        self._budget()
        with self._audited("search", query) as entry:
            hits = self.kb.search(query, k=k, filters=(filters or SearchFilters()).within(self.user.access.classes))
            entry.documents = list(dict.fromkeys(h.doc_id for h in hits))
        return hits

    def _within_limit(self, question: str, history: list[str] | None = None, what: str = "问题") -> None:
        """QuestionTooLong (422 in the API) for a question, or a turn of its history, over
        Settings.max_question_chars: one limit whichever front end asked. Not charged, not audited."""
        limit = self.settings.max_question_chars
        QuestionTooLong.check((question or "").strip(), limit, what)
        for turn in history or []:
            QuestionTooLong.check(turn.strip(), limit, "追问历史中的问题")

    def figures(self, tool_name: str, params: dict[str, Any]) -> BaseModel:
        """Run one read-only figure tool (by its registered name) on the database as this user sees it;
        audited as `figures` with the call ("rank_regions period=2023Q1 metric=实际引进内资 by=value") and
        the rows the result came from."""
        with self._audited("figures", tool_call_text(tool_name, params)) as entry:
            result = run_tool(tool_name, self.store(), params)
            entry.rows = provenance_rows(result)
        return result


def _answered(entry: Entry, answer: Answer) -> None:
    entry.documents, entry.rows = answer_sources(answer)
    entry.outcome = "flagged" if answer.flagged_numbers else "ok"


def without_server_paths(answer: Answer) -> Answer:
    """Citations name the file, not where it lies on the server (a path helps an attacker aim elsewhere)."""
    for citation in answer.citations:
        citation.source = PurePath(citation.source).name
    return answer


def tool_call_text(name: str, params: dict[str, Any]) -> str:
    """The call as the audit log shows it: the tool's parameters in declared order with their defaults
    filled in, so the API, the command line and the workbench write the same text for the same query."""
    try:
        shown = get_tool(name).validate(params)
    except AssistantError:  # recorded as given; the tool call itself then fails with the reason
        shown = params
    args = " ".join(f"{key}={value}" for key, value in shown.items() if value not in (None, ""))
    return f"{name} {args}".strip()


def provenance_rows(result: Any) -> list[str]:
    """Every database row ("table#id") a tool result names in its provenance."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Provenance):
            found.extend(f"{value.table}#{row_id}" for row_id in value.row_ids)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(result)
    return list(dict.fromkeys(found))
