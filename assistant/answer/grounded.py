"""The embedded grounded mode: a deterministic pipeline that answers offline.

Figures come from the typed tools (each with provenance); policy answers quote the most relevant
sentences of the top passages, marked [n] against the citation list. Nothing is generated that is not
in a tool result or a cited passage, so the number checker never fires here.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any

import jieba.posseg as posseg
from pydantic import BaseModel

from assistant.answer.answer_types import AnswerType, answer_type
from assistant.answer.coverage import FRAME_WORDS
from assistant.answer.numbers import find_numbers, numeric_values, ordinal_forms
from assistant.answer.router import RouteScore
from assistant.answer.stated import WHICH, asked_of, written
from assistant.answer.types import UNVERIFIED_NOTE, Citation
from assistant.answer.understand import (
    ASKS_TARGET,
    INJECTION,
    WHY,
    Parsed,
    RegionName,
    delexicalise,
    why_pattern,
)
from assistant.corpus.sentences import SENTENCE, is_planted
from assistant.db.errors import InvalidPeriod
from assistant.db.periods import Period, find_period, parse_period
from assistant.db.session import FigureStore
from assistant.db.units import convert, normalise_unit
from assistant.db.vocab import resolve_metric
from assistant.errors import AssistantError
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.index.places import Gazetteer, document_places, gazetteer, place_relation
from assistant.index.tokenize import tokenize_query
from assistant.tools.indicators import CityTotalResult, IndicatorResult, RankingResult
from assistant.tools.lifecycle import CountyRanking
from assistant.tools.monthly import ProgressChange, ProgressStep
from assistant.tools.registry import REGISTRY, FigureTool, run_tool
from assistant.tools.types import Figure

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
# The question asks what a document says (情况通报里说…, 据工作报告…): quote it beside the database's figure.
DOCUMENT_CUE = re.compile(r"(?:文件|报告|通报|简报|答复|访谈|采访|办法|总结|讲话|文档|材料)(?:里|中|上)?(?:说|讲|提到|写|称|怎么说)"
                          r"|据.{0,12}(?:文件|报告|通报|访谈)"
                          # the document asked about named as where the answer is (一季度报告里…, 调研报告建议…)
                          r"|(?:报告|通报|简报|答复函?|访谈|总结|讲话|手册)(?:里头|里面|里|中|上)|(?:报告|答复函?)(?:建议|提出|要求)")
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
FORMALITIES = re.compile(r"^[（(]?(?:附注|版记|抄送|印发|联系人)")
# A clause the documents answer: why/how, and also what a term or rule is (是什么, 口径, 怎么认定).
WHY_CLAUSE = why_pattern("是什么", "什么是", "含义", "口径", "怎么处理", "怎么认定", "怎么规定", "有什么规定", "承担什么",
                         "什么责任")
# The clauses of a mixed question that the documents are searched with (完成多少，为什么滞后 → 为什么滞后).
WHY_SEARCH = why_pattern("怎么", "是什么", "口径")
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
    results: list[BaseModel] = field(default_factory=list)
    lead: str = ""  # the first sentence: the direct answer
    no_data: bool = True  # every tool result was empty (无数据)
    settled: bool = False  # the data part answered the question completely (an unknown place): quote nothing

    def text(self) -> str:
        parts = [self.lead] if self.lead else []
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


def _run_tool(comp: Composition, call: Callable[[], BaseModel]) -> BaseModel | None:
    try:
        result = call()
    except (AssistantError, KeyError, ValueError) as exc:
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
DATA_INTENTS = ("figure", "rank", "lag", "project", "event", "problem")
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
DEFINE_ONLY = re.compile(r"怎么算|如何计算|怎么计算|计算公式|口径|是什么意思|什么意思|指什么|定义|含义")
PROGRESS = re.compile(r"进度|序时|完成|落后|滞后|招商引资")
# A question about what a rule lays down — a time limit (几天内办结, 多少小时内报, 每周几之前), a cap (最多能管几个),
# what is done in a case (解决不了的怎么办) — rather than what the records hold. Asked of no named place, period,
# project, company or department, it is answered by the rule's text: a list of the ledger's rows states no rule.
NORM = re.compile(r"(?:几|多少)\s*(?:个)?\s*(?:工作日|天|小时|日|周|月)\s*(?:之内|以内|内)|多长时间|多久|最迟|最晚|"
                  r"每(?:个)?(?:周|礼拜|星期|月|季度|年)(?:几|哪天|最晚)|最多能|一般.{0,8}(?:几|多少|多久)|"
                  r"怎么办|咋办|怎么处理|咋处理|如何处理|由谁|归谁管|谁来(?:管|负责|组织|定)")
FIRST = re.compile(r"第一|第1|最高|最好|最快|最多|最大|排名?最前|居首|领先|头名")
LAST = re.compile(r"倒数|最低|最差|最慢|最少|最小|最后|末位|垫底|靠后|落后")
# A change asked about from its falling side (下降最多 is the last of a ranking by increase).
FALLING = re.compile(r"下降|回落|退步|倒退")
# The question asks only how a figure changed on the same period of the previous year (同比), nothing else of it.
ASKS_YOY = re.compile(r"同比|增速|增幅|增长率|比去年同期|比上年同期")
# Growth averaged over years (年均增长): a measure the indicator table does not hold in any form.
ASKS_AVERAGE = re.compile(r"(?:年均|平均每年|年平均)\s*(?:增长|增速|增幅)")
ASKS_MORE = re.compile(r"完成|进度|目标|总量|规模|数值|金额|到位|多少亿|多少万|排|名次|数据|情况|怎么样|如何")
# The same period of the previous year asked for as a figure of its own (去年同期多少, 上年同期呢), not as the
# base of a change (比去年同期增长, 较上年同期): both periods' figures are given.
ASKS_LAST_YEAR = re.compile(r"(?<![比较与和同])(?:去年|上年|上一年)同期(?!相比|比|增|减|下降|上升)")
# Words of a question about signing (签了哪些, 新签约): a week's window is a signing window only with one of them.
SIGNING = re.compile(r"签约|签了|签的|签订|新签|签下")
# A position asked for: 排第二的, 第3名, 倒数第二 (not 第一季度).
RANK_POSITION = re.compile(r"(倒数)?第\s*(\d{1,3}|[一二两三四五六七八九十])(?!\s*季度|\d)")
TOP_N = re.compile(r"前\s*([2-9一二两三四五六七八九十])\s*(?:名|位|个)?")
# Any position a ranking question asks for: the top or last n, the nth, the first or the last.
POSITION_WORDS = re.compile(r"前\s*[2-9一二两三四五六七八九十]|第\s*(?:\d{1,3}|[一二两三四五六七八九十])(?!\s*季度)|倒数|最|"
                            r"后\s*[2-9一二两三四五六七八九十]|靠后|靠前|垫底|末位|居首|排名|排序")
# The last n places asked for (最后两名, 靠后的三个, 倒数三名, 后3位): not 倒数第二, a single place.
BOTTOM_N = re.compile(r"(?:倒数|最后|末尾?|靠后的?|排名靠后的?|垫底的?|后)\s*([2-9一二两三四五六七八九十])\s*(?:名|位|个)")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


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


LatestPeriod = Callable[[list[str], list[str]], "str | None"]
# Each slot of the question a tool uses adds this to its route score, so that of two near routes the one that
# uses what the question names wins (汉阴县外资进度落后 → that county's figure, not the list of laggards).
# Chosen on the development question set only.
SLOT_BONUS = 0.02
# A named project, company or 首谈单位 narrows every figure asked: a tool that cannot filter by it answers for all
ENTITY_KINDS = ("project", "enterprise", "source", "owner")
_NAMED_KINDS = ("region", "metric", "project", "enterprise", "department", "chain", "city", "stage", "status",
                "category", "days", "amount", "foreign", "date_from", "signed_from", "order", "solved", "compared_to", "parts",
                "source", "overdue", "county", "change", "escalation", "owner", "matches")
# A position asked for (排第几, 最少, 前三): only then does the ranking basis (总量, 同比) count as a slot the
# question fills — 石泉县内资同比增长多少 asks the county's 同比, not a ranking by it.
ASKS_POSITION = re.compile(r"排名|排第|排序|名次|第几|前\s*[2-9一二两三四五六七八九十]|最[高低好差多少大小快慢]|倒数|垫底|末位|居首|第\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*[名位](?!单位)")


def _slot_values(kind: str, parsed: Parsed, latest: LatestPeriod) -> list[Any]:
    """The values a question gives for one slot kind (several for two counties or two metrics)."""
    slots = parsed.slots
    if kind == "region":
        return [r.name for r in parsed.regions]
    if kind == "county":
        return [r.name for r in parsed.regions if not r.is_city]
    if kind == "period":
        if parsed.period and not parsed.period_assumed:
            if not parsed.follow_up and ASKS_LAST_YEAR.search(parsed.text):
                return [parsed.period.key, parsed.period.previous_year().key]  # 一季度多少？去年同期多少？
            return [p.key for p in sorted({parsed.period, *parsed.also_periods})]  # 一季度和上半年分别多少
        newest = latest([m.name for m in parsed.metrics], [r.name for r in parsed.regions])
        return [newest] if newest else ([parsed.period.key] if parsed.period else [])
    if kind == "metric":
        return [m.name for m in parsed.metrics]
    if kind == "by":  # a follow-up (那平利县呢) keeps the basis its earlier question asked the ranking by
        text = f"{parsed.asked_before} {parsed.text}"
        return ["yoy"] if re.search(r"同比|增速|增幅|增长率", text) else (
            ["value"] if re.search(r"总量|总额|绝对值|规模|体量|数值|金额|多少亿|最多|最少", text) else [])
    if kind == "compared_to":
        return [parsed.compared_to.key] if parsed.compared_to else []
    if kind == "change":  # two periods compared, or a change of completion asked in words
        return [True] if parsed.compared_to or slots.change else []
    if kind in ("signed_from", "signed_to"):
        # a signing window: a month or quarter asked of signings, or a week (本周) only where signing is asked —
        # 这周到位资金增加的项目 asks what changed in the week, not what was signed in it
        window = slots.date_from if kind == "signed_from" else slots.date_to
        return [] if window is None or slots.week and not SIGNING.search(parsed.text) else [window]
    value = {"source": slots.source, "overdue": slots.overdue, "parts": slots.parts,
             "solved": slots.solved, "date_from": slots.date_from, "date_to": slots.date_to, "order": slots.order,
             "project": slots.project, "enterprise": slots.enterprise, "department": slots.department,
             "chain": slots.chain, "city": slots.city, "stage": slots.stage, "status": slots.status,
             "category": slots.category, "days": slots.days, "amount": slots.amount, "foreign": slots.foreign,
             "columns": slots.columns, "escalation": slots.escalation, "matches": [f"{k}={v}" for k, v in slots.matches.items()] if slots.matches else None,
             "owner": slots.owner, "rate": slots.rate, "county_class": slots.county_class}.get(kind)
    return [] if value is None else [value]


def _calls_for(tool: FigureTool, parsed: Parsed, latest_period: LatestPeriod) -> list[Call] | None:
    """The calls a tool needs for this question (one per region and metric asked), or None when a required
    slot cannot be filled from the question."""
    if any(not _slot_values(kind, parsed, latest_period) for kind in tool.requires):
        return None
    required = {p.name for p in tool.parameters if p.default is inspect.Parameter.empty}
    choices: list[tuple[str, list[Any]]] = []
    for param, kind in tool.slots.items():
        values = _slot_values(kind, parsed, latest_period)
        if kind == "period" and param not in required and parsed.period_assumed:
            values = []  # an optional period filter only when the question names one
        if kind == "period" and param not in required and parsed.slots.date_from and (
                {"date_from", "signed_from"} & set(tool.slots.values())):
            values = []  # a window (11月签约) replaces the cumulative period
        if not values and param in required:
            if kind == "metric" and (parsed.regions or PROGRESS.search(parsed.text)):
                values = list(DEFAULT_METRICS)
            else:
                return None
        if values:
            several = kind in ("region", "county", "metric") or kind == "period" and param in required
            choices.append((param, values if several else values[:1]))
    calls = [Call(tool.name, {})]
    for param, values in choices:
        calls = [Call(c.tool, {**c.params, param: v}) for c in calls for v in values]
    if any(p.name == "unit" for p in tool.parameters):
        calls = [_in_asked_unit(c, parsed.text) for c in calls]
    return calls[:8]


# A money unit the figure is asked in (多少万元, 合多少亿美元, 单位万元): the tool converts within a currency.
ASKED_UNIT = re.compile(r"(?:多少|几)个?\s*(亿美元|万美元|亿元|万元|美元|元)|(?:单位|以)[是为用：:]?\s*(亿美元|万美元|亿元|万元)")


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


def _used_slots(tool: FigureTool, parsed: Parsed, latest: LatestPeriod) -> int:
    kinds = set(tool.slots.values()) | set(tool.requires)
    named_period = "period" in kinds and parsed.period is not None and not parsed.period_assumed
    # a position asked with no place named (上半年内资倒数第二) is which region holds it: only a ranking says
    by = ("by" in kinds and bool(ASKS_POSITION.search(f"{parsed.asked_before} {parsed.text}"))
          and (bool(_slot_values("by", parsed, latest)) or not parsed.regions))
    used = named_period + by + sum(1 for kind in kinds if kind in _NAMED_KINDS and _slot_values(kind, parsed, latest))
    # a column asked of the listed rows (紫阳县项目的最新进展) counts only beside a filter naming which rows: alone
    # (30天内要到约定开工期限的项目) the column word is how a lifecycle window is asked, not a list
    return used + (used > 0 and "columns" in kinds and bool(_slot_values("columns", parsed, latest)))


def plan_for(parsed: Parsed, scores: list[RouteScore], latest_period: LatestPeriod) -> Plan:
    """Choose the tool calls by the router's scores among the tools whose slots the question fills."""
    by_route = {s.route: s.score for s in scores}
    named_entities = [kind for kind in ENTITY_KINDS if _slot_values(kind, parsed, latest_period)]
    # a definition is of a term, never of a named project or company: 锂电隔膜项目的项目管家是谁 asks the ledger
    # nor an answer to who (汉滨区的项目管家都有谁 asks the ledger's people, not what a 项目管家 is)
    # nor an answer to a value (服务卡是哪天发放的, 多少人): a definition says what a term means, not its date or count
    wants = answer_type(parsed.text)
    valued = wants is not None and wants.name != "计算方法"
    other = max((by_route.get(r, 0.0), r) for r in ("policy", "define", "outside")
                if not ((named_entities or WHO.search(parsed.text) or valued) and r == "define"))
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
        used = _used_slots(tool, parsed, latest_period)
        if used or candidate.score >= SLOTLESS_FLOOR or parsed.follow_up:
            eligible.append((candidate.score + SLOT_BONUS * used, candidate.score, tool.name, calls))
    if named_entities and any(all(k in REGISTRY[e[2]].slots.values() for k in named_entities) for e in eligible):
        # 格力钛新能源准备投多少钱: a tool that cannot narrow to the company named would answer for every company
        eligible = [e for e in eligible if all(k in REGISTRY[e[2]].slots.values() for k in named_entities)]
    if parsed.bad_period or (DEFINE_ONLY.search(parsed.text) and not parsed.regions and parsed.period_assumed
                             and not parsed.slots.project and not parsed.slots.enterprise):
        eligible = []  # 13月: refused below; 怎么算/口径 without a place or period: a definition, not a figure
    if COMPARE.search(parsed.text) and not parsed.regions and not parsed.slots.project and not parsed.slots.enterprise:
        # 项目库和目标企业库有什么区别: how two terms relate is said in documents, no tool's list answers it
        eligible = []
        if plan.route == "define":
            plan.route = "policy"
    if parsed.future and (parsed.period is None or parsed.period_assumed):
        plan.future = bool(eligible)
        eligible = []  # 下个月、明年: nothing in the database yet
    if parsed.slots.unknown_project and not parsed.slots.project:
        eligible = []  # a project the ledger does not hold: the documents may describe it, no tool's figures do
    if parsed.slots.unknown:
        # an office, chain, company or department the tables do not hold: a tool run without it would answer for
        # every one of them, as if the name had not been said
        eligible = []
    if NORM.search(parsed.text) and not (parsed.regions or named_entities or parsed.slots.department
                                         or (parsed.period and not parsed.period_assumed) or parsed.follow_up):
        eligible = []  # 一般问题几天内办结: the rule says it, the ledger's open problems do not
    if eligible:
        adjusted, score, name, calls = max(eligible, key=lambda e: (e[0], e[1]))
        margin = 0.0 if other[1] == "outside" else DATA_MARGIN  # off-topic wins ties: no figures for them
        if score >= other[0] - margin or REGISTRY[name].requires or parsed.follow_up:
            plan.calls, plan.route, plan.score = calls, name, score
            plan.alternatives = [(e[2], e[3]) for e in sorted(eligible, key=lambda e: (-e[0], -e[1]))
                                 if e[2] != name and e[1] >= other[0] - margin][:ALTERNATIVES]
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


