"""One unit of work per user action: one session, one transaction, stamped by its actor."""

import datetime as dt
from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.repositories.catalogue import CatalogueRepository
from instancias_desktop.db.repositories.fieldwork import FieldworkRepository
from instancias_desktop.db.repositories.registry import RegistryRepository

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UnitOfWork:
    """Opens a transaction on enter; changes land only on ``commit()``, else they roll back."""

    catalogue: CatalogueRepository
    registry: RegistryRepository
    fieldwork: FieldworkRepository

    def __init__(self, sessions: sessionmaker[Session], actor: str, clock: Clock) -> None:
        self._sessions = sessions
        self.actor = actor
        self.clock = clock

    def __enter__(self) -> Self:
        self.session = self._sessions(info={"actor": self.actor, "clock": self.clock})
        self.catalogue = CatalogueRepository(self.session)
        self.registry = RegistryRepository(self.session)
        self.fieldwork = FieldworkRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        """Make every change of this action durable at once."""
        self.session.commit()


class Database:
    """The opened local database: hands out units of work for one actor."""

    def __init__(self, engine: Engine, actor: str, clock: Clock = _utc_now) -> None:
        self.engine = engine
        self.actor = actor
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _stamp_syncable_rows)

    def unit_of_work(self, actor: str | None = None) -> UnitOfWork:
        """A new unit of work, stamped by ``actor`` (default: this device's user)."""
        return UnitOfWork(self._sessions, actor or self.actor, self.clock)

    def dispose(self) -> None:
        """Close every pooled connection (the WAL is checkpointed by SQLite on last close)."""
        self.engine.dispose()


def _stamp_syncable_rows(session: Session, _context: object, _instances: object) -> None:
    """Who and when on every new row; a new version on every changed row."""
    now = session.info["clock"]()
    actor = session.info["actor"]
    for row in session.new:
        if isinstance(row, Syncable):
            row.created_at = row.created_at or now
            row.updated_at = now
            row.author = row.author or actor
            row.version = row.version or 1
            row.deleted = bool(row.deleted)
    for row in session.dirty:
        if isinstance(row, Syncable) and session.is_modified(row, include_collections=False):
            row.updated_at = now
            row.version = (row.version or 0) + 1
