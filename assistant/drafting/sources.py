"""Where each paragraph came from, as the lines of the 附：依据 section (the officer may delete it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer.types import Citation
from assistant.tools.types import Figure, Provenance

if TYPE_CHECKING:
    from assistant.drafting.types import Draft, Paragraph

SOURCES_HEADING = "附：依据"
MAX_ROWS_LISTED = 8
MAX_FIGURES_NAMED = 12
OPENING_CHARS = 18


def describe_citation(c: Citation) -> str:
    number = f"（{c.doc_number}）" if c.doc_number else ""
    section = f"“{c.section}”" if c.section else "正文"
    return f"《{c.title}》{number} {section}，{Path(c.source).name} 第 {c.start}–{c.end} 字{c.page_note}"


def describe_provenance(p: Provenance) -> str:
    rows = p.row_ids
    shown = "、".join(str(r) for r in rows[:MAX_ROWS_LISTED]) + (f" 等共 {len(rows)} 行" if len(rows) > MAX_ROWS_LISTED else "")
    parts = [f"行 {shown}" if rows else "无数据行"]
    if p.period:
        parts.append(f"期间 {p.period}")
    if p.files:
        parts.append("导入文件 " + "、".join(p.files))
    if p.as_of:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", p.as_of)
        if m:
            parts.append(f"导入于 {m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日")
    return f"项目数据库 {p.table} 表（{'；'.join(parts)}）"


def figure_sources(figures: list[Figure]) -> list[str]:
    """One line per distinct provenance, naming the figures it backs."""
    groups: dict[tuple[str, tuple[int, ...], str | None, str | None], list[Figure]] = {}
    for f in figures:
        p = f.provenance
        groups.setdefault((p.table, tuple(p.row_ids), p.period, p.formula), []).append(f)
    lines = []
    for items in groups.values():
        named = list(dict.fromkeys(f"{f.label} {f.text}" for f in items if f.value is not None))
        names = "、".join(named[:MAX_FIGURES_NAMED]) + (f" 等 {len(named)} 项" if len(named) > MAX_FIGURES_NAMED else "")
        line = describe_provenance(items[0].provenance)
        if names:
            line += f"：{names}"
        formula = items[0].provenance.formula
        if formula and any("（计算）" in f.label for f in items):
            line += f"。公式：{formula}"
        lines.append(line)
    return lines


def opening_of(paragraph: Paragraph) -> str:
    text = paragraph.lead or paragraph.text
    return text if len(text) <= OPENING_CHARS else text[:OPENING_CHARS] + "…"


def source_lines(draft: Draft) -> list[str]:
    """Numbered lines for 附：依据: for each paragraph with sources, its documents and database rows."""
    lines: list[str] = []
    for paragraph in draft.paragraphs:
        if not paragraph.has_sources:
            continue
        items = [f"原文：{describe_citation(c)}" for c in paragraph.citations]
        items += [f"数据：{line}" for line in figure_sources(paragraph.figures)]
        lines.append(f"{len(lines) + 1}. “{opening_of(paragraph)}”——" + "；".join(items) + "。")
    for table in draft.tables:
        sources = "；".join(dict.fromkeys(describe_provenance(p) for p in table.provenance))
        if sources:
            lines.append(f"{len(lines) + 1}. {table.title}——数据：{sources}。")
    return lines