def figures_for(parsed: Parsed, store: FigureStore | None, comp: Composition, known_regions: list[str],
                plan: Plan) -> None:
    if parsed.bad_period:
        comp.lead = f"“{parsed.bad_period}”不是有效的期间，请写作“2023年7月”“2023年1-7月”“2023年一季度”等。"
        comp.settled = True
        return
    if not plan.calls:
        return
    if store is None:
        comp.notes.append("项目数据库尚未导入，暂不能回答数据问题。请先运行 assistant db import-demo corpus/data/。")
        return
    takes_city = "city" in REGISTRY[plan.route].slots.values()
    if parsed.unknown_place and not parsed.regions and not (takes_city and parsed.slots.city):
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
    comp.lead = lead_sentence(parsed, comp.results) if comp.results else comp.lead
    comp.tool_values += _derived(comp.results, parsed)
    lacking = _measure_lacking(parsed, comp.results)
    if comp.results and (comp.no_data or lacking):
        comp.no_data = True
        # the row is there without it: no document's other figure either, unless the question asks what one says
        comp.settled = comp.settled or bool(lacking) and not DOCUMENT_CUE.search(parsed.text)
        asked = "、".join(dict.fromkeys(_asked(c, parsed) for c in plan.calls))
        comp.lead = (f"项目数据库中没有{asked}的{lacking}数据（数据库只有各期累计数、年度目标和同比，不推算年均增速），"
                     "同比等其他口径不能代替。" if lacking == "年均增长" else
                     f"项目数据库中没有{asked}的{lacking}数据（报表未填{lacking}，也没有上年同期数可以计算；无数据，不等于零），"
                     f"其他期间或其他地区的{lacking}不能代替。" if lacking else
                     f"项目数据库中没有{asked}的数据（无数据，不等于零）。")
        comp.figure_lines = []
        comp.figures = [f for f in comp.figures if f.value is None]
    used = sorted({str(v) for c in plan.calls for p, v in c.params.items() if REGISTRY[c.tool].slots.get(p) == "period"})
    if parsed.period_assumed and used and comp.figures:
        labels = "、".join(parse_period(key).label for key in used)
        comp.notes.append(f"问题中未指明期间，按数据库中有数据的最新期间“{labels}”回答。")


