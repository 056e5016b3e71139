"""The registry and its territory filters, read without SQLAlchemy: also before the profile opens.

The window shows the registry as the profile holds it while SQLAlchemy loads and the profile
opens (about a third of a second on a field laptop); the full opening then reads it again
through the services and the page keeps what is already shown when nothing changed.
"""

import sqlite3
from pathlib import Path

from instancias_desktop.db.registry_read import (
    TerritoryRead,
    open_current,
    read_setting,
    read_summaries,
    read_territories,
)
from instancias_desktop.domain.priority_views import scope_text
from instancias_desktop.domain.sync_views import enrolment_setting
from instancias_desktop.domain.ubigeo import stored_prefixes, working_territories
from instancias_desktop.services.api import RegistryView, TerritoryOptions


def options_for(read: TerritoryRead, assigned: tuple[str, ...]) -> TerritoryOptions:
    """The filters' options from the catalogue read, with her own territories named."""
    return TerritoryOptions(
        departments=read.departments,
        provinces=read.provinces,
        catalogues=read.catalogues,
        assigned=assigned,
        assigned_names=scope_text(assigned, read.names),
    )


def registry_preview(database: Path, key: bytes) -> RegistryView | None:
    """The registry of a profile already at this app's schema, read-only; None otherwise."""
    connection = open_current(database, key)
    if connection is None:
        return None
    try:
        rows = tuple(read_summaries(connection))
        assigned = _assigned(connection)
        return RegistryView(options_for(read_territories(connection), assigned), rows)
    except Exception:  # sqlite3's or SQLCipher's Error: being written by another window
        return None  # the full opening reads it
    finally:
        connection.close()


def _assigned(connection: sqlite3.Connection) -> tuple[str, ...]:
    if read_setting(connection, enrolment_setting("token")) is None:
        return ()  # not enrolled (the keys of syncing/account.py)
    return working_territories(
        read_setting(connection, enrolment_setting("role")) or "",
        stored_prefixes(read_setting(connection, enrolment_setting("territories"))),
    )
