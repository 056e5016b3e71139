"""MemoryStore: a ``LocalStore`` in dicts, for tests and the stateful model of several devices.

It keeps two layers, as the app's database does: the records as last pulled from the server,
and the outbox of local operations. What a person sees (``get``/``records``) is the pulled record
with the operations not yet reflected by a pull on top, so a pull never hides a local change.
Every method changes the state in one step (validate first, then assign): one "transaction".
"""

import datetime as dt
import hashlib
import itertools
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sync.kind_schema import DELETED
from sync.kinds import FINALIZED, STATUS_FIELD, VISIT, after_seal, is_finalized
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    ConflictRecord,
    KindDigest,
    Operation,
    Outcome,
    Receipt,
    RecordState,
    digest_of,
)

VISIT_KIND = VISIT.name


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class LocalRecord:
    """A record as this device shows it: the pulled state plus its unconfirmed local changes."""

    kind: str
    record_id: uuid.UUID
    version: int  # the server version, or the one expected once pending changes are applied
    fields: dict[str, Any]
    deleted: bool
    scope: str
    parent_id: uuid.UUID | None
    owner: str
    pending: bool  # some local change is not yet reflected by a pull


@dataclass
class _Entry:
    """One outbox entry: the operation and, once the server answered, its receipt."""

    operation: Operation
    receipt: Receipt | None = None
    sent: bool = False  # handed to the transport at least once