def _derived(results: list[BaseModel], parsed: Parsed | None = None) -> list[float]:
    """Numbers the lead sentence derives from a result (the gap to the schedule), so the checker traces them."""
    out = [abs(round(r.schedule_pct - r.completion_pct, 2)) for r in results
           if isinstance(r, IndicatorResult) and r.completion_pct is not None]
    out += [abs(round(float(parse_period(r.period).schedule_pct) - r.completion_pct, 2)) for r in results
            if isinstance(r, CityTotalResult) and r.completion_pct is not None]
    out += [abs(round(float(parse_period(r.period).schedule_pct) - score, 2)) for r in results
            if isinstance(r, RankingResult) and r.by == "completion"
            for row in r.rows if (score := _score(row, r.by)) is not None]
    # the difference between two places set side by side (比石泉县高1.99个百分点)
    compared = two_places_compared(parsed, results) if parsed is not None else None
    out += [compared[1]] if compared else []
    # how many regions share a place (11个地区并列第3): counted from the ranking's rows
    out += [float(n) for r in results if isinstance(r, RankingResult)
            for n in Counter(row.rank for row in r.rows).values()]
    # the schedule itself, which the lead names beside the gap (a ranking or a city total holds no 序时 figure)
    out += [round(float(parse_period(r.period).schedule_pct), 2) for r in results
            if isinstance(r, RankingResult | CityTotalResult)]
    return out + [abs(r.yoy_pct) for r in results
                  if isinstance(r, IndicatorResult | CityTotalResult) and r.yoy_pct is not None]


