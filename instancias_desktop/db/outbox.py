"""The outbox: every local change to a synced record, written in the same transaction as the change.

Changes are gathered while a unit of work flushes (ORM rows) or bulk-inserts (many values at
once), one entry per record per transaction, and written just before it commits. A crash thus
loses a change and its outbox entry together, or keeps both. Changes applied from the server
(pulled pages) and reference data (catalogues, demo) are not recorded.

What travels is what ``sync.kinds`` declares: the declared fields of each kind (never a local
column), the scope and the parent visit it derives, and, before the first change that needs it,
the create of an instancia this laptop only knows from its catalogue (its id derives from its
government unit, so every laptop's create of it meets the same record on the server).
"""

import dataclasses
import datetime as dt
import enum
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.models import OutboxRow, ParticipantRow, SeenVersionRow
from sync.kind_schema import Kind
from sync.kinds import INSTANCIA, KINDS, PARTICIPANT

RECORDING = "outbox_recording"  # session.info: whether this unit of work records changes
CHANGES = "outbox_changes"  # session.info: gathered changes, by (kind, record id)
REFUSED = "rechazado"  # an outbox entry the server refused


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


def declared_fields(row: Syncable) -> dict[str, Any]:
    """A synced row's declared fields (``sync.kinds``) in wire form; local columns stay home."""
    spec = KINDS[inspect(row).mapper.local_table.name]
    return {name: to_wire(getattr(row, name)) for name in spec.fields}


def _gathered(session: Session) -> dict[tuple[str, uuid.UUID], Change] | None:
    if not session.info.get(RECORDING):
        return None
    changes: dict[tuple[str, uuid.UUID], Change] = session.info.setdefault(CHANGES, {})
    return changes


def _note(changes: dict[tuple[str, uuid.UUID], Change], change: Change) -> None:
    if change.kind not in KINDS:
        return  # administration rows (specialists, territories) are the server's
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
        if isinstance(row, Syncable) and _table(row) in KINDS:
            _note(changes, Change(_table(row), row.id, "create", None, declared_fields(row)))
    for row in session.dirty:
        if not isinstance(row, Syncable) or _table(row) not in KINDS:
            continue
        if not session.is_modified(row):
            continue
        state = inspect(row)
        kind = _table(row)
        changed = {
            name: to_wire(getattr(row, name))
            for name in KINDS[kind].fields
            if state.attrs[name].history.has_changes()
        }
        if not changed:
            continue  # only local columns changed (a search key, a catalogue name)
        action = "delete" if changed.get("deleted") is True else "update"
        _note(changes, Change(kind, row.id, action, _seen(session, kind, row.id), changed))


def _table(row: Syncable) -> str:
    return str(inspect(row).mapper.local_table.name)


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
    if changes is None or table not in KINDS:
        return
    declared = KINDS[table].fields
    for row in rows:
        fields = {k: to_wire(v) for k, v in row.items() if k in declared}
        _note(changes, Change(table, row["id"], "create", None, fields))


