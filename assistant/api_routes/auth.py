"""Login for the whole app: every route but /healthz and the login page needs a user.

A pure ASGI middleware resolves the user once per request — an API key (`Authorization: Bearer zsk_…` or
`X-API-Key`), else the session cookie set by POST /login — and puts it in `request.state.user`. Browsers
without a session are sent to /login; other clients get a Chinese 401. Routes declare `CurrentUser`
(the FastAPI dependency below), and the Gradio workbench gets the same user through `auth_dependency`.
In local mode (only on 127.0.0.1) every request is the single local user.
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api_routes.prefix import public, route_path
from assistant.auth.sessions import SESSION_COOKIE, Auth, client_address
from assistant.auth.users import SESSION_HOURS, AccountError, LoginLocked, User
from assistant.state.engine import StateUnavailable

OPEN_PATHS = frozenset({"/healthz", "/login", "/logout"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_LOGGED_IN = ("未登录或登录已过期：浏览器请访问 /login 登录；程序调用请在请求头 Authorization: Bearer <API 密钥> "
                 "中提供 API 密钥（管理员用 assistant users key 用户名 生成）。")
BAD_KEY = "API 密钥无效、已吊销或账号已停用。"
CROSS_SITE = "拒绝跨站请求：请从本系统页面操作。"
__all__ = ["SESSION_COOKIE", "Auth", "AuthDep", "CurrentUser", "RequireLogin", "current_user", "router"]


def _cookies(headers: dict[bytes, bytes]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out.setdefault(name, value)
    return out


# Headers only a reverse proxy should set: dropped from every request unless Settings.trusted_proxy says one
# sits in front (a client could otherwise pose as another host for the same-origin check, another address
# for the login limits, or make Gradio's page config name another host).
PROXY_HEADERS = frozenset({b"x-forwarded-host", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-port",
                           b"x-forwarded-prefix", b"x-real-ip", b"forwarded"})
# On every response: no framing by another site (clickjacking), no MIME sniffing, no full Referer to others.
SECURITY_HEADERS = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"),
                    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
# The workbench's own scripts, styles and fonts: the same for everyone, so the browser may keep them.
STATIC_PREFIXES = ("/ui/assets/", "/ui/static/", "/ui/gradio_api/static/", "/ui/favicon.ico")


def _hosts(headers: dict[bytes, bytes]) -> set[str]:
    """This site's host as the request names it (after PROXY_HEADERS were dropped unless trusted)."""
    hosts = {headers.get(b"host", b"").decode("latin-1")}
    forwarded = headers.get(b"x-forwarded-host")  # behind a trusted reverse proxy that rewrites Host
    if forwarded:
        hosts.add(forwarded.decode("latin-1").split(",")[0].strip())
    return hosts


def _same_origin(headers: dict[bytes, bytes]) -> bool:
    """A cookie-authenticated write must come from our own pages (SameSite=Lax already blocks most
    cross-site posts; this also covers old browsers)."""
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin or origin == "null":
        return not origin
    return urlsplit(origin).netloc in _hosts(headers)


def _from_this_site(headers: dict[bytes, bytes]) -> bool:
    """Logging in or out must be asked by our own login page or workbench, never by a form or link on another
    site (login CSRF would sign the victim into the attacker's account; a foreign link would log them out).
    Browsers send Origin with every POST, Sec-Fetch-Site and Referer with most requests; a client that sends
    none of them (curl, scripts) is not a browser another site could drive."""
    if headers.get(b"sec-fetch-site", b"") == b"cross-site":
        return False
    if b"origin" in headers:
        return _same_origin(headers) and bool(headers[b"origin"])
    referer = headers.get(b"referer", b"").decode("latin-1")
    return not referer or urlsplit(referer).netloc in _hosts(headers)


class RequireLogin:
    def __init__(self, app: ASGIApp, auth: Auth) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not self.auth.trusted_proxy:
            scope["headers"] = [(k, v) for k, v in scope.get("headers") or [] if k.lower() not in PROXY_HEADERS]
        path = route_path(scope)
        headers = dict(scope.get("headers") or [])
        try:
            user, how = self.auth.resolve(headers, _cookies(headers))
        except StateUnavailable as exc:  # the shared database is away: say so; the next request tries again
            await _deny(scope, receive, send, 503, str(exc))
            return
        if scope["type"] == "http":
            send = _with_headers(send, private=user is not None and not path.startswith(STATIC_PREFIXES))
        if path in ("/login", "/logout") and scope.get("method") == "POST" and not _from_this_site(headers):
            await _deny(scope, receive, send, 403, CROSS_SITE)
            return
        if user is not None:
            if how == "cookie" and scope.get("method") in UNSAFE_METHODS and not _same_origin(headers):
                await _deny(scope, receive, send, 403, CROSS_SITE)
                return
            scope.setdefault("state", {})["user"] = user
            await self.app(scope, receive, send)
            return
        if path in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        if how == "bad-key":
            self.auth.refused_key(f"{scope.get('method', '')} {path}")
            await _deny(scope, receive, send, 401, BAD_KEY)
            return
        accept = headers.get(b"accept", b"").decode("latin-1")
        if scope["type"] == "http" and scope.get("method") == "GET" and "text/html" in accept:
            target = path + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
            await RedirectResponse(public(scope, f"/login?next={quote(target, safe='')}"),
                                   status_code=303)(scope, receive, send)
            return
        await _deny(scope, receive, send, 401, NOT_LOGGED_IN)