def _measure_lacking(parsed: Parsed, results: list[BaseModel]) -> str:
    """"同比" when the question asks only the 同比 of an indicator and no result holds one: the value the tool
    did find is not the answer, and the answer must not read as if it were."""
    held = [r for r in results if isinstance(r, IndicatorResult | CityTotalResult)]
    if not results or len(held) != len(results):
        return ""
    if ASKS_AVERAGE.search(parsed.text):
        return "年均增长"  # no indicator tool averages growth over years: 同比 is another measure
    if not ASKS_YOY.search(parsed.text) or ASKS_MORE.search(parsed.text):
        return ""
    if WHY_CLAUSE.search(parsed.text) or DOCUMENT_CUE.search(parsed.text):
        return ""  # 同比多少、原因是什么: the reasons are asked too, the documents answer them
    return "同比" if all(r.yoy_pct is None for r in held) else ""


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


def _fmt(value: float | None, unit: str) -> str:
    """公文 style: 1916万美元, 67.63%, 236.7亿元 (no padding zeros)."""
    if value is None:
        return "无数据"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def _rank_words(rank: int, tied: int) -> str:
    return f"并列第{rank}" if tied > 1 else f"第{rank}"


def lead_sentence(parsed: Parsed, results: list[BaseModel]) -> str:  # noqa: C901 - one branch per result type
    """The first sentence: a direct answer to the question, from the tool results."""
    first = results[0]
    if isinstance(first, IndicatorResult):
        sentences = []
        for r in results:
            if not isinstance(r, IndicatorResult):
                continue
            if r.value is None:
                sentences.append(f"项目数据库中没有{r.region}{r.period_label}{r.metric}的数据")
                continue
            text = f"{r.region}{r.period_label}{r.metric}{_fmt(r.value, r.unit)}"
            if r.yoy_pct is not None and re.search(r"同比|增速|增幅|增长", parsed.text):
                text += f"，同比{'增长' if r.yoy_pct >= 0 else '下降'}{_fmt(abs(r.yoy_pct), '%')}"
            if r.annual_target is not None and ASKS_TARGET.search(parsed.text):
                text += f"，年度目标{_fmt(r.annual_target, r.unit)}"
            if r.completion_pct is not None:
                text += f"，完成年度目标的{_fmt(r.completion_pct, '%')}" + schedule_gap(
                    parsed.text, r.completion_pct, r.schedule_pct)
            if r.rank is not None:
                text += f"，在{r.ranked_regions}个县区中排{_rank_words(r.rank, r.rank_shared_by)}"
            sentences.append(text)
        difference = two_places_compared(parsed, results)
        return (f"{difference[0]}。" if difference else "") + "；".join(sentences) + "。"
    if isinstance(first, RankingResult):
        parts = []
        # a follow-up naming no position (外资呢 after 内资排名前三) keeps the one asked before
        asked = parsed.text if POSITION_WORDS.search(parsed.text) else f"{parsed.asked_before} {parsed.text}"
        for r in results:
            if not isinstance(r, RankingResult) or not r.rows:
                continue
            label = {"completion": "完成进度", "value": "总量", "yoy": "同比增速"}.get(r.by, r.by)
            ranks = sorted({row.rank for row in r.rows})
            m = TOP_N.search(asked)
            if m:
                n = int(m.group(1)) if m.group(1).isdigit() else _CN.get(m.group(1), 3)
                chosen = [row for row in r.rows if row.rank <= n]
                parts.append(f"{r.period_label}{r.metric}{label}前{n}名：" + "、".join(
                    f"{row.region}（第{row.rank}，{_fmt(_score(row, r.by), r.unit)}）" for row in chosen))
                continue
            if (m := BOTTOM_N.search(asked)) and r.rows:
                # 最后两名, 靠后的三个, 倒数三名: the last n places, with every region tied at the nth
                n = int(m.group(1)) if m.group(1).isdigit() else _CN.get(m.group(1), 3)
                backwards = sorted(r.rows, key=lambda row: row.rank, reverse=True)
                cut = backwards[min(n, len(backwards)) - 1].rank
                chosen = [row for row in backwards if row.rank >= cut]
                parts.append(f"{r.period_label}{r.metric}{label}倒数{n}名：" + "、".join(
                    f"{row.region}（{_rank_words(row.rank, sum(1 for x in r.rows if x.rank == row.rank))}，"
                    f"{_fmt(_score(row, r.by), r.unit)}）" for row in chosen))
                continue
            named = [row for row in r.rows if row.region in {g.name for g in parsed.regions}]
            if named:
                schedule = float(parse_period(r.period).schedule_pct)
                parts.append("，".join(
                    f"{r.period_label}{row.region}{r.metric}{label}{_fmt(_score(row, r.by), r.unit)}"
                    + (schedule_gap(parsed.text, score, schedule)
                       if r.by == "completion" and (score := _score(row, r.by)) is not None else "")
                    + f"，在{len(r.rows)}个县区中排{_rank_words(row.rank, sum(1 for x in r.rows if x.rank == row.rank))}"
                    for row in named))
                continue
            ordinal = RANK_POSITION.search(asked)
            n = 0
            if ordinal:
                n = int(ordinal.group(2)) if ordinal.group(2).isdigit() else _CN.get(ordinal.group(2), 0)
            if n > 1 or (n == 1 and ordinal and ordinal.group(1)):
                # 排第二的, 倒数第三: the position n, inside a tie group when n falls in one (并列第3 covers 3–11)
                order = sorted(r.rows, key=lambda row: row.rank, reverse=bool(ordinal and ordinal.group(1)))
                if n > len(order):
                    parts.append(f"{r.period_label}{r.metric}{label}没有{'倒数' if ordinal and ordinal.group(1) else '排'}第{n}的县区，"
                                 f"只有{len(order)}个县区参与排名")
                    continue
                place = order[n - 1].rank
                prefix = f"倒数第{n}" if ordinal and ordinal.group(1) else f"排第{n}"
            elif LAST.search(asked):
                place = ranks[-1]
                prefix = "排名最后"
            elif FIRST.search(asked) or re.search(r"哪个|哪家|谁", asked):
                place = ranks[0]
                prefix = "排第1"
            else:
                parts.append(r.summary.rstrip("。"))
                continue
            rows = [row for row in r.rows if row.rank == place]
            names = "、".join(f"{row.region}（{_fmt(_score(row, r.by), r.unit)}）" for row in rows)
            tie = f"，{len(rows)}个地区并列第{place}" if len(rows) > 1 else ""
            parts.append(f"{r.period_label}{r.metric}{label}{prefix}的是{names}{tie}")
        return "；".join(parts) + "。" if parts else str(getattr(first, "summary", ""))
    if isinstance(first, CityTotalResult) and first.basis == "全市行":
        return "；".join(_city_lead(parsed, r) for r in results if isinstance(r, CityTotalResult)) + "。"
    if isinstance(first, CountyRanking):
        return _county_rate_lead(parsed, first)
    if isinstance(first, ProgressChange):
        return _progress_lead(parsed, first)
    return str(getattr(first, "summary", ""))


