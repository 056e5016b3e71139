"""One pushed batch held in memory: read in a few queries, decided in Python, written in bulk.

A batch of operations touches at most a few hundred records. Reading them (and the receipts of
op ids seen before) with one query per kind, deciding every operation on plain rows, and writing
the results with one executemany per table costs a handful of statements per batch instead of
several per operation. The caller holds the write lock (``db.serialize_changes``), so nothing
changes underneath between the reads and the writes.

Only superseded versions are kept in ``record_versions``; the current one lives in ``records``
(with the device that made it), so a create writes one row, not two.
"""

import datetime as dt
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    select,
    update,
)
from sqlalchemy.orm import Session

from sync.protocol import Action, ConflictRecord, Operation, Outcome, Receipt
from sync.server.access import Caller
from sync.server.attachments import name_files
from sync.server.batch_reads import (
    PARENT_KIND,
    QUERIES,
    claim_keys,
    ids_param,
    named_records,
)
from sync.server.bulk import insert_rows
from sync.server.claims import Claims, Reaches
from sync.server.people import Documents
from sync.server.store import (
    SEQ_COUNTER,
    Base,
    Conflict,
    Counter,
    JsonText,
    OperationLog,
    Quarantine,
    Record,
    RecordVersion,
)


class MissingBaseError(LookupError):
    """The base version of an edit is not kept on the server."""


@dataclass(frozen=True)
class Version:
    """One version of a record's fields, and who made it."""

    version: int
    fields: dict[str, Any]
    deleted: bool
    updated_by: str
    created_at: dt.datetime
    device_id: uuid.UUID | None


@dataclass
class Row:
    """A record as the batch holds it; ``stored`` when it existed before the batch."""

    kind: str
    record_id: uuid.UUID
    version: int
    fields: dict[str, Any]
    deleted: bool
    scope: str
    parent_id: uuid.UUID | None
    owner: str
    updated_by: str
    updated_at: dt.datetime
    device_id: uuid.UUID | None
    stored: bool = True
    fields_json: JsonText | None = None  # ``fields`` as JSON, when already serialized

    def current(self) -> Version:
        """The record's current version."""
        return Version(
            self.version,
            self.fields,
            self.deleted,
            self.updated_by,
            self.updated_at,
            self.device_id,
        )


@dataclass(frozen=True)
class Logged:
    """An operation already answered (before or earlier in this batch)."""

    username: str
    content_hash: str
    receipt: Receipt


Key = tuple[str, int]  # (kind, record_id.int): hashing an int is cheaper than hashing a UUID


def _key(kind: str, record_id: uuid.UUID) -> Key:
    return (kind, record_id.int)


