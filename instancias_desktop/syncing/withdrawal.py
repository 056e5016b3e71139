"""A laptop the administrator withdrew: remembered, its unsent work packed for the supervisor.

The server answers ``equipo_dado_de_baja`` to a withdrawn device (lost, stolen, handed back).
The profile remembers it inside its encrypted database, so the app stays locked at every
start; what the server never received (the outbox and the annex files it lacks) can be sealed
in a file for the supervisor (``sync.unsent_package``) before the data is erased.
"""

import datetime as dt
from pathlib import Path

from instancias_desktop.db.files_key import files_key
from instancias_desktop.db.repositories.sync_records import WITHDRAWN_AT
from instancias_desktop.db.uow import Database
from instancias_desktop.syncing.account import enrolment_of
from instancias_desktop.syncing.attachments import waiting_files
from instancias_desktop.syncing.store import DatabaseStore
from instancias_desktop.vault.annex_store import AnnexStore
from sync.unsent_package import UnsentPackage

_EVERYTHING = 10**9


def mark_withdrawn(database: Database) -> None:
    """Remember that the server withdrew this device (the first time it said so)."""
    with database.unit_of_work(record=False) as uow:
        if not uow.sync.value(WITHDRAWN_AT):
            uow.sync.set_value(WITHDRAWN_AT, database.clock().isoformat())
            uow.commit()


def withdrawn_at(database: Database) -> dt.datetime | None:
    """When the server withdrew this device, or None."""
    with database.reader() as uow:
        value = uow.sync.value(WITHDRAWN_AT)
    return dt.datetime.fromisoformat(value) if value else None


def unsent_package(database: Database, store: Path) -> UnsentPackage:
    """Every change the server never confirmed, and the annex files it does not hold."""
    enrolled = enrolment_of(database)
    operations = tuple(DatabaseStore(database).pending(_EVERYTHING))
    annexes = AnnexStore(store, files_key(database))
    files = {sha: annexes.content(sha) for sha, _size in waiting_files(database, store)}
    return UnsentPackage(
        username=enrolled[0].username if enrolled else "",
        device_id=enrolled[0].device_id if enrolled else None,
        exported_at=database.clock(),
        operations=operations,
        files=files,
    )
