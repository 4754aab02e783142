"""Per-account request budget for the expensive routes (questions and searches): a sliding one-minute window.

Where the counters live follows the deployment: in memory for one process (the default; it resets when the
server restarts), in Redis when ASSISTANT_REDIS_URL is set, else in the shared PostgreSQL database when
ASSISTANT_DATABASE_URL points to one, so that several servers share one budget per account.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from typing import Any, Protocol

from sqlalchemy import text

from assistant.errors import RateLimited
from assistant.state.engine import StateUnavailable, engine_for, is_postgres, write_transaction
from assistant.state.migrations import migrate

WINDOW_S = 60.0
__all__ = ["Limiter", "RateLimited", "RateLimiter", "RedisRateLimiter", "SqlRateLimiter", "make_limiter"]


class Limiter(Protocol):
    per_minute: int

    def hit(self, username: str, now: float | None = None) -> None:
        """Count one request for `username`; RateLimited when the last minute already holds per_minute."""


class RateLimiter:
    """In this process's memory."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute  # 0: no limit
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, username: str, now: float | None = None) -> None:
        if self.per_minute <= 0:
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(username, deque())
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            if len(hits) >= self.per_minute:
                raise RateLimited(self.per_minute, hits[0] + WINDOW_S - now)
            hits.append(now)


class SqlRateLimiter:
    """Request times in the shared database's rate_hits table; one account's count and insert run in one write
    transaction under an advisory lock, so two servers cannot both let the last allowed request through."""

    def __init__(self, per_minute: int, location: str) -> None:
        self.per_minute = per_minute
        self._engine = engine_for(location)
        migrate(self._engine, "limits")

    def hit(self, username: str, now: float | None = None) -> None:
        if self.per_minute <= 0:
            return
        now = time.time() if now is None else now
        with write_transaction(self._engine, f"rate-{username}") as conn:
            conn.execute(text("DELETE FROM rate_hits WHERE username = :u AND at <= :cut"),
                         {"u": username, "cut": now - WINDOW_S})
            n, first = conn.execute(text("SELECT count(*), min(at) FROM rate_hits WHERE username = :u"),
                                    {"u": username}).one()
            if int(n) >= self.per_minute:
                raise RateLimited(self.per_minute, float(first) + WINDOW_S - now)
            conn.execute(text("INSERT INTO rate_hits (username, at) VALUES (:u, :at)"), {"u": username, "at": now})


# One round trip, atomic in Redis: drop the hits older than the window, refuse if the window is full (with the
# oldest hit's time, for Retry-After), else add this one. The key expires a window after the last hit.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
return false
"""


class RedisRateLimiter:
    """Request times in a Redis sorted set per account (key zs:rate:<username>)."""

    def __init__(self, per_minute: int, url: str, prefix: str = "zs:rate:") -> None:
        import redis

        self.per_minute = per_minute
        self.prefix = prefix
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._script = self._redis.register_script(_SLIDING_WINDOW)
        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._where = url.split("@")[-1]

    def hit(self, username: str, now: float | None = None) -> None:
        if self.per_minute <= 0:
            return
        now = time.time() if now is None else now
        try:
            oldest = self._script(keys=[self.prefix + username],
                                  args=[now, WINDOW_S, self.per_minute, f"{now}-{uuid.uuid4().hex[:8]}"])
        except self._errors as exc:
            raise StateUnavailable(f"限流计数服务 Redis（{self._where}）暂时无法访问，请稍后重试。") from exc
        if oldest is not None:
            raise RateLimited(self.per_minute, float(oldest) + WINDOW_S - now)


def make_limiter(per_minute: int, redis_url: str | None = None, database_url: str | None = None) -> Limiter:
    """Redis when configured, else the shared PostgreSQL database when configured, else this process's memory."""
    if redis_url:
        return RedisRateLimiter(per_minute, redis_url)
    if database_url and is_postgres(database_url):
        return SqlRateLimiter(per_minute, database_url)
    return RateLimiter(per_minute)
