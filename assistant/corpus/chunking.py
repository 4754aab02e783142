"""Structure-aware chunking: one chunk per paragraph-level unit under its 公文 heading path.

Headings (一、 （一） 1. （1） markdown #, unnumbered heading lines in a document without 一、), 一是…二是… lead-ins and
bold lead-ins build the section path;
long paragraphs are split only at sentence ends (。！？；); tables give one chunk per row with the header
repeated; the footer (联系人、抄送、印发) is its own section. Pure: no I/O.

The document's title is never a passage of its own (an answerless line that matched every question about the
document): its lines, one to three of them, are left out, and the title reaches every passage through
`Chunk.embed_text`. So is the rest of a title block: a report's subtitle ("——2026年1月27日在湖北省第十四届人民代表
大会第四次会议上"), a web page's 来源/时间 lines and a photo caption (`front_matter`). A heading that says more than its label ("一、推广的改革举措（共23项）", "（二）招商成效：签约
项目48个") opens the text of the passage that follows it, so the fact is quoted, not only used as a section
name. No passage is longer than `max_chars`: a sentence past it is cut at a comma, a table row at a cell.
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
HEADING_FACT = re.compile(r"\d|共[一二两三四五六七八九十百千]+[项条个家件类批]")
# an unnumbered heading line: 4–30 characters, no punctuation or space inside, not wrapped in brackets
BARE_HEADING = re.compile(r"^(?![（(【\[])[^。！？；：!?;:…，,、\s]{4,30}$")
BODY_MIN_CHARS = 40
SENTENCE_ENDS = "。！？；!?;：:"
HEAD_PARAS = 20  # the title is looked for among a document's first paragraphs
# The lines of a title block below the title: a subtitle (——2026年1月27日在…会议上, （2026年1月27日在…会议上）, ——在…
# 讲话), a web page's source and time (来源：湖北日报, 发表时间：2026-02-09 09:45:30, the label alone with its value on the
# next line), a date alone, a photo caption (…作政府工作报告。本报记者 林 君摄).
SUBTITLE = re.compile(r"^(?:——|—|--)\s*\S.{0,78}$|^[（(][^）)]{4,78}[）)]$")
SUBTITLE_WORDS = re.compile(r"会议|讲话|报告|发言|致辞|[在于].{2,40}上$")
SOURCE_LINE = re.compile(r"^(?:来源|时间|发表时间|发布时间|发布日期|作者|编辑|责任编辑|供稿|信息来源)\s*[：:].{0,40}$")
DATE_ONLY = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
CAPTION = re.compile(r"^.{0,60}(?:记者|摄影|图/).{0,30}摄?$|^.{0,80}摄$")


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


def bare_headings(doc: CleanDocument, skip: set[int]) -> set[int]:
    """Unnumbered heading lines of a document that numbers none of its top sections (“十四五”时期工作回顾, 2026年重点工作
    in a report typeset with bold lines instead of 一、二、): a short line that is no sentence (no punctuation, no
    space, not in brackets, not a date or source line) between a finished sentence and a paragraph of sentences. In a document
    with 一、 or 第一章 such lines are labels of something else (a chapter's second line, a signature), not sections."""
    paras = doc.paras
    texts = [doc.para_text(p).strip() if p.kind == "para" else "" for p in paras]
    if any(p.kind == "para" and _heading_level(p, t) == 1 for p, t in zip(paras, texts, strict=True)):
        return set()
    found: set[int] = set()
    for i, (para, text) in enumerate(zip(paras, texts, strict=True)):
        if (i in skip or para.kind != "para" or para.md_level or not BARE_HEADING.match(text)
                or _heading_level(para, text) or LEAD_IN.match(text) or _meta_line(text)):
            continue
        following = i + 1 < len(paras) and paras[i + 1].kind == "para" and (
            len(texts[i + 1]) >= BODY_MIN_CHARS or texts[i + 1][-1:] in SENTENCE_ENDS)
        finished = i == 0 or i - 1 in skip or not texts[i - 1] or texts[i - 1][-1] in SENTENCE_ENDS
        if following and finished:
            found.add(i)
    return found


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text.strip("#* "))


