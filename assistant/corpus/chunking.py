"""Structure-aware chunking: one chunk per paragraph-level unit under its 公文 heading path.

Headings (一、 （一） 1. （1） markdown #), 一是…二是… lead-ins and bold lead-ins build the section path;
long paragraphs are split only at sentence ends (。！？；); tables give one chunk per row with the header
repeated; the footer (联系人、抄送、印发) is its own section. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.cleanup import CleanDocument, Para

LEVELS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}[\.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (1, re.compile(r"^第[一二三四五六七八九十]+[章部分]")),
    (2, re.compile(r"^第[一二三四五六七八九十百]+条")),
]
LEAD_IN = re.compile(r"^([一二三四五六七八九十]+(?:是|要))([^。；！？]{2,40}?)[。；！？]")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
FOOTER_SECTION = "附注（联系人、抄送、印发）"
SEP = " › "


@dataclass
class Chunk:
    text: str
    section: str
    start: int
    end: int
    kind: str = "text"  # text | table | footer
    page: int | None = None

    def embed_text(self, title: str) -> str:
        """What the embedder and BM25 see: the passage with its document title and section path."""
        context = f"{title}｜{self.section}" if self.section else title
        return f"{context}\n{self.text}"


def _heading_label(text: str) -> str:
    head = re.split(r"[。：:]", text, maxsplit=1)[0]
    return head[:40]


def _heading_level(para: Para, text: str) -> int:
    if para.md_level and not text.endswith("文件"):  # "# XX局文件" is the letterhead, not a section
        return para.md_level
    for level, pattern in LEVELS:
        if pattern.match(text):
            return level
    return 0


def chunk_document(doc: CleanDocument, title: str = "", max_chars: int = 400) -> list[Chunk]:
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []  # (level, label)
    md_offset = 0
    table_title = ""
    current_lead = ""  # a paragraph without its own lead-in continues the previous 一是/二是 point

    def path(extra: str = "") -> str:
        labels = [label for _, label in stack]
        if extra:
            labels.append(extra)
        return SEP.join(labels)

    for para in doc.paras:
        text = doc.para_text(para)
        if para.kind == "footer":
            _append(chunks, Chunk(text, FOOTER_SECTION, para.start, para.end, "footer", para.page), max_chars, doc.text)
            continue
        if para.kind == "table_title":
            table_title = text
            continue
        if para.kind == "table_header":
            continue
        if para.kind == "table_row" and para.row is not None:
            # A titled table stands on its own; an untitled one belongs to the section it appears in.
            section = table_title or path("表格")
            chunks.append(Chunk(para.row.as_text(), section, para.start, para.end, "table", para.page))
            continue

        level = _heading_level(para, text)
        if para.md_level and title and text.strip() == title.strip():
            md_offset = para.md_level  # the document title as a markdown heading is not a section
            continue
        if level:
            if para.md_level:
                level = max(1, level - md_offset)
            label = _heading_label(text)
            stack = [(lv, lab) for lv, lab in stack if lv < level]
            stack.append((level, label))
            current_lead = ""
            if not re.search(r"[。！？；!?;]", text):
                continue  # a heading line on its own only sets the path; a heading sentence is content too
            section = path()
        else:
            lead = para.lead
            match = LEAD_IN.match(text)
            if not lead and match:
                lead = match.group(1) + match.group(2)
            if lead:
                current_lead = _heading_label(lead)
            section = path(current_lead) if current_lead else path()
        for start, end in _split(text, max_chars):
            piece = text[start:end]
            if piece.strip():
                lstrip = len(piece) - len(piece.lstrip())
                start, end = start + lstrip, start + len(piece.rstrip())
                _append(chunks, Chunk(piece.strip(), section, para.start + start, para.start + end, "text", para.page), max_chars, doc.text)
    return chunks


def _append(chunks: list[Chunk], chunk: Chunk, max_chars: int, source: str) -> None:
    """Merge very short neighbours of the same section (metadata lines, one-line notes) into one unit."""
    if chunks:
        last = chunks[-1]
        if (
            last.section == chunk.section
            and last.kind == chunk.kind
            and len(last.text) < 120
            and len(chunk.text) < 120
            and chunk.end - last.start <= max_chars
        ):
            last.end = chunk.end
            last.text = source[last.start : last.end]
            return
    chunks.append(chunk)


def _split(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Split at sentence ends into pieces of at most max_chars; a single longer sentence stays whole,
    unless it runs past 1.5× the limit, when it is cut at commas as a last resort."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    bounds = [m.start() for m in SENTENCE_END.finditer(text)]
    cuts = [0] + [b for b in bounds if 0 < b < len(text)] + [len(text)]
    sentences = list(zip(cuts, cuts[1:], strict=False))
    pieces: list[tuple[int, int]] = []
    current_start, current_end = sentences[0]
    for start, end in sentences[1:]:
        if end - current_start <= max_chars:
            current_end = end
        else:
            pieces.append((current_start, current_end))
            current_start, current_end = start, end
    pieces.append((current_start, current_end))
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        if end - start > max_chars * 1.5:
            out.extend(_split_commas(text, start, end, max_chars))
        else:
            out.append((start, end))
    return out


def _split_commas(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = start
    while end - cursor > max_chars:
        window = text[cursor : cursor + max_chars]
        cut = max(window.rfind("，"), window.rfind(","), window.rfind("、"))
        cut = cursor + (cut + 1 if cut > max_chars // 3 else max_chars)
        out.append((cursor, cut))
        cursor = cut
    out.append((cursor, end))
    return out
