"""What a search may return: the project's own filter type, applied by every retriever.

BM25 candidates are checked with `accepts`; the vector store translates the same filters into its own
query format (for Chroma, inside index/vectors.py only).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass
class SearchFilters:
    genre: str | None = None
    year: int | None = None
    office: str | None = None
    access: list[str] | None = None  # allowed disclosure classes, e.g. ["公开"]; [] admits nothing
    doc_ids: list[str] | None = None  # [] admits nothing

    def within(self, classes: tuple[str, ...] | list[str]) -> SearchFilters:
        """These filters narrowed to the disclosure classes a user is cleared for: asking for more never widens."""
        allowed = [c for c in (self.access if self.access is not None else classes) if c in classes]
        return replace(self, access=allowed)

    def accepts(self, meta: dict[str, Any]) -> bool:
        """Whether a chunk with this metadata (see kb.chunk_metadata) passes the filters."""
        if self.genre and meta.get("genre") != self.genre:
            return False
        if self.year and meta.get("year") != int(self.year):
            return False
        if self.office and meta.get("office") != self.office:
            return False
        if self.access is not None and meta.get("access") not in self.access:
            return False
        if self.doc_ids is not None and meta.get("doc_id") not in self.doc_ids:
            return False
        return True
