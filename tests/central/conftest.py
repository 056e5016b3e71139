"""Fixtures of the dashboard tests: the central server with its dashboard, on SQLite and on
PostgreSQL, seeded with a small known country."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.panel import Panel, seed
from helpers.server_db import server_database

from central.app import create_central_app
from sync.server.db import session_factory
from sync.server.local import LocalServer
from sync.server.throttle import LoginLimiter


@pytest.fixture(params=["sqlite", "postgresql"])
def panel(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Panel]:
    """A seeded central server on a free port of 127.0.0.1 (real HTTP)."""
    for server_db in server_database(request.param, tmp_path):
        seeded = seed(server_db)
        app = create_central_app(session_factory(server_db.engine), limiter=LoginLimiter())
        server = LocalServer(app)
        base = server.start()
        try:
            yield Panel(base, server_db, seeded)
        finally:
            server.stop()
