"""The one declaration of every read-only figure tool.

A tool is a plain typed function over a FigureStore, declared with `@figure_tool(...)` next to its
definition: a short Chinese title, the kinds of slot it takes from a question (region, period, metric,
project, enterprise, department, chain, days, date range…) and example questions. Everything that
lists tools derives from this registry: the LLM tool list, the grounded router's routes,
`GET /api/figures/<tool>`, `assistant figures <tool>` and the workbench's listing. Adding a tool is one
module with its declaration in `assistant/tools/` (the package imports every module it holds).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from assistant.db.errors import InvalidValue
from assistant.db.session import FigureStore

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class SlotKind:
    """One kind of value a question can give a tool's parameter: the one declaration the router, the planner and
    the parser's Slots agree on."""

    name: str
    meaning: str
    # A value of it names what is asked (a place, a project, a window's start): each such slot a tool uses counts
    # for the tool. Not so for the period (counted only when the question names it), the ranking basis (only with a
    # position asked), a window's end (its start counts), the columns shown (only beside a filter) and settings.
    names: bool = True
    # It narrows every figure asked (a named project, company or 首谈单位, a ledger value picking projects, the
    # ledger of a past date): a tool that cannot filter by it answers for all.
    narrows: bool = False


SLOTS: tuple[SlotKind, ...] = (
    SlotKind("region", "地区（县区或全市）"),
    SlotKind("period", "期间（一季度、上半年、1-7月、全年）", names=False),
    SlotKind("metric", "指标（内资、外资）"),
    SlotKind("project", "项目名称", narrows=True),
    SlotKind("enterprise", "企业名称", narrows=True),
    SlotKind("department", "责任单位"),
    SlotKind("chain", "产业链"),
    SlotKind("days", "天数门槛（超过30天）"),
    SlotKind("date_from", "时间窗起日"),
    SlotKind("date_to", "时间窗止日", names=False),
    SlotKind("stage", "项目阶段"),
    SlotKind("status", "状态"),
    SlotKind("category", "类别"),
    SlotKind("amount", "总投资下限（亿元）"),
    SlotKind("foreign", "外资项目"),
    SlotKind("by", "排名依据（总量、同比、完成进度）", names=False),
    SlotKind("city", "客商所在城市"),
    SlotKind("order", "排序"),
    SlotKind("solved", "已解决的问题"),
    SlotKind("compared_to", "比较的前一期间"),
    SlotKind("parts", "各县区相加"),
    SlotKind("source", "首谈单位", narrows=True),
    SlotKind("overdue", "超过约定开工期限"),
    SlotKind("county", "县区（不含全市）"),
    SlotKind("change", "期间之间的变化"),
    SlotKind("columns", "台账列", names=False),
    # the columns asked, written beside each row of a tool whose rows a condition picks (签约超过90天未开工的): asked
    # there, they say what to show, not which tool lists (没报进展的项目 is no list of the 最新进展 column)
    SlotKind("shown_columns", "逐行写出的台账列（不影响选工具）", names=False),
    SlotKind("escalation", "协调层级"),
    SlotKind("owner", "跟踪责任单位", narrows=True),
    SlotKind("rate", "项目比率（开工率、资金到位率…）", names=False),
    SlotKind("county_class", "考核县区类别"),
    SlotKind("visitor", "走访人员", narrows=True),
    SlotKind("matches", "台账列的取值（项目管家为张某）", narrows=True),
    SlotKind("signed_from", "签约时间窗起日"),
    SlotKind("signed_to", "签约时间窗止日", names=False),
    SlotKind("signed_period", "签约期间（一季度签约的那批：只算该年1月1日至期末签约的项目）"),
    SlotKind("milestone", "时间窗所问的阶段（开工、投产）"),
    SlotKind("until", "截至日期"),
    SlotKind("moved", "有进展变化的", names=False),
    SlotKind("total", "台账合计（项目个数、总投资、到位资金）"),
    SlotKind("group", "分组的台账列（产业链、项目管家、包抓领导、责任单位、首谈单位）"),
    SlotKind("among", "分组时只比较名称含此词的组（联络处）", names=False),
    SlotKind("span_over", "两个阶段相隔超过的天数（签约后超过45天才开工）", narrows=True),
    SlotKind("span_under", "两个阶段相隔不到的天数（签约不到30天就开工）", narrows=True),
    SlotKind("members", "分组时只比较问题列出的这几组（文旅康养、生物医药）"),
    SlotKind("hq", "企业总部所在地"),
    SlotKind("due_from", "到期时间窗起日"),
    SlotKind("due_to", "到期时间窗止日", names=False),
    SlotKind("amount_below", "总投资上限（亿元）"),
    SlotKind("unit", "对接单位"),
    SlotKind("no_funds", "资金尚未到位", narrows=True),
    SlotKind("ledger_on", "某一期台账的日期", narrows=True),
    SlotKind("key_chain", "是否在“5+3”重点产业链上", narrows=True),
    # the same, of the projects a rate is asked of (链上但不算制造业的那些项目开工率多少): as rated is to matches
    SlotKind("rated_key_chain", "所问比率只算“5+3”重点产业链上（或不在其上）的项目", narrows=True),
    SlotKind("rated_stage", "所问统计只算台账上处于某阶段的项目（在建的、投产的、还没签约的；签约项目的比率本来就按已签约的算）",
             narrows=True),
    SlotKind("problem_code", "问题编号（WT-2023-003）", narrows=True),
    SlotKind("rated", "台账列的取值（所问比率只算这些项目：包抓领导为分管工业）", narrows=True),
    SlotKind("unvisited", "一次都没走访过的企业", narrows=True),
    SlotKind("problem_days", "问题等待的天数门槛（提出超过100天）"),
    SlotKind("oldest", "等得最久的在前（挂得最久、提出最早的问题）", names=False),
    SlotKind("vs_now", "过去某一期台账与最新一期对比（6月底那期有几个，现在多少个）", names=False),
    SlotKind("problem_ledger_on", "某一期问题台账的日期", narrows=True),
    SlotKind("problem_overdue", "某一期问题台账上已过办结时限的（7.14那期超期没办完的）", narrows=True),
    SlotKind("problem_about", "问题描述中写到的词（用地、环评、供电）"),
    SlotKind("contact_about", "走访记录的下一步或对接成果中写到的词（高新区、考察）", narrows=True),
    SlotKind("contact_field", "所问走访记录的哪一栏（下一步、对接成果）", names=False),
    SlotKind("waited_since", "等待天数从何时算起（提出、最新进展）", names=False),
    SlotKind("stuck_in", "停留的阶段（在谈还没签约、签约还没开工）"),
    SlotKind("days_within", "天数是上限（签约还不满两个月）", names=False, narrows=True),
    SlotKind("event", "招商活动的名称（丝博会、雄安推介会）", narrows=True),
    SlotKind("across_issues", "跨越几期台账的变化（哪一期转的、这几期涨了多少）"),
    SlotKind("every_issue", "逐期列出（哪一期开始、哪一周涨得最多、各期分别多少）", names=False),
    SlotKind("leaders", "问到出席、带队的领导", names=False),
    SlotKind("with_problems", "在问题台账上还有未办结问题的项目", narrows=True),
    SlotKind("mean", "问平均每个（平均每个项目、平均一场）", names=False),
    SlotKind("past_due", "已过办结时限（逾期、超期、拖着没办的问题；不是仅仅还没办结）", names=False),
)
# Slot kinds a question can fill. A parameter's slot kind is its name unless the declaration maps it.
SLOT_KINDS = tuple(kind.name for kind in SLOTS)
NAMING_KINDS = tuple(kind.name for kind in SLOTS if kind.names)
NARROWING_KINDS = tuple(kind.name for kind in SLOTS if kind.narrows)


