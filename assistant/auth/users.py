"""Accounts: roles 管理员 / 科室 / 县区, argon2 password hashes, per-user API keys and login sessions.

Stored in data_dir/users.sqlite, or in the shared PostgreSQL database when ASSISTANT_DATABASE_URL points to one
(assistant/state: every server process sees the same accounts, sessions and keys). Secrets are never stored: passwords as argon2id hashes, API keys and session
tokens as SHA-256 digests (they are long random strings, so a fast digest is enough and lookups stay O(1)).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, RowMapping, text
from sqlalchemy.exc import IntegrityError

from assistant.access import DISCLOSURE_CLASSES, INTERNAL, PUBLIC, Access
from assistant.errors import AssistantError
from assistant.state.engine import engine_for, translate_errors, write_transaction
from assistant.state.migrations import migrate

Role = Literal["admin", "staff", "county"]
ROLE_LABELS: dict[str, str] = {"admin": "管理员", "staff": "科室", "county": "县区"}
ROLE_ALIASES: dict[str, Role] = {"admin": "admin", "管理员": "admin", "staff": "staff", "科室": "staff",
                                 "county": "county", "县区": "county"}
MIN_PASSWORD = 8
SESSION_HOURS = 12
# Failed logins are counted three ways (see UserStore.authenticate):
LOCKOUT_FAILURES = 5  # for one username from one client address within LOCKOUT_MINUTES lock that pair that long
LOCKOUT_MINUTES = 10
CLIENT_FAILURES = 20  # from one client address over any usernames within LOCKOUT_MINUTES: password spraying
ACCOUNT_FAILURES = 20  # for one username over all client addresses within ACCOUNT_WINDOW_MINUTES: distributed guessing
ACCOUNT_WINDOW_MINUTES = 60
API_KEY_PREFIX = "zsk_"
LOCAL_USERNAME = "本机用户"
OPERATOR_ID = -1  # the person at the server's command line: not an account

class AccountError(AssistantError):
    """A user-management request that cannot be carried out; the message says why and what to do."""


class LoginLocked(AccountError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    region: str | None
    clearance: str  # highest disclosure class: 公开 or 内部
    disabled: bool = False
    created_at: str = ""
    last_login: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_write(self) -> bool:
        """Upload/delete documents, import data and draft for the bureau: 管理员 and 科室, not county officers."""
        return self.role in ("admin", "staff")

    @property
    def is_operator(self) -> bool:
        """The command line's local operator (see `operator`), not a stored account."""
        return self.id == OPERATOR_ID

    @property
    def access(self) -> Access:
        classes = DISCLOSURE_CLASSES if self.clearance == INTERNAL else (PUBLIC,)
        return Access(classes=classes, region=self.region if self.role == "county" else None)

    def describe(self) -> str:
        place = f"（{self.region}）" if self.region else ""
        return f"{self.username} · {self.role_label}{place} · 可见{self.access.describe()}"


LOCAL_USER = User(id=0, username=LOCAL_USERNAME, role="admin", region=None, clearance=INTERNAL)


def operator(name: str) -> User:
    """Whoever runs `assistant …` on the server, named by their OS account: they can read the data directory
    anyway, so full access and no per-minute budget; their actions are audited under this name."""
    return User(id=OPERATOR_ID, username=name, role="admin", region=None, clearance=INTERNAL)


def parse_role(text: str) -> Role:
    role = ROLE_ALIASES.get(text.strip())
    if role is None:
        raise AccountError(f"未知角色“{text}”。可选：管理员（admin）、科室（staff）、县区（county）。")
    return role


