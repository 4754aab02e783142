"""How a Draft and a consistency check are shown in the 起草 tab. The draft reads like the 公文 it will
become (版头, centred title, indented paragraphs, 楷体 leads, 附表); each paragraph's sources fold out
under it, every database figure names its row on hover, and 【待补充】 passages are marked in yellow.
Pure functions: models in, escaped HTML out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.answer.types import Citation
from assistant.drafting.facts import gongwen_value
from assistant.drafting.types import STATUS_LABELS, Draft, DraftTable, FigureCheck, Paragraph
from assistant.tools.types import Figure
from assistant.ui.answer_view import number_text, provenance_parts, provenance_text
from assistant.ui.html import esc, highlight

TODO = re.compile(r"【待补充[^】]*】")
PREVIEW_EMPTY = "填写左侧表单后点击“起草”，这里显示草稿：每段下方可展开查看依据（原文出处、数据库行号），【待补充】处以黄色标出。"
CHECK_EMPTY = "粘贴或上传稿件后点击“核对”，这里逐个列出稿件中的数字，并与项目数据库比对。"
# (start, end, css class, title) — a stretch of text to wrap in <span>.
Span = tuple[int, int, str, str]


def marked(text: str, spans: Iterable[Span]) -> str:
    """The text escaped, with each span wrapped in <span class title>; overlapping spans after the first
    are dropped."""
    out: list[str] = []
    last = 0
    for start, end, cls, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < last:
            continue
        attr = f' title="{esc(title)}"' if title else ""
        out.append(esc(text[last:start]))
        out.append(f'<span class="{cls}"{attr}>{esc(text[start:end])}</span>')
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def _number_at(text: str, needle: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    # Not inside a longer number: 13.27% must not mark the tail of 113.27%.
    for match in re.finditer(rf"(?<![\d.]){re.escape(needle)}(?![\d])", text):
        if not any(match.start() < end and start < match.end() for start, end in taken):
            return match.span()
    return None


def figure_spans(text: str, figures: list[Figure]) -> list[Span]:
    """Where each database figure is written in the text, titled with its label and row."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for f in figures:
        if f.value is None:
            continue
        # Drafts write figures as 公文 do (240.6万美元); text from elsewhere may keep the tools' 240.60万美元.
        at = next((span for needle in dict.fromkeys((gongwen_value(f.value, f.unit), f.text))
                   if (span := _number_at(text, needle, taken)) is not None), None)
        if at is None:
            continue
        taken.append(at)
        spans.append((*at, "zs-dfig", f"{f.label}：{f.text}｜来源：{provenance_text(f.provenance)}"))
    return spans


def todo_spans(text: str) -> list[Span]:
    return [(m.start(), m.end(), "zs-todo", "需经办人核实补写") for m in TODO.finditer(text)]


def _citation_card(c: Citation) -> str:
    number = f'<span class="zs-docnum">{esc(c.doc_number)}</span>' if c.doc_number else ""
    section = f'<div class="zs-section">{esc(c.section)}</div>' if c.section else ""
    where = f"{c.source.rsplit('/', 1)[-1]}，第 {c.start}–{c.end} 字"
    return (f'<div class="zs-src-item"><div class="zs-source-head"><span class="zs-title">《{esc(c.title)}》</span>'
            f'{number}</div>{section}<div class="zs-passage">{highlight(c.passage, c.quote)}</div>'
            f'<div class="zs-where">{esc(where)}</div></div>')


