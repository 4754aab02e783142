"""Every 4xx the API returns carries a Chinese `detail`: validation errors, library errors, body limits."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.answer.llm_tools import explain_validation_errors
from assistant.auth.limits import RateLimited
from assistant.db.errors import DatabaseNotReady, InvalidValue
from assistant.errors import AssistantError, IndexBusy, QuestionTooLong, UnknownDocument
from assistant.index.uploads import UploadRejected

FIELD_LABELS = {
    "question": "问题", "history": "历史问题", "q": "检索问题", "region": "地区", "period": "期间", "metric": "指标",
    "unit": "单位", "by": "排名依据", "chain": "产业链", "city": "城市", "department": "责任部门",
    "files": "文件", "messages": "消息", "content": "内容", "role": "角色", "offset": "偏移", "limit": "条数",
    "access": "公开属性", "reason": "理由",
}
STANDARD_DETAILS = {
    404: "未找到该接口，请查看 /docs 中的接口列表。",
    405: "该接口不支持此请求方法，请查看 /docs。",
    413: "请求体过大。",
}


def status_for(exc: AssistantError) -> int:
    """Library errors → HTTP status: unknown names 404, bad values 422, busy 409, no database 503."""
    if isinstance(exc, IndexBusy):
        return 409
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, PermissionError):  # RegionDenied: a county officer asked for another region
        return 403
    if isinstance(exc, DatabaseNotReady):
        return 503
    if isinstance(exc, UnknownDocument | KeyError):  # UnknownRegion, UnknownMetric, UnknownChain
        return 404
    if isinstance(exc, InvalidValue | UploadRejected | QuestionTooLong):
        return 422
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422,
                            content={"detail": f"请求参数有误：{explain_validation_errors(exc.errors(), FIELD_LABELS)}"})

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        headers = {"Retry-After": str(max(1, round(exc.retry_after_s)))} if isinstance(exc, RateLimited) else None
        return JSONResponse(status_code=status_for(exc), content={"detail": str(exc)}, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if not isinstance(detail, str) or detail.isascii():  # Starlette's own English messages
            detail = STANDARD_DETAILS.get(exc.status_code, f"请求失败（HTTP {exc.status_code}）。")
        return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"请求体过大：上限 {_size(limit)}，请缩短内容或分批提交。")


class BodyLimit:
    """Reject request bodies over a per-route limit with a Chinese 413: at once when Content-Length says
    so, otherwise as soon as the streamed body passes the limit."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            exc = BodyTooLarge(limit)
            await JSONResponse(status_code=413, content={"detail": exc.detail})(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)  # FastAPI passes HTTPExceptions raised while reading through
            return message

        await self.app(scope, limited, send)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"
