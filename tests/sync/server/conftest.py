"""Fixtures of the server tests: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL needs INSTANCIAS_TEST_PG_URL naming a scratch database: tests/run starts a throwaway
one and sets it. Each test gets its own schema, dropped afterwards, so tests never see each
other's rows.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.server_db import ServerDb, login, server_database

from sync.server.app import create_app
from sync.server.db import session_factory
from sync.server.local import LocalServer
from sync.server.throttle import LoginLimiter


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerDb]:
    """A migrated, empty server database."""
    yield from server_database(request.param, tmp_path)


@pytest.fixture
def live(server_db: ServerDb) -> Iterator[str]:
    """The base URL of the real server over ``server_db``."""
    app = create_app(session_factory(server_db.engine), limiter=LoginLimiter())
    server_db.flush_audit = app.state.audit_trail.flush
    server = LocalServer(app)
    base = server.start()
    try:
        yield base
    finally:
        server.stop()


@pytest.fixture
def token(server_db: ServerDb, live: str) -> str:
    server_db.add_user("ana", territories=["1501"])
    answer = login(live)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])