@dataclass
class Batch:
    """The records and receipts one batch reads, and everything it will write."""

    session: Session
    now: dt.datetime
    logged: dict[uuid.UUID, Logged] = field(default_factory=dict)
    _rows: dict[Key, Row | None] = field(default_factory=dict)
    _changed: dict[Key, Row] = field(default_factory=dict)
    _superseded: dict[Key, list[Version]] = field(default_factory=lambda: defaultdict(list))
    _log: list[dict[str, Any]] = field(default_factory=list)
    _conflicts: list[dict[str, Any]] = field(default_factory=list)
    _quarantine: list[dict[str, Any]] = field(default_factory=list)
    documents: Documents = field(default_factory=Documents)
    claims: Claims = field(default_factory=Claims)
    reaches: Reaches = field(default_factory=Reaches)
    _taken: dict[int, str] = field(default_factory=dict)  # created ids held under a kind
    _parsed: dict[str, uuid.UUID] = field(default_factory=dict)  # ids named by the fields
    files: list[tuple[str, str, uuid.UUID]] = field(default_factory=list)  # annexes' files
    _reaches_loaded: bool = False
    _postgresql: bool = False
    _logged_query: Select[Any] = field(init=False)
    _rows_query: Select[Any] = field(init=False)

    @classmethod
    def read(cls, session: Session, operations: Iterable[Operation], now: dt.datetime) -> "Batch":
        """Read what the operations touch: their receipts, their records, their visits."""
        batch = cls(session, now)
        batch._postgresql = session.get_bind().dialect.name == "postgresql"
        batch._logged_query, batch._rows_query, taken_query = QUERIES[batch._postgresql]
        operations = tuple(operations)
        batch.documents = Documents.read(session, operations)
        batch.claims = Claims.read(session, claim_keys(operations))
        created = [op.record_id for op in operations if op.action is Action.CREATE]
        if created:
            taken = session.execute(taken_query, {"ids": ids_param(batch._postgresql, created)})
            batch._taken = {record_id.int: kind for record_id, kind in taken}
        op_ids = {operation.op_id.int: operation.op_id for operation in operations}
        if op_ids:
            found = session.execute(
                batch._logged_query, {"ids": ids_param(batch._postgresql, op_ids.values())}
            )
            for op_id, username, content_hash, receipt in found:
                answer = Receipt.model_validate(receipt).model_copy(update={"op_id": None})
                batch.logged[op_id] = Logged(username, content_hash, answer)
        wanted: dict[str, dict[int, uuid.UUID]] = defaultdict(dict)
        for operation in operations:
            wanted[operation.kind][operation.record_id.int] = operation.record_id
            if operation.parent_id is not None:
                wanted[PARENT_KIND][operation.parent_id.int] = operation.parent_id
            for target, named in named_records(operation, batch._parsed):
                wanted[target][named.int] = named
        batch._fetch(wanted)
        parents = {
            row.parent_id.int: row.parent_id
            for row in batch._rows.values()
            if row is not None and row.parent_id is not None
        }
        batch._fetch({PARENT_KIND: parents})
        held = [key for key, row in batch._rows.items() if row is not None]
        batch.reaches = Reaches.read(session, (uuid.UUID(int=number) for _k, number in held))
        batch._reaches_loaded = True
        return batch

    def uuid_of(self, text: str) -> uuid.UUID:
        """The id a field names (its text already checked), parsed once per batch."""
        known = self._parsed.get(text)
        if known is None:
            known = self._parsed[text] = uuid.UUID(text)
        return known

    def id_taken(self, record_id: uuid.UUID, kind: str) -> bool:
        """Whether ``record_id`` already names a record of another kind."""
        held = self._taken.get(record_id.int)
        return held is not None and held != kind

    def readable(self, caller: Caller, row: Row) -> bool:
        """Whether the caller reads the record: hers, of her territories, or named from them."""
        if caller.can_read(row.scope, row.owner):
            return True
        return any(caller.covers(scope) for scope in self.reaches.of(row.kind, row.record_id))

    def touch(self, row: Row) -> None:
        """Send the record again to the laptops that read it (a new ``seq``, same version)."""
        self._touch(_key(row.kind, row.record_id), row)

    def _fetch(self, wanted: dict[str, dict[int, uuid.UUID]]) -> None:
        """Load the records not held yet, one query per kind; remember the absent ones."""
        for kind, ids in wanted.items():
            missing = [record_id for n, record_id in ids.items() if (kind, n) not in self._rows]
            if not missing:
                continue
            parameters = {"kind": kind, "ids": ids_param(self._postgresql, missing)}
            fetched = []
            for values in self.session.execute(self._rows_query, parameters):
                row = Row(*values)
                self._rows[_key(row.kind, row.record_id)] = row
                fetched.append(row.record_id)
            if fetched and self._reaches_loaded:  # rows read later bring their reach too
                self.reaches.extend(self.session, fetched)
            for record_id in missing:
                self._rows.setdefault(_key(kind, record_id), None)

    def row(self, kind: str, record_id: uuid.UUID) -> Row | None:
        """The record's state as of the operations decided so far (None: it does not exist)."""
        key = _key(kind, record_id)
        if key not in self._rows:
            self._fetch({kind: {record_id.int: record_id}})
        return self._rows[key]

    # ------------------------------------------------------------------------ changes

    def create(
        self,
        operation: Operation,
        fields: dict[str, Any],
        caller: Caller,
        fields_json: JsonText | None = None,
    ) -> Row:
        """A new record at version 1 (``fields_json``: the same fields, already serialized)."""
        self._taken[operation.record_id.int] = operation.kind  # for the batch's later creates
        row = Row(
            kind=operation.kind,
            record_id=operation.record_id,
            version=1,
            fields=fields,
            deleted=fields.get("deleted") is True,  # created and deleted offline: a tombstone
            scope=operation.scope,
            parent_id=operation.parent_id,
            owner=caller.username,
            updated_by=caller.username,
            updated_at=self.now,
            device_id=caller.device_id,
            stored=False,
            fields_json=fields_json,
        )
        key = _key(row.kind, row.record_id)
        self._rows[key] = row
        self._touch(key, row)
        return row

    def bump(
        self, row: Row, caller: Caller, *, fields: dict[str, Any] | None = None, deleted: bool
    ) -> None:
        """A new version of the record; the one it replaces goes to the history."""
        key = _key(row.kind, row.record_id)
        self._superseded[key].append(row.current())
        if fields is not None:
            row.fields = {**row.fields, **fields}
            row.fields_json = None
        row.deleted = deleted
        row.version += 1
        row.updated_by = caller.username
        row.updated_at = self.now
        row.device_id = caller.device_id
        self._touch(key, row)

    def _touch(self, key: Key, row: Row) -> None:
        """Mark a record changed; ``seq`` follows the order of each record's last change."""
        self._changed.pop(key, None)
        self._changed[key] = row

    def history(self, row: Row, base_version: int) -> list[Version]:
        """The versions from the base to the current one, oldest first.

        Raises ``MissingBaseError`` when the base version is not kept.
        """
        key = _key(row.kind, row.record_id)
        versions: list[Version] = []
        if row.stored:
            statement = (
                select(RecordVersion)
                .where(
                    RecordVersion.kind == row.kind,
                    RecordVersion.record_id == row.record_id,
                    RecordVersion.version >= base_version,
                )
                .order_by(RecordVersion.version)
            )
            versions.extend(
                Version(v.version, v.fields, v.deleted, v.updated_by, v.created_at, v.device_id)
                for v in self.session.scalars(statement)
            )
        versions.extend(v for v in self._superseded.get(key, ()) if v.version >= base_version)
        versions.append(row.current())
        if versions[0].version != base_version:
            raise MissingBaseError(f"{row.kind} {row.record_id} v{base_version}")
        return versions

    # ------------------------------------------------------------------------ answers

    def answered(
        self, operation: Operation, caller: Caller, receipt: Receipt, content_hash: str
    ) -> None:
        """Keep the receipt, so a replay of the op id gets it again."""
        self.logged[operation.op_id] = Logged(caller.username, content_hash, receipt)
        self._log.append(
            {
                "op_id": operation.op_id,
                "device_id": caller.device_id,
                "username": caller.username,
                "content_hash": content_hash,
                "receipt": stored_receipt(receipt),
                "received_at": self.now,
            }
        )

    def quarantined(
        self, operation: dict[str, Any], op_id: uuid.UUID, caller: Caller, reason: str
    ) -> None:
        """Keep a refused operation verbatim with its reason."""
        self._quarantine.append(
            {
                "op_id": op_id,
                "username": caller.username,
                "device_id": caller.device_id,
                "operation": operation,
                "reason": reason,
                "received_at": self.now,
            }
        )

    def conflicts(self, found: Iterable[ConflictRecord]) -> None:
        """Keep conflict records: the value set aside waits for its author."""
        for item in found:
            self._conflicts.append(
                {
                    "conflict_id": item.conflict_id,
                    "kind": item.kind,
                    "record_id": item.record_id,
                    "field": item.field,
                    "base_value": item.base_value,
                    "kept_value": item.kept_value,
                    "other_value": item.other_value,
                    "kept_author": item.kept_author,
                    "other_author": item.other_author,
                    "other_made_at": item.other_made_at,
                    "kept_device_id": item.kept_device_id,
                    "other_device_id": item.other_device_id,
                    "resolved": False,
                    "created_at": self.now,
                }
            )

    # ------------------------------------------------------------------------ writing

    def write(self) -> None:
        """Write everything decided, one statement per table (and one for ``seq``)."""
        session = self.session
        self.documents.write(session)
        self.claims.write(session)
        self.reaches.write(session)
        name_files(session, self.files)
        changed = list(self._changed.values())
        if changed:
            last = _reserve_seq(session, len(changed))
            first = last - len(changed) + 1
            new = [_columns(row, first + n) for n, row in enumerate(changed) if not row.stored]
            old = [_columns(row, first + n) for n, row in enumerate(changed) if row.stored]
            if old:
                session.execute(update(Record), old)  # ORM bulk update by primary key
            insert_rows(session, _table(Record), new)
        superseded: list[dict[str, Any]] = []
        for key, versions in self._superseded.items():
            held = self._rows[key]
            assert held is not None  # only a record held here gets a new version
            superseded.extend(
                {
                    "kind": held.kind,
                    "record_id": held.record_id,
                    "version": v.version,
                    "fields": v.fields,
                    "deleted": v.deleted,
                    "updated_by": v.updated_by,
                    "created_at": v.created_at,
                    "device_id": v.device_id,
                }
                for v in versions
            )
        for table, rows in (
            (RecordVersion, superseded),
            (OperationLog, self._log),
            (Conflict, self._conflicts),
            (Quarantine, self._quarantine),
        ):
            insert_rows(session, _table(table), rows)


