"""How an Answer is shown in the 问答 tab: the chat bubble (glossary terms linked to their definitions, [n]
markers linked to their source cards), the sources panel and the figures table. Pure functions from an
Answer to escaped HTML/Markdown, tested with plain strings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.types import Answer, Citation
from assistant.db.errors import InvalidPeriod
from assistant.db.periods import parse_period
from assistant.onboarding.glossary import Term
from assistant.tools.types import NO_DATA, Figure, Provenance
from assistant.ui.html import esc, highlight

NEEDS_CHECK = "需核对"
WHOLE_UNITS = ("位", "个", "场", "项", "家")
SOURCES_EMPTY = "提问后，这里列出回答引用的原文段落及出处（文件标题、文号、章节），引用的句子以黄色标出。"
FIGURES_EMPTY = "回答中用到的数据会列在这里，每个数字都注明来源表、行号、期间和导入文件。"
MIN_TERM_CHARS = 2
MAX_POPUP_QUOTE = 90
MARKDOWN_ENTITIES = str.maketrans({"*": "&#42;", "_": "&#95;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
                                   "~": "&#126;", "\\": "&#92;"})
# The bubble text itself: also no images, and links only as bubble_text makes them (a quoted ![x](http://…)
# would make the browser fetch it; a [x](javascript:…) would run on a click).
BUBBLE_ENTITIES = str.maketrans({"*": "&#42;", "_": "&#95;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
                                 "~": "&#126;", "\\": "&#92;", "!": "&#33;", "(": "&#40;", ")": "&#41;"})
# The only links a bubble shows: [label](http(s)://…) and bare http(s):// addresses. Images (![…](…)) are
# matched so that they can be left as text. A URL stops at whitespace, quotes, brackets and CJK punctuation.
_URL = r"https?://[^\s<>\"'()\[\]\\`（）【】《》「」“”‘’，。；：！？、]{1,2000}"
WEB_LINK = re.compile(
    rf"(?P<image>!)?\[(?P<label>[^\[\]\n]{{1,200}})\]\((?P<url>{_URL})\)|(?<![A-Za-z0-9])(?P<bare>{_URL})", re.I)
# A citation marker in the raw answer text; only numbers that name one of the answer's citations are linked.
CITE_MARKER = re.compile(r"\[(\d{1,3})\]")


def _flag_pattern(number: str) -> re.Pattern[str]:
    # Not inside a longer number (flagging 18.5% must not touch 118.5%) nor a character entity (&#91;).
    return re.compile(rf"(?<![\d.#]){re.escape(esc(number))}(?![\d])")


def _inert(raw: str) -> str:
    # ":" as an entity too, so that the chat's own autolinker does not turn an address left as text (inside
    # an image or a javascript: link) into a link.
    return esc(raw).translate(BUBBLE_ENTITIES).replace(":", "&#58;")


def _web_link(label: str, url: str) -> str:
    # Opened in a new tab without window.opener or a Referer: the page cannot reach back into the workbench
    # nor learn its address. The URL is attribute-escaped; its scheme was matched as http(s) already.
    return (f'<a class="zs-web" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
            f"{_inert(label)}</a>")


def _link_pieces(raw: str) -> list[tuple[str, bool]]:
    """The text cut into (inert text, False) and (web link HTML, True): only http(s) links are made."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in WEB_LINK.finditer(raw):
        if match.group("image"):
            continue  # an image stays text: the browser would fetch it unasked
        if match.group("bare"):
            url = match.group("bare").rstrip(".,;:!?")  # a sentence's full stop is not part of the address
            link, end = _web_link(url, url), match.start() + len(url)
        else:
            link, end = _web_link(match.group("label"), match.group("url")), match.end()
        pieces.append((raw[last:match.start()], False))
        pieces.append((link, True))
        last = end
    pieces.append((raw[last:], False))
    return pieces


def bubble_text(raw: str) -> str:
    """Text for the Markdown chat bubble: HTML escaped and Markdown inert (no image, emphasis, code) except
    http(s) links, which become real links that open in a new tab with rel="noopener noreferrer". A link
    to javascript:, data:, vbscript: or anything else stays text and is never clickable."""
    return "".join(piece if is_link else _inert(piece) for piece, is_link in _link_pieces(raw))


