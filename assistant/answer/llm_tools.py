"""The typed figure tools and the policy search, as tools a chat model can call.

Each tool stays a plain typed function whose first parameter is a dependency the caller binds (the
read-only FigureStore, or the knowledge base for `search_policy`). The model sees the function's name,
its Chinese docstring as the description, and a JSON schema derived from the remaining parameters.
A failing tool never raises here: the model gets "Error: <中文原因>" and may correct itself.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from assistant.answer.numbers import numeric_values
from assistant.db.session import FigureStore
from assistant.errors import AssistantError
from assistant.index.kb import Hit, KnowledgeBase, SearchFilters
from assistant.tools.registry import declared
from assistant.tools.types import Figure

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts" / "agent"
MAX_RESULT_CHARS = 12_000  # a 50-project listing must not crowd the question out of the context
MAX_PASSAGES = 10


@dataclass(frozen=True)
class PolicyLibrary:
    """The knowledge base a conversation may search, with the caller's filters (genre, year, access)."""

    kb: KnowledgeBase
    filters: SearchFilters | None = None


def search_policy(library: PolicyLibrary, query: str, k: int = 5) -> list[Hit]:
    """检索知识库（政策文件、提案和建议答复函、工作报告、调研报告、访谈等），返回编号的原文段落及其标题、文号、章节。

    query：检索内容，用问题中的关键词，如“补齐外资短板 措施”“项目管家 职责”。
    k：返回段落数，1 到 10，默认 5。回答中用到某段原文时，在句末标注该段的编号，如 [1]。
    """
    return library.kb.search(query, k=max(1, min(int(k), MAX_PASSAGES)), filters=library.filters)


@dataclass(frozen=True)
class ToolSpec:
    """One callable tool: the function, its argument model (signature minus the bound first parameter)."""

    name: str
    description: str
    args_model: type[BaseModel]
    function: Callable[..., Any]

    def openai_schema(self) -> dict[str, Any]:
        schema = _strip_titles(self.args_model.model_json_schema())
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": schema}}


@cache
def spec_for(function: Callable[..., Any]) -> ToolSpec:
    """Derive a ToolSpec from a typed function; its first parameter is the dependency and is not shown."""
    hints = get_type_hints(function)
    params = list(inspect.signature(function).parameters.values())[1:]
    fields: dict[str, Any] = {
        p.name: (hints.get(p.name, Any), ... if p.default is inspect.Parameter.empty else p.default) for p in params
    }
    model = create_model(  # type: ignore[call-overload]
        f"{function.__name__}_args", __config__=ConfigDict(extra="forbid"), **fields
    )
    return ToolSpec(function.__name__, inspect.getdoc(function) or function.__name__, model, function)


