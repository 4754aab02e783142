"""The embedded grounded mode: a deterministic pipeline that answers offline.

This module routes a question (the semantic router's nearest tool examples, with the slots filled from the
database's vocabulary) to a plan of tool calls and runs them. Figures come from the typed tools, each with
provenance; the answer's first sentence is written by `leads`, policy answers quote passages chosen by `quoting`,
and what cannot be answered is said by `declines`. Nothing is generated that is not in a tool result or a cited
passage, so the number checker never fires here.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from pydantic import BaseModel

from assistant.answer.answer_types import answer_type
from assistant.answer.composition import Composition
from assistant.answer.distinct import lists
from assistant.answer.leads import columns_unfilled, derived, lead_sentence
from assistant.answer.numbers import numeric_values
from assistant.answer.quoting import content_words
from assistant.answer.router import RouteScore
from assistant.answer.slot_values import LatestPeriod, basis_named, slot_values, used_slots, window_is_period
from assistant.answer.understand import (
    ASKS_TARGET,
    DEFINE,
    PURPOSE_ASKED,
    SHARE_OF_CITY,
    SINGLE_PERIOD,
    WEEK_NUMBERED,
    Parsed,
    said_in_slots,
    why_pattern,
)
from assistant.db.periods import parse_period
from assistant.db.session import FigureStore
from assistant.db.units import convert, normalise_unit
from assistant.db.vocab import resolve_metric
from assistant.errors import AssistantError
from assistant.index.places import gazetteer, home_city
from assistant.tools.indicators import CityTotalResult, IndicatorResult
from assistant.tools.lifecycle import CountyRanking, ledger_dates
from assistant.tools.projects import DATE_ORDER_COLUMNS, SPAN_ORDERS
from assistant.tools.registry import NARROWING_KINDS, REGISTRY, FigureTool, run_tool
from assistant.tools.types import Figure, cn_date, format_value

# The question asks what a document says (情况通报里说…, 据工作报告…): quote it beside the database's figure.
DOCUMENT_CUE = re.compile(r"(?:文件|报告|通报|简报|答复|访谈|采访|办法|总结|讲话|文档|材料)(?:里|中|上)?(?:说|讲|提到|写|称|怎么说)"
                          r"|据.{0,12}(?:文件|报告|通报|访谈)"
                          # the document asked about named as where the answer is (一季度报告里…, 调研报告建议…)
                          r"|(?:报告|通报|简报|答复函?|访谈|总结|讲话|手册)(?:里头|里面|里|中|上)|(?:报告|答复函?)(?:建议|提出|要求)")
# How a document characterises something (一季度报告一开头对外资进度是怎么评价的, 总结怎么概括全年的节奏): its own
# words answer, not the figures it characterises.
CHARACTERISED = re.compile(r"(?:文件|报告|通报|简报|答复函?|复函|访谈|采访|办法|总结|讲话|文档|材料|手册)[^，。？?]{0,10}?"
                           r"(?:怎么|如何|咋|怎样|是怎么|是如何)(?:样)?(?:评价|概括|定性|表述|形容|描述|总结|判断|讲的|说的|写的)")
# A question asking what policy, rule or measure there is (有啥奖励政策, 怎么奖励, 有什么扶持措施), and one asking a
# figure (多少, 几, 排名, 率): the first, without the second, is the documents' to answer.
ASKS_POLICY = re.compile(r"(?:有(?:啥|什么|哪些)|什么|啥|哪些)[^，。？?]{0,6}?(?:政策|规定|措施|举措|奖励|优惠|扶持|补贴|补助)"
                         r"(?!资金|金额|额|多少)|(?:怎么|如何|咋)(?:奖励|奖|补贴|补助|扶持|支持|规定)")
# Things asked for by their kind (哪些企业, 几家公司, …的企业): what the answer lists. 公司 and 客商 are 企业.
LISTED = re.compile(r"(?:哪些|哪几家|哪几个|哪家|几家|多少家)(企业|公司|客商)|(企业|公司|客商)(?:有哪些|都有谁|都有哪些|是哪些|名单)"
                    r"|的(企业|公司|客商)[？?。！!]?$"
                    # (外资类的目标企业里，已经签约的是哪家: the set named, then which of its members)
                    r"|(企业|公司|客商)库?(?:里|中|当中|里头|里面)[^。？?；;]{0,14}(?:哪家|哪几家|哪些|几家|多少家|谁)")
LISTED_AS = {"公司": "企业", "客商": "企业"}


def listed_kind(text: str) -> str:
    """The kind of thing a question asks to be listed (企业), "" when it names none."""
    m = LISTED.search(text)
    word = next((g for g in m.groups() if g), "") if m else ""
    return LISTED_AS.get(word, word)


# How a thing is dealt with (市局会咋处理, 怎么应对, 有啥措施): asked of a document named as where it is said, the
# document answers (112号答复里说…市局会咋处理), not a ledger's rows about the thing
HANDLED = re.compile(r"(?:怎么|如何|咋)(?:样)?(?:处理|办|处置|应对|整改|弄|管|督办)|(?:什么|啥|哪些)(?:办法|措施|手段|招)")
HOW_MANY = re.compile(r"多少|几|排名|第[一二三四五六七八九十\d]|率|占比|比重|哪个县|哪些县|哪个区|谁")
# A clause the documents answer: why/how, and also what a term or rule is (是什么, 口径, 怎么认定).
WHY_CLAUSE = why_pattern("是什么", "什么是", "含义", "口径", "怎么处理", "怎么认定", "怎么规定", "有什么规定", "承担什么",
                         "什么责任")


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


def _run_tool(comp: Composition, call: Callable[[], BaseModel]) -> BaseModel | None:
    try:
        result = call()
    except AssistantError as exc:  # a value the tool cannot use, said in Chinese; a bug is not an answer
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        comp.figure_lines.append(f"· {message}")
        comp.tool_values += numeric_values(message)
        if not comp.lead:
            comp.lead = message
        return None
    summary = str(getattr(result, "summary", "")) or ""
    comp.figure_lines.append(f"· {summary}{_source_line(result)}")
    comp.figures += list(getattr(result, "figures", []) or [])
    comp.tool_values += numeric_values(result.model_dump())
    return result


DEFAULT_METRICS = ("实际引进内资", "外商直接投资")
# A data tool wins over the policy/define routes when its best example is at most this much less similar.
# Chosen on the development question set (tests/eval/ask/dev.tsv) only.
DATA_MARGIN = 0.02
# A tool that uses nothing the question names (no region, period, project…) needs at least this similarity to its
# nearest example: e5 similarities crowd into 0.85–1.0, and an unrelated question lands near some listing tool.
SLOTLESS_FLOOR = 0.92
# A data answer also quotes documents when the policy/define routes are within this of the data route: the
# question may be about what a report says (报告里说开工率是多少) rather than the ledger's figure.
POLICY_MARGIN = 0.05
# Tools tried after the chosen one when it does not hold what the question asks for (its attribute words).
ALTERNATIVES = 2
# Metrics may be left unsaid only where the question is about completion in general (汉阴县完成得怎么样).
DEFINE_ONLY = re.compile(r"怎么算|如何计算|怎么计算|计算公式|口径|是什么意思|什么意思|指什么|定义|含义|"
                         + PURPOSE_ASKED.pattern)
PROGRESS = re.compile(r"进度|序时|完成|落后|滞后|招商引资")
# Documents or measures asked for (白河县出台的招商引资优惠政策文件有哪些, 汉阴县招商引资有什么措施): with no metric named,
# the place's default figures are not what is asked.
ASKS_DOCUMENTS = re.compile(r"(?:政策|文件|办法|规定|措施|举措|做法|经验)[^，。？?]{0,4}(?:有哪些|有什么|是什么|是哪些|哪些|啥)")
# Who holds a post asked by name of the post (市长是谁, 局长叫什么).
# The standing a piece of work is given (把招商引资摆在啥位置, 外资摆在个啥位置, 怎么定位的): a document's priority, not
# a place in a ranking
STANDING = re.compile(r"(?:摆|放|置)在(?:个|一个)?(?:啥|什么|哪个|怎样的?|何种)?(?:位置|地位)|(?:啥|什么)(?:定位|地位)|怎么定位")
POST_HOLDER = re.compile(r"(?<!副)(?:市长|县长|区长|局长|书记|主任|主席)(?:是谁|叫什么|叫啥|姓什么|是哪位)")
# A question about what a rule lays down — a time limit (几天内办结, 多少小时内报, 每周几之前), a cap (最多能管几个),
# what is done in a case (解决不了的怎么办) — rather than what the records hold. Asked of no named place, period,
# project, company or department, it is answered by the rule's text: a list of the ledger's rows states no rule.
NORM = re.compile(r"(?:几|多少)\s*(?:个)?\s*(?:工作日|天|小时|日|周|月)\s*(?:之内|以内|内)|多长时间|多久|"
                  # (最晚设立的是哪几个: the records in order, not a deadline)
                  r"(?:最迟|最晚)(?![\u4e00-\u9fa5]{0,4}的(?:是|有|项目|问题|企业|联络处))|"
                  r"每(?:个)?(?:周|礼拜|星期|月|季度|年)(?:几|哪天|最晚)|最多能|一般.{0,8}(?:几|多少|多久)|"
                  r"怎么办|咋办|怎么处理|咋处理|如何处理|由谁|归谁管|谁来(?:管|负责|组织|定)|"
                  # …or asked of a rule by its name (考核办法里制造业占比那项几分): the rule's text says it
                  r"(?:办法|条例|规定|细则|制度|方案)(?:里头|里面|里|中|上)")
# The question asks only how a figure changed on the same period of the previous year (同比), nothing else of it.
ASKS_YOY = re.compile(r"同比|增速|增幅|增长率|比去年同期|比上年同期")
# Growth averaged over years (年均增长): a measure the indicator table does not hold in any form.
ASKS_AVERAGE = re.compile(r"(?:年均|平均每年|年平均)\s*(?:增长|增速|增幅)")
ASKS_MORE = re.compile(r"完成|进度|目标|总量|规模|数值|金额|到位|多少亿|多少万|排|名次|数据|情况|怎么样|如何")
# A year not reached yet (明年一季度): no figures of it are held, whatever year the quarter alone would be read as.
NEXT_YEAR = re.compile(r"明年|下一年|来年")


@dataclass
class Call:
    """One planned tool call."""

    tool: str
    params: dict[str, Any]


@dataclass
class Plan:
    """What the grounded mode will do for a question: tool calls and whether to quote documents."""

    calls: list[Call] = field(default_factory=list)
    route: str = "policy"
    score: float = 0.0
    policy: bool = True
    outside: bool = False
    future: bool = False  # a data question about a period that has not happened: answered as such
    # the best non-tool route (policy, define, outside) and its score, for when no tool's answer covers the question
    other: tuple[float, str] = (0.0, "policy")
    # the other tools the question fills, best first: tried when the chosen tool does not cover what is asked
    alternatives: list[tuple[str, list[Call]]] = field(default_factory=list)

    def without_calls(self) -> Plan:
        """The plan when no tool answers: the best non-tool route, quoting documents."""
        return Plan(route=self.other[1], score=self.other[0], policy=True, other=self.other,
                    outside=self.other[1] == "outside")


# Each slot of the question a tool uses adds this to its route score, so that of two near routes the one that
# uses what the question names wins (汉阴县外资进度落后 → that county's figure, not the list of laggards).
# Chosen on the development question set only.
SLOT_BONUS = 0.02
# Two tools whose scores differ by less than this, before and after the slot bonus, are a tie to the embedder, not a
# preference: the quantised model's similarities for the same texts differ by about 1e-4 between CPUs, so which of
# the two won would depend on the machine. (A gap the slot bonus closes is no tie: using more of what the question
# names is the deliberate preference.) A tie goes to the tool whose declaration (title and examples) holds more of the question's own words
# (高新区合同履约率多少: the 合同履约率 ranking, not the library's 履约率 among other statistics).
TIE = 0.001


def _calls_for(tool: FigureTool, parsed: Parsed, latest_period: LatestPeriod) -> list[Call] | None:
    """The calls a tool needs for this question (one per region and metric asked), or None when a required
    slot cannot be filled from the question."""
    if any(not slot_values(kind, parsed, latest_period) for kind in tool.requires):
        return None
    required = {p.name for p in tool.parameters if p.default is inspect.Parameter.empty}
    choices: list[tuple[str, list[Any]]] = []
    for param, kind in tool.slots.items():
        values = slot_values(kind, parsed, latest_period)
        if kind == "period" and param not in required and parsed.period_assumed:
            values = []  # an optional period filter only when the question names one
        # (…unless it is the period itself, a signing filter reads as the period: 一季度签约的)
        if kind == "period" and param not in required and parsed.slots.date_from and (
                {"date_from", "signed_from"} & set(tool.slots.values())) and not (
                window_is_period(parsed) and "date_from" not in tool.slots.values()):
            values = []  # a window (11月签约) replaces the cumulative period
        if kind == "period" and parsed.compared_to and values and "compared_to" not in tool.slots.values():
            # 上半年比一季度增加了多少: a tool of one period is run for the earlier one too, to set them side by side
            # (an optional period as well, when named: 19年和今年比，哪年招商活动签约金额多)
            values = [*values, parsed.compared_to.key] if parsed.compared_to.key not in values else values
        if not values and param in required:
            if kind == "metric" and (parsed.regions or PROGRESS.search(parsed.text)):
                values = list(DEFAULT_METRICS)
            else:
                return None
        if values:
            several = kind in ("region", "county", "metric", "city", "department") or kind == "period" and (
                param in required or parsed.compared_to is not None)
            choices.append((param, values if several else values[:1]))
    calls = [Call(tool.name, {})]
    for param, values in choices:
        calls = [Call(c.tool, {**c.params, param: v}) for c in calls for v in values]
    if any(p.name == "unit" for p in tool.parameters):
        calls = [_in_asked_unit(c, parsed.text) for c in calls]
    return calls[:8]


# A money unit the figure is asked in (多少万元, 合多少亿美元, 单位万元, 换成万元呢): the tool converts within a currency.
ASKED_UNIT = re.compile(r"(?:多少|几)个?\s*(亿美元|万美元|亿元|万元|美元|元)|"
                        r"(?:单位|以|换成|换算成|折合成?|折算成?|改成|改用|用)[是为用：:]?\s*(亿美元|万美元|亿元|万元)")


def _in_asked_unit(call: Call, question: str) -> Call:
    """The call with the unit the question asks its figure in, when that is the metric's own currency and not
    already its unit (外资多少万元 is not converted: 人民币与美元之间不换算)."""
    match = ASKED_UNIT.search(question)
    metric = call.params.get("metric")
    if match is None or not metric:
        return call
    unit = normalise_unit(match.group(1) or match.group(2))
    try:
        own = resolve_metric(str(metric)).unit
        convert(Decimal(1), own, unit)
    except AssistantError:
        return call
    return call if unit == own else Call(call.tool, {**call.params, "unit": unit})


def _declared_words(tool: FigureTool, text: str) -> int:
    """How many of the question's content words (its slot values aside: they say which, not what) the tool's title
    and examples hold."""
    declared = tool.title + "".join(tool.examples)
    return sum(word in declared for word in set(content_words(text)))


# A name's other form asked (全称, 简称, 全名): the documents' notes spell names out, no table's row does.
NAME_FORM = re.compile(r"全称|简称|全名|缩写")


def other_jurisdictions(text: str, taken: str = "") -> list[str]:
    """The places a question names that neither hold nor lie in this city (汉中, 宁波市; not 陕西省, 汉阴县), but
    those a slot's value writes (`taken`)."""
    places = gazetteer()
    home = home_city()
    return [p for p in places.find(text) if not places.related(p, home)
            and not any(form in taken for form in places.forms(p))]


