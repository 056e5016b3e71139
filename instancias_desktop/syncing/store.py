"""The local database as the sync engine's LocalStore: outbox out, pulled pages in.

The outbox is written by every unit of work together with its change (db/outbox.py); an entry
leaves «pendiente» only when a server receipt names it. A pulled page is applied, with the new
cursor, in one transaction; local edits still waiting to be sent stay visible on top of it.
"""

import json
import uuid
from collections.abc import Iterable, Sequence

from instancias_desktop.db.outbox import synced_kinds
from instancias_desktop.db.repositories.sync_records import WAITING, NotStoredError
from instancias_desktop.db.uow import Database
from instancias_desktop.syncing.receiving import (
    PARKED,
    Parked,
    apply_records,
    dump_parked,
    load_parked,
)
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    KindDigest,
    Operation,
    Outcome,
    Receipt,
    RecordKey,
    RecordState,
    digest_of,
)

CURSOR = "cursor"
CONFLICTS = "conflicts"  # the server's list of open conflicts, as last received
RESOLVED = "conflicts.resolved"  # ids resolved here, to tell the server at the next sync
CONFLICTS_UPTO = "conflicts.upto"  # the last outbox entry answered when that list arrived
RESTORE_DUE = "restore.due"  # records to show again as the server holds them
SET_ASIDE = frozenset({Outcome.CONFLICT, Outcome.REJECTED})  # her value is not the server's
STATE_OF = {
    Outcome.APPLIED: "confirmado",
    Outcome.MERGED: "confirmado",
    Outcome.CONFLICT: "en_conflicto",
    Outcome.REJECTED: "rechazado",
}


def _keys(stored: str | None) -> set[tuple[str, uuid.UUID]]:
    return {(kind, uuid.UUID(text)) for kind, text in json.loads(stored or "[]")}


def _dump_keys(keys: set[tuple[str, uuid.UUID]]) -> str:
    return json.dumps(sorted([kind, str(record_id)] for kind, record_id in keys))


