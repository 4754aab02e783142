"""The onboarding course: glossary, indicator definitions, reading path and quizzes over one knowledge base
and project database. Front ends (CLI, UI) call this."""

from __future__ import annotations

from sqlalchemy import select

from assistant.answer.engine import open_figure_store
from assistant.config import Settings
from assistant.db.models import Indicator
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase
from assistant.onboarding.glossary import Term, build_glossary, lookup
from assistant.onboarding.indicators import IndicatorDefinition, indicator_definitions
from assistant.onboarding.quiz import Question, Results, grade, make_quiz
from assistant.onboarding.reading import ReadingItem, reading_path


class Course:
    def __init__(self, settings: Settings, kb: KnowledgeBase, store: FigureStore | None = None) -> None:
        self.settings = settings
        self.kb = kb
        self.store = store if store is not None else open_figure_store(settings)
        self._glossary: tuple[int, list[Term], list[str]] | None = None

    def glossary(self) -> tuple[list[Term], list[str]]:
        """Rebuilt whenever the knowledge base changes, so a term in a newly ingested document appears."""
        generation = self.kb.manifest.generation()
        if self._glossary is None or self._glossary[0] != generation:
            terms, problems = build_glossary(self.kb, self.settings.glossary_path)
            self._glossary = (generation, terms, problems)
        return self._glossary[1], self._glossary[2]

    def lookup(self, term: str) -> list[Term]:
        return lookup(self.glossary()[0], term)

    def indicators(self) -> list[IndicatorDefinition]:
        return indicator_definitions(self.kb, self.glossary()[0])

    def reading_path(self) -> list[ReadingItem]:
        return reading_path(self.kb)

    def periods(self) -> list[str]:
        """Every period the indicator table holds."""
        if self.store is None:
            return []
        with self.store.session() as session:
            return sorted(session.scalars(select(Indicator.period).distinct()))

    def quiz(self, n: int = 10, seed: int | None = None) -> list[Question]:
        return make_quiz(self.glossary()[0], self.store, self.periods(), n=n, seed=seed)

    def submit(self, user: str, questions: list[Question], answers: list[str]) -> tuple[int, list[bool]]:
        score, marks = grade(questions, answers)
        results = Results(self.settings.learning_path)
        try:
            results.save(user, questions, answers, marks)
        finally:
            results.close()
        return score, marks
