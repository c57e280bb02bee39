"""The failed-sign-in throttle (DESIGN §9.7): it slows an account down without letting a stranger lock it out.

- Per account (`user:<normalised name>`): the first FREE_FAILURES failures cost nothing; after them each further
  attempt must wait 1, 2, 4 … seconds after the last failure, at most MAX_DELAY. A refused attempt is not a
  failure (it does not lengthen the wait), so the real user signs in at most MAX_DELAY seconds after a stranger's
  last guess — never a long lock. The account's own successful sign-in clears its counter.
- Per address (`ip:<address>`): ADDRESS_LIMIT failures within WINDOW seconds, far above what an office behind one
  shared address makes; then that address waits until the window has passed. A success does not clear it.

The counters live in the database (db/login_failures.py), shared by every process and kept across restarts. Time
is the app's clock (`Runtime.clock`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from db import login_failures
from db.engine import Database
from workflow.clock import Clock

FREE_FAILURES = 5
MAX_DELAY = 60.0
ADDRESS_LIMIT = 100
WINDOW = 900.0


def account_key(username: str) -> str:
    """`username` already normalised (workflow.accounts.normalise_username); the key ignores case."""
    return ("user:" + username.casefold())[:120]  # case folding can lengthen a name; the column holds 120


def address_key(address: str) -> str:
    return ("ip:" + address)[:120]


@dataclass
class LoginThrottle:
    database: Database
    clock: Clock
    free_failures: int = FREE_FAILURES
    max_delay: float = MAX_DELAY
    address_limit: int = ADDRESS_LIMIT
    window: float = WINDOW

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def retry_after(self, username: str, address: str) -> int:
        """Whole seconds until another attempt is allowed (0: allowed now)."""
        now = self._now()
        account, ip = account_key(username), address_key(address)
        rows = login_failures.read(self.database.reader, [account, ip])
        waits = [0.0]
        if (a := rows.get(account)) and a.first_at > now - self.window and a.count >= self.free_failures:
            delay = min(self.max_delay, 2.0 ** (a.count - self.free_failures))
            waits.append(a.last_at + delay - now)
        if (i := rows.get(ip)) and i.first_at > now - self.window and i.count >= self.address_limit:
            waits.append(i.first_at + self.window - now)
        return max(0, math.ceil(max(waits)))

    def failed(self, username: str, address: str) -> None:
        now = self._now()
        login_failures.record(self.database.writer, [account_key(username), address_key(address)], now, self.window)
        if int(now) % 64 == 0:  # now and then, forget counters nobody has touched for a window
            login_failures.sweep(self.database.writer, now - self.window)

    def succeeded(self, username: str) -> None:
        """The account's own sign-in clears the account's counter; the address's stays."""
        login_failures.clear(self.database.writer, account_key(username))
