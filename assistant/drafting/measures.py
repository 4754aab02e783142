"""Measures from the knowledge base: what was done, what is planned, what went wrong — quoted verbatim.

A passage is used only when it shares enough of the suggestion's content words (generic officialese
such as 加强、推进、机制 does not count) and sits in the right kind of section: measures taken come from
any section except 下一步/问题/建议 ones; next steps only from 下一步/打算/措施 sections; problems only
from 问题/困难 sections. Sentences that state period statistics (a 开工率, “截至7月底…亿元”) are dropped:
the draft's figures come from the database, not from old documents. Sentences addressed to another
proposer (您、委员、代表) are dropped too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from assistant.answer.grounded import GENERIC
from assistant.answer.types import Citation
from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.index.tokenize import tokenize_query

Kind = Literal["done", "next", "problem"]
SECTION_RULES: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {
    # kind: (section must match, section must not match)
    "done": (None, re.compile(r"下一步|打算|问题|困难|不足|建议|意见|说明")),
    "next": (re.compile(r"下一步|打算|工作措施|计划"), None),
    "problem": (re.compile(r"(?:存在|主要|遇到|突出|面临)的?(?:主要)?问题|问题和不足|困难|短板"), re.compile(r"下一步|打算|说明")),
}
DRAFT_GENERIC = GENERIC | {
    "建议", "发展", "加强", "推进", "推动", "建立", "完善", "提升", "加大", "进一步", "提高", "优化", "建设",
    "产业", "经济", "企业", "政府", "部门", "我市", "市级", "力度", "机制", "体系", "水平", "能力", "措施",
    "方面", "积极", "切实", "着力", "持续", "不断", "支持", "鼓励", "引导", "做好", "抓好", "落实", "实施",
    "开展", "健全", "强化", "形成", "实现", "通过", "关于", "提案", "我局", "有效", "更加", "加快", "高质量",
}
MIN_COVERAGE = 0.5
MIN_WORDS = 2  # a match on a single content word is too weak to claim a measure was taken
MAX_QUOTE_CHARS = 260
ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}[.．、]|第[一二三四五六七八九十百零\d]+条)\s*")
ADDRESS = re.compile(r"您|委员|代表|贵单位|调研组")
# Notice covers, purpose clauses and letter formulas are not measures.
BOILERPLATE = re.compile(r"印发给你们|请认真|请结合实际|贯彻执行|请及时反馈|制定本办法|特制定|本办法所称|现答复如下|收悉|答复如下|^[\u4e00-\u9fa5]{2,4}[：:]")
PERIOD_BOUND = re.compile(r"截至|截止|今年以来|年初|一季度|上半年|前三季度|\d{1,2}\s*[-—至]\s*\d{1,2}\s*月|\d{1,2}月底")
CONNECTIVE = re.compile(r"^(?:对此|为此|同时|此外|另外|因此)[，,]")
POLICY_TITLE = re.compile(r"印发《(.+)》的通知")
DIGIT = re.compile(r"\d")
# Interviews and handbooks explain and comment; they are not records of measures taken or planned.
EXCLUDED_GENRES = {"访谈", "手册"}

Statistic = Callable[[str], bool]


@dataclass
class Measure:
    """Quoted sentences from one passage: `lead` is the passage's own short heading, if it has one."""

    lead: str
    text: str
    citation: Citation
    hit: Hit = field(repr=False)


def content_words(text: str) -> list[str]:
    words = [w for w in tokenize_query(text) if len(w) > 1 and w not in DRAFT_GENERIC and not w.isdigit()]
    return list(dict.fromkeys(words))


def _covered(words: list[str], text: str) -> int:
    lowered = text.lower()
    return sum(1 for w in words if w.lower() in lowered)


def relevant(words: list[str], hit: Hit, min_words: int = MIN_WORDS) -> bool:
    if not words:
        return False
    covered = _covered(words, f"{hit.title} {hit.section} {hit.text}")
    return covered >= min(min_words, len(words)) and covered / len(words) >= MIN_COVERAGE


