"""The one engine factory for the local database: WAL, foreign keys, durable commits."""

import sqlite3
import time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from instancias_desktop.db.cipher import apply_key, cipher_module

# Execution option read when a transaction begins: "IMMEDIATE" for units of work that write.
BEGIN_MODE = "sqlite_begin"
CIPHER_CACHE_KIB = 32 * 1024  # SQLite's page cache per encrypted connection, at most


def local_url(path: Path) -> URL:
    """The URL of the local file (any characters in the path)."""
    return URL.create("sqlite", database=str(path))


def create_local_engine(path: Path, key: bytes | None) -> Engine:
    """Open (or create) the profile's database with the pragmas every connection needs.

    With a key (the profile's, 32 bytes) the file is encrypted by SQLCipher: the same SQLite,
    through ``sqlcipher3``, every page encrypted and authenticated. None: a plain file (only
    an old profile read once to encrypt it, or a test that looks at SQLite itself).
    """
    # hide_parameters: an error (written to logs/app.log, in plain) never shows the values.
    options: dict[str, Any] = {"connect_args": {"timeout": 30}, "hide_parameters": True}
    if key is not None:
        options["module"] = cipher_module()
    engine = create_engine(local_url(path), **options)
    event.listen(engine, "connect", lambda connection, _record: _on_connect(connection, key))
    event.listen(engine, "begin", _on_begin)
    return engine


class KeyRefusedError(RuntimeError):
    """The file is not a database this key opens (another key, or damaged)."""


def check_key(engine: Engine) -> None:
    """Read the schema once: SQLCipher decrypts the first page only with the right key."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except DBAPIError as error:
        raise KeyRefusedError(str(error)) from error


def _on_connect(dbapi_connection: Any, key: bytes | None) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _on_begin).
    dbapi_connection.isolation_level = None
    if key is not None:
        apply_key(dbapi_connection, key)
        # Pages are decrypted when SQLite's own cache misses them (a plain file leans on the
        # system's cache instead): room for a 20,000-visit list keeps warm reads as fast as
        # plain ones (visits list 264 → 219 ms). The cache grows only as pages are read.
        dbapi_connection.execute(f"PRAGMA cache_size = -{CIPHER_CACHE_KIB}")
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
