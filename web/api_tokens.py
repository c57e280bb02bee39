"""API bearer tokens: signed, expiring, revoked by a password change."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

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
