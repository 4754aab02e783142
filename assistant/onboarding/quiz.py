"""Quizzes generated from the glossary and the project database, each question with its answer and source;
results stored per user (one local user until accounts exist)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select

from assistant.db.reference import METRICS
from assistant.db.session import FigureStore
from assistant.errors import AssistantError
from assistant.onboarding.glossary import Term
from assistant.onboarding.sources import Source
from assistant.state.engine import engine_for, translate_errors
from assistant.state.migrations import migrate, quiz_results
from assistant.tools import Provenance, rank_regions

LOCAL_USER = "本机用户"


class Question(BaseModel):
    id: str
    kind: Literal["choice", "fill"]
    topic: Literal["术语", "数据"]
    prompt: str
    options: list[str] = []
    answer: str
    explanation: str
    source: Source | None = None
    provenance: Provenance | None = None


def term_questions(glossary: list[Term], rng: random.Random) -> list[Question]:
    """Questions whose answer is the term itself, asked from the source sentence with the term blanked out,
    so the cited source always contains the answer."""
    out: list[Question] = []
    usable = [t for t in glossary if "*" not in t.source.quote and t.term in t.source.quote and len(t.source.quote) <= 160]
    for term in usable:
        blanked = term.source.quote.replace(term.term, "＿＿＿＿")
        explanation = f"{term.term}：{term.definition}" if term.curated else f"原文：{term.source.quote}"
        others = [t.term for t in usable if t.term != term.term and t.term not in term.term and term.term not in t.term]
        if len(others) >= 3:
            options = rng.sample(others, 3) + [term.term]
            rng.shuffle(options)
            out.append(Question(
                id=f"term-choice-{term.term}", kind="choice", topic="术语",
                prompt=f"下面这段原文中空缺的术语是哪一个？“{blanked}”", options=options, answer=term.term,
                explanation=explanation, source=term.source,
            ))
        else:
            out.append(Question(
                id=f"term-fill-{term.term}", kind="fill", topic="术语", prompt=f"填空：{blanked}",
                answer=term.term, explanation=explanation, source=term.source,
            ))
    return out


def figure_questions(store: FigureStore | None, periods: list[str], rng: random.Random) -> list[Question]:
    out: list[Question] = []
    if store is None:
        return out
    for period in periods:
        for metric in METRICS:
            try:
                ranking = rank_regions(store, period, metric.name, "completion")
            except AssistantError:
                continue
            rows = [r for r in ranking.rows if r.completion_pct is not None]
            values = sorted({f"{r.completion_pct:.2f}%" for r in rows})
            if len(values) < 4:
                continue
            row = rng.choice([r for r in rows if r.completion_pct])
            correct = f"{row.completion_pct:.2f}%"
            options = rng.sample([v for v in values if v != correct], 3) + [correct]
            rng.shuffle(options)
            out.append(Question(
                id=f"fig-{period}-{metric.name}-{row.region}", kind="choice", topic="数据",
                prompt=f"{ranking.period_label}，{row.region}{metric.name}的目标完成进度是多少？",
                options=options, answer=correct,
                explanation=f"{row.region}{metric.name}完成进度 {correct}，在各县（市、区）、开发区中排第 {row.rank} 位。",
                provenance=ranking.provenance,
            ))
    return out


def make_quiz(glossary: list[Term], store: FigureStore | None, periods: list[str], n: int = 10,
              seed: int | None = None) -> list[Question]:
    rng = random.Random(seed)
    pool = term_questions(glossary, rng) + figure_questions(store, periods, rng)
    rng.shuffle(pool)
    return pool[: max(1, n)]


def grade(questions: list[Question], answers: list[str]) -> tuple[int, list[bool]]:
    marks = []
    for q, given in zip(questions, answers, strict=False):
        given = given.strip()
        if q.kind == "choice" and given.isdigit() and 1 <= int(given) <= len(q.options):
            given = q.options[int(given) - 1]
        if q.kind == "choice" and len(given) == 1 and given.upper() in "ABCD" and q.options:
            index = "ABCD".index(given.upper())
            given = q.options[index] if index < len(q.options) else given
        marks.append(given == q.answer)
    return sum(marks), marks


class Results:
    """Quiz results per user: learning.sqlite under the data dir, or the shared PostgreSQL database
    (state.state_url(settings, "learning"))."""

    def __init__(self, location: Path | str) -> None:
        self._engine = engine_for(location)
        migrate(self._engine, "learning")

    def save(self, user: str, questions: list[Question], answers: list[str], marks: list[bool]) -> None:
        detail = [{"id": q.id, "given": a, "correct": m} for q, a, m in zip(questions, answers, marks, strict=False)]
        with translate_errors(), self._engine.begin() as conn:
            conn.execute(quiz_results.insert().values(user=user, taken_at=time.time(), score=sum(marks),
                                                      total=len(questions),
                                                      detail=json.dumps(detail, ensure_ascii=False)))

    def history(self, user: str) -> list[tuple[float, int, int]]:
        table = quiz_results.c
        with translate_errors(), self._engine.connect() as conn:
            rows = conn.execute(select(table.taken_at, table.score, table.total).where(table.user == user)
                                .order_by(table.taken_at)).all()
        return [(float(a), int(b), int(c)) for a, b, c in rows]

    def close(self) -> None:
        """Close the pooled connections (a restore swaps the files underneath); the engine opens new ones on use."""
        self._engine.dispose()
