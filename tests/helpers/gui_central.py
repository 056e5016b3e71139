"""The central server for GUI sync tests: a database with the specialist of every department."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from sync.server import auth
from sync.server.access import assign_territories
from sync.server.db import create_server_engine, migrate, session_factory

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
