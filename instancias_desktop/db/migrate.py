"""Bring a profile's database to the current schema: refuse newer ones, back up before migrating."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from instancias_desktop.db.engine import BEGIN_MODE
from instancias_desktop.db.revision import HEAD_REVISION
from instancias_desktop.i18n import _

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseRefusedError(RuntimeError):
    """The database cannot be opened by this version of the app; nothing was changed."""


@dataclass(frozen=True)
class MigrationReport:
    """What happened to the database on opening."""

    from_revision: str | None
    to_revision: str
    backup: Path | None


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, or None for an empty file."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseRefusedError(
                    _(
                        "El archivo {path} no es una base de datos de esta aplicación "
                        "(tiene tablas pero ninguna versión de esquema). No se modificó."
                    ).format(path=engine.url.database)
                )
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_database(
    engine: Engine,
    backups: Path,
    migrations: Path = MIGRATIONS_DIR,
    head: str = HEAD_REVISION,
    announce: Callable[[str], None] = lambda _step: None,
) -> MigrationReport:
    """Migrate to ``head``; copy the file first when it already holds a schema.

    ``announce`` hears, in Spanish, what takes time (a copy and an update may take seconds).
    """
    revision = current_revision(engine)
    if revision == head:
        return MigrationReport(revision, revision, None)
    if revision is not None:
        announce(
            _(
                "Actualizando la base de datos a esta versión de la aplicación (primero se "
                "guarda una copia de seguridad); puede tardar unos segundos…"
            )
        )
    # Imported only when there is work to do: Alembic adds about 0.1 s to every start-up.
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(migrations))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if revision is not None and revision not in known:
        raise DatabaseRefusedError(
            _(
                "La base de datos usa el esquema «{revision}», más reciente que esta versión "
                "de la aplicación. Actualice la aplicación para abrirla; no se modificó nada."
            ).format(revision=revision)
        )
    backup = _backup(engine, backups, revision) if revision is not None else None
    with engine.connect() as plain:
        # Batch migrations rebuild tables that others reference; SQLite only lets foreign keys
        # be switched off outside a transaction, so around it, and checked before commit.
        _outside_transaction(plain, "PRAGMA foreign_keys = OFF")
        try:
            # The write lock first; Alembic then reads the revision inside the transaction, so
            # two processes opening a new profile at the same moment migrate it once.
            connection = plain.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, head)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise DatabaseRefusedError(
                        _("La migración dejaría referencias rotas ({n}); no se aplicó.").format(
                            n=len(broken)
                        )
                    )
        finally:
            _outside_transaction(plain, "PRAGMA foreign_keys = ON")
    log.info("database migrated from %s to %s (backup: %s)", revision, head, backup)
    return MigrationReport(revision, head, backup)


def _backup(engine: Engine, backups: Path, revision: str) -> Path:
    """A consistent, compact copy made by SQLite itself (works with WAL and with any driver)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"instancias-antes-de-migrar-{revision}-{stamp}.sqlite3"
    with engine.connect() as connection:
        _outside_transaction(connection, "VACUUM INTO ?", (str(target),))
    return target


def _outside_transaction(
    connection: Connection, sql: str, parameters: tuple[str, ...] = ()
) -> None:
    """Run on the driver connection, which autocommits: SQLAlchemy would open a transaction."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, parameters)
    finally:
        cursor.close()