def plan_for(parsed: Parsed, scores: list[RouteScore], latest_period: LatestPeriod) -> Plan:
    """Choose the tool calls by the router's scores among the tools whose slots the question fills."""
    by_route = {s.route: s.score for s in scores}
    named_entities = [kind for kind in NARROWING_KINDS if slot_values(kind, parsed, latest_period)]
    # a definition is of a term, never of a named project or company: 锂电隔膜项目的项目管家是谁 asks the ledger
    # nor an answer to who (汉滨区的项目管家都有谁 asks the ledger's people, not what a 项目管家 is)
    # nor an answer to a value (服务卡是哪天发放的, 多少人): a definition says what a term means, not its date or count
    wants = answer_type(parsed.text)
    valued = wants is not None and wants.name != "计算方法"
    # nor what a document says about a term (调研报告说一图五库现在靠什么传数据) unless it asks what the term means
    quoted = DOCUMENT_CUE.search(parsed.text) is not None and DEFINE.search(parsed.text) is None
    # nor where a term came from (这套方法最早是从哪来的): the document telling its origin answers, not its meaning
    origin = ORIGIN.search(parsed.text) is not None
    other = max((by_route.get(r, 0.0), r) for r in ("policy", "define", "outside")
                if not ((named_entities or WHO.search(parsed.text) or valued or quoted or origin) and r == "define"))
    plan = Plan(route=other[1], score=other[0], other=(other[0], other[1]))
    named = bool(parsed.regions or parsed.metrics or parsed.slots.project or parsed.slots.enterprise
                 or parsed.slots.department or parsed.slots.unknown_project or parsed.slots.unknown)
    eligible: list[tuple[float, float, str, list[Call]]] = []
    for candidate in scores:
        if candidate.route not in REGISTRY:
            continue
        tool = REGISTRY[candidate.route]
        calls = _calls_for(tool, parsed, latest_period)
        if calls is None:
            continue
        used = used_slots(tool, parsed, latest_period)
        if used or candidate.score >= SLOTLESS_FLOOR or parsed.follow_up:
            eligible.append((candidate.score + SLOT_BONUS * used, candidate.score, tool.name, calls))
    if named_entities and any(all(k in REGISTRY[e[2]].slots.values() for k in named_entities) for e in eligible):
        # 格力钛新能源准备投多少钱: a tool that cannot narrow to the company named would answer for every company
        eligible = [e for e in eligible if all(k in REGISTRY[e[2]].slots.values() for k in named_entities)]
    if ASKS_DOCUMENTS.search(parsed.text) and not any(
            w and w in parsed.text for m in parsed.metrics for w in (m.name, *m.aliases)):
        eligible = [e for e in eligible if "metric" not in REGISTRY[e[2]].slots.values()]
    if parsed.bad_period or (DEFINE_ONLY.search(parsed.text) and not parsed.regions and parsed.period_assumed
                             and not parsed.slots.project and not parsed.slots.enterprise
                             and not parsed.slots.county_class):  # (二类县区按考核口径…: a class is places)
        eligible = []  # 13月: refused below; 怎么算/口径 without a place or period: a definition, not a figure
    if COMPARE.search(parsed.text) and not parsed.regions and not parsed.slots.project and not parsed.slots.enterprise:
        # 项目库和目标企业库有什么区别: how two terms relate is said in documents, no tool's list answers it
        eligible = []
        if plan.route == "define":
            plan.route = "policy"
    # 明年一季度: a quarter of next year, whatever year the quarter alone would be read as
    next_year = NEXT_YEAR.search(parsed.text) is not None and not re.search(r"(?:19|20)\d{2}", parsed.text)
    if parsed.future and (parsed.period is None or parsed.period_assumed or next_year or parsed.window_ahead):
        # 下个月、明年: nothing in the database yet, but for deadlines it already holds (下个月到期的问题)
        ahead = [e for e in eligible if parsed.slots.due_from and "due_from" in REGISTRY[e[2]].slots.values()]
        plan.future = bool(eligible) and not ahead
        eligible = ahead
    if parsed.unknown_place and not parsed.slots.city:
        # 汉中市在哪些地方设了驻外机构: the offices tables are this bureau's own; another city's offices are what its
        # documents say, not a place those tables lack
        eligible = [e for e in eligible if REGISTRY[e[2]].slots.get("office") != "city"]
    if parsed.unknown_place and parsed.intents == ["policy"] and not parsed.metrics:
        # 给大湾区、长三角各编了本啥: what the documents say of the place, not a figure the database lacks
        eligible = [e for e in eligible if parsed.slots.city and "city" in REGISTRY[e[2]].slots.values()]
    if not parsed.regions and not parsed.metrics and not parsed.unknown_place and not named_entities \
            and other_jurisdictions(parsed.text, said_in_slots(parsed)):
        # 汉中对签约、开工项目按啥节奏调度: another city's practice, which its documents state; our ledgers' rows
        # are our counties', whatever the question's other words (a place a slot took — 总部在深圳的企业, 宁波那场
        # 活动 — is what our rows say of it; a figure asked of another city is refused as unknown_place)
        eligible = [e for e in eligible if "city" in REGISTRY[e[2]].slots.values()]
    if parsed.slots.parts and parsed.metrics:
        # 各县区外资目标加起来是多少: the counties' own figures added up, which only a tool adding them gives (the
        # city's row is its own figure, not their sum)
        eligible = [e for e in eligible if "parts" in REGISTRY[e[2]].slots.values()] or eligible
    if NAME_FORM.search(parsed.text) and not parsed.metrics and not named_entities:
        eligible = []  # 瀛湖、恒口是简称吧，全称各是啥: how a name is written in full, which the documents spell out
    if parsed.slots.unknown_project and not parsed.slots.project:
        eligible = []  # a project the ledger does not hold: the documents may describe it, no tool's figures do
    if parsed.slots.unknown:
        # an office, chain, company or department the tables do not hold: a tool run without it would answer for
        # every one of them, as if the name had not been said
        eligible = []
    # (哪个投产最晚 orders projects by a date: a ranking of rows, not a rule's deadline)
    if parsed.besides or SHARE_OF_CITY.search(parsed.text) and any(not r.is_city for r in parsed.regions):
        # 除了汉阴，其他县区一共多少, 汉滨和旬阳加起来占全市几成: each place's own figure and the city's, not a
        # ranking of the counties
        eligible = [e for e in eligible if {"region", "metric"} <= set(REGISTRY[e[2]].slots.values())] or eligible
    # (of a place of ours, 汉阴县外资进度落后，下一步有什么措施, its figures stand beside the measures)
    if ASKS_POLICY.search(parsed.text) and not HOW_MANY.search(parsed.text) and not parsed.regions \
            and not named_entities:
        eligible = []  # 达州对新能源企业有啥奖励政策, 宁波对外资怎么奖励: a rule or a measure, which no row of ours states
    if (kind := listed_kind(parsed.text)) and eligible and not parsed.slots.distinct and not parsed.slots.per_group:
        # 装备制造链上盯着哪些企业: the things asked for are listed by the tool whose rows they are, not as a column
        # of another's rows (the projects with their 企业)
        top = max(eligible, key=lambda e: (e[0], e[1]))
        if REGISTRY[top[2]].rows not in ("", kind):
            eligible = [e for e in eligible if REGISTRY[e[2]].rows == kind] or eligible
    if basis_named(parsed.text) and slot_values("by", parsed, latest_period):
        # (换成按同比增速排呢 after 紫阳…排第几: only a tool ranking by that basis answers)
        eligible = [e for e in eligible if "by" in REGISTRY[e[2]].slots.values()] or eligible
    if parsed.slots.mean and eligible:
        # 高新区的项目平均总投资多少: a tool stating the mean per row, not only the total
        eligible = [e for e in eligible if "mean" in REGISTRY[e[2]].slots.values()] or eligible
    if (noun := parsed.slots.distinct or parsed.slots.per_group) and eligible:
        # 汉阴台账上的项目横跨几条产业链, 每个管家平均管几个: the different values among the rows a list gives
        eligible = [e for e in eligible if lists(REGISTRY[e[2]], noun)] or eligible
    if DOCUMENT_CUE.search(parsed.text) and HANDLED.search(parsed.text) and not named_entities \
            and not any(not r.is_city for r in parsed.regions):
        eligible = []  # 112号答复里说，开工率连续偏低的县区市局会咋处理: what the letter says is done
    if CHARACTERISED.search(parsed.text) and not named_entities:
        eligible = []  # 一季度报告对外资进度是怎么评价的: what the report says of it, not the figure itself
    if STANDING.search(parsed.text) and not any(not r.is_city for r in parsed.regions) and not named_entities:
        eligible = []  # 调研报告把招商引资摆在个啥位置: the priority a document gives it, which no table holds
    if POST_HOLDER.search(parsed.text) and not named_entities and not parsed.slots.columns:
        eligible = []  # 现在的市长是谁: who holds a post is no row of the ledgers (they record posts, 副市长（分管工业）)
    if NORM.search(parsed.text) and not (parsed.regions or named_entities or parsed.slots.department
                                         or (parsed.period and not parsed.period_assumed) or parsed.follow_up
                                         or parsed.slots.order in DATE_ORDER_COLUMNS
                                         or parsed.slots.order in SPAN_ORDERS):
        eligible = []  # 一般问题几天内办结: the rule says it, the ledger's open problems do not
    if eligible:
        top = max(eligible, key=lambda e: (e[0], e[1]))
        tied = [e for e in eligible if top[0] - e[0] < TIE and abs(top[1] - e[1]) < TIE]
        asked = parsed.delexicalised()
        adjusted, score, name, calls = max(tied, key=lambda e: (_declared_words(REGISTRY[e[2]], asked), e[0], e[1]))
        margin = 0.0 if other[1] == "outside" else DATA_MARGIN  # off-topic wins ties: no figures for them
        # a name the tables hold (a project, a company, a unit following them) is a tool's to look up, however
        # near the documents' examples the wording is
        if score >= other[0] - margin or REGISTRY[name].requires or parsed.follow_up or named_entities:
            plan.calls, plan.route, plan.score = calls, name, score
            plan.alternatives = [(e[2], e[3]) for e in sorted(eligible, key=lambda e: (-e[0], -e[1]))
                                 if e[2] != name and e[1] >= other[0] - margin][:ALTERNATIVES]
    if parsed.slots.vs_now and plan.calls:
        # 6月底那期台账上有几个？现在多少个: each call again on the latest issue, its result beside the past one's
        plan.calls = [*plan.calls, *(Call(c.tool, now) for c in plan.calls
                                     if (now := _on_latest(REGISTRY[c.tool], c.params)) is not None)]
    why = bool(WHY_CLAUSE.search(parsed.text) or DOCUMENT_CUE.search(parsed.text))
    # the signed projects' rates (开工率, 资金到位率) a report or interview also states for the city: the ledger's
    # rows are the projects it tracks, a document the official figure; a question not naming the ledger hears both
    official = plan.route in STATED_IN_REPORTS and not LEDGER_NAMED.search(parsed.text)
    plan.policy = (not plan.calls or why or official
                   or other[1] in ("policy", "define") and other[0] > plan.score - POLICY_MARGIN)
    # Off-topic by its nearest examples: still look in the documents (they may hold it), but quote a passage only
    # on the stricter evidence bar, so that loosely related text never pads a "cannot answer".
    plan.outside = not plan.calls and not named and other[1] == "outside"
    return plan


