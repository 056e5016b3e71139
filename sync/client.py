"""The sync engine: push the outbox, pull changes by cursor, verify digests, fetch conflicts.

The engine drives a ``LocalStore`` (the app's database, or ``MemoryStore`` in tests) through a
``Transport`` (HTTP, or the server's service layer in-process). It holds no state between runs:
everything durable lives in the store, so a run cut at any point is simply run again.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from sync.errors import Refused, ServerFailure, require_protocol
from sync.protocol import (
    MAX_BATCH,
    MAX_PAGE,
    ChangePage,
    ConflictList,
    ConflictRecord,
    DigestRequest,
    DigestResponse,
    KindDigest,
    Operation,
    Outcome,
    PullRequest,
    PushRequest,
    PushResponse,
    Receipt,
    digest_of,
)

EMPTY_DIGEST = digest_of(())


class Transport(Protocol):
    """How the engine reaches the server; every failure is a ``sync.errors.SyncError``."""

    def push(self, request: PushRequest, waiting: int | None = None) -> PushResponse:
        """Send a batch of operations; one receipt per operation, in order.

        ``waiting``: how many operations the outbox still holds besides these, for the server
        to show («sin enviar»); a transport that cannot say it leaves it out.
        """
        ...

    def pull(self, request: PullRequest) -> ChangePage:
        """Fetch the records changed after a cursor, in server order."""
        ...

    def digest(self, request: DigestRequest) -> DigestResponse:
        """Fetch per-kind digests of (record_id, version) over the caller's scope."""
        ...

    def conflicts(self) -> ConflictList:
        """Fetch the open conflicts whose set-aside value is the caller's."""
        ...

    def mark_resolved(self, conflict_id: uuid.UUID) -> None:
        """Tell the server the person looked at a conflict (a chosen value travels as an edit)."""
        ...


