"""Terms a corpus coins for itself, found in plain text (no I/O): quoted coinages (“一图五库”), numeric-prefix
slogans (两单一台账, 千人百市万企), abbreviations with their expansions (（简称两机制）, 本条例所称政府投资，是指…),
and for each the sentence that defines or expands it best.

One document is mined at a time (`mine_document`), so an ingest only mines what it added; `merge` then ranks
terms by spread across documents (number of documents, then mentions) over the per-document results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.corpus.sentences import SENTENCE, is_planted

NUMERALS = "一二两三四五六七八九十百千万双"
HAN = r"\u4e00-\u9fa5"
QUOTED = re.compile(rf"[“「]([{HAN}A-Za-z0-9+＋·]{{2,12}})[”」]")
# A slogan: two to four segments, each a numeral (with an optional 个) and one or two other characters.
SEGMENT = rf"[{NUMERALS}]个?[^\W\d_{NUMERALS}]{{1,2}}"
SLOGAN = re.compile(rf"(?:{SEGMENT}){{2,4}}")
# A segment naming a time, amount or list position is counting, not a coinage (一季度三个月, 一是二是).
COUNTING = re.compile(rf"[{NUMERALS}]个?[季月年日天号倍亿元时期是等半次方些般样致律切直同定则来旦起并批对下上中]")
ABBREVIATION = re.compile(rf"[（(]\s*(?:以下)?(?:简称|统称)[“\"]?([{HAN}A-Za-z0-9+]{{2,12}})[”\"]?\s*[）)]")
# 本条例所称政府投资，是指… : the statutory way of defining a term.
STATUTORY = re.compile(rf"所称[“\"]?([{HAN}A-Za-z0-9]{{2,14}}?)[”\"]?[，,]?\s*(?:是指|指)")
# Definition markers right after the term, strongest first.
MARKERS = ("是指", "指的是", "所称", "(?<![立随旋当])即(?![将可使便时])", "指(?![标出导南挥数令定示向])", "也称", "是")
ENUMERATION = re.compile(r"[、]|[和及与]")
# Quoted phrases that are figures of speech here, not terms.
NOT_TERMS = {"一盘棋", "最后一公里", "第一要事", "一把手", "一对一", "点对点", "牛鼻子", "卡脖子"}
# A quoted phrase ending like this names a method, mechanism, campaign or policy.
TERM_SUFFIXES = (
    "思维", "机制", "模式", "行动", "经济", "服务", "招商", "管家", "制", "工程", "计划", "平台", "清单", "台账",
    "改革", "政策", "战略", "理念", "体系", "工作法", "经纪人", "专班", "基金", "园区", "年",
)
MAX_SENTENCE = 120
MIN_SENTENCE = 15
# A term this short is often part of a longer word (大招商 in 扩大招商): a document counts towards its spread only
# where it is quoted, defined or coined there.
SHORT = 3

# Sentence strengths, lower is better.
ENUMERATES = 0  # defines by listing its parts: 两机制，即招商项目信息共享机制和…跟踪机制
DEFINES = 1  # X是指…, 所称X，是指…, …（简称X）
DESCRIBES = 2  # X是…, X也称…
MENTIONS = 3


@dataclass
class Evidence:
    """One document's best sentence for a term: strength and its span in the document text."""

    strength: int
    start: int
    end: int
    quoted: bool = False  # the sentence has the term in quotation marks

    def as_list(self) -> list[int]:
        return [self.strength, self.start, self.end, int(self.quoted)]

    def preference(self) -> tuple[int, bool, bool, int]:
        return _preference(self.strength, self.start, self.end, self.quoted)


@dataclass
class DocumentTerms:
    """What one document says about the terms it coins: how each was found (q quoted, s slogan, a abbreviation,
    d statutory definition), how often it is quoted, its best unmasked sentence, and the strength of any
    masked sentence (****年) that would have defined it better."""

    found: dict[str, str] = field(default_factory=dict)
    quoted: dict[str, int] = field(default_factory=dict)
    best: dict[str, Evidence] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"found": self.found, "quoted": self.quoted, "masked": self.masked,
                "best": {t: e.as_list() for t, e in self.best.items()}}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> DocumentTerms:
        best = data.get("best") or {}
        assert isinstance(best, dict)
        return cls(found=dict(data.get("found") or {}), quoted=dict(data.get("quoted") or {}),  # type: ignore[call-overload]
                   masked=dict(data.get("masked") or {}),  # type: ignore[call-overload]
                   best={t: _evidence(v) for t, v in best.items()})


def _evidence(stored: list[int]) -> Evidence:
    return Evidence(int(stored[0]), int(stored[1]), int(stored[2]), len(stored) > 3 and bool(stored[3]))


