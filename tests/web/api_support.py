"""Test support for the HTTP layer: an app over a populated test database, and signed-in API clients."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import Session

from workflow.accounts import verify_password
from db.models import User
from tests.conftest import MovableClock, World
from web.app import create_app
from web.settings import Settings
from workflow.clock import Clock

PASSWORD = "correct-horse-battery"


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One argon2id hash of PASSWORD shared by every test user, with argon2's cheapest parameters: a sign-in runs
    the real verification (the parameters travel in the hash) in well under a millisecond instead of ~150 ms.
    The production parameters are exercised where users are made for real (`hazardtrack create-user`, the admin
    pages)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    hashed = cheap.hash(PASSWORD)
    assert verify_password(hashed, PASSWORD) and not verify_password(hashed, PASSWORD + "x")
    return hashed


def make_app(world: World, data_dir: Path, clock: Clock | None = None):
    """The app over `world`'s database, on a pinned clock: `clock` (e.g. the `clock` fixture, which a test may
    move) or one pinned at NOW. Never the machine's clock, so no test depends on the day it runs."""
    with Session(world.db.writer) as s:
        s.execute(update(User).values(password_hash=password_hash()))
        s.commit()
    settings = Settings(secret_key="test-secret-key-0123456789abcdef", data_dir=data_dir, secure_cookies=False)
    return create_app(database=world.db, settings=settings, clock=clock or MovableClock())


class Api:
    """A TestClient wrapper that signs in through POST /api/v1/auth/token and sends the bearer token."""

    def __init__(self, client: TestClient):
        self.client = client
        self.tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = self.client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["token"]
        return self.tokens[username]

    def _headers(self, user: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"} if user else {}

    def get(self, path: str, user: str | None = None, **kw):
        return self.client.get(path, headers=self._headers(user), **kw)

    def post(self, path: str, user: str | None = None, **kw):
        return self.client.post(path, headers=self._headers(user), **kw)

    def patch(self, path: str, user: str | None = None, **kw):
        return self.client.patch(path, headers=self._headers(user), **kw)