@dataclass(frozen=True)
class FigureTool:
    """One declared tool: the function and what the router, the API, the CLI and the UI need to know."""

    name: str
    function: Callable[..., Any]
    title: str
    examples: tuple[str, ...]
    slots: dict[str, str]  # parameter name → slot kind
    # Routing hints that examples alone cannot carry: the router prefers this tool over a near tie when the
    # question holds one of these slot kinds (a project name for project_detail, say).
    requires: tuple[str, ...] = ()
    path: str = ""  # the API route and CLI command: /api/figures/<path>, assistant figures <path>
    # What each row of its list is (企业, 项目), where it lists things: a question asking for things of another kind
    # (装备制造链上盯着哪些企业) is answered by a tool listing those, not by this one's rows with a column of them
    rows: str = ""

    @cached_property
    def description(self) -> str:
        return inspect.getdoc(self.function) or self.title

    @cached_property
    def parameters(self) -> list[inspect.Parameter]:
        return list(inspect.signature(self.function).parameters.values())[1:]

    @cached_property
    def args_model(self) -> type[BaseModel]:
        hints = get_type_hints(self.function)
        fields: dict[str, Any] = {
            p.name: (hints.get(p.name, Any), ... if p.default is inspect.Parameter.empty else p.default)
            for p in self.parameters
        }
        return create_model(  # type: ignore[call-overload,no-any-return]
            f"{self.name}_args", __config__=ConfigDict(extra="forbid"), **fields
        )

    @cached_property
    def result_type(self) -> Any:
        return get_type_hints(self.function).get("return", Any)

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments for the function from loosely typed input (query strings, CLI options, model
        JSON); InvalidValue with a Chinese message when they do not fit."""
        cleaned = {k: v for k, v in params.items() if v not in (None, "")}
        try:
            parsed = self.args_model.model_validate(cleaned)
        except ValidationError as exc:
            from assistant.answer.llm_tools import explain_validation_errors

            raise InvalidValue(f"{self.name} 的参数有误：{explain_validation_errors(exc.errors())}") from exc
        return {key: getattr(parsed, key) for key in type(parsed).model_fields}

    def run(self, store: FigureStore, params: dict[str, Any]) -> BaseModel:
        result: BaseModel = self.function(store, **self.validate(params))
        return result


REGISTRY: dict[str, FigureTool] = {}


def figure_tool(title: str, examples: list[str], slots: dict[str, str] | None = None,
                requires: tuple[str, ...] = (), path: str = "", rows: str = "") -> Callable[[F], F]:
    """Declare a read-only figure tool. `slots` maps parameters whose name is not their slot kind; `path` names
    its API route and CLI command (default: the function's name with - for _)."""

    def register(function: F) -> F:
        params = list(inspect.signature(function).parameters)[1:]
        mapping = {p: (slots or {}).get(p, p) for p in params}
        mapping = {p: kind for p, kind in mapping.items() if kind in SLOT_KINDS}
        REGISTRY[function.__name__] = FigureTool(function.__name__, function, title, tuple(examples), mapping,
                                                 requires, path or function.__name__.replace("_", "-"), rows)
        return function

    return register


def param_help(tool: FigureTool) -> dict[str, str]:
    """Each parameter's line in the docstring ("region：地区名或简称…"), for API and CLI help."""
    text = tool.description
    out: dict[str, str] = {}
    for p in tool.parameters:
        m = re.search(rf"{p.name}：([^；;\n]*)", text)
        out[p.name] = m.group(1).strip("。， ") if m else p.name
    return out


def declared() -> list[FigureTool]:
    """Every declared tool in a stable order: by module (as assistant/tools/__init__.py imports them), then by
    line, whatever order the modules happened to be imported in."""
    import assistant.tools as package

    modules = list(package.MODULE_ORDER)
    return sorted(REGISTRY.values(), key=lambda t: (
        modules.index(t.function.__module__) if t.function.__module__ in modules else len(modules),
        t.function.__code__.co_firstlineno))


def get_tool(name: str) -> FigureTool:
    """The declared tool called `name` (or its path); InvalidValue listing the tools otherwise."""
    tool = REGISTRY.get(name) or next((t for t in REGISTRY.values() if t.path == name), None)
    if tool is None:
        raise InvalidValue(f"没有名为“{name}”的数据工具。可用的工具：{'、'.join(REGISTRY)}。")
    return tool


def run_tool(name: str, store: FigureStore, params: dict[str, Any]) -> BaseModel:
    """Run one declared tool on a (possibly region-scoped) store."""
    return get_tool(name).run(store, params)
