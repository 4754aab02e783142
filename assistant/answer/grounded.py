"""The embedded grounded mode: a deterministic pipeline that answers offline.

Figures come from the typed tools (each with provenance); policy answers quote the most relevant
sentences of the top passages, marked [n] against the citation list. Nothing is generated that is not
in a tool result or a cited passage, so the number checker never fires here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import BaseModel

from assistant.answer.numbers import numeric_values
from assistant.answer.types import Citation
from assistant.answer.understand import INJECTION, Parsed
from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.db.session import FigureStore
from assistant.errors import AssistantError
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.index.tokenize import tokenize_query
from assistant.tools import (
    city_total,
    get_indicator,
    lagging_regions,
    list_events,
    open_problems,
    project_stats,
    rank_regions,
)
from assistant.tools.indicators import RankBy
from assistant.tools.types import Figure

# Formulaic lines of a 公文 (opening, thanks, closing) restate the topic but answer nothing.
BOILERPLATE = re.compile(r"收悉|现答复如下|现将.{0,20}(?:报告|答复)如下|感谢您|衷心感谢|特此(?:函复|报告|通知)|此复")
GENERIC = {
    "招商", "招商引资", "工作", "情况", "全市", "我市", "安康", "安康市", "问题", "相关", "内容", "介绍", "一下",
    "说说", "讲讲", "如果", "认为", "理解", "分别", "哪些", "可以", "应该", "怎么", "处理", "多少", "哪几", "什么",
    "常说", "现在", "已经", "能够", "需要", "主要", "具体", "有关",
}
# Share of the question's content words a passage (with its title and section) must contain to be cited:
# the top two results may be paraphrases, lower ones must match more closely. Below this, say nothing.
MIN_COVERAGE_TOP = 0.3
MIN_COVERAGE = 0.5
EXAMPLES = [
    "汉阴县一季度外商直接投资完成进度？",
    "一季度各县区实际引进内资排名",
    "一季度哪些县区内资低于序时进度？",
    "项目管家是什么？",
    "下一步如何补齐外资短板？",
]


@dataclass
class Composition:
    """What the grounded pipeline gathered: text blocks, figures, citations and tool outputs."""

    figure_lines: list[str] = field(default_factory=list)
    policy_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tool_values: list[float] = field(default_factory=list)

    def text(self) -> str:
        parts = []
        if self.figure_lines:
            parts.append("【数据】\n" + "\n".join(self.figure_lines))
        if self.policy_lines:
            parts.append("【政策与文件依据】\n" + "\n".join(self.policy_lines))
        if self.notes:
            parts.append("【说明】\n" + "\n".join(self.notes))
        return "\n\n".join(parts)


def _source_line(result: BaseModel) -> str:
    prov = getattr(result, "provenance", None)
    if prov is None:
        return ""
    files = "、".join(prov.files) if getattr(prov, "files", None) else ""
    as_of = ""
    if prov.as_of:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", prov.as_of)
        as_of = f"，数据导入于{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日" if m else ""
    origin = f"，导入文件：{files}" if files else ""
    return f"（来源：项目数据库 {prov.table} 表{origin}{as_of}）"


def _run_tool(comp: Composition, call: Callable[[], BaseModel]) -> None:
    try:
        result = call()
    except (AssistantError, KeyError, ValueError) as exc:
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        comp.figure_lines.append(f"· {message}")
        comp.tool_values += numeric_values(message)
        return
    summary = str(getattr(result, "summary", "")) or ""
    comp.figure_lines.append(f"· {summary}{_source_line(result)}")
    comp.figures += list(getattr(result, "figures", []) or [])
    comp.tool_values += numeric_values(result.model_dump())


def figures_for(parsed: Parsed, store: FigureStore | None, comp: Composition, known_regions: list[str]) -> None:
    if store is None:
        if any(i in parsed.intents for i in ("figure", "rank", "lag", "project", "event", "problem")):
            comp.notes.append("项目数据库尚未导入，暂不能回答数据问题。请先运行 assistant db import-demo corpus/data/。")
        return
    period = parsed.period.key if parsed.period else None
    metrics = parsed.metrics or []
    if parsed.unknown_place and any(i in parsed.intents for i in ("figure", "rank", "lag")):
        known = "、".join(known_regions)
        comp.figure_lines.append(f"· 数据库中没有“{parsed.unknown_place}”的指标数据。已有数据的地区：{known}。")
        return
    if "figure" in parsed.intents:
        names = [m.name for m in metrics] or ["实际引进内资", "外商直接投资"]
        if period is None:
            comp.notes.append("数据库中还没有指标数据。")
        else:
            targets = parsed.regions or []
            for metric in names:
                if not targets or all(r.is_city for r in targets):
                    _run_tool(comp, partial(city_total, store, period, metric))
                for region in targets:
                    if not region.is_city:
                        _run_tool(comp, partial(get_indicator, store, region.name, period, metric))
    if "rank" in parsed.intents and period:
        by: RankBy = "yoy" if "同比" in parsed.text or "增速" in parsed.text else "value" if re.search(r"总量|绝对值|规模", parsed.text) else "completion"
        for metric in [m.name for m in metrics] or ["实际引进内资"]:
            _run_tool(comp, partial(rank_regions, store, period, metric, by))
    if "lag" in parsed.intents and period:
        for metric in [m.name for m in metrics] or ["实际引进内资", "外商直接投资"]:
            _run_tool(comp, partial(lagging_regions, store, period, metric))
    county = next((r.name for r in parsed.regions if not r.is_city), None)
    explicit_period = None if parsed.period_assumed else period
    if "project" in parsed.intents:
        _run_tool(comp, partial(project_stats, store, explicit_period, county))
    if "event" in parsed.intents:
        _run_tool(comp, partial(list_events, store, explicit_period))
    if "problem" in parsed.intents:
        _run_tool(comp, partial(open_problems, store, county))
    if parsed.period_assumed and parsed.period and comp.figures:
        comp.notes.append(f"问题中未指明期间，按数据库中最新的期间“{parsed.period.label}”回答。")


def _content_words(text: str) -> list[str]:
    return [w for w in tokenize_query(text) if w not in GENERIC and len(w) > 1 or w.isdigit()]


def _coverage(words: list[str], text: str) -> float:
    if not words:
        return 0.0
    lowered = text.lower()
    return sum(1 for w in words if w in lowered) / len(words)


def policy_for(
    parsed: Parsed, kb: KnowledgeBase, comp: Composition, filters: SearchFilters | None = None, k: int = 5
) -> None:
    query = parsed.text
    if "figure" in parsed.intents:
        # In a mixed question, search with the clauses that ask "why/how", not the figure clause.
        clauses = [c for c in re.split(r"[，,；;？?。！!]", parsed.text) if c.strip()]
        why = [c for c in clauses if re.search(r"为什么|为何|原因|如何|怎样|怎么|措施|下一步|是什么|口径", c)]
        query = "，".join(why) or parsed.text
    words = _content_words(query)
    hits = kb.search(query, k=k, filters=filters)
    chosen: list[tuple[Hit, str]] = []
    for rank, hit in enumerate(hits):
        context = f"{hit.title} {hit.section} {hit.text}"
        if _coverage(words, context) < (MIN_COVERAGE_TOP if rank < 2 else MIN_COVERAGE):
            continue
        quote = best_sentences(hit.text, words)
        if quote and _coverage(words, quote) > 0 and all(quote != q for _, q in chosen):
            chosen.append((hit, quote))
        if len(chosen) >= 3:
            break
    for hit, quote in chosen:
        n = len(comp.citations) + 1
        comp.citations.append(
            Citation(
                n=n, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                quote=quote, source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id,
                chunk_id=hit.chunk_id, page=hit.page,
            )
        )
        where = f"《{hit.title}》" + (f"（{hit.doc_number}）" if hit.doc_number else "")
        section = f"“{hit.section.split(' › ')[-1]}”部分" if hit.section else ""
        comp.policy_lines.append(f"· 据{where}{section}：{quote} [{n}]")


def best_sentences(passage: str, words: list[str], limit: int = 2) -> str:
    """The passage's most relevant sentences (verbatim, in order): the best one and, if it scores too,
    its neighbour. Falls back to the first sentence."""
    sentences = [
        s for m in SENTENCE.finditer(passage)
        if (s := m.group(0).strip()) and not BOILERPLATE.search(s) and not INJECTION.search(s) and not is_planted(s)
    ]
    if not sentences:
        return ""
    # A question sentence (an interviewer's, a FAQ heading) restates the query but answers nothing.
    scores = [_coverage(words, s) * (0.5 if s.endswith(("？", "?")) else 1.0) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    picked = [best]
    for neighbour in (best + 1, best - 1):
        if len(picked) < limit and 0 <= neighbour < len(sentences) and scores[neighbour] > 0 and len(sentences[neighbour]) < 160:
            picked.append(neighbour)
    quote = "".join(sentences[i] for i in sorted(picked))
    return quote if quote in passage else sentences[best]


def nothing_found() -> str:
    examples = "\n".join(f"· {q}" for q in EXAMPLES)
    return (
        "知识库和项目数据库中没有找到与这个问题直接相关的内容，为避免误导，不作推测。\n"
        f"可以这样问：\n{examples}"
    )


def tool_values_of(results: list[Any]) -> list[float]:
    return [v for r in results for v in numeric_values(r)]
