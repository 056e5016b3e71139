"""Test doubles for the engine: a small in-memory server with the README's semantics, and a
transport over it that can lose responses, cut requests and tamper with answers.

The server is deliberately simple (no scope, no quarantine table) but honest about what the
engine relies on: idempotent op_ids, versions, a global sequence, three-way merges, digests.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.errors import Unreachable
from sync.protocol import (
    Action,
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
    RecordState,
    digest_of,
)

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class ServerRecord:
    kind: str
    record_id: uuid.UUID
    version: int
    fields: dict[str, Any]
    deleted: bool
    scope: str
    parent_id: uuid.UUID | None
    owner: str
    updated_by: str
    seq: int
    history: dict[int, dict[str, Any]] = field(default_factory=dict)

    def state(self) -> RecordState:
        return RecordState(
            kind=self.kind,
            record_id=self.record_id,
            version=self.version,
            fields=dict(self.fields),
            deleted=self.deleted,
            scope=self.scope,
            parent_id=self.parent_id,
            owner=self.owner,
            updated_by=self.updated_by,
            seq=self.seq,
        )


class FakeServer:
    """Push/pull/digest/conflicts over dicts, one caller name per call."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, uuid.UUID], ServerRecord] = {}
        self.seq = 0
        self.receipts: dict[uuid.UUID, tuple[Operation, Receipt]] = {}
        self.open: list[tuple[str, ConflictRecord]] = []  # (author of the set-aside value, …)
        self.applied_ops: list[uuid.UUID] = []

    def push(self, request: PushRequest, user: str) -> PushResponse:
        receipts = []
        for operation in request.operations:
            stored = self.receipts.get(operation.op_id)
            if stored is not None:
                same = stored[0] == operation
                receipts.append(
                    stored[1]
                    if same
                    else Receipt(
                        op_id=operation.op_id,
                        outcome=Outcome.REJECTED,
                        reason="Identificador de operación reutilizado con otro contenido.",
                    )
                )
                continue
            receipt = self._apply(operation, user)
            self.receipts[operation.op_id] = (operation, receipt)
            receipts.append(receipt)
        return PushResponse(receipts=tuple(receipts))

    def _bump(self, record: ServerRecord, user: str) -> None:
        self.seq += 1
        record.version += 1
        record.seq = self.seq
        record.updated_by = user
        record.history[record.version] = dict(record.fields)

    def _finalized(self, operation: Operation) -> bool:
        for visit_id in (operation.record_id, operation.parent_id):
            visit = self.records.get(("visit", visit_id)) if visit_id else None
            if visit is not None and visit.fields.get("status") == "finalizada":
                return True
        return False

    def _apply(self, operation: Operation, user: str) -> Receipt:
        key = (operation.kind, operation.record_id)
        record = self.records.get(key)
        op_id = operation.op_id

        def reject(reason: str) -> Receipt:
            return Receipt(op_id=op_id, outcome=Outcome.REJECTED, reason=reason)

        if self._finalized(operation):
            return reject("El acta está finalizada y no admite cambios: cree una adenda.")
        if operation.action is Action.CREATE:
            if record is not None:
                return reject("El registro ya existe.")
            record = ServerRecord(
                kind=operation.kind,
                record_id=operation.record_id,
                version=0,
                fields=dict(operation.fields),
                deleted=False,
                scope=operation.scope,
                parent_id=operation.parent_id,
                owner=user,
                updated_by=user,
                seq=0,
            )
            self.records[key] = record
            self._bump(record, user)
            self.applied_ops.append(op_id)
            return Receipt(op_id=op_id, outcome=Outcome.APPLIED, version=record.version)
        if record is None or operation.base_version is None:
            return reject("El registro no existe en el servidor.")
        base = operation.base_version
        on_current = base == record.version
        conflicts: list[ConflictRecord] = []
        if operation.action is Action.DELETE:
            if base < record.version:
                conflicts.append(self._conflict(record, operation, user, "_deleted", False, True))
            else:
                record.deleted = True
                self._bump(record, user)
        else:
            base_fields = record.history.get(base, {})
            changed = False
            for name, value in operation.fields.items():
                current = record.fields.get(name)
                if base == record.version or current == base_fields.get(name):
                    changed = changed or current != value
                    record.fields[name] = value
                elif current != value:
                    conflicts.append(self._conflict(record, operation, user, name, current, value))
            revived = record.deleted and base < record.version
            record.deleted = record.deleted and not revived
            if changed or revived:
                self._bump(record, user)
        self.applied_ops.append(op_id)
        self.open.extend((user, conflict) for conflict in conflicts)
        outcome = Outcome.APPLIED if on_current else Outcome.MERGED
        if conflicts:
            outcome = Outcome.CONFLICT
        return Receipt(
            op_id=op_id, outcome=outcome, version=record.version, conflicts=tuple(conflicts)
        )

    def _conflict(
        self,
        record: ServerRecord,
        operation: Operation,
        user: str,
        name: str,
        kept: Any,
        other: Any,
    ) -> ConflictRecord:
        return ConflictRecord(
            conflict_id=uuid.uuid5(operation.op_id, name),
            kind=record.kind,
            record_id=record.record_id,
            field=name,
            base_value=record.history.get(operation.base_version or 0, {}).get(name),
            kept_value=kept,
            kept_author=record.updated_by,
            other_value=other,
            other_author=user,
            other_made_at=operation.made_at,
        )

    def pull(self, request: PullRequest, user: str) -> ChangePage:
        del user
        changed = sorted(
            (r for r in self.records.values() if r.seq > request.cursor),
            key=lambda record: record.seq,
        )
        if request.kinds:
            changed = [r for r in changed if r.kind in request.kinds]
        page = changed[: request.limit]
        return ChangePage(
            records=tuple(r.state() for r in page),
            next_cursor=page[-1].seq if page else request.cursor,
            has_more=len(changed) > request.limit,
        )

    def digest(self, request: DigestRequest, user: str) -> DigestResponse:
        del user
        kinds = set(request.kinds) or {kind for kind, _ in self.records}
        digests = []
        for kind in sorted(kinds):
            pairs = [(r.record_id, r.version) for r in self.records.values() if r.kind == kind]
            digests.append(KindDigest(kind=kind, count=len(pairs), digest=digest_of(pairs)))
        return DigestResponse(digests=tuple(digests))

    def open_conflicts(self, user: str) -> ConflictList:
        return ConflictList(conflicts=tuple(c for author, c in self.open if author == user))


