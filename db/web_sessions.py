"""The server-side session rows (web_session), read and written outside any unit of work: a session is the web
layer's infrastructure, not a record. The Litestar store over these is web/sessions.py. Keys are sha256 hex."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.models import WebSession

T = WebSession.__table__  # type: ignore[attr-defined]


def get(reader: Engine, writer: Engine, key: str, now: float) -> bytes | None:
    """The data of an unexpired session; an expired one is removed on the way."""
    with reader.connect() as c:
        row = c.execute(select(T.c.data, T.c.expires_at).where(T.c.id == key)).first()
    if row is None:
        return None
    if row.expires_at <= now:
        remove(writer, key)
        return None
    return bytes(row.data)


def put(writer: Engine, key: str, data: bytes, *, user_id: int | None, expires_at: int) -> None:
    values = dict(data=data, user_id=user_id, expires_at=expires_at)
    for _ in range(3):  # two processes writing one new session at once: the loser updates the winner's row
        try:
            with writer.begin() as c:
                if c.execute(update(T).where(T.c.id == key).values(**values)).rowcount == 0:
                    c.execute(insert(T).values(id=key, **values))
            return
        except IntegrityError:
            continue


def expires_at(reader: Engine, key: str) -> int | None:
    with reader.connect() as c:
        return c.execute(select(T.c.expires_at).where(T.c.id == key)).scalar()


def remove(writer: Engine, key: str) -> None:
    with writer.begin() as c:
        c.execute(delete(T).where(T.c.id == key))


def remove_all(writer: Engine) -> None:
    with writer.begin() as c:
        c.execute(delete(T))


def sweep(writer: Engine, now: float) -> int:
    """Remove every expired session; the number removed."""
    with writer.begin() as c:
        return c.execute(delete(T).where(T.c.expires_at <= now)).rowcount


def end_for_user(session: Session, user_id: int) -> None:
    """Inside a unit of work (db/repositories.py Users.end_sessions): ends every session of the user in the same
    transaction as the change that calls for it (a password reset, a disable)."""
    session.execute(delete(T).where(T.c.user_id == user_id))
