"""The workbench page and its config name no host.

Gradio writes the app's root URL into the page (`window.gradio_config`) and into `/ui/config`, built from the
request's Host header (or X-Gradio-Server, or X-Forwarded-Host): any client could make the page name a host of
its choosing, which a cache in front of the server could then hand to others. For those routes this middleware
gives Gradio a fixed placeholder host instead, and takes the placeholder out of the response, leaving a relative
root ("/ui") that the page resolves against its own address. "localhost" is the placeholder because Gradio's CORS
layer treats it as a local app, its strictest setting.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PLACEHOLDER = b"localhost"
# Headers Gradio builds the root URL from; the login middleware has already checked the origin with the real ones.
ROOT_HEADERS = frozenset({b"host", b"x-gradio-server", b"x-forwarded-host", b"x-forwarded-proto"})
MAX_BODY = 8 * 1024 * 1024  # the page and its config are far smaller; a larger body is passed on as it is


class WorkbenchRoot:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        prefix = prefix.rstrip("/")
        self.paths = {prefix, prefix + "/", prefix + "/config", prefix + "/config/"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() not in ROOT_HEADERS]
        scope = {**scope, "headers": [*headers, (b"host", PLACEHOLDER)]}
        origins = [f"{scheme}://".encode() + PLACEHOLDER for scheme in ("https", "http")]
        await self.app(scope, receive, _relative(send, origins))


def _relative(send: Send, origins: list[bytes]) -> Send:
    """`send` with the placeholder origin removed from the body and any Location header (buffered: small)."""
    start: Message | None = None
    chunks: list[bytes] = []

    def strip(data: bytes) -> bytes:
        for origin in origins:
            data = data.replace(origin, b"")
        return data

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False) and sum(map(len, chunks)) <= MAX_BODY:
            return
        body = strip(b"".join(chunks)) if sum(map(len, chunks)) <= MAX_BODY else b"".join(chunks)
        more = bool(message.get("more_body", False))
        headers = [(k, strip(v) if k.lower() == b"location" else v) for k, v in start.get("headers", [])
                   if more or k.lower() != b"content-length"]
        if not more:
            headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        start = None
        chunks.clear()
        await send({"type": "http.response.body", "body": body, "more_body": more})

    return wrapped
