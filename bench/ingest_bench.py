"""Ingest throughput vs the raw embedder, and re-ingest speed-up on an unchanged corpus.

Usage: python bench/ingest_bench.py [CORPUS_DIR]   (default: corpus/)
Targets (issue 2): ingest throughput ≥ 85% of the raw embedder's; unchanged re-ingest ≥ 50× faster.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.index.ingest import collect_files, file_hash, ingest, prepare
from assistant.index.kb import KnowledgeBase


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        kb = KnowledgeBase(settings)
        files, _ = collect_files([corpus])
        texts = []
        for f in files:
            try:
                texts += [c.embed_text for c in prepare(f, file_hash(f), 400, 50 << 20).chunks]
            except Exception:
                continue
        chars = sum(map(len, texts))
        embedder = kb.embedder
        embedder.embed_documents(texts[:4])  # warm up
        t0 = time.perf_counter()
        for doc_start in range(0, len(texts), 32):
            embedder.embed_documents(texts[doc_start : doc_start + 32])
        raw_seconds = time.perf_counter() - t0
        raw_rate = chars / raw_seconds

        t0 = time.perf_counter()
        report = ingest(kb, [corpus])
        first = time.perf_counter() - t0
        ingest_rate = report.chars_embedded / first
        kb.close()

        # A fresh process-like start: new KnowledgeBase, nothing loaded.
        kb2 = KnowledgeBase(settings)
        t0 = time.perf_counter()
        again = ingest(kb2, [corpus])
        second = time.perf_counter() - t0
        result = {
            "files": len(files),
            "chunks": report.chunks_written,
            "chars_embedded": report.chars_embedded,
            "raw_embedder_chars_per_s": round(raw_rate),
            "ingest_chars_per_s": round(ingest_rate),
            "ingest_vs_raw": round(ingest_rate / raw_rate, 3),
            "first_ingest_s": round(first, 2),
            "unchanged_reingest_s": round(second, 3),
            "reingest_speedup": round(first / second, 1),
            "unchanged_files": len(again.unchanged),
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
