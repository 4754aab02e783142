"""Each workbench session and event belongs to the account that opened it.

Gradio keys a page's state (the chat turns, the last draft) by a `session_hash` the browser makes up, and an
API call's result by the `event_id` it returns; it checks that the caller is logged in, not that the caller is
the one who started the session or the event. So any logged-in account that learns an id could read another
user's results (GET …/call/<api>/<event_id>, …/queue/data?session_hash=…) or act inside their session.

This middleware (inside the login middleware, which has put the user in the scope) remembers which account
first used each session hash and which account each event id was issued to, and answers 404 to anyone else.
It reads only ids: the small JSON bodies of the queue and call routes (replayed unchanged to Gradio), the
query string, and the event id in a call's response.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qs

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api_routes.prefix import route_path
from assistant.auth.users import User

NOT_YOURS = "没有这个工作台会话或事件，或它属于其他账号。"
MAX_BODY = 2 * 1024 * 1024  # the JSON routes' own limit is 1 MB (BodyLimit); a larger body is not parsed here
# Ids in paths: the heartbeat and media streams carry a session hash, a call's result its event id.
SESSION_IN_PATH = re.compile(r"/(?:heartbeat|stream)/([^/]+)(?:/.*)?")
EVENT_IN_PATH = re.compile(r"/call(?:/v2)?/[^/]+/([^/]+)/?")
ISSUES_EVENT = re.compile(r"/(?:call(?:/v2)?/[^/]+|queue/join)/?")
JSON_BODY_ROUTES = re.compile(r"/(?:queue/join|cancel|call(?:/v2)?/[^/]+|run/[^/]+|api/[^/]+|stream/[^/]+(?:/close)?)/?")


class Owners:
    """id → username, oldest forgotten first (bounded), each kept for `ttl_s`."""

    def __init__(self, max_ids: int = 100_000, ttl_s: float = 24 * 3600) -> None:
        self.max_ids, self.ttl_s = max_ids, ttl_s
        self._owners: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def owner(self, key: str) -> str | None:
        with self._lock:
            found = self._owners.get(key)
            if found is None or found[1] < time.monotonic() - self.ttl_s:
                return None
            return found[0]

    def claim(self, key: str, username: str) -> bool:
        """Record `username` as the owner of `key` unless someone else already is; True if it is theirs."""
        now = time.monotonic()
        with self._lock:
            found = self._owners.get(key)
            if found is not None and found[1] >= now - self.ttl_s and found[0] != username:
                return False
            self._owners[key] = (username, now)
            self._owners.move_to_end(key)
            while len(self._owners) > self.max_ids:
                self._owners.popitem(last=False)
            return True


class WorkbenchGuard:
    def __init__(self, app: ASGIApp, prefix: str, owners: Owners | None = None) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.owners = owners or Owners()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = route_path(scope)
        user = (scope.get("state") or {}).get("user")
        if scope["type"] != "http" or not path.startswith(self.prefix + "/") or not isinstance(user, User):
            await self.app(scope, receive, send)
            return
        rest, name, method = path[len(self.prefix):], user.username, scope.get("method")
        sessions = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash", [])
        if match := SESSION_IN_PATH.fullmatch(rest):
            sessions.append(match.group(1))
        events: list[str] = []
        if method == "GET" and (match := EVENT_IN_PATH.fullmatch(rest)):
            events.append(match.group(1))  # a result is read only by the account the event was issued to
        if method == "POST" and JSON_BODY_ROUTES.fullmatch(rest):
            body, receive = await _buffered(receive)
            ids = _ids(body)
            sessions += ids.get("session_hash", [])
            events += ids.get("event_id", [])
        if any(not self.owners.claim(s, name) for s in sessions) or any(self.owners.owner(e) != name for e in events):
            await JSONResponse(status_code=404, content={"detail": NOT_YOURS})(scope, receive, send)
            return
        if method == "POST" and ISSUES_EVENT.fullmatch(rest):
            send = self._claiming(send, name)
        await self.app(scope, receive, send)

    def _claiming(self, send: Send, name: str) -> Send:
        """`send` that records the event id in the response (before its last byte leaves) as `name`'s."""
        chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    for event in _ids(b"".join(chunks)).get("event_id", []):
                        self.owners.claim(event, name)
            await send(message)
        return wrapped


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body (up to MAX_BODY; more is left unread) and a `receive` that replays it."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if not message.get("more_body", False) or size > MAX_BODY:
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()
    return (body if size <= MAX_BODY else b""), replay


def _ids(body: bytes) -> dict[str, list[str]]:
    """session_hash and event_id of a JSON object body, if any."""
    try:
        data: Any = json.loads(body) if body else None
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: [data[key]] for key in ("session_hash", "event_id") if isinstance(data.get(key), str) and data[key]}
