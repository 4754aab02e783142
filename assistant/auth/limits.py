"""Per-account request budget for the expensive routes (questions and searches): a sliding one-minute window
in memory. One `assistant serve` process holds one limiter; it resets when the server restarts."""

from __future__ import annotations

import threading
import time
from collections import deque

from assistant.errors import AssistantError

WINDOW_S = 60.0


class RateLimited(AssistantError):
    def __init__(self, per_minute: int, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"提问过于频繁：每个账号每分钟最多 {per_minute} 次提问或检索，请约 {max(1, round(retry_after_s))} 秒后再试。"
                         "需要批量处理请联系管理员调高 ASSISTANT_RATE_LIMIT_PER_MINUTE。")


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