@dataclass
class LearnedTerm:
    term: str
    documents: int
    mentions: int
    doc_index: int  # which document holds the chosen sentence
    evidence: Evidence


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) with surrounding blanks trimmed, so text[start:end] == sentence."""
    found = []
    for match in SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + raw.index(stripped)
        found.append((start, start + len(stripped), stripped))
    return found


def _add(doc: DocumentTerms, term: str, kind: str) -> None:
    if kind not in doc.found.get(term, ""):
        doc.found[term] = doc.found.get(term, "") + kind


# What may follow a term to make the sentence define it: an optional closing quote, the word it names
# (“三个年”活动是指…, “一图五库两机制”工作法，即…), a comma, then a marker; or directly 是 / 也称 (a description).
DEFINING = re.compile(rf"[”\"]?[{HAN}]{{0,4}}?(?:[，,]\s*)?(?:{'|'.join(MARKERS[:-2])})[：:]?")
DESCRIBING = re.compile(r"[”\"]?[，,]?\s*(?:也称|是)")


def strength_in(sentence: str, term: str) -> int:
    """How well `sentence` defines `term`: ENUMERATES, DEFINES, DESCRIBES or MENTIONS."""
    if "称" in sentence:
        for abbreviation in ABBREVIATION.finditer(sentence):
            if abbreviation.group(1) == term:
                before = sentence[: sentence.find(term)]
                return ENUMERATES if ENUMERATION.search(before[-60:]) else DEFINES
    described = False
    at = sentence.find(term)
    while at >= 0:
        after = at + len(term)
        defining = DEFINING.match(sentence, after)
        if defining is not None:
            rest = re.split(r"[：:（(]", sentence[defining.end():], maxsplit=1)[0]
            return ENUMERATES if ENUMERATION.search(rest) else DEFINES
        described = described or DESCRIBING.match(sentence, after) is not None
        at = sentence.find(term, after)
    return DESCRIBES if described else MENTIONS


def expansion_items(sentence: str, term: str) -> list[str]:
    """The parts an expanding sentence lists for `term` (两机制，即A和B → [A, B]); empty if it lists none."""
    name = re.escape(term)
    match = re.search(rf"[“\"]?{name}[”\"]?(?:[，,]\s*)?(?:是指|指的是|即|指|包括|为)[：:]?", sentence)
    if match is None:
        match = re.search(rf"[（(]\s*(?:以下)?(?:简称|统称)[“\"]?{name}", sentence)
        if match is None:
            return []
        rest = sentence[: match.start()]
        rest = re.split(r"[，,。；：:]", rest)[-1]
    else:
        rest = re.split(r"[，,。；：:（(]", sentence[match.end():], maxsplit=1)[0]
    rest = re.sub(r"[“”\"「」]", "", rest)
    items = [i.strip() for i in re.split(r"、|以及|和|及|与", rest) if i.strip()]
    return items if len(items) >= 2 else []


def _preference(strength: int, start: int, end: int, quoted: bool) -> tuple[int, bool, bool, int]:
    """Stronger first; among mere mentions one that quotes the term (it is about the term, not a word that happens to
    contain it); then a short sentence, but not a bare heading (一是全力招大引强。)."""
    return strength, not quoted, end - start < MIN_SENTENCE, end - start


def _clause_window(text: str, start: int, end: int, term: str) -> tuple[int, int]:
    """In an over-long sentence, the clause holding the term's first mention and one clause either side."""
    at = text.find(term, start, end)
    cuts = [start + m.end() for m in re.finditer(r"[，,：:]", text[start:end])]
    before = [c for c in cuts if c <= at]
    after = [c for c in cuts if c >= at + len(term)]
    left = before[-2] if len(before) >= 2 else start
    right = after[1] if len(after) >= 2 else end
    return left, (right - 1 if right < end else end)


HEADING = re.compile(rf"^(?:[（(]?[{NUMERALS}]+[是、）)]\s*)?[“\"]?(?P<term>[^“”\"。]{{2,12}})[”\"]?[{HAN}]{{0,4}}。$")


def _heading_definition(sentence: str, following: str, term: str) -> int | None:
    """A list heading naming the term (五是“叩门招商”。) whose next sentence defines it (指由市县领导……): how
    strongly the two together define it, or None."""
    heading = HEADING.match(sentence)
    if heading is None or heading.group("term") != term or len(following) > MAX_SENTENCE:
        return None
    if following.startswith(("这是", "是")):
        return DESCRIBES
    if following.startswith(("指", "即", "是指")):
        return ENUMERATES if ENUMERATION.search(re.split(r"[，,：:]", following, maxsplit=1)[0]) else DEFINES
    return None


