"""The vector store: a small interface over chunk vectors, and its Chroma implementation.

The rest of the project speaks `VectorStore` and `SearchFilters`; only `ChromaVectorStore` knows Chroma's
client, its `where` format and its result shape. Chroma runs embedded under the data dir, or as a server when
ASSISTANT_CHROMA_URL is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings
from assistant.index.filters import SearchFilters
from assistant.index.lock import SharedAccess

BATCH = 1000
ACCESS_LOCK_NAME = "assistant-access.lock"  # beside Chroma's own files; see ChromaVectorStore
MAX_REOPENS = 5
# A filtered query first fetches OVERFETCH_FACTOR × k nearest of all vectors, at most OVERFETCH_MAX.
OVERFETCH_FACTOR = 3
OVERFETCH_MAX = 4000
CLOSED = "closed"
T = TypeVar("T")


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

    def close(self) -> None:
        """Release open files and memory; the store is not used afterwards."""

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None,
              admit: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """The `k` nearest chunks that pass `filters`, as (chunk id, cosine similarity), most similar first.
        `admit`, when given, is the caller's own verdict on a chunk id (kb.py: the manifest's filters, held in
        memory) and stands in for reading the stored metadata. Approximate (an HNSW index): the same query may
        meet a different near-tie order in another process."""

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of `ids` (those present), for exact scoring in the knowledge base."""


def open_vector_store(settings: Settings, collection: str) -> VectorStore:
    """The configured store for one collection (one per embedder: vectors of different models never mix)."""
    return ChromaVectorStore(collection, persist_path=settings.chroma_path, url=settings.chroma_url)