def title_paragraphs(doc: CleanDocument, title: str) -> set[int]:
    """Indices of the paragraphs that print the document's title: the first run of one to three head paragraphs
    that spell it, and a head line repeating part of it (a web page's short title above its subtitle)."""
    wanted = _compact(title)
    if not wanted:
        return set()
    head = [i for i, p in enumerate(doc.paras[:HEAD_PARAS]) if p.kind == "para"]
    texts = {i: _compact(doc.para_text(doc.paras[i])) for i in head}
    found: set[int] = set()
    for n, start in enumerate(head):
        run = head[n : n + 3]
        for count in range(1, len(run) + 1):
            if run[count - 1] != start + count - 1:
                break  # only neighbouring paragraphs make one title
            if "".join(texts[i] for i in run[:count]) == wanted:
                found.update(run[:count])
                break
        if found:
            break
    for i in head:
        text = texts[i]
        if i not in found and len(text) >= 6 and text in wanted and not re.search(r"[。！？；：:]", text):
            found.add(i)
    return found


def front_matter(doc: CleanDocument, title_lines: set[int]) -> list[int]:
    """The paragraphs of a title block besides the title's own lines (`title_lines`): the run of subtitle, source and
    time lines and photo caption right below the title, and such lines printed above it. Not passages: they answer
    nothing a user asks, yet read like every question about the document."""
    if not title_lines:
        return []
    found = [i for i in range(min(title_lines))  # a caption or source line printed above the title
             if doc.paras[i].kind == "para" and _meta_line(doc.para_text(doc.paras[i]).strip())]
    for i in range(min(title_lines) + 1, min(len(doc.paras), HEAD_PARAS)):
        para = doc.paras[i]
        text = doc.para_text(para).strip()
        if i in title_lines:
            continue
        if para.kind != "para":
            break
        subtitle = bool(SUBTITLE.match(text) and SUBTITLE_WORDS.search(text))
        if subtitle or _meta_line(text):
            found.append(i)
        elif found and SOURCE_LINE.match(doc.para_text(doc.paras[i - 1]).strip() + text) and len(text) <= 30:
            found.append(i)  # the value of a label that stood alone (来源： / 宁夏日报客户端)
        else:
            break
    return found


def _meta_line(text: str) -> bool:
    return bool(SOURCE_LINE.match(text) or DATE_ONLY.match(text) or CAPTION.match(text))


def subtitle_of(doc: CleanDocument, title: str) -> str:
    """A report's subtitle under its title (——2026年1月27日在湖北省第十四届人民代表大会第四次会议上), without the dash or
    brackets; empty when there is none. It names the occasion and often the place a bare title (政府工作报告) lacks."""
    for i in front_matter(doc, title_paragraphs(doc, title)):
        text = doc.para_text(doc.paras[i]).strip()
        if SUBTITLE.match(text) and SUBTITLE_WORDS.search(text):
            return text.lstrip("—- ").strip("（）()")
    return ""