class DatabaseStore:
    """Implements sync.client.LocalStore over a profile's database."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self.conflicts: ConflictList | None = None  # the last list the server sent

    def pending(self, limit: int) -> list[Operation]:
        """Changes not yet acknowledged, oldest first, as operations."""
        with self._database.reader() as uow:
            entries = uow.sync.pending(limit)
        return [
            Operation(
                op_id=e.op_id,
                kind=e.kind,
                record_id=e.record_id,
                action=Action(e.action),
                base_version=e.base_version,
                fields=e.fields,
                scope=e.scope,
                parent_id=e.parent_id,
                made_at=e.made_at,
            )
            for e in entries
        ]

    def waiting(self) -> int:
        """How many changes made here the server has not confirmed yet."""
        with self._database.reader() as uow:
            states = uow.sync.states()
        return sum(states.get(state, 0) for state in WAITING)

    def mark_sent(self, op_ids: Sequence[uuid.UUID]) -> None:
        """The outbox entries are on their way: «enviado» until their receipt."""
        with self._database.unit_of_work(record=False) as uow:
            uow.sync.mark_sent(op_ids)
            uow.commit()

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Record receipts: confirmed, in conflict or rejected with the server's reason.

        A record whose change was refused or set aside in a conflict must show the server's
        version again (``restore``): it is noted as due in the same transaction, so a sync
        killed right after still puts it back at the next one.
        """
        with self._database.unit_of_work(record=False) as uow:
            now = self._database.clock()
            due = _keys(uow.sync.value(RESTORE_DUE))
            for receipt in receipts:
                if receipt.op_id is None:  # the engine names every receipt's operation
                    raise ValueError("a receipt without its op_id cannot be acknowledged")
                settled = uow.sync.acknowledge(
                    receipt.op_id, STATE_OF[receipt.outcome], receipt.reason, now
                )
                if settled is not None and receipt.outcome in SET_ASIDE:
                    due.add(settled)
            uow.sync.set_value(RESTORE_DUE, _dump_keys(due))
            uow.commit()

    def restore_due(self) -> list[RecordKey]:
        """The records to show again as the server holds them (see ``acknowledge``)."""
        with self._database.reader() as uow:
            due = _keys(uow.sync.value(RESTORE_DUE))
        return [RecordKey(kind=kind, record_id=record_id) for kind, record_id in sorted(due)]

    def cursor(self) -> int:
        """The server sequence pulled so far."""
        with self._database.reader() as uow:
            return int(uow.sync.value(CURSOR) or 0)

    def apply_page(self, page: ChangePage) -> None:
        """Apply a pulled page and store its cursor, in one transaction.

        The server sends each record at the place of its last change, so a child may come
        before its parent (a visit finalized after its participants were added). Rows are
        applied parents first; a record that cannot be applied yet (it names a row not here
        yet, holds a value another local row holds, or one this laptop cannot store) is
        parked with its reason, without touching what this device holds, and applied again
        once it can be (later in the page, with the next pages, or at the next sync).
        """
        self._receive(page.records, page.next_cursor)

    def retry_parked(self) -> list[Parked]:
        """Try the parked records again (a catalogue or a form arrived meanwhile)."""
        return self._receive((), None)

    def restore(self, records: Sequence[RecordState], done: Sequence[RecordKey] = ()) -> None:
        """Put back the server's version of records whose local change it refused or set aside.

        ``done`` (the records asked for) leave the records due in the same transaction. The
        changes still waiting to be sent stay on top; the refused ones do not. A record
        asked for that the server does not hold (a refused create) keeps what was typed.
        """
        if records or done:
            self._receive(records, None, done)

    def parked(self) -> list[Parked]:
        """The records received but not stored yet, with why."""
        with self._database.reader() as uow:
            return load_parked(uow.sync.value(PARKED))

    def _receive(
        self, records: Sequence[RecordState], cursor: int | None, done: Sequence[RecordKey] = ()
    ) -> list[Parked]:
        try:
            return self._apply(records, cursor, done, careful=False)
        except NotStoredError:  # one record cannot be stored: each in a savepoint, then
            return self._apply(records, cursor, done, careful=True)

    def _apply(
        self,
        records: Sequence[RecordState],
        cursor: int | None,
        done: Sequence[RecordKey],
        *,
        careful: bool,
    ) -> list[Parked]:
        now = self._database.clock()
        with self._database.unit_of_work(remote=True) as uow:
            before = load_parked(uow.sync.value(PARKED))
            left = apply_records(uow.sync, records, before, now, careful=careful)
            uow.sync.set_value(PARKED, dump_parked(left))
            if cursor is not None:
                stored = int(uow.sync.value(CURSOR) or 0)
                uow.sync.set_value(CURSOR, str(max(cursor, stored)))
            if done:
                due = _keys(uow.sync.value(RESTORE_DUE))
                due -= {(key.kind, key.record_id) for key in done}
                uow.sync.set_value(RESTORE_DUE, _dump_keys(due))
            uow.commit()
        return left

    def digests(self, kinds: Iterable[str]) -> dict[str, KindDigest]:
        """What this device holds of each kind, summarized like the server does."""
        wanted = tuple(kinds) or synced_kinds()
        with self._database.reader() as uow:
            # Parked records were received too (not stored yet): they count, or every sync
            # would find the kind different and pull it all again.
            waiting: dict[str, dict[uuid.UUID, int]] = {}
            for parked in load_parked(uow.sync.value(PARKED)):
                held = waiting.setdefault(parked.record.kind, {})
                held[parked.record.record_id] = parked.record.version
            result = {}
            for kind in wanted:
                pairs = dict(uow.sync.versions(kind)) if kind in synced_kinds() else {}
                pairs.update(waiting.get(kind, {}))
                listed = list(pairs.items())
                result[kind] = KindDigest(kind=kind, count=len(listed), digest=digest_of(listed))
        return result

    def forget_kind(self, kind: str) -> None:
        """Prepare a re-pull of a kind: forget what was received of it; no row is dropped.

        The re-pull receives again every record of the kind the server holds for this user;
        local rows it does not bring (pending, refused, out of scope now) stay on the laptop
        and no longer count in the digests.
        """
        if kind not in synced_kinds():
            return
        with self._database.unit_of_work(record=False) as uow:
            uow.sync.forget_received(kind)
            uow.commit()

    def record_conflicts(self, conflicts: ConflictList) -> None:
        """Keep the open conflicts the server listed for this device's user.

        They replace the ones kept before; those resolved here stay hidden until the server
        hears of it.
        """
        with self._database.unit_of_work(record=False) as uow:
            uow.sync.set_value(CONFLICTS, conflicts.model_dump_json())
            uow.sync.set_value(CONFLICTS_UPTO, str(uow.sync.last_answered()))
            uow.commit()