class ChromaVectorStore:
    """Chroma embedded under the data dir, or a Chroma server when `url` is given.

    Embedded Chroma keeps each collection's HNSW index in memory, loaded once per process, and another process
    writing the same files does not update that copy: a query that then meets ids the copy lacks fails with
    `InternalError: Error finding id` until the process restarts. So every embedded read and write goes
    through a SharedAccess lock next to the files (index/lock.py): reads share it, writes hold it alone and
    leave a new token. A read or write that finds a token other than the one its client last saw closes the
    client and opens a fresh one first, which loads what the other writer left; its own writes do not count.
    A read that still fails as stale (a writer that took no lock) reopens and retries once. A Chroma server
    needs none of this: it is the only process that touches its files.
    """

    def __init__(self, collection_name: str, persist_path: Path | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self._name = collection_name
        self._chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self._persist_path = persist_path
        self._access: SharedAccess | None = None
        self._system: Any = None
        self._token = ""
        self._opened = 0  # how many times a client was opened: a reopen happens once however many threads ask
        self._url = url or ""
        if url:
            parsed = urlparse(url)
            try:
                self.client: Any = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=self._chroma_settings,
                )
                self.client.heartbeat()
                self.collection = self._collection_of(self.client)
            except Exception as exc:
                # a 503 like any request while the server is away: the store is opened again on the next one
                from assistant.state.engine import StateUnavailable

                raise StateUnavailable(f"无法连接 Chroma 服务 {url}（向量库服务（Chroma）暂时无法访问），"
                                       f"请确认服务已启动后重试：{exc}") from exc
        else:
            assert persist_path is not None
            persist_path.mkdir(parents=True, exist_ok=True)
            self._access = SharedAccess(persist_path / ACCESS_LOCK_NAME)
            with self._access.exclusive() as token:
                self._open(token)

    # -- the embedded client: opened privately, reopened when another process wrote
    def _open(self, token: str) -> None:
        assert self._persist_path is not None
        self.client, self._system = _private_client(self._persist_path, self._chroma_settings)
        self.collection = self._collection_of(self.client)
        self._token = token
        self._opened += 1

    def _collection_of(self, client: Any) -> Any:
        return client.get_or_create_collection(
            self._name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def _reopen(self, opened: int) -> None:
        """Close the client opened `opened`-th and open a fresh one, unless another thread already did. Held
        exclusively, so no thread of this process is using the old client while it is stopped."""
        assert self._access is not None
        with self._access.exclusive() as token:
            if self._opened == opened:
                self._stop()
                self._open(token)

    def _stop(self) -> None:
        if self._system is not None:
            self._system.stop()
            self._system = None

    def close(self) -> None:
        """Release the embedded client's files and memory (a restore swaps the data directory)."""
        if self._access is None:
            return
        with self._access.exclusive():
            self._stop()
            self._token = CLOSED  # matches no token: a later use opens a fresh client

    def _read(self, op: Callable[[Any], T]) -> T:
        if self._access is None:
            with _server_errors(self._url):
                return op(self.collection)
        from chromadb.errors import InternalError  # chromadb takes a second to import: not at module load

        retried = False
        for _ in range(MAX_REOPENS):
            with self._access.reading() as token:
                opened = self._opened
                if token == self._token:
                    try:
                        return op(self.collection)
                    except InternalError:
                        if retried:
                            raise
                        retried = True
            self._reopen(opened)
        with self._access.reading():  # writers kept overtaking the reopens: answer from the newest client
            return op(self.collection)

    def _write(self, method: str, **arguments: Any) -> None:
        """collection.<method>(**arguments), holding the lock alone."""
        if self._access is None:
            with _server_errors(self._url):
                getattr(self.collection, method)(**arguments)
            return
        with self._access.writing() as (before, after):
            if self._token != before:  # a write, too, starts from everything written before it
                self._stop()
                self._open(before)
            getattr(self.collection, method)(**arguments)
            self._token = after  # its own write: the client holds it already

    # -- the VectorStore interface
    def count(self) -> int:
        return int(self._read(lambda collection: collection.count()))

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        for offset in range(0, len(ids), BATCH):
            part = slice(offset, offset + BATCH)
            self._write("upsert", ids=ids[part], embeddings=vectors[part], metadatas=metadatas[part])

    def delete_ids(self, ids: list[str]) -> None:
        for offset in range(0, len(ids), BATCH):
            self._write("delete", ids=ids[offset : offset + BATCH])

    def update_metadata(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        for offset in range(0, len(ids), BATCH):
            part = slice(offset, offset + BATCH)
            self._write("update", ids=ids[part], metadatas=metadatas[part])

    def delete_doc(self, doc_id: str) -> None:
        self._write("delete", where={"doc_id": doc_id})

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            batch = self._read(partial(_page, offset=offset))
            ids.update(batch["ids"])
            if len(batch["ids"]) < 5000:
                return ids
            offset += 5000

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None,
              admit: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """A filtered query over-fetches from the whole graph and keeps what passes, widening the fetch by the
        share admitted so far; only a filter that admits too little for that (OVERFETCH_MAX) falls back to
        Chroma's `where`, which reads the metadata of every row it admits before searching (0.6 s for a 公开
        filter at 100k chunks). What passes is decided by `admit` when given (ids and distances are all that is
        fetched), else by `filters.accepts` on the fetched metadata (slower: Chroma reads it row by row).
        bench/filtered_search.py measures the three."""
        where = chroma_where(filters)
        if (where is None or filters is None) and admit is None:
            return self._nearest(vector, k, None)
        fetch = OVERFETCH_FACTOR * k
        while True:
            if admit is not None:
                found, total = self._nearest_ids(vector, fetch)
                kept = [(cid, score) for cid, score in found if admit(cid)]
            else:
                assert filters is not None
                with_meta, total = self._nearest_with_metadata(vector, fetch)
                found = [(cid, score) for cid, score, _ in with_meta]
                kept = [(cid, score) for cid, score, meta in with_meta if filters.accepts(meta or {})]
            if len(kept) >= k or len(found) >= total:
                return kept[:k]
            wanted = int(k * len(found) / len(kept) * 1.5) if kept else fetch * OVERFETCH_FACTOR
            if wanted > OVERFETCH_MAX:
                hits = self._nearest(vector, k, where)
                return [(cid, score) for cid, score in hits if admit is None or admit(cid)]
            fetch = max(wanted, fetch * 2)

    def _nearest_ids(self, vector: np.ndarray, k: int) -> tuple[list[tuple[str, float]], int]:
        """The `k` nearest of all vectors, and how many vectors there are."""
        attempts = [0 if self._access is not None else 1]  # a server's index is never stale this way

        def nearest(collection: Any) -> tuple[Any, int]:
            total = int(collection.count())
            if total == 0:
                return None, 0
            result = collection.query(query_embeddings=[vector], n_results=min(k, total), include=["distances"])
            _check_fresh(len(result["ids"][0]), min(k, total), attempts)
            return result, total

        result, total = self._read(nearest)
        if result is None:
            return [], 0
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)], total

    def _nearest(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        attempts = [0 if self._access is not None else 1]  # a server's index is never stale this way

        def nearest(collection: Any) -> Any:
            total = int(collection.count())
            if total == 0:
                return None
            result = collection.query(query_embeddings=[vector], n_results=min(k, total), where=where,
                                      include=["distances"])
            if where is None:
                _check_fresh(len(result["ids"][0]), min(k, total), attempts)
            return result

        result = self._read(nearest)
        if result is None:
            return []
        ids = result["ids"][0]
        distances = (result.get("distances") or [[0.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def _nearest_with_metadata(self, vector: np.ndarray, k: int
                               ) -> tuple[list[tuple[str, float, dict[str, Any] | None]], int]:
        """The `k` nearest of all vectors with their metadata, and how many vectors there are."""
        attempts = [0 if self._access is not None else 1]  # a server's index is never stale this way

        def nearest(collection: Any) -> tuple[Any, int]:
            total = int(collection.count())
            if total == 0:
                return None, 0
            result = collection.query(query_embeddings=[vector], n_results=min(k, total),
                                      include=["distances", "metadatas"])
            _check_fresh(len(result["ids"][0]), min(k, total), attempts)
            return result, total

        result, total = self._read(nearest)
        if result is None:
            return [], 0
        rows = zip(result["ids"][0], result["distances"][0], result["metadatas"][0], strict=True)
        return [(i, 1.0 - float(d), m) for i, d, m in rows], total

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for offset in range(0, len(ids), BATCH):
            part = ids[offset : offset + BATCH]
            batch = self._read(partial(_stored, ids=part))
            for chunk_id, vector in zip(batch["ids"], batch["embeddings"], strict=True):
                out[chunk_id] = np.asarray(vector, dtype=np.float32)
        return out


class ScratchChroma:
    """A throwaway in-memory Chroma collection with default HNSW settings, for the evaluation's naive baseline
    (index/evaluate.py): what a first tutorial builds. One indexing thread, so the graph, and the answers, are
    the same in every run."""

    def __init__(self, name: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        if name in [c.name for c in client.list_collections()]:
            client.delete_collection(name)
        self.collection = client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine", "num_threads": 1}})

    def add(self, ids: list[str], vectors: np.ndarray) -> None:
        for offset in range(0, len(ids), BATCH):
            self.collection.add(ids=ids[offset : offset + BATCH], embeddings=vectors[offset : offset + BATCH])

    def query(self, vector: np.ndarray, k: int) -> list[str]:
        total = int(self.collection.count())
        if total == 0:
            return []
        result = self.collection.query(query_embeddings=[vector], n_results=min(k, total), include=[])
        return list(result["ids"][0])


@contextmanager
def _server_errors(url: str) -> Iterator[None]:
    """A Chroma server that went away (or timed out) as a Chinese 503 (StateUnavailable); the HTTP client connects
    again on the next request, so nothing needs a restart once the server is back."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        from assistant.state.engine import StateUnavailable

        raise StateUnavailable(f"向量库服务（Chroma，{url}）暂时无法访问，请稍后重试（{type(exc).__name__}）。") from exc


def _check_fresh(found: int, expected: int, attempts: list[int]) -> None:
    """An unfiltered query that finds fewer vectors than the collection counts ran on an in-memory index that
    misses another process's writes (one that took no lock): raised as the InternalError a filtered query meets
    then, so `_read` reopens and asks again, once; the second answer is taken as it is."""
    attempts[0] += 1
    if found < expected and attempts[0] == 1:
        from chromadb.errors import InternalError

        raise InternalError(f"index holds fewer vectors ({found}) than the collection counts ({expected})")


def _stored(collection: Any, ids: list[str]) -> Any:
    return collection.get(ids=ids, include=["embeddings"])


def _page(collection: Any, offset: int) -> Any:
    return collection.get(include=[], limit=5000, offset=offset)


_OPEN_LOCK = threading.Lock()


def _private_client(path: Path, settings: Any) -> tuple[Any, Any]:
    """A PersistentClient with a System (Rust bindings, HNSW indexes in memory) of its own, and that System.

    chromadb keeps one System per path for the whole process (SharedSystemClient's cache) and hands it to
    every client of that path, so closing and creating a client would get the same stale one back. The
    System is taken out of the cache right after it is built (any other client's System for the path is set
    aside meanwhile and put back): the store owns it, stops it on reopen or close, and the next open builds
    a fresh one. chromadb 1.x keeps the cache in SharedSystemClient._identifier_to_system/_refcount.
    """
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient as Shared

    key = str(path)
    with _OPEN_LOCK:
        others = Shared._identifier_to_system.pop(key, None), Shared._identifier_to_refcount.pop(key, None)
        try:
            client = chromadb.PersistentClient(path=key, settings=settings)
        finally:
            system = Shared._identifier_to_system.pop(key, None)
            Shared._identifier_to_refcount.pop(key, None)
            if others[0] is not None:
                Shared._identifier_to_system[key] = others[0]
            if others[1] is not None:
                Shared._identifier_to_refcount[key] = others[1]
    return client, system


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
