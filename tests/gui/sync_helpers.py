"""The central server for GUI sync tests: a database with the specialist of every department."""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from sync.server import auth
from sync.server.access import Caller, Role, assign_territories
from sync.server.db import create_server_engine, migrate, session_factory
from sync.transport_memory import MemoryTransport

USER, PASSWORD = "especialista.prueba", "clave-de-prueba-2026"
EVERY_DEPARTMENT = tuple(f"{n:02d}" for n in range(1, 26))


@contextmanager
def central_database(folder: Path) -> Iterator[sessionmaker[Session]]:
    """A migrated server database (SQLite in ``folder``) with the specialist, disposed after."""
    engine = create_server_engine(f"sqlite:///{folder / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        auth.create_user(session, USER, "especialista", PASSWORD, dt.datetime.now(dt.UTC))
        assign_territories(session, USER, list(EVERY_DEPARTMENT))
    try:
        yield sessions
    finally:
        engine.dispose()


def as_device(sessions: sessionmaker[Session]) -> Any:
    """A laptop's link to the server in-process, as a device of the specialist."""
    caller = Caller(USER, Role.ESPECIALISTA, territories=EVERY_DEPARTMENT, device_id=uuid.uuid4())
    return lambda *_: MemoryTransport(sessions, caller)


def enrolled(database: Database) -> None:
    """The laptop as if signed in (its syncs go through ``as_device``)."""
    with database.unit_of_work(record=False) as uow:
        for key, value in {
            "server_url": "https://central.example", "username": USER,
            "device_id": str(uuid.uuid4()), "device_name": "Laptop", "token": "t",
            "enrolled_at": "2026-03-10T15:00:00+00:00",
        }.items():  # fmt: skip
            uow.sync.set_value(f"enrolment.{key}", value)
        uow.commit()
