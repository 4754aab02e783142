"""A cited source for onboarding material: a verbatim quote located in an indexed document."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.index.kb import KnowledgeBase


class Source(BaseModel):
    title: str
    doc_number: str = ""
    section: str = ""
    file_name: str
    quote: str
    start: int
    end: int
    doc_id: str = ""

    def label(self) -> str:
        number = f"（{self.doc_number}）" if self.doc_number else ""
        section = f" › {self.section}" if self.section else ""
        return f"《{self.title}》{number}{section}"


def locate(kb: KnowledgeBase, file_name: str, quote: str) -> Source | None:
    """Find a verbatim quote in the indexed document with this file name (or title)."""
    for doc in kb.manifest.documents():
        if file_name not in (doc.file_name, Path(doc.file_name).stem, doc.meta.get("title")):
            continue
        text = kb.manifest.document_text(doc.doc_id)
        start = text.find(quote)
        if start < 0:
            return None
        section = ""
        for chunk in kb.manifest.chunks(doc_id=doc.doc_id):
            if chunk.start <= start < chunk.end:
                section = chunk.section
                break
        return Source(
            title=str(doc.meta.get("title") or doc.file_name), doc_number=str(doc.meta.get("doc_number", "")),
            section=section, file_name=doc.file_name, quote=quote, start=start, end=start + len(quote),
            doc_id=doc.doc_id,
        )
    return None
