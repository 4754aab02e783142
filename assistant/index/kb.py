"""The knowledge base: manifest + Chroma + BM25, and hybrid search with metadata filters."""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from assistant.access import PUBLIC
from assistant.config import Settings
from assistant.corpus.ocr import page_was_read
from assistant.index.answertype import amount_asked, asked_kinds, figure_coverage, states
from assistant.index.bm25 import BM25Index
from assistant.index.embedders import Embedder, embedder_name, make_embedder
from assistant.index.filters import SearchFilters as SearchFilters  # re-exported: callers import it from here
from assistant.index.fusion import Candidates, FusionWeights, Pool, fuse
from assistant.index.identifiers import (
    asked_years,
    document_names,
    document_year,
    identifiers,
    names_document,
    speaks_of_years,
    writes_any,
)
from assistant.index.manifest import ChunkRow, DocRecord, Manifest
from assistant.index.places import document_places, gazetteer, place_relation
from assistant.index.provenance import is_verified, uploader_text
from assistant.index.synonyms import load_synonyms, written_otherwise
from assistant.index.timescope import Time, asked_times, document_times, relation
from assistant.index.tokenize import tokenize_query
from assistant.index.vectors import VectorStore, open_vector_store
from assistant.state.engine import state_url

CANDIDATES = 50  # each retriever's top N: the passages fused, and the pool each retriever's scores are read against
# Dense scores are exact (every stored vector against the query) up to this many passages, about 150 MB of
# float32 at 384 dimensions; above it the vector store's approximate neighbours are a pool (POOL_FACTOR × N)
# rescored exactly. Either way equal scores fall in chunk-id order, so a query ranks the same in every process.
EXACT_SEARCH_MAX_CHUNKS = 100_000
POOL_FACTOR = 4
# Above EXACT_SEARCH_MAX_CHUNKS, a filter that keeps at most this many passages (a genre, a year, a few documents)
# is scored exactly over just those: the approximate pool would hold too few of them (a graph search filtered
# that narrowly either misses or scans), and their stored vectors, fetched once, stay in a per-process cache of
# at most ROW_CACHE_ROWS vectors (about 150 MB at 384 dimensions) that the pool's rescoring shares.
NARROW_MAX_CHUNKS = 50_000
ROW_CACHE_ROWS = 100_000
MISSING_RETRY_S = 10.0
# Chosen on the development question sets only (bench/fusion_sweep.py over the development parts of demo, gov and
# cmrc together; its output is bench/results/fusion_sweep.txt): min-max normalisation, BM25 half the score, the
# share of the question's words found in one sentence (coverage) 0.4, a document of another jurisdiction than the
# one the question names 0.2 down, a document the question names by its title 0.1 up, synonyms on. A passage
# about another time than the one asked (timescope.py: the five years, or this year's plan, for a question about
# 去年) 0.32 down: chosen with `fusion_sweep.py --time-only` on the development parts of demo, cmrc and the gov
# reports (bench/results/fusion_sweep_time.txt); with it, a match bonus and the older year signal (a passage that
# mentions the year anywhere) changed no development question more and stay 0, as does the identifier signal.
# A question asking for a date or a time limit (什么时候生效, 多长时间内移交) and a passage stating one (answertype.py):
# 0.2 up, chosen with `fusion_sweep.py --answer-type-only` on the development parts of demo, gov and cmrc
# (bench/results/fusion_sweep_answer_type.txt; 0.2 to 0.3 score the same, 0.4 loses a gov question).
# With a third kind, a definition asked (电子印章指什么) and a passage defining (本条例所称…是指), the same sweep on the
# development parts of demo and gov chose 0.4 (bench/results/fusion_sweep_answer_type.txt; 0.2 to 0.3 one hit@5 less, 0.6 a hit@1 less).
# A document of the jurisdiction the question names 0.3 up: chosen with `fusion_sweep.py --places-only` on the
# development parts of demo and gov after 43 new gov questions joined them (bench/results/fusion_sweep_places.txt:
# 0.3 to 0.4 up with 0.2 to 0.4 down score the same; the earlier 0 had been chosen on 116 gov questions).
# How far apart two neighbouring query words may be written in a passage and still count as written together
# (one particle or a short modifier: 注册资本最低限额, 对招标文件有异议).
PAIR_GAP = 3