Tamper = Callable[[str, Any], Any]


class FakeTransport:
    """A device's connection to the fake server, with injectable faults.

    ``faults`` maps a call number (0-based, over every call) to "lose" (the server acts, the
    answer never arrives) or "cut" (the request never arrives). ``tamper(name, answer)`` may
    replace an answer; ``before(name, request)`` runs before the server sees a request.
    """

    def __init__(self, server: FakeServer, user: str = "ana") -> None:
        self.server = server
        self.user = user
        self.calls: list[tuple[str, Any]] = []
        self.faults: dict[int, str] = {}
        self.tamper: Tamper | None = None
        self.before: Callable[[str, Any], None] | None = None

    def _call(self, name: str, request: Any, run: Callable[[], Any]) -> Any:
        number = len(self.calls)
        self.calls.append((name, request))
        fault = self.faults.get(number)
        if fault == "cut":
            raise Unreachable()
        if self.before is not None:
            self.before(name, request)
        answer = run()
        if fault == "lose":
            raise Unreachable()
        return self.tamper(name, answer) if self.tamper else answer

    def push(self, request: PushRequest, waiting: int | None = None) -> PushResponse:
        answer: PushResponse = self._call(
            "push", request, lambda: self.server.push(request, self.user)
        )
        return answer

    def pull(self, request: PullRequest) -> ChangePage:
        answer: ChangePage = self._call(
            "pull", request, lambda: self.server.pull(request, self.user)
        )
        return answer

    def digest(self, request: DigestRequest) -> DigestResponse:
        answer: DigestResponse = self._call(
            "digest", request, lambda: self.server.digest(request, self.user)
        )
        return answer

    def conflicts(self) -> ConflictList:
        answer: ConflictList = self._call(
            "conflicts", None, lambda: self.server.open_conflicts(self.user)
        )
        return answer

    def requests(self, name: str) -> list[Any]:
        return [request for called, request in self.calls if called == name]
