"""Embedded-mode `ask` latency over the development question set, with its parts measured in the same run.

For every question of tests/eval/ask/dev.tsv (145 questions: figures, ledgers, policy, definitions, off-topic):
the semantic router alone, a plain knowledge-base search of the question alone (the alternative: what a bare
retrieval call costs on the same index), and the whole grounded `ask`. Warm: the models, the router's example
vectors and the glossary are loaded before timing. Quality is measured by `assistant eval ask`, not here.
Usage: python bench/ask_bench.py   (uses ASSISTANT_DATA_DIR; run `make ingest demo-data` first)
Target (issue 12): grounded ask p95 ≤ 300 ms warm on 2 cores.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from assistant.answer.engine import Assistant
from assistant.config import get_settings

ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    with (ROOT / "tests" / "eval" / "ask" / "dev.tsv").open(encoding="utf-8") as fh:
        return [r[2] for r in csv.reader(fh, delimiter="\t")][1:]


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1)}


def main() -> None:
    assistant = Assistant(get_settings())
    for warm in ("项目管家是什么？", "汉阴县一季度外资完成进度？", "什么是一图五库？"):
        assistant.ask(warm)
    qs = questions()
    route = [timed(lambda q=q: assistant.router.scores(q)) for q in qs]
    search = [timed(lambda q=q: assistant.kb.search(q, k=5)) for q in qs]
    ask = [timed(lambda q=q: assistant.ask(q)) for q in qs]
    result = {"questions": len(qs), "router": summary(route), "plain_search": summary(search), "ask": summary(ask)}
    result["ask_p95_over_plain_search_p95"] = round(result["ask"]["p95_ms"] / result["plain_search"]["p95_ms"], 2)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
