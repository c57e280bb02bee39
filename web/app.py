"""The Litestar application factory."""

from __future__ import annotations

from litestar import Litestar, get

from db.engine import Database, open_database


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(database: Database | None = None) -> Litestar:
    database = database or open_database()
    app = Litestar(route_handlers=[health])
    app.state.database = database
    return app
