"""Engine, sessions, write serialization and migrations of the server database."""

import logging
import time
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.store import store_json

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0011_outbox_waiting"  # a test keeps it equal to Alembic's head
BEGIN_MODE = "sqlite_begin"  # execution option read when an SQLite transaction begins
# Every push (and every migration) holds this transaction-level lock on PostgreSQL, so the
# order of ``seq`` equals the order of commits: a puller never misses a late commit.
WRITE_LOCK_KEY = 0x1A57_5E9C
MIGRATION_LOCK_KEY = 0x1A57_5E9D
_WRITING = "sync_server_writing"  # session.info key: the transaction that holds the write lock


def loggable(error: BaseException) -> str:
    """What the log may say about an error, with its traceback.

    A database error's message and DETAIL quote row values (names, documents), so only its
    class, SQLSTATE and statement are kept.
    """
    frames = "".join(traceback.format_tb(error.__traceback__))
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "sqlstate", None) or "?"
        headline = f"{type(error.orig).__name__} (SQLSTATE {code}) in: {error.statement}"
    else:
        headline = f"{type(error).__name__}: {error}"
    return f"{headline}\n{frames}"


class SchemaRefusedError(RuntimeError):
    """The database cannot be served by this version of the server; nothing was changed."""


def create_server_engine(url: str, *, busy_seconds: float = 30) -> Engine:
    """An engine for ``sqlite:///file`` (WAL, foreign keys) or ``postgresql+psycopg://…``.

    ``busy_seconds``: how long a request waits for SQLite's write lock before it is answered
    503 (busy, repeat later) instead.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            connect_args={"timeout": busy_seconds},
            json_serializer=store_json,
            hide_parameters=True,  # errors never print the values: personal data
        )
        event.listen(
            engine,
            "connect",
            lambda connection, record: _on_sqlite_connect(connection, record, busy_seconds),
        )
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # As many connections as request threads (40): a waiting push never starves a pull of
        # its connection; a request that still cannot get one in time is answered 503.
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=30,
            json_serializer=store_json,
            hide_parameters=True,  # errors never print the values: personal data
        )
    raise ValueError(f"unsupported database: {parsed.get_backend_name()}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The factory every request (or in-process caller) opens its one transaction with."""
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


def begin_writing(session: Session) -> None:
    """On SQLite, begin this transaction IMMEDIATE (the write lock, waiting on the busy timeout).

    Call it before anything else in a transaction that will write: a deferred transaction
    that read first fails, without waiting, when another writer committed meanwhile.
    Without effect on PostgreSQL; idempotent within a transaction; SQLAlchemy warns when the
    transaction already touched the database without it (the mode can no longer change).
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_WRITING) is transaction:
        return  # already holding the write lock in this transaction
    session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
    session.info[_WRITING] = session.get_transaction()


def serialize_changes(session: Session) -> None:
    """Serialize this transaction with every other one that assigns ``seq``.

    SQLite: the write lock (``begin_writing``). PostgreSQL: a transaction-level advisory
    lock, so ``seq`` order equals commit order and a puller never misses a late commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
    else:
        begin_writing(session)


def _on_sqlite_connect(dbapi_connection: Any, _record: object, busy_seconds: float) -> None:
    # SQLAlchemy, not the driver, decides where transactions begin (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _ensure_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL once; retry while another process holds it locked."""
    for _attempt in range(100):
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] in {"wal", "memory"}:
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception as error:  # sqlite3.OperationalError
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise RuntimeError("could not switch the database to WAL mode: it stays locked")


def _on_sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def database_state(engine: Engine) -> dict[str, Any]:
    """What ``/health`` says of the database: reachable, which one, and at which revision.

    ``ok`` only when it answers and holds this server's schema revision; never raises.
    """
    state: dict[str, Any] = {"dialect": engine.dialect.name, "expected": HEAD_REVISION}
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as error:
        return {**state, "ok": False, "reachable": False, "error": type(error).__name__}
    return {**state, "ok": revision == HEAD_REVISION, "reachable": True, "revision": revision}


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, or None when it has no server tables."""
    with engine.connect() as connection:
        return _revision(connection)


def _revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> str | None:
    """Bring the database to the head revision; answer the revision it had before.

    Refuses (``SchemaRefusedError``) a database of a newer server. Several servers starting
    at once migrate it once: the migration runs under the write lock.
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return revision
    from alembic import command  # noqa: PLC0415  (only when there is work to do)
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if revision is not None and revision not in known:
        raise SchemaRefusedError(
            f"La base de datos usa el esquema «{revision}», más reciente que este servidor. "
            "Actualice el servidor; no se modificó nada."
        )
    with engine.connect() as plain:
        connection = plain.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, HEAD_REVISION)
    log.info("server database migrated from %s to %s", revision, HEAD_REVISION)
    return revision
