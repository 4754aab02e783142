"""Turn raw blocks into the cleaned document text and its paragraphs.

Cleanup drops markup comments (<!-- … -->) and a web page's furniture (下载 打印 全屏 【字号：加大 还原 减小】,
当前位置：首页 > …), rejoins sentences broken by page breaks, drops page numbers and repeated running headers,
rebuilds tables (including tables flattened one cell per line, as Word-to-text exports produce),
strips markdown markers while remembering bold lead-ins, and marks the footer (联系人、抄送、印发).
Every paragraph records its character offsets into the cleaned text, which citations point into.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from assistant.corpus.loaders import RawBlock, RawDocument, RawTable

TERMINAL = "。！？；：!?;:…"
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
HEADING = re.compile(
    r"^(?:#{1,6}\s|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d{1,2}[\.．、](?!\d)|（\d{1,2}）|第[一二三四五六七八九十]+[章节条部分])"
)
FOOTER = re.compile(r"^[（(]?\s*(?:联系人|联系电话|抄送|印发|主题词|附件[：:\d])")
CELL_SPLIT = re.compile(r"\t+|\s{2,}|\s*[|｜]\s*")
NUMERIC_CELL = re.compile(r"^[-+]?\d[\d,.]*\s*%?$")
BOLD = re.compile(r"(?<!\*)\*\*(?!\*)([^*\n]+?)(?<!\*)\*\*(?!\*)")
LEAD_BOLD = re.compile(r"^(?<!\*)\*\*(?!\*)([^*\n]{2,60}?)\*\*(?!\*)")
DOC_NUMBER_LINE = re.compile(r"〔\s*(?:19|20)\d{2}\s*〕\s*\d{1,4}\s*号$")  # a 文号 ends its line: the title follows
COMMENT = re.compile(r"<!--.*?-->", re.S)
# Lines a web page's toolbar or breadcrumb leaves when its text is scraped, one word a line. Dropped only in a run
# of at least NAV_RUN such lines, so a table cell or a one-character line elsewhere is never taken for them.
NAV_WORD = re.compile(
    r"^(?:下载|打印|全屏|收藏|分享(?:到)?|关闭(?:窗口)?|打印本页|保存|纠错|加大|还原|减小|默认|[大中小]|[>＞»/]|【|】|"
    r"【?(?:字号|字体)[：:]?(?:\s*[大中小]\s*)*】?|当前位置[：:]?|首页|阅读量[：:]?\s*\d*|浏览次数[：:]?\s*\d*|扫一扫)$"
)
NAV_RUN = 3
GENRE_END = re.compile(r"(?:函|报告|通知|方案|意见|办法|决定|纪要|措施|情况|规定|细则|讲话|文件)$")


@dataclass
class TableRow:
    title: str
    header: list[str]
    cells: list[str]

    def as_text(self) -> str:
        pairs = [
            f"{name}：{value}" if name else value
            for name, value in zip(self.header, self.cells, strict=False)
            if value != ""
        ]
        prefix = f"{self.title}｜" if self.title else ""
        return prefix + "｜".join(pairs)


@dataclass
class Para:
    start: int
    end: int
    kind: str = "para"  # para | table_title | table_header | table_row | footer
    page: int | None = None
    lead: str = ""  # bold lead-in (markdown **…**) when present
    md_level: int = 0  # markdown heading level (# count), 0 if none
    row: TableRow | None = None


@dataclass
class CleanDocument:
    text: str
    paras: list[Para] = field(default_factory=list)

    def para_text(self, para: Para) -> str:
        return self.text[para.start : para.end]


@dataclass
class _Line:
    text: str
    page: int | None = None
    table: RawTable | None = None


def clean(raw: RawDocument) -> CleanDocument:
    lines = _tables_from_text(_drop_comments(raw.blocks))
    lines = _drop_page_furniture(lines)
    # OCR'd lines break where the printed line did, as a PDF text layer's do.
    merged = _rejoin(lines, pdf=raw.fmt == "pdf" or bool(raw.ocr_pages))
    return _assemble(merged, markdown=raw.fmt == "md")


def _drop_comments(blocks: list[RawBlock]) -> list[RawBlock]:
    """Remove markup comments (<!-- INFO END --> in converted laws), also one that spans several lines; a line
    left empty by it becomes a blank line, as a paragraph break."""
    out: list[RawBlock] = []
    open_at: int | None = None  # index in `out` of the block where an unclosed comment began
    for block in blocks:
        if block.table is not None:
            out.append(block)
            continue
        text = block.text
        if open_at is not None:
            end = text.find("-->")
            if end < 0:
                continue  # inside the comment
            text, open_at = text[end + 3 :], None
        text = COMMENT.sub("", text)
        start = text.find("<!--")
        if start >= 0:
            text, open_at = text[:start], len(out)
        out.append(replace(block, text=text) if text != block.text else block)
    return out


def _tables_from_text(blocks: list[RawBlock]) -> list[_Line]:
    """Recognise text tables: runs of tab-prefixed one-cell lines, or lines of 3+ aligned cells."""
    out: list[_Line] = []
    i = 0
    n = len(blocks)
    while i < n:
        block = blocks[i]
        if block.table is not None:
            out.append(_Line("", block.page, block.table))
            i += 1
            continue
        text = block.text.replace("\u3000", " ").rstrip()
        if text.startswith("\t"):
            j, table = _read_flattened_table(blocks, i)
            if table is not None:
                out.append(_Line("", block.page, table))
                i = j
                continue
        if _row_cells(text) is not None:
            j = i
            rows: list[list[str]] = []
            while j < n and blocks[j].table is None:
                cells = _row_cells(blocks[j].text.strip())
                if cells is None:
                    break
                rows.append(cells)
                j += 1
            if len(rows) >= 3:
                title = ""
                if out and out[-1].table is None and 4 <= len(out[-1].text.strip()) <= 60 and out[-1].text.strip()[-1] not in TERMINAL:
                    title = out.pop().text.strip()
                out.append(_Line("", block.page, RawTable(rows=rows, title=title)))
                i = j
                continue
        out.append(_Line(text.strip(), block.page))
        i += 1
    return out


def _row_cells(text: str) -> list[str] | None:
    if not text or len(text) > 300:
        return None
    cells = [c.strip() for c in CELL_SPLIT.split(text.strip()) if c.strip()]
    if len(cells) < 3 or any(len(c) > 40 for c in cells):
        return None
    return cells


def _read_flattened_table(blocks: list[RawBlock], i: int) -> tuple[int, RawTable | None]:
    groups: list[list[str]] = []
    current: list[str] = []
    j = i
    previous_blank = False
    while j < len(blocks):
        raw = blocks[j].text.replace("\u3000", " ").rstrip("\n")
        if raw.startswith("\t"):
            current.append(raw.strip())
            previous_blank = False
        elif not raw.strip():
            if current:
                groups.append(current)
                current = []
            previous_blank = True
        elif current and not previous_blank:
            current[-1] += raw.strip()  # a cell that wrapped onto a second line
        else:
            break
        j += 1
    if current:
        groups.append(current)
    data = [g for g in groups if sum(1 for c in g[1:] if NUMERIC_CELL.match(c)) >= 1]
    if len(data) < 2:
        return i, None
    title = ""
    if groups and len(groups[0]) == 1:
        title = groups.pop(0)[0]
    first_data = groups.index(data[0])
    header = _combine_header(groups[:first_data], len(data[0]))
    rows = [header] + [g + [""] * (len(header) - len(g)) for g in groups[first_data:]]
    return j, RawTable(rows=rows, title=title.replace(" ", ""))


def _combine_header(header_rows: list[list[str]], width: int) -> list[str]:
    if not header_rows:
        return [f"列{k + 1}" for k in range(width)]
    if len(header_rows) == 1:
        return (header_rows[0] + [""] * width)[:width]
    top, sub = header_rows[0], header_rows[1]
    if len(sub) != width or len(top) >= width:
        return (sub + [""] * width)[:width]
    # Sub-headers repeat under each spanning top header: a repeat of the first sub-label starts the next span.
    names = [top[0] if not sub[0] else sub[0]]
    group = 0
    first_label = sub[1] if len(sub) > 1 else ""
    for k, label in enumerate(sub[1:], start=1):
        if k > 1 and label == first_label:
            group += 1
        parent = top[1 + group] if 1 + group < len(top) else ""
        names.append(f"{parent}{label}")
    return names


def _drop_page_furniture(lines: list[_Line]) -> list[_Line]:
    counts = Counter(line.text for line in lines if line.table is None and 0 < len(line.text) <= 40)
    repeated = {text for text, c in counts.items() if c >= 3 and not HEADING.match(text)}
    navigation = _navigation_lines(lines)
    seen: set[str] = set()
    out: list[_Line] = []
    for index, line in enumerate(lines):
        if line.table is None:
            if index in navigation:
                continue
            if PAGE_NUMBER.match(line.text) and line.text.strip():
                continue
            if line.text in repeated:
                if line.text in seen:
                    continue
                seen.add(line.text)
        out.append(line)
    return out


def _navigation_lines(lines: list[_Line]) -> set[int]:
    """Indices of a scraped web page's toolbar and breadcrumb lines: runs of NAV_RUN or more navigation words
    (blank lines inside a run are part of it), and the place names a breadcrumb's > separates."""
    texts = [line.text.strip() if line.table is None else "\x00" for line in lines]
    found: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if sum(1 for i in run if texts[i]) >= NAV_RUN:
            found.update(run)
        run.clear()

    for i, text in enumerate(texts):
        if text == "" and run:
            run.append(i)
        elif text != "\x00" and NAV_WORD.match(text):
            run.append(i)
        elif run and i + 1 < len(texts) and texts[i - 1] in (">", "＞", "»") and len(text) <= 12 \
                and NAV_WORD.match(texts[i + 1] or "-"):
            run.append(i)  # a breadcrumb step: 首页 > 政务信息 > 宁夏要闻
        elif run and texts[i - 1] in (">", "＞", "»") and len(text) <= 12 and any(
                texts[j] in ("首页", "当前位置：", "当前位置:", "当前位置") for j in run):
            run.append(i)  # the breadcrumb's last step
        else:
            close()
    close()
    return found


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip("”’\"'）)】]」*")
    return not stripped or stripped[-1] in TERMINAL


