"""What a running app holds: the database, settings, the clock, the PDF store, the login throttle (its counters in
the database)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import anyio.to_thread

from db.engine import Database
from documents.store import PdfStore
from web.settings import Settings
from web.login_throttle import LoginThrottle
from workflow.accounts import hash_password
from workflow.clock import Clock

T = TypeVar("T")


@functools.cache
def _dummy_hash() -> str:
    """A hash of nobody's password, verified when a username is unknown so that both answers take as long; the
    same for every app in the process (an argon2 hash costs ~100 ms, and tests create an app per test)."""
    return hash_password("timing-equaliser")


@dataclass
class Runtime:
    database: Database
    settings: Settings
    store: PdfStore
    clock: Clock = field(default_factory=Clock)
    throttle: LoginThrottle | None = None  # over `database` and `clock` unless given
    dummy_hash: str = field(default_factory=_dummy_hash)

    def __post_init__(self) -> None:
        if self.throttle is None:
            self.throttle = LoginThrottle(self.database, self.clock)


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Blocking work (database transactions, PDF rendering) off the event loop."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))
