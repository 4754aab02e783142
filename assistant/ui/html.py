"""Small HTML helpers for the workbench. Everything that came from a document, a file name or a user is
escaped here before it reaches the page; callers never build markup from raw text."""

from __future__ import annotations

import html
import re

SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def quote_spans(passage: str, quote: str) -> list[tuple[int, int]]:
    """Where the quoted sentences sit in the passage: the whole quote if it is verbatim, otherwise each
    of its sentences that is."""
    quote = quote.strip()
    if not quote:
        return []
    pos = passage.find(quote)
    if pos >= 0:
        return [(pos, pos + len(quote))]
    spans = []
    for match in SENTENCE.finditer(quote):
        sentence = match.group(0).strip()
        at = passage.find(sentence) if len(sentence) >= 4 else -1
        if at >= 0:
            spans.append((at, at + len(sentence)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with the quoted sentences in <mark>."""
    out, last = [], 0
    for start, end in quote_spans(passage, quote):
        out.append(esc(passage[last:start]))
        out.append(f"<mark>{esc(passage[start:end])}</mark>")
        last = end
    out.append(esc(passage[last:]))
    return "".join(out)


def notice(text: str, kind: str = "info") -> str:
    """A one-line coloured box: kind is info, ok, warn or error."""
    return f'<div class="zs-notice zs-{kind}">{esc(text)}</div>'