def _on_latest(tool: FigureTool, params: dict[str, Any]) -> dict[str, Any] | None:
    """A call's parameters without the past ledger issue they read (the latest issue instead); None when the call
    reads no past issue."""
    past = [p for p in params if tool.slots.get(p) in ("ledger_on", "problem_ledger_on")]
    return {p: v for p, v in params.items() if p not in past} if past else None


def figures_for(parsed: Parsed, store: FigureStore | None, comp: Composition, known_regions: list[str],
                plan: Plan) -> None:
    if parsed.bad_period:
        week = WEEK_NUMBERED.fullmatch(parsed.bad_period)
        comp.lead = (f"“{parsed.bad_period}”不是有效的日期（该月没有这一天），无法据此查询，请核对日期后再问。"
                     if re.search(r"[日号]$", parsed.bad_period) else
                     # (a week the year does not have: how many it has, counted as ISO weeks)
                     f"“{parsed.bad_period}”不存在：{week.group(1)}年没有这一周（按 ISO 周计，周一为一周的第一天），"
                     "请核对周次，或写作“2023年7月”“2023年7月17日到23日”等。"
                     if week and week.group(1) else
                     f"“{parsed.bad_period}”不是有效的期间，请写作“2023年7月”“2023年1-7月”“2023年一季度”等。")
        comp.settled = True
        return
    if not plan.calls:
        return
    if store is None:
        comp.notes.append("项目数据库尚未导入，暂不能回答数据问题。请先运行 assistant db import-demo corpus/data/。")
        return
    takes_city = "city" in REGISTRY[plan.route].slots.values()
    # a place the database lacks, asked alone or beside one of ours (高新区跟西安高新区比): nothing to look up
    if parsed.unknown_place and not (takes_city and parsed.slots.city):
        known = "、".join(known_regions)
        comp.figure_lines.append(f"· 数据库中没有“{parsed.unknown_place}”的数据。已有数据的地区：{known}。")
        comp.lead = f"数据库中没有“{parsed.unknown_place}”的数据。"
        comp.settled = True
        return
    for call in plan.calls:
        result = _run_tool(comp, partial(run_tool, call.tool, store, call.params))
        if result is not None:
            comp.results.append(result)
            comp.no_data = comp.no_data and _empty(result)
        else:
            comp.no_data = False
    # (一季度签约的那批: the period picks the projects by their signing, read in today's ledger)
    cohort = any(REGISTRY[c.tool].slots.get(p) == "signed_period" for c in plan.calls for p in c.params)
    if (parsed.period is not None and not parsed.period_assumed and not parsed.follow_up and not cohort
            and any(isinstance(r, CountyRanking) for r in comp.results)):
        with store.session() as session:
            issues = ledger_dates(session, "projects")
        if issues and parsed.period.end < issues[0]:
            # 3月底那会儿各县区到位率排个名: the rates are the ledger's as of an issue, and none is that old
            comp.results, comp.figures, comp.figure_lines, comp.no_data = [], [], [], False
            comp.lead = (f"项目台账历史从{cn_date(issues[0])}开始，没有{parsed.period.label}（截至{cn_date(parsed.period.end)}）"
                         "的台账（无数据），各县区项目比率不能按那时计算，今天的排名也不能代替。")
            comp.settled = True
            return
    comp.lead = lead_sentence(parsed, comp.results) if comp.results else comp.lead
    if comp.results and columns_unfilled(parsed, comp.results):
        # 康养小镇项目的包抓领导 where the ledger leaves it empty: that is the answer; the project's other figures are not
        comp.figures, comp.figure_lines = [], [f"· {comp.lead}{_source_line(comp.results[0])}"]
        comp.settled = True
        return
    comp.tool_values += derived(comp.results, parsed)
    year_targets = [r for r in comp.results if isinstance(r, IndicatorResult) and r.year_target is not None
                    and r.year_target_provenance is not None]
    asked = f"{parsed.asked_before} {parsed.text}"
    # the target itself (全年任务定的多少), not the progress made against it (目标完成进度)
    if comp.no_data and year_targets and ASKS_TARGET.search(asked) and not re.search(r"完成|进度|差", asked):
        # 全年任务定的多少 before the year's figures are in: the target an earlier period of the year states answers
        comp.figures += [Figure(label=f"{r.region} {r.metric} {r.period[:4]}年年度目标", value=r.year_target, unit=r.unit,
                                period=r.period, provenance=r.year_target_provenance)  # type: ignore[arg-type]
                         for r in year_targets]
        comp.no_data, comp.settled = False, True
        return
    lacking = _measure_lacking(parsed, comp.results)
    if comp.results and (comp.no_data or lacking):
        comp.no_data = True
        # the row is there without it: no document's other figure either, unless the question asks what one says
        comp.settled = comp.settled or bool(lacking) and not DOCUMENT_CUE.search(parsed.text)
        asked = "、".join(dict.fromkeys(_asked(c, parsed) for c in plan.calls))
        comp.lead = (f"项目数据库中没有{asked}的{lacking}数据（数据库只有各期累计数、年度目标和同比，不推算年均增速），"
                     "同比等其他口径不能代替。" if lacking == "年均增长" else
                     f"项目数据库中没有{asked}的{lacking}数据：{lacking}数由本期累计减去上一期累计得出，"
                     f"{'、'.join(_period_of(r) for r in comp.results if getattr(r, 'value', 0) is None)}的累计数没有（无数据），"
                     "无法计算，累计数不能代替。" if lacking in ("单月", "单季") else
                     f"项目数据库中没有{asked}的{lacking}数据（报表未填{lacking}，也没有上年同期数可以计算；无数据，不等于零），"
                     f"其他期间或其他地区的{lacking}不能代替。" if lacking else
                     f"项目数据库中没有{asked}的数据（无数据，不等于零）。")
        comp.figure_lines = []
        # 外资到了多少，同比涨了几成: the amount a clause asks is there, and answers that clause
        clauses = [c for c in re.split(r"[，,；;？?。]", parsed.text) if c.strip()]
        valued = [r for r in comp.results if getattr(r, "value", None) is not None] if lacking == "同比" and any(
            not ASKS_YOY.search(c) and re.search(r"多少|几|呢$", c) for c in clauses) else []
        if valued:
            said = [f"{_period_of(r)}{r.metric}{format_value(r.value, r.unit)}" for r in valued]  # type: ignore[attr-defined]
            comp.lead = "；".join(said) + "。" + comp.lead
            comp.figure_lines = [f"· {line}{_source_line(r)}" for line, r in zip(said, valued, strict=True)]
        comp.figures = [f for f in comp.figures if f.value is None
                        or valued and "同比" not in f.label and f.unit != "%"]
    used = sorted({str(v) for c in plan.calls for p, v in c.params.items() if REGISTRY[c.tool].slots.get(p) == "period"})
    if parsed.period_assumed and used and comp.figures:
        labels = "、".join(parse_period(key).label for key in used)
        comp.notes.append(f"问题中未指明期间，按数据库中有数据的最新期间“{labels}”回答。")