def _is_structural(text: str) -> bool:
    return bool(HEADING.match(text) or FOOTER.match(text) or text.startswith("**") or re.match(r"^[一二三四五六七八九十]+是", text))


def _rejoin(lines: list[_Line], pdf: bool) -> list[_Line]:
    """Join a line with the next when a page break (or PDF line wrap) cut a sentence in two."""
    out: list[_Line] = []
    pending_blank = False
    for line in lines:
        if line.table is not None:
            out.append(line)
            pending_blank = False
            continue
        if not line.text:
            pending_blank = True
            continue
        prev = out[-1] if out else None
        min_len = 8 if pdf else 20
        if (
            prev is not None
            and prev.table is None
            and len(prev.text) >= min_len
            and not _ends_sentence(prev.text)
            and not _is_structural(line.text)
            and not (HEADING.match(prev.text) and "。" not in prev.text and len(prev.text) < 40)
            and not FOOTER.match(prev.text)
            and not GENRE_END.search(prev.text)
            and not DOC_NUMBER_LINE.search(prev.text)
            and (len(line.text) >= 20 or _ends_sentence(line.text))
            and not (len(line.text) <= 30 and line.text.endswith(("：", ":")))
        ):
            sep = " " if prev.text[-1].isascii() and prev.text[-1].isalnum() and line.text[0].isascii() else ""
            prev.text = prev.text + sep + line.text
            pending_blank = False
            continue
        out.append(_Line(line.text, line.page))
        pending_blank = False
    del pending_blank
    return out


