"""Server-side sessions in the database (DESIGN §9.6: shared by every process, on any machine).

`DatabaseStore` is a Litestar `Store` over db/web_sessions.py: rows keyed by the sha256 of the session id,
expiring on the app's clock, an expired row removed when it is read and all expired rows swept now and then on
write. `SessionBackend` changes three things in Litestar's server-side backend:

- nothing is stored for a visitor whose session is empty (an anonymous page view, /health, an API call without
  a cookie writes no row and sets no cookie); an unchanged session is not written again;
- the session id the handler chose wins over the cookie's: `rotate(request)` at sign-in gives the session a new
  id and the old id's row is deleted, so a planted id never becomes a signed-in session (fixation);
- the row carries the session's user id (`uid`), so a password reset or a disable ends every session of that user
  in the same transaction (db/repositories.py Users.end_sessions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty
from litestar.utils.dataclass import extract_dataclass_items
from litestar.utils.scope.state import ScopeState

from db import web_sessions
from db.engine import Database
from web.app_state import in_thread
from workflow.clock import Clock

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection, Request
    from litestar.types import Message, ScopeSession

SWEEP_EVERY = 300  # seconds of the app's clock between sweeps of expired sessions (on a write)
_LOADED = "hazardtrack.session_loaded"  # the scope key holding the session bytes as read from the store


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class DatabaseStore(Store):
    def __init__(self, database: Database, clock: Clock):
        self.database, self.clock = database, clock
        self._next_sweep = 0.0

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _expiry(self, expires_in: int | dt.timedelta | None) -> int:
        seconds = expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else (expires_in or 12 * 3600)
        return int(self._now() + seconds)

    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        await self.set_session(key, value, expires_in, user_id=None)

    async def set_session(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None,
                          user_id: int | None) -> None:
        data = value.encode() if isinstance(value, str) else value
        now = self._now()
        await in_thread(web_sessions.put, self.database.writer, _key(key), data, user_id=user_id,
                        expires_at=self._expiry(expires_in))
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_EVERY
            await in_thread(web_sessions.sweep, self.database.writer, now)

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        return await in_thread(web_sessions.get, self.database.reader, self.database.writer, _key(key), self._now())

    async def delete(self, key: str) -> None:
        await in_thread(web_sessions.remove, self.database.writer, _key(key))

    async def delete_all(self) -> None:
        await in_thread(web_sessions.remove_all, self.database.writer)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        at = await in_thread(web_sessions.expires_at, self.database.reader, _key(key))
        return None if at is None else max(0, int(at - self._now()))


def _valid_id(value: str | None) -> str | None:
    return value if value and value != "null" and len(value) <= 128 else None


class SessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection) -> str:
        chosen = connection.get_session_id()  # set by rotate() (or by the middleware on the way in)
        return chosen or _valid_id(connection.cookies.get(self.config.key)) or self.generate_session_id()

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if session_id := _valid_id(connection.cookies.get(self.config.key)):
            data = await self.get(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
            if data is not None:
                connection.scope[_LOADED] = data  # type: ignore[literal-required]
                return self.deserialize_data(data)
        return {}

    async def store_in_message(self, scope_session: ScopeSession, message: Message,
                               connection: ASGIConnection) -> None:
        scope = connection.scope
        store = self.config.get_store_from_app(scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        cookie_id = _valid_id(connection.cookies.get(self.config.key))
        cookie_params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        if scope_session is Empty or not scope_session:
            if cookie_id:  # signed out, or a cookie naming no live session: forget it, write nothing
                await self.delete(cookie_id, store=store)
                headers.add("Set-Cookie",
                            Cookie(value="null", key=self.config.key, expires=0, **cookie_params).to_header(header=""))
            return
        session_id = self.get_session_id(connection)
        data = self.serialize_data(scope_session, scope)
        if session_id == cookie_id and scope.get(_LOADED) == data:  # type: ignore[call-overload]
            return  # unchanged: no write
        if cookie_id and cookie_id != session_id:
            await self.delete(cookie_id, store=store)  # the id before sign-in dies with it
        uid = scope_session.get("uid") if isinstance(scope_session, dict) else None
        expires_in = int(self.config.max_age)
        if isinstance(store, DatabaseStore):
            await store.set_session(session_id, data, expires_in, user_id=uid if isinstance(uid, int) else None)
        else:
            await store.set(session_id, data, expires_in=expires_in)
        headers.add("Set-Cookie", Cookie(value=session_id, key=self.config.key, **cookie_params).to_header(header=""))


class SessionConfig(ServerSideSessionConfig):
    _backend_class = SessionBackend  # type: ignore[assignment]


def rotate(request: Request) -> str:
    """Give the request's session a fresh id (sign-in): the response stores the session under it and deletes the
    row of the id the visitor came with. Returns the new id."""
    new_id = secrets.token_hex(32)
    ScopeState.from_scope(request.scope).session_id = new_id
    return new_id
