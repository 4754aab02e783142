"""Embedded-mode `ask` over the demo knowledge base: latency and answer quality.

Figure questions (tests/eval/figures.tsv) must contain the exact figure with provenance; policy questions
(tests/eval/dev.tsv) should contain the key fact with a citation; no answer may carry an untraced number.
Usage: python bench/ask_bench.py   (uses ASSISTANT_DATA_DIR; run `make ingest demo-data` first)
Target (issue 4): p95 ≤ 300 ms warm on 2 cores.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from pathlib import Path

from assistant.answer.engine import Assistant
from assistant.config import get_settings

ROOT = Path(__file__).resolve().parent.parent


def rows(name: str) -> list[list[str]]:
    with (ROOT / "tests" / "eval" / name).open(encoding="utf-8") as fh:
        return [r for r in csv.reader(fh, delimiter="\t")][1:]


def main() -> None:
    assistant = Assistant(get_settings())
    assistant.ask("项目管家是什么？")  # warm
    latencies: list[float] = []
    untraced = 0
    figure_ok = 0
    figure_rows = rows("figures.tsv")
    for question, expected in figure_rows:
        t = time.perf_counter()
        answer = assistant.ask(question)
        latencies.append((time.perf_counter() - t) * 1000)
        untraced += len(answer.flagged_numbers)
        if expected in answer.answer and answer.figures and all(f.provenance.row_ids for f in answer.figures):
            figure_ok += 1
        else:
            print("figure miss:", question, "→", answer.answer[:120].replace("\n", " "))
    policy_rows = rows("dev.tsv")
    in_answer = in_citation = 0
    for question, _doc, key in policy_rows:
        t = time.perf_counter()
        answer = assistant.ask(question)
        latencies.append((time.perf_counter() - t) * 1000)
        untraced += len(answer.flagged_numbers)
        cited = any(key in c.passage for c in answer.citations)
        in_citation += cited
        in_answer += cited and key in answer.answer
    latencies.sort()
    print(json.dumps({
        "questions": len(latencies),
        "figure_questions_exact_with_provenance": f"{figure_ok}/{len(figure_rows)}",
        "policy_key_fact_in_answer_with_citation": round(in_answer / len(policy_rows), 3),
        "policy_key_fact_in_cited_passage": round(in_citation / len(policy_rows), 3),
        "untraced_numbers": untraced,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
