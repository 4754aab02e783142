"""The items a document lists under one of its headings (205号答复函的下一步工作措施有哪几条, 半年报对下半年定了几条
措施, 人大调研报告问题一共列了几条, 信息共享办法一共几章).

Such a question is answered by the document's own structure, not by the passages that best match its words: the
headings one level below the heading asked of, in order, each with the passage that opens it. Ingest already keeps
every passage's heading path (`Hit.section`, labels joined by `chunking.SEP`), so a document's outline is read off
its passages. The heading asked of is the one whose label shares the most words with the question (下一步打算 →
三、下一步工作措施, 问题 → 二、存在的主要问题), ties going to where the retrieved passages lie; the words that name the
document (its title, 文号, issuer) do not count, and a question about the whole document (几章, 几个部分) asks for
its top-level headings. Pure: the passages are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assistant.corpus.chunking import FOOTER_SECTION, SEP
from assistant.corpus.sentences import SENTENCE
from assistant.index.kb import Hit

# A question asking for the items of a list (哪几条, 几项, 哪些措施), not for one of them (哪块活) or a passage's content.
ASKS_ITEMS = re.compile(
    r"哪?几(?:条|项|点|块|章|部分|个方面|大方面|件事|大块)|"
    r"哪(?:些|几个)(?:具体)?(?:措施|工作|举措|打算|任务|问题|建议|意见|内容|事|话题|说明|环节|步骤|要点)|哪些方面(?!的)")
# …of a whole document: its top-level headings.
WHOLE = re.compile(r"几[章部]|哪几[章部]|几个部分|几大[块部]|框架|结构|目录|各章")
# numbering a label opens with: 一、 （一） 1. （1） 第一章 第十条 一是 二要
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[\.．、]|第[一二三四五六七八九十百]+[章部分条节]\s*|"
    r"[一二三四五六七八九十]+[是要])")
CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
MAX_LABEL = 40  # a long label (an article's first sentence) is listed up to its first pause
OPENING_CHARS = 120  # of an item's passage quoted as its evidence
WHOLE_NAMED = 1.5  # 一共几章: the top level, unless the question names a heading more (工作开展情况分了哪几块)
MIN_ITEMS = 2
PARALLEL_OPENING = 2  # the opening word parallel paragraphs share (关于, 一是 …)
SIGNATURE_CHARS = 20  # a short last line without a sentence's end (汉中市经济合作局, a date) signs the document off
LEAF_MARGIN = 2  # word pairs more a heading without items must share with the question to be what it asks about


@dataclass
class Item:
    label: str
    hit: Hit  # the passage that opens the item


@dataclass
class Outline:
    doc_id: str
    title: str
    heading: str  # the heading whose items are listed, "" for the document's top level
    items: list[Item] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def bare(label: str) -> str:
    """A heading's words without its numbering (三、下一步工作措施 → 下一步工作措施)."""
    return NUMBERING.sub("", label.strip()).strip()


def short(label: str) -> str:
    """A label as listed: up to its first sentence end or pause past a few characters (an article's heading is its
    first sentence), a contiguous span of the document."""
    label = label.strip()
    if len(label) <= MAX_LABEL:
        return label.rstrip("。；;")
    cut = re.search(r"[。；;，,：:]", label[8:])
    return label[: 8 + cut.start()] if cut and 8 + cut.start() <= MAX_LABEL else label[:MAX_LABEL] + "……"


def _named(question: str, label: str, naming: set[str]) -> float:
    """How much the question names a heading: the label's word pairs it writes, a pair that also names the
    document (工作 of 2023年全市招商引资工作总结和2024年工作打算) counting half."""
    return sum(0.5 if p in naming else 1.0 for p in _bigrams(question) & _bigrams(label))


def _doc_score(doc_id: str, naming: Mapping[str, set[str]], share: float) -> float:
    """How much the question names a document (张宏伟代表那件外资建议 → the 78号 letter addressed to him): the word
    pairs of its heading the question writes, a pair every candidate's heading has (答复, 招商) counting nothing,
    then the share of the retrieved passages that lie in it."""
    count = len(naming)
    return sum(1 - sum(p in other for other in naming.values()) / count for p in naming[doc_id]) + share


def asks_items(question: str) -> bool:
    return ASKS_ITEMS.search(question) is not None


def children(passages: list[Hit]) -> dict[str, list[Item]]:
    """Each heading path of a document (\"\" its top level) → the headings one level below it, in order, each with
    its first passage. The footer (联系人、抄送、印发) is not an item."""
    tree: dict[str, list[Item]] = {}
    paragraphs: dict[str, list[Hit]] = {}
    for hit in passages:
        if not hit.section or hit.section.startswith(FOOTER_SECTION) or hit.kind != "text":
            continue  # (a table's rows are not items: an untitled table is filed under 表格)
        paragraphs.setdefault(hit.section, []).append(hit)
        labels = hit.section.split(SEP)
        for depth, label in enumerate(labels):
            parent = SEP.join(labels[:depth])
            items = tree.setdefault(parent, [])
            if not any(item.label == label for item in items):
                items.append(Item(label, hit))
    for path, hits in paragraphs.items():
        if path not in tree and (parallel := _parallel(hits)):
            tree[path] = parallel  # 二、关于建议中具体事项的说明: 关于“…”的建议。 paragraph after paragraph
    return {path: items for path, items in tree.items() if len(items) >= MIN_ITEMS}


