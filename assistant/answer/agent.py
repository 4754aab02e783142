"""LLM mode: a chat model answers by calling the figure tools and the policy search, in a loop we own.

call model → run the tool calls it asked for → append the results → repeat, at most MAX_STEPS times.
Tool failures go back to the model as "Error: …" text. Passages are numbered as they are retrieved and the
[n] markers of the final text are renumbered, as they stream, in the order they are first cited. The
number checker then runs over the final text with every tool-result number and the cited passages as
sources. If the model server cannot be reached or fails, the grounded answer is returned instead, with
a warning. Prompts are files under prompts/agent/, read on every run (see llm_tools.load_prompt).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_chunk_to_message,
)

from assistant.answer.conflicts import check_passages, unverified_notes
from assistant.answer.llm_tools import Toolbox, ToolOutcome, load_prompt, render
from assistant.answer.numbers import unsupported_numbers
from assistant.answer.quoting import best_sentences
from assistant.answer.types import Answer, Citation
from assistant.index.tokenize import tokenize_query
from assistant.tools.types import Figure, cn_date

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings

log = logging.getLogger(__name__)

MAX_STEPS = 6  # default; ASSISTANT_LLM_MAX_STEPS overrides it per deployment

Fallback = Callable[[], Answer]


def chat_model_from_settings(settings: Settings) -> BaseChatModel | None:
    """The configured OpenAI-compatible chat model, or None when ASSISTANT_LLM_BASE_URL is not set.
    Building the client opens no connection."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        # Local servers (vLLM, llama.cpp, Ollama) accept any key; the client insists on one.
        api_key=SecretStr(settings.llm_api_key or "not-needed"),
        streaming=True,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def describe_failure(exc: BaseException) -> str:
    """A short Chinese reason for a failed model call, without secrets."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on it
        return type(exc).__name__
    if isinstance(exc, openai.APITimeoutError):
        return "请求超时"
    if isinstance(exc, openai.APIConnectionError):
        return "无法连接大模型服务"
    if isinstance(exc, openai.APIStatusError):
        return f"大模型服务返回错误 HTTP {exc.status_code}"
    return f"调用出错：{type(exc).__name__}"


MARKER = re.compile(r"[\[【](\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)[\]】]")
OPEN_MARKER = re.compile(r"[\[【][\d\s,，、]*$")


class CitationNumbers:
    """Renumbers [n] markers in streamed text: the first passage cited becomes [1], the next [2], ...
    A marker split across deltas is held back until it is complete; markers naming no retrieved passage
    are dropped (and reported)."""

    def __init__(self, known: Callable[[int], bool]) -> None:
        self.known = known
        self.order: dict[int, int] = {}  # model's number → number shown
        self.unknown: list[int] = []
        self._pending = ""

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        self._pending = ""
        tail = OPEN_MARKER.search(text)
        if tail and len(tail.group(0)) < 24:
            self._pending, text = tail.group(0), text[: tail.start()]
        return MARKER.sub(self._replace, text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return MARKER.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        out = []
        for raw in re.split(r"\s*[,，、]\s*", match.group(1)):
            n = int(raw)
            if not self.known(n):
                if n not in self.unknown:
                    self.unknown.append(n)
                continue
            if n not in self.order:
                self.order[n] = len(self.order) + 1
            out.append(f"[{self.order[n]}]")
        return "".join(out)


@dataclass
class Gathered:
    """What the tool calls of one conversation produced."""

    figures: list[Figure] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def add(self, outcome: ToolOutcome) -> None:
        seen = {(f.label, f.period, f.value) for f in self.figures}
        self.figures += [f for f in outcome.figures if (f.label, f.period, f.value) not in seen]
        self.values += outcome.values
        if outcome.summary:
            self.summaries.append(outcome.summary)


@dataclass
class Context:
    """Facts the system prompt states: today, the regions and the newest period in the database."""

    today: date
    regions: list[str]
    latest: str


class Agent:
    """One LLM-mode conversation turn. Build a new one per question: it holds no shared state."""

    def __init__(self, model: BaseChatModel, toolbox: Toolbox, context: Context, fallback: Fallback,
                 max_steps: int = MAX_STEPS) -> None:
        self.model = model
        self.toolbox = toolbox
        self.context = context
        self.fallback = fallback
        self.max_steps = max_steps

    def ask(self, question: str, history: list[str] | None = None) -> Answer:
        final = None
        for item in self.stream(question, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def messages_for(self, question: str, history: list[str] | None) -> list[BaseMessage]:
        system = render(
            load_prompt("system.md"),
            today=cn_date(self.context.today),
            regions="、".join(self.context.regions) or "（项目数据库尚未导入，不能查询数据）",
            latest=self.context.latest or "（无）",
        )
        messages: list[BaseMessage] = [SystemMessage(system)]
        earlier = [q.strip() for q in (history or [])[-6:] if q.strip()]
        if earlier:
            lines = "\n".join(f"{i}. {q}" for i, q in enumerate(earlier, 1))
            messages.append(HumanMessage(render(load_prompt("history.md"), history=lines)))
        messages.append(HumanMessage(question))
        return messages

    def stream(self, question: str, history: list[str] | None = None) -> Iterator[str | Answer]:
        """Yield text deltas as the model writes them, then the final Answer."""
        gathered = Gathered()
        numbers = CitationNumbers(lambda n: n in self.toolbox.passages.hits)
        emitted: list[str] = []
        warnings: list[str] = []
        try:
            messages = self.messages_for(question, history)
            model = self.model.bind_tools(self.toolbox.schemas())
            for _step in range(self.max_steps):
                reply = yield from self._step(model, messages, numbers, emitted)
                messages.append(reply)
                if not reply.tool_calls and not reply.invalid_tool_calls:
                    break
                for call_id, name, args, problem in _calls(reply):
                    outcome = self.toolbox.call(name, args) if problem is None else ToolOutcome(f"Error: {problem}")
                    gathered.add(outcome)
                    messages.append(ToolMessage(outcome.content, tool_call_id=call_id, name=name))
            else:
                warnings.append(f"模型连续调用工具达到 {self.max_steps} 轮上限仍未给出结论，已停止；回答可能不完整。")
                note = _salvage(gathered, "已停止继续查询。")
                emitted.append(note)
                yield note
        except Exception as exc:  # the model server: unreachable, HTTP errors, broken streams
            log.warning("LLM call failed, falling back to grounded mode: %s", exc, exc_info=True)
            yield from self._fall_back(describe_failure(exc), bool(emitted))
            return
        text = "".join(emitted).strip()
        if not text:
            text = _salvage(gathered, "模型没有给出文字回答。")
            warnings.append("模型没有给出文字回答，以下仅列出工具查到的结果。")
            yield text
        yield self._answer(question, text, gathered, numbers, warnings)

    def _step(self, model: Any, messages: list[BaseMessage], numbers: CitationNumbers,
              emitted: list[str]) -> Generator[str, None, AIMessage]:
        """One model call, streamed; returns the complete AIMessage (with any tool calls)."""
        merged: AIMessageChunk | None = None
        separated = not emitted
        for chunk in model.stream(messages):
            merged = chunk if merged is None else merged + chunk
            piece = numbers.feed(str(chunk.text))
            if piece and not separated:  # text after a tool round starts a new paragraph
                piece = ("" if emitted[-1].endswith("\n") else "\n\n") + piece
                separated = True
            if piece:
                emitted.append(piece)
                yield piece
        tail = numbers.flush()
        if tail:
            emitted.append(tail)
            yield tail
        if merged is None:
            return AIMessage("")
        message = message_chunk_to_message(merged)
        if not isinstance(message, AIMessage):
            return AIMessage(str(message.text))
        if any(not call.get("id") for call in message.tool_calls):
            # Some servers omit call ids; the tool results must name the call they answer.
            calls = [{**call, "id": call.get("id") or f"call_{len(messages)}_{i}"}
                     for i, call in enumerate(message.tool_calls)]
            message = message.model_copy(update={"tool_calls": calls})
        return message

    def _fall_back(self, reason: str, interrupted: bool) -> Iterator[str | Answer]:
        answer = self.fallback()
        answer.warnings.insert(0, f"大模型服务暂不可用（{reason}），已改用内置检索模式回答。")
        if interrupted:
            yield "\n\n（大模型服务中断，以下为内置检索模式的回答）\n\n"
        for block in answer.answer.split("\n"):
            yield block + "\n"
        yield answer

    def _answer(self, question: str, text: str, gathered: Gathered, numbers: CitationNumbers,
                warnings: list[str]) -> Answer:
        citations = []
        for raw, n in numbers.order.items():
            hit = self.toolbox.passages.hits[raw]
            words = [w for w in tokenize_query(_claim_before(text, n)) if len(w) > 1]
            citations.append(Citation(
                n=n, title=hit.title, doc_number=hit.doc_number, section=hit.section, passage=hit.text,
                quote=best_sentences(hit.text, words) or hit.text, source=hit.source, start=hit.start, end=hit.end,
                doc_id=hit.doc_id, chunk_id=hit.chunk_id, page=hit.page, ocr=hit.ocr,
                verified=hit.verified, uploader=hit.uploader,
            ))
        if numbers.unknown:
            shown = "、".join(f"[{n}]" for n in numbers.unknown)
            warnings.append(f"回答中的引用标记 {shown} 没有对应的检索段落，已删除。")
        values = [f.value for f in gathered.figures if f.value is not None] + gathered.values
        checked = check_passages(citations, self.toolbox.store, None)
        titles = {c.n: c.title for c in citations}
        warnings += ["文档与数据库不一致：" + c.describe(titles.get(c.citation, "")) for c in checked.conflicts]
        warnings += unverified_notes(citations)
        flagged = unsupported_numbers(text, values, checked.sourced(citations), asked=question)
        if flagged:
            warnings.append("以下数字未能在数据库或引用原文中找到来源，请核对：" + "、".join(flagged))
        return Answer(answer=text, citations=citations, figures=gathered.figures, mode="llm",
                      warnings=warnings, flagged_numbers=flagged)


def _calls(reply: AIMessage) -> Iterator[tuple[str, str, dict[str, Any], str | None]]:
    """(id, name, args, problem) for each tool call; unparseable arguments become a problem to report."""
    for i, call in enumerate(reply.tool_calls):
        yield call.get("id") or f"call_{i}", call["name"], call.get("args") or {}, None
    for i, bad in enumerate(reply.invalid_tool_calls):
        name = bad.get("name") or "未知工具"
        yield (bad.get("id") or f"invalid_{i}", name, {},
               f"调用 {name} 的参数不是合法的 JSON：{(bad.get('args') or '')[:200]}")


def _salvage(gathered: Gathered, reason: str) -> str:
    if not gathered.summaries:
        return f"{reason}未能查到可用的结果，请换一种问法再试。"
    return f"{reason}以下为已查到的结果：\n" + "\n".join(f"· {s}" for s in gathered.summaries)


def _claim_before(text: str, n: int) -> str:
    """The clause a marker [n] closes: the text from the previous sentence end up to the marker."""
    end = text.find(f"[{n}]")
    if end < 0:
        return ""
    start = max(text.rfind(mark, 0, end) for mark in "。！？；\n") + 1
    return text[start:end]