def section_ok(kind: Kind, hit: Hit) -> bool:
    must, must_not = SECTION_RULES[kind]
    where = f"{hit.section} {hit.text[:12]}"
    if must is not None and not must.search(where):
        return False
    return not (must_not is not None and must_not.search(hit.section))


def _split_lead(sentences: list[tuple[int, int]], text: str) -> tuple[str, list[tuple[int, int]]]:
    """The passage's heading sentence (“一是全力招大引强。”), if short, without its ordinal."""
    if not sentences:
        return "", sentences
    start, end = sentences[0]
    first = text[start:end].strip()
    stripped = ORDINAL.sub("", first)
    if stripped != first and len(stripped) <= 24 and stripped.endswith("。") and len(sentences) > 1:
        return stripped, sentences[1:]
    return "", sentences


def quote_from(hit: Hit, words: list[str], is_statistic: Statistic) -> tuple[str, str, str] | None:
    """(lead, display text, verbatim quote) from a passage, or None if nothing usable remains."""
    spans = [(m.start(), m.end()) for m in SENTENCE.finditer(hit.text) if m.group(0).strip()]
    lead, spans = _split_lead(spans, hit.text)

    def usable(span: tuple[int, int]) -> bool:
        s = hit.text[span[0]:span[1]]
        if ADDRESS.search(s) or BOILERPLATE.search(s.strip()) or s.rstrip().endswith(("？", "?")) or is_planted(s):
            return False
        if not s.rstrip().endswith(("。", "；", "！")):
            return False  # a heading, a signature or a date line
        if PERIOD_BOUND.search(s) and DIGIT.search(s):
            return False
        return not is_statistic(s)

    runs: list[list[tuple[int, int]]] = [[]]
    for span in spans:  # contiguous runs of usable sentences: a quote must be a substring of the passage
        if usable(span):
            runs[-1].append(span)
        elif runs[-1]:
            runs.append([])
    best = max((r for r in runs if r), key=lambda r: (_covered(words, hit.text[r[0][0]:r[-1][1]]), -r[0][0]),
               default=None)
    if best is None:
        return None
    chosen = [best[0]]
    for span in best[1:]:
        if span[1] - chosen[0][0] > MAX_QUOTE_CHARS:
            break
        chosen.append(span)
    quote = hit.text[chosen[0][0]:chosen[-1][1]].strip()
    display = CONNECTIVE.sub("", ORDINAL.sub("", quote)).strip()
    if len(display) < 8:
        return None
    return lead, display, quote


def _policy_prefix(hit: Hit) -> str:
    m = POLICY_TITLE.search(hit.title)
    if not m:
        return ""
    number = f"（{hit.doc_number}）" if hit.doc_number else ""
    return f"根据《{m.group(1)}》{number}，"


def find_measures(kb: KnowledgeBase, query: str, kind: Kind, is_statistic: Statistic, limit: int = 2,
                  used: set[str] | None = None, filters: SearchFilters | None = None, k: int = 12,
                  focus: str = "") -> list[Measure]:
    """Up to `limit` measures (from different documents) that match `query`; `used` chunk ids are skipped
    and the chosen ones are added to it, so two suggestions never quote the same passage. A passage that
    misses the whole query may still match its `focus` (the suggestion's short name) closely."""
    used = used if used is not None else set()
    words = content_words(query)
    focus_words = content_words(focus) if focus else []
    found: list[Measure] = []
    docs: set[str] = set()
    for hit in kb.search(query, k=k, filters=filters):
        key = hit.chunk_id or f"{hit.doc_id}:{hit.start}"
        if key in used or hit.doc_id in docs or hit.extra.get("genre") in EXCLUDED_GENRES or not section_ok(kind, hit):
            continue
        if not (relevant(words, hit) or relevant(focus_words, hit, min_words=1)):
            continue
        picked = quote_from(hit, words, is_statistic)
        if picked is None:
            continue
        lead, display, quote = picked
        citation = Citation(n=0, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                            quote=quote, source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id,
                            chunk_id=hit.chunk_id, page=hit.page, ocr=hit.ocr)
        found.append(Measure(lead, _policy_prefix(hit) + display, citation, hit))
        used.add(key)
        docs.add(hit.doc_id)
        if len(found) >= limit:
            break
    return found