# The question weighs one place against another (差几个百分点, 谁高, 比全市高还是低, 和石泉比): 多少 is no such word.
ASKS_DIFFERENCE = re.compile(r"差|高|低|谁|比(?!例|重)|快|慢|领先|落后|超过|不如|多出|[多少](?=[了些]|$)")
ASKS_YOY_MEASURE = re.compile(r"同比|增速|增幅|增长率|增长")
ASKS_COMPLETION = re.compile(r"进度|完成率|百分点|序时|完成得")


def two_places_compared(parsed: Parsed, results: list[BaseModel]) -> tuple[str, float] | None:
    """"白河县2023年1-7月实际引进内资完成进度比石泉县高1.99个百分点" when the question sets two places side by side
    for one period and metric (two counties, or a county and 全市) and asks how they differ: the sentence and the
    difference (for the number checker). The measure is the one asked: 同比, completion, else the value."""
    rows = [r for r in results if isinstance(r, IndicatorResult) and r.value is not None]
    if len(rows) != 2 or rows[0].region == rows[1].region or rows[0].period != rows[1].period \
            or rows[0].metric != rows[1].metric:
        return None
    asked = re.sub(r"多少|同比|占比|[？?。！!\s]", "", delexicalise(parsed.text, parsed))
    if not ASKS_DIFFERENCE.search(asked):
        return None
    # the measure may be named in the question a follow-up changes (旬阳上半年内资进度 → 和全市比呢)
    measured = f"{parsed.asked_before} {parsed.text}"
    a, b = rows
    if ASKS_YOY_MEASURE.search(measured):
        label, x, y, unit = "同比增速", a.yoy_pct, b.yoy_pct, "个百分点"
    elif ASKS_COMPLETION.search(measured):
        label, x, y, unit = "完成进度", a.completion_pct, b.completion_pct, "个百分点"
    else:
        label, x, y, unit = "", a.value, b.value, a.unit
    if x is None or y is None:
        return None
    gap = round(x - y, 2)
    more, less = ("高", "低") if unit == "个百分点" else ("多", "少")
    said = f"{more if gap > 0 else less}{_fmt(abs(gap), unit)}" if gap else "持平"
    return f"{a.period_label}{a.region}{a.metric}{label}比{b.region}{said}", abs(gap)


def _city_lead(parsed: Parsed, r: CityTotalResult) -> str:
    """全市 from the report's own 全市 row: the value, the 同比 when asked, the target when asked, the completion."""
    if r.value is None:
        return f"项目数据库中没有全市{r.period_label}{r.metric}的数据"
    text = f"全市{r.period_label}{r.metric}{_fmt(r.value, r.unit)}"
    if re.search(r"同比|增速|增幅|增长", parsed.text):
        text += ("，同比无数据" if r.yoy_pct is None else
                 f"，同比{'增长' if r.yoy_pct >= 0 else '下降'}{_fmt(abs(r.yoy_pct), '%')}")
    if r.annual_target is not None and ASKS_TARGET.search(parsed.text):
        text += f"，年度目标{_fmt(r.annual_target, r.unit)}"
    if r.completion_pct is not None:
        text += f"，完成年度目标的{_fmt(r.completion_pct, '%')}" + schedule_gap(
            parsed.text, r.completion_pct, float(parse_period(r.period).schedule_pct))
    return text


# The question measures completion against the schedule, from either side (落后多少, 快了多少, 超序时多少, 达没达到).
ASKS_SCHEDULE = re.compile(r"序时|时间进度|落后|滞后|超前|领先|差多少|低多少|高多少|快多少|快了多少|慢多少")


def schedule_gap(question: str, completion_pct: float, schedule_pct: float) -> str:
    """"，低于序时进度（58.33%）3.77个百分点" or "，高于序时进度（50%）20.3个百分点" when the question asks how
    completion stands against the schedule: said from the side the figure is on, whichever side the question
    assumed (落后多少 of a county ahead is answered as ahead)."""
    if not ASKS_SCHEDULE.search(question):
        return ""
    gap = round(completion_pct - schedule_pct, 2)
    side = "高于" if gap > 0 else "低于" if gap < 0 else "持平于"
    amount = _fmt(abs(gap), "个百分点") if gap else ""
    return f"，{side}序时进度（{_fmt(schedule_pct, '%')}）{amount}"


def _place(rank: int, ranked: list[int]) -> str:
    """排第3 / 排并列第3 among the ranks given (one per ranked region)."""
    return f"排{_rank_words(rank, ranked.count(rank))}"


def _extreme(parsed: Parsed, ranks: list[int]) -> tuple[int, str] | None:
    """The place the question asks for at one end of a ranking (最高/最多 → the first, 最低/最少 → the last),
    and how to say it; None when it asks neither."""
    if not ranks:
        return None
    if LAST.search(parsed.text):
        return max(ranks), "最后"
    if FIRST.search(parsed.text) or re.search(r"哪个|哪家|谁", parsed.text):
        return min(ranks), "第1"
    return None


def _county_rate_lead(parsed: Parsed, result: CountyRanking) -> str:
    """各县区项目比率: a named county's rate and place (并列 when tied), or the county at the end asked for."""
    by = result.by
    ranked = [r for r in result.rows if r.rank is not None]
    ranks = [r.rank for r in ranked if r.rank is not None]
    asked = [g.name for g in parsed.regions if not g.is_city]
    day = f"截至{result.as_of.year}年{result.as_of.month}月{result.as_of.day}日台账，"
    if asked:
        parts = []
        for name in asked:
            row = next((r for r in result.rows if r.region == name), None)
            rate = row.rate(by) if row else None
            if row is None or rate is None or row.rank is None:
                parts.append(f"{name}没有可计算{by}的项目（无数据）")
            else:
                parts.append(f"{name}项目{by}{_fmt(rate, '%')}，在{len(ranked)}个县区中{_place(row.rank, ranks)}")
        return day + "；".join(parts) + "。"
    end = _extreme(parsed, ranks)
    if end is None:
        return result.summary
    place, said = end
    rows = [r for r in ranked if r.rank == place]
    names = "、".join(f"{r.region}（{_fmt(r.rate(by), '%')}）" for r in rows)
    tie = f"，{len(rows)}个县区并列" if len(rows) > 1 else ""
    return f"{day}各县区项目{by}排{said}的是{names}{tie}。"