class LocalStore(Protocol):
    """What the app implements over its database for the engine (each call one transaction)."""

    def pending(self, limit: int) -> list[Operation]:
        """The outbox: at most ``limit`` operations without a receipt, oldest first."""
        ...

    def waiting(self) -> int:
        """How many operations of the outbox have no receipt yet (sent ones included)."""
        ...

    def mark_sent(self, op_ids: Sequence[uuid.UUID]) -> None:
        """These operations are on their way: they stay in the outbox until their receipt."""
        ...

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Mark these op_ids applied, merged, in conflict or rejected (only ever on a receipt)."""
        ...

    def cursor(self) -> int:
        """The server sequence up to which every change has been applied locally."""
        ...

    def apply_page(self, page: ChangePage) -> None:
        """Apply the records and store ``page.next_cursor`` in one transaction.

        A record with pending local operations keeps them in the outbox (the server merges
        them); the local view shows the pulled record with the pending changes on top.
        """
        ...

    def digests(self, kinds: Sequence[str]) -> dict[str, KindDigest]:
        """``digest_of`` over (record_id, version) of the pulled records, tombstones included.

        Only records as last received from the server count (not local pending changes);
        empty ``kinds`` means every kind the store holds.
        """
        ...

    def forget_kind(self, kind: str) -> None:
        """Drop the kind's pulled records (keep pending local operations) before a re-pull.

        ``cursor()`` must not change: the engine re-pulls the kind from 0 and the pages it
        applies carry the current cursor as ``next_cursor``.
        """
        ...

    def record_conflicts(self, conflicts: ConflictList) -> None:
        """Replace the open conflicts shown to the person with these."""
        ...


TOO_LARGE = 413  # the server's answer to a body over its limit


class Stage(StrEnum):
    """The stages reported to ``on_progress`` (the app shows them in Spanish)."""

    PUSH = "push"
    PULL = "pull"
    VERIFY = "verify"
    CONFLICTS = "conflicts"


ProgressCallback = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Rejection:
    """An operation the server refused, with its Spanish reason (quarantined on the server)."""

    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class SyncReport:
    """What one ``sync()`` did: counts, rejections with reasons, digests, open conflicts."""

    sent: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0  # receipts with outcome "conflict" in this run
    rejected: tuple[Rejection, ...] = ()
    received: int = 0  # records pulled, re-pulls included
    rounds: int = 0  # round trips to the server
    digest_mismatches: tuple[str, ...] = ()  # kinds that differed at the first comparison
    unresolved: tuple[str, ...] = ()  # kinds that still differ after the targeted re-pull
    unacknowledged: int = 0  # operations sent whose receipt did not come back
    open_conflicts: tuple[ConflictRecord, ...] = ()

    @property
    def ok(self) -> bool:
        """True only if every sent operation got a receipt and every digest matches."""
        return self.unacknowledged == 0 and not self.unresolved


@dataclass
class _Tally:
    """The counters of one run, frozen into a ``SyncReport`` at the end."""

    outcomes: dict[Outcome, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    sent: int = 0
    received: int = 0
    rounds: int = 0
    unacknowledged: int = 0

    def count(self, receipt: Receipt, operation: Operation) -> None:
        """Count one receipt by outcome, keeping the reason of a rejection."""
        self.outcomes[receipt.outcome] = self.outcomes.get(receipt.outcome, 0) + 1
        if receipt.outcome is Outcome.REJECTED:
            self.rejected.append(
                Rejection(operation.op_id, operation.kind, operation.record_id, receipt.reason)
            )

    def report(
        self,
        mismatches: Sequence[str],
        unresolved: Sequence[str],
        open_conflicts: Sequence[ConflictRecord],
    ) -> SyncReport:
        """Freeze the counters."""
        return SyncReport(
            sent=self.sent,
            applied=self.outcomes.get(Outcome.APPLIED, 0),
            merged=self.outcomes.get(Outcome.MERGED, 0),
            conflicts=self.outcomes.get(Outcome.CONFLICT, 0),
            rejected=tuple(self.rejected),
            received=self.received,
            rounds=self.rounds,
            digest_mismatches=tuple(mismatches),
            unresolved=tuple(unresolved),
            unacknowledged=self.unacknowledged,
            open_conflicts=tuple(open_conflicts),
        )


def name_receipts(batch: Sequence[Operation], answers: Sequence[Receipt]) -> list[Receipt]:
    """The receipts of a batch, each naming its operation: they answer it in the order sent.

    A receipt that names another operation than the one in its place means the answer is not
    for this batch: nothing of it is acknowledged.
    """
    if len(answers) > len(batch) or any(
        answer.op_id is not None and answer.op_id != operation.op_id
        for operation, answer in zip(batch, answers, strict=False)
    ):
        raise ServerFailure(code="respuesta_invalida", status=None)
    return [
        answer if answer.op_id is not None else answer.model_copy(update={"op_id": operation.op_id})
        for operation, answer in zip(batch, answers, strict=False)
    ]


def _same(local: KindDigest | None, remote: KindDigest | None) -> bool:
    """Whether two digests of one kind agree (an absent kind is an empty one)."""
    mine = (local.count, local.digest) if local else (0, EMPTY_DIGEST)
    theirs = (remote.count, remote.digest) if remote else (0, EMPTY_DIGEST)
    return mine == theirs


class SyncEngine:
    """Push, pull, verify and fetch conflicts for one store through one transport."""

    def __init__(
        self,
        store: LocalStore,
        transport: Transport,
        *,
        batch: int = MAX_BATCH,
        page: int = 500,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Operations per push (≤ MAX_BATCH) and records per pulled page (≤ MAX_PAGE)."""
        if not 1 <= batch <= MAX_BATCH:
            raise ValueError(f"batch must be between 1 and {MAX_BATCH}, not {batch}")
        if not 1 <= page <= MAX_PAGE:
            raise ValueError(f"page must be between 1 and {MAX_PAGE}, not {page}")
        self._store = store
        self._transport = transport
        self._batch = batch
        self._page = page
        self._on_progress = on_progress

    def sync(self) -> SyncReport:
        """Run one full synchronization; a ``SyncError`` stops it and a new run resumes it."""
        tally = _Tally()
        self._push(tally)
        self._pull(tally, kinds=())
        mismatches, unresolved = self._verify(tally)
        conflicts = self._transport.conflicts()
        tally.rounds += 1
        require_protocol(conflicts.protocol)
        self._store.record_conflicts(conflicts)
        self._progress(Stage.CONFLICTS, len(conflicts.conflicts), len(conflicts.conflicts))
        return tally.report(mismatches, unresolved, conflicts.conflicts)

    def _progress(self, stage: Stage, done: int, total: int | None) -> None:
        """Tell the caller how far a stage got, if it asked."""
        if self._on_progress is not None:
            self._on_progress(stage.value, done, total)

    def _push(self, tally: _Tally) -> None:
        """Send the outbox in batches, acknowledging each batch's receipts as they arrive.

        A batch too large for the server (413: long texts) is sent again in halves; a single
        operation that is still too large gets a local rejection with the server's reason, so
        it never blocks the ones after it.
        """
        sent_ids: set[uuid.UUID] = set()
        size = self._batch
        while True:
            batch = [op for op in self._store.pending(size) if op.op_id not in sent_ids]
            if not batch:
                return
            self._store.mark_sent([op.op_id for op in batch])
            besides = max(0, self._store.waiting() - len(batch))
            try:
                response = self._transport.push(
                    PushRequest(operations=tuple(batch)), waiting=besides
                )
            except Refused as error:
                tally.rounds += 1
                if error.status != TOO_LARGE:
                    raise
                if len(batch) > 1:
                    size = max(1, len(batch) // 2)
                    continue
                response = PushResponse(
                    receipts=(Receipt(outcome=Outcome.REJECTED, reason=str(error)),)
                )
            else:
                tally.rounds += 1
            require_protocol(response.protocol)
            receipts = name_receipts(batch, response.receipts)
            if receipts:
                self._store.acknowledge(receipts)
            for operation, receipt in zip(batch, receipts, strict=False):
                tally.count(receipt, operation)
            sent_ids.update(op.op_id for op in batch)
            tally.sent += len(batch)
            self._progress(Stage.PUSH, tally.sent, None)
            if len(receipts) < len(batch):
                # The server skipped some operations: they stay pending for the next run.
                tally.unacknowledged += len(batch) - len(receipts)
                return

    def _pull(self, tally: _Tally, kinds: tuple[str, ...], keep_cursor: int | None = None) -> None:
        """Pull pages until ``has_more`` is false, applying each page in one store transaction.

        With ``keep_cursor`` (a targeted re-pull of ``kinds`` from 0) the applied pages carry
        that cursor, so changes of other kinds after it are still pulled by the next run.
        """
        cursor = self._store.cursor() if keep_cursor is None else 0
        while True:
            page = self._transport.pull(PullRequest(cursor=cursor, limit=self._page, kinds=kinds))
            tally.rounds += 1
            require_protocol(page.protocol)
            if page.next_cursor < cursor or (page.has_more and page.next_cursor == cursor):
                raise ServerFailure(code="cursor_invalido")
            applied = page
            if keep_cursor is not None:
                applied = page.model_copy(update={"next_cursor": keep_cursor})
            if applied.records or applied.next_cursor != cursor or keep_cursor is not None:
                self._store.apply_page(applied)
            tally.received += len(page.records)
            self._progress(Stage.PULL, tally.received, None)
            cursor = page.next_cursor
            if not page.has_more:
                return

    def _compare(self, tally: _Tally, kinds: tuple[str, ...]) -> list[str]:
        """The kinds whose local digest differs from the server's (empty ``kinds``: all)."""
        response = self._transport.digest(DigestRequest(kinds=kinds))
        tally.rounds += 1
        require_protocol(response.protocol)
        remote = {digest.kind: digest for digest in response.digests}
        local = self._store.digests(kinds)
        every = sorted(set(kinds) | set(remote) | set(local))
        self._progress(Stage.VERIFY, len(every), len(every))
        return [kind for kind in every if not _same(local.get(kind), remote.get(kind))]

    def _verify(self, tally: _Tally) -> tuple[list[str], list[str]]:
        """Compare digests; re-pull each differing kind from 0 once, then compare again."""
        mismatches = self._compare(tally, ())
        if not mismatches:
            return [], []
        keep = self._store.cursor()
        for kind in mismatches:
            self._store.forget_kind(kind)
            self._pull(tally, kinds=(kind,), keep_cursor=keep)
        self._pull(tally, kinds=())  # what other devices pushed meanwhile
        return mismatches, self._compare(tally, tuple(mismatches))
