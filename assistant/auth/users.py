"""Accounts: roles 管理员 / 科室 / 县区, argon2 password hashes, per-user API keys and login sessions.

Stored in data_dir/users.sqlite. Secrets are never stored: passwords as argon2id hashes, API keys and session
tokens as SHA-256 digests (they are long random strings, so a fast digest is enough and lookups stay O(1)).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import sqlite3
import threading
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

from assistant.access import DISCLOSURE_CLASSES, INTERNAL, PUBLIC, Access
from assistant.errors import AssistantError

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

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    region TEXT,
    clearance TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_login TEXT
);
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    at REAL NOT NULL,
    client TEXT NOT NULL DEFAULT ''
);
"""


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

    def __init__(self, path: Path, hasher: PasswordHasher | None = None) -> None:
        self.path = path
        self.hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: no fsync per request, no corruption on a crash
        self._conn.executescript(SCHEMA)
        columns = {r["name"] for r in self._conn.execute("PRAGMA table_info(login_failures)")}
        if "client" not in columns:  # users.sqlite from before per-client counting
            with self._conn:
                self._conn.execute("ALTER TABLE login_failures ADD COLUMN client TEXT NOT NULL DEFAULT ''")
        self._dummy_hash = self.hasher.hash(secrets.token_hex(8))  # equal time for unknown usernames

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._conn:
            yield self._conn

    # --- accounts -------------------------------------------------------------------------------

    def count(self) -> int:
        with self._tx() as conn:
            return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])

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
                conn.execute(
                    "INSERT INTO users (username, role, region, clearance, password_hash, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", (username, role, region, clearance, password_hash, _now()))
        except sqlite3.IntegrityError as exc:
            raise AccountError(f"用户名“{username}”已存在。") from exc
        return self.get(username)

    def get(self, username: str) -> User:
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise AccountError(f"没有用户“{username}”。用 assistant users list 查看全部账号。")
        return _user(row)

    def list(self) -> list[User]:
        with self._tx() as conn:
            return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY id")]

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        user = self.get(username)
        with self._tx() as conn:
            conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user.id))
            if disabled:  # a disabled account loses its sessions at once; its API keys stop working via the join
                conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
        return self.get(username)

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        user = self.get(username)
        with self._tx() as conn:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (self.hasher.hash(password), user.id))
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))

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
        attempt = self._count_attempt(username, client, time.time())
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        try:
            self.hasher.verify(row["password_hash"] if row else self._dummy_hash, password)
            ok = row is not None and not row["disabled"]
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            return None  # the attempt stays recorded as a failure
        with self._tx() as conn:
            conn.execute("DELETE FROM login_failures WHERE rowid = ? OR (username = ? AND client = ?)",
                         (attempt, username, client))
            conn.execute("UPDATE users SET last_login = ? WHERE id = ?", (_now(), row["id"]))
            if self.hasher.check_needs_rehash(row["password_hash"]):
                conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (self.hasher.hash(password), row["id"]))
        return self.get(username)

    def _count_attempt(self, username: str, client: str, now: float) -> int:
        """Record one login attempt as a failure (its rowid), or raise LoginLocked if a limit is reached."""
        window = now - LOCKOUT_MINUTES * 60
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM login_failures WHERE at < ?", (now - ACCOUNT_WINDOW_MINUTES * 60,))

                def oldest(where: str, *params: object, since: float = window) -> tuple[int, float]:
                    n, first = conn.execute(f"SELECT count(*), min(at) FROM login_failures WHERE at >= ? AND {where}",  # noqa: S608
                                            (since, *params)).fetchone()
                    return int(n), float(first or now)

                n, first = oldest("username = ? AND client = ?", username, client)
                if n >= LOCKOUT_FAILURES:
                    raise LoginLocked(f"该账号连续 {LOCKOUT_FAILURES} 次登录失败，已暂时锁定，"
                                      f"请 {_minutes(first + LOCKOUT_MINUTES * 60 - now)} 分钟后再试。")
                n, first = oldest("client = ?", client)
                if n >= CLIENT_FAILURES:
                    raise LoginLocked(f"此地址 {LOCKOUT_MINUTES} 分钟内登录失败已达 {n} 次，暂时不能登录，"
                                      f"请 {_minutes(first + LOCKOUT_MINUTES * 60 - now)} 分钟后再试。")
                n, first = oldest("username = ?", username, since=now - ACCOUNT_WINDOW_MINUTES * 60)
                if n >= ACCOUNT_FAILURES:
                    raise LoginLocked(f"该账号 {ACCOUNT_WINDOW_MINUTES} 分钟内在多处登录失败 {n} 次，已暂时锁定，"
                                      f"请 {_minutes(first + ACCOUNT_WINDOW_MINUTES * 60 - now)} 分钟后再试；"
                                      "如非本人操作，请告知管理员。")
                cur = conn.execute("INSERT INTO login_failures (username, at, client) VALUES (?, ?, ?)",
                                   (username, now, client))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        return int(cur.lastrowid or 0)

    def start_session(self, user: User, hours: float = SESSION_HOURS) -> str:
        token = secrets.token_urlsafe(32)
        with self._tx() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (time.time(),))
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_digest(token), user.id, time.time() + hours * 3600))
        return token

    def user_for_session(self, token: str) -> User | None:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id"
                " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0", (_digest(token), time.time())
            ).fetchone()
        return _user(row) if row else None

    def end_session(self, token: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))

    # --- API keys ------------------------------------------------------------------------------------

    def issue_api_key(self, username: str, label: str = "") -> str:
        """A new key for `username`, returned once: only its digest is stored."""
        user = self.get(username)
        key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        with self._tx() as conn:
            conn.execute("INSERT INTO api_keys (user_id, key_hash, label, created_at) VALUES (?, ?, ?, ?)",
                         (user.id, _digest(key), label or key[:10] + "…", _now()))
        return key

    def revoke_api_keys(self, username: str) -> int:
        user = self.get(username)
        with self._tx() as conn:
            cur = conn.execute("UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                               (_now(), user.id))
        return cur.rowcount

    def api_key_count(self, username: str) -> int:
        user = self.get(username)
        with self._tx() as conn:
            return int(conn.execute("SELECT count(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL",
                                    (user.id,)).fetchone()[0])

    def user_for_api_key(self, key: str) -> User | None:
        if not key.startswith(API_KEY_PREFIX) or len(key) > 200:
            return None
        with self._tx() as conn:
            row = conn.execute(
                "SELECT u.* FROM api_keys k JOIN users u ON u.id = k.user_id"
                " WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.disabled = 0", (_digest(key),)
            ).fetchone()
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


def _user(row: sqlite3.Row) -> User:
    return User(id=row["id"], username=row["username"], role=row["role"], region=row["region"],
                clearance=row["clearance"], disabled=bool(row["disabled"]), created_at=row["created_at"],
                last_login=row["last_login"])