def _progress_lead(parsed: Parsed, result: ProgressChange) -> str:
    """进度变化: a named county's change and place, or the county at the end asked for (提升最多 / 最少), per metric."""
    head = f"{result.period_label}比{result.compared_label}，"
    asked = [g.name for g in parsed.regions if not g.is_city]
    parts = []
    for metric in result.metrics:
        steps = [s for s in result.rows if s.metric == metric]
        ranks = [s.rank for s in steps]

        def moved(s: ProgressStep) -> str:
            way = "持平" if not s.change_points else ("提高" if s.change_points > 0 else "下降")
            amount = "" if not s.change_points else _fmt(abs(s.change_points), "个百分点")
            return f"{way}{amount}（{_fmt(s.before_pct, '%')}→{_fmt(s.after_pct, '%')}）"

        if asked:
            for name in asked:
                step = next((s for s in steps if s.region == name), None)
                parts.append(f"{name}{metric}完成进度{moved(step)}，在{len(steps)}个县区中{_place(step.rank, ranks)}"
                             if step else f"{name}{metric}没有两期的完成进度（无数据）")
            continue
        end = _extreme(parsed, ranks)
        if end is None:
            return result.summary
        place, said = end
        if FALLING.search(parsed.text):  # 下降最多 is the last by increase, 下降最少 the first
            place, said = (min(ranks), "第1") if said == "最后" else (max(ranks), "最后")
        chosen = [s for s in steps if s.rank == place]
        label = "提升最少" if said == "最后" else "提升最多"
        if len(chosen) > 1:  # a tie moved by the same points: the names, then the change once
            way = "持平" if not chosen[0].change_points else (
                f"{'提高' if chosen[0].change_points > 0 else '下降'}{_fmt(abs(chosen[0].change_points), '个百分点')}")
            parts.append(f"{metric}完成进度{label}的是{'、'.join(s.region for s in chosen)}（{len(chosen)}个县区并列），"
                         f"均{way}")
        else:
            parts.append(f"{metric}完成进度{label}的是{chosen[0].region}，{moved(chosen[0])}")
    return head + "；".join(parts) + "。" if parts else result.summary


def _score(row: Any, by: str) -> float | None:
    return {"completion": row.completion_pct, "value": row.value, "yoy": row.yoy_pct}.get(by)


def _content_words(text: str) -> list[str]:
    return [w for w in tokenize_query(text) if w not in GENERIC and len(w) > 1 or w.isdigit()]


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
NAMED_ITEM = re.compile(r"第\s*(\d+|[一二两三四五六七八九十百零〇]+)\s*([期次批届号条款章轮场节])")
# A question asking who — people, or the department, unit or level responsible: never a definition.
WHO = re.compile(r"谁|哪位|哪几位|哪些人|哪(?:个|些|一|家)?(?:部门|单位|机构|一级|级)")
# A question about how two terms relate (A和B是什么关系, 有什么区别, 一样吗).
COMPARE = re.compile(r"(?:和|与|跟|同).{1,16}?(?:是什么关系|有什么关系|有何关系|啥关系|什么关系|有什么区别|的区别|区别是什么|"
                     r"有啥区别|区别在哪|有什么不同|有啥不同|不同在哪|有何不同|异同|一样吗|是一回事吗|是不是一回事)")
# A question asking county by county (各县区…分别多少, 每个县区).
EACH_COUNTY = re.compile(r"各(?:个)?(?:县区|县市区|县（市、区）|区县|单元)|每个(?:县区|县|区县)")
# Of two sentences equally covering the question, the one whose subject is a question word is preferred: less than
# any difference of coverage (a question has fewer than 20 content words), so it only breaks ties.
SUBJECT_BONUS = 0.05
# What may stand before a sentence's subject: list markers and opening quotes.
SENTENCE_OPENING = re.compile(r"^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.、．]|[“「\s])+")
# A question asking for a number (多少, 几个, 排第几).
HOW_MUCH = re.compile(r"多少|几")
# A text that names a whole year on purpose (全年, 年度), not a bare year that may label a target (2023年目标).
WHOLE_YEAR = re.compile(r"全年|年度|年底|年末|1\s*[-—至~]\s*12\s*月")


# What a why/how question asks for, and the sections of a report or letter that say it.
# (怎么办 and 如何 are not here: 连续两次不满意怎么办 asks what the rule says happens, not the next steps)
ASKS_MEASURES = re.compile(r"下一步|措施|举措|打算|对策|怎么补|怎么改|怎么解决|怎么抓|如何补|如何解决|如何改")
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
SALUTATION = re.compile(r"(?:^|\n)\s*([\u4e00-\u9fa5]{2,20}[：:])\s*(?:\n|$)(?=\s*(?:您|贵)[^。]{0,60}(?:提出|提交)的)")
# Tools whose figures reports also state for the whole city (新签约项目开工率、资金到位率), and how a question says it
# wants the ledger's own (项目库里, 台账上).
STATED_IN_REPORTS = {"project_stats"}
LEDGER_NAMED = re.compile(r"项目库|台账|数据库")
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


def other_period(asked: Period | None, hit: Hit, quote: str) -> bool:
    """A quote stating figures about another period than the one asked (2022年底 answered by 2023's count,
    全年 by a 一季度 table): related text, not the answer."""
    if asked is None or not find_numbers(quote):
        return False
    stated = stated_period(hit, quote)
    if stated is not None:
        return (stated.year, stated.month) != (asked.year, asked.month)
    # a passage naming no period speaks of its document's time (an interview's 项目库入库468个 is 2023's count)
    issued = issued_year(hit)
    return issued is not None and issued != asked.year


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
    words = kb.known(_content_words(query))
    # what the documents are asked for: in a mixed question (完成多少，为什么滞后) the why clause's reasons, not a value
    want = answer_type(query)
    # a question naming its period (2022年底入库多少) is not answered by figures about another one; a question about
    # the rule (要求不低于多少) is answered by the rule, whatever year it names.
    # Only a question asking for a value is bound this way: why and how questions may quote any period's figures.
    asks_value = want is not None or HOW_MUCH.search(query) is not None
    asks_reason = not asks_value and WHY.search(query) is not None
    bound = asks_value and RULE.search(parsed.text) is None
    asked_period = parsed.period if bound and parsed.period is not None and not parsed.period_assumed else None
    asked_regions = parsed.regions if bound else []
    per_county = asks_value and EACH_COUNTY.search(query) is not None
    # what the value is asked of, and in which mood: a quote about the topic that states another thing's value
    # (the 局长 for 副局长是谁) or a plan for what has happened (已经发出去多少) does not answer it
    asked = asked_of(delexicalise(query, parsed, blank="，")) if asks_value or WHICH.search(query) else None
    aim = asked_part(query) if asks_reason else ""
    # a question that wants a value (几条, 多久) looks a little deeper for the passage that states it, one that
    # wants reasons past the period's tables (which it does not quote)
    hits = kb.search(query, k=k + 3 if want else 3 * k if asks_reason else k, filters=filters)
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
    # an item the question names by its number (第5期, 第七届, 第205号): only passages naming it speak of it
    ordinals = [{f"第{n}{unit}" for n in ordinal_forms(number)} for number, unit in NAMED_ITEM.findall(parsed.text)]
    chosen: list[tuple[Hit, str]] = []
    for rank, hit in enumerate(hits):
        context = f"{hit.title} {hit.section} {hit.text}"
        if mentions and not any(m in context for m in mentions):
            continue
        if names and not all(n in context for n in names):
            continue
        if ordinals and not all(any(form in context for form in forms) for forms in ordinals):
            continue  # 第5期 is not answered by a passage about the series (办了8期)
        if formality_section(hit.section):
            continue  # the 版记 and 附注 of a letter: its contact person, 抄送 and 印发 lines answer nothing
        if hit.kind == "table" and asks_reason:
            continue  # a table row states figures, never a reason or a measure
        # 北京市的优惠政策 is not answered by 安康's: a document of another jurisdiction is never quoted
        # — unless, with no figures of the database to give, the passage itself speaks of the place (丝博会 held in
        # 西安, in a report of 安康's)
        if (asked_places and place_relation(asked_places, document_places(hit.title, "", ""), places) < 0
                and not (not comp.results and speaks_of(hit.text, asked_places, places))):
            continue
        if (_coverage(words, context) < (MIN_COVERAGE_TOP if rank < 2 and not strict else MIN_COVERAGE)
                and hit.chunk_id not in stating):  # a purpose clause was found naming the rule asked about
            continue
        quote = best_sentences(hit.text, words, want=want)
        greeting = salutation(hit.text) if proposer else ""
        if greeting:
            quote = greeting  # a reply letter is addressed to whoever made the proposal
        if other_period(asked_period, hit, quote) or other_place(asked_regions, regions_of, hit, quote):
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
        if len(chosen) >= (6 if want or aim else 3):
            break
    if aim:
        # measures are said under 下一步工作措施, reasons under 存在的问题: the passages of the part asked for first
        chosen = sorted(chosen, key=lambda c: section_fit(aim, c[0].section))
        if purpose:
            chosen.sort(key=lambda c: PURPOSE_CLAUSE.search(c[1]) is None)
        chosen = chosen[:3]
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
        # only quotes that hold the value asked for answer it
        holding = [c for c in chosen if want.held_by(c[1])]
        if chosen and not holding:
            # passages about the topic that state no such value do not answer it: say so, quote none
            comp.lead = comp.lead or f"知识库中没有找到直接回答这个问题的{want.name}，为避免误导，不作推测。"
        chosen = holding[:3]
    for hit, quote in chosen:
        n = len(comp.citations) + 1
        comp.citations.append(
            Citation(
                n=n, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                quote=quote, source=hit.source, start=hit.start, end=hit.end, doc_id=hit.doc_id,
                chunk_id=hit.chunk_id, page=hit.page, ocr=hit.ocr, verified=hit.verified, uploader=hit.uploader,
            )
        )
        where = f"《{hit.title}》" + (f"（{hit.doc_number}）" if hit.doc_number else "")
        section = f"“{hit.section.split(' › ')[-1]}”部分" if hit.section else ""
        # figures taken from an unverified document's text say so where they stand
        state = UNVERIFIED_NOTE if not hit.verified and find_numbers(quote) else ""
        comp.policy_lines.append(f"· 据{where}{section}：{quote} [{n}]{state}")


