"""Who is calling: the accounts, the audit log and the per-account budget of one running server, and how a
request's credentials (API key, session cookie, or local single-user mode) become a User.

Below both the HTTP layer (its login middleware and login page) and the workbench (which gets the same user
back from Gradio's `request.username`); nothing here imports FastAPI or Gradio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.auth.audit import AuditLog
from assistant.auth.limits import make_limiter
from assistant.auth.users import LOCAL_USER, AccountError, LoginLocked, User, UserStore
from assistant.state.engine import state_location

SESSION_COOKIE = "zs_session"


class Auth:
    """The app's accounts and audit log, and whether it runs in local single-user mode."""

    def __init__(self, data_dir: Path, local: bool = False, per_minute: int = 0, trusted_proxy: bool = False,
                 database_url: str | None = None, redis_url: str | None = None) -> None:
        """Accounts and audit in data_dir's SQLite files, or in the PostgreSQL database of `database_url` (shared
        with every other server); the per-minute budget in memory, Redis (`redis_url`) or that database."""
        self.local = local
        self.trusted_proxy = trusted_proxy  # only then are X-Forwarded-* headers believed
        self.users = UserStore(state_location(data_dir, database_url, "users"))
        self.audit = AuditLog(state_location(data_dir, database_url, "audit"))
        self.limiter = make_limiter(per_minute, redis_url, database_url)

    def close(self) -> None:
        self.users.close()
        self.audit.close()

    def resolve(self, headers: dict[bytes, bytes], cookies: dict[str, str]) -> tuple[User | None, str]:
        """(user, how): how is 'local', 'key', 'cookie', or why there is no user ('none', 'bad-key')."""
        if self.local:
            return LOCAL_USER, "local"
        key = api_key(headers)
        if key is not None:
            user = self.users.user_for_api_key(key)
            return (user, "key") if user else (None, "bad-key")
        token = cookies.get(SESSION_COOKIE)
        if token:
            user = self.users.user_for_session(token[:100])
            if user:
                return user, "cookie"
        return None, "none"

    def username_for(self, request: Any) -> str | None:
        """Gradio's auth_dependency: the name of the user the login middleware put in `request.state`, or
        None (Gradio then answers 401)."""
        user = getattr(request.state, "user", None)
        return user.username if isinstance(user, User) else None

    def user_named(self, username: str | None) -> User | None:
        """The user behind a Gradio event's `request.username` (None if gone or disabled since)."""
        if self.local:
            return LOCAL_USER
        if not username:
            return None
        try:
            user = self.users.get(username)
        except AccountError:
            return None
        return None if user.disabled else user

    # -- logging in and out: audited here, whichever page asked
    def log_in(self, username: str, password: str, client: str = "") -> tuple[User, str]:
        """(user, session token); LoginLocked or AccountError (with the Chinese reason) when refused.
        `client` is the caller's address (see `client_address`): failed logins are limited per address too."""
        where = f"（来自 {client}）" if client else ""
        try:
            user = self.users.authenticate(username, password, client) if username and password else None
        except LoginLocked:
            self.audit.record(username[:64], "", "login_failed", f"已锁定{where}", outcome="429", via="ui")
            raise
        if user is None:
            self.audit.record(username[:64], "", "login_failed", f"用户名或密码错误{where}", outcome="401", via="ui")
            raise AccountError("用户名或密码错误，或账号已停用。")
        token = self.users.start_session(user)
        self.audit.record(user.username, user.role, "login", "", via="ui")
        return user, token

    def log_out(self, token: str | None, user: User | None) -> None:
        if token:
            self.users.end_session(token[:100])
        if user is not None:
            self.audit.record(user.username, user.role, "logout", "", via="ui")

    def refused_key(self, request_line: str) -> None:
        """A request with an API key that names no enabled account."""
        self.audit.record("（无效密钥）", "", "denied", request_line, outcome="401", via="api")


def client_address(peer: str | None, headers: dict[bytes, bytes], trusted_proxy: bool) -> str:
    """Who is calling, for login limits and the audit log: the TCP peer, or — only behind a trusted proxy,
    which appends the address it saw — the last X-Forwarded-For entry. A client-sent header is never
    believed otherwise (it would let one client pose as many and dodge the per-address limit)."""
    if trusted_proxy:
        forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")[-1].strip()
        if forwarded:
            return forwarded[:100]
    return (peer or "")[:100]


def api_key(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    key = headers.get(b"x-api-key")
    return key.decode("latin-1").strip() if key is not None else None
