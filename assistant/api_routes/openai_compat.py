"""An OpenAI-compatible face (`/v1/chat/completions`, `/v1/models`) so chat clients can use the assistant.

The last user message is the question and earlier user messages are the history. The reply's content is
the answer text followed by its 引用 list (and any 需核对 warnings); the structured Answer rides along
under `zhaoshang_answer`. With `stream: true` the reply is server-sent events in the OpenAI chunk format,
ending with `data: [DONE]`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.answer.types import Answer
from assistant.api_routes.deps import BudgetedWorkspace

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["OpenAI 兼容接口"])

MODEL_ID = "zhaoshang-assistant"
MAX_HISTORY = 20
# Chat clients show `content` as Markdown. An image there is fetched by the reader's browser as soon as it
# is shown, so a passage quoted from a planted document (or a model talked into it) could send data to
# another host; a link could be javascript: or a phishing page. Image, link and HTML syntax is
# backslash-escaped so clients show it as the literal text it is; citation markers like [1] stay as they are.
ACTIVE_MARKDOWN = re.compile(r"(?<=!)\[|\[(?=[^\]\n]*\]\()|^ {0,3}\[(?=[^\]\n]+\]:)|<(?=[A-Za-z/!?])", re.M)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str = Field(max_length=20)
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": "…"}, …]
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, … are accepted and ignored

    model: str | None = Field(None, max_length=100)
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


def inert_markdown(text: str) -> str:
    """The text with every Markdown image, link, link definition and HTML tag made literal."""
    return ACTIVE_MARKDOWN.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


class InertStream:
    """inert_markdown over text that arrives in pieces: a line is sent up to its first "[" or "<" at once,
    the rest when the line is complete (image and link syntax never spans lines)."""

    def __init__(self) -> None:
        self.line = ""
        self.sent = 0  # characters of `line` already sent (unchanged by escaping: all before a "[" or "<")

    def feed(self, piece: str) -> str:
        out = []
        self.line += piece
        while "\n" in self.line:
            done, self.line = self.line.split("\n", 1)
            out.append(inert_markdown(done)[self.sent:] + "\n")
            self.sent = 0
        safe = min((i for i in (self.line.find("["), self.line.find("<")) if i >= 0), default=len(self.line))
        if safe > self.sent:
            out.append(self.line[self.sent:safe])
            self.sent = safe
        return "".join(out)

    def close(self) -> str:
        rest, self.line, self.sent = inert_markdown(self.line)[self.sent:], "", 0
        return rest


def _conversation(body: ChatCompletionRequest, limit: int) -> tuple[str, list[str]]:
    """The last user message is the question (over `limit`: 422 from the workspace); earlier ones, cut to
    `limit`, are its history."""
    asked = [m.text() for m in body.messages if m.role == "user"]
    if not asked or not asked[-1].strip():
        raise HTTPException(status_code=422, detail="messages 中最后一条用户（role 为 user）消息不能为空。")
    question = asked[-1]
    history = [q.strip()[:limit] for q in asked[:-1] if q.strip()][-MAX_HISTORY:]
    return question, history


@router.get("/models", summary="可用模型（OpenAI 格式）")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "zhaoshang"}]}


@router.post("/chat/completions", summary="对话补全（OpenAI 格式，支持 stream）", response_model=None)
def chat_completions(body: ChatCompletionRequest, workspace: BudgetedWorkspace) -> dict[str, Any] | StreamingResponse:
    question, history = _conversation(body, workspace.settings.max_question_chars)
    model = body.model or MODEL_ID
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    if body.stream:
        events = _sse(workspace.stream(question, history), completion_id, created, model)
        return StreamingResponse(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    answer = workspace.ask(question, history)
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": inert_markdown(answer.plain_text())},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "zhaoshang_answer": answer.model_dump(mode="json"),
    }


def _sse(items: Iterator[str | Answer], completion_id: str, created: int, model: str) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    inert = InertStream()
    try:
        for item in items:
            if isinstance(item, Answer):
                full = item.plain_text()
                tail = full[len(item.answer.strip()):]  # the 引用 list and warnings after the text
                if text := inert.feed(tail) + inert.close():
                    yield chunk({"content": text})
                yield chunk({}, "stop", zhaoshang_answer=item.model_dump(mode="json"))
            elif item and (text := inert.feed(item)):
                yield chunk({"content": text})
    except Exception as exc:  # the stream has started: say so in-band, then end it properly
        log.exception("streamed chat completion failed")
        yield chunk({"content": f"{inert.close()}\n\n（回答生成出错：{type(exc).__name__}，请重试。）"}, "stop")
    yield "data: [DONE]\n\n"