def speaks_of(text: str, asked: list[str], places: Gazetteer) -> bool:
    """Whether a passage names one of the places asked about, in any of its written forms."""
    return any(form in text for place in asked for form in places.forms(place))


def formality_section(section: str) -> bool:
    """Whether a passage's section is a letter's formalities (its contact person, 抄送 and 印发 lines), judged by the
    start of its own heading: an article whose first line says 自印发之日起施行 is content."""
    return FORMALITIES.search(section.split(" › ")[-1]) is not None


def _formality(sentence: str, words: list[str]) -> bool:
    """A letter's formalities (联系人：…, 抄送：…, 收悉) answer nothing, unless the question asks for that very
    thing: 推介会的联系人是谁 is answered by the notice's 联系人：周敏 line."""
    found = BOILERPLATE.search(sentence)
    return found is not None and not any(w in found.group(0) for w in words)


def best_sentences(passage: str, words: list[str], limit: int = 2, want: AnswerType | None = None) -> str:
    """The passage's most relevant sentences (verbatim, in order): the best one and, if it scores too,
    its neighbour. Falls back to the first sentence. With `want`, a sentence holding that kind of value
    (a duration for 多久) outranks one that only repeats the question's words."""
    sentences = [
        s for m in SENTENCE.finditer(passage)
        if (s := m.group(0).strip()) and not _formality(s, words) and not INJECTION.search(s) and not is_planted(s)
    ]
    # A heading sentence (七是“以商招商”。 （五）营商环境尚需进一步优化。) names the topic but says nothing about it:
    # quote the content after it instead, and the heading only when there is nothing else.
    content = [x for x in sentences if not HEADING.match(x)]
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
    picked = [best]
    if sentences[best].endswith(("？", "?")) and best + 1 < len(sentences):
        picked.append(best + 1)  # an interviewer's question is quoted with its answer, never alone
    for neighbour in (best + 1, best - 1):
        if (len(picked) >= limit or not 0 <= neighbour < len(sentences) or neighbour in picked
                or len(sentences[neighbour]) >= 160):
            continue
        # the next sentence often completes the best one in other words (…提交市局。接收方应在10个工作日内反馈):
        # it joins when it holds the value asked for, even without the question's words
        if scores[neighbour] > 0 or (neighbour == best + 1 and holds[neighbour]):
            picked.append(neighbour)
    if all(sentences[i].endswith(("？", "?")) for i in picked):
        return ""  # questions only (an interview's, its answer in another passage): nothing is answered here
    quote = "".join(sentences[i] for i in sorted(picked))
    return quote if quote in passage else sentences[best]


def unknown_forms(kind: str, span: str) -> list[str]:
    """How a document would write a body the tables lack (大湾区联络处, 大湾区招商联络处; 航空航天 for its chain)."""
    if kind == "联络处":
        name = re.sub(r"(?:招商)?(?:联络处|办事处)$", "", span)
        return [f"{name}联络处", f"{name}招商联络处", f"{name}办事处"]
    if kind == "产业链":
        return [span.removesuffix("产业链")]
    if kind == "企业":
        return [re.sub(r"(?:有限公司|股份公司|公司|集团)$", "", span)]
    return [span]


def unknown_lead(unknown: list[tuple[str, str]], existing: dict[str, list[str]], quoted: bool) -> str:
    """The first sentence for a question naming bodies the database does not hold: which, and what it does hold."""
    parts = []
    for kind, span in unknown:
        have = existing.get(kind, [])
        listed = "、".join(have[:20]) + ("等" if len(have) > 20 else "")
        parts.append(f"项目数据库中没有找到{kind}“{span}”" + (f"（现有{kind}：{listed}）" if listed else ""))
    tail = "以下是知识库文档中提到它的内容（未经数据库核对）。" if quoted else "知识库中也没有找到相关内容，为避免误导，不作推测。"
    return "；".join(parts) + "。" + tail


# A count of the ledgers' things the question gives (那146个问题里, 承接的12个…项目): the set it asks about.
GIVEN_COUNT = re.compile(r"(?<![前第\d.])(\d+)\s*(?:个|条|家|件|项)[\u4e00-\u9fa5]{0,8}?(?:项目|问题|诉求|企业|线索)")


