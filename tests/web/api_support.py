"""Test support for the HTTP layer: an app over a populated test database, and signed-in API clients."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import Session

from workflow.accounts import hash_password
from db.models import User
from tests.conftest import World
from web.app import create_app
from web.settings import Settings

PASSWORD = "correct-horse-battery"


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)  # one argon2 hash (~170 ms) shared by every test user


def make_app(world: World, data_dir: Path):
    with Session(world.db.writer) as s:
        s.execute(update(User).values(password_hash=password_hash()))
        s.commit()
    settings = Settings(secret_key="test-secret-key-0123456789abcdef", data_dir=data_dir, secure_cookies=False)
    return create_app(database=world.db, settings=settings)


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
