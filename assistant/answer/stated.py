"""Does a quoted sentence state what the question asks, or only talk about its topic?

A value question asks a value **of** something: 副局长是谁 asks a person who is the 副局长, 兑现招商奖补资金多少亿元
an amount of 奖补资金, 已经发出去多少钱 an amount actually paid. A sentence that holds a value of the right kind
(answer_types) may still be about something else — the 局长 and not the 副局长, the 合同总投资 and not the 奖补资金,
the reward a draft rule *plans* and not what has been paid. Quoting it answers a question that was not asked, with
a figure that reads like the answer. Three checks, each about the question's form, never its wording:

- the head: the words of the thing the value is asked of (the noun phrase before 是多少 / 是谁 / 哪天, or the noun
  a count counts: 多少条**线索**) must be in the sentence or its section heading;
- the mood: a question about what has happened (已经…了, 到现在, 被评为, 哪天印发的) is not answered by a sentence
  that plans (拟, 力争, 起草, 下一步) or lays down a rule (an article 第…条 of a rule, 分为…等次);

(The precision — 哪一天 answered by a day, not by 2024年 or 春节后 — is the answer type's: answer_types.DAY.)

Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.answer_types import NAME_Q, NAMED_POSITION, ORDINAL, names_the_value
from assistant.index.places import gazetteer
from assistant.index.synonyms import load_synonyms
from assistant.index.tokenize import tag
from assistant.numerals import number_value

# How a question asks for its value; the thing asked about is next to it.
ASKING = re.compile(r"多少|几(?=[个条项家期次批场件户所座款份轮名位人天年月周]|$|[？?])|是谁|(?<!是)谁|哪位|哪几位|"
                    r"哪儿|哪里|什么地方|第几|"
                    r"哪[两二三四五六七八九十\d]+[个项条家种类位]|"
                    r"哪一?天|哪一?年(?!度)|几月几[日号]|几[号日]|什么时候|何时|啥时候|叫什么|哪些|哪几|哪个|哪家")
# A count or a measure (多少条, 几天, 扣多少分): what is counted follows it, or is the event before it — a verb phrase
# too loosely worded (带队出去招商一共多少批) to be required of a sentence.
CLASSIFIER = re.compile(r"(?:多少|几)\s*(?:个|条|项|家|期|次|批|场|件|户|所|座|款|份|轮|天|周|月|年|人|名|位|分|倍|点)")
# A question asking which, who or a name: its answer names things or people, bound like a value to what it is asked of.
WHICH = re.compile(r"谁|哪位|哪些|哪几|哪个|哪家|哪儿|哪里|什么地方|叫什么|名字|姓名|哪[两二三四五六七八九十\d]+[个项条家种类位]")
# A which-question naming how many things it wants (是哪三个年, 哪两项): the answer lists that many.
HOW_MANY_LISTED = re.compile(r"哪([两二三四五六七八九十\d]+)[个项条家种类位]|([两二三四五六七八九十\d]+)[个项条家种类位](?:分别)?(?:是|在)(?:哪|谁)")
# A document saying the thing asked is published elsewhere (具体事项清单另行公布): it does not give it.
DEFERRED = re.compile(r"另行(?:公布|制定|明确|通知|印发|发布)|另文(?:公布|印发)")
# How a sentence lists things: 、 between them, 一是…二是…, or each in quotation marks.
LIST_MARKS = re.compile(r"、|[一二三四五六七八九十]是|“[^”]{1,12}”")
# Parts of speech of the words a thing is named by (jieba's tags): nouns, verbal nouns, abbreviations, fixed
# phrases, distinguishing words (副 主任), adjectives (优秀) and the verbs inside a compound name (控制指标).
NAMING = ("n", "nr", "ns", "nt", "nz", "ng", "nl", "vn", "j", "l", "eng", "b", "v", "vd", "a", "an")
NOUNS = ("n", "nr", "ns", "nt", "nz", "ng", "nl", "vn", "j", "l", "eng", "b", "s")  # (s: 境外, 省外企业)
# Words that link a name to the question word, not part of the name (是谁, 有多少, 定的多少, 一共…).
LINKS = {"是", "有", "为", "定", "在", "达到", "达", "共", "一共", "总共", "大概", "大约", "都", "分别", "能", "会", "要",
         "得", "现在", "已经", "目前", "到", "叫",
         # how a plan is asked of (原计划啥时候发, 预计什么时候建成): the plan's timing, not a thing named 计划
         "原计划", "原定", "按计划", "计划", "预计", "打算", "准备",
         # how what a term covers is asked (具体指哪些, 指的是啥, 都包括哪些): its members, not a thing named 指
         "指", "具体指", "是指", "指的是", "具体是", "包括", "包含", "具体包括"}
# Time words of how or how often (每个礼拜最晚哪天): when the thing happens, not the thing.
WHEN_WORDS = re.compile(r"^(?:每个?|最晚|最迟|最早|礼拜|星期|周|月|年|季度|一般|通常|平时)+$")
# Which-questions list things of a kind (…的单元有哪些): the kind is what the answer names, the words before 的 what
# sets them apart.
LISTING = re.compile(r"(?:有|是|为)(?:哪些|哪几|哪个|哪家)")
# Words naming which figure of a thing is asked (its size, its total, its threshold, the expected one), not the thing.
MEASURE_WORDS = {"规模", "总量", "总额", "体量", "数量", "水平", "幅度", "门槛", "标准", "额度", "上限", "下限", "预期", "基本"}
# Words too general to tell one sentence from another.
GENERAL = {"情况", "问题", "内容", "数据", "数字", "信息", "东西", "事情", "方面", "工作", "招商", "招商引资", "全市", "我市",
           "安康", "安康市", "相关", "具体", "名字", "名称", "姓名", "题目", "标题", "全称", "时候", "时间", "日期", "单位", "部门", "地方", "县区",
           "各县区", "县里", "市里", "区里", "表里"}
# A modal or passive fused to the next word by the tokenizer (会扣, 要报): how it is asked, not a name.
MODAL = re.compile(r"^[会要能可得被应需都就还]")
# A place (汉中市, 西乡县): the documents' jurisdiction is checked elsewhere (index.places), it is no attribute.
PLACE = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市县区州]$")
HEAD_WORDS = 2
# What ends a term: punctuation and spaces. A short form's words are looked for within one term.
TERM_BREAK_CHARS = r"\s，。；、：！？,.;:!?“”\"《》（）()【】"
# Conjunctions joining the things a question asks about (外资短板和项目管家).
CONJUNCTION = re.compile(r"以及|还有|或者|和|与|及|、|或")

# A question about what has happened: an amount paid, a date something was issued, a grade awarded.
REALISED_Q = re.compile(
    r"已经|(?<![而])已(?=[\u4e00-\u9fff])|到现在|至今|到目前|截至目前|为止|发出去|发了|花了|被评为|评上|"
    r"(?:到|截至|截止)\s*\d{1,2}\s*月(?:底|末)|"
    r"(?:印发|出台|发布|举办|召开|签约|签订|开工|投产|成立|设立|建成|发放|兑现|拨付|落地|中标|挂牌|评)(?:了|的)[吗呢]?[？?]?$")
# A sentence that plans or drafts rather than reports.
PROSPECTIVE = re.compile(r"拟|(?<!完成)(?<!全年)(?<!年度)计划(?!的)|力争|争取|预计|打算|将(?:于|在|把|对|会|进一步|继续|逐步|按)|起草|征求意见稿|尚未|"
                         r"待.{0,8}后|年内(?:完成|出台|印发)|下一步|研究制定")
# A section that plans (下一步工作打算) or an article of a rule (第二十四条): neither reports what happened.
PLAN_SECTION = re.compile(r"打算|下一步|计划|措施|第[一二三四五六七八九十百零]+条")
# A sentence that lays down a rule rather than reports.
# …or defines a term (“万企”指累计走访对接万家以上企业): a target in a definition is no count of what was done
NORMATIVE = re.compile(r"分为.{0,16}(?:等次|档|级|类)|不得|应当|(?:不|最高不)超过|不低于|不少于|原则上|可(?:以)?按|[”\"]指|是指")



# A figure in a clause: digits, or a Chinese numeral with a measure word (一场, 三个).
COUNT_IN = re.compile(r"\d|[一二两三四五六七八九十百千万]+\s*(?:个|条|项|家|期|次|批|场|件|户|所|座|款|份|轮|名|位|人)")
# Where a thing is placed among others (实际使用外资在全省排第几位): the field it is ranked in, not the thing.
RANKED_IN = re.compile(r"(?:在|于)[^，,在于]{1,8}?(?:内|中|里|上)?(?:排|位列|位居|居|名列)?$|(?:排|位列|位居|居|名列)$")
# A value a document masks (副主任**带领, 项目**个, ××公司): what it would have said is not given.
MASK = re.compile(r"\*{2,}|×{2,}|＊{2,}|X{2,}|x{2,}|某某")
# A question setting some things aside (除了汉阴、高新、旬阳，另外三个是哪儿): the answer names others.
EXCEPT = re.compile(r"除(?:了|去)?([^，,。？?；;]{2,30}?)(?:以外|之外|外)?[，,]")
# The rest of a set said together (其余10个县, 其他单位): nobody named.
REST = re.compile(r"其余|其他|其它|剩余|剩下")
# A thing a sentence speaks of without saying which (一家园区运营企业, 某企业, 若干项目): its name is not given.
INDEFINITE = re.compile(r"(?:一|某)(?:家|个|位|所|批|些)|若干|有关|相关|某")
# How a which-question is asked colloquially (叫啥, 啥时候): 啥 is 什么.
COLLOQUIAL = {"啥": "什么", "哪儿": "哪里"}


@dataclass(frozen=True)
class Asked:
    """What a question asks a value of, and how (see the module docstring)."""

    head: tuple[str, ...] = ()
    realised: bool = False
    # the heads of the other things a compound question asks about (外资短板和项目管家有哪些措施: 外资短板): a
    # sentence stating the value of any one of them answers its part
    others: tuple[tuple[str, ...], ...] = ()
    # the question counts a thing (多少个政府经纪人, 外资项目有几个): a figure answers it only in the clause that
    # names that thing (推介重点项目87个 counts projects, not 政府经纪人)
    counted: bool = False
    listed: int = 0  # how many things a which-question asks for (哪三个 → 3); 0: not said
    words: tuple[str, ...] = ()  # the nouns of the asking clause (事项清单): what a deferral must speak of
    kind: tuple[str, ...] = ()  # the nouns right after a which-word (哪位常委会副主任): whom the value is asked of
    named: bool = False  # a name asked (叫什么名字): a sentence speaking of the thing without naming it gives none
    ranked: bool = False  # a position asked (排第几位): given by an ordinal in the part of a sentence naming the thing
    # places of other jurisdictions the question names, each as its written forms (三亚那场推介会来了多少家企业): a
    # document of that place states its values; in another document, the sentence stating the value names it
    scope: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()  # things the question sets aside (除了汉阴、高新): naming only these answers nothing

    def stated_by(self, section: str, quote: str, title: str = "") -> bool:
        """Whether `quote` (under `section`, in the document `title`) states the asked value of the asked thing, in
        the asked mood. The title may name the thing (a notice about the 推介会 it gives the 人员 of); only the
        section and the sentence say whether it is a plan."""
        text = f"{title} {section} {quote}"
        if not any(all(written(word, text) for word in head) for head in (self.head, *self.others)):
            return False
        if self.realised and (PROSPECTIVE.search(quote) or PLAN_SECTION.search(section) or NORMATIVE.search(quote)):
            return False
        if self.counted and all(written(word, quote) for word in self.head) and not any(
                COUNT_IN.search(clause) and all(written(word, clause) for word in self.head)
                for clause in re.split(r"[，,；;。！!？?：:]", quote)):
            return False  # the sentence names the thing, but its figures count other things
        sentences = re.split(r"[；;。！!？?]", quote)  # (parted at 。 and ；, not at commas)
        clauses = re.split(r"[，,；;。！!？?]", quote)
        if self.listed >= 2 and max((len(LIST_MARKS.findall(s)) + 1 for s in sentences), default=0) < self.listed:
            return False  # 是哪三个年 is not answered by a sentence naming the three but listing none
        if any(DEFERRED.search(clause) and any(w in clause for w in self.words) for clause in clauses):
            return False  # 具体事项清单另行公布: the list asked for is not in this document
        if (named := self.head or self.kind) and any(
                MASK.search(clause) and all(written(word, clause) for word in named) for clause in clauses):
            return False  # 副主任**带领: the document masks the value asked of the thing
        if self.named and self.head and not any(
                all(written(word, clause) for word in self.head) and not _indefinite(clause, self.head[0])
                for clause in clauses):
            return False  # 与东部一家园区运营企业签订协议: the thing is spoken of, not named
        if self.ranked and self.head and not any(
                ORDINAL.search(part) and all(written(word, part) for word in self.head) for part in sentences):
            return False  # 内资总量居全省第五位；实际使用外资1916万美元: the place given is another thing's
        if self.scope and not all(any(form in f"{title} {section}" for form in forms) for forms in self.scope) \
                and not any(all(any(form in sentence for form in forms) for forms in self.scope)
                            and (not self.head or all(written(word, sentence) for word in self.head))
                            for sentence in sentences):
            return False  # 办了三亚专场推介会。…与126家企业洽谈: the count is the quarter's, not that event's
        if self.kind and self.kind[-1] in PLACE_KINDS and not gazetteer().find(quote):
            return False  # 安排在哪个城市: a sentence naming no place does not say which
        if self.excluded and not _names_others(quote, self.excluded):
            return False  # 只有汉阴县、高新区和旬阳市: the very ones the question set aside
        return True


def _indefinite(clause: str, word: str) -> bool:
    """Whether `clause` speaks of `word` without saying which one (东部一家园区运营企业): an indefinite determiner
    within the few characters before it."""
    at = clause.find(word)
    return at >= 0 and INDEFINITE.search(clause[max(0, at - 8):at]) is not None


def _names_others(quote: str, excluded: tuple[str, ...]) -> bool:
    """Whether a quote lists anything besides the things set aside: a list (words between 、, 和, 及, 与 in one
    clause, brackets aside) with an item naming none of them."""
    for clause in re.split(r"[，,。；;！!？?：:]", re.sub(r"[（(][^）)]*[）)]", "", quote)):
        if "、" not in clause or REST.search(clause):
            continue  # 其余10个县、开发区: the rest said together, no one named
        items = [i for i in re.split(r"、|和|及|与", clause) if i.strip() and not re.search(r"\d", i)]
        if any(not any(x in i for x in excluded) for i in items):
            return True
    return False


# Which city or province a which-question asks (哪个城市): its answer names one.
PLACE_KINDS = ("城市", "省份")  # (哪些地方 may be answered by 长三角, 东南亚: no gazetteer name)

# How a 公文 writes 县区: 县（市、区）, 县市区, 区县.
COUNTIES_WRITTEN = re.compile(r"县[（(]市[、，,]区[）)]|县市区|区县")


QUOTE_MARKS = re.compile(r"[“”‘’\"「」『』]")


def written(word: str, text: str) -> bool:
    """`word` is in `text`, or its stem is (招商服务中心 → 招商服务中): a word of four characters or more keeps its
    meaning without its last one, a shorter one does not (招商局 is not 招商, 副局长 is not 副局). Or `word` is a
    short form of a term the text writes in full (考核办法 of 考核评价办法), or another way of writing it (招商局 of
    招商和经济合作局, synonyms.yaml). 县（市、区） is written 县区."""
    text = COUNTIES_WRITTEN.sub("县区", text)
    if word not in text:  # a term written with its part in quotes (“链主”企业) is the term (链主企业)
        text = QUOTE_MARKS.sub("", text)
    return (word in text or (len(word) >= 4 and word[:-1] in text) or abbreviates(word, text)
            or any(other in text for other in load_synonyms().forms(word))
            # a term the question calls new or current (新考核办法, 现行管家办法): the document writes the term
            or len(word) >= 5 and word[0] in MODIFIERS and written(word[1:], text))


# One-character words a question puts before a term to say which edition it means (新考核办法, 原办法, 现行…).
MODIFIERS = "新原老现旧该本此"


def abbreviates(short: str, text: str) -> bool:
    """Whether `short` is the short form of a term written in `text`: the term keeps the short form's words (two
    characters or more each) in order and adds at most as many characters between them, within one run of text
    without punctuation (考核办法 → 考核评价办法, 信息共享办法 → 信息共享机制的实施办法, 驻外联络处 → 驻外招商联络处).
    A single character spread over a term (服务卡 → 服务小组的卡) shortens nothing."""
    return any(re.search(pattern, text) for pattern in _short_form_patterns(short))


@lru_cache(maxsize=512)
def _short_form_patterns(short: str) -> tuple[re.Pattern[str], ...]:
    gap = f"[^{TERM_BREAK_CHARS}]"
    patterns = []
    for cut in range(2, len(short) - 1):
        head, tail = short[:cut], short[cut:]
        patterns.append(re.compile(f"{re.escape(head)}{gap}{{1,{len(short)}}}?{re.escape(tail)}"))
    return tuple(patterns)


def asked_of(question: str, blanks: list[str] | None = None, said: str | None = None) -> Asked:
    """The thing the question asks a value of (its head words) and whether it asks what has happened. `blanks`: words the question names that are not the thing asked (places, periods, project
    names) — they are cut out first. `said`: the question as written, when `question` has its names blanked out
    (the things it sets aside, 除了汉阴、高新, are read from it)."""
    for colloquial, written_form in COLLOQUIAL.items():
        question = question.replace(colloquial, written_form)
    excluded = tuple(w.strip() for part in (m.group(1) for m in EXCEPT.finditer(said or question))
                     for w in re.split(r"[、和及与跟]", part) if len(w.strip()) >= 2)
    text = question
    for word in sorted(blanks or [], key=len, reverse=True):
        if word:
            text = text.replace(word, "，")
    clause = next((c for c in re.split(r"[，,；;。！!？?]", text) if ASKING.search(c)), "")
    m = ASKING.search(clause)
    head: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    counted = ranked = False
    if m:
        listing = LISTING.search(clause) is not None
        rest = clause[m.start():]
        ranked = NAMED_POSITION.search(clause[max(0, m.start() - 2):m.start() + 4]) is not None
        if WHICH.match(rest):
            kind = _nouns_after(rest[len(m.group(0)):], join_cut=True)
        if CLASSIFIER.match(rest):
            counted = not _unit(rest)
            # 多少条线索: the noun counted; 代办审批事项多少件: the nouns before (never the verbs of an event,
            # 带队出去招商一共多少批, nor before a unit of time or people, 几天内)
            head = _counted(rest) or (() if _unit(rest) else _named_before(clause[: m.start()], nouns_only=True))
        elif ranked:
            # 实际使用外资在全省排第几位: the thing ranked, before the field it is ranked in — as written, its
            # metric (外资) not blanked out: the place is another metric's otherwise
            written_clause = next((c for c in re.split(r"[，,；;。！!？?]", said or question) if NAMED_POSITION.search(c)),
                                  clause)
            at = NAMED_POSITION.search(written_clause)
            head = _named_before(RANKED_IN.sub("", written_clause[: at.start() if at else m.start()]))
        else:
            head = _named_before(clause[: m.start()], listing)
    head = tuple(w for w in head if not names_the_value(question, w))
    # 外贸进出口规模多少, GDP总量多少, 注册资本门槛是多少: the measure word says which figure of the thing is asked —
    # the answer type checks that one is given — while documents write the thing alone (进出口达到…亿元)
    head = tuple(w for w in head if w not in MEASURE_WORDS) or head
    # A和B有哪些措施: B's head was read above (a name stops at a conjunction); A's is read the same way
    parts = CONJUNCTION.split(clause[: m.start()]) if m and head else []
    others = tuple(h for part in parts[:-1] if (h := tuple(w for w in _named_before(part) if not names_the_value(question, w))))
    listed = HOW_MANY_LISTED.search(clause)
    how_many = (listed.group(1) or listed.group(2)) if listed else None
    # (a question also asking who issues it or when, 清单由谁来发, is answered by the deferral itself)
    words = () if re.search(r"谁|哪个(?:部门|单位)|什么时候|何时", question) else tuple(
        t.word for t in tag(clause) if t.flag in NOUNS and len(t.word) >= 2 and t.word not in GENERAL)
    return Asked(head=head, realised=REALISED_Q.search(said or question) is not None, others=others,
                 counted=counted and bool(head) and not others,
                 listed=(number_value(how_many) or 0) if how_many else 0, words=words,
                 kind=kind, named=NAME_Q.search(question) is not None, ranked=ranked, excluded=excluded)


def _unit(rest: str) -> bool:
    """几天, 多少人, 扣多少分: a unit of time, people or points, not a measure word counting a thing."""
    m = CLASSIFIER.match(rest)
    # (几个人: 个 then the people counted)
    return m is not None and (m.group(0)[-1] in "天周月年人名位分倍点" or rest[m.end():m.end() + 1] == "人")


def _nouns_after(text: str, join_cut: bool = False) -> tuple[str, ...]:
    """The nouns `text` starts with, up to HEAD_WORDS: 政府经纪人 → (政府, 经纪人). `join_cut`: a character the
    tokenizer cut off is joined to the word after it (副 + 秘书长, after a which-word: 哪位副秘书长带队)."""
    run: list[str] = []
    pending = ""
    for token in tag(text):
        word = token.word.strip()
        if not word:
            continue
        if join_cut and token.flag in NOUNS and len(word) == 1 and not pending:
            pending = word
            continue
        if token.flag not in NOUNS or len(word) < 2 or word in GENERAL:
            break
        run.append(pending + word)
        pending = ""
    return tuple(run[:HEAD_WORDS])


def _counted(rest: str) -> tuple[str, ...]:
    """多少条线索 → (线索,): the nouns right after a count's measure word. A unit of time, people or points (几天内,
    多少人, 扣多少分) counts no noun after it."""
    m = CLASSIFIER.match(rest)
    if not m or _unit(rest):
        return ()
    return _nouns_after(rest[m.end():])  # 多少个政府经纪人 → (政府, 经纪人): the nouns right after it, together


def _named_before(before: str, listing: bool = False, nouns_only: bool = False) -> tuple[str, ...]:
    """分管外资的副局长是 → (副局长,); 兑现招商奖补资金 → (兑现, 资金): the last words before the question word that
    name a thing, after the linking words (是, 有, 定的) and up to a 的, a conjunction or a non-naming word.
    `listing` (…不合格等次的单元有哪些): the kind listed (单元) is skipped for the words before its 的.
    `nouns_only`: the nouns only (审批事项), for a count whose thing is named before it."""
    tokens = [(t.word.strip(), t.flag) for t in tag(before) if t.word.strip()]

    def strip() -> None:
        # the verbs, particles and time words between the name and the question word (发出去, 定的, 是, 每个礼拜最晚)
        while tokens and (tokens[-1][0] in LINKS or tokens[-1][1] not in NOUNS or WHEN_WORDS.match(tokens[-1][0])
                          or MODAL.match(tokens[-1][0])):
            tokens.pop()

    strip()
    # a predicate after the copula (手册是发给哪些人): the thing is named before 是, not by the verb after it
    if len(tokens) >= 2 and tokens[-1][1] == "vn" and tokens[-2][0] in ("是", "为"):
        del tokens[-2:]
        strip()
    if listing:
        kind = len(tokens)
        while kind and tokens[kind - 1][1] in NOUNS:
            kind -= 1
        if kind < len(tokens) and kind and tokens[kind - 1][0] == "的":
            del tokens[kind - 1:]
            while tokens and (tokens[-1][0] in LINKS or tokens[-1][1] not in NAMING):
                tokens.pop()
    run: list[str] = []
    for i in range(len(tokens) - 1, -1, -1):
        word, flag = tokens[i]
        if flag not in (NOUNS if nouns_only else NAMING) or word in LINKS or WHEN_WORDS.match(word):
            break
        if flag in ("v", "vd") and not (i and tokens[i - 1][1] in NOUNS):
            break  # a verb names the thing only inside a compound (投资控制指标), not at its edge
        run.insert(0, word)
    # a single character the tokenizer cut off (副 + 主任, 奖 + 补 + 资金) belongs to the word after it
    words: list[str] = []
    pending = ""
    for word in run:
        if len(word) == 1:
            # a place cut into characters (甲 + 县) is no part of the name after it
            pending = "" if word in "省市县区州" else pending + word
        else:
            words.append(pending + word)
            pending = ""
    if pending and words:
        words[-1] += pending
    kept = [w for w in words if w not in GENERAL and not PLACE.match(w)]
    return tuple(kept[-HEAD_WORDS:])