def _assemble(lines: list[_Line], markdown: bool) -> CleanDocument:
    parts: list[str] = []
    paras: list[Para] = []
    pos = 0
    in_footer = False

    def emit(text: str, **kw: object) -> None:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        parts.append(text)
        paras.append(Para(start=pos, end=pos + len(text), **kw))  # type: ignore[arg-type]
        pos += len(text)

    for index, line in enumerate(lines):
        if line.table is not None:
            table = line.table
            rows = [r for r in table.rows if any(c.strip() for c in r)]
            if not rows:
                continue
            if table.title:
                emit(table.title, kind="table_title", page=line.page)
            header, body = rows[0], rows[1:]
            emit(" | ".join(header), kind="table_header", page=line.page)
            for cells in body:
                row = TableRow(title=table.title, header=header, cells=cells)
                emit(" | ".join(cells), kind="table_row", page=line.page, row=row)
            continue
        text = line.text
        md_level = 0
        match = re.match(r"^(#{1,6})\s+", text)
        if match:
            md_level = len(match.group(1))
            text = text[match.end() :]
        lead = ""
        bold = LEAD_BOLD.match(text)
        if bold:
            # Only a bold lead-in is markup in plain text: elsewhere ** is how masked figures (****年) look.
            lead = bold.group(1).strip()
            text = bold.group(1) + text[bold.end() :]
        if markdown:
            text = BOLD.sub(r"\1", text)
        text = text.strip()
        if not text:
            continue
        if FOOTER.match(text) and index > len(lines) // 2:
            in_footer = True
        emit(text, kind="footer" if in_footer else "para", page=line.page, lead=lead, md_level=md_level)
    return CleanDocument(text="".join(parts), paras=paras)
