"""Filtered search above EXACT_SEARCH_MAX_CHUNKS (issue 18, item 3), on the path kb.py really takes there.

Above 100,000 passages kb.py no longer holds every stored vector: unfiltered and broad filters (公开, 70% of
documents) take the vector store's approximate pool, over-fetched and rescored exactly; a filter that keeps at
most NARROW_MAX_CHUNKS passages (one genre, one document) is scored exactly over just those, their vectors
cached per process. Before that path, a narrow filter over-fetched until it gave up and fell back to Chroma's
`where` scan; that is timed in the same run (NARROW_MAX_CHUNKS = 0) for comparison.

The archive is bench/filtered_search.py's (words from the demo corpus, fake deterministic vectors, real Chroma,
real BM25 and fusion), built once into --data-dir and reused (building 110k passages takes 20 minutes on a
loaded two-core machine). Warm figures, interleaved query by query; the first narrow query of a fresh process
(vectors not yet cached) is reported apart as `cold`.

Usage: python bench/narrow_filters.py --data-dir /tmp/archive [--chunks 110000] [--repeat 3]
Target: filtered hybrid p95 ≤ 1.5 × unfiltered and ≤ 100 ms warm.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from filtered_search import QUERIES, FakeEmbedder, build, ratios, vocabulary  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.index import kb as kb_module  # noqa: E402
from assistant.index.filters import SearchFilters  # noqa: E402
from assistant.index.kb import KnowledgeBase  # noqa: E402

PER_DOC = 100


def timed(runs: dict[str, Callable[[str], Any]], repeat: int) -> dict[str, dict[str, float]]:
    """Wall and process CPU p50/p95 of each runner, interleaved query by query (a burst of load on the shared
    machine falls on every configuration alike). CPU time is what the search itself costs: on a loaded machine
    the wall time adds the wait for a core."""
    for q in QUERIES:
        for run in runs.values():
            run(q)  # warm
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for q in QUERIES:
            for name, run in runs.items():
                t, c = time.perf_counter(), time.process_time()
                run(q)
                cpu[name].append((time.process_time() - c) * 1000)
                wall[name].append((time.perf_counter() - t) * 1000)

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return round(ordered[max(0, math.ceil(len(ordered) * p) - 1)], 1)

    return {name: {"p50_ms": pct(wall[name], 0.5), "p95_ms": pct(wall[name], 0.95),
                   "cpu_p50_ms": pct(cpu[name], 0.5), "cpu_p95_ms": pct(cpu[name], 0.95), "n": len(wall[name])}
            for name in runs}


def archive(data_dir: Path, chunks: int) -> KnowledgeBase:
    """The archive in `data_dir`, topped up to `chunks` passages."""
    kb = KnowledgeBase(Settings(data_dir=data_dir), embedder=FakeEmbedder())
    have = len(kb.manifest.documents()) * PER_DOC
    if have < chunks:
        kb.close()
        kb, _, seconds = build(data_dir, chunks - have, vocabulary(), per_class=False, first_doc=have // PER_DOC)
        print(f"added {chunks - have} passages in {seconds:.0f}s", file=sys.stderr, flush=True)
    return kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--chunks", type=int, default=110_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "narrow_filters.json")
    args = parser.parse_args()
    kb = archive(args.data_dir, args.chunks)
    kb.close()
    filters = {
        "county": SearchFilters(access=["公开"]),
        "narrow": SearchFilters(access=["公开"], genre="答复函"),
        "one_doc": SearchFilters(access=["公开"], doc_ids=["bench00001"]),
    }
    kb = KnowledgeBase(Settings(data_dir=args.data_dir), embedder=FakeEmbedder())
    snapshot = kb._current()
    kept = {name: int(snapshot.allowed(f).sum()) for name, f in filters.items()}
    assert not snapshot.exact, "the archive must be above EXACT_SEARCH_MAX_CHUNKS"
    started = time.perf_counter()
    kb.search(QUERIES[0], k=5, filters=filters["narrow"])
    cold_ms = (time.perf_counter() - started) * 1000

    def filtered(f: SearchFilters) -> Any:
        return lambda q: kb.search(q, k=5, filters=f)

    def overfetch_only(name: str) -> Any:
        def run(q: str) -> Any:
            kb_module.NARROW_MAX_CHUNKS = 0
            try:
                return kb.search(q, k=5, filters=filters[name])
            finally:
                kb_module.NARROW_MAX_CHUNKS = narrow_max
        return run

    narrow_max = kb_module.NARROW_MAX_CHUNKS
    load_before = os.getloadavg()
    runs = {"unfiltered": lambda q: kb.search(q, k=5)}
    runs.update({name: filtered(f) for name, f in filters.items()})
    runs.update({f"{name}_overfetch_only": overfetch_only(name) for name in ("narrow", "one_doc")})
    figures = timed(runs, args.repeat)
    results = {
        "chunks": len(snapshot.order), "passages_kept": kept, "narrow_max_chunks": narrow_max,
        "queries": len(QUERIES), "repeat": args.repeat, "cold_first_narrow_ms": round(cold_ms),
        "hybrid": figures, "p95_vs_unfiltered": ratios(figures, "unfiltered"),
        "cpu_p95_vs_unfiltered": {name: round(f["cpu_p95_ms"] / figures["unfiltered"]["cpu_p95_ms"], 2)
                                  for name, f in figures.items() if name != "unfiltered"},
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    kb.close()
    text = json.dumps(results, ensure_ascii=False, indent=2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
