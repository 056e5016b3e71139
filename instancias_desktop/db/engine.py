"""The one engine factory for the local database: WAL, foreign keys, durable commits."""

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event


def local_url(path: Path, key: str | None = None) -> str:
    """The URL of the local file; with a key it names the SQLCipher dialect (sqlcipher3 wheels)."""
    if key is None:
        return f"sqlite:///{path}"
    return f"sqlite+pysqlcipher://:{quote(key, safe='')}@/{path}"


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
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed draft survives a power cut, at a small cost per commit.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 30000")
    finally:
        cursor.close()


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
