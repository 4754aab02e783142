"""The knowledge base: manifest + Chroma + BM25, and hybrid search with metadata filters."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from assistant.access import PUBLIC
from assistant.config import Settings
from assistant.corpus.ocr import page_was_read
from assistant.index.bm25 import BM25Index
from assistant.index.embedders import Embedder, embedder_name, make_embedder
from assistant.index.filters import SearchFilters as SearchFilters  # re-exported: callers import it from here
from assistant.index.manifest import ChunkRow, DocRecord, Manifest
from assistant.index.tokenize import tokenize_query
from assistant.index.vectors import VectorStore, open_vector_store

RRF_K = 10  # tuned on tests/eval/dev.tsv (60 favoured passages ranked middling by both retrievers)
CANDIDATES = 50
RERANK_TOP = 15
COVERAGE_WEIGHT = 0.02
DENSE_WEIGHT = 0.01  # the dense cosine, min-max scaled over the candidates, as a tie-breaker
# A question about 一季度 wants passages about 一季度, not the same sentence from the half-year report.
PERIOD_WEIGHT = 0.03
PERIOD_WORDS = re.compile(r"一季度|上半年|前三季度|全年|[1１一]\s*[-—～~至到]\s*\d{1,2}\s*月|截至\s*\d{1,2}\s*月底?|\d{1,2}月底")
SENTENCE = re.compile(r"(?<=[。；！？!?;\n])")


@dataclass
class Hit:
    text: str
    score: float
    doc_id: str
    title: str
    doc_number: str
    source: str
    section: str
    start: int
    end: int
    chunk_id: str = ""
    page: int | None = None
    ocr: bool = False  # the passage was read by OCR from a scanned page or an image
    kind: str = "text"
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data


def chunk_metadata(doc_id: str, meta: dict[str, str]) -> dict[str, Any]:
    """Metadata stored with each vector, used for filtering."""
    year = int(meta["date"][:4]) if meta.get("date") else 0
    return {
        "doc_id": doc_id,
        "genre": meta.get("genre", ""),
        "office": meta.get("office", ""),
        "access": meta.get("access", "公开"),
        "year": year,
    }


@dataclass(frozen=True)
class _Snapshot:
    """The manifest at one generation, with its BM25 index. A search reads one snapshot from start to end, so a
    refresh by another thread (an ingest by this or another process bumped the generation) never takes a
    passage away half-way through."""

    generation: int
    chunks: dict[str, ChunkRow]
    doc_meta: dict[str, dict[str, Any]]
    bm25: BM25Index

    def admits(self, chunk_id: str, filters: SearchFilters) -> bool:
        """A vector hit passes only if the manifest agrees: its document is still indexed and, by the manifest's
        metadata, passes the filters. The vector store's own metadata is a pre-filter that may lag behind a
        reclassification (index/disclosure.py), never the authority on who may see a passage."""
        row = self.chunks.get(chunk_id)
        return row is not None and filters.accepts(self.doc_meta.get(row.doc_id, {}))

    def bm25_candidates(self, query_tokens: list[str], filters: SearchFilters) -> list[str]:
        scores = self.bm25.scores(query_tokens)
        if scores.size == 0:
            return []
        order = np.argsort(-scores)
        out: list[str] = []
        for index in order:
            if scores[index] <= 0 or len(out) >= CANDIDATES:
                break
            chunk_id = self.bm25.chunk_ids[int(index)]
            if self.admits(chunk_id, filters):
                out.append(chunk_id)
        return out

    def mentions_any(self, chunk_id: str, words: set[str]) -> bool:
        row = self.chunks[chunk_id]
        context = f"{self.doc_meta.get(row.doc_id, {}).get('title', '')} {row.section} {row.text}"
        return any(word in context for word in words)

    def coverage(self, chunk_id: str, query_tokens: list[str]) -> float:
        """Share of the query's words found together in one sentence of the passage: a cheap reranking
        signal for factual questions, whose answer is usually a single sentence."""
        words = set(query_tokens)
        if not words:
            return 0.0
        sentences = [s for s in SENTENCE.split(self.chunks[chunk_id].text) if s.strip()]
        return max((sum(1 for w in words if w in s.lower()) / len(words) for s in sentences), default=0.0)

    def hit(self, chunk_id: str, score: float) -> Hit:
        row = self.chunks[chunk_id]
        meta = self.doc_meta.get(row.doc_id, {})
        return Hit(
            text=row.text,
            score=round(float(score), 6),
            doc_id=row.doc_id,
            title=str(meta.get("title", "")),
            doc_number=str(meta.get("doc_number", "")),
            source=str(meta.get("source", "")),
            section=row.section,
            start=row.start,
            end=row.end,
            chunk_id=chunk_id,
            page=row.page,
            ocr=page_was_read(meta, row.page),
            kind=row.kind,
            extra={"genre": meta.get("genre", ""), "date": meta.get("date", ""), "file_name": meta.get("file_name", "")},
        )


_EMPTY = _Snapshot(-1, {}, {}, BM25Index(None, []))


class KnowledgeBase:
    """Opened per process; reads are thread-safe once loaded."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.manifest = Manifest(settings.kb_path)
        self._embedder = embedder
        self._vectors: VectorStore | None = None
        self._lock = threading.RLock()
        self._snapshot = _EMPTY

    # -- lazily built dependencies: an unchanged re-ingest never loads the model
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings.embedder, self.settings.embedder_query_prefix)
            return self._embedder

    @property
    def embedder_name(self) -> str:
        return self._embedder.name if self._embedder is not None else embedder_name(self.settings.embedder)

    @property
    def vectors(self) -> VectorStore:
        with self._lock:
            if self._vectors is None:
                self._vectors = open_vector_store(self.settings, f"chunks-{self.embedder_name}")
            return self._vectors

    def close(self) -> None:
        self.manifest.close()
        if self._vectors is not None:
            self._vectors.close()

    # -- derived in-memory state
    def refresh(self, force: bool = False) -> None:
        """Load the manifest and BM25 again if the generation moved (another process may have ingested)."""
        self._current(force)

    def _current(self, force: bool = False) -> _Snapshot:
        generation = self.manifest.generation()
        if not force and generation == self._snapshot.generation:
            return self._snapshot
        with self._lock:
            if not force and generation == self._snapshot.generation:
                return self._snapshot  # another thread loaded it meanwhile
            for _ in range(3):  # a writer may commit between the reads: read until the generation holds still
                read_at = generation
                documents = self.manifest.documents()
                rows = self.manifest.chunks()
                generation = self.manifest.generation()
                if generation == read_at:
                    break
            # Labelled with the generation the last reads began at: if a writer kept moving it, the next search
            # loads again, and no BM25 file is saved under a generation whose content it may not match.
            stable, generation = generation == read_at, read_at
            doc_meta: dict[str, dict[str, Any]] = {}
            for doc in documents:
                meta: dict[str, Any] = dict(doc.meta)
                meta.update(chunk_metadata(doc.doc_id, doc.meta))
                meta["source"] = doc.source
                meta["file_name"] = doc.file_name
                doc_meta[doc.doc_id] = meta
            rows = [r for r in rows if r.doc_id in doc_meta]  # never a passage without its document's class
            chunks = {r.chunk_id: r for r in rows}
            bm25 = BM25Index.load(self.settings.bm25_path, generation)
            if bm25 is None or set(bm25.chunk_ids) != set(chunks):
                bm25 = BM25Index.build([r.chunk_id for r in rows], [r.tokens for r in rows])
                try:
                    if stable:
                        bm25.save(self.settings.bm25_path, generation)
                except OSError:
                    pass  # a read-only data dir still searches, it just rebuilds next time
            self._snapshot = _Snapshot(generation, chunks, doc_meta, bm25)
            return self._snapshot

    def doc_meta(self, doc_id: str) -> dict[str, Any]:
        return self._current().doc_meta.get(doc_id, {})

    # -- search
    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        query = " ".join(query.split())[: self.settings.max_query_chars]
        if not query:
            return []
        k = max(1, min(int(k), 50))
        snapshot = self._current()
        filters = filters or SearchFilters()
        if not snapshot.chunks:
            return []
        query_tokens = tokenize_query(query)
        ranked: dict[str, float] = {}
        for rank, chunk_id in enumerate(snapshot.bm25_candidates(query_tokens, filters)):
            ranked[chunk_id] = ranked.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        vector = self.embedder.embed_query(query)
        dense = [(cid, sim) for cid, sim in self.vectors.query(vector, CANDIDATES, filters)
                 if snapshot.admits(cid, filters)]
        for rank, (chunk_id, _) in enumerate(dense):
            ranked[chunk_id] = ranked.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        cosine = dict(dense)
        low, high = (min(cosine.values()), max(cosine.values())) if cosine else (0.0, 1.0)
        periods = set(PERIOD_WORDS.findall(query))

        def rerank(chunk_id: str, score: float) -> float:
            scaled = (cosine.get(chunk_id, low) - low) / ((high - low) or 1.0)
            score += COVERAGE_WEIGHT * snapshot.coverage(chunk_id, query_tokens) + DENSE_WEIGHT * scaled
            if periods and snapshot.mentions_any(chunk_id, periods):
                score += PERIOD_WEIGHT
            return score

        fused = sorted(ranked.items(), key=lambda item: -item[1])
        head = [(cid, rerank(cid, score)) for cid, score in fused[:RERANK_TOP]]
        head.sort(key=lambda item: -item[1])
        best = (head + fused[RERANK_TOP:])[:k]
        return [snapshot.hit(chunk_id, score) for chunk_id, score in best]

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        snapshot = self._current()
        vector = self.embedder.embed_query(query)
        return [snapshot.hit(cid, s) for cid, s in self.vectors.query(vector, k, filters)
                if snapshot.admits(cid, filters or SearchFilters())]


def cleared(meta: Mapping[str, Any], classes: Sequence[str]) -> bool:
    """Whether a document (its metadata) is of a disclosure class the user is cleared for; unmarked is 公开."""
    return meta.get("access", PUBLIC) in classes


def visible_documents(kb: KnowledgeBase, classes: Sequence[str]) -> list[DocRecord]:
    """The documents whose disclosure class the user is cleared for (others are as if absent)."""
    return [r for r in kb.manifest.documents() if cleared(r.meta, classes)]