def _with_headers(send: Send, private: bool) -> Send:
    """`send` adding SECURITY_HEADERS to the response, and for a logged-in user's response (anything but the
    workbench's static files) Cache-Control: no-store, so no browser or proxy cache keeps answers, documents
    or figures after logout."""
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])
                       if not (private and k.lower() in (b"cache-control", b"expires", b"pragma"))]
            present = {k.lower() for k, _ in headers}
            # a CSP of the app's own is kept: a second CSP header only adds restrictions
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present or k == b"content-security-policy"]
            if private:
                headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
            message = {**message, "headers": headers}
        await send(message)
    return wrapped


async def _deny(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    await JSONResponse(status_code=status, content={"detail": detail}, headers=headers)(scope, receive, send)


def get_auth(request: Request) -> Auth:
    return request.app.state.auth  # type: ignore[no-any-return]


AuthDep = Annotated[Auth, Depends(get_auth)]


def current_user(request: Request) -> User:
    """The FastAPI auth dependency: the user the middleware resolved (401 if none — defence in depth)."""
    user = getattr(request.state, "user", None)
    if not isinstance(user, User):
        raise HTTPException(status_code=401, detail=NOT_LOGGED_IN, headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


# --- the login page -----------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录 · 招商知识助手</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
body{{margin:0;font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
background:#f4f6f9;color:#1f2937}}
main{{max-width:360px;margin:12vh auto;background:#fff;border:1px solid #d8dee8;border-radius:6px;padding:28px 32px}}
h1{{font-size:20px;margin:0 0 4px}} p.sub{{color:#64748b;margin:0 0 20px;font-size:14px}}
label{{display:block;font-size:14px;margin:12px 0 4px}}
input{{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #cbd5e1;border-radius:4px;font-size:15px}}
button{{margin-top:20px;width:100%;padding:9px;background:#1f5fa8;color:#fff;border:0;border-radius:4px;font-size:15px}}
.error{{background:#fdecec;color:#b42318;border:1px solid #f5c2c0;padding:8px 10px;border-radius:4px;font-size:14px}}
.note{{color:#64748b;font-size:12px;margin-top:16px}}
</style></head><body><main>
<h1>招商知识助手</h1><p class="sub">请使用本局分配的账号登录</p>{error}
<form method="post" action="{root}/login">
<input type="hidden" name="next" value="{next}">
<label for="username">用户名</label><input id="username" name="username" autocomplete="username" required maxlength="64">
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password"
 required maxlength="256">
<button type="submit">登录</button></form>
<p class="note">忘记密码请联系管理员（assistant users passwd 用户名）。</p></main></body></html>"""


def safe_next(target: str | None) -> str:
    """Only a path on this server: no scheme, no host, no '//' (an open redirect would help phishing). A path
    inside the app: the prefix (ASSISTANT_ROOT_PATH) is added when redirecting."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/ui/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/ui/"
    return target


def _page(request: Request, next_path: str, error: str = "") -> str:
    box = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return PAGE.format(error=box, next=html.escape(safe_next(next_path), quote=True),
                       root=html.escape(public(request.scope, ""), quote=True))


@router.get("/login")
def login_page(request: Request, auth: AuthDep, next: str = "/ui/") -> Response:
    if auth.local:
        return RedirectResponse(public(request.scope, safe_next(next)), status_code=303)
    return HTMLResponse(_page(request, next[:500]))


@router.post("/login")
def login(request: Request, auth: AuthDep, username: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=1000)] = "", next: Annotated[str, Form(max_length=500)] = "/ui/"
          ) -> Response:
    if auth.local:
        return RedirectResponse(public(request.scope, safe_next(next)), status_code=303)
    try:
        peer = request.client.host if request.client else None
        _, token = auth.log_in(username, password, client_address(peer, dict(request.scope["headers"]),
                                                                   auth.trusted_proxy))
    except LoginLocked as exc:
        return HTMLResponse(_page(request, next, str(exc)), status_code=429)
    except AccountError as exc:
        return HTMLResponse(_page(request, next, str(exc)), status_code=401)
    response = RedirectResponse(public(request.scope, safe_next(next)), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        max_age=SESSION_HOURS * 3600, path=cookie_path(request))
    return response


LOGOUT_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>退出登录 · 招商知识助手</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;background:#f4f6f9;color:#1f2937}
main{max-width:360px;margin:12vh auto;background:#fff;border:1px solid #d8dee8;border-radius:6px;padding:28px 32px}
button{margin-top:16px;width:100%;padding:9px;background:#1f5fa8;color:#fff;border:0;border-radius:4px;font-size:15px}
a{color:#1f5fa8}
</style></head><body><main><h1 style="font-size:20px">退出登录</h1><p>确定要退出招商知识助手吗？</p>
<form method="post" action="{root}/logout"><button type="submit" id="zs-logout-confirm">退出登录</button></form>
<p><a href="{root}/ui/">返回工作台</a></p></main></body></html>"""


def cookie_path(request: Request) -> str:
    """The session cookie goes back only to this app: under its prefix when it has one."""
    return public(request.scope, "") or "/"


@router.get("/logout")
def logout_page(request: Request) -> Response:
    """A link (even one on another site) only shows this page; logging out takes its POST button."""
    if not isinstance(getattr(request.state, "user", None), User):
        return RedirectResponse(public(request.scope, "/login"), status_code=303)
    return HTMLResponse(LOGOUT_PAGE.replace("{root}", html.escape(public(request.scope, ""), quote=True)))


@router.post("/logout")
def logout(request: Request, auth: AuthDep) -> Response:
    user = getattr(request.state, "user", None)
    auth.log_out(request.cookies.get(SESSION_COOKIE), user if isinstance(user, User) else None)
    response = RedirectResponse(public(request.scope, "/login"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=cookie_path(request))
    return response
