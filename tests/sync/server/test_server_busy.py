"""A server too busy to take the database lock answers 503 with Retry-After, and nothing is done."""

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from helpers.server_db import PASSWORD, op

from sync.protocol import ErrorBody, PushRequest
from sync.server import auth
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.server.store import Record
from sync.server.throttle import LoginLimiter

T0 = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)


@pytest.fixture
def quick(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """A real server on SQLite that waits at most 0.3 s for the write lock, and a user's token."""
    database = tmp_path / "server.sqlite3"
    engine = create_server_engine(f"sqlite:///{database}", busy_seconds=0.3)
    migrate(engine)
    factory = session_factory(engine)
    with factory.begin() as session:
        auth.create_user(session, "ana", "especialista", PASSWORD, T0)
        assign_territories(session, "ana", ["0801"])
    server = LocalServer(create_app(factory, limiter=LoginLimiter()))
    base = server.start()
    login = {"protocol": 2, "username": "ana", "password": PASSWORD, "device_name": "laptop"}
    token = requests.post(f"{base}/v1/login", json=login, timeout=10).json()["token"]
    try:
        yield base, database, token
    finally:
        server.stop()
        engine.dispose()


def test_a_push_that_cannot_get_the_write_lock_is_answered_busy_and_stores_nothing(
    quick: tuple[str, Path, str],
) -> None:
    base, database, token = quick
    operation = op("instancia", scope="080108")
    body = PushRequest(operations=(operation,)).model_dump(mode="json")
    holder = sqlite3.connect(database, timeout=5, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for longer than 0.3 s
    try:
        response = requests.post(
            f"{base}/v1/push", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    refusal = ErrorBody.model_validate(response.json())
    assert refusal.error == "ocupado"
    assert refusal.message.startswith("El servidor está atendiendo a muchos equipos a la vez")
    engine = create_server_engine(f"sqlite:///{database}")
    with session_factory(engine).begin() as session:
        assert session.query(Record).count() == 0
    engine.dispose()
    again = requests.post(  # repeated once the lock is free: applied
        f"{base}/v1/push", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert again.status_code == 200
    assert again.json()["receipts"][0]["outcome"] == "applied"
