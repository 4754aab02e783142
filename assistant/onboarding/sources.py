"""A cited source for onboarding material: a verbatim quote located in an indexed document."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from assistant.index.kb import KnowledgeBase

# A curated quote may stop mid-sentence (本办法所称“项目管家”): the cited text runs on to the sentence's end, so that
# a reader sees what the source says, not a fragment; a line break (a heading) or MAX_RUN_ON characters end it too.
SENTENCE_END = re.compile(r"[。！？!?]|\n")
MAX_RUN_ON = 200


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
        end = start + len(quote)
        if not quote.endswith(("。", "！", "？", "!", "?")):
            stop = SENTENCE_END.search(text, end, min(len(text), end + MAX_RUN_ON))
            if stop is not None:
                end = stop.start() if stop.group() == "\n" else stop.end()
        quote = text[start:end]
        section = ""
        for chunk in kb.manifest.chunks(doc_id=doc.doc_id):
            if chunk.start <= start < chunk.end:
                section = chunk.section
                break
        return Source(
            title=str(doc.meta.get("title") or doc.file_name), doc_number=str(doc.meta.get("doc_number", "")),
            section=section, file_name=doc.file_name, quote=quote, start=start, end=end,
            doc_id=doc.doc_id,
        )
    return None


# A definition cited to a reader runs on to its paragraph's end, up to this many characters: a handbook's entry opens
# with its label and gist (“两单一台账”。这是…跟踪管理办法。) and says what the term consists of after it (“两单”是…).
MAX_PARAGRAPH = 320
_CLAUSE_END = re.compile(r"[。！？!?；;]")


def with_paragraph(kb: KnowledgeBase, source: Source) -> Source:
    """The source quoted to the end of its paragraph (whole sentences, at most MAX_PARAGRAPH characters)."""
    if not source.doc_id:
        return source
    text = kb.manifest.document_text(source.doc_id)
    if text[source.start:source.end] != source.quote:
        return source  # the document changed since the source was located
    stop = text.find("\n", source.end)
    stop = len(text) if stop < 0 else stop
    if stop - source.start > MAX_PARAGRAPH:
        ends = [m.end() for m in _CLAUSE_END.finditer(text, source.end, source.start + MAX_PARAGRAPH)]
        stop = ends[-1] if ends else source.end
    quote = text[source.start:stop].rstrip()
    return source.model_copy(update={"quote": quote, "end": source.start + len(quote)})
