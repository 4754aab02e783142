"""Reading path: the knowledge base's key documents in the order a newcomer should read them, each with
a short extractive summary (sentences taken verbatim from the document) and why it matters."""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.access import DISCLOSURE_CLASSES
from assistant.index.kb import KnowledgeBase, visible_documents
from assistant.index.manifest import DocRecord

SENTENCE = re.compile(r"[^。！？\n]+[。！？]")
ORDER = [
    ("手册", "先读：招商工作的术语、机制和指标口径，是读懂其他文件的钥匙。", 1),
    ("报告", "了解最新工作进展、各县区指标完成情况和存在的问题。", 3),
    ("政策措施", "现行的考核、服务和工作机制，办事和答复时要引用的依据。", 4),
    ("通知", "现行的考核、服务和工作机制，办事和答复时要引用的依据。", 4),
    ("方案", "正在推进的专项工作安排。", 2),
    ("答复函", "看人大代表、政协委员关心什么，以及局里怎样答复和承诺。", 3),
    ("调研报告", "人大调研组对招商工作的评价和建议，写材料时常被引用。", 1),
    ("访谈", "局领导对工作思路的解读，便于理解“为什么这样做”。", 1),
]


class ReadingItem(BaseModel):
    order: int
    title: str
    file_name: str
    genre: str
    date: str
    doc_number: str
    summary: str
    why: str


def _summary(kb: KnowledgeBase, doc: DocRecord, limit: int = 2) -> str:
    sentences: list[str] = []
    for chunk in kb.manifest.chunks(doc_id=doc.doc_id):
        if chunk.kind != "text" or "*" in chunk.text or len(chunk.text) < 60:
            continue
        for m in SENTENCE.finditer(chunk.text):
            sentence = m.group(0).strip()
            if 15 <= len(sentence) <= 150 and not re.search(r"示例|演示|虚构", sentence) and not sentence.endswith("？"):
                sentences.append(sentence)
            if len(sentences) >= limit:
                return "".join(sentences)
    return "".join(sentences)


def reading_path(kb: KnowledgeBase, classes: tuple[str, ...] = DISCLOSURE_CLASSES) -> list[ReadingItem]:
    """classes: the disclosure classes the reader is cleared for."""
    docs = visible_documents(kb, classes)
    items: list[ReadingItem] = []
    seen: set[str] = set()
    for genre, why, take in ORDER:
        group = sorted((d for d in docs if d.meta.get("genre") == genre), key=lambda d: d.meta.get("date", ""), reverse=True)
        for doc in group[:take]:
            if doc.doc_id in seen:
                continue
            seen.add(doc.doc_id)
            items.append(ReadingItem(
                order=len(items) + 1, title=str(doc.meta.get("title") or doc.file_name), file_name=doc.file_name,
                genre=genre, date=str(doc.meta.get("date", "")), doc_number=str(doc.meta.get("doc_number", "")),
                summary=_summary(kb, doc), why=why,
            ))
    return items