def chunk_document(doc: CleanDocument, title: str = "", max_chars: int = 400) -> list[Chunk]:
    chunks: list[Chunk] = []
    stack: list[tuple[int, str]] = []  # (level, label)
    md_offset = 0
    table_title = ""
    current_lead = ""  # a paragraph without its own lead-in continues the previous 一是/二是 point
    skip = title_paragraphs(doc, title)
    skip |= set(front_matter(doc, skip))
    pending: tuple[int, int, str, int | None] | None = None  # a heading with a fact: (start, end, section, page)
    bare = bare_headings(doc, skip)

    def flush_heading() -> None:
        nonlocal pending
        if pending is not None:
            start, end, section, page = pending
            for a, b in _split(doc.text[start:end], max_chars):
                _append(chunks, Chunk(doc.text[start + a : start + b], section, start + a, start + b, "text", page),
                        max_chars, doc.text)
            pending = None

    def path(extra: str = "") -> str:
        labels = [label for _, label in stack]
        if extra:
            labels.append(extra)
        return SEP.join(labels)

    for index, para in enumerate(doc.paras):
        text = doc.para_text(para)
        if index in skip:
            if para.md_level:
                md_offset = max(md_offset, para.md_level)  # the title as a markdown heading is not a section
            continue
        if para.kind != "para" or index in bare or (_heading_level(para, text) and not re.search(r"[。！？；!?;]", text)):
            flush_heading()  # a heading line follows: the pending one stands alone
        if para.kind == "footer":
            for a, b in _split(text, max_chars):
                _append(chunks, Chunk(text[a:b], FOOTER_SECTION, para.start + a, para.start + b, "footer", para.page),
                        max_chars, doc.text)
            continue
        if para.kind == "table_title":
            table_title = text
            continue
        if para.kind == "table_header":
            continue
        if para.kind == "table_row" and para.row is not None:
            # A titled table stands on its own; an untitled one belongs to the section it appears in.
            section = table_title or path("表格")
            for piece in _split_row(para.row.as_text(), para.row.title, max_chars):
                chunks.append(Chunk(piece, section, para.start, para.end, "table", para.page))
            continue

        level = 1 if index in bare else _heading_level(para, text)
        if level:
            if para.md_level:
                level = max(1, level - md_offset)
            label = _heading_label(text)
            stack = [(lv, lab) for lv, lab in stack if lv < level]
            stack.append((level, label))
            current_lead = ""
            if not re.search(r"[。！？；!?;]", text):
                # a heading line only sets the path, unless it says more than its label: then its text opens
                # the next passage (or stands alone if none follows in its section)
                if index not in bare and (label != text.strip() or HEADING_FACT.search(_without_marker(text))):
                    pending = (para.start, para.end, path(), para.page)
                continue
            section = path()
        else:
            lead = para.lead
            match = LEAD_IN.match(text)
            if not lead and match:
                lead = match.group(1) + match.group(2)
            if lead:
                current_lead = _heading_label(lead)
            section = path(current_lead) if current_lead else path()
        pieces = [(a, b) for a, b in _split(text, max_chars) if text[a:b].strip()]
        if pending is not None and pieces:
            start, end, _, _ = pending
            first_end = para.start + pieces[0][1]
            if doc.text[end:para.start].strip() == "" and first_end - start <= max_chars:
                chunks.append(Chunk(doc.text[start:first_end].strip(), section, start, first_end, "text", para.page))
                pending, pieces = None, pieces[1:]
            else:
                flush_heading()
        for start, end in pieces:
            piece = text[start:end]
            lstrip = len(piece) - len(piece.lstrip())
            start, end = start + lstrip, start + len(piece.rstrip())
            _append(chunks, Chunk(piece.strip(), section, para.start + start, para.start + end, "text", para.page),
                    max_chars, doc.text)
    flush_heading()
    return chunks


def _without_marker(text: str) -> str:
    """A heading's words without its numbering (一、 （二） 3. 第四条), whose digits are not facts."""
    for _, pattern in LEVELS:
        match = pattern.match(text)
        if match:
            return text[match.end() :]
    return text


def _split_row(text: str, table_title: str, max_chars: int) -> list[str]:
    """A table row as one passage, or, past `max_chars`, as several cut between cells, each naming the table."""
    if len(text) <= max_chars:
        return [text]
    prefix = f"{table_title}｜" if table_title and text.startswith(f"{table_title}｜") else ""
    cells = text[len(prefix) :].split("｜")
    out: list[str] = []
    current = ""
    room = max_chars - len(prefix)
    for cell in cells:
        while len(cell) > room:  # one cell longer than a passage: cut it
            if current:
                out.append(prefix + current)
                current = ""
            out.append(prefix + cell[:room])
            cell = cell[room:]
        joined = f"{current}｜{cell}" if current else cell
        if len(joined) > room:
            out.append(prefix + current)
            current = cell
        else:
            current = joined
    if current:
        out.append(prefix + current)
    return out


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
            and not source[last.end : chunk.start].strip()  # nothing left out between them (a title, a table)
        ):
            last.end = chunk.end
            last.text = source[last.start : last.end]
            return
    chunks.append(chunk)


def _split(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Split at sentence ends into pieces of at most max_chars; a single longer sentence is cut at commas
    (、 or, failing those, anywhere) so that no piece is longer than max_chars."""
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
        if end - start > max_chars:
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
