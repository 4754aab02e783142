"""The assistant: one entry point (`ask`) for every front end, in grounded or LLM mode."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assistant.access import FULL_ACCESS, Access
from assistant.answer.grounded import Composition, figures_for, nothing_found, policy_for
from assistant.answer.numbers import unsupported_numbers
from assistant.answer.types import Answer
from assistant.answer.understand import INJECTION, MAX_QUESTION, Parsed, Vocabulary, parse, resolve_follow_up
from assistant.config import Settings
from assistant.db.errors import DatabaseNotReady
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, SearchFilters
from assistant.index.tokenize import add_words

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answer.agent import Agent

LLM_MODEL_MISSING = "已设置 ASSISTANT_LLM_BASE_URL，但未设置 ASSISTANT_LLM_MODEL（模型名），本次用内置检索模式回答。"
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
    """Grounded mode by default; LLM mode when a chat model is injected or ASSISTANT_LLM_BASE_URL and
    ASSISTANT_LLM_MODEL are set."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, store: FigureStore | None = None,
                 today: date | None = None, chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings)
        self.store = store if store is not None else open_figure_store(settings)
        self.today = today
        self.vocab = Vocabulary.load(self.store)
        add_words(self.vocab.words())
        self.chat_model = chat_model
        if chat_model is None and settings.llm_base_url:
            from assistant.answer.agent import chat_model_from_settings

            self.chat_model = chat_model_from_settings(settings)

    @property
    def mode(self) -> str:
        return "llm" if self.chat_model is not None else "grounded"

    def reload_figures(self) -> None:
        """Pick up a database that was imported after start-up."""
        self.store = open_figure_store(self.settings)
        self.vocab = Vocabulary.load(self.store)

    def understand(self, question: str, history: list[str] | None = None) -> Parsed:
        previous: Parsed | None = None
        for earlier in (history or [])[-6:]:
            previous = resolve_follow_up(parse(earlier, self.vocab, self.today), previous)
        return resolve_follow_up(parse(question, self.vocab, self.today), previous)

    def ask(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
            access: Access = FULL_ACCESS) -> Answer:
        """`access` is the asking user's clearance: chunks of other disclosure classes are never retrieved
        and a county officer's tools see only their region's rows (plus city-wide aggregates)."""
        agent = self._agent(question, history, filters, access)
        if agent is not None:
            return agent.ask(question.strip(), history)
        answer = self.ask_grounded(question, history, filters, access)
        if self.settings.llm_base_url and self.chat_model is None:
            answer.warnings.append(LLM_MODEL_MISSING)
        return answer

    def stream(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
               access: Access = FULL_ACCESS) -> Iterator[str | Answer]:
        """Yield text pieces as they are ready, then the final Answer."""
        agent = self._agent(question, history, filters, access)
        if agent is not None:
            yield from agent.stream(question.strip(), history)
            return
        answer = self.ask(question, history, filters, access)
        for block in answer.answer.split("\n"):
            yield block + "\n"
        yield answer

    def figure_store(self, region: str | None = None) -> FigureStore | None:
        """The database as a user bound to `region` sees it (None: every region); picks up a database imported
        after start-up; None while there is none."""
        if self.store is None:
            self.reload_figures()
        return self.store.scoped(region) if self.store is not None else None

    def scoped(self, filters: SearchFilters | None, access: Access) -> tuple[SearchFilters, FigureStore | None]:
        """The search filters and figure store one user's question may use."""
        return (filters or SearchFilters()).within(access.classes), self.figure_store(access.region)

    def _agent(self, question: str, history: list[str] | None, filters: SearchFilters | None, access: Access
               ) -> Agent | None:
        """An LLM-mode agent for this question, or None for the grounded path (no model configured, an
        empty question, or one that asks to override the rules — refused the same way in both modes)."""
        if self.chat_model is None or not (question or "").strip() or INJECTION.search(question):
            return None
        from assistant.answer.agent import Agent, Context
        from assistant.answer.llm_tools import PolicyLibrary, Toolbox

        filters, store = self.scoped(filters, access)
        latest = max(self.vocab.latest.values(), default=None)
        context = Context(self.today or date.today(), [r.name for r in self.vocab.regions],
                          f"{latest.key}（{latest.label}）" if latest else "")
        toolbox = Toolbox(store, PolicyLibrary(self.kb, filters))
        return Agent(self.chat_model, toolbox, context, lambda: self.ask_grounded(question, history, filters, access),
                     max_steps=self.settings.llm_max_steps)

    def ask_grounded(self, question: str, history: list[str] | None = None, filters: SearchFilters | None = None,
                     access: Access = FULL_ACCESS) -> Answer:
        question = (question or "").strip()
        if not question:
            return Answer(answer="请输入问题，例如：" + "；".join(_examples()), mode="grounded")
        filters, store = self.scoped(filters, access)
        parsed = self.understand(question, history)
        warnings: list[str] = []
        if parsed.truncated:
            warnings.append(f"问题超过 {MAX_QUESTION} 字，只按前 {MAX_QUESTION} 字处理。")
        if parsed.injection:
            return Answer(answer=REFUSAL, mode="grounded", warnings=warnings)
        comp = Composition()
        figures_for(parsed, store, comp, [r.name for r in self.vocab.regions])
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


def _examples() -> list[str]:
    from assistant.answer.grounded import EXAMPLES

    return EXAMPLES[:3]