def _measure_lacking(parsed: Parsed, results: list[BaseModel]) -> str:
    """"同比" when the question asks only the 同比 of an indicator and no result holds one: the value the tool
    did find is not the answer, and the answer must not read as if it were."""
    held = [r for r in results if isinstance(r, IndicatorResult | CityTotalResult)]
    if not results or len(held) != len(results):
        return ""
    if ASKS_AVERAGE.search(parsed.text):
        return "年均增长"  # no indicator tool averages growth over years: 同比 is another measure
    if (single := SINGLE_PERIOD.search(parsed.text)) and len(held) == 2 and any(r.value is None for r in held):
        # 3月份单月: the month alone is two cumulative figures apart; one of them missing leaves it unknown
        return "单季" if "季" in single.group(0) or "三个月" in single.group(0) else "单月"
    if not ASKS_YOY.search(parsed.text) or ASKS_MORE.search(parsed.text):
        return ""
    if WHY_CLAUSE.search(parsed.text) or DOCUMENT_CUE.search(parsed.text):
        return ""  # 同比多少、原因是什么: the reasons are asked too, the documents answer them
    return "同比" if all(r.yoy_pct is None for r in held) else ""


def _period_of(result: BaseModel) -> str:
    return f"{getattr(result, 'region', '全市')}{getattr(result, 'period_label', '')}"


