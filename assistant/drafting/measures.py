"""Measures from the knowledge base: what was done, what is planned, what went wrong — quoted verbatim.

Evidence must fit the draft (`Evidence`): only documents dated on or before the draft's as-of date are
searched, and only documents written by the answering body (or its city government) — never another
body's survey or another city's letter. Each sentence of a passage is read by sentences.py: a measure
taken must be an action of the answering body, a next step its plan or action, a problem its own
statement of a difficulty; compliments, criticism, headings, boilerplate and period statistics (the
draft's figures come from the database) are never quoted. A passage matches a suggestion by meaning:
the embedder's cosine with the suggestion, taken relative to generic suggestions, must reach MIN_MARGIN
for the passage — or for the sentences quoted from it, when they name the suggestion in two content words
or more (a passage naming five measures is close to none of them as a whole) — and shared content words
(generic officialese such as 加强、推进、机制 does not count) are required below SURE_MARGIN. A passage may
serve several suggestions: a sentence naming another suggestion of the draft better is left for it, and
a passage already quoted is judged by the sentences left in it. Relative time words of an older document
are made absolute (or flagged), and no sentence is quoted twice in one draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as replaced
from datetime import date as Date
from typing import Literal

import numpy as np

from assistant.answer.quoting import GENERIC
from assistant.answer.types import Citation
from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.index.tokenize import tokenize_query

from .sentences import Actor, absolute_time, document_author, document_date, read_sentence
from .templates import load, phrase

Kind = Literal["done", "next", "problem"]
SECTION_RULES: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {
    # kind: (section must match, section must not match)
    "done": (None, re.compile(r"下一步|打算|建议|意见|说明")),
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
REVIEW_GENRES = {"报告", "工作报告", "总结", "工作总结", "答复函"}  # written after the work they describe

# Embedder cosines sit close together (multilingual-e5-small: 0.82–0.90 for any two 招商 sentences), so a
# quote's similarity to the suggestion is taken relative to its mean similarity to generic 招商 suggestions
# (reply.yaml reference_suggestions): the margin must reach MIN_MARGIN, and SURE_MARGIN without a shared
# content word. Calibrated on the demo corpus (bench/drafting_review.py).
MIN_MARGIN = 0.025
SURE_MARGIN = 0.04
Statistic = Callable[[str], bool]


_REFERENCE_VECTORS: dict[tuple[str, bool], np.ndarray] = {}


@dataclass
class Evidence:
    """What evidence fits one draft: documents dated on or before `as_of`, written by `office` (the
    answering body); sentences already quoted (`quoted`) and time words to check (`flags`)."""

    as_of: Date
    office: str
    embed: Callable[[str, bool], np.ndarray] | None = None  # (text, is_query) → vector
    stored: Callable[[str], np.ndarray | None] | None = None  # chunk id → its vector in the index
    references: list[str] = field(default_factory=list)
    quoted: set[str] = field(default_factory=set)
    flags: list[str] = field(default_factory=list)
    _vectors: dict[tuple[str, bool], np.ndarray] = field(default_factory=dict, repr=False)

    def vector(self, text: str, query: bool) -> np.ndarray | None:
        if self.embed is None:
            return None
        key = (text, query)
        cache = _REFERENCE_VECTORS if text in self.references else self._vectors  # references: once per process
        if key not in cache:
            vec = np.asarray(self.embed(text, query), dtype=np.float64)
            cache[key] = vec / (float(np.linalg.norm(vec)) or 1.0)
        return cache[key]

    def passage_vector(self, hit: Hit) -> np.ndarray | None:
        """The passage's vector as the index stores it (no embedding at draft time), else the passage embedded."""
        vec = self.stored(hit.chunk_id) if self.stored is not None and hit.chunk_id else None
        if vec is None:
            return self.vector(hit.text, False)
        return np.asarray(vec, dtype=np.float64) / (float(np.linalg.norm(vec)) or 1.0)

    def similarity(self, query: str, hit: Hit, quote: str = "") -> float | None:
        """How much closer `query` is to the passage (or, given `quote`, to those sentences alone) than
        generic suggestions are; None without an embedder."""
        q = self.vector(query, True)
        t = self.vector(quote, False) if quote else self.passage_vector(hit)
        if q is None or t is None:
            return None
        refs = [v for r in self.references if (v := self.vector(r, True)) is not None]
        base = float(np.mean([v @ t for v in refs])) if refs else 0.0
        return float(q @ t) - base


    def margin(self, query: str, hit: Hit, quote: str, words: list[str], reused: bool) -> float | None:
        """The similarity margin a quote is judged by (None without an embedder). A passage naming several
        measures is close to none of them as a whole: the sentences or clauses quoted for this one may be,
        when they name the suggestion in two content words or more. A passage already quoted for another
        suggestion is judged by the sentences left in it alone (none naming it: no margin at all)."""
        if self.embed is None:
            return None

        def parts() -> list[float]:
            return [m for part in _naming_parts(quote, words) if (m := self.similarity(query, hit, part)) is not None]

        if reused:
            return max(parts(), default=float("-inf"))
        whole = self.similarity(query, hit)
        return max([whole, *parts()]) if whole is not None and whole < SURE_MARGIN else whole