def word_pairs(tokens: list[str], others: Mapping[str, list[str]]) -> list[re.Pattern[str]]:
    """One pattern per pair of neighbouring query words (each also as the term it belongs to is written
    otherwise): the two within PAIR_GAP characters of one clause, in either order."""
    pairs = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        if a == b:
            continue
        fa, fb = ("|".join(re.escape(f) for f in sorted({w, *others.get(w, ())}, key=len, reverse=True)) for w in (a, b))
        gap = rf"[^。；！？!?;\n]{{0,{PAIR_GAP}}}?"
        pairs.append(re.compile(f"(?:{fa}){gap}(?:{fb})|(?:{fb}){gap}(?:{fa})"))
    return pairs


FUSION = FusionWeights(bm25=0.5, normalise="minmax", coverage=0.4, period=0.0, place=0.3, place_conflict=0.2, title=0.1,
                       year=0.0, time_match=0.0, time_conflict=0.32, answer_type=0.4, figure=0.2, proximity=0.2,
                       synonyms=True)
PERIOD_WORDS = re.compile(r"一季度|上半年|前三季度|全年|[1１一]\s*[-—～~至到]\s*\d{1,2}\s*月|截至\s*\d{1,2}\s*月底?|\d{1,2}月底")
SENTENCE = re.compile(r"(?<=[。；！？!?;\n])")
SYNONYM_POOL = 200  # passages per synonym checked for the phrase itself
HEAD_CHARS = 300  # a document's opening read for its jurisdiction when the title and office name none
# The metadata a question may name a document by: KnowledgeBase.heading.
HEADING_FIELDS = ("title", "subtitle", "genre", "office", "signer", "recipient", "doc_number", "file_name")
# The end of a document's masthead: its first sentence of body text, a line too long to be a heading, or the
# salutation (各县（市、区）…：, 刘文涛委员：) — the addressee is the `recipient` field's, when it is one.
_BODY_LINE = re.compile(r"[。；！？]|^.{61,}$|^编者按|[：:]$")


def masthead(opening: str) -> str:
    """The short lines a document opens with before its body (安康日报 2023年9月18日 第3版, ——访…局长周立衡, 本报记者,
    an office, a 文号, the date): how a question may name it (日报那篇访谈里…) that the metadata may lack. A
    disclaimer line (【示例文档】…, > …) is no part of it."""
    lines: list[str] = []
    for line in (raw.strip() for raw in opening.splitlines()):
        if not line or line.startswith(("【", ">")):
            continue
        if _BODY_LINE.search(line):
            break
        lines.append(line)
    return " ".join(lines)


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
    verified: bool = False  # the document is 已核验 (index/provenance.py): its figures count as sourced
    uploader: str = ""  # who loaded the document, through which front end: 王科长（工作台上传）
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


class _DenseMatrix:
    """The stored vectors of one snapshot's passages, in chunk-id order, loaded from the vector store on first
    use. Rows of passages whose vectors are missing (an ingest interrupted between the two stores) are zero
    and fetched again at most every MISSING_RETRY_S seconds."""

    def __init__(self) -> None:
        self.matrix: np.ndarray | None = None
        self.missing: set[int] = set()
        self.tried_at = 0.0
        self.lock = threading.Lock()

    def get(self, order: list[str], store: VectorStore) -> np.ndarray:
        with self.lock:
            if self.matrix is None:
                found = store.vectors(order)
                dim = len(next(iter(found.values()))) if found else 0
                matrix = np.zeros((len(order), dim), dtype=np.float32)
                for row, chunk_id in enumerate(order):
                    if chunk_id in found:
                        matrix[row] = found[chunk_id]
                    else:
                        self.missing.add(row)
                self.matrix, self.tried_at = _unit_rows(matrix), time.monotonic()
            elif self.missing and time.monotonic() - self.tried_at > MISSING_RETRY_S:
                rows = sorted(self.missing)
                found = store.vectors([order[r] for r in rows])
                for row in rows:
                    vector = found.get(order[row])
                    if vector is not None and len(vector) == self.matrix.shape[1]:
                        self.matrix[row] = _unit_rows(vector[None, :])[0]
                        self.missing.discard(row)
                self.tried_at = time.monotonic()
            return self.matrix


