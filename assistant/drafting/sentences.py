"""What a sentence of a source document is, before a draft may quote it as a measure.

Every sentence is read for its **actor** (who does or says it: the answering body — the 招商局 and its
offices —, the city government, another body such as an NPC survey team or another city's bureau, or
the proposer) and its **kind**:

- action — something done (出台、推出、建立、组织、委托……编制) → a measure taken;
- plan — something to be done (将、力争、计划、下一步) → a next step;
- compliment — praise of a proposal or its author (“提案针对性、操作性都很强”) → never a measure;
- criticism — a shortcoming found or reported by someone (调研发现、企业反映、不足、滞后) → never a measure;
- heading — a short title without content (“（一）加强全市招商统筹。”) → never a measure;
- boilerplate — letter formulas, purpose clauses and commitments without content (收悉、高度重视、特制定本办法);
- statistic — a period figure the database keeps (the draft takes figures from the database);
- statement — anything else (background, definitions).

The rules are general features of 公文 prose (who is the grammatical subject, what the predicate
does), not lists of sentences from particular documents; tests/drafting/test_sentences.py reads
sentences of the demo corpus with them and bench/drafting_review.py --seeds counts them on other
documents. Pure functions: strings in, a Reading out.

Time words written relative to a document's own date (今年、上半年、去年) are rewritten to absolute
years when the document is from an earlier year than the draft (`absolute_time`); words that cannot be
made absolute (近年来、目前、近期) are returned as flags for the drafter to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from typing import Literal

Actor = Literal["answering", "city", "other", "proposer"]
SentenceKind = Literal["action", "plan", "compliment", "criticism", "heading", "boilerplate", "statistic", "statement"]

ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|\([一二三四五六七八九十\d]+\)|"
                     r"[一二三四五六七八九十]+、|\d{1,2}[.．、]|第[一二三四五六七八九十百零\d]+条)\s*")
MARKUP = re.compile(r"[*#>]+")
HEADING_MAX_CHARS = 22
SHORT_HEADING_CHARS = 8

# -- who acts: the grammatical subject, else the document's author
ANSWERING_SUBJECT = re.compile(
    r"我局|本局|我们|局党组|局机关|招商(?:和经济合作)?局|招商信息中心|招商服务中心|驻外(?:招商)?(?:联络处|分局|机构|办事处)|"
    r"市县两级招商部门|招商系统|招商部门|各科室|承办科室")
PROPOSER_SUBJECT = re.compile(r"^[^，。]{0,6}(?:您|贵单位|委员|代表)(?:在|所|提出|指出|建议|认为|反映|的)|提案(?:中|指出|认为|提出)|"
                              r"^(?:该|本|此|这件|这个)?(?:提案|建议)(?:对|所|的|中|提出)|^所提|"
                              r"建议(?:中|指出|认为)提出")
OTHER_SUBJECT = re.compile(
    r"调研组|调研(?:中|发现|认为|了解到)|常委会|人大|政协(?!提案委员会)|审计(?:发现|指出|认为)|督查(?:组|发现)|检查组|评估组|"
    r"(?:企业|群众|客商|投资者|多数企业|部分企业)(?:普遍)?(?:反映|认为|表示|希望)|座谈中|走访的|专家认为|媒体")
CITY_SUBJECT = re.compile(r"^(?:市委|市政府|市人民政府|市委、市政府|全市|市级)")

# -- what the sentence does
PRAISE = re.compile(
    r"针对性|操作性|前瞻性|建设性|指导性|可行性|参考价值|借鉴意义|现实意义|很有见地|切中要害|切合实际|符合实际|"
    r"中肯|深刻|全面|精准|有价值|很有|十分重要|非常重要|很强|很好|宝贵|富有|具有[^，。]{0,8}意义")
PRAISED = re.compile(r"提案|建议|意见|您|委员|代表|分析|观点|思路|所提|所言")
THANKS = re.compile(r"感谢|致谢|谢意")
NEGATIVE = re.compile(
    r"不足|薄弱|滞后|短板|不够|偏少|偏弱|偏低|缺乏|缺少|欠缺|不能|难以|不强|不高|不清|不严|不及时|不到位|不充分|"
    r"迟迟|较长|不准|不深|较慢|落后|重叠|混入|有待|亟待|仍然存在|仍存在|问题突出|不平衡|不规范|压价|争抢|内耗")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零\d]+条")
DEFINITION = re.compile(r"^所谓|是指|指的是")
STALLED = re.compile(r"^(?:由于|受|但|但是|然而)|仍在[^。；]{0,10}中|尚未|仍未|仍处于|未能")
REPORTED = re.compile(r"发现|反映|认为|指出|了解到|表示|抽查|暴露")
BOILERPLATE = re.compile(
    r"收悉|答复如下|现答复|再次感谢|欢迎[^。]{0,10}(?:意见|建议|监督)|特此|请予审议|以上报告|请认真|请结合|请及时|贯彻执行|"
    r"特制定|制定本办法|本办法(?:所称|自|由)|自[^。]{0,12}起施行|解释权|联系人|联系电话|抄送|印发$|"
    r"高度重视|认真研究|逐条研究|为契机|重中之重|结合起来|逐项落实|认真吸收|研究吸收|作为[^。]{0,12}重要参考|关心和支持|关心和关注|以下工作|如下工作|"
    r"^[\u4e00-\u9fa5]{2,6}[：:]$|^[\u4e00-\u9fa5]{2,8}[：:]\s*$|^(?:附件|附表|附：)")
FUTURE = re.compile(r"(?:^|[，。；、]|我们|我局|本局|我市|市县|各地)(?:将|下一步|今后|计划|拟|力争|争取|着力|确保|继续|持续|要|需|计划于)|我局将|将(?:进一步|继续|加快|"
                    r"认真|积极|重点|建立|推动|组织|开展|研究|争取)|力争|年内|到\d{4}年")
DEED = re.compile(
    r"出台|推出|建立|建成|制定|修订|印发|组织|举办|召开|开展|设立|成立|编制|委托|签订|签约|引进|实施|推行|上线|收录|"
    r"走访|培训|对接|完成|落实|聘请|派驻|绘制|举行|发布|搭建|开通|选派|安排|协调|帮助|解决|兑现|拨付|配备|联合|"
    r"赴|参加|接待|考察|洽谈|梳理|形成|整合|吸纳|增加到|扩充|开设|打造|创建|探索|实行|把[^，。]{1,20}(?:纳入|作为|列为)|"
    r"分流|流转|跟踪|录入|销号|调度|督办|核查|通报|辅导|讲解|宣传|推介|服务|收集|筹建|编印|编写|更新|征集|组建|增加|会同|指导|支持|推荐|"
    r"起草|推送|邀请|联系|签署|表彰|提供|给予|启动|牵头|设置|覆盖|抽调|派出|开发|对接|拓展|开辟|聘任|明确|帮办|代办")
PAST_DONE = re.compile(r"已|了|先后|累计|正在|今年以来|年初|去年|此前")
IMPERATIVE = re.compile(r"^(?:紧盯|加快|扭转|推动|强化|完善|健全|深化|突出|拓宽|用好|加强|压实|细化|围绕|聚焦|坚持|优化|提升|做好|抓好)")
COPULA = re.compile(r"^[^，；。是]{2,12}是(?!指)")
PLANNING_SECTION = re.compile(r"下一步|打算|计划|工作措施|工作安排|思路")

Statistic = Callable[[str], bool]


@dataclass(frozen=True)
class Reading:
    actor: Actor
    kind: SentenceKind

    @property
    def is_done_measure(self) -> bool:
        """A measure already taken by the answering body (or the city government it acts for)."""
        return self.actor in ("answering", "city") and self.kind == "action"

    @property
    def is_next_measure(self) -> bool:
        return self.actor in ("answering", "city") and self.kind in ("plan", "action")

    @property
    def is_own_problem(self) -> bool:
        """A difficulty the answering body states itself (not another body's criticism)."""
        return self.actor in ("answering", "city") and self.kind in ("criticism", "statement", "action")


def _bare(sentence: str) -> str:
    return ORDINAL.sub("", MARKUP.sub("", sentence)).strip()


def is_heading(sentence: str) -> bool:
    """A title without content: no final 。；！, or short with no clause inside (“（一）加强全市招商统筹。”)."""
    bare = _bare(sentence)
    if not bare:
        return True
    if bare.endswith(("：", ":")) and len(bare) > HEADING_MAX_CHARS:
        return False  # a lead-in to a list (“……重点做好以下工作：”)
    if not bare.endswith(("。", "；", "！", "？", "?")):
        return True
    body = bare.rstrip("。；！？?")
    if re.search(r"[，,：:；]", body):
        return False
    # A short sentence is a heading when it is numbered or set in bold (“（一）加强全市招商统筹。”), or very short.
    numbered = bool(ORDINAL.match(MARKUP.sub("", sentence).strip())) or "**" in sentence
    return len(body) <= (HEADING_MAX_CHARS if numbered else SHORT_HEADING_CHARS)


INTRO = re.compile(r"^(?:针对|按照|根据|对于|关于|围绕|结合|对照|为|对此|为此|同时|此外|另外|因此)[^，。；]*[，,]\s*")


def _subject_clause(bare: str) -> str:
    """The first clause after any introductory phrase (“针对提案中……的意见，我局……” → “我局……”)."""
    rest = bare
    for _ in range(2):
        stripped = INTRO.sub("", rest, count=1)
        if stripped == rest or not stripped:
            break
        rest = stripped
    return re.split(r"[，。；]", rest, maxsplit=1)[0]


def actor_of(sentence: str, author: Actor) -> Actor:
    """The sentence's own subject when it names one, else the document's author. Another body's document
    stays another body's: a survey team quoting the bureau's work is still the survey team's account."""
    if author == "other":
        return "other"
    bare = _bare(sentence)
    head = _subject_clause(bare)
    if ANSWERING_SUBJECT.search(head[:14]):
        return "answering"
    if PROPOSER_SUBJECT.search(head) or PROPOSER_SUBJECT.search(bare[:12]):
        return "proposer"
    if OTHER_SUBJECT.search(head):
        return "other"
    if author == "city" or CITY_SUBJECT.search(head):
        return "city" if author in ("answering", "city") else author
    return author


def _first(pattern: re.Pattern[str], text: str) -> int:
    m = pattern.search(text)
    return m.start() if m else len(text) + 1


def read_sentence(sentence: str, author: Actor = "answering", is_statistic: Statistic | None = None,
                  section: str = "") -> Reading:
    """The actor and kind of one sentence from a document written by `author`, in section `section`
    (in a 下一步/打算 section an imperative sentence is a plan)."""
    bare = _bare(sentence)
    actor = actor_of(sentence, author)
    if is_heading(sentence):
        return Reading(actor, "heading")
    first = re.split(r"[，。；]", bare, maxsplit=1)[0]
    if DEFINITION.search(bare) or ARTICLE.match(MARKUP.sub("", sentence).strip()):
        return Reading(actor, "statement")  # a definition or a policy's article is a rule, not a deed
    if THANKS.search(bare) or (PRAISE.search(bare) and PRAISED.search(bare) and not NEGATIVE.search(bare)
                               and (actor == "proposer" or not DEED.search(first))):
        return Reading(actor, "compliment")
    if BOILERPLATE.search(bare):
        return Reading(actor, "boilerplate")
    if actor == "proposer":
        # What the proposer pointed out or asked for: their words, not the bureau's deeds.
        return Reading(actor, "criticism" if NEGATIVE.search(bare) else "statement")
    if actor == "other":
        # Another body's account: its criticism, or its description of someone's work — never our deed.
        return Reading(actor, "criticism" if NEGATIVE.search(bare) or REPORTED.search(bare) else "statement")
    if REPORTED.search(first) and NEGATIVE.search(bare):
        return Reading(actor, "criticism")
    if is_statistic is not None and is_statistic(bare):
        return Reading(actor, "statistic")
    if STALLED.search(bare):
        return Reading(actor, "criticism")  # a difficulty the body states itself: a problem, not a measure
    deed, future, past = _first(DEED, bare), _first(FUTURE, bare), _first(PAST_DONE, bare)
    copula = COPULA.match(first)
    if copula and deed >= copula.end() and future > len(bare):
        return Reading(actor, "statement")  # “商会是……的桥梁”: says what something is, not what anyone does
    if PLANNING_SECTION.search(section) and past > len(bare) and (deed <= len(bare) or IMPERATIVE.search(first)):
        return Reading(actor, "plan")  # under 下一步 a deed without a mark of the past is a plan
    if future <= len(bare) and not (deed < future and past < future):
        return Reading(actor, "plan")
    if deed <= len(bare) or IMPERATIVE.search(first):
        if PLANNING_SECTION.search(section) and past > len(bare):
            return Reading(actor, "plan")
        return Reading(actor, "action")
    if NEGATIVE.search(bare):
        return Reading(actor, "criticism")
    return Reading(actor, "statement")


CITY_PREFIX = re.compile(r"^(.{2,8}?[市县区州盟])")
OTHER_AUTHORS = re.compile(r"人大|政协|调研组|审计|督查|法院|检察院|纪委|监委|商会|协会|报社|电视台|日报")


def document_author(office: str, title: str, genre: str, answering_office: str, file_name: str = "") -> Actor:
    """Who wrote a document, from its 发文机关 (or title, or file name): the answering body, its city's
    government, or another body (an NPC survey team, another city's bureau)."""
    city = CITY_PREFIX.match(answering_office)
    city_name = city.group(1) if city else ""
    where = office or title
    named = f"{title} {file_name}"
    if OTHER_AUTHORS.search(office) or (not office and OTHER_AUTHORS.search(named) and "答复" not in named):
        return "other"
    if genre in ("调研报告", "访谈", "新闻") or re.search(r"调研报告|审议稿|视察报告|访谈", named):
        return "other"
    if city_name and where and re.search(r"[\u4e00-\u9fa5]{2,4}市", where):
        cities = re.findall(r"([\u4e00-\u9fa5]{2,3}市)", where)
        if cities and all(n != city_name and not city_name.startswith(n) for n in cities):
            return "other"  # another city's bureau: its measures are not ours
    if office and (office == answering_office or ("招商" in office and (not city_name or city_name in office))):
        return "answering"
    if "招商" in title and city_name and city_name in title:
        return "answering"
    if office and city_name and city_name in office:
        return "city"
    return "answering" if not office else "other"


# -- time words
RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "明年": 1}
RELATIVE = re.compile(r"(?<![\d年])(今年|本年度|本年|去年|上年|明年)|(?<![\d年度])(上半年|下半年|一季度|二季度|三季度|四季度|前三季度|年初|年底|年内)")
VAGUE = re.compile(r"近年来|近几年|近期|目前|当前|现阶段|日前|最近")


