"""Per-account request budget for the expensive routes (questions and searches): a sliding one-minute window
in memory. One `assistant serve` process holds one limiter; it resets when the server restarts."""

from __future__ import annotations

import threading
import time
from collections import deque

from assistant.errors import RateLimited

WINDOW_S = 60.0
__all__ = ["RateLimited", "RateLimiter"]


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute  # 0: no limit
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, username: str, now: float | None = None) -> None:
        """Count one request for `username`; RateLimited when the last minute already holds per_minute."""
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