def _strip_titles(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strip_titles(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_strip_titles(v) for v in schema]
    return schema


@dataclass
class ToolOutcome:
    """What one tool call produced: the text the model reads, plus what the answer collects from it."""

    content: str
    error: str | None = None
    summary: str = ""  # a data tool's own one-line summary (with its figures), shown if the model gives up
    figures: list[Figure] = field(default_factory=list)
    values: list[float] = field(default_factory=list)  # every number in the result: the checker's sources


@dataclass
class Passages:
    """Passages found by search_policy in one conversation, numbered in the order first seen."""

    hits: dict[int, Hit] = field(default_factory=dict)
    _by_chunk: dict[str, int] = field(default_factory=dict)

    def number(self, hit: Hit) -> int:
        key = hit.chunk_id or f"{hit.doc_id}:{hit.start}"
        if key not in self._by_chunk:
            self._by_chunk[key] = len(self._by_chunk) + 1
            self.hits[self._by_chunk[key]] = hit
        return self._by_chunk[key]


class Toolbox:
    """The tools offered in one conversation, with their dependencies bound."""

    def __init__(self, store: FigureStore | None, library: PolicyLibrary,
                 figure_tools: Sequence[Callable[..., Any]] | None = None) -> None:
        self.passages = Passages()
        self.store = store  # also for checking quoted figures against the database
        self._bound: dict[str, tuple[ToolSpec, object]] = {"search_policy": (spec_for(search_policy), library)}
        if store is not None:  # without a database only the search is offered
            for function in figure_tools if figure_tools is not None else [t.function for t in declared()]:
                self._bound[function.__name__] = (spec_for(function), store)

    @property
    def names(self) -> list[str]:
        return list(self._bound)

    def schemas(self) -> list[dict[str, Any]]:
        return [spec.openai_schema() for spec, _ in self._bound.values()]

    def call(self, name: str, args: dict[str, Any] | None) -> ToolOutcome:
        if name not in self._bound:
            return _error(f"没有名为“{name}”的工具。可用的工具：{'、'.join(self.names)}。")
        spec, dependency = self._bound[name]
        try:
            parsed = spec.args_model.model_validate(args or {})
        except ValidationError as exc:
            return _error(f"调用 {name} 的参数有误：{explain_validation_errors(exc.errors())}。")
        kwargs = {key: getattr(parsed, key) for key in type(parsed).model_fields}
        try:
            result = spec.function(dependency, **kwargs)
        except AssistantError as exc:
            return _error(str(exc))
        except Exception as exc:  # a tool bug must reach the model as text, not end the conversation
            log.exception("tool %s failed", name)
            return _error(f"工具 {name} 内部错误（{type(exc).__name__}），请换一种问法，或告诉用户暂时查不到。")
        arg_values = numeric_values(kwargs)  # thresholds the model passed (5 亿元以上) restate the question
        if name == "search_policy":
            return self._passages_outcome(kwargs["query"], result, arg_values)
        return self._result_outcome(name, result, arg_values)

    def _passages_outcome(self, query: str, hits: list[Hit], arg_values: list[float]) -> ToolOutcome:
        if not hits:
            return ToolOutcome(load_prompt("search_empty.md").replace("{query}", query), values=arg_values)
        blocks = []
        for hit in hits:
            n = self.passages.number(hit)
            where = f"《{hit.title}》" + (f"（{hit.doc_number}）" if hit.doc_number else "")
            section = f" · {hit.section}" if hit.section else ""
            blocks.append(f"[{n}] {where}{section}\n{hit.text}")
        text = render(load_prompt("search_results.md"), query=query, passages="\n\n".join(blocks))
        return ToolOutcome(text, values=arg_values)

    def _result_outcome(self, name: str, result: Any, arg_values: list[float]) -> ToolOutcome:
        if not isinstance(result, BaseModel):
            return ToolOutcome(str(result), summary=str(result), values=arg_values)
        dump = result.model_dump(mode="json")
        summary = str(dump.get("summary", ""))
        shown = {k: v for k, v in dump.items() if k not in ("figures", "summary")}
        if isinstance(shown.get("provenance"), dict):
            shown["provenance"] = {k: v for k, v in shown["provenance"].items() if k != "row_ids"}
        payload = json.dumps(shown, ensure_ascii=False)
        if len(payload) > MAX_RESULT_CHARS:
            payload = payload[:MAX_RESULT_CHARS] + "……（结果过长，已截断；需要明细时请缩小查询范围）"
        text = render(load_prompt("tool_result.md"), name=name, summary=summary, result=payload)
        figures = list(getattr(result, "figures", []) or [])
        return ToolOutcome(text, summary=summary, figures=figures,
                           values=numeric_values(result.model_dump()) + arg_values)


def _error(message: str) -> ToolOutcome:
    return ToolOutcome(f"Error: {message}", error=message)


def load_prompt(name: str) -> str:
    """Read a prompt file now, so an edited prompt takes effect without a restart."""
    return (PROMPTS_DIR / name).read_text(encoding="utf-8").strip()


def render(template: str, **values: str) -> str:
    """Fill {name} slots. Plain replacement: passages and JSON may contain braces of their own."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


_ERROR_TEMPLATES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可用的参数",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "literal_error": "应为 {expected} 之一",
    "string_too_long": "过长（最多 {max_length} 字）",
    "string_too_short": "至少 {min_length} 字",
    "string_pattern_mismatch": "格式不对",
    "too_long": "条目过多（最多 {max_length} 项）",
    "too_short": "至少需要 {min_length} 项",
    "enum": "应为 {expected} 之一",
    "int_from_float": "应为整数",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "json_invalid": "不是合法的 JSON",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
}


def explain_validation_errors(errors: Sequence[Any], labels: dict[str, str] | None = None) -> str:
    """Pydantic errors in Chinese: '地区：缺少必填项；k：应为整数'. Unknown error types keep pydantic's text."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        name = ".".join((labels or {}).get(p, p) for p in loc) or "请求"
        if err.get("type") == "json_invalid":  # loc is a character offset, not a field
            name = "请求体"
        template = _ERROR_TEMPLATES.get(err.get("type", ""))
        # pydantic lists choices as "'a', 'b' or 'c'"
        ctx = {k: str(v).replace("' or '", "'、'").replace("', '", "'、'") for k, v in (err.get("ctx") or {}).items()}
        text = render(template, **ctx) if template else str(err.get("msg", ""))
        parts.append(f"{name}：{text}")
    return "；".join(parts)