def default_clearance(role: Role) -> str:
    """管理员 and 科室 see 内部 documents; a county officer sees 公开 ones unless granted more."""
    return PUBLIC if role == "county" else INTERNAL


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class UserStore:
    """Thread-safe; one instance per process (the API app holds one)."""

    def __init__(self, location: Path | str, hasher: PasswordHasher | None = None) -> None:
        """`location`: the users.sqlite file, or the shared database's URL (state.state_url)."""
        self.location = location
        self.hasher = hasher or PasswordHasher()
        self._engine = engine_for(location)
        migrate(self._engine, "users")
        self._dummy_hash = self.hasher.hash(secrets.token_hex(8))  # equal time for unknown usernames

    def close(self) -> None:
        """Close the pooled connections (a restore swaps the files underneath); the engine opens new ones on use."""
        self._engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with translate_errors(), self._engine.begin() as conn:
            yield conn

    def _one(self, sql: str, **params: object) -> RowMapping | None:
        with self._tx() as conn:
            return conn.execute(text(sql), params).mappings().first()

    # --- accounts -------------------------------------------------------------------------------

    def count(self) -> int:
        with self._tx() as conn:
            return int(conn.execute(text("SELECT count(*) FROM users")).scalar_one())

    def add(self, username: str, password: str, role: Role, region: str | None = None,
            clearance: str | None = None, known_regions: Sequence[str] | None = None) -> User:
        username = username.strip()
        # Control and format characters (CR, LF, ESC, U+202E …) would let a name forge lines or reorder text
        # wherever it is shown, the audit log above all.
        if not username or len(username) > 64 or any(
                c.isspace() or c in "/\\:<>\"'&" or unicodedata.category(c) in ("Cc", "Cf") for c in username):
            shown = "".join(c if unicodedata.category(c) not in ("Cc", "Cf") else "?" for c in username)
            raise AccountError(f"用户名“{shown}”无效：须为 1–64 个字符，不含空格、控制字符和 / \\ : < > \" ' & 等符号。")
        check_password(password)
        if role == "county":
            if not region:
                raise AccountError("县区账号必须指定所属地区，如 --region 汉阴县。")
            if known_regions is not None and region not in known_regions:
                raise AccountError(f"未知地区“{region}”。已知地区：{'、'.join(known_regions)}。")
        elif region:
            raise AccountError(f"只有县区账号绑定地区；{ROLE_LABELS[role]}账号可查看全部地区，不要指定 --region。")
        clearance = clearance or default_clearance(role)
        if clearance not in DISCLOSURE_CLASSES:
            raise AccountError(f"未知密级“{clearance}”：可选 公开、内部（涉密文档不入库）。")
        password_hash = self.hasher.hash(password)
        try:
            with self._tx() as conn:
                conn.execute(text(
                    "INSERT INTO users (username, role, region, clearance, password_hash, disabled, created_at)"
                    " VALUES (:username, :role, :region, :clearance, :password_hash, 0, :at)"),
                    {"username": username, "role": role, "region": region, "clearance": clearance,
                     "password_hash": password_hash, "at": _now()})
        except IntegrityError as exc:
            raise AccountError(f"用户名“{username}”已存在。") from exc
        return self.get(username)

    def get(self, username: str) -> User:
        row = self._one("SELECT * FROM users WHERE username = :username", username=username)
        if row is None:
            raise AccountError(f"没有用户“{username}”。用 assistant users list 查看全部账号。")
        return _user(row)

    def list(self) -> list[User]:
        with self._tx() as conn:
            return [_user(r) for r in conn.execute(text("SELECT * FROM users ORDER BY id")).mappings()]

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        user = self.get(username)
        with self._tx() as conn:
            conn.execute(text("UPDATE users SET disabled = :disabled WHERE id = :id"),
                         {"disabled": int(disabled), "id": user.id})
            if disabled:  # a disabled account loses its sessions at once; its API keys stop working via the join
                conn.execute(text("DELETE FROM sessions WHERE user_id = :id"), {"id": user.id})
        return self.get(username)

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        user = self.get(username)
        with self._tx() as conn:
            conn.execute(text("UPDATE users SET password_hash = :hash WHERE id = :id"),
                         {"hash": self.hasher.hash(password), "id": user.id})
            conn.execute(text("DELETE FROM sessions WHERE user_id = :id"), {"id": user.id})

    # --- passwords and sessions ----------------------------------------------------------------------

    def authenticate(self, username: str, password: str, client: str = "") -> User | None:
        """The user for a correct password of an enabled account, else None. `client` is the caller's address.

        Raises LoginLocked, before the password is looked at, when within the window there were already
        LOCKOUT_FAILURES failures for this username from this client, CLIENT_FAILURES from this client over
        any usernames (spraying), or ACCOUNT_FAILURES for this username over all clients (a slower, global
        limit). Locking per (username, client) means anonymous guesses from one address lock out only that
        address, not the account's owner; the global limit bounds guessing from many addresses and lifts by
        itself ACCOUNT_WINDOW_MINUTES after the guessing stops.

        Each attempt is counted as a failure *before* the password is checked, in one write transaction
        (BEGIN IMMEDIATE, so also across processes): parallel guesses cannot all pass a check made before
        any of them was recorded. A correct password then removes this client's failures for the username."""
        username = username.strip()[:64]
        client = client[:100]
        self._count_attempt(username, client, time.time())
        row = self._one("SELECT * FROM users WHERE username = :username", username=username)
        try:
            self.hasher.verify(row["password_hash"] if row else self._dummy_hash, password)
            ok = row is not None and not row["disabled"]
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            return None  # the attempt stays recorded as a failure
        with self._tx() as conn:  # this attempt was recorded under the same username and client
            conn.execute(text("DELETE FROM login_failures WHERE username = :username AND client = :client"),
                         {"username": username, "client": client})
            conn.execute(text("UPDATE users SET last_login = :at WHERE id = :id"), {"at": _now(), "id": row["id"]})
            if self.hasher.check_needs_rehash(row["password_hash"]):
                conn.execute(text("UPDATE users SET password_hash = :hash WHERE id = :id"),
                             {"hash": self.hasher.hash(password), "id": row["id"]})
        return self.get(username)

    def _count_attempt(self, username: str, client: str, now: float) -> None:
        """Record one login attempt as a failure, or raise LoginLocked if a limit is reached. One write
        transaction that no other login attempt runs beside, in any process (state.write_transaction)."""
        window = now - LOCKOUT_MINUTES * 60
        with write_transaction(self._engine, "login-failures") as conn:
            conn.execute(text("DELETE FROM login_failures WHERE at < :cut"), {"cut": now - ACCOUNT_WINDOW_MINUTES * 60})

            def oldest(where: str, since: float = window, **params: object) -> tuple[int, float]:
                n, first = conn.execute(text(f"SELECT count(*), min(at) FROM login_failures WHERE at >= :since AND {where}"),  # noqa: S608
                                        {"since": since, **params}).one()
                return int(n), float(first or now)

            n, first = oldest("username = :username AND client = :client", username=username, client=client)
            if n >= LOCKOUT_FAILURES:
                raise LoginLocked(f"该账号连续 {LOCKOUT_FAILURES} 次登录失败，已暂时锁定，"
                                  f"请 {_minutes(first + LOCKOUT_MINUTES * 60 - now)} 分钟后再试。")
            n, first = oldest("client = :client", client=client)
            if n >= CLIENT_FAILURES:
                raise LoginLocked(f"此地址 {LOCKOUT_MINUTES} 分钟内登录失败已达 {n} 次，暂时不能登录，"
                                  f"请 {_minutes(first + LOCKOUT_MINUTES * 60 - now)} 分钟后再试。")
            n, first = oldest("username = :username", since=now - ACCOUNT_WINDOW_MINUTES * 60, username=username)
            if n >= ACCOUNT_FAILURES:
                raise LoginLocked(f"该账号 {ACCOUNT_WINDOW_MINUTES} 分钟内在多处登录失败 {n} 次，已暂时锁定，"
                                  f"请 {_minutes(first + ACCOUNT_WINDOW_MINUTES * 60 - now)} 分钟后再试；"
                                  "如非本人操作，请告知管理员。")
            conn.execute(text("INSERT INTO login_failures (username, at, client) VALUES (:username, :at, :client)"),
                         {"username": username, "at": now, "client": client})

    def start_session(self, user: User, hours: float = SESSION_HOURS) -> str:
        token = secrets.token_urlsafe(32)
        with self._tx() as conn:
            conn.execute(text("DELETE FROM sessions WHERE expires_at < :now"), {"now": time.time()})
            conn.execute(text("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (:hash, :id, :until)"),
                         {"hash": _digest(token), "id": user.id, "until": time.time() + hours * 3600})
        return token

    def user_for_session(self, token: str) -> User | None:
        row = self._one("SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id"
                        " WHERE s.token_hash = :hash AND s.expires_at > :now AND u.disabled = 0",
                        hash=_digest(token), now=time.time())
        return _user(row) if row else None

    def end_session(self, token: str) -> None:
        with self._tx() as conn:
            conn.execute(text("DELETE FROM sessions WHERE token_hash = :hash"), {"hash": _digest(token)})

    # --- API keys ------------------------------------------------------------------------------------

    def issue_api_key(self, username: str, label: str = "") -> str:
        """A new key for `username`, returned once: only its digest is stored."""
        user = self.get(username)
        key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        with self._tx() as conn:
            conn.execute(text("INSERT INTO api_keys (user_id, key_hash, label, created_at)"
                              " VALUES (:id, :hash, :label, :at)"),
                         {"id": user.id, "hash": _digest(key), "label": label or key[:10] + "…", "at": _now()})
        return key

    def revoke_api_keys(self, username: str) -> int:
        user = self.get(username)
        with self._tx() as conn:
            cur = conn.execute(text("UPDATE api_keys SET revoked_at = :at WHERE user_id = :id AND revoked_at IS NULL"),
                               {"at": _now(), "id": user.id})
        return int(cur.rowcount)

    def api_key_count(self, username: str) -> int:
        user = self.get(username)
        with self._tx() as conn:
            return int(conn.execute(text("SELECT count(*) FROM api_keys WHERE user_id = :id AND revoked_at IS NULL"),
                                    {"id": user.id}).scalar_one())

    def user_for_api_key(self, key: str) -> User | None:
        if not key.startswith(API_KEY_PREFIX) or len(key) > 200:
            return None
        row = self._one("SELECT u.* FROM api_keys k JOIN users u ON u.id = k.user_id"
                        " WHERE k.key_hash = :hash AND k.revoked_at IS NULL AND u.disabled = 0", hash=_digest(key))
        return _user(row) if row else None


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 位。")
    if len(password) > 256:
        raise AccountError("密码太长：最多 256 位。")


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _user(row: RowMapping) -> User:
    return User(id=row["id"], username=row["username"], role=row["role"], region=row["region"],
                clearance=row["clearance"], disabled=bool(row["disabled"]), created_at=row["created_at"],
                last_login=row["last_login"])
