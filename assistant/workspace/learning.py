"""Onboarding (glossary, indicator definitions, reading path, quizzes) filtered by the user's clearance, and
feedback on answers. Reading the material is not audited; a submitted quiz and a rating are."""

from __future__ import annotations

from assistant.answer.types import Answer
from assistant.onboarding.glossary import Term
from assistant.onboarding.indicators import IndicatorDefinition
from assistant.onboarding.quiz import Question, Results
from assistant.onboarding.reading import ReadingItem
from assistant.state.engine import state_url
from assistant.workspace.base import WorkspaceBase


class Learning(WorkspaceBase):
    def glossary(self) -> tuple[list[Term], list[str]]:
        """(terms from documents the user is cleared for, problems with the curated glossary file)."""
        return self.services.course.glossary(self.user.access)

    def lookup(self, term: str) -> list[Term]:
        return self.services.course.lookup(term, self.user.access)

    def indicators(self) -> list[IndicatorDefinition]:
        return self.services.course.indicators(self.user.access)

    def reading_path(self) -> list[ReadingItem]:
        return self.services.course.reading_path(self.user.access)

    def quiz(self, n: int = 10, seed: int | None = None) -> list[Question]:
        """Questions from the glossary and the database rows the user may see."""
        course = self.services.course
        if course.store is None:  # a database imported after start-up
            course.store = self.services.figure_store()
        return course.quiz(n=n, seed=seed, access=self.user.access)

    def submit_quiz(self, questions: list[Question], answers: list[str]) -> tuple[int, list[bool]]:
        """(score, right or wrong per question), saved under the user; audited as `quiz`."""
        with self._audited("quiz", f"{len(questions)} 题") as entry:
            score, marks = self.services.course.submit(self.user.username, questions, answers)
            entry.detail = f"{len(questions)} 题，得分 {score}"
        return score, marks

    def quiz_history(self) -> list[tuple[float, int, int]]:
        """(taken at, score, total) of the user's earlier quizzes, oldest first."""
        results = Results(state_url(self.settings, "learning"))
        try:
            return results.history(self.user.username)
        finally:
            results.close()

    def feedback(self, liked: bool, question: str, history: list[str], answer: Answer) -> int:
        """Store a 👍/👎 with the question, the answer and its sources; the row id takes a comment later."""
        with self._audited("feedback", f"{'有帮助' if liked else '需要改进'}：{question}") as entry:
            row_id = self.services.feedback.record(1 if liked else -1, question, history, answer,
                                                   user=self.user.username)
            entry.documents = list(dict.fromkeys(c.doc_id for c in answer.citations))
        return row_id

    def comment(self, feedback_id: int, text: str) -> bool:
        return self.services.feedback.add_comment(feedback_id, text)

