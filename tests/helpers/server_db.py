"""Helpers shared by the server tests: operations, users, pushes, a live uvicorn server."""

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from helpers.records import instancia_of, operation
from sync.protocol import (
    ChangePage,
    ErrorBody,
    Operation,
    Outcome,
    PullRequest,
    PushRequest,
    Receipt,
    RecordState,
)
from sync.server import auth, service
from sync.server.access import Caller, assign_territories, load_caller
from sync.server.db import (
    begin_writing,
    create_server_engine,
    migrate,
    serialize_changes,
    session_factory,
)
from sync.server.store import Base

T0 = dt.datetime(2025, 3, 1, 15, 0, tzinfo=dt.UTC)


@contextmanager
def writing(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that holds SQLite's write lock from its start, as the server's writes do.

    A live server writes its audit trail from its own thread: a test's transaction that reads
    and then writes would otherwise fail at once when that thread committed in between.
    """
    with sessions.begin() as session:
        begin_writing(session)
        yield session


PASSWORD = "clave-segura-1"


@dataclass
class ServerDb:
    """A migrated, empty server database."""

    engine: Engine
    factory: sessionmaker[Session]
    url: str
    # Writes the audit entries the live server still holds (reads and refusals are batched).
    flush_audit: Callable[[], object] = lambda: None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def add_user(
        self, name: str, role: str = "especialista", territories: Iterable[str] = ()
    ) -> Caller:
        with self.factory.begin() as session:
            auth.create_user(session, name, role, PASSWORD, T0)
            assign_territories(session, name, territories)
            return load_caller(session, name)

    def push(
        self, caller: Caller, *operations: Operation, now: dt.datetime = T0
    ) -> tuple[Receipt, ...]:
        with self.factory.begin() as session:
            serialize_changes(session)  # as the HTTP app: a live server may be writing too
            return service.push(session, caller, PushRequest(operations=operations), now).receipts

    def pull(
        self, caller: Caller, cursor: int = 0, limit: int = 1000, kinds: tuple[str, ...] = ()
    ) -> ChangePage:
        with self.factory.begin() as session:
            return service.pull(
                session, caller, PullRequest(cursor=cursor, limit=limit, kinds=kinds)
            )

    def state(self, caller: Caller, record_id: uuid.UUID) -> RecordState | None:
        found = [r for r in self.pull(caller).records if r.record_id == record_id]
        return found[0] if found else None

    def instancia(self, caller: Caller, scope: str = "150101") -> uuid.UUID:
        """Make sure the instancia of the territory's government unit is on the server."""
        (receipt,) = self.push(caller, operation("instancia", scope=scope))
        assert receipt.outcome in {Outcome.APPLIED, Outcome.MERGED}, receipt
        return instancia_of(scope)

    def count(self, model: type[Base]) -> int:
        with self.factory.begin() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


op = operation  # valid operations of every kind (tests/helpers/records.py)


def named(server_db: ServerDb, username: str, sha: str, size: int, scope: str = "150101") -> None:
    """The annex that names the file, pushed by its author (files travel after records)."""
    with server_db.factory.begin() as session:
        caller = load_caller(session, username)
    server_db.instancia(caller, scope)
    visit = op("visit", scope=scope)
    annex = op(
        "attachment", scope=scope, parent=visit.record_id,
        fields={"sha256": sha, "size_bytes": size},
    )  # fmt: skip
    receipts = server_db.push(caller, visit, annex)
    assert [r.outcome for r in receipts] == [Outcome.APPLIED] * 2, receipts


def refused(response: requests.Response, status: int, error: str) -> str:
    """The response is exactly an ErrorBody with that status and code; answer the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message"}
    ErrorBody.model_validate(body)
    assert body["error"] == error
    assert body["message"]
    return str(body["message"])


def login(
    base: str, username: str = "ana", password: str = PASSWORD, **extra: object
) -> requests.Response:
    body = {"protocol": 2, "username": username, "password": password, "device_name": "Laptop"}
    body.update(extra)
    return requests.post(f"{base}/v1/login", json=body, timeout=10)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


PG_ENV = "INSTANCIAS_TEST_PG_URL"


def server_database(dialect: str, folder: Path, busy_seconds: float = 30) -> Iterator[ServerDb]:
    """A migrated, empty server database on SQLite (in ``folder``; ``busy_seconds``: its wait
    for the write lock) or in a scratch schema of the PostgreSQL that INSTANCIAS_TEST_PG_URL
    names (tests/run starts a throwaway one)."""
    if dialect == "sqlite":
        yield from _opened(f"sqlite:///{folder / 'server.sqlite3'}", busy_seconds)
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


def _opened(url: str, busy_seconds: float = 30) -> Iterator[ServerDb]:
    engine = create_server_engine(url, busy_seconds=busy_seconds)
    try:
        migrate(engine)
        yield ServerDb(engine=engine, factory=session_factory(engine), url=url)
    finally:
        engine.dispose()


@contextmanager
def specialist_server(folder: Path, password: str, territories: Iterable[str] = ("08",)
                      ) -> Iterator[sessionmaker[Session]]:  # fmt: skip
    """A migrated server database (SQLite in ``folder``) with «ana», a specialist."""
    engine = create_server_engine(f"sqlite:///{folder / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        auth.create_user(session, "ana", "especialista", password, dt.datetime.now(dt.UTC))
        assign_territories(session, "ana", list(territories))
    try:
        yield sessions
    finally:
        engine.dispose()
