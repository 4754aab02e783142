"""Retrieval evaluation: hit@1, hit@5 and MRR of the hybrid index against a naive baseline
(fixed 500-character splitter, dense only, same embedder), in one run."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.errors import AssistantError
from assistant.index.kb import KnowledgeBase

MAX_PASSAGE = 600
BASELINE_WINDOW = 500


@dataclass
class EvalQuestion:
    question: str
    expected_doc: str
    key_phrase: str


@dataclass
class Passage:
    text: str
    file_name: str
    title: str


@dataclass
class EvalResult:
    name: str
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of the first hit, None if missed

    def hit_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(1, len(self.ranks))

    @property
    def mrr(self) -> float:
        return sum(1.0 / r for r in self.ranks if r is not None) / max(1, len(self.ranks))

    def as_dict(self) -> dict[str, float | str | int]:
        return {"system": self.name, "n": len(self.ranks), "hit@1": round(self.hit_at(1), 4),
                "hit@5": round(self.hit_at(5), 4), "mrr": round(self.mrr, 4)}


def read_questions(path: Path) -> list[EvalQuestion]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"无法读取评测文件“{path}”：{exc}") from exc
    questions = []
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() in ("question", "问题"):
            continue
        if len(row) < 3 or not all(cell.strip() for cell in row[:3]):
            raise AssistantError(f"评测文件“{path.name}”第 {number} 行格式错误：需要 问题、期望文档、关键短语 三列（制表符分隔）")
        questions.append(EvalQuestion(row[0].strip(), row[1].strip(), row[2].strip()))
    if not questions:
        raise AssistantError(f"评测文件“{path.name}”中没有问题")
    return questions


def rank_of(passages: list[Passage], q: EvalQuestion) -> int | None:
    for rank, p in enumerate(passages, start=1):
        same_doc = q.expected_doc in (p.file_name, p.title) or Path(q.expected_doc).stem == Path(p.file_name).stem
        if same_doc and len(p.text) <= MAX_PASSAGE and q.key_phrase in p.text:
            return rank
    return None


def evaluate(kb: KnowledgeBase, questions: list[EvalQuestion], k: int = 5) -> list[EvalResult]:
    hybrid = EvalResult("hybrid（结构分段 + BM25 + 向量，RRF 融合）")
    for q in questions:
        hits = kb.search(q.question, k=k)
        passages = [Passage(h.text, str(h.extra.get("file_name", "")), h.title) for h in hits]
        hybrid.ranks.append(rank_of(passages, q))
    baseline = EvalResult("naive baseline（固定 500 字切分，仅向量）")
    search_baseline = build_baseline(kb)
    for q in questions:
        baseline.ranks.append(rank_of(search_baseline(q.question, k), q))
    return [hybrid, baseline]


def build_baseline(kb: KnowledgeBase) -> Callable[[str, int], list[Passage]]:
    """Fixed-window chunks of each document's cleaned text, embedded with the same embedder.
    Vectors are cached in the data dir, keyed by the documents' hashes and the embedder."""
    passages: list[Passage] = []
    for doc in kb.manifest.documents():
        text = kb.manifest.document_text(doc.doc_id)
        for start in range(0, len(text), BASELINE_WINDOW):
            piece = text[start : start + BASELINE_WINDOW]
            if piece.strip():
                passages.append(Passage(piece, doc.file_name, str(doc.meta.get("title", ""))))
    key = hashlib.sha1(
        ("|".join(d.content_hash for d in kb.manifest.documents()) + kb.embedder_name).encode()
    ).hexdigest()[:16]
    cache = kb.settings.data_dir / f"baseline-{key}.npy"
    if cache.exists():
        matrix = np.load(cache)
    else:
        matrix = kb.embedder.embed_documents([p.text for p in passages])
        np.save(cache, matrix)

    def search(question: str, k: int) -> list[Passage]:
        if not passages:
            return []
        scores = matrix @ kb.embedder.embed_query(question)
        return [passages[int(i)] for i in np.argsort(-scores)[:k]]

    return search
