"""One unit of work per user action: one session, one transaction, stamped by its actor."""

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.engine import BEGIN_MODE
from instancias_desktop.db.outbox import RECORDING, capture_flush, write_outbox
from instancias_desktop.db.repositories.audit import AuditRepository
from instancias_desktop.db.repositories.catalogue import CatalogueRepository
from instancias_desktop.db.repositories.checklists import ChecklistRepository
from instancias_desktop.db.repositories.conflicts import ConflictRepository
from instancias_desktop.db.repositories.fieldwork import FieldworkRepository
from instancias_desktop.db.repositories.follow_ups import FollowUpRepository
from instancias_desktop.db.repositories.instancia_records import InstanciaRecordsRepository
from instancias_desktop.db.repositories.participants import ParticipantRepository
from instancias_desktop.db.repositories.planning import PlanningRepository
from instancias_desktop.db.repositories.record_names import RecordNames
from instancias_desktop.db.repositories.refusals import RefusalRepository
from instancias_desktop.db.repositories.registry import RegistryRepository
from instancias_desktop.db.repositories.signed_copies import SignedCopyRepository
from instancias_desktop.db.repositories.sync_records import SyncRepository
from instancias_desktop.db.repositories.visits import VisitRepository
from sync.op_ids import OpIds

Clock = Callable[[], dt.datetime]
_BUMPED = "versions_bumped"
REMOTE = "applying_remote"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UnitOfWork:
    """Opens a transaction on enter; changes land only on ``commit()``, else they roll back.

    A writing unit of work takes SQLite's write lock when it begins, so two actions that read and
    then write queue behind each other instead of failing; a read-only one never blocks a writer.
    """

    catalogue: CatalogueRepository
    registry: RegistryRepository
    fieldwork: FieldworkRepository
    visits: VisitRepository
    participants: ParticipantRepository

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: str,
        clock: Clock,
        *,
        read_only: bool,
        record: bool = True,
        remote: bool = False,
        op_ids: Callable[[], uuid.UUID] = uuid.uuid4,
    ) -> None:
        self._sessions = sessions
        self.actor = actor
        self.clock = clock
        self.read_only = read_only
        self.record = record and not read_only and not remote  # changes go to the sync outbox
        self.op_ids = op_ids
        self.remote = remote  # applying the server's records: their stamps are kept as they are

    def __enter__(self) -> Self:
        info = {
            "actor": self.actor,
            "clock": self.clock,
            RECORDING: self.record,
            REMOTE: self.remote,
        }
        self.session = self._sessions(info=info)
        if not self.read_only:
            self.session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
        self.catalogue = CatalogueRepository(self.session)
        self.registry = RegistryRepository(self.session)
        self.records = InstanciaRecordsRepository(self.session)
        self.fieldwork = FieldworkRepository(self.session)
        self.visits = VisitRepository(self.session)
        self.participants = ParticipantRepository(self.session)
        self.checklists = ChecklistRepository(self.session)
        self.sync = SyncRepository(self.session)
        self.refusals = RefusalRepository(self.session)
        self.names = RecordNames(self.session)
        self.conflicts = ConflictRepository(self.session)
        self.follow_ups = FollowUpRepository(self.session)
        self.planning = PlanningRepository(self.session)
        self.signed_copies = SignedCopyRepository(self.session)
        self.audit = AuditRepository(self.session, self.actor, self.clock)
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
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self.record:
            write_outbox(self.session, self.actor, self.clock(), self.op_ids)
        self.session.commit()


class Database:
    """The opened local database: hands out units of work for one actor."""

    def __init__(self, engine: Engine, actor: str, clock: Clock = _utc_now) -> None:
        self.engine = engine
        self.actor = actor
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # This run's op ids: a fresh random prefix per run, so a copied or restored profile
        # never repeats one; counted, so a day's ids compress on the wire.
        self._op_ids = OpIds(uuid.uuid4())
        event.listen(self._sessions, "before_flush", _stamp_syncable_rows)
        event.listen(self._sessions, "before_flush", capture_flush)  # after the stamps
        event.listen(self._sessions, "after_transaction_end", _forget_bumped)

    def unit_of_work(
        self,
        actor: str | None = None,
        *,
        read_only: bool = False,
        record: bool = True,
        remote: bool = False,
    ) -> UnitOfWork:
        """A new unit of work, stamped by ``actor`` (default: this device's user).

        Its changes go to the sync outbox unless ``record`` is false (reference data loaded
        from files, demo data, and changes pulled from the server).
        """
        return UnitOfWork(
            self._sessions,
            actor or self.actor,
            self.clock,
            read_only=read_only,
            record=record,
            remote=remote,
            op_ids=self._op_ids.next,
        )

    @property
    def file(self) -> Path | None:
        """The database file (None for a database held in memory)."""
        name = self.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    def reader(self) -> UnitOfWork:
        """A read-only unit of work, for queries that feed screens."""
        return self.unit_of_work(read_only=True)

    def dispose(self) -> None:
        """Close every pooled connection (the WAL is checkpointed by SQLite on last close)."""
        self.engine.dispose()


def _stamp_syncable_rows(session: Session, _context: object, _instances: object) -> None:
    """Who and when on every new or changed row; one new version per row per transaction."""
    if session.info.get(REMOTE):
        return  # a record pulled from the server keeps the server's version and authors
    now = session.info["clock"]()
    actor = session.info["actor"]
    bumped: set[tuple[type, uuid.UUID]] = session.info.setdefault(_BUMPED, set())
    for row in session.new:
        if isinstance(row, Syncable):
            row.id = row.id or uuid.uuid4()
            row.created_at = row.created_at or now
            row.updated_at = now
            row.author = row.author or actor
            row.updated_by = actor
            row.version = row.version or 1
            row.deleted = bool(row.deleted)
            bumped.add((type(row), row.id))
    for row in session.dirty:
        if isinstance(row, Syncable) and session.is_modified(row, include_collections=False):
            row.updated_at = now
            row.updated_by = actor
            if (type(row), row.id) not in bumped:  # autoflushes within one action count once
                row.version = (row.version or 0) + 1
                bumped.add((type(row), row.id))


def _forget_bumped(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)