class _Places:
    """Finds the territory (ubigeo) and the visit each record belongs to, as the server does."""

    def __init__(self, session: Session, changes: Mapping[tuple[str, uuid.UUID], Change]):
        self._session = session
        self._changes = changes
        self._scopes: dict[tuple[str, uuid.UUID], str] = {}

    def values(self, kind: str, record_id: uuid.UUID) -> dict[str, Any] | None:
        """The declared fields of a record as stored now (None: not here)."""
        row = self._session.get(synced_model(kind), record_id)
        return declared_fields(row) if row is not None else None

    def scope(self, spec: Kind, record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        """The record's territory: derived from its unit or from the record it belongs to."""
        key = (spec.name, record_id)
        if key not in self._scopes:
            self._scopes[key] = self._derive(spec, record_id, values)
        return self._scopes[key]

    def _derive(self, spec: Kind, record_id: uuid.UUID, values: Mapping[str, Any]) -> str:
        if spec.own_scope is not None:
            return spec.own_scope(values) or ""
        if spec.scope_from is not None:
            target = KINDS[str(spec.fields[spec.scope_from].refers_to)]
            named = values.get(spec.scope_from)
            if named is None:
                return ""
            target_id = uuid.UUID(str(named))
            found = self.values(target.name, target_id)
            return self.scope(target, target_id, found) if found is not None else ""
        return self._person_scope(record_id)

    def _person_scope(self, person_id: uuid.UUID) -> str:
        """A person's territory: that of a visit where she took part (this action's first)."""
        for change in self._changes.values():
            if change.kind == PARTICIPANT.name and change.fields.get("person_id") == str(person_id):
                values = self.values(PARTICIPANT.name, change.record_id) or change.fields
                return self.scope(PARTICIPANT, change.record_id, values)
        participant = self._session.scalar(
            select(ParticipantRow.id).where(ParticipantRow.person_id == person_id).limit(1)
        )
        if participant is None:
            return ""
        values = self.values(PARTICIPANT.name, participant) or {}
        return self.scope(PARTICIPANT, participant, values)

    def of(self, change: Change) -> tuple[str, uuid.UUID | None]:
        """(scope, parent visit) of a change."""
        spec = KINDS[change.kind]
        values = self.values(change.kind, change.record_id) or change.fields
        parent = values.get(spec.parent) if spec.parent is not None else None
        scope = self.scope(spec, change.record_id, values)
        return scope, uuid.UUID(str(parent)) if parent is not None else None


def synced_kinds() -> tuple[str, ...]:
    """The tables whose rows travel between laptops and the server."""
    return tuple(KINDS)


def synced_model(kind: str) -> type[Syncable]:
    """The model of a synced table."""
    for model in Syncable.__subclasses__():
        if getattr(model, "__tablename__", None) == kind:
            return model
    raise LookupError(f"no synced table {kind}")


def _instancias_to_create(
    session: Session, changes: dict[tuple[str, uuid.UUID], Change]
) -> list[Change]:
    """Creates of the instancias these changes need that the server may not hold yet.

    An instancia comes from each laptop's catalogue; the first change that edits one, or
    names one, sends its create first (a create of one the server holds meets it there). A
    change of such an instancia becomes that create.
    """
    named: dict[uuid.UUID, None] = {}
    for change in changes.values():
        spec = KINDS[change.kind]
        if change.kind == INSTANCIA.name:
            named[change.record_id] = None
        for field, target in spec.references():
            value = change.fields.get(field)
            if target == INSTANCIA.name and value is not None:
                named[uuid.UUID(str(value))] = None
    made = []
    for instancia_id in named:
        if not _needs_create(session, instancia_id):
            continue
        row = session.get(synced_model(INSTANCIA.name), instancia_id)
        if row is None:
            continue
        create = Change(INSTANCIA.name, instancia_id, "create", None, declared_fields(row))
        changes.pop((INSTANCIA.name, instancia_id), None)  # the create carries the edit too
        made.append(create)
    return made


def _needs_create(session: Session, instancia_id: uuid.UUID) -> bool:
    if session.get(SeenVersionRow, (INSTANCIA.name, instancia_id)) is not None:
        return False
    queued = session.scalar(
        select(OutboxRow.seq)
        .where(
            OutboxRow.kind == INSTANCIA.name,
            OutboxRow.record_id == instancia_id,
            OutboxRow.action == "create",
            OutboxRow.state != REFUSED,
        )
        .limit(1)
    )
    return queued is None


def write_outbox(
    session: Session, author: str, now: dt.datetime, new_op_id: Callable[[], uuid.UUID]
) -> int:
    """Write the gathered changes as outbox entries (called just before the commit).

    ``new_op_id`` numbers them (sync.op_ids: this run's random prefix, then a counter).
    """
    session.flush()
    changes: dict[tuple[str, uuid.UUID], Change] = session.info.pop(CHANGES, {})
    if not changes:
        return 0
    places = _Places(session, changes)
    for change in changes.values():
        if change.action == "create":  # as stored: column defaults are known after the flush
            values = places.values(change.kind, change.record_id)
            if values is not None:
                change.fields = values
    ordered = [*_instancias_to_create(session, changes), *changes.values()]
    rows = []
    for change in ordered:
        scope, parent = places.of(change)
        rows.append(
            {
                "op_id": new_op_id(),
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
