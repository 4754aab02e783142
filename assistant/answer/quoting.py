"""Policy answers in grounded mode: which passages answer the question and which contiguous sentences to quote.

A passage is cited only when it covers enough of the question's content words; titles, headings without content,
formalities (抄送, 印发), compliments and another period's or place's figures are never quoted as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.answer.answer_types import CHOOSES, CONSEQUENCE_Q, AnswerType, answer_type
from assistant.answer.asking import asks_latest_state, latest_first, position_forms, without_progress
from assistant.answer.composition import Composition
from assistant.answer.numbers import find_numbers, ordinal_forms
from assistant.answer.stated import WHICH, asked_of, written
from assistant.answer.types import UNVERIFIED_NOTE, Citation
from assistant.answer.understand import (
    INJECTION,
    WHY,
    Parsed,
    RegionName,
    delexicalise,
    why_pattern,
    without_premise_figures,
)
from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.db.errors import InvalidPeriod
from assistant.db.periods import Period, find_period, parse_period
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.index.places import Gazetteer, document_places, gazetteer, home_city, place_relation
from assistant.index.tokenize import tokenize_query

# Formulaic lines of a 公文 (opening, thanks, closing) restate the topic but answer nothing.
BOILERPLATE = re.compile(r"^[（(]?(?:联系人|联系电话|抄送)[:：]|日印发|印发\s*$|收悉|现答复如下|现将.{0,20}(?:报告|答复)如下|感谢您|衷心感谢|特此(?:函复|报告|通知)|此复")
GENERIC = {
    "招商", "招商引资", "工作", "情况", "全市", "我市", "安康", "安康市", "问题", "相关", "内容", "介绍", "一下",
    "说说", "讲讲", "如果", "认为", "理解", "分别", "哪些", "可以", "应该", "怎么", "处理", "多少", "哪几", "什么",
    "常说", "现在", "已经", "能够", "需要", "主要", "具体", "有关",
}
# A question about a rule (要求不低于多少): the rule answers it, whatever year the question names.
RULE = re.compile(r"要求|规定|标准|不得低于|不低于|不少于|至少要|应当|应达到|门槛")
# Share of the question's content words a passage (with its title and section) must contain to be cited:
# the top two results may be paraphrases, lower ones must match more closely. Below this, say nothing.
MIN_COVERAGE_TOP = 0.3
MIN_COVERAGE = 0.5
# A heading sentence: an item marker and a short label with no clause after a comma and no figure (（五）营商环境尚需
# 进一步优化。 第十五条 项目流转。). 三是龙头项目仍然偏少，百亿级项目全年仅落地1个。 is a list item that says its content.
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.、．])"
                     r"[^。；！？，,\d]{0,24}[。：:]?$"
                     r"|^第[一二三四五六七八九十百零]+条\s*[^。；！？，\d]{0,12}[。：:]?$"
                     # a reply letter's label of the proposal it answers next (关于“推行告知承诺制”的建议。
                     # 关于您建议“对承接转移项目给予专项奖补”。): the answer is the sentences after it
                     r"|^关于(?:您|贵\w{0,4})?(?:的)?(?:建议|提案|意见)?“[^”]{1,40}”(?:的)?(?:建议|提案|意见)?[。：:]?$")
LINK_TARGET = re.compile(r"\]\([^)]*\)|\b[A-Za-z][A-Za-z0-9+.-]*:[^\s，。；）)\]]+")
# A section that is a letter's formalities (附注（联系人、抄送、印发）, 版记): named so by its heading's start, not by
# a word inside an article's first line (第二十二条 …自印发之日起施行 is content).
FORMALITIES = re.compile(r"^[（(]?(?:附注|版记|抄送|印发|联系人|附件)")
# The title of a document or a proposal asked for (题目全称叫啥, 标题是什么).
TITLE_ASKED = re.compile(r"题目|标题|全称|篇名")
FORMALITY_ASKED = re.compile(r"联系人|电话|抄送|签发|附件")  # (联系电话: the line writes 电话)
# Where in a document the answer is said to be (一开头, 开篇, 第一段; 结尾, 最后一句话, 答复最后): its first or last
# passage of content.
PLACE_IN_DOCUMENT = re.compile(r"(?P<start>一?开头|开篇|第一段|首段|一开始就)|(?P<end>结尾|末尾|最后一(?:句|段)|(?:答复|报告|文件|总结|函)最后)")
DOCUMENT_KIND = re.compile(r"报告|答复|复函|总结|调研|文件|办法|访谈|采访|通知|手册|提案|建议")
# The names of a letter and its parts, read as one word each where a question runs them together (答复函抄送给谁)
LETTER_WORDS = ("答复函", "复函", "签发人", "联系人")
# The clauses of a mixed question that the documents are searched with (完成多少，为什么滞后 → 为什么滞后).
WHY_SEARCH = why_pattern("怎么", "是什么", "口径")
DATA_INTENTS = ("figure", "rank", "lag", "project", "event", "problem")


# A grade or class written with a letter or digit (C级线索, 3A级景区, B类): the tokenizer cuts it into one-character
# pieces, which are no content words, and the label is then lost — the very word telling A级 from C级.
GRADE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{1,3}\s*[级类档星](?![A-Za-z0-9])")


def content_words(text: str) -> list[str]:
    return [w for w in tokenize_query(text) if w not in GENERIC and len(w) > 1 or w.isdigit()]


def grades(text: str) -> list[str]:
    """The grade or class labels a text writes (C级, 3A级), as written."""
    return [re.sub(r"\s+", "", m.group(0)) for m in GRADE.finditer(text)]


def _coverage(words: list[str], text: str) -> float:
    if not words:
        return 0.0
    lowered = text.lower()
    return sum(1 for w in words if w in lowered) / len(words)


def period_mentions(key: str) -> list[list[str]]:
    """How a sentence names a period, as groups that must all be present (the year, and for part of a year
    the months): a figure the database lacks is quoted only from a sentence about that very period."""
    p = parse_period(key)
    year = [f"{p.year}年", f"{p.year}年度"]
    if p.month == 12:
        return [year]
    named = {3: ["一季度", "1-3月", "1—3月", "1至3月"], 6: ["上半年", "二季度", "1-6月", "1—6月", "1至6月"],
             9: ["前三季度", "三季度", "1-9月", "1—9月", "1至9月"]}
    return [year, named.get(p.month, [f"1-{p.month}月", f"1—{p.month}月", f"1至{p.month}月"])]


# An item named by its number: 第5期, 第七届, 第205号 (提案), 第十四条.
NAMED_ITEM = re.compile(r"第\s*(\d+|[一二两三四五六七八九十百零〇]+)\s*([期次批届号条款章轮场节])"
                        # (112号答复函, 205号提案那份: a proposal's number without its 第)
                        r"|(?<![\d〔\[第])(\d{1,4})(号)(?=建议|提案|议案|答复|那)")
# A question asking county by county (各县区…分别多少, 每个县区).
EACH_COUNTY = re.compile(r"各(?:个)?(?:县区|县市区|县（市、区）|区县|单元)|每个(?:县区|县|区县)")
# Of two sentences equally covering the question, the one whose subject is a question word is preferred: less than
# any difference of coverage (a question has fewer than 20 content words), so it only breaks ties.
SUBJECT_BONUS = 0.05
# What may stand before a sentence's subject: list markers and opening quotes.
SENTENCE_OPENING = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.、．]|[“「\s])+")
# A question asking for a number (多少, 几个, 排第几); 哪几件事 asks which things, not how many.
HOW_MUCH = re.compile(r"多少|(?<!哪)几")
# A text that names a whole year on purpose (全年, 年度), not a bare year that may label a target (2023年目标).
WHOLE_YEAR = re.compile(r"全年|年度|年底|年末|1\s*[-—至~]\s*12\s*月")


# What a why/how question asks for, and the sections of a report or letter that say it.
# (怎么办 and 如何 are not here: 连续两次不满意怎么办 asks what the rule says happens, not the next steps)
ASKS_MEASURES = re.compile(r"下一步|措施|举措|打算|对策|怎么补|怎么改|怎么解决|怎么抓|如何补|如何解决|如何改")
# A question asking what a document proposes or plans (调研组建议…, 下一步打算…): its proposals answer it, even about later.
ASKS_PLANS = re.compile(ASKS_MEASURES.pattern + r"|建议")
ASKS_REASONS = re.compile(r"为什么|为何|为啥|原因|怎么回事")
# A question asking what a rule or measure was made for (当初为啥要出这个办法, 出台…是为了啥, 目的是什么): the
# document's own purpose clause answers it (第一条 为……制定本办法, 本办法旨在…, a notice's 为解决……的问题，现将…印发).
ASKS_PURPOSE = re.compile(r"目的|初衷|用意|为了(?:啥|什么|哪般)|"
                          r"(?:为什么|为何|为啥)(?:当初|当时)?(?:要|会)?(?:专门)?(?:出台|出|搞|制定|印发|建立|推行|实行|设立|推出)")
PURPOSE_CLAUSE = re.compile(r"(?:^|[。；\s]|第[一二三]条\s*)为(?!什么|何|啥)[^。；？?]{4,120}?(?:制定|印发|出台|建立|现将)|旨在|目的是")
# Words a purpose clause is written with, searched beside the thing's own words: the clause rarely shares the
# question's (为啥要出 / 为……制定本办法).
PURPOSE_SEARCH = "目的 旨在 为 制定本办法"
# Who made a proposal or suggestion (167号提案是谁提的, 哪位代表提的建议): a reply letter's salutation names them.
ASKS_PROPOSER = re.compile(r"(?:谁|哪位|哪个|哪家|什么人|哪些人)[^，。？?]{0,8}提(?:的|出)|提案人|建议人|(?:提案|建议)是谁")
# A line that only names whom a letter is addressed to (马丽娟代表：, 尊敬的刘文涛委员：).
ADDRESS_LINE = re.compile(r"^(?:尊敬的)?[\u4e00-\u9fa5]{2,20}[：:]$")
SALUTATION = re.compile(r"(?:^|\n)\s*([\u4e00-\u9fa5]{2,20}[：:])\s*(?:\n|$)(?=\s*(?:您|贵)[^。]{0,60}(?:提出|提交)的)")
# The verbs of making a rule: how a purpose question asks, not what it asks about.
MAKING = {"出台", "制定", "印发", "建立", "推行", "实行", "设立", "推出", "当初", "当时"}
SECTION_PARTS = {
    "measures": re.compile(r"下一步|措施|打算|意见和建议|对策|工作安排|工作计划"),
    "reasons": re.compile(r"问题|不足|困难|原因|短板突出|薄弱"),
}


def asked_part(question: str) -> str:
    """"measures" for a question asking what will be done (下一步怎么补), "reasons" for one asking why (为什么滞后),
    "" for both or neither."""
    measures, reasons = ASKS_MEASURES.search(question) is not None, ASKS_REASONS.search(question) is not None
    return "measures" if measures and not reasons else "reasons" if reasons and not measures else ""


def section_fit(aim: str, section: str) -> int:
    """0 when a passage's section is the part asked for, 2 when it is the other part (存在的问题 for 下一步怎么办),
    1 when it names neither."""
    if not aim:
        return 1
    other = "reasons" if aim == "measures" else "measures"
    return 0 if SECTION_PARTS[aim].search(section) else 2 if SECTION_PARTS[other].search(section) else 1


def stated_period(hit: Hit, quote: str) -> Period | None:
    """The period a quoted figure is about: the one its sentence names, else its section's, else its document
    title's (a table row of 《2023年上半年…报告》 is a 2023 上半年 figure). A bare year (2023年目标) takes the
    part of the year its section or title names."""
    found: list[tuple[Period, str]] = []
    for text in (quote, hit.section, hit.title):
        try:
            period = find_period(text)
        except InvalidPeriod:  # digits that are no period (2130-5 in a 文号): this text states none
            continue
        if period is not None:
            found.append((period, text))
    if not found:
        # a part of a year named without its year (上半年全市兑现…) is of the year the document was issued in
        issued = issued_year(hit)
        try:
            period = find_period(quote, default_year=issued) if issued else None
        except InvalidPeriod:
            period = None
        return period
    first, text = found[0]
    if first.month == 12 and not WHOLE_YEAR.search(text):
        return next((p for p, _ in found[1:] if p.year == first.year and p.month != 12), first)
    return first


# A period said relative to when it is written (年内, 下半年, 今年): the same words in a document of the asked year
# speak of the period asked, whatever the document's own title dates (a half-year report's 下半年 plans).
RELATIVE_PERIOD = re.compile(r"年内|今年|本年|当年|全年|下半年|上半年|年底|年末|四季度|三季度|二季度|一季度")


def other_period(asked: Period | None, hit: Hit, quote: str, question: str = "") -> bool:
    """A quote stating figures about another period than the one asked (2022年底 answered by 2023's count,
    全年 by a 一季度 table): related text, not the answer."""
    if asked is None or not find_numbers(quote):
        return False
    said = {m.group() for m in RELATIVE_PERIOD.finditer(question)}
    if said & {m.group() for m in RELATIVE_PERIOD.finditer(quote)} and issued_year(hit) == asked.year:
        return False  # 年内推动几个外资项目 of 2023, answered by a 2023 report's 推动至少3个外资项目年内资金入境
    stated = stated_period(hit, quote)
    if stated is not None and stated.month == 12 and _named_in(hit.title, stated) \
            and issued_year(hit) in (None, stated.year) and not any(_names_a_period(t) for t in (quote, hit.section)):
        # only the title dates it, with the year it is delivered in (《2026年…政府工作报告》): such a report reviews
        # the year before and plans its own, so a figure it states is of either. (A summary titled with the year it
        # reviews, issued the next year, dates its figures by its title.)
        return asked.year not in (stated.year - 1, stated.year)
    if stated is not None:
        if stated.year != asked.year and all(any(w in quote for w in group) for group in period_mentions(asked.key)):
            return False  # 从2020年的3.68万亿元增长到2025年的4.93万亿元: the asked period's figure beside another's
        return (stated.year, stated.month) != (asked.year, asked.month)
    # a passage naming no period speaks of its document's time (an interview's 项目库入库468个 is 2023's count)
    issued = issued_year(hit)
    return issued is not None and issued != asked.year


def _names_a_period(text: str) -> bool:
    try:
        return find_period(text) is not None
    except InvalidPeriod:
        return False


def _named_in(title: str, period: Period) -> bool:
    return f"{period.year}年" in title


def issued_year(hit: Hit) -> int | None:
    """The year a passage's document was issued: its date, else the year its file name starts with
    (2023-09_访谈_….txt — a newspaper interview has no 公文 date line)."""
    date = str(hit.extra.get("date", ""))[:4]
    if date.isdigit():
        return int(date)
    m = re.match(r"((?:19|20)\d{2})[-_.年]", str(hit.extra.get("file_name", "")))
    return int(m.group(1)) if m else None


def other_place(asked: list[RegionName], regions_of: Callable[[str], list[str]] | None, hit: Hit, quote: str) -> bool:
    """A quote stating figures about other places than the ones asked (平利县's row for 高新区, the city's total
    for a county), or about no place the question names when it asks about a county (a 2名工作人员 of the city's
    centre for 高新区's): related text, not the answer. A figure naming no place speaks for the place its section
    or document names; for the city, every document of the bureau does."""
    if not asked or regions_of is None or not find_numbers(quote):
        return False
    names = {r.name for r in asked}
    if named := regions_of(quote):
        return not names & set(named)
    counties = {r.name for r in asked if not r.is_city}
    return bool(counties) and not counties & set(regions_of(f"{hit.title} {hit.section}"))


def policy_for(
    parsed: Parsed, kb: KnowledgeBase, comp: Composition, filters: SearchFilters | None = None, k: int = 5,
    strict: bool = False, mentions: list[str] | None = None, periods: list[list[list[str]]] | None = None,
    names: list[str] | None = None, regions_of: Callable[[str], list[str]] | None = None,
) -> None:
    """Quote the best sentences of the passages that match the question. `mentions`: a passage must name one
    of these (in its title, section or text); `names`: it must name all of these (the project or company the
    question is about); `periods`: the quoted sentences must name one of these periods
    (each a list of groups, all present: the year and the months); `regions_of(text)`: the database's regions a
    text names (a quote with figures about other regions than the question's is not quoted)."""
    query = LINK_TARGET.sub(" ", parsed.text)  # a pasted link's address is not what is asked
    clauses = [c for c in re.split(r"[，,；;？?。！!、]", query) if c.strip()]
    why = [c for c in clauses if WHY_SEARCH.search(c)]
    if len(clauses) > 1 and why and any(intent in DATA_INTENTS for intent in parsed.intents):
        # In a mixed question, search with the clauses that ask "why/how", not the figure clause (a condition
        # clause, 不另设…的话，怎么弄, is part of what is asked and stays).
        query = "，".join(why)
        # keep what the figure clause was about (外资) so the measures found are for that indicator
        topic = [w for m in parsed.metrics for w in (m.name, *m.aliases) if w and w in parsed.text and w not in query]
        query = " ".join(topic[:1] + [query])
    # 进展到啥程度 phrases the asking: the passage stating the state (进入招标准备阶段) need not write it
    # (searched and matched without the figures the question gives as its premise: 一季度末还有95.3%，全年呢 — the
    # passage restating 95.3% would outrank the one stating the year's)
    searched = without_premise_figures(query)
    words = kb.known(content_words(without_progress(searched)))
    # a question continuing the documents' topic (那要多大的项目才给配 after 项目管家是干啥的): searched, and its
    # passages matched, with the words of the question it continues; a passage naming none of them is off the topic
    topic = kb.known(content_words(without_progress(parsed.topic))) if parsed.topic else []
    words += [w for w in topic if w not in words]
    latest = asks_latest_state(query)
    words += [g.lower() for g in grades(query) if g.lower() not in words and kb.writes(g)]
    # what the documents are asked for: in a mixed question (完成多少，为什么滞后) the why clause's reasons, not a value
    want = answer_type(query)
    # a question naming its period (2022年底入库多少) is not answered by figures about another one; a question about
    # the rule (要求不低于多少) is answered by the rule, whatever year it names.
    # Only a question asking for a value is bound this way: why and how questions may quote any period's figures.
    # (抽几个县还是全覆盖 offers two ways, one of which the passage states: no count is required of it)
    asks_value = (want is not None or HOW_MUCH.search(query) is not None) and CHOOSES.search(query) is None
    asks_reason = not asks_value and WHY.search(query) is not None
    bound = asks_value and RULE.search(parsed.text) is None
    asked_period = parsed.period if bound and parsed.period is not None and not parsed.period_assumed else None
    asked_regions = parsed.regions if bound else []
    per_county = asks_value and EACH_COUNTY.search(query) is not None
    # what the value is asked of, and in which mood: a quote about the topic that states another thing's value
    # (the 局长 for 副局长是谁) or a plan for what has happened (已经发出去多少) does not answer it
    asked = asked_of(delexicalise(query, parsed, blank="，"), said=query) if asks_value or WHICH.search(query) else None
    aim = asked_part(query) if asks_reason else ""
    # a question that wants a value (几条, 多久) looks a little deeper for the passage that states it, one that
    # wants reasons past the period's tables (which it does not quote)
    hits = kb.search(f"{parsed.topic} {searched}" if parsed.topic else searched,
                     k=k + 3 if want else 3 * k if asks_reason else k, filters=filters)
    formality = FORMALITY_ASKED.search(query)
    if formality and filters is not None and filters.doc_ids:
        # 那个5号文抄送给了哪些部门: the named document's formalities section holds the answer, whatever else the
        # question's words find in its body
        footers = [h for h in kb.search(formality.group(0), k=3, filters=filters) if formality_section(h.section)]
        hits = [*footers, *(h for h in hits if h.chunk_id not in {f.chunk_id for f in footers})]
    placed_at = PLACE_IN_DOCUMENT.search(query)
    # (the document named: by the filters, else by its kind, the best passage's document)
    placed_in = (next(iter(filters.doc_ids)) if filters is not None and filters.doc_ids and len(filters.doc_ids) == 1
                 else hits[0].doc_id if hits and DOCUMENT_KIND.search(query) else None) if placed_at else None
    if placed_at and placed_in and formality is None:
        # 一季度报告一开头怎么评价的, 调研报告最后一句话怎么概括的: the named document's opening (or closing) body
        # passage first, whatever else the question's words find in it
        # (content: a paragraph of sentences, not the title, the date line or a notice above it)
        body = [h for h in kb.passages_in_order(placed_in, filters)
                if not formality_section(h.section) and h.text.count("。") >= 2 and h.title not in h.text]
        ends = body[:1] if placed_at.group("start") else body[-1:]
        hits = [*ends, *(h for h in hits if h.chunk_id not in {e.chunk_id for e in ends})]
    if formality and formality.group(0) not in words:
        words.append(formality.group(0))  # (抄送给了 may be one token: the line asked for is still its answer)
    if (title := TITLE_ASKED.search(query)) and title.group(0) not in words:
        words.append(title.group(0))  # (题目全称叫啥: the 收悉 line naming the proposal in 《》 is its answer)
    purpose = asks_reason and ASKS_PURPOSE.search(query) is not None
    proposer = ASKS_PROPOSER.search(query) is not None
    stating: dict[str, Hit] = {}
    if purpose:
        # the passages stating a purpose, found by the thing's own words, come first
        # …of the rule asked about: its name, or a short form of it (考核办法), in the passage's title or text
        thing = [w for w in words if not ASKS_PURPOSE.search(w) and w not in MAKING]
        # the rule's own document, when its title names the thing (考核办法 → 《…考核评价办法（试行）》)
        titled = [d for d, title in kb.titles().items() if thing and all(written(w, title) for w in thing)
                  and (filters is None or filters.doc_ids is None or d in filters.doc_ids)]
        within = replace(filters or SearchFilters(), doc_ids=titled) if titled else filters
        stating = {h.chunk_id: h for h in (*kb.search(" ".join([*thing, PURPOSE_SEARCH]), k=k, filters=within), *hits)
                   if PURPOSE_CLAUSE.search(h.text)
                   and all(written(w, f"{h.title} {h.section} {h.text}") for w in thing)}
        hits = [*stating.values(), *(h for h in hits if h.chunk_id not in stating)]
    places = gazetteer()
    asked_places = places.find(parsed.text)
    # places of other jurisdictions the question names (宁波对外资怎么奖励): a passage neither of them nor naming
    # them speaks of this city's practice, not theirs
    home = home_city()
    elsewhere = [p for p in asked_places if not places.related(p, home)]
    if asked is not None and elsewhere:
        asked = replace(asked, scope=tuple(tuple(places.forms(p)) for p in elsewhere))
    # an item the question names by its number (第5期, 第七届, 第205号): only passages naming it speak of it
    ordinals = [{f"第{n}{unit}" for n in ordinal_forms(number)} for m in NAMED_ITEM.finditer(parsed.text)
                for number, unit in [(m.group(1) or m.group(3), m.group(2) or m.group(4))]]
    # …unless the question asks for one of them (答复函的联系人是谁, 抄送了哪些单位)
    asks_formality = FORMALITY_ASKED.search(query) is not None
    chosen: list[tuple[Hit, str]] = []
    for rank, hit in enumerate(hits):
        if asks_only(hit.text) and (answer := kb.following(hit.chunk_id)) is not None:
            # an interviewer's question ending a passage is read with its answer, the passage below it
            hit = replace(hit, text=f"{hit.text}\n\n{answer.text}", end=answer.end)
        context = f"{hit.title} {hit.section} {hit.text}"
        # a question may name the document loosely (日报访谈里局长说…, 人大那个调研报告里…): its heading's words
        # (masthead, byline, 文种, office) count as the passage's for matching, not as words it must write itself
        known_as = f"{context} {kb.heading(hit.doc_id)}"
        if mentions and not any(written(m, known_as) for m in mentions):  # (or another way of writing it: 底线, 不低于)
            continue
        if topic and not any(w in known_as for w in topic):
            continue
        if names and not all(n in context for n in names):
            continue
        if ordinals and not all(any(form in context for form in forms) for forms in ordinals):
            continue  # 第5期 is not answered by a passage about the series (办了8期)
        if formality_section(hit.section) and not asks_formality:
            continue  # the 版记 and 附注 of a letter: its contact person, 抄送 and 印发 lines answer nothing
        if hit.kind == "table" and asks_reason:
            continue  # a table row states figures, never a reason or a measure
        # 北京市的优惠政策 is not answered by 安康's: a document of another jurisdiction is never quoted
        # — unless, with no figures of the database to give, the passage itself speaks of the place (丝博会 held in
        # 西安, in a report of 安康's)
        if (asked_places and place_relation(asked_places, document_places(hit.title, "", ""), places) < 0
                and not (not comp.results and speaks_of(hit.text, asked_places, places))):
            continue
        if elsewhere and place_relation(elsewhere, document_places(hit.title, "", ""), places) <= 0 \
                and not speaks_of(context, elsewhere, places):
            continue
        if (_coverage(words, known_as) < (MIN_COVERAGE_TOP if rank < 2 and not strict else MIN_COVERAGE)
                and hit.chunk_id not in stating):  # a purpose clause was found naming the rule asked about
            continue
        # the sentence quoted is chosen by what is asked, not by the words naming the document (局长, 主任 of an
        # interview's byline: its byline line would be the best match)
        byline = [w for w in words if w in known_as[len(context):] and w not in hit.title]
        quote = best_sentences(hit.text, [w for w in words if w not in byline] or words, want=want)
        greeting = salutation(hit.text) if proposer else ""
        if greeting:
            quote = greeting  # a reply letter is addressed to whoever made the proposal
        if other_period(asked_period, hit, quote, query) or other_place(asked_regions, regions_of, hit, quote):
            continue
        if per_county and find_numbers(quote) and len(regions_of(quote) if regions_of else []) < 2:
            continue  # 各县区分别多少 is answered county by county, not by one total
        if periods is not None and not any(all(any(w in quote for w in group) for group in period)
                                           for period in periods):
            continue
        # a purpose clause names its rule as 本办法: the document's title says which rule that is
        if quote and (_coverage(words, f"{hit.section} {quote}") > 0 or hit.chunk_id in stating or greeting) \
                and all(quote != q for _, q in chosen):
            chosen.append((hit, quote))
        if len(chosen) >= (6 if want or aim or latest else 3):
            break
    if aim:
        # measures are said under 下一步工作措施, reasons under 存在的问题: the passages of the part asked for first
        chosen = sorted(chosen, key=lambda c: section_fit(aim, c[0].section))
        if purpose:
            chosen.sort(key=lambda c: PURPOSE_CLAUSE.search(c[1]) is None)
        chosen = chosen[:3]
    if latest:
        # how far a thing has got now: the latest document's account first (a reply of July says 报备审核中, the
        # year's summary that it passed)
        chosen = latest_first(chosen, lambda c: str(c[0].extra.get("date") or c[0].extra.get("file_name", ""))[:7])[:3]
    if parsed.period is not None and not parsed.period_assumed:
        # a question naming its year (2024年…要求) hears first from the passages about that year
        year = f"{parsed.period.year}年"
        chosen.sort(key=lambda c: year not in f"{c[0].title} {c[0].section} {c[1]}")
    # a figure the question itself gives (43条外资线索里…有几条) is not the one it asks for
    given = re.compile("|".join(rf"(?<![\d.]){re.escape(n)}(?![\d.])" for n in re.findall(r"\d+(?:\.\d+)?", query))
                       or r"(?!)")
    answering = [c for c in chosen if asked is not None and asked.stated_by(c[0].section, c[1], c[0].title)
                 and (want is None or want.held_by(given.sub("", c[1])))]
    if asked is not None and chosen and not answering:
        # passages about the topic, none stating what is asked: say so, quote none. (When one does, the others
        # stay beside it as context, as before.)
        held = want is None or any(want.held_by(quote) for _, quote in chosen)
        comp.lead = comp.lead or (
            "知识库中有谈到这个话题的文档，但没有找到直接回答这个问题的内容，为避免误导，不作推测。" if held else
            f"知识库中没有找到直接回答这个问题的{want.name if want else '内容'}，为避免误导，不作推测。")
        chosen = []
    if (forms := position_forms(query)) and chosen:
        # 排第一的是哪个市, 投资最大的是哪个: a sentence giving another position (居全省第六位) or a total names no one
        placed = [c for c in chosen if any(f in c[1] for f in forms)]
        if not placed:
            comp.lead = comp.lead or "知识库中没有找到直接回答这个问题的内容（文档没有写明问的这个名次），为避免误导，不作推测。"
        chosen = placed
    if want:
        # only quotes that hold the value asked for answer it; a rate named (合同履约率是多少) is not held by a
        # sentence naming other rates only (开工率95.30%，资金到位率42.34%); one naming none (增长5.5%) may state it
        rates = {m.group(0)[-3:] for m in RATE_NAMED.finditer(query)} if want.name == "比例" else set()
        # …and only where the rate's own clause gives a figure (围绕提高合同履约率、开工率…，开工率不低于80%: the
        # figure is 开工率's)
        # …and a consequence only where it follows the breach asked about (信息员没按时报备会咋处理 is not answered
        # by what follows a low 开工率): a word of the breach in its sentence
        breach = _breach_words(query, words) if want.name == "处理规定" else []
        holding = [c for c in chosen if want.held_by(c[1])
                   and (not RATE_NAMED.search(c[1]) or all(_rate_valued(c[1], r) for r in rates))
                   and (not breach or any(written(w, c[1]) for w in breach))]
        if chosen and not holding:
            # passages about the topic that state no such value do not answer it: say so, quote none
            comp.lead = comp.lead or f"知识库中没有找到直接回答这个问题的{want.name}，为避免误导，不作推测。"
        chosen = holding[:3]
    for hit, quote in chosen:
        n = len(comp.citations) + 1
        comp.citations.append(citation_of(hit, quote, n))
        where = f"《{hit.title}》" + (f"（{hit.doc_number}）" if hit.doc_number else "")
        section = f"“{hit.section.split(' › ')[-1]}”部分" if hit.section else ""
        # figures taken from an unverified document's text say so where they stand
        state = UNVERIFIED_NOTE if not hit.verified and find_numbers(quote) else ""
        comp.policy_lines.append(f"· 据{where}{section}：{quote} [{n}]{state}")


# A rate asked by its name (合同履约率, 开工率, 资金到位率): its last three characters are how a sentence writes it.
RATE_NAMED = re.compile(r"[\u4e00-\u9fa5]{1,4}(?<![比效频税汇利])率")


# Who a rule is about, in every rule (县区, 各单位): no word saying what the breach was.
BREACH_FRAME = {"县区", "各县区", "县市区", "市局", "我局", "部门", "单位", "企业", "项目", "全市", "工作日", "答复", "会咋", "处理"}


def _breach_words(query: str, words: list[str]) -> list[str]:
    """The question's words before it asks what follows (县区信息员换人了没报备 of …会咋处理): the breach."""
    m = CONSEQUENCE_Q.search(query)
    before = query[: m.start()] if m else ""
    return [w for w in words if w in before and w not in BREACH_FRAME and not re.search(r"\d|号", w)]


def _rate_valued(quote: str, rate: str) -> bool:
    """Whether a clause of `quote` names `rate` and gives a figure, or names it and the next clause gives the figures
    of what it named (开工率和资金到位率都较好，8月底分别为94.1%和58.6%)."""
    clauses = re.split(r"[，,；;。！!？?]", quote)
    return any(rate in clause and (find_numbers(clause) or i + 1 < len(clauses) and "分别" in clauses[i + 1]
                                   and find_numbers(clauses[i + 1])) for i, clause in enumerate(clauses))


def citation_of(hit: Hit, quote: str, n: int) -> Citation:
    """Citation [n] of a retrieved passage, quoting `quote` of it."""
    return Citation(n=n, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text, quote=quote,
                    source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id, chunk_id=hit.chunk_id,
                    page=hit.page, ocr=hit.ocr, verified=hit.verified, uploader=hit.uploader)


def speaks_of(text: str, asked: list[str], places: Gazetteer) -> bool:
    """Whether a passage names one of the places asked about, in any of its written forms."""
    return any(form in text for place in asked for form in places.forms(place))


def _headed(sentences: list[str], content: list[str], words: list[str]) -> tuple[int, float] | None:
    """The content sentence right after the heading sentence that best matches the question (its index in
    `content`) and that heading's coverage; None when no heading matches or nothing follows it."""
    found: tuple[int, float] | None = None
    for i, sentence in enumerate(sentences[:-1]):
        if sentence in content or (covered := _coverage(words, sentence)) == 0 or found and covered <= found[1]:
            continue
        after = next((x for x in sentences[i + 1:] if x in content), None)
        if after is not None and not HEADING.match(sentences[i + 1]):
            found = (content.index(after), covered)
    return found


def asks_only(passage: str) -> bool:
    """Whether a passage ends with a question whose answer is below it (an interviewer's question split from the
    answer, alone or after the editor's note)."""
    sentences = [m.group(0).strip() for m in SENTENCE.finditer(passage) if m.group(0).strip()]
    return bool(sentences) and sentences[-1].endswith(("？", "?"))


def formality_section(section: str) -> bool:
    """Whether a passage's section is a letter's formalities (its contact person, 抄送 and 印发 lines), judged by the
    start of its own heading: an article whose first line says 自印发之日起施行 is content."""
    return FORMALITIES.search(section.split(" › ")[-1]) is not None


def _formality(sentence: str, words: list[str]) -> bool:
    """A letter's formalities (联系人：…, 抄送：…, 收悉) answer nothing, unless the question asks for that very
    thing: 推介会的联系人是谁 is answered by the notice's 联系人：周敏 line."""
    if ADDRESS_LINE.match(sentence):
        return True  # 马丽娟代表： — whom a letter is addressed to (the proposer is quoted by salutation(), if asked)
    found = BOILERPLATE.search(sentence)
    # (联系电话多少: the 联系人 line writes the 电话 after the name; 建议的题目叫啥: the letter's 收悉 line names the
    # proposal in 《》)
    return found is not None and not any(w in found.group(0) or FORMALITY_ASKED.fullmatch(w) and w in sentence
                                         or TITLE_ASKED.fullmatch(w) and "《" in sentence for w in words)


# Characters a quote of three sentences may run to: a provision's clauses (…应当支付逾期利息。双方…有约定的，…；未作
# 约定的，按照每日利率万分之五…) are read together, a long paragraph is not quoted whole.
SPAN_BUDGET = 200


def best_sentences(passage: str, words: list[str], limit: int = 2, want: AnswerType | None = None) -> str:
    """The passage's most relevant sentences (verbatim, in order): the best one and, if it scores too,
    its neighbour. Falls back to the first sentence. With `want`, a sentence holding that kind of value
    (a duration for 多久) outranks one that only repeats the question's words."""
    spans: dict[str, int] = {}  # each sentence's place in the passage, to quote neighbours as the passage writes them
    for m in SENTENCE.finditer(passage):
        s = m.group(0).strip()
        if s and not _formality(s, words) and not INJECTION.search(s) and not is_planted(s):
            spans.setdefault(s, m.start() + m.group(0).index(s))
    sentences = list(spans)
    # A heading sentence (七是“以商招商”。 （五）营商环境尚需进一步优化。) names the topic but says nothing about it:
    # quote the content after it instead, and the heading only when there is nothing else.
    content = [x for x in sentences if not HEADING.match(x)]
    # …and a heading that matches the question better than any content sentence points at the content it heads
    # (关于“由企业评价服务部门”的建议。 then the reply to it): that content answers, whatever its own words
    headed = _headed(sentences, content, words)
    sentences = content or sentences
    if not sentences:
        return ""
    # A question sentence (an interviewer's, a FAQ heading) restates the query but answers nothing.
    holds = [want is not None and want.held_by(s) for s in sentences]
    scores = []
    for s, held in zip(sentences, holds, strict=True):
        covered = _coverage(words, s)
        scores.append(covered * (0.5 if s.endswith(("？", "?")) else 1.0) + (0.5 if held and covered > 0 else 0.0)
                      + (SUBJECT_BONUS if _about(s, words) else 0.0))
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    if headed is not None and _coverage(words, sentences[best]) < headed[1]:
        best, scores[headed[0]] = headed[0], max(scores) + 1.0  # the heading's next sentence may join as before
    picked = [best]
    if sentences[best].endswith(("？", "?")) and best + 1 < len(sentences):
        picked.append(best + 1)  # an interviewer's question is quoted with its answer, never alone
    for neighbour in (best + 1, best - 1, best + 2):
        if (len(picked) >= limit + (neighbour == best + 2) or not 0 <= neighbour < len(sentences) or neighbour in picked
                or len(sentences[neighbour]) >= 160):
            continue
        if neighbour == best + 2 and (best + 1 not in picked
                                      or sum(len(sentences[i]) for i in picked) + len(sentences[neighbour]) > SPAN_BUDGET):
            continue  # a third sentence only continues a short span (the rest of an article: 未作约定的，按…)
        # the next sentence often completes the best one in other words (…提交市局。接收方应在10个工作日内反馈):
        # it joins when it holds the value asked for, even without the question's words
        if scores[neighbour] > 0 or (neighbour >= best + 1 and holds[neighbour]):
            picked.append(neighbour)
    if all(sentences[i].endswith(("？", "?")) for i in picked):
        return ""  # questions only (an interview's, its answer in another passage): nothing is answered here
    quote = "".join(sentences[i] for i in sorted(picked))
    if quote in passage:
        return quote
    # sentences apart in the passage by a line break (an interviewer's question and the answer below it): the
    # contiguous span from the first to the last, when nothing but white space lies between them
    first, last = sentences[min(picked)], sentences[max(picked)]
    span = passage[spans[first]: spans[last] + len(last)]
    return span if re.sub(r"\s+", "", span) == quote else sentences[best]


def salutation(passage: str) -> str:
    """A reply letter's salutation (民建安康市委员会：, 刘文涛委员：) when the passage holds one: a short line of its
    own ending in a colon, followed by the proposal acknowledged (您/贵…提出的《…》…收悉), or a passage that is that line
    alone."""
    m = SALUTATION.search(passage)
    if m is None and ADDRESS_LINE.match(passage.strip()):
        return passage.strip()  # the salutation cut into a passage of its own
    return m.group(1) if m else ""


def _about(sentence: str, words: list[str]) -> bool:
    """Whether a sentence opens with one of the question's words: it is about that thing (人才库收录…), where
    another naming it in a list (“五库”指…招商人才库和政策资源库) is about something else."""
    opening = SENTENCE_OPENING.sub("", sentence)
    return any(opening.startswith(w) for w in words if len(w) > 1)
