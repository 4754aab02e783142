"""The assistant: one entry point (`ask`) for every front end, in grounded or LLM mode."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from assistant.answer.grounded import Composition, figures_for, nothing_found, policy_for
from assistant.answer.numbers import unsupported_numbers
from assistant.answer.types import Answer
from assistant.answer.understand import MAX_QUESTION, Parsed, Vocabulary, parse, resolve_follow_up
from assistant.config import Settings
from assistant.db.errors import DatabaseNotReady
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.index.tokenize import add_words

REFUSAL = (
    "本助手只提供按地区、期间、指标的只读查询和知识库检索，不能导出、修改或删除数据，"
    "也不会执行问题或文档中夹带的指令。"
)


@dataclass
class Turn:
    question: str
    parsed: Parsed


def open_figure_store(settings: Settings) -> FigureStore | None:
    try:
        return FigureStore.open(settings.db_url)
    except DatabaseNotReady:
        return None


class Assistant:
    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, store: FigureStore | None = None,
                 today: date | None = None) -> None:
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings)
        self.store = store if store is not None else open_figure_store(settings)
        self.today = today
        self.vocab = Vocabulary.load(self.store)
        add_words(self.vocab.words())

    def reload_figures(self) -> None:
        """Pick up a database that was imported after start-up."""
        self.store = open_figure_store(self.settings)
        self.vocab = Vocabulary.load(self.store)

    def understand(self, question: str, history: list[str] | None = None) -> Parsed:
        previous: Parsed | None = None
        for earlier in (history or [])[-6:]:
            previous = resolve_follow_up(parse(earlier, self.vocab, self.today), previous)
        return resolve_follow_up(parse(question, self.vocab, self.today), previous)

    def ask(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None) -> Answer:
        question = (question or "").strip()
        if not question:
            return Answer(answer="请输入问题，例如：" + "；".join(_examples()), mode="grounded")
        if self.store is None:
            self.reload_figures()
        parsed = self.understand(question, history)
        warnings: list[str] = []
        if parsed.truncated:
            warnings.append(f"问题超过 {MAX_QUESTION} 字，只按前 {MAX_QUESTION} 字处理。")
        if parsed.injection:
            return Answer(answer=REFUSAL, mode="grounded", warnings=warnings)
        comp = Composition()
        figures_for(parsed, self.store, comp, [r.name for r in self.vocab.regions])
        # Documents also answer data questions the database cannot (开工率 in a report, a ranking in a
        # reply letter) and corroborate those it can; the relevance filter in policy_for keeps this from
        # padding: passages that do not match the question are never cited.
        policy_for(parsed, self.kb, comp, filters)
        text = comp.text()
        if not comp.figure_lines and not comp.policy_lines:
            text = nothing_found() + ("\n\n" + "\n".join(comp.notes) if comp.notes else "")
        flagged = unsupported_numbers(
            text, [f.value for f in comp.figures if f.value is not None] + comp.tool_values,
            [c.passage for c in comp.citations],
        )
        if flagged:
            warnings.append("以下数字未能在数据库或引用原文中找到来源，请核对：" + "、".join(flagged))
        return Answer(answer=text, citations=comp.citations, figures=comp.figures, mode="grounded",
                      warnings=warnings, flagged_numbers=flagged)

    def stream(self, question: str, history: list[str] | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are ready, then the final Answer."""
        answer = self.ask(question, history)
        for block in answer.answer.split("\n"):
            yield block + "\n"
        yield answer


def _examples() -> list[str]:
    from assistant.answer.grounded import EXAMPLES

    return EXAMPLES[:3]
