"""The outbox: every local change to a synced record, written in the same transaction as the change.

Changes are gathered while a unit of work flushes (ORM rows) or bulk-inserts (many values at
once), one entry per record per transaction, and written just before it commits. A crash thus
loses a change and its outbox entry together, or keeps both. Changes applied from the server
(pulled pages) and reference data (catalogues, demo) are not recorded.
"""

import dataclasses
import datetime as dt
import enum
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.models import (
    AgreementRow,
    GovernmentUnitRow,
    InstanciaRow,
    OutboxRow,
    ParticipantRow,
    SeenVersionRow,
    VisitRow,
)

RECORDING = "outbox_recording"  # session.info: whether this unit of work records changes
CHANGES = "outbox_changes"  # session.info: gathered changes, by (kind, record id)
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "author", "updated_by", "version"})
NOT_SYNCED = frozenset({"specialist", "territory_assignment"})  # server-owned (administration)
CHILD_OF_VISIT = frozenset(
    {"participant", "agreement", "checklist", "checklist_response", "attachment"}
)


@dataclasses.dataclass
class Change:
    """One record's change within a transaction."""

    kind: str
    record_id: uuid.UUID
    action: str  # create, update, delete
    base_version: int | None
    fields: dict[str, Any]


def to_wire(value: Any) -> Any:
    """A column value as JSON: ids, dates and times as text, enums by their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _columns(row: Syncable) -> dict[str, Any]:
    state = inspect(row)
    return {
        attr.key: to_wire(getattr(row, attr.key))
        for attr in state.mapper.column_attrs
        if attr.key not in BOOKKEEPING
    }


def _gathered(session: Session) -> dict[tuple[str, uuid.UUID], Change] | None:
    if not session.info.get(RECORDING):
        return None
    changes: dict[tuple[str, uuid.UUID], Change] = session.info.setdefault(CHANGES, {})
    return changes


def _note(changes: dict[tuple[str, uuid.UUID], Change], change: Change) -> None:
    if change.kind in NOT_SYNCED:
        return
    key = (change.kind, change.record_id)
    earlier = changes.get(key)
    if earlier is None:
        changes[key] = change
        return
    earlier.fields.update(change.fields)  # a create stays a create; the first base is kept
    if earlier.action != "create":  # the row's last state decides: deleted, or not
        earlier.action = "delete" if earlier.fields.get("deleted") is True else "update"


def capture_flush(session: Session, _context: object, _instances: object) -> None:
    """before_flush (after the stamps): note new and changed synced rows."""
    changes = _gathered(session)
    if changes is None:
        return
    for row in session.new:
        if isinstance(row, Syncable):
            kind = inspect(row).mapper.local_table.name
            _note(changes, Change(kind, row.id, "create", None, _columns(row)))
    for row in session.dirty:
        if not isinstance(row, Syncable) or not session.is_modified(row):
            continue
        state = inspect(row)
        changed = {
            attr.key: to_wire(getattr(row, attr.key))
            for attr in state.mapper.column_attrs
            if attr.key not in BOOKKEEPING and state.attrs[attr.key].history.has_changes()
        }
        if not changed:
            continue
        action = "delete" if changed.get("deleted") is True else "update"
        kind = state.mapper.local_table.name
        _note(changes, Change(kind, row.id, action, _seen(session, kind, row.id), changed))


def _seen(session: Session, kind: str, record_id: uuid.UUID) -> int:
    """The version a local change is made on: the last one received from the server.

    Chained offline edits all name it (the server knows which later versions this device
    made); a record never received was created here or loaded from the catalogues: version 1.
    """
    seen = session.get(SeenVersionRow, (kind, record_id))
    return seen.version if seen is not None else 1


def capture_bulk(session: Session, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Note rows inserted in bulk (Core inserts bypass the flush)."""
    changes = _gathered(session)
    if changes is None:
        return
    for row in rows:
        fields = {k: to_wire(v) for k, v in row.items() if k not in BOOKKEEPING}
        _note(changes, Change(table, row["id"], "create", None, fields))