class _RowCache:
    """Unit stored vectors of some of one snapshot's passages (by row of `order`), fetched from the vector store
    on first use and kept; when `capacity` rows are held it starts over. Rows the store lacks are not kept (an
    interrupted ingest: asked again next time)."""

    def __init__(self) -> None:
        self.capacity = ROW_CACHE_ROWS
        self.slots: np.ndarray | None = None  # row → slot in `matrix`, -1 when not held
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.used = 0
        self.lock = threading.Lock()

    def get(self, rows: np.ndarray, order: list[str], store: VectorStore) -> np.ndarray:
        """The vectors of `rows`, in that order (zero where the store has none)."""
        with self.lock:
            if self.slots is None:
                self.slots = np.full(len(order), -1, dtype=np.int64)
            slots = self.slots[rows]
            held = slots >= 0
            if held.all() and self.used:
                return self.matrix[slots]  # warm: every row held
            missing = rows[~held]
            fetched: dict[str, np.ndarray] = store.vectors([order[r] for r in missing]) if missing.size else {}
            dim = self.matrix.shape[1] if self.used else next((len(v) for v in fetched.values()), 0)
            out = np.zeros((len(rows), dim), dtype=np.float32)
            if held.any():
                out[held] = self.matrix[slots[held]]
            for i in np.flatnonzero(~held):
                vector = fetched.get(order[rows[i]])
                if vector is not None and len(vector) == dim:
                    out[i] = _unit_rows(vector[None, :])[0]
            keep = np.flatnonzero(~held)
            keep = keep[[order[rows[i]] in fetched and len(fetched[order[rows[i]]]) == dim for i in keep]]
            if keep.size:
                self._keep(rows[keep], out[keep])
            return out

    def _keep(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        assert self.slots is not None
        if self.used + len(rows) > self.capacity:
            self.slots.fill(-1)  # full: start over
            self.used = 0
        if len(rows) > self.capacity:
            return
        if self.used + len(rows) > len(self.matrix) or vectors.shape[1] != self.matrix.shape[1]:
            grown = np.zeros((min(self.capacity, max(2 * len(self.matrix), self.used + len(rows))), vectors.shape[1]),
                             dtype=np.float32)
            if self.used:
                grown[: self.used] = self.matrix[: self.used]
            self.matrix = grown
        self.matrix[self.used : self.used + len(rows)] = vectors
        self.slots[rows] = np.arange(self.used, self.used + len(rows))
        self.used += len(rows)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def _top(scores: np.ndarray, n: int, positive: bool = False) -> np.ndarray:
    """Indices of the `n` highest scores, ties in index (= chunk-id) order; with `positive`, scores > 0 only."""
    if scores.size == 0:
        return np.zeros(0, dtype=np.int64)
    keep = np.flatnonzero(scores > 0) if positive else np.flatnonzero(np.isfinite(scores))
    if keep.size > 4 * n:  # a partial sort first: only the top slice needs a stable order
        cut = np.partition(scores[keep], -n)[-n]
        keep = keep[scores[keep] >= cut]
    order = np.lexsort((keep, -np.round(scores[keep].astype(np.float64), 9)))
    return keep[order[:n]]


@dataclass(frozen=True)
class _Snapshot:
    """The manifest at one generation, with its BM25 index and (loaded on first use) the stored vectors. A search
    reads one snapshot from start to end, so a refresh by another thread (an ingest by this or another process
    bumped the generation) never takes a passage away half-way through. Passages are held in chunk-id order
    (`order`): BM25 scores and vector rows line up with it, and ties are broken by it."""

    generation: int
    chunks: dict[str, ChunkRow]
    doc_meta: dict[str, dict[str, Any]]
    bm25: BM25Index
    order: list[str] = field(default_factory=list)
    chunk_doc: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # document index per passage
    doc_ids: list[str] = field(default_factory=list)
    doc_places: dict[str, frozenset[str]] = field(default_factory=dict)
    doc_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # how a question may name each document
    doc_years: dict[str, int] = field(default_factory=dict)  # the year each document speaks from (0: unknown)
    doc_heads: dict[str, str] = field(default_factory=dict)  # what each document is known by (see `heading`)
    times: dict[str, list[Time]] = field(default_factory=dict)  # the times each passage is about, filled per document
    dense: _DenseMatrix = field(default_factory=_DenseMatrix)
    cached_rows: _RowCache = field(default_factory=_RowCache)  # above EXACT_SEARCH_MAX_CHUNKS

    @property
    def exact(self) -> bool:
        return len(self.order) <= EXACT_SEARCH_MAX_CHUNKS

    @cached_property
    def position(self) -> dict[str, int]:
        """chunk id → row of `order`."""
        return {cid: i for i, cid in enumerate(self.order)}

    def allowed(self, filters: SearchFilters) -> np.ndarray:
        """Which passages (in `order`) pass the filters by the manifest's metadata; all filters are per document."""
        docs = np.array([filters.accepts(self.doc_meta.get(d, {})) for d in self.doc_ids], dtype=bool)
        return docs[self.chunk_doc] if docs.size else np.zeros(len(self.order), dtype=bool)

    def admits(self, chunk_id: str, filters: SearchFilters) -> bool:
        """A vector hit passes only if the manifest agrees: its document is still indexed and, by the manifest's
        metadata, passes the filters. The vector store's own metadata is a pre-filter that may lag behind a
        reclassification (index/disclosure.py), never the authority on who may see a passage."""
        row = self.chunks.get(chunk_id)
        return row is not None and filters.accepts(self.doc_meta.get(row.doc_id, {}))

    def lexical_scores(self, query_tokens: list[str], expansions: list[tuple[str, list[str]]]
                       ) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of the question's own words, and the same with synonyms: for a term the question writes one way
        (利用外资), a passage that writes it another way (实际使用外资, as a phrase) scores as if it used the question's
        wording, or its own if that scores higher."""
        plain = self.bm25.scores(query_tokens).astype(np.float64)
        if not expansions or plain.size == 0:
            return plain, plain
        expanded = plain.copy()
        for written, others in expansions:
            own = self.bm25.scores(tokenize_query(written)).astype(np.float64)
            best = np.zeros_like(plain)
            for phrase in others:
                tokens = tokenize_query(phrase)
                if not tokens:
                    continue
                scores = self.bm25.scores(tokens).astype(np.float64)
                needle = phrase.lower()
                # only the phrase's best-scoring passages can matter; checking every passage with one of its
                # words (投资) would cost a scan of the corpus per synonym
                for index in _top(np.where(scores > np.maximum(best, own), scores, 0.0), SYNONYM_POOL, positive=True):
                    if needle in self.chunks[self.order[index]].embed_text.lower():
                        best[index] = scores[index]
            expanded += np.clip(best - own, 0.0, None)
        return plain, expanded

    def mentions_any(self, chunk_id: str, words: set[str] | list[str]) -> bool:
        row = self.chunks[chunk_id]
        context = f"{self.doc_meta.get(row.doc_id, {}).get('title', '')} {row.section} {row.text}"
        return any(word in context for word in words)

    def context(self, chunk_id: str) -> str:
        """A passage with what its document is known by: title, 文号, section path."""
        row = self.chunks[chunk_id]
        meta = self.doc_meta.get(row.doc_id, {})
        return f"{meta.get('title', '')} {meta.get('doc_number', '')} {row.section} {row.text}"

    def speaks_of_asked_year(self, chunk_id: str, query: str) -> bool:
        row = self.chunks[chunk_id]
        year = self.doc_years.get(row.doc_id, 0)
        years = asked_years(query, year)
        return bool(years) and speaks_of_years(f"{row.section} {row.text}", years, year)

    def time_relation(self, chunk_id: str, query: str, asked: dict[int, list[Time]]) -> int:
        """+1: the passage is about a time the question asks about, -1: about another, 0: unknown (`asked` caches
        the question's times by document year)."""
        year = self.doc_years.get(self.chunks[chunk_id].doc_id, 0)
        if year not in asked:
            asked[year] = asked_times(query, year)
        return relation(asked[year], self.passage_times(chunk_id))

    def passage_times(self, chunk_id: str) -> list[Time]:
        """The times a passage is about (timescope.py), worked out for its whole document the first time one of its
        passages is a candidate (a passage's time may come from the one before it): a few documents per search,
        instead of every passage of the index whenever the index changes."""
        if chunk_id not in self.times:
            doc_id = self.chunks[chunk_id].doc_id
            # chunk ids are "<doc_id>-<ord>" and `order` is sorted: the document's passages are one run of it
            start, end = bisect.bisect_left(self.order, f"{doc_id}-"), bisect.bisect_left(self.order, f"{doc_id}.")
            passages = sorted((self.chunks[cid] for cid in self.order[start:end]), key=lambda r: r.ord)
            year = self.doc_years.get(doc_id, 0)
            found = document_times([(r.text, r.section) for r in passages], year)
            self.times.update(zip([r.chunk_id for r in passages], found, strict=True))
        return self.times.get(chunk_id, [])

    def coverage(self, chunk_id: str, query_tokens: list[str], others: Mapping[str, list[str]] | None = None
                 ) -> float:
        """Share of the query's words found together in one sentence of the passage: a cheap reranking
        signal for factual questions, whose answer is usually a single sentence. A word also counts as found
        when the sentence writes the term it belongs to another way (`others`: 财政收入 → 一般公共预算收入)."""
        words = set(query_tokens)
        if not words:
            return 0.0
        others = others or {}
        sentences = [s.lower() for s in SENTENCE.split(self.chunks[chunk_id].text) if s.strip()]
        return max((sum(1 for w in words if w in s or any(o in s for o in others.get(w, ()))) / len(words)
                    for s in sentences), default=0.0)

    def proximity(self, chunk_id: str, pairs: list[re.Pattern[str]]) -> float:
        """Share of the query's neighbouring word pairs (`pairs`, from word_pairs) the passage writes close
        together, in either order: 对招标文件有异议 for 对招标文件有意见, not 招标文件 here and 异议 three clauses on."""
        if not pairs:
            return 0.0
        text = self.chunks[chunk_id].text.lower()
        return sum(1 for pair in pairs if pair.search(text)) / len(pairs)

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
            verified=is_verified(meta),
            uploader=uploader_text(meta),
            extra={"genre": meta.get("genre", ""), "date": meta.get("date", ""), "file_name": meta.get("file_name", "")},
        )


_EMPTY = _Snapshot(-1, {}, {}, BM25Index(None, []))


class KnowledgeBase:
    """Opened per process; reads are thread-safe once loaded."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.manifest = Manifest(state_url(settings, "kb"))  # kb.sqlite, or the shared PostgreSQL
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
            # never a passage without its document's class; chunk-id order, which ties are broken by
            rows = sorted((r for r in rows if r.doc_id in doc_meta), key=lambda r: r.chunk_id)
            chunks = {r.chunk_id: r for r in rows}
            order = [r.chunk_id for r in rows]
            bm25 = BM25Index.load(self.settings.bm25_path, generation)
            if bm25 is None or bm25.chunk_ids != order:
                bm25 = BM25Index.build(order, [r.tokens for r in rows])
                try:
                    if stable:
                        bm25.save(self.settings.bm25_path, generation)
                except OSError:
                    pass  # a read-only data dir still searches, it just rebuilds next time
            doc_ids = sorted(doc_meta)
            doc_index = {d: i for i, d in enumerate(doc_ids)}
            heads: dict[str, str] = {}
            for r in rows:  # rows are in document order, each document's passages in order
                if len(heads.get(r.doc_id, "")) < HEAD_CHARS:
                    heads[r.doc_id] = (heads.get(r.doc_id, "") + "\n" + r.text)[:HEAD_CHARS]
            places = {d: document_places(f"{m.get('title', '')} {m.get('subtitle', '')}", str(m.get("office", "")),
                                         heads.get(d, ""))
                      for d, m in doc_meta.items()}
            years = {d: document_year(str(m.get("title", "")), str(m.get("subtitle", "")), str(m.get("date", "")))
                     for d, m in doc_meta.items()}
            self._snapshot = _Snapshot(
                generation, chunks, doc_meta, bm25, order,
                np.array([doc_index[r.doc_id] for r in rows], dtype=np.int64), doc_ids, places,
                {d: document_names(str(m.get("title", ""))) for d, m in doc_meta.items()}, years,
                doc_heads={d: " ".join([*(str(m.get(key, "")) for key in HEADING_FIELDS), masthead(heads.get(d, ""))])
                           for d, m in doc_meta.items()},
            )
            return self._snapshot

    def doc_meta(self, doc_id: str) -> dict[str, Any]:
        return self._current().doc_meta.get(doc_id, {})

    def knows(self, word: str) -> bool:
        """Whether some passage of the index contains this word (as the tokenizer cuts it)."""
        return self._current().bm25.knows(word)

    def writes_near(self, first: str, others: Iterable[str], within: int = 40) -> bool:
        """Whether some passage writes `first` with one of `others` within `within` characters of it (刘洋 … 科长;
        局长周立衡 for a unit ending in 局), in one pass over the passages."""
        others = tuple(others)
        for row in self._current().chunks.values():
            at = row.text.find(first)
            while at >= 0:
                around = row.text[max(0, at - within): at + len(first) + within]
                if any(other in around for other in others):
                    return True
                at = row.text.find(first, at + 1)
        return False

    def writes(self, word: str) -> bool:
        """Whether some passage, its section or its document's title has this text anywhere, whole word or not
        (丝博 in 丝博会)."""
        snapshot = self._current()
        return any(snapshot.mentions_any(cid, [word]) for cid in snapshot.order)

    def heading(self, doc_id: str) -> str:
        """What a document is known by besides its passages' own words: title, 文种, issuing office, signer,
        addressee, 文号 and file name. A question naming its source loosely (局长接受采访时说…, 人大那个调研报告里…)
        names it with these words."""
        return self._current().doc_heads.get(doc_id, "")

    def following(self, chunk_id: str) -> Hit | None:
        """The passage after this one in its document (an interviewer's question's answer), None at its end."""
        snapshot = self._current()
        at = snapshot.position.get(chunk_id)
        if at is None or at + 1 >= len(snapshot.order):
            return None
        after = snapshot.order[at + 1]
        return snapshot.hit(after, 0.0) if snapshot.chunks[after].doc_id == snapshot.chunks[chunk_id].doc_id else None

    def passage_of(self, doc_id: str, holding: str = "", filters: SearchFilters | None = None) -> Hit | None:
        """The first passage of a document that holds `holding` (the first passage at all when none does); None for
        a document not indexed or one the filters keep from the asker."""
        snapshot = self._current()
        rows = self._in_order(snapshot, doc_id, filters)
        chosen = next((cid for cid in rows if holding and holding in snapshot.chunks[cid].text), rows[0] if rows else None)
        return snapshot.hit(chosen, 0.0) if chosen else None

    def passages_in_order(self, doc_id: str, filters: SearchFilters | None = None) -> list[Hit]:
        """A document's passages in the order the document has them (those the filters let the asker see)."""
        snapshot = self._current()
        return [snapshot.hit(cid, 0.0) for cid in self._in_order(snapshot, doc_id, filters)]

    @staticmethod
    def _in_order(snapshot: _Snapshot, doc_id: str, filters: SearchFilters | None) -> list[str]:
        """The ids of a document's passages the filters admit, in the document's order."""
        return [cid for cid in snapshot.order if snapshot.chunks[cid].doc_id == doc_id
                and (filters is None or snapshot.admits(cid, filters))]

    def heads(self, word: str) -> bool:
        """Whether some document's heading (see `heading`) writes this word."""
        return any(word in head for head in self._current().doc_heads.values())

    def headings(self) -> list[str]:
        """Every document's heading (see `heading`)."""
        return list(self._current().doc_heads.values())

    def headings_by_document(self) -> Mapping[str, str]:
        """Each document's heading by document id, as held (not copied: read it, do not change it)."""
        return self._current().doc_heads

    def titles(self) -> dict[str, str]:
        """Each document's title, by document id."""
        return {d: str(m.get("title", "")) for d, m in self._current().doc_meta.items()}

    def known(self, words: list[str]) -> list[str]:
        """The words that some passage contains: a typo (地放) or a colloquial word (干啥) no document uses cannot
        tell one passage from another. All the words when none is known (nothing in the index speaks of them)."""
        bm25 = self._current().bm25
        return [w for w in words if bm25.knows(w)] or words

    # -- search
    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The `k` best passages: BM25 (with synonyms) and exact dense scores fused (fusion.py), with the
        question's place, period and wording as reranking signals. The same query on the same index gives the
        same list in every process."""
        found = self.candidates(query, filters)
        if found is None:
            return []
        snapshot, candidates = found
        return [snapshot.hit(cid, score) for cid, score in fuse(candidates, FUSION)[: _clamp(k)]]

    def candidates(self, query: str, filters: SearchFilters | None = None, n: int = CANDIDATES
                   ) -> tuple[_Snapshot, Candidates] | None:
        """Each retriever's top `n` passages that pass `filters`, every one scored by both retrievers and the
        reranking signals (what fusion.fuse ranks; bench/fusion_sweep.py reads it to choose the weights)."""
        query = " ".join(query.split())[: self.settings.max_query_chars]
        snapshot = self._current()
        if not query or not snapshot.chunks:
            return None
        filters = filters or SearchFilters()
        allowed = snapshot.allowed(filters)
        query_tokens = tokenize_query(query)
        expansions = load_synonyms(self.settings.synonyms_path).expand(query)
        plain, expanded = snapshot.lexical_scores(query_tokens, expansions)
        plain, expanded = np.where(allowed, plain, 0.0), np.where(allowed, expanded, 0.0)
        top_plain, top_expanded = _top(plain, n, positive=True), _top(expanded, n, positive=True)
        cosine, top_dense = self._dense(snapshot, query, filters, allowed, n, np.union1d(top_plain, top_expanded))
        rows = np.union1d(np.union1d(top_plain, top_expanded), top_dense)
        ids = [snapshot.order[i] for i in rows]
        periods = set(PERIOD_WORDS.findall(query))
        places = gazetteer()
        asked = places.find(query)
        forms = [form for name in asked for form in places.forms(name)]
        quoted = identifiers(query)
        folded = query.lower()  # the question as asked and with each synonym written in, for naming a document
        wordings = [folded] + [folded.replace(written.lower(), other.lower()) for written, others in expansions
                               for other in others]
        times_asked: dict[int, list[Time]] = {}  # by document year
        others = written_otherwise(query_tokens, expansions)
        kinds = asked_kinds(query)
        pairs = word_pairs(query_tokens, others)
        named = {d for d in {snapshot.chunks[cid].doc_id for cid in ids}
                 if names_document(wordings, snapshot.doc_names.get(d, ()))}
        candidates = Candidates(
            chunk_ids=ids,
            bm25=expanded[rows],
            bm25_plain=plain[rows],
            cosine=np.array([cosine[i] for i in rows], dtype=np.float64),
            coverage=np.array([snapshot.coverage(cid, query_tokens, others) for cid in ids]),
            period=np.array([float(bool(periods) and snapshot.mentions_any(cid, periods)) for cid in ids]),
            place=np.array([place_relation(asked, snapshot.doc_places.get(snapshot.chunks[cid].doc_id, frozenset()),
                                           places) for cid in ids], dtype=np.float64),
            place_passage=np.array([float(bool(forms) and _names(snapshot.chunks[cid], forms)) for cid in ids]),
            identifier=np.array([float(bool(quoted) and writes_any(snapshot.context(cid), quoted)) for cid in ids]),
            title=np.array([float(snapshot.chunks[cid].doc_id in named) for cid in ids]),
            year=np.array([float(snapshot.speaks_of_asked_year(cid, query)) for cid in ids]),
            time=np.array([snapshot.time_relation(cid, query, times_asked) for cid in ids], dtype=np.float64),
            answer_type=np.array([float(states(kinds, snapshot.chunks[cid].text)) for cid in ids]) if kinds
            else np.zeros(0),
            figure=np.array([figure_coverage(set(query_tokens), snapshot.chunks[cid].text, others) for cid in ids])
            if amount_asked(query) else np.zeros(0),
            proximity=np.array([snapshot.proximity(cid, pairs) for cid in ids]) if pairs else np.zeros(0),
            bm25_pool=Pool.of(np.sort(expanded[_top(expanded, n)])[::-1]),
            bm25_plain_pool=Pool.of(np.sort(plain[_top(plain, n)])[::-1]),
            dense_pool=Pool.of(np.array([cosine[i] for i in top_dense], dtype=np.float64)),
        )
        return snapshot, candidates

    def _dense(self, snapshot: _Snapshot, query: str, filters: SearchFilters, allowed: np.ndarray, n: int,
               also: np.ndarray) -> tuple[dict[int, float], np.ndarray]:
        """Exact cosines: of every allowed passage (up to EXACT_SEARCH_MAX_CHUNKS, or when the filters keep at most
        NARROW_MAX_CHUNKS), else of the vector store's approximate pool of POOL_FACTOR × n rescored with the stored
        vectors; plus those of `also` (the BM25 candidates). Returns {row: cosine} and the rows of the `n`
        nearest, ties in chunk-id order."""
        vector = self.embedder.embed_query(query).astype(np.float32)
        vector = vector / (float(np.linalg.norm(vector)) or 1.0)
        if snapshot.exact:
            matrix = snapshot.dense.get(snapshot.order, self.vectors)
            if matrix.shape[1] != vector.shape[0]:
                return {int(i): 0.0 for i in also}, np.zeros(0, dtype=np.int64)
            sims = np.where(allowed, (matrix @ vector).astype(np.float64), -np.inf)
            top = _top(sims, n)
            return {int(i): float(sims[i]) for i in np.union1d(top, also)}, top
        kept = np.flatnonzero(allowed)
        if kept.size <= NARROW_MAX_CHUNKS:  # candidates by the manifest's metadata first, then exact scores
            matrix = snapshot.cached_rows.get(kept, snapshot.order, self.vectors)
            if matrix.shape[1] != vector.shape[0]:
                return {int(i): 0.0 for i in also}, np.zeros(0, dtype=np.int64)
            cosines = (matrix @ vector).astype(np.float64)
            top = kept[_top(cosines, n)]  # `kept` ascends: equal scores stay in chunk-id order
            wanted = np.union1d(top, also).astype(np.int64)
            at = np.minimum(np.searchsorted(kept, wanted), max(kept.size - 1, 0))
            inside = kept[at] == wanted if kept.size else np.zeros(wanted.size, dtype=bool)
            scores = {int(r): float(cosines[a]) for r, a in zip(wanted[inside], at[inside], strict=True)}
            outside = wanted[~inside]  # a BM25 candidate the filters do not keep: not ranked, still scored
            if outside.size:
                extra = snapshot.cached_rows.get(outside, snapshot.order, self.vectors) @ vector
                scores.update({int(r): float(c) for r, c in zip(outside, extra, strict=True)})
            return scores, top
        position = snapshot.position
        # the manifest's verdict (in memory) decides what passes: the store over-fetches ids only, no metadata scan
        def admit(cid: str) -> bool:
            return cid in position and bool(allowed[position[cid]])

        pool = sorted({position[cid] for cid, _ in self.vectors.query(vector, POOL_FACTOR * n, filters, admit=admit)
                       if admit(cid)})
        wanted = np.array(sorted(set(pool) | {int(i) for i in also}), dtype=np.int64)
        matrix = snapshot.cached_rows.get(wanted, snapshot.order, self.vectors)
        rescored = (matrix @ vector).astype(np.float64) if matrix.shape[1] == vector.shape[0] else np.zeros(len(wanted))
        cosine = dict(zip(wanted.tolist(), rescored.tolist(), strict=True))
        pool_scores = np.full(len(snapshot.order), -np.inf)
        for r in pool:
            pool_scores[r] = cosine[r]
        return cosine, _top(pool_scores, n)

    def bm25_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        """Plain BM25 (bm25s over the jieba tokens of the same passages), no synonyms: the evaluation's baseline."""
        query = " ".join(query.split())[: self.settings.max_query_chars]
        snapshot = self._current()
        if not query or not snapshot.chunks:
            return []
        scores = np.where(snapshot.allowed(filters or SearchFilters()),
                          snapshot.bm25.scores(tokenize_query(query)).astype(np.float64), 0.0)
        return [snapshot.hit(snapshot.order[i], scores[i]) for i in _top(scores, _clamp(k), positive=True)]

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Hit]:
        """Dense retrieval alone (exact cosine, ties in chunk-id order)."""
        query = " ".join(query.split())[: self.settings.max_query_chars]
        snapshot = self._current()
        if not query or not snapshot.chunks:
            return []
        filters = filters or SearchFilters()
        cosine, top = self._dense(snapshot, query, filters, snapshot.allowed(filters), _clamp(k),
                                  np.zeros(0, dtype=np.int64))
        return [snapshot.hit(snapshot.order[i], cosine[int(i)]) for i in top]

    def probe(self, query: str, filters: SearchFilters) -> None:
        """A one-passage search that also asks the vector store itself (searches use its vectors loaded once
        per index generation): the health check's way of seeing every part answer now."""
        self.search(query, k=1, filters=filters)
        self.vectors.query(self.embedder.embed_query(query), 1, filters)


def _clamp(k: int) -> int:
    return max(1, min(int(k), 50))


def _names(row: ChunkRow, forms: list[str]) -> bool:
    context = f"{row.section} {row.text}"
    return any(form in context for form in forms)


def cleared(meta: Mapping[str, Any], classes: Sequence[str]) -> bool:
    """Whether a document (its metadata) is of a disclosure class the user is cleared for; unmarked is 公开."""
    return meta.get("access", PUBLIC) in classes


def visible_documents(kb: KnowledgeBase, classes: Sequence[str]) -> list[DocRecord]:
    """The documents whose disclosure class the user is cleared for (others are as if absent)."""
    return [r for r in kb.manifest.documents() if cleared(r.meta, classes)]
