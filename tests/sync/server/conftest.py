"""Fixtures of the server tests: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL needs INSTANCIAS_TEST_PG_URL naming a scratch database: tests/run starts a throwaway
one and sets it. Each test gets its own schema, dropped afterwards, so tests never see each
other's rows.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.server_db import ServerDb, login
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.server.throttle import LoginLimiter

PG_ENV = "INSTANCIAS_TEST_PG_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerDb]:
    """A migrated, empty server database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        yield from _opened(url)
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.fail(
            f"{PG_ENV} is not set: run tests/run, which starts a throwaway PostgreSQL, "
            "or point it at a scratch database (or select -k sqlite)."
        )
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(base)
        .set(drivername="postgresql+psycopg")
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield from _opened(url)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _opened(url: str) -> Iterator[ServerDb]:
    engine = create_server_engine(url)
    try:
        migrate(engine)
        yield ServerDb(engine=engine, factory=session_factory(engine), url=url)
    finally:
        engine.dispose()


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
