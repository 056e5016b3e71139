"""What the sync client reads and writes locally: outbox entries, pulled records, the cursor."""

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Time, Uuid, and_, delete, func, select, union, update
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import Enum as EnumType

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.models import (
    AttachmentRow,
    OutboxRow,
    PersonRow,
    RecordFileRow,
    SeenVersionRow,
    SignedCopyRow,
    SyncStateRow,
)
from instancias_desktop.db.outbox import synced_model
from instancias_desktop.db.types import UtcDateTime
from instancias_desktop.domain.people import search_key
from sync.kinds import KINDS

PENDING = "pendiente"
SENT = "enviado"  # handed to the server, no receipt yet
WAITING = (PENDING, SENT)  # what is still to be confirmed
CONFIRMED, IN_CONFLICT = "confirmado", "en_conflicto"
UPLOADED_FILES = "attachments.uploaded"  # the annex contents the server holds whole
WITHDRAWN_AT = "device.withdrawn_at"  # when the server said an administrator withdrew it
LAST_SYNC, LAST_RESULT = "last_sync.at", "last_sync.result"  # when the last sync ended, how


@dataclass(frozen=True)
class OutboxEntry:
    """A change waiting for the server's receipt."""

    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    action: str
    base_version: int | None
    fields: dict[str, Any]
    scope: str
    parent_id: uuid.UUID | None
    made_at: dt.datetime


@dataclass(frozen=True)
class PulledRecord:
    """A record as the server holds it, in wire form."""

    kind: str
    record_id: uuid.UUID
    version: int
    fields: dict[str, Any]
    deleted: bool
    owner: str
    updated_by: str


_PARSERS: tuple[tuple[type, Any], ...] = (
    (Uuid, lambda v: uuid.UUID(str(v))),
    (UtcDateTime, dt.datetime.fromisoformat),
    (Date, dt.date.fromisoformat),
    (Time, dt.time.fromisoformat),
)


def from_wire(column_type: Any, value: Any) -> Any:
    """A JSON value back into what the column holds."""
    if value is None:
        return None
    for kind, parse in _PARSERS:
        if isinstance(column_type, kind):
            return parse(value)
    if isinstance(column_type, EnumType) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    return value


class NotStoredError(Exception):
    """A pulled record this laptop cannot store; the message (Spanish) says why."""


class LocalClashError(NotStoredError):
    """A pulled record holds a unique value (an acta number…) that another local row holds."""

    def __init__(self) -> None:
        super().__init__(
            "otro registro de este equipo tiene ya el mismo valor único (p. ej. el número de "
            "acta): se guardará cuando ese se corrija"
        )