def mine_document(text: str) -> DocumentTerms:
    """Candidate terms of one document and, for each, its best sentence in this document."""
    doc = DocumentTerms()
    for match in QUOTED.finditer(text):
        term = match.group(1)
        if term in NOT_TERMS or term.isdigit() or term.startswith("第"):
            continue
        _add(doc, term, "q")
        doc.quoted[term] = doc.quoted.get(term, 0) + 1
    for match in SLOGAN.finditer(text):
        if not COUNTING.search(match.group(0)):
            _add(doc, match.group(0), "s")
    for pattern, kind in ((ABBREVIATION, "a"), (STATUTORY, "d")):
        for match in pattern.finditer(text):
            _add(doc, match.group(1), kind)
    if not doc.found:
        return doc
    spans = sentences(text)
    for index, (start, end, sentence) in enumerate(spans):
        if is_planted(sentence):  # an instruction to the assistant teaches nothing
            continue
        following = spans[index + 1][2] if index + 1 < len(spans) else ""
        for term in doc.found:
            if term not in sentence:
                continue
            s_start, s_end = (start, end) if len(sentence) <= MAX_SENTENCE else _clause_window(text, start, end, term)
            quote = text[s_start:s_end]
            strength = strength_in(quote, term)
            headed = _heading_definition(sentence, following, term)
            if headed is not None and headed < strength and not is_planted(following):
                s_end, strength = spans[index + 1][1], headed
                quote = text[s_start:s_end]
            if "*" in quote:  # masked figures (****年) never become teaching material
                doc.masked[term] = min(strength, doc.masked.get(term, MENTIONS + 1))
                continue
            found = Evidence(strength, s_start, s_end, f"“{term}”" in quote)
            old = doc.best.get(term)
            if old is None or found.preference() < old.preference():
                doc.best[term] = found
    return doc


def accepted(term: str, kinds: str, quoted_docs: int, quoted: int, strength: int) -> bool:
    """A candidate is a term if it was defined, is a slogan or abbreviation, or a quoted phrase that looks like one."""
    if strength <= DEFINES or any(k in kinds for k in "sad"):
        return True
    return (
        quoted_docs >= 2 or quoted >= 2
        or any(ch in NUMERALS for ch in term)
        or term.endswith(TERM_SUFFIXES)
    )


def _cut_or_run_on(slogan: str, other: str, other_kinds: str) -> bool:
    if other == slogan:
        return False
    if "q" in other_kinds and other.startswith(slogan):
        return True
    return len(slogan) == len(other) + 1 and slogan.startswith(other)


def merge(docs: list[DocumentTerms], texts: list[str]) -> list[LearnedTerm]:
    """Terms over all documents, ranked by the number of documents mentioning them, then by mentions; each with
    the best sentence any document gives it. A term whose best sentence is masked is left out."""
    kinds: dict[str, str] = {}
    quoted: dict[str, int] = {}
    quoted_docs: dict[str, int] = {}
    best: dict[str, tuple[int, int, int, Evidence]] = {}  # term -> (strength, length, doc, evidence)
    masked: dict[str, int] = {}
    for index, doc in enumerate(docs):
        for term, how in doc.found.items():
            kinds[term] = "".join(sorted(set(kinds.get(term, "") + how)))
            if doc.quoted.get(term):
                quoted[term] = quoted.get(term, 0) + doc.quoted[term]
                quoted_docs[term] = quoted_docs.get(term, 0) + 1
        for term, ev in doc.best.items():
            if term not in best or ev.preference() < best[term][3].preference():
                best[term] = (ev.strength, ev.end - ev.start, index, ev)
        for term, strength in doc.masked.items():
            masked[term] = min(strength, masked.get(term, MENTIONS + 1))
    # A slogan cut short or run on by one character (四个一视同 for “四个一视同仁”, 三位一体的, 三懂三会要) yields to the
    # form found elsewhere.
    forms = list(kinds)
    learned = []
    for term, (strength, _, index, ev) in best.items():
        if masked.get(term, MENTIONS + 1) < strength:
            continue
        if not accepted(term, kinds[term], quoted_docs.get(term, 0), quoted.get(term, 0), strength):
            continue
        if kinds[term] == "s" and any(_cut_or_run_on(term, q, kinds[q]) for q in forms):
            continue
        counts = [text.count(term) for text in texts]
        if len(term) <= SHORT:  # where it is quoted, only its quoted uses count (大招商, not 扩大招商)
            counts = [(doc.quoted.get(term) or c) if term in doc.found else 0 for doc, c in zip(docs, counts, strict=True)]
        learned.append(LearnedTerm(term, sum(1 for c in counts if c), sum(counts), index, ev))
    learned.sort(key=lambda t: (-t.documents, -t.mentions, t.evidence.strength, t.term))
    return learned