def _figure_rows(figures: list[Figure]) -> str:
    rows = []
    for f in figures:
        where, origin = provenance_parts(f.provenance)
        formula = f' title="{esc(f.provenance.formula)}"' if f.provenance.formula else ""
        rows.append(f'<tr><td>{esc(f.label)}</td><td class="zs-num">{esc(number_text(f))}</td><td>{esc(f.unit)}</td>'
                    f'<td class="zs-prov"{formula}>{esc(where)}<div class="zs-sub">{esc(origin)}</div></td></tr>')
    return ('<table class="zs-table zs-src-figures"><thead><tr><th>数据</th><th>数值</th><th>单位</th>'
            f'<th>来源（悬停看公式）</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def sources_block(citations: list[Citation], figures: list[Figure]) -> str:
    """A folded 依据 under a paragraph: the quoted passages, then the database figures."""
    if not citations and not figures:
        return ""
    counts = "、".join(part for part in (f"原文 {len(citations)} 处" if citations else "",
                                        f"数据 {len(figures)} 项" if figures else "") if part)
    body = "".join(_citation_card(c) for c in citations) + (_figure_rows(figures) if figures else "")
    return f'<details class="zs-src"><summary>依据：{esc(counts)}</summary><div class="zs-src-body">{body}</div></details>'


def paragraph_html(p: Paragraph) -> str:
    kind = p.kind if p.kind != "closing" else "body"
    lead = ""
    if p.lead:
        lead = f'<span class="zs-gw-lead">{marked(p.lead, todo_spans(p.lead))}</span>'
    text = marked(p.text, figure_spans(p.text, p.figures) + todo_spans(p.text))
    classes = f"zs-gw-para zs-gw-{kind}" + (" zs-gw-needs" if p.placeholder else "")
    return f'<div class="{classes}"><p>{lead}{text}</p>{sources_block(p.citations, p.figures)}</div>'


def _header_rows(header: list[list[str]]) -> str:
    """Header rows with equal neighbours merged across and a cell equal all the way down merged down,
    as the .docx does."""
    depth = len(header)
    down = {c for c, text in enumerate(header[0])
            if depth > 1 and text and all(len(row) > c and row[c] == text for row in header[1:])}
    rows = []
    for r, cells in enumerate(header):
        out, c = [], 0
        while c < len(cells):
            if c in down and r > 0:
                c += 1
                continue
            end = c
            while end + 1 < len(cells) and cells[end + 1] == cells[c] and cells[c] and end + 1 not in down:
                end += 1
            span = f' colspan="{end - c + 1}"' if end > c else ""
            rowspan = f' rowspan="{depth}"' if c in down and r == 0 else ""
            out.append(f"<th{span}{rowspan}>{esc(cells[c])}</th>")
            c = end + 1
        rows.append(f"<tr>{''.join(out)}</tr>")
    return "".join(rows)


def table_html(t: DraftTable) -> str:
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in t.rows)
    note = f'<div class="zs-gw-note">{esc(t.unit_note)}</div>' if t.unit_note else ""
    origins = list(dict.fromkeys(provenance_text(p) for p in t.provenance))
    sources = ""
    if origins:
        items = "".join(f"<li>{esc(o)}</li>" for o in origins)
        sources = (f'<details class="zs-src"><summary>依据：项目数据库 {len(origins)} 处</summary>'
                   f'<div class="zs-src-body"><ul>{items}</ul></div></details>')
    return (f'<div class="zs-gw-annex"><div class="zs-gw-h1">附表</div><div class="zs-gw-table-title">{esc(t.title)}</div>'
            f'{note}<div class="zs-gw-table-wrap"><table class="zs-gw-table"><thead>{_header_rows(t.header)}</thead>'
            f"<tbody>{body}</tbody></table></div>{sources}</div>")


def _header_block(draft: Draft) -> str:
    h = draft.header
    marks = "".join(f"<div>{esc(m)}</div>" for m in (h.category, h.access) if m)
    out = f'<div class="zs-gw-marks">{marks}</div>' if marks else ""
    if h.office:
        signer = f'<span>签发人：<span class="zs-gw-lead">{esc(h.signer)}</span></span>' if h.signer else ""
        out += (f'<div class="zs-gw-office">{esc(h.office)}</div>'
                f'<div class="zs-gw-docline"><span>{esc(h.doc_number)}</span>{signer}</div>')
    return out


