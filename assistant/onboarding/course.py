"""The onboarding course: glossary, indicator definitions, reading path and quizzes over one knowledge base
and project database. Front ends (CLI, UI) call this."""

from __future__ import annotations

from sqlalchemy import select

from assistant.access import FULL_ACCESS, Access
from assistant.answer.engine import open_figure_store
from assistant.config import Settings
from assistant.db.models import Indicator
from assistant.db.session import FigureStore
from assistant.index.kb import KnowledgeBase, cleared
from assistant.onboarding.glossary import Term, build_glossary, lookup
from assistant.onboarding.indicators import IndicatorDefinition, indicator_definitions
from assistant.onboarding.quiz import Question, Results, grade, make_quiz
from assistant.onboarding.reading import ReadingItem, reading_path
from assistant.state.engine import state_url


class Course:
    def __init__(self, settings: Settings, kb: KnowledgeBase, store: FigureStore | None = None) -> None:
        self.settings = settings
        self.kb = kb
        self.store = store if store is not None else open_figure_store(settings)
        self._glossary: tuple[int, list[Term], list[str]] | None = None

    def glossary(self, access: Access = FULL_ACCESS) -> tuple[list[Term], list[str]]:
        """Rebuilt whenever the knowledge base changes, so a term in a newly ingested document appears.
        Terms whose source is a document the user is not cleared for are left out."""
        generation = self.kb.manifest.generation()
        if self._glossary is None or self._glossary[0] != generation:
            terms, problems = build_glossary(self.kb, self.settings.glossary_path)
            self._glossary = (generation, terms, problems)
        terms = self._glossary[1]
        if access.classes != FULL_ACCESS.classes:
            self.kb.refresh()
            terms = [t for t in terms if self._cleared(t.source.doc_id, access)]
        return terms, self._glossary[2]

    def _cleared(self, doc_id: str, access: Access) -> bool:
        meta = self.kb.doc_meta(doc_id) if doc_id else {}
        return bool(meta) and cleared(meta, access.classes)

    def lookup(self, term: str, access: Access = FULL_ACCESS) -> list[Term]:
        return lookup(self.glossary(access)[0], term)

    def indicators(self, access: Access = FULL_ACCESS) -> list[IndicatorDefinition]:
        return indicator_definitions(self.kb, self.glossary(access)[0])

    def reading_path(self, access: Access = FULL_ACCESS) -> list[ReadingItem]:
        return reading_path(self.kb, access.classes)

    def periods(self) -> list[str]:
        """Every period the indicator table holds."""
        if self.store is None:
            return []
        with self.store.session() as session:
            return sorted(session.scalars(select(Indicator.period).distinct()))

    def quiz(self, n: int = 10, seed: int | None = None, access: Access = FULL_ACCESS) -> list[Question]:
        store = self.store.scoped(access.region) if self.store is not None else None
        return make_quiz(self.glossary(access)[0], store, self.periods(), n=n, seed=seed)

    def submit(self, user: str, questions: list[Question], answers: list[str]) -> tuple[int, list[bool]]:
        score, marks = grade(questions, answers)
        results = Results(state_url(self.settings, "learning"))
        try:
            results.save(user, questions, answers, marks)
        finally:
            results.close()
        return score, marks