def absolute_time(text: str, written: Date | None, as_of: Date) -> tuple[str, list[str]]:
    """`text` from a document written on `written`, as read on `as_of`: relative years made absolute when
    the years differ (“我局今年…推出” of 2023 in a 2024 letter → “我局2023年…推出”); vague words that
    cannot be made absolute are returned as flags."""
    if written is None or written.year == as_of.year:
        return text, []
    year = written.year

    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            word = m.group(1)
            shift = RELATIVE_YEAR.get(word.replace("本年度", "本年"), 0)
            return f"{year + shift}年"
        return f"{year}年{m.group(2)}"

    rewritten = RELATIVE.sub(repl, text)
    flags = list(dict.fromkeys(VAGUE.findall(rewritten)))
    return rewritten, flags


def parse_date(text: str) -> Date | None:
    """A document's date as stored in its metadata ("2023-07-28", "2023-07", "2023")."""
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 12), int(m.group(3) or 0)
    if not day:
        # Only the month is known: take its last day, so a document is never treated as older than it is.
        import calendar

        day = calendar.monthrange(year, month)[1]
    try:
        return Date(year, month, day)
    except ValueError:
        return None


FILE_DATE = re.compile(r"^(\d{4})[-_.]?(\d{2})(?:[-_.]?(\d{2}))?(?!\d)")


def document_date(meta_date: str, file_name: str = "") -> Date | None:
    """A document's date: the one read from its text (落款), else a date its file name starts with
    (“2023-04_工作报告….txt” → the end of April 2023)."""
    found = parse_date(meta_date)
    if found is not None:
        return found
    m = FILE_DATE.match(file_name)
    if not m:
        return None
    return parse_date("-".join(g for g in m.groups() if g))