def evidence_for(kb: KnowledgeBase, as_of: Date, office: str, filters: SearchFilters | None,
                 semantic: bool = True) -> tuple[Evidence, SearchFilters]:
    """The Evidence of a draft as of `as_of` and the search filters that admit only documents dated on or
    before it (undated documents are left out: their date cannot be checked)."""
    filters = filters or SearchFilters()
    dated = [d.doc_id for d in kb.manifest.documents()
             if (when := document_date(str(d.meta.get("date", "")), d.file_name)) is not None and when <= as_of]
    if filters.doc_ids is not None:
        dated = [d for d in dated if d in filters.doc_ids]
    evidence = Evidence(as_of, office, references=[str(r) for r in load("reply").get("reference_suggestions", [])])
    if semantic:
        embedder = kb.embedder

        def embed(text: str, query: bool) -> np.ndarray:
            return embedder.embed_query(text) if query else embedder.embed_documents([text])[0]

        def stored(chunk_id: str) -> np.ndarray | None:
            return kb.vectors.vectors([chunk_id]).get(chunk_id)

        evidence.embed = embed
        evidence.stored = stored
    return evidence, replaced(filters, doc_ids=dated)


def normalised(sentence: str) -> str:
    return re.sub(r"[\s*#>“”\"'（）()，,。；;：:、]", "", ORDINAL.sub("", sentence))


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def alike(a: str, b: str) -> bool:
    """Two (normalised) sentences saying the same in nearly the same words — one measure described by two
    documents: most of the shorter one's character pairs are in the other."""
    x, y = _pairs(a), _pairs(b)
    return min(len(x), len(y)) >= 10 and len(x & y) >= 0.7 * min(len(x), len(y))


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


def fits(kind: Kind, sentence: str, author: Actor, section: str, is_statistic: Statistic) -> bool:
    """Whether one sentence may be quoted as a `kind` measure (see sentences.read_sentence)."""
    s = sentence.strip()
    if ADDRESS.search(s) or BOILERPLATE.search(s) or s.rstrip().endswith(("？", "?")) or is_planted(s):
        return False
    if PERIOD_BOUND.search(s) and DIGIT.search(s):
        return False
    reading = read_sentence(s, author, is_statistic, section)
    if kind == "done":
        return reading.is_done_measure
    if kind == "next":
        return reading.is_next_measure
    return reading.is_own_problem


def quote_from(hit: Hit, words: list[str], is_statistic: Statistic, kind: Kind = "done", author: Actor = "answering",
               quoted: set[str] | None = None, others: list[list[str]] | None = None) -> tuple[str, str, str] | None:
    """(lead, display text, verbatim quote) from a passage, or None if nothing usable remains. `others`: the
    content words of the draft's other suggestions; a sentence that names one of them better than this
    suggestion is left for it, so a passage naming two measures serves both."""
    spans = [(m.start(), m.end()) for m in SENTENCE.finditer(hit.text) if m.group(0).strip()]
    lead, spans = _split_lead(spans, hit.text)
    quoted = quoted if quoted is not None else set()

    def usable(span: tuple[int, int]) -> bool:
        s = hit.text[span[0]:span[1]]
        if normalised(s) in quoted or any(alike(normalised(s), q) for q in quoted):
            return False  # already in the draft, or said there in nearly the same words: no sentence twice
        return fits(kind, s, author, hit.section, is_statistic)

    def elsewhere(span: tuple[int, int]) -> bool:
        s = hit.text[span[0]:span[1]]
        own = _covered(words, s)
        return any((n := _covered(o, s)) >= MIN_WORDS and n > own for o in others or [])

    runs: list[list[tuple[int, int]]] = [[]]
    for span in spans:  # contiguous runs of usable sentences of one paragraph: a quote is a substring of the passage
        if runs[-1] and "\n" in hit.text[runs[-1][-1][1]:span[0]]:
            runs.append([])
        if usable(span):
            runs[-1].append(span)
        elif runs[-1]:
            runs.append([])
    best = max((r for r in runs if r), key=lambda r: (_covered(words, hit.text[r[0][0]:r[-1][1]]), -r[0][0]),
               default=None)
    if best is None:
        return None
    # Start at the run's sentence that names most of the suggestion, so a long run is not cut before it.
    first = max(range(len(best)), key=lambda i: (_covered(words, hit.text[best[i][0]:best[i][1]]), -i)) if words else 0
    if first and best[first][1] - best[0][0] <= MAX_QUOTE_CHARS and not any(map(elsewhere, best[:first])):
        first = 0
    chosen = [best[first]]
    for span in best[first + 1:]:
        if span[1] - chosen[0][0] > MAX_QUOTE_CHARS or elsewhere(span):
            break
        chosen.append(span)
    quote = hit.text[chosen[0][0]:chosen[-1][1]].strip()
    display = CONNECTIVE.sub("", ORDINAL.sub("", quote)).strip()
    if len(display) < 8:
        return None
    return lead, display, quote


