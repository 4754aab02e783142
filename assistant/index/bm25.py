"""BM25 (bm25s) over the jieba tokens stored in the manifest, saved under the data dir with a generation stamp."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import bm25s
import numpy as np


class BM25Index:
    def __init__(self, retriever: bm25s.BM25 | None, chunk_ids: list[str]) -> None:
        self.retriever = retriever
        self.chunk_ids = chunk_ids

    @classmethod
    def build(cls, chunk_ids: list[str], tokens: list[list[str]]) -> BM25Index:
        if not chunk_ids:
            return cls(None, [])
        # bm25s cannot index an empty document; a placeholder token keeps positions aligned.
        corpus = [t if t else ["\u2205"] for t in tokens]
        # Chunks carry their title and section path, so length normalisation is softened (b=0.5).
        retriever = bm25s.BM25(k1=1.2, b=0.5)
        retriever.index(corpus, show_progress=False)
        return cls(retriever, chunk_ids)

    def knows(self, token: str) -> bool:
        """Whether some passage of the index contains this token."""
        return self.retriever is not None and token in self.retriever.vocab_dict

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if self.retriever is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in query_tokens if t in self.retriever.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

    def save(self, path: Path, generation: int) -> None:
        """Write beside `path`, then swap it in. Another process may save the same generation at the same time
        (a server refreshing while a CLI ingest finishes): the scratch names are per process and thread."""
        scratch = f"{os.getpid()}-{threading.get_ident()}"
        tmp = path.with_name(f"{path.name}.tmp-{scratch}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.retriever is not None:
            self.retriever.save(str(tmp / "bm25s"))
        (tmp / "stamp.json").write_text(
            json.dumps({"generation": generation, "chunk_ids": self.chunk_ids}), encoding="utf-8"
        )
        old = path.with_name(f"{path.name}.old-{scratch}")
        shutil.rmtree(old, ignore_errors=True)
        try:
            if path.exists():
                path.rename(old)
            tmp.rename(path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, path: Path, generation: int) -> BM25Index | None:
        """The index saved for `generation`, or None (absent, older, unreadable, or swapped by another process's
        save while it was being read: then the stamp and the files may be of different saves)."""
        stamp_file = path / "stamp.json"
        try:
            before = path.stat().st_ino
            stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
            if stamp.get("generation") != generation:
                return None
            chunk_ids = list(stamp["chunk_ids"])
            retriever = bm25s.BM25.load(str(path / "bm25s")) if chunk_ids else None
            if path.stat().st_ino != before:
                return None
        except Exception:  # half-written or swapped files: the caller rebuilds from the manifest
            return None
        return cls(retriever, chunk_ids)
