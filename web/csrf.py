"""CSRF protection bound to the session.

Litestar's CSRFMiddleware is a double-submit cookie signed with the app's secret only: a token taken from any
visitor's cookie passes for every other visitor. Here the token's signature also covers the visitor's session id
(the session cookie), so a token is valid only with the session it was issued for; a GET whose cookie was issued
for another session (or before sign-in rotated the id) is given a fresh one. The form field, header and cookie
names are Litestar's (`_csrf_token`, `x-csrftoken`, `csrftoken`), so templates use `csrf_input` as before.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from secrets import compare_digest
from typing import TYPE_CHECKING, Any

from litestar.datastructures.cookie import Cookie
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.middleware._utils import should_bypass_middleware
from litestar.utils.scope.state import ScopeState

if TYPE_CHECKING:
    from litestar.config.csrf import CSRFConfig
    from litestar.types import Receive, Scope, Send

NONCE_LENGTH = 64  # hex characters


def _signature(secret: str, nonce: str, session_id: str) -> str:
    return hmac.new(("csrf:" + secret).encode(), f"{nonce}|{session_id}".encode(), hashlib.sha256).hexdigest()


def issue(secret: str, session_id: str) -> str:
    nonce = secrets.token_hex(NONCE_LENGTH // 2)
    return nonce + _signature(secret, nonce, session_id)


def nonce_of(secret: str, token: str | None, session_id: str) -> str | None:
    """The token's nonce if it was issued for `session_id`, else None."""
    if not token or len(token) != NONCE_LENGTH + 64:
        return None
    nonce = token[:NONCE_LENGTH]
    return nonce if compare_digest(token[NONCE_LENGTH:], _signature(secret, nonce, session_id)) else None


def cookie(config: CSRFConfig, token: str) -> Cookie:
    return Cookie(key=config.cookie_name, value=token, path=config.cookie_path, secure=config.cookie_secure,
                  httponly=config.cookie_httponly, samesite=config.cookie_samesite, domain=config.cookie_domain)


class SessionCSRFMiddleware(CSRFMiddleware):
    """Added to the app's middleware after the session middleware, with `session_cookie` the session cookie's name
    (the app itself is given no `csrf_config`, so Litestar adds no middleware of its own)."""

    def __init__(self, app: Any, config: CSRFConfig, session_cookie: str) -> None:
        super().__init__(app, config)
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
                scope=scope, scopes=self.scopes, exclude_opt_key=self.config.exclude_from_csrf_key,
                exclude_path_pattern=self.exclude):
            await self.app(scope, receive, send)
            return
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        # Bound to the session id only while it names a live session (the session middleware, outside this one,
        # has loaded it): a stale or planted cookie is no session, and its id is dropped by this very response.
        session_id = (request.cookies.get(self.session_cookie) or "") if scope.get("session") else ""
        secret = self.config.secret
        csrf_cookie = request.cookies.get(self.config.cookie_name)
        cookie_nonce = nonce_of(secret, csrf_cookie, session_id)
        state = ScopeState.from_scope(scope)
        if request.method in self.config.safe_methods:
            if cookie_nonce is not None:
                state.csrf_token = csrf_cookie
                await self.app(scope, receive, send)
                return
            token = state.csrf_token = issue(secret, session_id)
            await self.app(scope, receive, self.create_send_wrapper(send=send, csrf_cookie=None, token=token))
            return
        submitted = request.headers.get(self.config.header_name)
        content_type, _ = request.content_type
        if not submitted and content_type in {RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}:
            submitted = (await request.form()).get("_csrf_token", None)
        submitted_nonce = nonce_of(secret, submitted if isinstance(submitted, str) else None, session_id)
        if cookie_nonce is None or submitted_nonce is None or not compare_digest(cookie_nonce, submitted_nonce):
            raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = submitted
        await self.app(scope, receive, send)
