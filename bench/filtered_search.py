"""Filtered vs unfiltered search at 1k / 10k / 100k chunks, on a real Chroma, in one run.

Every county account and every 公开-clearance user searches with a disclosure filter, so a filter must not cost
a slow scan. Measured side by side per size:

- the vector store alone (k = 200, the pool kb.py asks for): no filter; Chroma's own `where` query (what the
  store did before); over-fetch then filter (what `ChromaVectorStore.query` does now); one collection per
  disclosure class (a second collection holding only the 公开 vectors);
- hybrid `KnowledgeBase.search` (BM25 + dense + fusion), unfiltered vs filtered, on both dense paths: exact
  scores of every allowed stored vector in memory (kb.py, up to EXACT_SEARCH_MAX_CHUNKS) and the store's
  approximate pool rescored exactly (what kb.py does above that threshold; forced here at every size).

Filters: `county` = access 公开 (70% of documents), `narrow` = 公开 and one genre (about 7%), `one_doc` = a single
document's passages (0.1% at 100k). Passages are made of words drawn from the demo corpus's vocabulary (so BM25
does real work) and their vectors by a cheap deterministic fake embedder (random unit vectors around 300
topics): the HNSW graph, the metadata table, BM25 and the query path are real and of realistic size; only the
vector values are synthetic. Warm figures: each configuration is run once before it is timed.

Usage: python bench/filtered_search.py [--sizes 1000,10000,100000] [--repeat 3]
Writes bench/results/filtered_search.json (and prints it). Target (issue 18): filtered hybrid p95 at 100k
≤ 1.5 × unfiltered and ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.index import kb as kb_module
from assistant.index.filters import SearchFilters
from assistant.index.kb import KnowledgeBase, chunk_metadata
from assistant.index.manifest import ChunkRow, DocRecord, now
from assistant.index.tokenize import tokenize
from assistant.index.vectors import ChromaVectorStore, chroma_where

ROOT = Path(__file__).resolve().parents[1]
DIM = 384
PER_DOC = 100
K_POOL = 200
GENRES = ["报告", "通知", "答复函", "方案", "意见", "纪要", "简报", "总结", "规划", "办法", "细则", "函", "批复", "公告"]
QUERIES = [
    "项目管家是什么", "汉阴县一季度外商直接投资", "下一步如何补齐外资短板", "序时进度怎么计算", "一图五库两机制",
    "资金到位率", "链长制", "招大引强的措施", "外资统计口径", "推介会签约金额", "新材料产业链招商", "营商环境优化",
    "重点项目开工率", "实际使用外资同比增长", "园区标准化厂房", "招商引资考核办法", "飞地经济", "县区招商任务分解",
    "签约项目履约率", "产业链精准招商",
]


class FakeEmbedder:
    """Deterministic unit vectors from a text's digest: cheap, same in every run. Not a model."""

    name = "fake"
    dim = DIM

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed_query(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
        return vector / np.linalg.norm(vector)


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted((ROOT / "corpus").rglob("*")):
        if path.suffix in (".txt", ".md") and path.is_file():
            words += [w for w in tokenize(path.read_text(encoding="utf-8", errors="ignore")) if len(w) > 1]
    return sorted(set(words))


def build(data_dir: Path, n_chunks: int, vocab: list[str], per_class: bool = True, first_doc: int = 0
          ) -> tuple[KnowledgeBase, ChromaVectorStore | None, float]:
    """The knowledge base (manifest + Chroma) and, with `per_class`, a second collection holding only the 公开
    vectors. `first_doc` > 0 adds documents to an existing one (bench/narrow_filters.py)."""
    settings = Settings(data_dir=data_dir)
    kb = KnowledgeBase(settings, embedder=FakeEmbedder())
    public_only = ChromaVectorStore("chunks-fake-public", persist_path=data_dir / "chroma-public") if per_class else None
    rng = np.random.default_rng(18 + first_doc)
    topics = rng.normal(size=(300, DIM)).astype(np.float32)
    weights = 1.0 / np.arange(1, len(vocab) + 1)  # Zipf-like word frequencies
    weights /= weights.sum()
    started = time.perf_counter()
    pending: list[tuple[list[str], np.ndarray, list[dict[str, Any]], bool]] = []

    def flush() -> None:  # Chroma takes 1,000 vectors a call (vectors.BATCH): far fewer calls than per document
        if not pending:
            return
        for store, only_public in ((kb.vectors, False), (public_only, True)):
            if store is None:
                continue
            part = [p for p in pending if p[3] or not only_public]
            if part:
                store.upsert([i for p in part for i in p[0]], np.concatenate([p[1] for p in part]),
                             [m for p in part for m in p[2]])
        pending.clear()

    for d in range(first_doc, first_doc + max(1, n_chunks // PER_DOC)):
        doc_id = f"bench{d:05d}"
        access = "内部" if d % 10 in (3, 6, 9) else "公开"  # 70% 公开
        meta = {"title": f"基准文档{d}", "genre": GENRES[d % len(GENRES)], "access": access,
                "date": f"{2018 + d % 7}-01-01", "office": f"第{d % 9}局"}
        rows = []
        for i in range(PER_DOC):
            tokens = list(rng.choice(vocab, size=60, p=weights))
            text = "".join(tokens)
            rows.append(ChunkRow(f"{doc_id}-{i:04d}", doc_id, i, text, text, tokens, "一、测试", 0, len(text),
                                 "text", None))
        picks = topics[rng.integers(0, len(topics), PER_DOC)]
        vectors = picks + rng.normal(0, 0.5, picks.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        pending.append(([r.chunk_id for r in rows], vectors, [chunk_metadata(doc_id, meta)] * PER_DOC,
                        access == "公开"))
        if len(pending) * PER_DOC >= 5000:
            flush()
        record = DocRecord(doc_id, f"/bench/{doc_id}.txt", f"{doc_id}.txt", doc_id, 0, "txt", meta, PER_DOC, now())
        kb.manifest.replace_document(record, "", "utf-8", rows, None)
    flush()
    return kb, public_only, time.perf_counter() - started


def timed(runs: dict[str, Callable[[str], Any]], repeat: int) -> dict[str, dict[str, float]]:
    """p50/p95 of each runner. Interleaved query by query, so a burst of load on the shared machine falls on
    every configuration alike and the ratios hold even when the absolute figures move."""
    started = time.perf_counter()
    for q in QUERIES:
        for run in runs.values():
            run(q)  # warm: caches, the dense matrix, the HNSW index pages
    latencies: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for q in QUERIES:
            for name, run in runs.items():
                t = time.perf_counter()
                run(q)
                latencies[name].append((time.perf_counter() - t) * 1000)
    print(f"  {', '.join(runs)}: {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    out = {}
    for name, values in latencies.items():
        values.sort()
        out[name] = {"p50_ms": round(statistics.median(values), 2),
                     "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)], 2), "n": len(values)}
    return out


def ratios(figures: dict[str, dict[str, float]], base: str) -> dict[str, float]:
    return {name: round(f["p95_ms"] / figures[base]["p95_ms"], 2) for name, f in figures.items() if name != base}


def measure(n_chunks: int, vocab: list[str], repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="filtered-bench-") as tmp:
        kb, public_only, build_s = build(Path(tmp) / "data", n_chunks, vocab)
        assert public_only is not None
        print(f"{n_chunks} chunks built in {build_s:.1f}s", file=sys.stderr, flush=True)
        embed = FakeEmbedder().embed_query
        county = SearchFilters(access=["公开"])
        narrow = SearchFilters(access=["公开"], genre="答复函")
        one_doc = SearchFilters(access=["公开"], doc_ids=["bench00001"])
        store = kb.vectors
        assert isinstance(store, ChromaVectorStore)
        total = store.count()
        snapshot = kb._current()  # what kb.py holds in memory: the manifest's verdict per passage

        def passing(filters: SearchFilters) -> set[str]:
            return {cid for cid, ok in zip(snapshot.order, snapshot.allowed(filters), strict=True) if ok}

        public, narrow_ids, one_doc_ids = passing(county), passing(narrow), passing(one_doc)

        def chroma(where: dict[str, Any] | None) -> Callable[[str], Any]:
            return lambda q: store.collection.query(query_embeddings=[embed(q)], n_results=min(K_POOL, total), where=where,
                                              include=["distances"])

        vector_store = timed({
            "unfiltered": chroma(None),
            "county_chroma_where": chroma(chroma_where(county)),
            "county_overfetch_metadata": lambda q: store.query(embed(q), K_POOL, county),
            "county_overfetch_ids": lambda q: store.query(embed(q), K_POOL, county, admit=public.__contains__),
            "county_collection_per_class": lambda q: public_only.query(embed(q), K_POOL),
            "narrow_chroma_where": chroma(chroma_where(narrow)),
            "narrow_overfetch_ids": lambda q: store.query(embed(q), K_POOL, narrow, admit=narrow_ids.__contains__),
            "one_doc_chroma_where": chroma(chroma_where(one_doc)),
            "one_doc_overfetch_ids": lambda q: store.query(embed(q), K_POOL, one_doc, admit=one_doc_ids.__contains__),
        }, repeat)
        hybrid_exact = timed({
            "unfiltered": lambda q: kb.search(q, k=5),
            "county": lambda q: kb.search(q, k=5, filters=county),
            "narrow": lambda q: kb.search(q, k=5, filters=narrow),
            "one_doc": lambda q: kb.search(q, k=5, filters=one_doc),
        }, repeat)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        saved = kb_module.EXACT_SEARCH_MAX_CHUNKS
        kb_module.EXACT_SEARCH_MAX_CHUNKS = 0  # the pooled path kb.py takes above the exact threshold
        try:
            pooled = KnowledgeBase(kb.settings, embedder=FakeEmbedder())
            hybrid_pooled = timed({
                "unfiltered": lambda q: pooled.search(q, k=5),
                "county": lambda q: pooled.search(q, k=5, filters=county),
                "narrow": lambda q: pooled.search(q, k=5, filters=narrow),
                "one_doc": lambda q: pooled.search(q, k=5, filters=one_doc),
            }, repeat)
            pooled.close()
        finally:
            kb_module.EXACT_SEARCH_MAX_CHUNKS = saved
        public_only.close()
        kb.close()
    gc.collect()
    return {
        "chunks": total, "build_s": round(build_s, 1), "max_rss_mb": round(rss_mb),
        "vector_store_k200": vector_store, "vector_store_p95_vs_unfiltered": ratios(vector_store, "unfiltered"),
        "hybrid_exact": hybrid_exact, "hybrid_exact_p95_vs_unfiltered": ratios(hybrid_exact, "unfiltered"),
        "hybrid_pooled": hybrid_pooled, "hybrid_pooled_p95_vs_unfiltered": ratios(hybrid_pooled, "unfiltered"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "filtered_search.json")
    args = parser.parse_args()
    vocab = vocabulary()
    print(f"vocabulary: {len(vocab)} words", file=sys.stderr, flush=True)
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "queries": len(QUERIES), "repeat": args.repeat, "vocabulary": len(vocab),
        "sizes": [measure(int(n), vocab, args.repeat) for n in args.sizes.split(",")],
    }
    text = json.dumps(results, ensure_ascii=False, indent=2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
