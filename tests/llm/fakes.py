"""A scripted chat model for tests: it replays tool calls and answers, streaming them in small pieces,
and records every conversation it was sent. No network, no real model."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

Step = AIMessage | str | Exception | Callable[[list[BaseMessage]], "AIMessage | str"]


def tool_call(name: str, **args: Any) -> AIMessage:
    """A model turn that only calls one tool."""
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"call_{name}_{len(args)}"}])


class ScriptedChatModel(BaseChatModel):
    """Each call takes the next step of the script: a reply, a function of the conversation, or an
    exception to raise (a server failure)."""

    script: list[Any]
    received: list[list[BaseMessage]] = Field(default_factory=list)
    tools: list[Any] = Field(default_factory=list)
    piece_chars: int = 3  # stream text in pieces this long, so [n] markers get split across chunks

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        self.tools = list(tools)
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.received.append(list(messages))
        if not self.script:
            raise AssertionError("脚本已用完：模型被调用的次数超出预期")
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        reply = step(messages) if callable(step) else step
        return AIMessage(reply) if isinstance(reply, str) else reply

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        reply = self._next(messages)
        text = str(reply.content)
        for start in range(0, len(text), self.piece_chars):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[start:start + self.piece_chars]))
        for index, call in enumerate(reply.tool_calls):
            chunk = {"name": call["name"], "args": json.dumps(call["args"], ensure_ascii=False), "id": call["id"],
                     "index": index, "type": "tool_call_chunk"}
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[chunk]))  # type: ignore[list-item]


def transcript(messages: Sequence[BaseMessage]) -> list[str]:
    """A conversation as short lines to compare whole: who spoke, which tool was called with what, and
    the first line of each tool result."""
    lines = []
    for m in messages:
        if isinstance(m, ToolMessage):
            lines.append(f"tool {m.name}: " + _first_result_line(str(m.content)))
        elif isinstance(m, AIMessage):
            for call in m.tool_calls:
                args = ", ".join(f"{k}={v}" for k, v in call["args"].items())
                lines.append(f"ai → {call['name']}({args})")
            if m.content:
                lines.append(f"ai: {m.content}")
        else:
            lines.append(f"{m.type}: " + str(m.content).splitlines()[0])
    return lines


def _first_result_line(content: str) -> str:
    if content.startswith("Error:"):
        return content
    summary = re.search(r"^摘要：(.*)$", content, re.M)
    if summary:
        return summary.group(1)
    numbered = re.findall(r"^\[(\d+)\] (.*)$", content, re.M)
    return "；".join(f"[{n}] {where}" for n, where in numbered) or content.splitlines()[0]
