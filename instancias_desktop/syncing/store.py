"""The local database as the sync engine's LocalStore: outbox out, pulled pages in.

The outbox is written by every unit of work together with its change (db/outbox.py); an entry
leaves «pendiente» only when a server receipt names it. A pulled page is applied, with the new
cursor, in one transaction; local edits still waiting to be sent stay visible on top of it.
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence

from instancias_desktop.db.outbox import synced_kinds
from instancias_desktop.db.repositories.sync_records import (
    WAITING,
    LocalClashError,
    PulledRecord,
    SyncRepository,
)
from instancias_desktop.db.uow import Database
from sync.kinds import KINDS
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    KindDigest,
    Operation,
    Outcome,
    Receipt,
    RecordState,
    digest_of,
)

CURSOR = "cursor"
CONFLICTS = "conflicts"  # the server's list of open conflicts, as last received
RESOLVED = "conflicts.resolved"  # ids resolved here, to tell the server at the next sync
CONFLICTS_UPTO = "conflicts.upto"  # the last outbox entry answered when that list arrived
PARKED = "parked"  # pulled records waiting for what they refer to, or for a unique value
STATE_OF = {
    Outcome.APPLIED: "confirmado",
    Outcome.MERGED: "confirmado",
    Outcome.CONFLICT: "en_conflicto",
    Outcome.REJECTED: "rechazado",
}


def _parents_first(state: RecordState) -> tuple[int, int]:
    """Parents before children (the declared order), then in server order."""
    spec = KINDS.get(state.kind)
    return (spec.apply_order if spec is not None else 9), state.seq


def _applied(sync: SyncRepository, state: RecordState, now: dt.datetime, *, careful: bool) -> bool:
    """Apply a pulled record (local pending edits on top) unless it must wait."""
    if sync.missing_reference(state.kind, state.fields):
        return False
    if careful:
        return sync.apply_checked(_pulled(state), now)
    sync.apply(_pulled(state), now)
    sync.reapply_pending(state.kind, state.record_id)
    return True


def _parked(value: str | None) -> list[str]:
    return list(json.loads(value)) if value else []


def _pulled(state: RecordState) -> PulledRecord:
    return PulledRecord(
        kind=state.kind,
        record_id=state.record_id,
        version=state.version,
        fields=state.fields,
        deleted=state.deleted,
        owner=state.owner,
        updated_by=state.updated_by,
    )


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
        """Record receipts: confirmed, in conflict or rejected with the server's reason."""
        with self._database.unit_of_work(record=False) as uow:
            now = self._database.clock()
            for receipt in receipts:
                if receipt.op_id is None:  # the engine names every receipt's operation
                    raise ValueError("a receipt without its op_id cannot be acknowledged")
                uow.sync.acknowledge(receipt.op_id, STATE_OF[receipt.outcome], receipt.reason, now)
            uow.commit()

    def cursor(self) -> int:
        """The server sequence pulled so far."""
        with self._database.reader() as uow:
            return int(uow.sync.value(CURSOR) or 0)

    def apply_page(self, page: ChangePage) -> None:
        """Apply a pulled page and store its cursor, in one transaction.

        The server sends each record at the place of its last change, so a child may come
        before its parent (a visit finalized after its participants were added). Rows are
        applied parents first; a record that refers to a row not here yet is parked, without
        touching what this device holds, and applied again once it can be (later in the page
        or with the next pages).

        A record whose unique value (an acta number, an agreement's number) another local
        row still holds would stop every later sync. The page is then applied again record
        by record, each in a savepoint, and such a record is parked too.
        """
        try:
            self._apply_page(page, careful=False)
        except LocalClashError:
            self._apply_page(page, careful=True)

    def _apply_page(self, page: ChangePage, *, careful: bool) -> None:
        now = self._database.clock()
        with self._database.unit_of_work(remote=True) as uow:
            parked = [RecordState.model_validate_json(r) for r in _parked(uow.sync.value(PARKED))]
            states = {(s.kind, s.record_id): s for s in (*parked, *page.records)}
            waiting = sorted(states.values(), key=_parents_first)
            progressed = True
            while waiting and progressed:  # until everything is in, or nothing more can go in
                left, progressed = [], False
                for state in waiting:
                    if _applied(uow.sync, state, now, careful=careful):
                        progressed = True
                    else:
                        left.append(state)
                waiting = left
            uow.sync.set_value(PARKED, json.dumps([s.model_dump_json() for s in waiting]))
            stored = int(uow.sync.value(CURSOR) or 0)
            uow.sync.set_value(CURSOR, str(max(page.next_cursor, stored)))
            uow.commit()

    def digests(self, kinds: Iterable[str]) -> dict[str, KindDigest]:
        """What this device holds of each kind, summarized like the server does."""
        wanted = tuple(kinds) or synced_kinds()
        with self._database.reader() as uow:
            result = {}
            for kind in wanted:
                pairs = uow.sync.versions(kind) if kind in synced_kinds() else []
                result[kind] = KindDigest(kind=kind, count=len(pairs), digest=digest_of(pairs))
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
