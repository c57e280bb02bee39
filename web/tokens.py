"""API bearer tokens (signed, expiring) and the failed-login throttle."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import defaultdict, deque

TOKEN_LIFETIME = 12 * 3600


def _sign(secret: str, payload: str) -> str:
    digest = hmac.new(("token:" + secret).encode(), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_token(secret: str, user_id: int, password_hash: str, now: float | None = None) -> str:
    """`uid.expiry.fingerprint.signature`; the fingerprint ties the token to the current password hash, so a
    password change revokes every token issued before it."""
    expires = int((now or time.time()) + TOKEN_LIFETIME)
    fingerprint = hashlib.sha256(password_hash.encode()).hexdigest()[:16]
    payload = f"{user_id}.{expires}.{fingerprint}"
    return f"{payload}.{_sign(secret, payload)}"


def read_token(secret: str, token: str, now: float | None = None) -> tuple[int, str] | None:
    """(user id, password fingerprint) of a valid, unexpired token; None otherwise."""
    parts = token.split(".")
    if len(parts) != 4:
        return None
    payload = ".".join(parts[:3])
    if not hmac.compare_digest(_sign(secret, payload), parts[3]):
        return None
    try:
        user_id, expires = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    if expires < (now or time.time()):
        return None
    return user_id, parts[2]


def fingerprint_matches(password_hash: str, fingerprint: str) -> bool:
    return hmac.compare_digest(hashlib.sha256(password_hash.encode()).hexdigest()[:16], fingerprint)


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
