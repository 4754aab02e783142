"""Chroma vector store: PersistentClient under the data dir, or HttpClient when ASSISTANT_CHROMA_URL is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import AssistantError


class VectorStore:
    def __init__(self, collection_name: str, persist_path: Path | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url)
            try:
                self.client: Any = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                self.client.heartbeat()
            except Exception as exc:
                raise AssistantError(f"无法连接 Chroma 服务 {url}：{exc}") from exc
        else:
            assert persist_path is not None
            persist_path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(persist_path), settings=chroma_settings)
        self.collection = self.client.get_or_create_collection(
            collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def count(self) -> int:
        return int(self.collection.count())

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        for offset in range(0, len(ids), 1000):
            self.collection.upsert(
                ids=ids[offset : offset + 1000],
                embeddings=vectors[offset : offset + 1000],
                metadatas=metadatas[offset : offset + 1000],
            )

    def delete_ids(self, ids: list[str]) -> None:
        for offset in range(0, len(ids), 1000):
            self.collection.delete(ids=ids[offset : offset + 1000])

    def delete_doc(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            batch = self.collection.get(include=[], limit=5000, offset=offset)
            ids.update(batch["ids"])
            if len(batch["ids"]) < 5000:
                return ids
            offset += 5000

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        total = self.count()
        if total == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=min(n, total), where=where or None, include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[0.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]