def _flagged(raw: str, flagged: list[str]) -> str:
    out = []
    for piece, is_link in _link_pieces(raw):
        if is_link:  # never rewrite inside a link's attribute
            out.append(piece)
            continue
        text = _inert(piece)
        for number in sorted(set(flagged), key=len, reverse=True):
            text = _flag_pattern(number).sub(
                lambda m: f'<span class="zs-flag" title="未能在数据库或引用原文中找到来源">{m.group(0)}'
                          f"（{NEEDS_CHECK}）</span>",
                text,
            )
        out.append(text)
    return "".join(out)


def _in_book_title(text: str, at: int) -> bool:
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def term_spans(text: str, terms: Sequence[Term]) -> list[tuple[int, int, Term]]:
    """The first occurrence of each term (or one of its aliases) in the text, longest names first so that
    一图五库两机制 wins over 一图五库; never inside a document title 《…》 or another term's span."""
    def names(t: Term) -> list[str]:
        return [n for n in (t.term, *t.aliases) if len(n) >= MIN_TERM_CHARS]

    taken: list[tuple[int, int, Term]] = []
    for term in sorted(terms, key=lambda t: -max((len(n) for n in names(t)), default=0)):
        best: tuple[int, int] | None = None
        for name in names(term):
            for match in re.finditer(re.escape(name), text):
                start, end = match.span()
                if _in_book_title(text, start) or any(start < e and s < end for s, e, _ in taken):
                    continue
                if best is None or start < best[0]:
                    best = (start, end)
                break
        if best is not None:
            taken.append((*best, term))
    return sorted(taken, key=lambda span: span[0])


def _md_safe(html: str) -> str:
    # The bubble is Markdown: quoted text must not turn into emphasis, code or links inside the popup.
    return html.translate(MARKDOWN_ENTITIES)


def term_link(shown: str, term: Term) -> str:
    """An inline, focusable term: hovering or clicking it opens a popup with the definition and source."""
    quote = term.source.quote if len(term.source.quote) <= MAX_POPUP_QUOTE else term.source.quote[:MAX_POPUP_QUOTE] + "…"
    popup = (f'<span class="zs-term-pop" role="tooltip"><b>{esc(term.term)}</b>{esc(term.definition)}'
             f'<span class="zs-term-src">出处：{esc(term.source.label())}<br>原文：{esc(quote)}</span>'
             '<span class="zs-term-more">更多术语见“入职学习 › 术语表”</span></span>')
    return f'<span class="zs-term" tabindex="0">{esc(shown)}{_md_safe(popup)}</span>'


def cite_link(n: int, turn: int | None = None) -> str:
    """A marker [n] that takes the reader to source card n (the page script scrolls to it and highlights it;
    without the script the in-page anchor still jumps there). Built from the numbers alone: nothing from the
    answer text reaches an attribute. `turn` (which answer's sources the card belongs to) rides in a class
    because the chat bubble's sanitiser drops data-* attributes."""
    which = f" zs-cite-turn-{turn}" if turn is not None else ""
    return f'<a class="zs-cite{which}" href="#zs-cite-{n}" title="查看引用来源 {n}">&#91;{n}&#93;</a>'


def _linked(raw: str, answer: Answer, turn: int | None) -> str:
    """Answer text (no term in it) for the bubble: flagged numbers marked, citation markers linked."""
    cited = {c.n for c in answer.citations}
    out, last = [], 0
    for match in CITE_MARKER.finditer(raw):
        n = int(match.group(1))
        if n not in cited:
            continue
        out.append(_flagged(raw[last:match.start()], answer.flagged_numbers))
        out.append(cite_link(n, turn))
        last = match.end()
    out.append(_flagged(raw[last:], answer.flagged_numbers))
    return "".join(out)


def answer_message(answer: Answer, terms: Sequence[Term] = (), turn: int | None = None) -> str:
    """The chat bubble: the answer text escaped for Markdown, each flagged number marked 需核对, each [n]
    marker linked to its source card, and the first mention of each glossary term linked to its definition
    and source. `turn` is the answer's position in the conversation (see sources_html)."""
    text = answer.answer.strip()
    out, last = [], 0
    for start, end, term in term_spans(text, terms):
        out.append(_linked(text[last:start], answer, turn))
        out.append(term_link(text[start:end], term))
        last = end
    out.append(_linked(text[last:], answer, turn))
    return "".join(out)


def streaming_message(partial: str) -> str:
    return bubble_text(partial)


