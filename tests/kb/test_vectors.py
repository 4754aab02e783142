"""The vector store behind its interface, on a real Chroma in tmp_path: filters admit exactly what the BM25
side admits, so a user never gets from one retriever what the other withholds; a store open in one process
(a server) keeps working while another process (a CLI ingest) writes the same files."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index.filters import SearchFilters
from assistant.index.vectors import VectorStore, open_vector_store

ROOT = Path(__file__).resolve().parents[2]
CHUNKS = {  # chunk id → metadata as kb.chunk_metadata writes it
    "a-0": {"doc_id": "a", "genre": "答复函", "office": "市招商局", "access": "公开", "year": 2023},
    "a-1": {"doc_id": "a", "genre": "答复函", "office": "市招商局", "access": "公开", "year": 2023},
    "b-0": {"doc_id": "b", "genre": "报告", "office": "市招商局", "access": "内部", "year": 2023},
    "c-0": {"doc_id": "c", "genre": "报告", "office": "市发改委", "access": "公开", "year": 2022},
}


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    vectors = open_vector_store(Settings(data_dir=tmp_path), "chunks-test")
    ids = list(CHUNKS)
    # Unit vectors at growing angles from the query direction [1, 0]: a-0 nearest, c-0 farthest.
    angles = np.linspace(0.1, 1.2, len(ids))
    vectors.upsert(ids, np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32),
                   [dict(CHUNKS[i]) for i in ids])
    return vectors


QUERY = np.array([1.0, 0.0], dtype=np.float32)


def test_query_ranks_by_similarity_and_counts_and_deletes(store: VectorStore) -> None:
    ranked = store.query(QUERY, 10)
    assert [cid for cid, _ in ranked] == ["a-0", "a-1", "b-0", "c-0"]
    assert ranked[0][1] == pytest.approx(np.cos(0.1), abs=1e-4) and ranked[0][1] > ranked[-1][1]
    assert [cid for cid, _ in store.query(QUERY, 2)] == ["a-0", "a-1"]
    assert store.count() == 4 and store.all_ids() == set(CHUNKS)

    store.delete_doc("a")
    assert store.all_ids() == {"b-0", "c-0"}
    store.delete_ids(["c-0"])
    assert [cid for cid, _ in store.query(QUERY, 10)] == ["b-0"]


def test_vector_filters_admit_exactly_what_the_keyword_side_admits(store: VectorStore) -> None:
    """Every combination, including the empty lists of a user cleared for nothing (nothing, never everything)."""
    for genre, year, office, access, doc_ids in itertools.product(
        [None, "报告"], [None, 2022, 2023], [None, "市招商局"], [None, ["公开"], ["内部"], [], ["公开", "内部"]],
        [None, [], ["b", "c"]],
    ):
        filters = SearchFilters(genre=genre, year=year, office=office, access=access, doc_ids=doc_ids)
        expected = {cid for cid, meta in CHUNKS.items() if filters.accepts(meta)}
        assert {cid for cid, _ in store.query(QUERY, 10, filters)} == expected, filters


def test_a_callers_verdict_decides_what_a_query_returns(store: VectorStore) -> None:
    """kb.py passes the manifest's verdict (`admit`): only admitted ids come back, nearest first, however few
    pass (the fetch widens, then falls back to Chroma's own filter), and none when none pass."""
    assert [cid for cid, _ in store.query(QUERY, 2, admit=lambda cid: cid != "a-0")] == ["a-1", "b-0"]
    assert [cid for cid, _ in store.query(QUERY, 1, SearchFilters(access=["公开"]),
                                          admit=lambda cid: cid == "c-0")] == ["c-0"]
    assert store.query(QUERY, 3, SearchFilters(doc_ids=[]), admit=lambda cid: False) == []
    # a verdict stricter than the stored metadata wins: b-0 is 内部 by neither, a-* are refused by the caller
    assert [cid for cid, _ in store.query(QUERY, 4, SearchFilters(access=["公开", "内部"]),
                                          admit=lambda cid: cid in ("b-0", "c-0"))] == ["b-0", "c-0"]


def test_only_the_chroma_module_knows_chromas_query_format() -> None:
    pattern = re.compile(r"where=|\$and|\$in|\$eq|\bchromadb\b")
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "assistant").rglob("*.py") if pattern.search(p.read_text("utf-8"))}
    assert modules == {"assistant/index/vectors.py"}


# Another process (a CLI ingest while the server runs): adds document d, removes document c.
_OTHER_PROCESS_WRITES = """
import sys
from pathlib import Path
import numpy as np
from assistant.config import Settings
from assistant.index.vectors import open_vector_store
store = open_vector_store(Settings(data_dir=Path(sys.argv[1])), "chunks-test")
meta = {"doc_id": "d", "genre": "报告", "office": "市招商局", "access": "公开", "year": 2024}
store.upsert(["d-0", "d-1"], np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32), [meta, meta])
store.delete_doc("c")
"""


def test_a_store_sees_what_another_process_wrote(store: VectorStore, tmp_path: Path) -> None:
    """Before: the open store kept its HNSW copy and every filtered query failed with 'Error finding id'."""
    public = SearchFilters(access=["公开"])
    assert [cid for cid, _ in store.query(QUERY, 10, public)] == ["a-0", "a-1", "c-0"]  # its index is in memory now
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS_WRITES, str(tmp_path)], check=True, timeout=120)

    assert [cid for cid, _ in store.query(QUERY, 10, public)] == ["d-0", "a-0", "a-1", "d-1"]
    assert store.count() == 5 and store.all_ids() == {"a-0", "a-1", "b-0", "d-0", "d-1"}


_WRITER_WITHOUT_LOCK = """
import sys
import chromadb
col = chromadb.PersistentClient(path=sys.argv[1]).get_collection("chunks-test")
col.upsert(ids=["f-0"], embeddings=[[1.0, 0.0]], metadatas=[{"doc_id": "f", "genre": "", "office": "", "access": "公开",
                                                               "year": 2024}])
"""


def test_a_stale_index_error_reopens_and_retries(store: VectorStore, tmp_path: Path) -> None:
    """A writer that bypasses the lock (an older version, a script) leaves no token: the failing query is the
    signal, and it is answered from a reopened client."""
    public = SearchFilters(access=["公开"])
    store.query(QUERY, 10, public)
    subprocess.run([sys.executable, "-c", _WRITER_WITHOUT_LOCK, str(tmp_path / "chroma")], check=True, timeout=120)
    assert [cid for cid, _ in store.query(QUERY, 2, public)] == ["f-0", "a-0"]


def test_a_closed_store_opens_again_on_use(store: VectorStore) -> None:
    store.close()
    assert store.count() == 4 and [cid for cid, _ in store.query(QUERY, 1)] == ["a-0"]
