"""Ingest CPU per character against embedding the same text alone (issue 14, item 6), in one run.

1. `assistant.index.ingest.ingest` of CORPUS into a fresh data directory, with each step's CPU time recorded
   (the steps are the library's own functions, wrapped here for timing: load, cleanup, 公文 metadata, chunking,
   jieba tokens, embedding, vector store writes, manifest writes, and the rest: BM25 build, file hashing, locks).
2. A fresh embedder of the same kind embeds exactly the texts ingest embedded (each passage's embed_text), one
   call per document as ingest makes them.

Also reported: characters embedded per character of cleaned document text (each passage is embedded with its
title and section path, so ingest embeds more characters than the documents hold).

CPU time is the process's (all threads: the embedder's OpenMP workers included), so other work on the machine
does not count, though it still slows both runs alike through shared caches. Model loading is counted in
neither: both embedders are warmed up on one text first.

    .venv/bin/python bench/ingest_cost.py [CORPUS] [--max-files N] [--out bench/results/ingest_cost.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.index import ingest as ingest_module  # noqa: E402
from assistant.index.embedders import make_embedder  # noqa: E402
from assistant.index.kb import KnowledgeBase  # noqa: E402

STEPS = {  # names in assistant.index.ingest that ingest calls, timed as steps
    "load_file": "读取文件",
    "clean": "清理（断行、页眉页码、表格）",
    "extract_metadata": "公文元数据",
    "markings_of": "公开属性标注",
    "chunk_document": "分段",
    "tokenize": "jieba 分词（BM25）",
}


class Clock:
    """CPU seconds per step; nested steps are charged to the innermost one only."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([time.process_time(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                started, inner = self._stack.pop()
                spent = time.process_time() - started
                self.cpu[name] += spent - inner
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


def run(corpus: Path, max_files: int) -> dict[str, Any]:
    files, _ = ingest_module.collect_files([corpus])
    files = files[:max_files] if max_files else files
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus"
        source.mkdir()
        for f in files:
            (source / f.name).write_bytes(f.read_bytes())
        clock = Clock()
        originals = {name: getattr(ingest_module, name) for name in STEPS}
        for name, fn in originals.items():
            setattr(ingest_module, name, clock.wrap(name, fn))
        settings = Settings(data_dir=Path(tmp) / "data")
        kb = KnowledgeBase(settings)
        embedder = kb.embedder
        embedder.embed_documents(["预热"])
        texts_per_doc: list[list[str]] = []
        embed = clock.wrap("embed", embedder.embed_documents)

        def recording(texts: list[str]) -> Any:
            texts_per_doc.append(list(texts))
            return embed(texts)

        embedder.embed_documents = recording  # type: ignore[method-assign]
        vectors = kb.vectors
        vectors.upsert = clock.wrap("vectors", vectors.upsert)  # type: ignore[method-assign]
        kb.manifest.replace_document = clock.wrap("manifest", kb.manifest.replace_document)  # type: ignore[method-assign]
        kb.refresh = clock.wrap("refresh", kb.refresh)  # type: ignore[method-assign]
        try:
            started = time.process_time()
            report = ingest_module.ingest(kb, [source])
            ingest_cpu = time.process_time() - started
            document_chars = sum(len(kb.manifest.document_text(d.doc_id)) for d in kb.manifest.documents())
        finally:
            for name, fn in originals.items():
                setattr(ingest_module, name, fn)
            kb.close()
        if report.failed:
            print(report.summary(), file=sys.stderr)

        alone = make_embedder(settings.embedder, settings.embedder_query_prefix)
        alone.embed_documents(["预热"])
        started = time.process_time()
        for texts in texts_per_doc:
            alone.embed_documents(texts)
        embed_cpu = time.process_time() - started

    chars = sum(len(t) for texts in texts_per_doc for t in texts)
    steps = {name: round(clock.cpu.get(name, 0.0), 2) for name in [*STEPS, "embed", "vectors", "manifest", "refresh"]}
    steps["other"] = round(ingest_cpu - sum(clock.cpu.values()), 2)
    return {
        "corpus": str(corpus), "files": len(files), "passages": report.chunks_written, "chars_embedded": chars,
        "ingest_cpu_s": round(ingest_cpu, 2), "embed_alone_cpu_s": round(embed_cpu, 2),
        "ingest_cpu_ms_per_1000_chars": round(1000 * 1000 * ingest_cpu / max(1, chars), 1),
        "embed_alone_cpu_ms_per_1000_chars": round(1000 * 1000 * embed_cpu / max(1, chars), 1),
        "ratio": round(ingest_cpu / embed_cpu, 3) if embed_cpu else None,
        # what a passage's context (title ｜ section) adds: characters embedded per character of cleaned text
        "document_chars": document_chars, "embedded_per_document_char": round(chars / max(1, document_chars), 3),
        "steps_cpu_s": steps,
        "step_labels": {**STEPS, "embed": "嵌入（入库时）", "vectors": "向量库写入（Chroma）", "manifest": "清单写入（SQLite）",
                        "refresh": "BM25 建立与快照", "other": "其余（文件哈希、锁、对账）"},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--max-files", type=int, default=0, help="only the first N files (0: all)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.corpus, args.max_files)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