def given_counts(text: str) -> list[float]:
    """The counts of projects, problems or companies a question gives as its premise (137个项目里高新区有多少个,
    那146个问题, 承接的12个…项目) — not a number of them asked for (投资最大的5个项目, 前3个)."""
    counts = []
    for m in GIVEN_COUNT.finditer(text):
        before, after = text[: m.start()], text[m.end():]
        if re.search(r"最[\u4e00-\u9fa5]{0,3}的$", before):
            continue
        if re.search(r"(?:那|这|那些|这些|[\u4e00-\u9fa5]的)$", before) or re.match(r"(?:里|中|当中|里面|之中)", after):
            counts.append(float(m.group(1)))
    return counts


# A question asking who or which holds a position (排第一的是哪个市, 投资最大的是哪个项目).
ASKS_WHICH_ONE = re.compile(r"哪个|哪家|哪一|哪位|是谁|什么项目|哪些|哪几")
ASKED_POSITION = re.compile(r"(倒数)?第\s*([一二三1-3])(?!\s*季度|\d)|最([大多高快好少低小慢差])")
_TOP = ("首位", "居首", "之首", "第一", "第1", "领先")


def position_forms(question: str) -> list[str]:
    """The words a sentence answering a which-question about a position must use (第一 → 第一, 首位, 居首…;
    最大 → 最大, 第一…); [] when the question asks no position of a which-question."""
    m = ASKED_POSITION.search(question)
    if m is None or not ASKS_WHICH_ONE.search(question):
        return []
    if m.group(1):
        return ["倒数", "最后", "末位", "垫底"]
    if m.group(2):
        n = m.group(2)
        number = {"一": "1", "二": "2", "三": "3"}.get(n, n)
        cn = {"1": "一", "2": "二", "3": "三"}[number]
        return [f"第{cn}", f"第{number}"] + (list(_TOP) if number == "1" else [])
    word = f"最{m.group(3)}"
    return [word] + (list(_TOP) if m.group(3) in "大多高快好" else [])


# A question asking the assistant's own judgement (你觉得…好不好, 你对…怎么评价, 该不该): no document or row holds it.
# 你觉得外资为什么落后 asks the reasons the documents give, 你认为汉阴完成得怎么样 a figure: neither is matched.
OPINION = re.compile(r"你们?(?:个人)?(?:觉得|认为|看|怎么看|对)[^，。？?]{0,24}?(?:评价|怎么看|看法|好不好|行不行|该不该|对不对|"
                     r"合不合理|合理吗|应不应该|值不值得|靠不靠谱|靠谱吗|满意吗|干得怎么样|做得怎么样)")


def asks_opinion(question: str) -> bool:
    """Whether the question asks the assistant to judge (a person's work, a decision), not what a source says."""
    return OPINION.search(question) is not None


# Name-like parts of speech (jieba's tags): a person, organisation, place or other proper name, a Latin word.
NAME_TAGS = ("nr", "nrt", "nrfg", "nt", "nz", "ns", "eng")
# Words a question opens with before its subject (请问比亚迪…, 帮我查一下隆基…).
OPENERS = {"请问", "请", "帮", "帮我", "我", "想", "问", "问一下", "查", "查一下", "看看", "了解", "一下", "那", "那么", "这个",
           "关于", "你好", "您好", "咱们", "我们"}
# Short words that end a name (比亚迪跟咱们…, 隆基绿能在安康…): a function word, not the name's last character.
NAME_STOP = set("在跟和与及的是有对了吗呢把给向从到为被让")


def unknown_subject(text: str, knows: Callable[[str], bool], known_words: list[str]) -> str:
    """The proper name a question opens with (比亚迪跟咱们对接到哪一步了, 隆基绿能在安康有没有项目) when neither the
    documents nor the database's vocabulary holds it: the question is about something the knowledge base does not
    know, and no passage about its other words answers it. "" when the subject is known or not a name."""
    tokens = [(t.word, t.flag) for t in posseg.cut(text) if t.word.strip()]
    i = 0
    while i < len(tokens) and tokens[i][0] in OPENERS:
        i += 1
    if i >= len(tokens):
        return ""
    word, flag = tokens[i]
    latin = re.fullmatch(r"[A-Za-z]+", word) is not None
    # a name of three characters or more (比亚迪, 隆基绿能), no part of which the documents use (库里 is 项目库里,
    # 丝博 is 丝博会, 五月份 a month), nor a question word
    # nor a word every question may frame itself with (各县区, 全市): whatever the tagger calls it, it names no one
    if (flag not in NAME_TAGS or len(word) < (2 if latin else 3) or knows(word) or knows(word.lower())
            or word in FRAME_WORDS or word.lstrip("各每全") in FRAME_WORDS
            or re.search(r"哪|什么|多少|几|[年月日]", word)
            or not latin and any(knows(word[j:j + 2]) for j in range(len(word) - 1))):
        return ""
    name = word
    for nxt, _ in tokens[i + 1:]:
        if latin or len(nxt) != 1 or nxt in NAME_STOP or not re.match(r"[\u4e00-\u9fa5]", nxt):
            break
        name += nxt
    if any(name in w or w in name for w in known_words if len(w) >= 2):
        return ""
    return name


def ambiguous_body(parsed: Parsed, departments: list[str], regions: list[RegionName]) -> str:
    """When the department named is a body every region of a kind has (管委会: each 开发区's) and the question names
    no region, the question (in Chinese) asking which one; else ""."""
    key = parsed.slots.department
    if not key or parsed.regions:
        return ""
    matches = [d for d in departments if key in d]
    owners = [r for d in matches for r in regions if not r.is_city and any(d.startswith(w) for w in (r.name, *r.aliases))]
    if not matches or len(owners) != len(matches):
        return ""
    kinds = {r.kind for r in owners}
    same = [r.name for r in regions if r.kind in kinds and not r.is_city]
    if len(same) < 2:
        return ""
    example = f"{owners[0].aliases[0] if owners[0].aliases else owners[0].name}{key}"
    return (f"“{key}”没有指明是哪一个：{'、'.join(same)}各有{key}（问题台账中的责任部门有{'、'.join(matches)}）。"
            f"请写明是哪个{key}，例如“{example}负责的问题”。")


def salutation(passage: str) -> str:
    """A reply letter's salutation (民建安康市委员会：, 刘文涛委员：) when the passage holds one: a short line of its
    own ending in a colon, followed by the proposal acknowledged (您/贵…提出的《…》…收悉)."""
    m = SALUTATION.search(passage)
    return m.group(1) if m else ""


def _about(sentence: str, words: list[str]) -> bool:
    """Whether a sentence opens with one of the question's words: it is about that thing (人才库收录…), where
    another naming it in a list (“五库”指…招商人才库和政策资源库) is about something else."""
    opening = SENTENCE_OPENING.sub("", sentence)
    return any(opening.startswith(w) for w in words if len(w) > 1)


def nothing_found() -> str:
    examples = "\n".join(f"· {q}" for q in EXAMPLES)
    return (
        "知识库和项目数据库中没有找到与这个问题直接相关的内容，为避免误导，不作推测。\n"
        f"可以这样问：\n{examples}"
    )


def tool_values_of(results: list[Any]) -> list[float]:
    return [v for r in results for v in numeric_values(r)]
