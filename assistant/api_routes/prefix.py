"""Serving under a path prefix behind a reverse proxy (ASSISTANT_ROOT_PATH, e.g. /zhaoshang).

`RootPath` (the outermost middleware) puts the prefix in every request's scope as ASGI's `root_path`, and in its
`path` when the proxy stripped it (nginx `proxy_pass http://upstream/;`) — a proxy that keeps it works the same.
Starlette's routing, Gradio's mount and the other middlewares then see one form: `route_path` is the path inside
the app (what routes and access rules are written against), `public` the address a browser must be sent to.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


def route_path(scope: Scope) -> str:
    """The request's path inside the app, without the prefix (/ui/…, /login, /api/…); the way Starlette's routing
    reads it, so an access rule and the route it guards always see the same path."""
    path, root = str(scope.get("path", "")), str(scope.get("root_path", ""))
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root):]
    return path or "/"


def public(scope: Scope, path: str) -> str:
    """`path` (inside the app, starting with /) as the browser must ask for it: behind the prefix."""
    return str(scope.get("root_path", "")) + path


class RootPath:
    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = root_path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path and scope["type"] in ("http", "websocket"):
            path = str(scope.get("path", ""))
            if path != self.root_path and not path.startswith(self.root_path + "/"):
                raw = scope.get("raw_path") or path.encode("latin-1")
                scope = {**scope, "path": self.root_path + path, "raw_path": self.root_path.encode("latin-1") + raw}
            scope = {**scope, "root_path": self.root_path}
        await self.app(scope, receive, send)
