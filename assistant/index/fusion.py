"""Fusing BM25 and dense scores, then light reranking signals. Pure: no I/O, no model.

Reciprocal-rank fusion looks at ranks only, so a passage BM25 is sure of (a number-heavy report paragraph, far
ahead of the rest) but the small embedder ranks 40th fell from first to fifth or worse. Here each retriever's
raw scores are normalised against its own top-N before mixing: a passage one retriever scores far above its
other candidates keeps most of that margin. Every candidate is scored by both retrievers (BM25 scores every
chunk; dense cosines are exact, see kb.py), so no passage loses for being absent from the other's list.

Weights are chosen on the development question sets only (bench/fusion_sweep.py; its output is kept in
bench/results/); the held-out sets are measured, never compared between candidate settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Normalise = Literal["minmax", "max", "zscore"]


@dataclass(frozen=True)
class FusionWeights:
    bm25: float = 0.5  # share of BM25 in the fused score; dense gets 1 - bm25
    normalise: Normalise = "minmax"
    coverage: float = 0.0  # share of the query's words found in one sentence of the passage
    period: float = 0.0  # the passage names the period the question asks about (一季度, 1-7月)
    place: float = 0.0  # the document belongs to the jurisdiction the question names
    place_conflict: float = 0.0  # subtracted: the document belongs only to other jurisdictions
    place_passage: float = 0.0  # the passage itself names the place
    identifier: float = 0.0  # the passage's document writes an identifier the question quotes (7301, 国令第706号)
    title: float = 0.0  # the question names the passage's document by its title (反不正当竞争法, 信息公开条例)
    year: float = 0.0  # the passage speaks of the year the question asks about (2025年; 今年, 去年 from the document's)
    time_match: float = 0.0  # the passage is about the time the question asks about (timescope.py: 去年 vs 这五年)
    time_conflict: float = 0.0  # subtracted: the passage is about another time than the one asked
    answer_type: float = 0.0  # the question asks for a date or a time limit and the passage states one (answertype.py)
    figure: float = 0.0  # an amount asked: share of the question's words in one clause stating a figure (answertype.py)
    proximity: float = 0.0  # share of the question's neighbouring word pairs the passage writes next to each other
    synonyms: bool = True  # BM25 also counts the other ways of writing a term (synonyms.yaml)


@dataclass
class Pool:
    """How one retriever scored the whole (filtered) index: its best score, its N-th best, and the mean and
    standard deviation of its top N. Each candidate's score is read against these."""

    top: float = 0.0
    nth: float = 0.0
    mean: float = 0.0
    std: float = 0.0

    @classmethod
    def of(cls, top_scores: np.ndarray) -> Pool:
        if top_scores.size == 0:
            return cls()
        return cls(float(top_scores[0]), float(top_scores[-1]), float(top_scores.mean()), float(top_scores.std()))

    def normalise(self, values: np.ndarray, how: Normalise) -> np.ndarray:
        if how == "zscore":
            return (values - self.mean) / (self.std or 1.0)
        if how == "max":
            return values / self.top if self.top > 0 else np.zeros_like(values)
        span = self.top - self.nth
        if span <= 0:
            return (values >= self.top).astype(np.float64) if self.top > 0 else np.zeros_like(values)
        return np.clip((values - self.nth) / span, 0.0, None)


@dataclass
class Candidates:
    """The passages either retriever put in its top N for one query, with every signal fusion needs."""

    chunk_ids: list[str]
    bm25: np.ndarray  # BM25 with synonym expansion
    bm25_plain: np.ndarray  # BM25 of the question's own words
    cosine: np.ndarray
    coverage: np.ndarray
    period: np.ndarray  # 0/1
    place: np.ndarray  # +1 same jurisdiction, -1 another, 0 unknown or none named
    place_passage: np.ndarray  # 0/1
    identifier: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0/1; empty: none asked
    title: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0/1; empty: none named
    year: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0/1; empty: no year asked
    time: np.ndarray = field(default_factory=lambda: np.zeros(0))  # +1 the time asked, -1 another, 0 unknown; empty: none
    answer_type: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0/1; empty: no date or time limit asked
    figure: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0..1; empty: no amount asked
    proximity: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 0..1; empty: fewer than two query words
    bm25_pool: Pool = field(default_factory=Pool)
    bm25_plain_pool: Pool = field(default_factory=Pool)
    dense_pool: Pool = field(default_factory=Pool)

    def __len__(self) -> int:
        return len(self.chunk_ids)


def fuse(c: Candidates, w: FusionWeights) -> list[tuple[str, float]]:
    """Candidates ranked by fused score, best first; equal scores in chunk-id order, so the ranking is the same
    in every process."""
    if not len(c):
        return []
    lexical, pool = (c.bm25, c.bm25_pool) if w.synonyms else (c.bm25_plain, c.bm25_plain_pool)
    score = w.bm25 * pool.normalise(lexical.astype(np.float64), w.normalise)
    score += (1.0 - w.bm25) * c.dense_pool.normalise(c.cosine.astype(np.float64), w.normalise)
    score += w.coverage * c.coverage + w.period * c.period + w.place_passage * c.place_passage
    score += np.where(c.place > 0, w.place, 0.0) - np.where(c.place < 0, w.place_conflict, 0.0)
    if w.identifier and c.identifier.size:
        score += w.identifier * c.identifier
    if w.title and c.title.size:
        score += w.title * c.title
    if w.year and c.year.size:
        score += w.year * c.year
    if c.time.size:
        score += np.where(c.time > 0, w.time_match, 0.0) - np.where(c.time < 0, w.time_conflict, 0.0)
    if w.answer_type and c.answer_type.size:
        score += w.answer_type * c.answer_type
    if w.figure and c.figure.size:
        score += w.figure * c.figure
    if w.proximity and c.proximity.size:
        score += w.proximity * c.proximity
    return ranked(c.chunk_ids, score)


def ranked(chunk_ids: list[str], scores: np.ndarray) -> list[tuple[str, float]]:
    """(chunk id, score) by score descending, then chunk id. Scores are rounded to 1e-9 first: a last-bit
    difference in floating point must not reorder two passages."""
    rounded = np.round(scores.astype(np.float64), 9)
    order = sorted(range(len(chunk_ids)), key=lambda i: (-rounded[i], chunk_ids[i]))
    return [(chunk_ids[i], float(rounded[i])) for i in order]
