"""Follow-up questions: a short question after an earlier turn (那恒口呢？ 排第几？ 比一季度提高了多少 为啥这么低)
takes the earlier question's place, period, metric and slots and changes one of them or asks one more thing of
the figure just given. Pure: works on parsed questions."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.asking import asking_clauses
from assistant.answer.slot_values import window_is_period
from assistant.answer.slots import Slots, calendar_window, day_count, in_charge_columns
from assistant.answer.understand import (
    AMOUNT_CHANGE,
    ANAPHORA,
    ATTRIBUTE,
    BEHIND_COUNT,
    BESIDE_BEFORE,
    DEFINE,
    FOLLOW_UP,
    LAG,
    PERIOD_WORDS,
    RANK,
    REASON,
    SAID_BEFORE,
    SAME_TIME_LAST_YEAR,
    SHARE_OF_CITY,
    SINGLE_PERIOD,
    Parsed,
    period_before,
)
from assistant.db.periods import Period, find_period

# Slots that only a data question fills (a deadline passed, a 首谈单位, a stage, a chain…): a question that had one
# was a data question whatever its intent words, and a short question after it may change one of them.
_DATA_SLOTS = ("overdue", "source", "stage", "chain", "days", "city", "department", "project", "enterprise", "status",
               "category", "amount", "foreign", "date_from", "solved", "parts", "change", "columns", "escalation", "owner",
               "rate", "county_class", "matches", "order", "problem_code", "event")


# Slots asking something of the ledgers' rows (投资最大的, 开工了没有, 开工率, 哪条链上的): a question with one of them
# after an indicator question asks the ledgers about the place, not the indicator again.
_LEDGER_ASKS = frozenset({"order", "columns", "stage", "rate", "status", "category", "amount", "foreign", "overdue",
                          "source", "chain", "matches", "solved", "escalation", "owner", "no_funds"})


# Slots naming what a question is about (a place, a project, a company, a 首谈单位, a chain, a unit, a person):
# a short question naming none of them after one that did is about the same thing (合同约定啥时候开工 after
# 储能电站项目到哪一步了, 是哪个单位在跟 after 宁德时代对接到什么程度).
_SUBJECT_SLOTS = ("project", "enterprise", "source", "owner", "department", "chain", "city", "unit", "visitor", "hq", "event",
                  "matches", "mentioned")


# Who is in charge asked (负责人是谁, 谁负责, 谁在管): of a project, the ledger's columns naming who is in charge.
IN_CHARGE = re.compile(r"负责人|谁负责|谁在管|谁管|谁盯|谁在跟")


# The place asked before named by a pronoun (它排第几, 它自己呢): still asked when the question also asks which place.
IT_ASKED = re.compile(r"它(?!们)")
# …as the subject asked about (到上半年它还是第一吗), not the other side of a comparison (比它高多少)
IT_SUBJECT = re.compile(r"(?<![比跟和与较同])它(?!们)")
# A person pointed back at (他手上管着几个项目, 她负责的): the one the turn before's answer named.
HE_SUBJECT = re.compile(r"(?<![其吉])[他她](?!们|人|处|县|市|地|乡)")
# The place of what the turn before was about, pointed at (那个县台账上还有哪些项目, 该县, 这个区, 当地): the county of
# the project, company or figure asked about, not that thing itself.
# A question naming only positions (第七第八分别是谁, 倒数第二是哪个): of a ranking.
BARE_POSITION = re.compile(r"^(?:那|那么)?(?:倒数)?第\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*(?:名|位)?"
                           r"(?:[、和跟与]?\s*(?:倒数)?第\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*(?:名|位)?)*"
                           r"\s*(?:分别|各)?\s*(?:是谁|是哪个|是哪家|是哪些|呢|谁|哪个)")
# Several places pointed at (这六个县, 那几个县区, 这三家单元): the class of counties the turn before named.
CLASS_POINTED = re.compile(r"(?:这|那)\s*(?P<n>几|两|二|三|四|五|六|七|八|九|十|\d{1,2})\s*(?:个|家)\s*(?P<noun>县区|区县|县|单元|地方)?")
PLACE_POINTED = re.compile(r"(?:那|这|该)(?:个|一)?(?:县区|区县|县|区|市|地方)(?![长委级])|(?:^|[，,])(?:当地|那边|那里)")
# Words pointing back at what the turn before gave: 它, or a demonstrative with the kind of thing it was (这个增速,
# 这点钱, 那个名次) — a longer question with one is still a follow-up of that figure.
POINTS_BACK = re.compile(r"它|^(?:这|那)(?:俩|两家|两个|几家|几个|几项|仨|三家|三个)|^(?:其中|这其中|这里面|这里头|这些里面?|这当中)|(?:^|[，,？?。])那?(?:这|那)(?:个|点|笔|些|批|几个)?(?:增速|增幅|同比|进度|完成率|数字?|钱|金额|比例|"
                         r"比重|名次|排名|差距|目标|项目|问题|企业|县|区|地方)")


def _subject(parsed: Parsed) -> bool:
    return bool(parsed.regions) or any(getattr(parsed.slots, name) for name in _SUBJECT_SLOTS)


def _filled(slots: Slots) -> list[str]:
    return [name for name in _DATA_SLOTS if getattr(slots, name) not in (None, False)]


def _merged_slots(previous: Slots, current: Slots) -> Slots:
    """The previous question's slots with what the follow-up names instead (上海联络处呢 after 深圳联络处首谈的项目:
    the 首谈单位 becomes 上海)."""
    merged = replace(previous, spans=previous.spans + current.spans, unknown=list(current.unknown))
    for name in _filled(current):
        setattr(merged, name, getattr(current, name))
    if previous.source and current.city and not current.source:
        merged.source, merged.city = current.city, None
    if previous.event and current.city and not current.event:
        # 宁波那场呢 after 丝博会签了多少: the occasion asked is now the one held there
        merged.event, merged.city = current.city, None
    if current.date_from is not None:
        # 上周的呢 after 本周…: the window's two ends and whether it is a week go together
        merged.date_to, merged.week = current.date_to, current.week
    if current.amounts:
        # 两个加一块到位了多少 after 示例物流有限公司有哪些项目: the amounts asked, of the projects just listed
        merged.columns = list(dict.fromkeys([*(previous.columns or []), *(current.columns or []), *current.amounts]))
        merged.total = current.total
    swapped = {label: value for label, value in (current.mentioned or {}).items() if label in (previous.matches or {})}
    if swapped:  # 那李某呢 after 张某当管家的项目: another value of the column the previous list was filtered by
        merged.matches = {**(merged.matches or {}), **swapped}
    return merged


# A follow-up asking which place holds a position or lags (哪个县最低, 谁排第一, 哪些没达到序时): no place carried over.
WHICH_PLACE = re.compile(r"哪个|哪些|哪几|哪家|哪里|哪儿|谁")


# A kind of place named (哪个县, 哪个区县, 哪个地方): the place is what is asked.
PLACE_KIND = re.compile(r"县|区|市|地方|地区|开发区")


def asks_which_place(text: str) -> bool:
    return bool(WHICH_PLACE.search(text)) and bool(RANK.search(text) or LAG.search(text) or re.search(r"第|最", text))


# What a bare attribute question (排第几？ 年度目标是多少？ 同比呢) says besides the attribute: asking words only.
_ASKING_ONLY = re.compile(r"[呢吗啊呀吧？?。！!，,\s]|多少|是|的|几|了|那|么|怎么样|咋样|如何|有|呢")


def bare_attribute(parsed: Parsed) -> bool:
    """A short question asking an attribute and naming nothing else (排第几？ 年度目标是多少 同比呢): it asks about a
    figure given before, so without a previous turn there is nothing to answer."""
    text = parsed.text
    return (len(text) <= 10 and ATTRIBUTE.search(text) is not None and not parsed.regions and not parsed.metrics
            and parsed.period_assumed and not _filled(parsed.slots)
            and not _ASKING_ONLY.sub("", ATTRIBUTE.sub("", text)))


def bare_period(parsed: Parsed) -> bool:
    """A question that is only a period (2023年上半年, 一季度？): nothing is asked of it, so without a previous turn
    there is nothing to answer."""
    return (parsed.period is not None and not parsed.period_assumed and not parsed.regions and not parsed.metrics
            and not _filled(parsed.slots)
            and not re.sub(r"[\s？?。.！!]|\d{2,4}\s*年|[今去前明本上下]年|[一二三四1-4]\s*季度|[上下]半年|全年|年底|年中|"
                           r"\d{1,2}\s*(?:[-—~～到至]\s*\d{1,2}\s*)?月(?:份|底|末)?|的|呢|那", "", parsed.text))


def _follow_up_periods(current: Parsed, previous: Parsed, same_time_last_year: bool
                       ) -> tuple[Period | None, Period | None]:
    """(the period, the period compared to) of a follow-up. A bare year (去年呢, 2022年的呢) is the span asked before
    in that year; 去年同期 is the year before of it, and with an amount asked (比去年同期多了多少) the two side by
    side; another period set beside it (比一季度提高了多少) is compared with the one asked before."""
    named = None if current.period_assumed else current.period
    before = previous.period
    if before is not None and not previous.period_assumed and (back := STEP_BACK.search(current.text)):
        # 上个季度的时候呢 after 白河上半年…: the period one quarter (or month) before the one asked, not before today
        step = 3 if "季" in back.group(0) else 1
        if before.month > step and (step == 1 or before.month % 3 == 0):
            stepped = Period(before.year, before.month - step)
            if MOVED.search(current.text) or re.search(r"比\s*(?:上|前|往前)", current.text):
                return before, stepped  # 比上个月涨了几个点 after 汉阴7月底…: the two side by side
            return stepped, None
    if named is not None and current.compared_to is not None:
        return named, current.compared_to  # 上半年比一季度…: both periods named
    said = PERIOD_WORDS.findall(current.text)
    if named is not None and before is not None and before.month != 12 and said and all(
            re.fullmatch(r"(?:\d{4}|今|去|上|本|前)年度?", w) for w in said):
        named = Period(named.year, before.month)
    if same_time_last_year and before is not None:
        if AMOUNT_CHANGE.search(current.text):
            return before, before.previous_year()
        return named or before.previous_year(), None
    # …and so is one asking how much more came in by then (到7月底又增加了多少 after 上半年多少), or how much the
    # figure moved (那到7月底呢？降幅收窄了多少 after 上半年同比多少)
    if named is not None and before is not None and named != before and (
            BESIDE_BEFORE.search(current.text) or AMOUNT_CHANGE.search(current.text) or MOVED.search(current.text)
            or CHANGED.search(current.text)):
        return max(named, before), min(named, before)
    if named is None and before is not None and current.compared_to is not None and current.compared_to != before:
        # 完成进度比一季度提升了多少 after 汉阴上半年…: the base named, against the period the conversation is on
        return max(current.compared_to, before), min(current.compared_to, before)
    if named is None and before is not None and previous.compared_to is None and MOVED.search(current.text):
        # 一个月涨了几个点 after 上半年…, 1-7月呢: between the periods the last two turns asked
        earlier = next((p for p in (find_period(t, before.year) for t in reversed(previous.asked_before.split(" "))) if p),
                       None)
        if earlier is not None and earlier != before:
            return max(earlier, before), min(earlier, before)
    if named is None:
        return before, previous.compared_to
    return named, period_before(current.text, named) if current.metrics or previous.metrics else None


# The period before the one asked (上个季度的时候呢, 往前推一个月, 前一个月呢), counted from it, not from today.
STEP_BACK = re.compile(r"(?:上|前)一?个?(?:季度|月)|往(?:前|回)(?:推|倒|看|数|翻)?一?个?(?:季度|月)")
# Whether a figure moved at all (名次有变化吗, 变了没, 变没变): the period named beside the one asked before.
CHANGED = re.compile(r"变化|变动|变了|变没变|有没有变")
# How much a figure moved between two periods (涨了几个点, 提高了多少, 降幅收窄了多少, 变化多大).
MOVED = re.compile(r"(?:涨|升|提高|提升|增加|上升|下降|降|减少|回落|收窄|扩大|缩小|加快|放缓|变化|变动|变)了?"
                   r"(?:多少|几个?(?:百分)?点|几|多大)")


# The same asked again of another place (紫阳又提了多少, 旬阳也落后吗, 恒口同样低于序时吗).
AGAIN = re.compile(r"(?<=[\u4e00-\u9fa5])(?:又|也|同样)(?!是否)")


# Words naming a rule or a document (办法, 规定, 文件): a question of what they say, not of a figure
NAMES_RULES = re.compile(r"办法|规定|文件|政策|条例|细则|方案|意见|报告|答复|访谈|手册|按.{0,8}(?:要求|标准)")


# A question opening with a short clause ending in 呢 (外资那块呢，…; 上半年呢，…): what it swaps in, then what it asks.
SWAP_LEAD = re.compile(r"^(?:那|那么)?[^，,。？?！!]{1,10}呢(?:[，,]|[？?](?=[^，,。？?！!]))|"
                       # (那上半年干完几成了？比一季度多干了多少亿: a period swapped in by 那, then what is asked of it)
                       r"^(?:那|那么)[^，,。？?！!]{1,12}[？?](?=[^，,。？?！!])")


def resolve_follow_up(current: Parsed, previous: Parsed | None) -> Parsed:
    """'那恒口呢？' / '二季度呢？' / '排第几？' take the previous turn's question and change one slot or ask one more
    attribute of it."""
    # a longer question is a new one unless it points back with 它 (完成进度排第几？跟它并列的一共几个县区) and asks
    # no rule or document of it (像它这种规模的线索，按信息共享办法该由谁包抓: the documents' question, continued)
    # …unless it also asks a figure of its own (那这批项目资金到位率呢？考核办法那条底线够得着吗: the rate of the
    # projects just counted, and the rule beside it)
    # …or sets the figure just given against another of its own kind and names no place or measure of its own
    # (比7月底那会儿是快了还是慢了，差多少 after 全市1-8月内资同比多少)
    against = current.text.startswith(("比", "较", "相比")) and not current.text.startswith(("比例", "比重", "比较"))
    # …or asks only attributes of a figure and names nothing of its own (全年目标是多少，这会儿超序时几个点 after
    # 石泉到7月底内资到位了多少): of the figure just given, however many it asks
    bare = not current.regions and not current.metrics and current.period_assumed and not _filled(current.slots) \
        and len(ATTRIBUTE.findall(current.text)) > 1 and not NAMES_RULES.search(current.text)
    # …or opens by swapping the measure or period of the figure just given and asks attributes of it (外资那块呢，全年
    # 目标多少，落后序时几个点 after 恒口一季度内资比序时落后多少): of the same place
    swapped = SWAP_LEAD.match(current.text) is not None and not current.regions and not _filled(current.slots) \
        and bool(current.metrics or not current.period_assumed) and not NAMES_RULES.search(current.text)
    # (a question of short asking clauses that names no place of its own, 到1-7月一共提了多少个点？名次变了没, is as
    # long as its longest clause)
    length = len(current.text) if _subject(current) else max(map(len, asking_clauses(current.text)))
    if previous is None or length > 16 and not SAID_BEFORE.search(current.text) and not bare \
            and not swapped and (
            not POINTS_BACK.search(current.text) or NAMES_RULES.search(current.text) and not _filled(current.slots)) \
            and not (against and not current.regions and not current.metrics and not NAMES_RULES.search(current.text)):
        return current
    if previous.slots.days is not None and current.slots.days is None:
        current.slots.days = day_count(current.text)  # 那60天呢 after 超过30天没进展的项目
    same_time_last_year = bool(SAME_TIME_LAST_YEAR.search(current.text))
    # …or the places behind the schedule of the figure just given (有几个落后的, 哪些没达到序时)
    names_nothing = not current.regions and not current.metrics and current.period_assumed and not _filled(current.slots)
    # …or positions of the ranking just given (第七第八分别是谁, 倒数第二呢)
    asks_attribute = bool(ATTRIBUTE.search(current.text) or LAG.search(current.text)) or same_time_last_year or (
        names_nothing and BARE_POSITION.match(current.text) is not None and bool({"rank", "figure"} & set(previous.intents)))
    # one quarter of the period just asked (二季度单季完成多少): of the same place and metric
    single = bool(SINGLE_PERIOD.search(current.text)) and not current.regions and not _filled(current.slots)
    # the reason of the figure just given (为啥这么低？ 什么原因): the documents answer it, about that figure
    reason = bool(REASON.search(current.text)) and names_nothing and len(current.text) <= 12 and any(
        i in previous.intents for i in ("figure", "rank", "lag"))
    # two periods compared and nothing else named (上半年比一季度多了多少): the figure just given, at both
    compares = current.compared_to is not None and not current.regions and not current.metrics \
        and not _filled(current.slots)
    # a bare attribute (排第几？ 年度目标是多少) asks it of the figure just given, as 那…呢 does; so does one naming
    # only another metric or period for it (外资排第几 after 旬阳内资排第几): of the same place
    swaps_measure = not current.regions and not _filled(current.slots) and bool(current.metrics or not current.period_assumed)
    # a short question with no subject of its own after one that had one (上回去是哪天 after 国轩高科现在什么状态):
    # of the same subject, unless it asks what a term means
    subjectless = not _subject(current) and _subject(previous) and not DEFINE.search(current.text)
    # a place named with only what is asked of it (汉阴一个县占了全市多大比重, 汉阴排第几 after 全市外资…): the metric
    # and period of the figure just given, of that place
    # …or the same asked again of it (紫阳又提了多少, 旬阳也落后了吗)
    of_place = bool(current.regions) and not current.metrics and current.period_assumed and bool(previous.metrics) \
        and not _filled(current.slots) and bool(SHARE_OF_CITY.search(current.text) or asks_attribute
                                                or len(current.text) <= 12 and AGAIN.search(current.text))
    if not FOLLOW_UP.search(current.text) and not ANAPHORA.search(current.text) and not subjectless \
            and not POINTS_BACK.search(current.text) and not of_place \
            and not (asks_attribute and (names_nothing or swaps_measure) and length <= 10) \
            and not single and not reason and not compares:
        return current
    swaps = bool(set(current.slots.mentioned or {}) & set(previous.slots.matches or {}))
    # 比它高多少: the figure just given is one side of the comparison, whatever the other
    if not (current.regions or current.metrics or not current.period_assumed or asks_attribute
            or _filled(current.slots) or swaps or reason or against or subjectless or STEP_BACK.search(current.text)
            or POINTS_BACK.search(current.text) or BEHIND_COUNT.match(current.text)):
        # (这几个总投资加一块多少: of the things just listed; 都是哪几个: the ones just counted)
        return current
    data_intents = [i for i in previous.intents if i in ("figure", "rank", "lag", "project", "event", "problem")]
    if not data_intents and _filled(previous.slots):
        data_intents = ["project"]
    if not data_intents:
        return current
    own = [n for n in _filled(current.slots) if n in _LEDGER_ASKS]
    if own and not _filled(previous.slots) and not current.metrics and not single \
            and set(previous.intents) <= {"figure", "rank", "lag"} and POINTS_BACK.search(current.text):
        # 它那边台账上投资最大的是哪个项目 after 旬阳一季度内资完成进度排第几: a question of the ledgers about the
        # place the indicator question was about — its own question, of that place
        return replace(current, regions=current.regions or previous.regions, follow_up=True, of_answer=True,
                       asked_before=f"{previous.asked_before} {previous.text}".strip())
    if previous.slots.project and not current.slots.columns and not _subject(current) and IN_CHARGE.search(current.text):
        current.slots.columns = in_charge_columns()  # 它的负责人是谁 after a project: who is in charge of it
    period, compared_to = _follow_up_periods(current, previous, same_time_last_year)
    if compared_to is None and period is not None and SINGLE_PERIOD.search(current.text):
        compared_to = period_before(current.text, period)  # 光7月份它进了多少 after 1-7月: 1-7月 less 1-6月
    slots = _merged_slots(previous.slots, current.slots)
    if previous.slots.date_from is not None and current.slots.date_from is None and not current.period_assumed:
        # 那三季度呢 after 二季度走访了哪些企业: the window asked before moves to the quarter or month named now
        start, end = calendar_window(current.text, previous.slots.date_from)
        if start is not None:
            slots.date_from, slots.date_to, slots.week = start, end, False
        elif period is not None and window_is_period(previous):
            # 到上半年呢 after 一季度签的项目开工了多少: the window was the period said, and moves with it
            slots.date_from = slots.date_to = None
    return replace(
        previous,
        text=current.text,
        follow_up=True,
        asked_before=f"{previous.asked_before} {previous.text}".strip(),
        slots=slots,
        regions=(list(dict.fromkeys([*previous.regions, *current.regions]))
                 if current.regions and (BESIDE_BEFORE.search(current.text) or SHARE_OF_CITY.search(current.text))
                 else current.regions
                 # which place (哪个县最低, 谁排第一) is what is asked, not the place asked about before
                 # …unless the turn before listed projects and no kind of place is named (里头哪个到位资金最多 asks
                 # which of those projects)
                 # …nor when its own place is asked beside it (它排第几，谁排第一: the ranking says both)
                 or ([] if asks_which_place(current.text) and not IT_ASKED.search(current.text) and not (
                     "project" in previous.intents and not PLACE_KIND.search(current.text)) else previous.regions)),
        metrics=current.metrics or previous.metrics,
        period=period,
        compared_to=compared_to,
        period_assumed=current.period_assumed and previous.period_assumed and not same_time_last_year,
        intents=data_intents,
        unknown_place="",
    )


# A question going on from what the documents were asked (那要多大的项目才给配, 要是一个月都没啥进展呢, 那他们建议咋处理):
# it opens by pointing back or by a condition on what was said.
CONTINUES = re.compile(r"^(?:那|那么|要是|如果|假如|万一|还有|另外|其中|这个|那个|这些|那些|它|他们|她们|该)")


# A measure or an item pointed at (这一项, 这个指标, 这个率): the one the turn before was about.
ITEM_POINTED = re.compile(r"^(?:那|那么)?(?:这|那)一?(?:项|个指标|项指标|个率|个比率|个比例)")


def continue_topic(current: Parsed, previous: Parsed | None) -> Parsed:
    """A question continuing the documents' topic of the turn before (not a figure's follow-up, which
    `resolve_follow_up` resolves), naming no place or metric of its own: it carries that turn's question as its
    topic, so the documents are searched for both."""
    if previous is None or current.follow_up or current.regions or current.metrics or len(current.text) > 24:
        return current
    # …or asking a rule or a document about the measure the turn before asked a figure of (这一项在考核里占几分
    # after 签约项目的合同履约率多少): that measure is what the documents are searched for
    of_item = ITEM_POINTED.search(current.text) is not None and (NAMES_RULES.search(current.text) is not None
                                                                 or "考核" in current.text)
    if not of_item and (not {"policy", "define"} & set(previous.intents) or not (CONTINUES.search(current.text)
                                                                                  or ANAPHORA.search(current.text))):
        return current
    return replace(current, topic=f"{previous.topic} {previous.text}".strip())