def _asked(call: Call, parsed: Parsed) -> str:
    """What a call asked for, in words: 汉阴县2023年全年外商直接投资, 2023年全年分县区的外商直接投资 (a ranking
    over the counties: the city's own total may be there when theirs are not)."""
    tool = REGISTRY[call.tool]
    kinds = set(tool.slots.values())
    per_county = "region" not in kinds and re.search(r"各县|地区", tool.title) is not None
    # a city-wide tool takes no region: the city the question names is still what was asked about
    parts = ["全市"] if "region" not in kinds and not per_county and any(r.is_city for r in parsed.regions) else []
    # the place first, then the period and the metric (汉阴县2023年一季度外商直接投资), whatever the parameter order
    order = {"region": 0, "county": 0, "project": 0, "enterprise": 0, "city": 0}
    for param, value in sorted(call.params.items(), key=lambda pv: order.get(tool.slots.get(pv[0], ""), 1)):
        kind = tool.slots.get(param)
        if kind == "period":
            parts.append(parse_period(str(value)).label + ("分县区的" if per_county else ""))
        elif kind in ("region", "county", "metric", "project", "enterprise", "chain", "city"):
            parts.append(str(value))
    return "".join(parts) or REGISTRY[call.tool].title


def _empty(result: BaseModel) -> bool:
    """A result that holds no figure (无数据): the documents may still state it."""
    figures = getattr(result, "figures", None)
    if figures:
        # the schedule is computed from the period alone: it is data only when the question is about it
        own = [f for f in figures if "序时进度" not in f.label] or figures
        return all(f.value is None for f in own)
    for attr in ("items", "rows", "lagging"):
        if getattr(result, attr, None):
            return False
    return "无数据" in str(getattr(result, "summary", ""))


