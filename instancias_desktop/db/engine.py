"""The one engine factory for the local database: WAL, foreign keys, durable commits."""

import sqlite3
import time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session

# Execution option read when a transaction begins: "IMMEDIATE" for units of work that write.
BEGIN_MODE = "sqlite_begin"


def local_url(path: Path, key: str | None = None) -> URL:
    """The URL of the local file (any characters in the path); with a key, the SQLCipher dialect."""
    if key is None:
        return URL.create("sqlite", database=str(path))
    return URL.create("sqlite+pysqlcipher", password=key, database=str(path))


def create_local_engine(path: Path, key: str | None = None) -> Engine:
    """Open (or create) the profile's database with the pragmas every connection needs."""
    engine = create_engine(local_url(path, key), connect_args={"timeout": 30})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        _ensure_wal(cursor)
        # FULL: a committed draft survives a power cut, at a small cost per commit.
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL once (the mode is stored in the file).

    Two processes creating a profile at the same moment race for it, and SQLite answers
    'locked' without waiting on its busy handler: retry for a while.
    """
    for _attempt in range(100):
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception as error:  # the driver's OperationalError (sqlite3 or sqlcipher3)
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise RuntimeError("could not switch the database to WAL mode: it stays locked")


def _on_begin(connection: Any) -> None:
    # A deferred transaction that read before another one committed cannot write later
    # (SQLITE_BUSY_SNAPSHOT, no wait); writers therefore take the lock up front and queue.
    mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def driver_connection(session: Session) -> sqlite3.Connection:
    """The DB-API connection under a session, in its transaction, with its changes flushed.

    For the few reads written in plain SQL (db/registry_read.py) so that start-up can run
    them before SQLAlchemy is loaded; the SQLCipher driver offers the same interface.
    """
    session.flush()  # what the ORM would do before a query: the read sees the unit's writes
    connection: Any = session.connection().connection.driver_connection
    return cast(sqlite3.Connection, connection)