def _naming_parts(quote: str, words: list[str]) -> list[str]:
    """The quote, its sentences and its clauses that name the suggestion in MIN_WORDS content words or more:
    the units its meaning is compared at (a clause may state the measure a long sentence buries)."""
    need = min(MIN_WORDS, len(words))
    parts = [quote, *(m.group(0).strip() for m in SENTENCE.finditer(quote)), *re.split(r"[，；。]", quote)]
    return [p for p in dict.fromkeys(parts) if len(p) >= 8 and _covered(words, p) >= need]


def _policy_prefix(hit: Hit) -> str:
    m = POLICY_TITLE.search(hit.title)
    if not m:
        return ""
    number = f"（{hit.doc_number}）" if hit.doc_number else ""
    return f"根据《{m.group(1)}》{number}，"


def find_measures(kb: KnowledgeBase, query: str, kind: Kind, is_statistic: Statistic, limit: int = 2,
                  used: set[str] | None = None, filters: SearchFilters | None = None, k: int = 12,
                  focus: str = "", evidence: Evidence | None = None, hits: list[Hit] | None = None,
                  others: list[str] | None = None) -> list[Measure]:
    """Up to `limit` measures (from different documents) that match `query`; the chosen chunk ids are added to
    `used`. With `evidence` a used passage may serve another suggestion with its other sentences (no sentence is
    quoted twice: evidence.quoted), so a passage naming two measures answers both; its heading is not repeated.
    Without evidence a used passage is skipped. A passage that
    misses the whole query may still match its `focus` (the suggestion's short name) closely. With
    `evidence` (every draft passes one), only fitting evidence is quoted (see the module's docstring);
    `filters` should then come from evidence_for, which admits only documents dated by the as-of date.
    `hits`: the search already made for `query` (one search serves the three kinds of measure). `others`: the
    draft's other suggestions, whose sentences in a shared passage are left for them (see quote_from)."""
    used = used if used is not None else set()
    words = content_words(query)
    other_words = [w for o in others or [] if (w := content_words(o)) and w != words]
    focus_words = content_words(focus) if focus else []
    found: list[Measure] = []
    docs: set[str] = set()
    for hit in (hits if hits is not None else kb.search(query, k=k, filters=filters)):
        key = hit.chunk_id or f"{hit.doc_id}:{hit.start}"
        reused = key in used
        if (reused and evidence is None) or hit.doc_id in docs or hit.extra.get("genre") in EXCLUDED_GENRES or not section_ok(kind, hit):
            continue
        lexical = relevant(words, hit) or relevant(focus_words, hit, min_words=2)
        author: Actor = "answering"
        written = document_date(str(hit.extra.get("date", "")), str(hit.extra.get("file_name", "")))
        if evidence is not None:
            meta = kb.doc_meta(hit.doc_id)
            author = document_author(str(meta.get("office", "")), hit.title, str(hit.extra.get("genre", "")),
                                     evidence.office, str(hit.extra.get("file_name", "")))
            if author == "other" or (written is not None and written > evidence.as_of):
                continue
        elif not lexical:
            continue
        picked = quote_from(hit, words, is_statistic, kind, author, evidence.quoted if evidence else None, other_words)
        if picked is None:
            continue
        lead, display, quote = picked
        if evidence is not None:
            if words and not (_covered(words, display) or _covered(focus_words, display)):
                continue  # the quoted sentences themselves must name the suggestion, not just their passage
            margin = evidence.margin(query, hit, quote, words, reused)
            floor = MIN_MARGIN if not found else SURE_MARGIN  # a second passage only when clearly on topic
            if margin is not None and (margin < floor or (margin < SURE_MARGIN and not lexical)):
                continue
            if (margin is None or POLICY_TITLE.search(hit.title)) and not lexical:
                continue  # a policy's articles are rules, not deeds: quoted only when they name the suggestion
            display, vague = absolute_time(display, written, evidence.as_of)
            evidence.flags += [f"引用的《{hit.title}》写于{written.year}年，其中“{v}”所指时间请核实。"
                               for v in vague if written is not None]
            evidence.quoted.update(normalised(m.group(0)) for m in SENTENCE.finditer(quote) if m.group(0).strip())
        citation = Citation(n=0, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                            quote=quote, source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id,
                            chunk_id=hit.chunk_id, page=hit.page, ocr=hit.ocr)
        found.append(Measure("" if reused else lead, _policy_prefix(hit) + display, citation, hit))
        used.add(key)
        docs.add(hit.doc_id)
        if len(found) >= limit:
            break
    return found


