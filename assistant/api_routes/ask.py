"""Asking: one Answer as JSON, or streamed as NDJSON (text deltas, then the full Answer)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from assistant.answer.types import Answer
from assistant.api_routes.deps import BudgetedWorkspace

log = logging.getLogger(__name__)
router = APIRouter(tags=["问答"])

# Question length is checked by the workspace against ASSISTANT_MAX_QUESTION_CHARS (422 with the limit).
class AskRequest(BaseModel):
    question: str = Field(description="问题（最多 ASSISTANT_MAX_QUESTION_CHARS 字，默认 2000）")
    history: list[str] = Field(
        default_factory=list, max_length=20, description="此前各轮的问题（用于“那恒口呢？”这类追问），每轮同样限长"
    )


def _question(body: AskRequest) -> str:
    if not body.question.strip():
        raise HTTPException(status_code=422, detail="问题不能为空")
    return body.question


@router.post("/api/ask", summary="提问，返回完整回答（含引用、数字来源和需核对的数字）")
def api_ask(body: AskRequest, workspace: BudgetedWorkspace) -> Answer:
    return workspace.ask(_question(body), body.history)


@router.post(
    "/api/ask/stream",
    summary="提问，以 NDJSON 流式返回",
    description='每行一个 JSON：若干 {"type":"delta","text":"…"}，最后一行 {"type":"answer","answer":{…}}，'
                "以最后的完整回答为准；出错时最后一行为 {\"type\":\"error\",\"detail\":\"…\"}。",
    response_class=StreamingResponse,
)
def api_ask_stream(body: AskRequest, workspace: BudgetedWorkspace) -> StreamingResponse:
    items = workspace.stream(_question(body), body.history)
    return StreamingResponse(_ndjson(items), media_type="application/x-ndjson")


def _ndjson(items: Iterator[str | Answer]) -> Iterator[str]:
    try:
        for item in items:
            if isinstance(item, Answer):
                yield json.dumps({"type": "answer", "answer": item.model_dump(mode="json")}, ensure_ascii=False) + "\n"
            elif item:
                yield json.dumps({"type": "delta", "text": item}, ensure_ascii=False) + "\n"
    except Exception as exc:  # the response has started: report in-band rather than cut the stream
        log.exception("streamed answer failed")
        yield json.dumps({"type": "error", "detail": f"回答生成出错（{type(exc).__name__}），请重试。"},
                         ensure_ascii=False) + "\n"
