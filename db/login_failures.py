"""The failed-sign-in counters (login_failure), shared by every server process and kept across restarts. Read
and written outside any unit of work: the throttle is infrastructure. The policy is web/login_throttle.py."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.models import LoginFailure

T = LoginFailure.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Failures:
    count: int
    first_at: float  # the first failure of the current window
    last_at: float


def read(reader: Engine, keys: list[str]) -> dict[str, Failures]:
    with reader.connect() as c:
        rows = c.execute(select(T).where(T.c.key.in_(keys))).all()
    return {r.key: Failures(r.failures, r.first_at, r.last_at) for r in rows}


def record(writer: Engine, keys: list[str], now: float, window: float) -> None:
    """One more failure for each key, atomically (an UPDATE of the counter, not a read and a write); a key whose
    window (from its first failure) has passed starts again at one."""
    stale = T.c.first_at <= now - window
    for key in keys:
        for _ in range(3):
            try:
                with writer.begin() as c:
                    changed = c.execute(update(T).where(T.c.key == key).values(
                        failures=case((stale, 1), else_=T.c.failures + 1),
                        first_at=case((stale, now), else_=T.c.first_at),
                        last_at=now)).rowcount
                    if changed == 0:
                        c.execute(insert(T).values(key=key, failures=1, first_at=now, last_at=now))
                break
            except IntegrityError:  # another process inserted the key first: count on its row
                continue


def clear(writer: Engine, key: str) -> None:
    with writer.begin() as c:
        c.execute(delete(T).where(T.c.key == key))


def sweep(writer: Engine, before: float) -> int:
    """Forget counters whose last failure is older than `before`."""
    with writer.begin() as c:
        return c.execute(delete(T).where(T.c.last_at < before)).rowcount