def draft_notes(draft: Draft) -> str:
    """Above the page: what to check before sending (the library's warnings and the 【待补充】 count)."""
    needs = sum(1 for p in draft.paragraphs if p.placeholder)
    sourced = sum(1 for p in draft.paragraphs if p.has_sources)
    figures = sum(1 for p in draft.paragraphs for f in p.figures if f.value is not None)
    mode = "大模型润色（数字已核对未变）" if draft.mode == "llm" else "有据模式：措施摘自知识库原文，数字取自项目数据库"
    summary = (f"{mode}。共 {len(draft.paragraphs)} 段，{sourced} 段附有依据，引用数据库数字 {figures} 个"
               + (f"，期间 {draft.period}" if draft.period else "") + "。")
    out = f'<div class="zs-notice zs-info">{esc(summary)}</div>'
    items = list(draft.warnings)
    if needs:
        items.insert(0, f"草稿中有 {needs} 段含【待补充】（黄色标出），需经办人核实补写后再定稿。")
    if items:
        out += ('<div class="zs-warnings"><b>定稿前请核对</b><ul>'
                + "".join(f"<li>{esc(w)}</li>" for w in items) + "</ul></div>")
    return out


def draft_html(draft: Draft | None) -> str:
    """The whole preview: notes, then the page."""
    if draft is None:
        return f'<div class="zs-empty">{esc(PREVIEW_EMPTY)}</div>'
    paragraphs = "".join(paragraph_html(p) for p in draft.paragraphs)
    tables = "".join(table_html(t) for t in draft.tables)
    return (f"{draft_notes(draft)}<div class=\"zs-gw-page\" id=\"zs-draft-page\">{_header_block(draft)}"
            f'<h1 class="zs-gw-title">{esc(draft.title)}</h1>{paragraphs}{tables}</div>')


# -- consistency check ---------------------------------------------------------------------------------

def check_summary(checks: list[FigureCheck]) -> dict[str, int]:
    return {status: sum(1 for c in checks if c.status == status) for status in STATUS_LABELS}


def verdict_html(c: FigureCheck) -> str:
    """一致 / 不一致（数据库值 …） / 未找到, with the reason for 未找到 under it."""
    if c.status == "match":
        return '<span class="zs-badge zs-good">一致</span>'
    if c.status == "mismatch":
        return f'<span class="zs-badge zs-bad">不一致</span>（数据库值 {esc(c.db_text)}）'
    reason = f'<div class="zs-sub">{esc(c.reason)}</div>' if c.reason else ""
    return f'<span class="zs-badge zs-none">未找到</span>{reason}'


def _context(c: FigureCheck) -> str:
    at = c.context.find(c.text)
    spans: list[Span] = [(at, at + len(c.text), "zs-hit", "")] if at >= 0 else []
    return marked(c.context, spans)


def checks_html(checks: list[FigureCheck], what: str) -> str:
    """The summary line and one row per figure, mismatches in red."""
    counts = check_summary(checks)
    if not checks:
        return f'<div class="zs-notice zs-warn">{esc(what)}中没有找到数字。</div>'
    head = (f'<div class="zs-check-summary"><span>{esc(what)}：共 {len(checks)} 个数字</span>'
            f'<span class="zs-badge zs-good">一致 {counts["match"]}</span>'
            f'<span class="zs-badge zs-bad">不一致 {counts["mismatch"]}</span>'
            f'<span class="zs-badge zs-none">未找到 {counts["not_found"]}</span></div>')
    rows = []
    for i, c in enumerate(checks, start=1):
        source = ""
        if c.label:
            prov = f'<div class="zs-sub">{esc(provenance_text(c.provenance))}</div>' if c.provenance else ""
            source = f"{esc(c.label)}{prov}"
        rows.append(f'<tr class="zs-check-{c.status}"><td class="zs-num">{i}</td><td class="zs-num">{esc(c.text)}</td>'
                    f"<td>{_context(c)}</td><td>{verdict_html(c)}</td><td>{source}</td></tr>")
    return (head + '<table class="zs-table zs-checks" id="zs-check-table"><thead><tr><th>序号</th><th>稿件中的数字</th>'
            "<th>所在句子</th><th>核对结果</th><th>数据库指标及来源</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