class MemoryStore:
    """A device's local database in dicts: pulled records, outbox, cursor, open conflicts."""

    def __init__(
        self,
        owner: str = "local",
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        new_id: Callable[[], uuid.UUID] = uuid.uuid4,
        new_op_id: Callable[[], uuid.UUID] | None = None,
    ) -> None:
        """``owner`` is the signed-in username (the owner of records created here).

        ``new_id`` makes record ids (and op ids, unless ``new_op_id`` is given).
        """
        self.owner = owner
        self._clock = clock
        self._new_id = new_id
        self._new_op_id = new_op_id or new_id
        self._pulled: dict[tuple[str, uuid.UUID], RecordState] = {}
        self._outbox: list[_Entry] = []
        self._by_op: dict[uuid.UUID, _Entry] = {}
        self._cursor = 0
        self._conflicts: tuple[ConflictRecord, ...] = ()
        self.pages_applied = 0

    # ------------------------------------------------------------------ LocalStore

    def pending(self, limit: int) -> list[Operation]:
        """At most ``limit`` operations without a receipt, oldest first."""
        waiting = (entry.operation for entry in self._outbox if entry.receipt is None)
        return list(itertools.islice(waiting, limit))

    def waiting(self) -> int:
        """How many operations have no receipt yet."""
        return sum(1 for entry in self._outbox if entry.receipt is None)

    def mark_sent(self, op_ids: Sequence[uuid.UUID]) -> None:
        """Remember that these operations were handed to the transport."""
        for op_id in op_ids:
            entry = self._by_op.get(op_id)
            if entry is not None:
                entry.sent = True

    def was_sent(self, op_id: uuid.UUID) -> bool:
        """Whether the operation was handed to the transport (answered or not)."""
        entry = self._by_op.get(op_id)
        return entry is not None and entry.sent

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Keep each receipt on its operation (the first receipt of an op_id stays)."""
        for receipt in receipts:
            entry = self._by_op.get(receipt.op_id) if receipt.op_id is not None else None
            if entry is not None and entry.receipt is None:
                entry.receipt = receipt

    def cursor(self) -> int:
        """The server sequence up to which every change has been applied."""
        return self._cursor

    def apply_page(self, page: ChangePage) -> None:
        """Store the pulled records (never an older version over a newer one) and the cursor."""
        pulled = dict(self._pulled)
        for record in page.records:
            key = (record.kind, record.record_id)
            known = pulled.get(key)
            if known is None or record.version >= known.version:
                pulled[key] = record
        self._pulled = pulled
        self._cursor = page.next_cursor
        self.pages_applied += 1

    def digests(self, kinds: Sequence[str]) -> dict[str, KindDigest]:
        """Per kind, ``digest_of`` over (record_id, version) of the pulled records."""
        wanted = set(kinds) or {kind for kind, _ in self._pulled}
        pairs: dict[str, list[tuple[uuid.UUID, int]]] = {kind: [] for kind in wanted}
        for (kind, record_id), record in self._pulled.items():
            if kind in pairs:
                pairs[kind].append((record_id, record.version))
        return {
            kind: KindDigest(kind=kind, count=len(items), digest=digest_of(items))
            for kind, items in pairs.items()
        }

    def forget_kind(self, kind: str) -> None:
        """Drop the kind's pulled records; the outbox and the cursor stay."""
        self._pulled = {key: value for key, value in self._pulled.items() if key[0] != kind}

    def record_conflicts(self, conflicts: ConflictList) -> None:
        """Replace the open conflicts."""
        self._conflicts = conflicts.conflicts

    # ------------------------------------------------------------------ local changes

    def create(
        self,
        kind: str,
        fields: dict[str, Any],
        scope: str,
        parent_id: uuid.UUID | None = None,
        record_id: uuid.UUID | None = None,
    ) -> Operation:
        """Create a record locally and queue its ``create`` (``record_id``: a derived id)."""
        if parent_id is not None:
            self._check_parent(kind, self.get(VISIT_KIND, parent_id))
        operation = Operation(
            op_id=self._new_op_id(),
            kind=kind,
            record_id=record_id or self._new_id(),
            action=Action.CREATE,
            fields=dict(fields),
            scope=scope,
            parent_id=parent_id,
            made_at=self._clock(),
        )
        return self._queue(operation)

    def update(
        self, kind: str, record_id: uuid.UUID, changed_fields: dict[str, Any]
    ) -> Operation | None:
        """Change fields locally and queue the ``update``; None (nothing queued) if none differs.

        Only changes are queued: an edit that changes nothing makes no new server version.
        """
        record = self._live(kind, record_id)
        changed = {
            name: value
            for name, value in changed_fields.items()
            if name not in record.fields or record.fields[name] != value
        }
        if not changed:
            return None
        return self._change(record, Action.UPDATE, changed)

    def delete(self, kind: str, record_id: uuid.UUID) -> Operation:
        """Mark a record deleted locally (a tombstone) and queue the ``delete``."""
        return self._change(self._live(kind, record_id), Action.DELETE, {DELETED: True})

    def finalize(self, visit_id: uuid.UUID) -> Operation | None:
        """Finalize a visit: its acta, sealed with its content's SHA-256, becomes immutable."""
        visit = self._live(VISIT_KIND, visit_id)
        content = json.dumps(visit.fields, sort_keys=True, ensure_ascii=False)
        seal = {
            STATUS_FIELD: FINALIZED,
            "acta_content": content,
            "acta_hash": hashlib.sha256(content.encode()).hexdigest(),
        }
        return self.update(VISIT_KIND, visit_id, seal)

    def _live(self, kind: str, record_id: uuid.UUID) -> LocalRecord:
        """The record shown here, if it is not deleted and not part of a finalized visit."""
        record = self.get(kind, record_id)
        if record is None or record.deleted:
            raise KeyError(f"no live {kind} record {record_id}")
        self._refuse_if_finalized(record)
        if record.parent_id is not None and not after_seal(kind):
            self._refuse_if_finalized(self.get(VISIT_KIND, record.parent_id))
        return record

    def _change(self, record: LocalRecord, action: Action, fields: dict[str, Any]) -> Operation:
        """Queue an update or delete made on the last version received from the server.

        Edits chained offline all name that version: the server knows which later versions
        this device made itself, so a base is never a number this device did not receive.
        """
        pulled = self._pulled.get((record.kind, record.record_id))
        operation = Operation(
            op_id=self._new_op_id(),
            kind=record.kind,
            record_id=record.record_id,
            action=action,
            base_version=pulled.version if pulled is not None else 1,  # 1: its own create
            fields=fields,
            scope=record.scope,
            parent_id=record.parent_id,
            made_at=self._clock(),
        )
        return self._queue(operation)

    def _queue(self, operation: Operation) -> Operation:
        """Append to the outbox (the local view derives from it in the same step)."""
        entry = _Entry(operation)
        self._outbox.append(entry)
        self._by_op[operation.op_id] = entry
        return operation

    @classmethod
    def _check_parent(cls, kind: str, visit: LocalRecord | None) -> None:
        """A record hangs from a draft; a signed copy (``after_seal``) from a finalized acta."""
        if not after_seal(kind):
            cls._refuse_if_finalized(visit)
        elif visit is None or not is_finalized(visit.kind, visit.fields):
            raise ValueError("a signed copy hangs from a finalized acta only")

    @staticmethod
    def _refuse_if_finalized(record: LocalRecord | None) -> None:
        """A finalized visit (and what hangs from it) is immutable on every side."""
        if record is not None and is_finalized(record.kind, record.fields):
            raise ValueError(f"visit {record.record_id} is finalized: create an addendum")

    # ------------------------------------------------------------------ what is shown

    def get(self, kind: str, record_id: uuid.UUID) -> LocalRecord | None:
        """The record as shown on this device, or None if it never existed here."""
        key = (kind, record_id)
        pulled = self._pulled.get(key)
        shown: LocalRecord | None = None
        if pulled is not None:
            shown = LocalRecord(
                kind=kind,
                record_id=record_id,
                version=pulled.version,
                fields=dict(pulled.fields),
                deleted=pulled.deleted,
                scope=pulled.scope,
                parent_id=pulled.parent_id,
                owner=pulled.owner,
                pending=False,
            )
        server_version = pulled.version if pulled is not None else 0
        for entry in self._outbox:
            operation = entry.operation
            if (operation.kind, operation.record_id) != key:
                continue
            if entry.receipt is not None and (
                entry.receipt.outcome is Outcome.REJECTED
                or (entry.receipt.version or 0) <= server_version
            ):
                continue  # refused, or already part of the pulled record
            if operation.action is Action.CREATE and pulled is not None:
                continue  # ids are unique: the create reached the server (its answer did not)
            shown = self._overlay(shown, entry, server_version)
        return shown

    def _overlay(
        self, shown: LocalRecord | None, entry: _Entry, server_version: int
    ) -> LocalRecord:
        """The record with one local operation on top, and the version it is expected to have.

        The version is the receipt's when there is one; otherwise a change made on the last
        version received adds one (chained edits of this device included), and a change made on
        an older one (to be merged with what others did) adds none: the merge may change nothing.
        """
        operation = entry.operation
        if shown is None:
            base = operation.base_version or 0
            shown = LocalRecord(
                kind=operation.kind,
                record_id=operation.record_id,
                version=base,
                fields={},
                deleted=False,
                scope=operation.scope,
                parent_id=operation.parent_id,
                owner=self.owner,
                pending=True,
            )
        fields = {**shown.fields, **operation.fields}
        version = shown.version + 1
        if operation.action is Action.CREATE:
            fields, version = dict(operation.fields), 1
        elif operation.base_version is not None and operation.base_version < server_version:
            version = shown.version  # others changed it since: the merge may change nothing
        if entry.receipt is not None and entry.receipt.version is not None:
            version = entry.receipt.version
        return replace(
            shown,
            version=version,
            fields=fields,
            deleted=operation.action is Action.DELETE,
            pending=True,
        )

    def records(self, kind: str | None = None) -> list[LocalRecord]:
        """Every record shown on this device (tombstones included), optionally of one kind."""
        keys = dict.fromkeys(self._pulled)
        for entry in self._outbox:
            keys.setdefault((entry.operation.kind, entry.operation.record_id))
        shown = (self.get(k, record_id) for k, record_id in keys if kind in (None, k))
        return [record for record in shown if record is not None]

    def receipt(self, op_id: uuid.UUID) -> Receipt | None:
        """The server's receipt for one of this device's operations, if it arrived."""
        entry = self._by_op.get(op_id)
        return entry.receipt if entry is not None else None

    def operations(self) -> list[Operation]:
        """Every operation ever queued here, in order (acknowledged ones included)."""
        return [entry.operation for entry in self._outbox]

    @property
    def conflicts(self) -> tuple[ConflictRecord, ...]:
        """The open conflicts last fetched from the server."""
        return self._conflicts

    def pulled(self, kind: str, record_id: uuid.UUID) -> RecordState | None:
        """The record exactly as last pulled from the server."""
        return self._pulled.get((kind, record_id))
