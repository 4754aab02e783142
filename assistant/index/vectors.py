"""The vector store: a small interface over chunk vectors, and its Chroma implementation.

The rest of the project speaks `VectorStore` and `SearchFilters`; only `ChromaVectorStore` knows Chroma's
client, its `where` format and its result shape. Chroma runs embedded under the data dir, or as a server when
ASSISTANT_CHROMA_URL is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.filters import SearchFilters

BATCH = 1000


class VectorStore(Protocol):
    """Chunk vectors keyed by chunk id, each with the metadata that filters match on (kb.chunk_metadata:
    doc_id, genre, office, access, year)."""

    def count(self) -> int: ...

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        """Add vectors, replacing any stored under the same ids."""

    def delete_ids(self, ids: list[str]) -> None: ...

    def update_metadata(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        """Replace the metadata of stored vectors (a document reclassified), leaving the vectors as they are."""

    def delete_doc(self, doc_id: str) -> None:
        """Remove every vector of one document."""

    def all_ids(self) -> set[str]: ...

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        """The `k` nearest chunks that pass `filters`, as (chunk id, cosine similarity), most similar first."""


def open_vector_store(settings: Settings, collection: str) -> VectorStore:
    """The configured store for one collection (one per embedder: vectors of different models never mix)."""
    return ChromaVectorStore(collection, persist_path=settings.chroma_path, url=settings.chroma_url)


class ChromaVectorStore:
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
        for offset in range(0, len(ids), BATCH):
            self.collection.upsert(
                ids=ids[offset : offset + BATCH],
                embeddings=vectors[offset : offset + BATCH],
                metadatas=metadatas[offset : offset + BATCH],
            )

    def delete_ids(self, ids: list[str]) -> None:
        for offset in range(0, len(ids), BATCH):
            self.collection.delete(ids=ids[offset : offset + BATCH])

    def update_metadata(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        for offset in range(0, len(ids), BATCH):
            self.collection.update(ids=ids[offset : offset + BATCH], metadatas=metadatas[offset : offset + BATCH])

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

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        total = self.count()
        if total == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=min(k, total), where=chroma_where(filters), include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[0.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """SearchFilters in Chroma's `where` format; must admit exactly what SearchFilters.accepts admits."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.genre:
        clauses.append({"genre": filters.genre})
    if filters.year:
        clauses.append({"year": int(filters.year)})
    if filters.office:
        clauses.append({"office": filters.office})
    if filters.access is not None:  # an empty list admits nothing, never everything
        clauses.append({"access": {"$in": list(filters.access) or ["-"]}})
    if filters.doc_ids is not None:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids) or ["-"]}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