def _table(model: type[Base]) -> Table:
    """A model's Core table: executemany through it skips the ORM's per-row bookkeeping."""
    return Base.metadata.tables[model.__tablename__]


def _columns(row: Row, seq: int) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "record_id": row.record_id,
        "version": row.version,
        "fields": row.fields if row.fields_json is None else row.fields_json,
        "deleted": row.deleted,
        "scope": row.scope,
        "parent_id": row.parent_id,
        "owner": row.owner,
        "updated_by": row.updated_by,
        "updated_at": row.updated_at,
        "device_id": row.device_id,
        "seq": seq,
    }


def _reserve_seq(session: Session, count: int) -> int:
    """Take ``count`` change numbers at once; returns the last (the caller holds the lock)."""
    statement = (
        update(Counter)
        .where(Counter.name == SEQ_COUNTER)
        .values(value=Counter.value + count)
        .returning(Counter.value)
    )
    return int(session.execute(statement).scalar_one())


def stored_receipt(receipt: Receipt) -> JsonText:
    """A receipt as the operation log keeps it (no ``op_id``: receipts answer by position)."""
    if receipt.conflicts or receipt.reason or receipt.version is None:
        return JsonText(receipt.model_dump_json(exclude={"op_id"}))
    return _plain_receipt(receipt.outcome, receipt.version)


@functools.lru_cache(maxsize=256)
def _plain_receipt(outcome: Outcome, version: int) -> JsonText:
    """The text of a receipt with nothing but an outcome and a version (nearly all)."""
    return JsonText(Receipt(outcome=outcome, version=version).model_dump_json(exclude={"op_id"}))