def _parallel(hits: list[Hit]) -> list[Item]:
    """The paragraphs of a heading without sub-headings, as its items, where they are written in parallel: each
    opens with the same word (关于“…”的建议。 关于“…”的建议。) and a first sentence of its own. A heading's prose
    that runs on over several paragraphs is no list. Each item's passage is its paragraph (short paragraphs share a
    passage)."""
    paragraphs = [replace(hit, text=text, start=hit.start + at, end=hit.start + at + len(text))
                  for hit in hits for at, text in _paragraphs(hit.text)]
    while paragraphs and _closing(paragraphs[-1].text):
        paragraphs.pop()  # (再次感谢您…, the issuer and the date a letter is signed with)
    firsts = [m.group(0).strip() if (m := SENTENCE.match(p.text)) else "" for p in paragraphs]
    if len(paragraphs) < MIN_ITEMS or len(set(firsts)) < len(firsts) or len({f[:PARALLEL_OPENING] for f in firsts}) > 1 \
            or any(len(f) <= PARALLEL_OPENING for f in firsts):
        return []
    return [Item(first, paragraph) for first, paragraph in zip(firsts, paragraphs, strict=True)]


def _closing(paragraph: str) -> bool:
    """Whether a paragraph closes a document rather than adds an item: a short line with no sentence's end (the
    issuer, the date) or a compliment or letter formula (再次感谢您对…的关心和支持, 特此函复)."""
    from assistant.drafting.sentences import read_sentence  # drafting builds on the answer package

    return len(paragraph) <= SIGNATURE_CHARS and "。" not in paragraph or read_sentence(paragraph).kind in (
        "compliment", "boilerplate")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) of each non-empty line of a passage."""
    return [(m.start(), m.group(0).strip()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def outline_asked(question: str, documents: Mapping[str, list[Hit]], headings: Mapping[str, str],
                  retrieved: list[Hit]) -> Outline | None:
    """The heading of one of `documents` (id → passages in order) whose items the question asks for, with its
    items; None when no heading of theirs is named by the question (a question about a passage's content)."""
    if not asks_items(question):
        return None
    whole = WHOLE.search(question) is not None
    votes: dict[tuple[str, str], float] = {}
    for rank, hit in enumerate(retrieved):
        labels = hit.section.split(SEP) if hit.section else []
        for depth in range(max(len(labels), 1)):  # every hit votes for its document's top level
            key = (hit.doc_id, SEP.join(labels[:depth]))
            votes[key] = votes.get(key, 0.0) + 1.0 / (rank + 1)
    total = sum(v for (_, path), v in votes.items() if path == "") or 1.0
    asked = _bigrams(question)
    naming = {d: _bigrams(headings.get(d, "")) & asked for d in documents}
    for doc_id in sorted(documents, key=lambda d: -_doc_score(d, naming, votes.get((d, ""), 0.0) / total)):
        best: tuple[float, str] | None = None
        tree = children(documents[doc_id])
        for path in tree:
            share = votes.get((doc_id, path), 0.0) / total
            if path == "":
                named = WHOLE_NAMED if whole else 0.0
            else:
                named = _named(question, bare(path.split(SEP)[-1]), naming[doc_id])
            if named and (best is None or named + share > best[0]):
                best = (named + share, path)
        if best is not None:
            break
    else:
        return None
    path = best[1]
    # a heading with no items named more than the list's (112号答复里说的并联审批，指的是对哪些事项并联着办 names
    # （六）推行容缺受理和并联审批 more than 二、关于建议中具体事项的说明): the question is about that passage's content
    listed = _named(question, bare(path.split(SEP)[-1]), naming[doc_id])
    leaves = {hit.section for hit in documents[doc_id] if hit.section and hit.section not in tree}
    if path and any(_named(question, bare(leaf.split(SEP)[-1]), naming[doc_id]) >= listed + LEAF_MARGIN for leaf in leaves):
        return None
    items = tree[path]
    title = items[0].hit.title
    return Outline(doc_id, title, path.split(SEP)[-1] if path else "", items)


def outline_lead(outline: Outline) -> str:
    """The direct answer: how many items and which, in the document's words, each cited ([n] in item order)."""
    where = f"《{outline.title}》" + (f"“{outline.heading}”" if outline.heading else "")
    listed = "；".join(f"{short(item.label)}[{n}]" for n, item in enumerate(outline.items, 1))
    unit = "条" if outline.heading else "章" if all(CHAPTER.match(i.label) for i in outline.items) else "部分"
    return f"{where}共{len(outline.items)}{unit}：{listed}。"


def opening(passage: str, width: int = OPENING_CHARS) -> str:
    """What an item's passage is quoted by: its sentences from the start, up to `width` characters, leaving out a
    compliment or a letter's formula the passage ends with (您的建议对我们…很有帮助, 特此函复) — a contiguous span."""
    from assistant.drafting.sentences import read_sentence  # drafting builds on the answer package

    quoted = ""
    for m in SENTENCE.finditer(passage):
        sentence = m.group(0)
        if read_sentence(sentence.strip()).kind in ("compliment", "boilerplate") or (
                quoted and len(quoted) + len(sentence) > width):
            break
        quoted += sentence
    quoted = quoted.strip()
    return quoted if len(quoted) <= width else quoted[:width] + "……"
