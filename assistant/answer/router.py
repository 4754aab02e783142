"""Routing a question by meaning: its nearest example questions, embedded by the knowledge base's embedder.

Routes are the declared figure tools (their example questions come from their one declaration in the
registry) plus three that are not tools: `policy` (measures, reasons, what a document says), `define`
(what a term means) and `outside` (questions the bureau's knowledge base does not cover). Before
embedding, the names a question fills slots with (汉阴县, 2023年一季度, 外商直接投资, a project's name) are
replaced by placeholders in both the examples and the question, so that a route is chosen by what is
asked, not by which county or project it is asked about.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.index.embedders import Embedder
from assistant.tools.registry import REGISTRY

ROUTES_FILE = Path(__file__).resolve().parents[2] / "prompts" / "routes.yaml"
NON_TOOL_ROUTES = ("policy", "define", "outside")
VECTORS_KEPT = 512  # query vectors of recent delexicalised questions (384 floats each)


@dataclass(frozen=True)
class RouteScore:
    route: str
    score: float


def route_examples(extra_file: Path = ROUTES_FILE) -> dict[str, list[str]]:
    """Example questions per route: each tool's from its declaration, the rest from prompts/routes.yaml."""
    examples = {name: list(tool.examples) for name, tool in REGISTRY.items()}
    data = yaml.safe_load(extra_file.read_text(encoding="utf-8")) or {}
    for route in NON_TOOL_ROUTES:
        examples[route] = [str(q) for q in data.get(route, [])]
    return examples


class SemanticRouter:
    """Nearest-example scores per route. Examples are embedded once per process (lazily, thread-safe)."""

    def __init__(self, embedder: Embedder, examples: dict[str, list[str]], delexicalise: object,
                 delexicalise_example: object | None = None) -> None:
        self._embedder = embedder
        self._examples = examples
        self._delex = delexicalise  # callable: str -> str, for questions
        # for the examples, which may name places the database does not (they are written about the built-in city)
        self._delex_example = delexicalise_example or delexicalise
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._matrix: np.ndarray | None = None
        self._labels: list[str] = []

    @property
    def fingerprint(self) -> str:
        text = "\n".join(f"{r}\t{q}" for r, qs in sorted(self._examples.items()) for q in qs)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def _ensure(self) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                labels, texts = [], []
                for route, questions in self._examples.items():
                    for q in questions:
                        labels.append(route)
                        texts.append(self._delex_example(q))  # type: ignore[operator]
                vectors = np.stack([self._embedder.embed_query(t) for t in texts]) if texts else np.zeros((0, 1))
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                self._matrix = vectors / np.where(norms == 0, 1, norms)
                self._labels = labels
            return self._matrix

    def _vector(self, text: str) -> np.ndarray:
        """The unit query vector of a delexicalised question, kept for the last few hundred: one question plans its
        clauses and alternatives on texts the next questions share (比序时落后几个点 with any place and period)."""
        with self._lock:
            if (cached := self._vectors.get(text)) is not None:
                self._vectors.move_to_end(text)
                return cached
        vector = np.asarray(self._embedder.embed_query(text), dtype=np.float32)  # type: ignore[operator]
        vector = vector / (np.linalg.norm(vector) or 1.0)
        with self._lock:
            self._vectors[text] = vector
            while len(self._vectors) > VECTORS_KEPT:
                self._vectors.popitem(last=False)
        return vector

    def scores(self, question: str) -> list[RouteScore]:
        """Every route's score (its best example's cosine similarity with the question), best first."""
        matrix = self._ensure()
        if not len(self._labels):
            return []
        sims = matrix @ self._vector(self._delex(question))  # type: ignore[operator]
        best: dict[str, float] = {}
        for label, sim in zip(self._labels, sims, strict=True):
            if sim > best.get(label, -1.0):
                best[label] = float(sim)
        return sorted((RouteScore(r, s) for r, s in best.items()), key=lambda rs: (-rs.score, rs.route))