def activities(kb: KnowledgeBase, start: Date, evidence: Evidence, filters: SearchFilters, is_statistic: Statistic,
               limit: int = 3) -> list[Measure]:
    """Work done in a period, from the answering body's documents dated from `start` to the as-of date: the
    first passage of each such document (in date order) that reads as actions, outside 下一步/问题 sections."""
    found: list[Measure] = []
    dates = {d.doc_id: document_date(str(d.meta.get("date", "")), d.file_name) for d in kb.manifest.documents()}
    documents = sorted((d for d in kb.manifest.documents()
                        if (when := dates[d.doc_id]) is not None and start <= when <= evidence.as_of),
                       key=lambda d: dates[d.doc_id] or evidence.as_of)
    for doc in documents:
        meta = kb.doc_meta(doc.doc_id)
        if not meta or not filters.accepts(meta) or meta.get("genre") in EXCLUDED_GENRES | REVIEW_GENRES:
            continue  # a report, 总结 or reply letter looks back on earlier work: not this period's
        author = document_author(str(meta.get("office", "")), str(meta.get("title", "")), str(meta.get("genre", "")),
                                 evidence.office, doc.file_name)
        if author == "other":
            continue
        title = str(meta.get("title", ""))
        policy = POLICY_TITLE.search(title)
        if policy:  # a policy's articles are rules; the work done is issuing it
            rows = kb.manifest.chunks(doc_id=doc.doc_id)[:1]
            if rows:
                when = dates[doc.doc_id]
                number = f"（{meta.get('doc_number')}）" if meta.get("doc_number") else ""
                row = rows[0]
                text = phrase("report", "policy_issued", month=str(when.month) if when else "", day=str(when.day) if when else "",
                              title=policy.group(1), number=number)
                citation = Citation(n=0, title=title, doc_number=str(meta.get("doc_number", "")), section=row.section,
                                    passage=row.text, quote="", source=doc.source, start=row.start, end=row.end,
                                    doc_id=doc.doc_id, chunk_id=row.chunk_id, page=row.page)
                hit = Hit(text=row.text, score=0.0, doc_id=doc.doc_id, title=title, doc_number=citation.doc_number,
                          source=doc.source, section=row.section, start=row.start, end=row.end, chunk_id=row.chunk_id)
                found.append(Measure("", text, citation, hit))
            if len(found) >= limit:
                break
            continue
        for row in kb.manifest.chunks(doc_id=doc.doc_id):
            hit = Hit(text=row.text, score=0.0, doc_id=doc.doc_id, title=str(meta.get("title", "")),
                      doc_number=str(meta.get("doc_number", "")), source=doc.source, section=row.section,
                      start=row.start, end=row.end, chunk_id=row.chunk_id, page=row.page,
                      extra={"genre": meta.get("genre", ""), "date": meta.get("date", ""), "file_name": doc.file_name})
            if not section_ok("done", hit) or re.search(r"问题|困难|不足", row.section):
                continue
            picked = quote_from(hit, [], is_statistic, "done", author, evidence.quoted)
            if picked is None:
                continue
            lead, display, quote = picked
            evidence.quoted.update(normalised(m.group(0)) for m in SENTENCE.finditer(quote) if m.group(0).strip())
            citation = Citation(n=0, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                                quote=quote, source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id,
                                chunk_id=hit.chunk_id, page=hit.page, ocr=hit.ocr)
            found.append(Measure(lead, _policy_prefix(hit) + display, citation, hit))
            break
        if len(found) >= limit:
            break
    return found
