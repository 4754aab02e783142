"""Warm `search` latency over 10,000 chunks.

The 10,000 chunks are generated from the demo corpus's sentences (recombined, each chunk unique). Embedding
3.8 M characters would take ~40 min on 2 cores, so 300 distinct texts are embedded with the real embedder and
every chunk's vector is one of those plus small Gaussian noise (renormalised): the HNSW graph, BM25 index and
the query path are real and of realistic size; only the vector values are synthetic.
Usage: python bench/search_bench.py [N_CHUNKS]   Target (issue 2): p50 ≤ 50 ms on 2 cores.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.index.ingest import collect_files
from assistant.index.kb import KnowledgeBase, chunk_metadata
from assistant.index.manifest import ChunkRow, DocRecord, now
from assistant.index.tokenize import tokenize

QUERIES = [
    "项目管家是什么", "汉阴县一季度外商直接投资", "下一步如何补齐外资短板", "序时进度怎么计算",
    "一图五库两机制", "资金到位率", "链长制", "招大引强的措施", "外资统计口径", "推介会签约金额",
]


def main() -> None:
    n_chunks = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    files, _ = collect_files([Path("corpus")])
    sentences: list[str] = []
    for f in files:
        if f.suffix in (".txt", ".md"):
            text = f.read_bytes().decode("utf-8", errors="ignore")
            sentences += [s for s in re.split(r"(?<=[。；！？])", text) if 15 <= len(s) <= 150]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        kb = KnowledgeBase(settings)
        np_rng = np.random.default_rng(7)
        pool_texts = ["".join(rng.sample(sentences, 3))[:380] for _ in range(300)]
        pool = kb.embedder.embed_documents(pool_texts)
        per_doc = 100
        t0 = time.perf_counter()
        for d in range(n_chunks // per_doc):
            doc_id = f"bench{d:05d}"
            rows = []
            for i in range(per_doc):
                text = "".join(rng.sample(sentences, 3))[:380]
                rows.append(ChunkRow(f"{doc_id}-{i:04d}", doc_id, i, text, text, tokenize(text), "一、测试", 0, len(text), "text", None))
            meta = {"title": f"基准文档{d}", "genre": "报告", "access": "公开", "date": "2023-01-01"}
            record = DocRecord(doc_id, f"/bench/{doc_id}.txt", f"{doc_id}.txt", doc_id, 0, "txt", meta, len(rows), now())
            picks = pool[np_rng.integers(0, len(pool), len(rows))]
            vectors = picks + np_rng.normal(0, 0.03, picks.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            kb.vectors.upsert([r.chunk_id for r in rows], vectors, [chunk_metadata(doc_id, meta)] * len(rows))
            kb.manifest.replace_document(record, "", "utf-8", rows, None)
        build = time.perf_counter() - t0
        kb.refresh()
        for q in QUERIES:
            kb.search(q, k=5)  # warm
        latencies = []
        for _ in range(20):
            for q in QUERIES:
                t = time.perf_counter()
                kb.search(q, k=5)
                latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        print(json.dumps({
            "chunks": kb.manifest.stats()[1],
            "build_s": round(build, 1),
            "queries": len(latencies),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
            "max_ms": round(latencies[-1], 1),
        }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