def _warnings(answer: Answer) -> str:
    if not answer.warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in answer.warnings)
    return f'<div class="zs-warnings"><b>{NEEDS_CHECK}</b><ul>{items}</ul></div>'


def _citation(c: Citation) -> str:
    number = f'<span class="zs-docnum">{esc(c.doc_number)}</span>' if c.doc_number else ""
    section = f'<div class="zs-section">{esc(c.section)}</div>' if c.section else ""
    where = f'<div class="zs-where">{esc(c.source.rsplit("/", 1)[-1])}{esc(c.page_note)}，第 {c.start}–{c.end} 字</div>'
    return (
        f'<div class="zs-source" id="zs-cite-{c.n}"><div class="zs-source-head"><span class="zs-n">[{c.n}]</span>'
        f'<span class="zs-title">《{esc(c.title)}》</span>{number}</div>{section}'
        f'<div class="zs-passage">{highlight(c.passage, c.quote)}</div>{where}</div>'
    )


def sources_html(answer: Answer | None, turn: int | None = None) -> str:
    """Warnings first, then one card per cited passage (id zs-cite-n). `turn` marks which answer of the
    conversation the panel shows, so that a marker clicked in an earlier answer waits for that answer's
    sources instead of scrolling to another answer's card n."""
    if answer is None:
        return f'<div class="zs-empty">{esc(SOURCES_EMPTY)}</div>'
    cards = "".join(_citation(c) for c in answer.citations)
    if not cards:
        cards = '<div class="zs-empty">本次回答没有引用文件原文。</div>'
    which = f' data-zs-turn="{turn}"' if turn is not None else ""
    return f'<div class="zs-cites"{which}>{_warnings(answer)}{cards}</div>'


def period_label(key: str | None) -> str:
    if not key:
        return ""
    try:
        return parse_period(key).label
    except InvalidPeriod:
        return key


def row_list(ids: list[int], shown: int = 5) -> str:
    """第 6 行 / 第 1、3、5、7、9 等 13 行"""
    if len(ids) <= shown + 1:
        return f"第 {'、'.join(str(i) for i in ids)} 行"
    return f"第 {'、'.join(str(i) for i in ids[:shown])} 等 {len(ids)} 行"


def provenance_parts(prov: Provenance) -> tuple[str, str]:
    """("indicators 表第 6 行", "indicators_2023Q1_wide.csv，2023-11-22 导入")"""
    rows = f"{prov.table} 表{row_list(prov.row_ids)}" if prov.row_ids else f"{prov.table} 表"
    origin = ["、".join(prov.files)] if prov.files else []
    if prov.as_of:
        origin.append(f"{prov.as_of[:10]} 导入")
    return rows, "，".join(origin)


def provenance_text(prov: Provenance) -> str:
    return "，".join(part for part in provenance_parts(prov) if part)


def number_text(f: Figure) -> str:
    """The value without its unit (the table has a unit column); None is 无数据, never 0."""
    if f.value is None:
        return NO_DATA
    if f.unit in WHOLE_UNITS:
        return f"{int(f.value):,}"
    return f"{f.value:,.2f}"


def _figure_row(f: Figure) -> str:
    period = period_label(f.period)
    # Labels repeat the period ("汉阴县 外商直接投资 2023年一季度（1-3月） 同比"); it has its own line here.
    label = " ".join(f.label.replace(period, " ").split()) if period else f.label
    formula = f' title="{esc(f.provenance.formula)}"' if f.provenance.formula else ""
    rows, origin = provenance_parts(f.provenance)
    return (
        f'<tr><td>{esc(label)}<div class="zs-sub">{esc(period)}</div></td>'
        f'<td class="zs-num">{esc(number_text(f))}</td><td>{esc(f.unit)}</td>'
        f'<td class="zs-prov"{formula}>{esc(rows)}<div class="zs-sub">{esc(origin)}</div></td></tr>'
    )


def figures_html(answer: Answer | None) -> str:
    if answer is None:
        return f'<div class="zs-empty">{esc(FIGURES_EMPTY)}</div>'
    if not answer.figures:
        return '<div class="zs-empty">本次回答没有用到项目数据库中的数字。</div>'
    rows = "".join(_figure_row(f) for f in answer.figures)
    return (
        '<table class="zs-table zs-figures"><thead><tr><th>指标及期间</th><th>数值</th><th>单位</th>'
        f"<th>来源（悬停看公式）</th></tr></thead><tbody>{rows}</tbody></table>"
    )