class _Places:
    """Finds the territory (ubigeo) and the visit each record belongs to."""

    def __init__(self, session: Session, changes: Mapping[tuple[str, uuid.UUID], Change]):
        self._session = session
        self._changes = changes

    def instancia_scope(self, instancia_id: Any) -> str:
        query = (
            select(GovernmentUnitRow.ubigeo)
            .join(InstanciaRow, InstanciaRow.unit_code == GovernmentUnitRow.code)
            .where(InstanciaRow.id == uuid.UUID(str(instancia_id)))
        )
        return self._session.scalar(query) or ""

    def visit_scope(self, visit_id: Any) -> str:
        instancia = self._session.scalar(
            select(VisitRow.instancia_id).where(VisitRow.id == uuid.UUID(str(visit_id)))
        )
        return self.instancia_scope(instancia) if instancia else ""

    def person_scope(self, person_id: uuid.UUID) -> str:
        for change in self._changes.values():  # the participation made in the same action
            if change.kind == "participant" and change.fields.get("person_id") == str(person_id):
                return self.visit_scope(change.fields["visit_id"])
        visit = self._session.scalar(
            select(ParticipantRow.visit_id).where(ParticipantRow.person_id == person_id).limit(1)
        )
        return self.visit_scope(visit) if visit else ""

    def of(self, change: Change) -> tuple[str, uuid.UUID | None]:
        """(scope, parent visit) of a change."""
        row = self._session.get(synced_model(change.kind), change.record_id)
        values = _columns(row) if row is not None else change.fields
        if change.kind == "visit":
            return self.instancia_scope(values["instancia_id"]), None
        if change.kind in CHILD_OF_VISIT:
            visit = values["visit_id"]
            return self.visit_scope(visit), uuid.UUID(str(visit))
        if change.kind == "person":
            return self.person_scope(change.record_id), None
        if change.kind == "instancia":
            return self.instancia_scope(change.record_id), None
        if change.kind == "agreement_follow_up":  # of a visit that may be finalized: no parent
            visit = self._session.scalar(
                select(AgreementRow.visit_id).where(
                    AgreementRow.id == uuid.UUID(str(values["agreement_id"]))
                )
            )
            return self.visit_scope(visit) if visit else "", None
        visit = values.get("visit_id")
        return self.instancia_scope(values["instancia_id"]), uuid.UUID(visit) if visit else None


def synced_kinds() -> tuple[str, ...]:
    """The tables whose rows travel between laptops and the server."""
    return tuple(
        model.__tablename__  # type: ignore[attr-defined]
        for model in Syncable.__subclasses__()
        if model.__tablename__ not in NOT_SYNCED  # type: ignore[attr-defined]
    )


def synced_model(kind: str) -> type[Syncable]:
    """The model of a synced table."""
    for model in Syncable.__subclasses__():
        if getattr(model, "__tablename__", None) == kind:
            return model
    raise LookupError(f"no synced table {kind}")


def write_outbox(session: Session, author: str, now: dt.datetime) -> int:
    """Write the gathered changes as outbox entries (called just before the commit)."""
    session.flush()
    changes: dict[tuple[str, uuid.UUID], Change] = session.info.pop(CHANGES, {})
    if not changes:
        return 0
    places = _Places(session, changes)
    rows = []
    for change in changes.values():
        if change.action == "create":  # as stored: column defaults are known after the flush
            row = session.get(synced_model(change.kind), change.record_id)
            if row is not None:
                change.fields = _columns(row)
        scope, parent = places.of(change)
        rows.append(
            {
                "op_id": uuid.uuid4(),
                "kind": change.kind,
                "record_id": change.record_id,
                "action": change.action,
                "base_version": change.base_version,
                "fields": json.dumps(change.fields, ensure_ascii=False, sort_keys=True),
                "scope": scope,
                "parent_id": parent,
                "made_at": now,
                "author": author,
                "state": "pendiente",
                "reason": "",
            }
        )
    session.execute(insert(OutboxRow), rows)
    return len(rows)