# A question asking who — people, or the department, unit or level responsible: never a definition.
ORIGIN = re.compile(r"从哪(?:里|儿)?来|哪(?:里|儿)来的|由来|来历|起源|最早(?:是)?(?:由|从|来自|提出)|最初(?:是)?(?:由|从|来自|提出)"
                    r"|最开始(?:是)?(?:由|从|来自)|(?:谁|哪个单位|哪位)(?:最早|最先|首先)?提出")
WHO = re.compile(r"谁|哪位|哪几位|哪些人|哪(?:个|些|一|家)?(?:部门|单位|机构|一级|级)")
# A question about how two terms relate (A和B是什么关系, 有什么区别, 一样吗).
COMPARE = re.compile(r"(?:和|与|跟|同).{1,16}?(?:是什么关系|有什么关系|有何关系|啥关系|什么关系|有什么区别|的区别|区别是什么|"
                     r"有啥区别|区别在哪|有什么不同|有啥不同|不同在哪|有何不同|异同|一样吗|是一回事吗|是不是一回事)")
# Tools whose figures reports also state for the whole city (新签约项目开工率、资金到位率), and how a question says it
# wants the ledger's own (项目库里, 台账上).
STATED_IN_REPORTS = {"project_stats"}
LEDGER_NAMED = re.compile(r"项目库|台账|数据库")


def tool_values_of(results: list[Any]) -> list[float]:
    return [v for r in results for v in numeric_values(r)]
