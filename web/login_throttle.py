"""The failed-login throttle."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    """Slows repeated failed logins: after `limit` failures for a username (or from an address) within `window`
    seconds, further attempts are refused until the window has passed. In-process memory: one server process."""

    def __init__(self, limit: int = 5, window: float = 900.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def retry_after(self, keys: list[str], now: float | None = None) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = now or time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                q = self._prune(key, now)
                if len(q) >= self.limit:
                    waits.append(int(q[0] + self.window - now) + 1)
            return max(waits, default=0)

    def failed(self, keys: list[str], now: float | None = None) -> None:
        now = now or time.monotonic()
        with self._lock:
            for key in keys:
                self._failures[key].append(now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