class SyncRepository:
    """Reads and writes the sync client's local state within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def pending(self, limit: int) -> list[OutboxEntry]:
        """Changes not yet acknowledged, oldest first."""
        query = (
            select(OutboxRow)
            .where(OutboxRow.state.in_(WAITING))
            .order_by(OutboxRow.seq)
            .limit(limit)
        )
        return [
            OutboxEntry(
                op_id=row.op_id,
                kind=row.kind,
                record_id=row.record_id,
                action=row.action,
                base_version=row.base_version,
                fields=json.loads(row.fields),
                scope=row.scope,
                parent_id=row.parent_id,
                made_at=row.made_at,
            )
            for row in self._session.scalars(query)
        ]

    def acknowledge(
        self, op_id: uuid.UUID, state: str, reason: str, when: dt.datetime
    ) -> tuple[str, uuid.UUID] | None:
        """Record the server's receipt for a change (the only way it leaves «pendiente»).

        Answers the (kind, record id) the change was about, when this receipt settled it.
        """
        row = self._session.scalar(select(OutboxRow).where(OutboxRow.op_id == op_id))
        settled = None
        if row is not None and row.state in WAITING:
            row.state = state
            row.reason = reason
            row.acknowledged_at = when
            settled = (row.kind, row.record_id)
        self._session.flush()
        return settled

    def mark_sent(self, op_ids: Sequence[uuid.UUID]) -> None:
        """«enviado»: on the way to the server, still waiting for its receipt."""
        self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.op_id.in_(list(op_ids)), OutboxRow.state == PENDING)
            .values(state=SENT)
        )

    def attachment_files(self) -> list[tuple[str, int]]:
        """(sha256, size) of every live annex's, signed copy's and record file's content, once."""
        query = union(
            select(AttachmentRow.sha256, AttachmentRow.size_bytes).where(
                AttachmentRow.deleted.is_(False)
            ),
            select(SignedCopyRow.sha256, SignedCopyRow.size_bytes).where(
                SignedCopyRow.deleted.is_(False)
            ),
            select(RecordFileRow.sha256, RecordFileRow.size_bytes).where(
                RecordFileRow.deleted.is_(False)
            ),
        ).order_by("sha256")
        return [(sha, int(size)) for sha, size in self._session.execute(query)]

    def last_answered(self) -> int:
        """The outbox position of the last entry the server answered (0: none)."""
        found = self._session.scalar(
            select(func.max(OutboxRow.seq)).where(OutboxRow.acknowledged_at.is_not(None))
        )
        return int(found or 0)

    def settle_conflicts(self, record_id: uuid.UUID, upto: int) -> None:
        """A record's listed conflicts were resolved: its changes that met them count as done.

        Only entries up to ``upto`` (answered when the list arrived): newer ones wait for the
        next list.
        """
        self._session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.record_id == record_id,
                OutboxRow.state == IN_CONFLICT,
                OutboxRow.seq <= upto,
            )
            .values(state=CONFIRMED)
        )

    def states(self) -> dict[str, int]:
        """How many outbox entries are in each state."""
        counts: dict[str, int] = {}
        for state in self._session.scalars(select(OutboxRow.state)):
            counts[state] = counts.get(state, 0) + 1
        return counts

    def value(self, key: str) -> str | None:
        """A stored sync setting."""
        row = self._session.get(SyncStateRow, key)
        return row.value if row else None

    def set_value(self, key: str, value: str) -> None:
        """Store a sync setting."""
        row = self._session.get(SyncStateRow, key)
        if row is None:
            self._session.add(SyncStateRow(key=key, value=value))
        else:
            row.value = value
        self._session.flush()

    def rename_author(self, old: str, new: str) -> int:
        """Stamp what ``old`` wrote here as ``new`` (the profile's one identity); rows changed."""
        changed = 0
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if issubclass(model, Syncable):
                for column in (model.author, model.updated_by):
                    result = self._session.execute(
                        update(model).where(column == old).values({column.key: new})
                    )
                    changed += int(getattr(result, "rowcount", 0) or 0)
        result = self._session.execute(
            update(OutboxRow).where(OutboxRow.author == old).values(author=new)
        )
        return changed + int(getattr(result, "rowcount", 0) or 0)

    def holds(self, kind: str, record_id: uuid.UUID) -> bool:
        """Whether this laptop has a row for the record."""
        return self._session.get(synced_model(kind), record_id) is not None

    def note_seen(self, kind: str, record_id: uuid.UUID, version: int) -> None:
        """Remember a version received without a row to show (a tombstone never held here)."""
        seen = self._session.get(SeenVersionRow, (kind, record_id))
        if seen is None:
            self._session.add(SeenVersionRow(kind=kind, record_id=record_id, version=version))
        else:
            seen.version = max(seen.version, version)
        self._session.flush()

    def apply(self, record: PulledRecord, now: dt.datetime) -> None:
        """Make a local row equal to the server's record (stamps included)."""
        model = synced_model(record.kind)
        columns = model.__table__.columns  # type: ignore[attr-defined]
        declared = KINDS[record.kind].fields  # a local column is never taken from the wire
        try:
            values = {
                name: from_wire(columns[name].type, value)
                for name, value in record.fields.items()
                if name in declared
            }
        except (ValueError, TypeError, OverflowError) as error:
            raise NotStoredError(f"trae un dato que este equipo no puede leer ({error})") from None
        values.update(
            version=record.version,
            deleted=record.deleted,
            author=record.owner,
            updated_by=record.updated_by,
        )
        seen = self._session.get(SeenVersionRow, (record.kind, record.record_id))
        if seen is None:
            self._session.add(
                SeenVersionRow(kind=record.kind, record_id=record.record_id, version=record.version)
            )
        else:
            seen.version = max(seen.version, record.version)
        row = self._session.get(model, record.record_id)
        if row is None:
            row = model()
            for name, value in {"id": record.record_id, "created_at": now, "updated_at": now,
                                **values}.items():  # fmt: skip
                setattr(row, name, value)
            self._session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        if isinstance(row, PersonRow):  # folded here, from what arrived
            row.search_key = search_key(row.full_name, row.document_number)
        try:
            self._session.flush()
        except IntegrityError as error:  # the unit of work is rolled back by whoever catches
            raise LocalClashError() from error
        except StatementError as error:  # a value the column cannot hold (a number too large…)
            raise NotStoredError(
                f"trae un dato que este equipo no puede guardar ({error.orig})"
            ) from error

    def apply_checked(self, record: PulledRecord, now: dt.datetime) -> str | None:
        """Apply a record and the local edits still pending on top, in a savepoint.

        Changes nothing and answers why (Spanish) when the record cannot be stored here.
        """
        try:
            with self._session.begin_nested():
                self.apply(record, now)
                self.reapply_pending(record.kind, record.record_id)
        except NotStoredError as error:
            return str(error)
        except (IntegrityError, StatementError, ValueError, TypeError) as error:
            # The edits still pending here cannot go on top of it: it waits, nothing changed.
            return f"no se pudo guardar con los cambios aún pendientes de este equipo ({error})"
        return None

    def reapply_pending(self, kind: str, record_id: uuid.UUID) -> None:
        """Keep the local edits still waiting to be sent visible over a pulled record.

        The row keeps the server's version; edits typed next are made on it too (``sync_seen``),
        and the server knows which later versions this device made itself.
        """
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.kind == kind,
                OutboxRow.record_id == record_id,
                OutboxRow.state.in_(WAITING),
            )
            .order_by(OutboxRow.seq)
        )
        model = synced_model(kind)
        row = self._session.get(model, record_id)
        if row is None:
            return
        columns = model.__table__.columns  # type: ignore[attr-defined]
        declared = KINDS[kind].fields
        for entry in self._session.scalars(query):
            for name, value in json.loads(entry.fields).items():
                if name in declared:
                    setattr(row, name, from_wire(columns[name].type, value))
        self._session.flush()

    def missing_reference(self, kind: str, fields: dict[str, Any]) -> str | None:
        """The field of a pulled record naming a row this device does not hold (yet), or None."""
        model = synced_model(kind)
        table = model.__table__  # type: ignore[attr-defined]
        for constraint in table.foreign_key_constraints:
            values = [fields.get(column.name) for column in constraint.columns]
            if any(value is None for value in values):
                continue
            elements = list(constraint.elements)
            condition = and_(
                *(
                    element.column == from_wire(element.parent.type, value)
                    for element, value in zip(elements, values, strict=True)
                )
            )
            found = self._session.execute(
                select(elements[0].column).where(condition).limit(1)
            ).first()
            if found is None:
                return str(constraint.columns[0].name)
        return None

    def versions(self, kind: str) -> list[tuple[uuid.UUID, int]]:
        """(id, version) of every record of a kind as last received from the server.

        Tombstones included; local changes not sent yet, and creates the server refused, are
        not (the server does not hold them).
        """
        query = select(SeenVersionRow.record_id, SeenVersionRow.version).where(
            SeenVersionRow.kind == kind
        )
        return [(record_id, version) for record_id, version in self._session.execute(query)]

    def forget_received(self, kind: str) -> None:
        """Forget which records of a kind were received, before pulling the kind again.

        The rows stay. Until a record comes again, an edit of it is sent as made on version 1
        (the server then reads its whole history: a false conflict at worst, never a lost
        change); one the server no longer lists (out of the user's territories now) stops
        counting in the digests.
        """
        self._session.execute(delete(SeenVersionRow).where(SeenVersionRow.kind == kind))
