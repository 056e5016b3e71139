"""A server database with users, laptops on fault-injecting transports, and server snapshots."""

import atexit
import dataclasses
import datetime as dt
import itertools
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from sync.client import SyncEngine, name_receipts
from sync.errors import Unreachable
from sync.memory_store import MemoryStore
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    DigestRequest,
    DigestResponse,
    LoginRequest,
    Operation,
    Outcome,
    PullRequest,
    PushRequest,
    PushResponse,
    Receipt,
    RecordState,
)
from sync.server import auth
from sync.server.access import Caller, assign_territories, load_caller
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.server.store import Conflict, OperationLog, Record, RecordVersion
from sync.transport_memory import MemoryTransport

T0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
PASSWORD = "clave-de-prueba-123"
# Two specialists: ana covers the whole province of Cusco, beto only the district of Wanchaq.
USERS: dict[str, tuple[str, ...]] = {"ana": ("0801",), "beto": ("080108",)}
MISSING = "<missing>"  # how an absent field is written in the sets of values a device saw

_template: Path | None = None


def server_template() -> Path:
    """A migrated server database file with the users, built once per process and copied."""
    global _template  # noqa: PLW0603  (a per-process cache: migrations and scrypt cost time)
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="sync-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        engine = create_server_engine(f"sqlite:///{folder / 'server.sqlite3'}")
        migrate(engine)
        with session_factory(engine).begin() as session:
            for username, territories in USERS.items():
                auth.create_user(session, username, "especialista", PASSWORD, T0)
                assign_territories(session, username, territories)
        engine.dispose()  # the last connection checkpoints the WAL into the main file
        _template = folder / "server.sqlite3"
    return _template


class Ids:
    """Deterministic ids and clock, so a shrunk example replays the same records."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._ticks = itertools.count(1)

    def new_id(self) -> uuid.UUID:
        """The next id (operations and records share the counter: all unique)."""
        return uuid.UUID(int=next(self._numbers), version=4)  # random-looking, as the app makes

    def clock(self) -> dt.datetime:
        """A clock that advances one second per reading."""
        return T0 + dt.timedelta(seconds=next(self._ticks))


class Server:
    """A fresh copy of the template server database, and the users' callers."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "server.sqlite3"
        shutil.copyfile(server_template(), target)
        self.folder = folder
        self.url = f"sqlite:///{target}"
        self.engine: Engine = create_server_engine(self.url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        with self.sessions.begin() as session:
            self.callers = {name: load_caller(session, name) for name in USERS}

    def token(self, username: str, device_name: str = "Laptop") -> str:
        """Sign a device in (as ``/v1/login`` does) and answer its bearer token."""
        request = LoginRequest(username=username, password=PASSWORD, device_name=device_name)
        with self.sessions.begin() as session:
            answer = auth.login(session, request, dt.datetime.now(dt.UTC))  # served live
        assert answer is not None
        return answer.token

    def snapshot(self) -> "Snapshot":
        """Everything the invariants look at, read in one transaction."""
        with self.sessions.begin() as session:
            return Snapshot.read(session)

    def dispose(self) -> None:
        """Close the connections."""
        self.engine.dispose()

    def remove(self) -> None:
        """Close the connections and delete the folder."""
        self.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class VersionState:
    """One kept version of a server record."""

    fields: dict[str, Any]
    deleted: bool
    updated_by: str


@dataclass(frozen=True)
class LoggedOperation:
    """A row of the server's operations table."""

    username: str
    receipt: Receipt


@dataclass
class Snapshot:
    """The server's records, versions, conflicts and receipts at one moment."""

    records: dict[tuple[str, uuid.UUID], RecordState] = field(default_factory=dict)
    versions: dict[tuple[str, uuid.UUID], dict[int, VersionState]] = field(default_factory=dict)
    conflicts: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    log: dict[uuid.UUID, LoggedOperation] = field(default_factory=dict)

    @classmethod
    def read(cls, session: Session) -> "Snapshot":
        """Read every table the invariants need."""
        made = cls()
        for row in session.scalars(select(Record)):
            made.records[(row.kind, row.record_id)] = RecordState(
                kind=row.kind,
                record_id=row.record_id,
                version=row.version,
                fields=row.fields,
                deleted=row.deleted,
                scope=row.scope,
                parent_id=row.parent_id,
                owner=row.owner,
                updated_by=row.updated_by,
                seq=row.seq,
            )
        for version in session.scalars(select(RecordVersion)):
            kept = made.versions.setdefault((version.kind, version.record_id), {})
            kept[version.version] = VersionState(
                dict(version.fields), version.deleted, version.updated_by
            )
        for key, state in made.records.items():  # the current version lives in ``records``
            kept = made.versions.setdefault(key, {})
            assert state.version not in kept, f"version {state.version} of {key} kept twice"
            kept[state.version] = VersionState(dict(state.fields), state.deleted, state.updated_by)
        for conflict in session.scalars(select(Conflict)):
            made.conflicts[conflict.conflict_id] = {
                "kind": conflict.kind,
                "record_id": conflict.record_id,
                "field": conflict.field,
                "base_value": conflict.base_value,
                "kept_value": conflict.kept_value,
                "other_value": conflict.other_value,
                "kept_author": conflict.kept_author,
                "other_author": conflict.other_author,
                "resolved": conflict.resolved,
            }
        for logged in session.scalars(select(OperationLog)):
            receipt = Receipt.model_validate(logged.receipt)  # answers by position: name it
            made.log[logged.op_id] = LoggedOperation(
                logged.username, receipt.model_copy(update={"op_id": logged.op_id})
            )
        return made

    def visible(self, caller: Caller) -> dict[tuple[str, uuid.UUID], RecordState]:
        """The records the caller reads (own records, and those inside her territories)."""
        return {
            key: state
            for key, state in self.records.items()
            if caller.can_read(state.scope, state.owner)
        }

    def open_conflicts(self, username: str) -> set[uuid.UUID]:
        """Open conflicts whose set-aside value is the user's."""
        return {
            conflict_id
            for conflict_id, row in self.conflicts.items()
            if row["other_author"] == username and not row["resolved"]
        }


def value_key(value: Any) -> str:
    """A hashable, JSON-equal-preserving form of a field value (absent: ``MISSING``)."""
    if value is MISSING:
        return MISSING
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class FaultyLink:
    """A real transport that can lose one request (never reaches the server) or one answer.

    ``arm(call, mode)`` makes the ``call``-th call from now (0-based, any endpoint) fail with
    ``Unreachable``: mode "request" before the server sees it, "response" after the server
    committed. ``on_push`` sees each push the server actually receives, in order.
    """

    def __init__(
        self,
        inner: MemoryTransport,
        on_push: Callable[[PushRequest], None] | None = None,
    ) -> None:
        self.inner = inner
        self.on_push = on_push
        self._armed: tuple[int, str] | None = None
        self.fired = False
        self.calls: list[tuple[str, Any]] = []
        self.lost_answers: list[Any] = []  # answers the server gave that never arrived
        self.lost_receipts: list[Receipt] = []  # those of lost push answers, op ids filled in

    def arm(self, call: int, mode: str) -> None:
        """Fail the ``call``-th call from now with a lost ``mode`` ("request" or "response")."""
        assert mode in {"request", "response"}
        self._armed = (len(self.calls) + call, mode)
        self.fired = False

    def disarm(self) -> None:
        """No fault any more."""
        self._armed = None

    def _call(self, name: str, request: Any, run: Callable[[], Any]) -> Any:
        number = len(self.calls)
        self.calls.append((name, request))
        mode = self._armed[1] if self._armed is not None and self._armed[0] == number else None
        if mode is not None:
            self._armed = None
            self.fired = True
        if mode == "request":
            raise Unreachable()
        if name == "push" and self.on_push is not None:
            self.on_push(request)
        answer = run()
        if mode == "response":
            self.lost_answers.append(answer)
            if isinstance(answer, PushResponse):
                self.lost_receipts.extend(named_receipts(request, answer))
            raise Unreachable()
        return answer

    def push(self, request: PushRequest, waiting: int | None = None) -> PushResponse:
        """Push through the inner transport."""
        answer: PushResponse = self._call(
            "push", request, lambda: self.inner.push(request, waiting)
        )
        return answer

    def pull(self, request: PullRequest) -> ChangePage:
        """Pull through the inner transport."""
        answer: ChangePage = self._call("pull", request, lambda: self.inner.pull(request))
        return answer

    def digest(self, request: DigestRequest) -> DigestResponse:
        """Digest through the inner transport."""
        answer: DigestResponse = self._call("digest", request, lambda: self.inner.digest(request))
        return answer

    def conflicts(self) -> ConflictList:
        """Conflicts through the inner transport."""
        answer: ConflictList = self._call("conflicts", None, self.inner.conflicts)
        return answer

    def requests(self, name: str) -> list[Any]:
        """The requests of one endpoint made so far (lost ones included)."""
        return [request for called, request in self.calls if called == name]


@dataclass
class Laptop:
    """One device: its store, its faulty link to the server and its engine."""

    name: str
    caller: Caller
    store: MemoryStore
    link: FaultyLink
    engine: SyncEngine

    @property
    def username(self) -> str:
        """Who signed in on this laptop."""
        return self.caller.username


class Arrivals:
    """The order in which operations first reached the server (= the order it applied them)."""

    def __init__(self) -> None:
        self.order: dict[uuid.UUID, int] = {}

    def __call__(self, request: PushRequest) -> None:
        """Note the operations of a push the server is about to receive."""
        for operation in request.operations:
            self.order.setdefault(operation.op_id, len(self.order))


def make_laptop(
    server: Server,
    name: str,
    username: str,
    ids: Ids,
    arrivals: Arrivals | None = None,
    *,
    batch: int = 2,
    page: int = 3,
) -> Laptop:
    """A laptop of ``username`` with a fresh MemoryStore, small batches and small pages."""
    # Each laptop is its own device, as its token makes it on the real server.
    caller = dataclasses.replace(
        server.callers[username], device_id=uuid.uuid5(uuid.NAMESPACE_URL, f"device:{name}")
    )
    store = MemoryStore(username, clock=ids.clock, new_id=ids.new_id)
    link = FaultyLink(MemoryTransport(server.sessions, caller, clock=ids.clock), arrivals)
    return Laptop(name, caller, store, link, SyncEngine(store, link, batch=batch, page=page))


def operations_of(laptops: list[Laptop]) -> Iterator[tuple[Laptop, Operation]]:
    """Every operation ever queued on these laptops, with its laptop."""
    for laptop in laptops:
        for operation in laptop.store.operations():
            yield laptop, operation


# Rejections that the protocol says can only come from a client or server bug.
IMPOSSIBLE_REJECTIONS = (
    "reutilizado con otro contenido",  # an op_id reused: ids are unique by construction
    "es más nueva que la del servidor",  # a base version the client never received
    "no conserva la versión base",  # the server forgot a version
    "no se puede crear de nuevo",  # a create that reached the server twice as a new create
)


class Ledger:
    """What the devices did and saw, checked against the server's tables after every step.

    ``seen[(laptop, kind, record_id)][field]`` is every value (``value_key``) that field ever
    showed on that laptop; an operation remembers what its laptop had seen before it was made.
    A server version may only replace a value that the operation's author had seen: replacing
    one she never saw, without a conflict record, is a lost acknowledged write.
    """

    def __init__(self, field_names: frozenset[str]) -> None:
        self.field_names = field_names
        self.arrivals = Arrivals()
        self.operations: dict[uuid.UUID, tuple[Laptop, Operation]] = {}
        self.seen: dict[tuple[str, str, uuid.UUID], dict[str, set[str]]] = {}
        self.saw: dict[uuid.UUID, dict[str, set[str]]] = {}
        self.receipts: dict[uuid.UUID, Receipt] = {}

    def observe(self, laptops: list[Laptop]) -> None:
        """Register new operations (with what their laptop saw), then the views shown now."""
        for laptop, operation in operations_of(laptops):
            if operation.op_id not in self.operations:
                self.operations[operation.op_id] = (laptop, operation)
                view = self.seen.get((laptop.name, operation.kind, operation.record_id), {})
                self.saw[operation.op_id] = {name: set(values) for name, values in view.items()}
        for laptop in laptops:
            for record in laptop.store.records():
                view = self.seen.setdefault((laptop.name, record.kind, record.record_id), {})
                for name in self.field_names | set(record.fields):
                    shown = record.fields.get(name, MISSING)
                    view.setdefault(name, set()).add(value_key(shown))
            for receipt in laptop.link.lost_receipts:  # the first receipts, though never received
                assert receipt.op_id is not None
                self.receipts.setdefault(receipt.op_id, receipt)

    def problems(self, snapshot: Snapshot, laptops: list[Laptop]) -> list[str]:
        """Every broken invariant: lost writes, duplicates, changed receipts, stray versions."""
        found: list[str] = []
        found += self._receipt_problems(snapshot, laptops)
        found += self._record_problems(snapshot)
        for op_id, logged in snapshot.log.items():
            if op_id in self.operations:
                found += self._operation_problems(snapshot, op_id, logged)
        found += self._history_problems(snapshot)
        return found

    def _receipt_problems(self, snapshot: Snapshot, laptops: list[Laptop]) -> list[str]:
        found = []
        arrived, logged = set(self.arrivals.order), set(snapshot.log)
        if arrived != logged:
            found.append(
                f"operations that reached the server {sorted(arrived - logged)} are not logged, "
                f"or logged ones never reached it {sorted(logged - arrived)}"
            )
        for op_id, entry in snapshot.log.items():
            if op_id not in self.operations:
                found.append(f"the server logged an operation nobody made: {op_id}")
                continue
            laptop, _operation = self.operations[op_id]
            if entry.username != laptop.username:
                found.append(f"{op_id} logged as {entry.username}, made by {laptop.username}")
            first = self.receipts.setdefault(op_id, entry.receipt)
            if entry.receipt != first:
                found.append(f"the receipt of {op_id} changed: {first} -> {entry.receipt}")
        for laptop in laptops:
            for operation in laptop.store.operations():
                receipt = laptop.store.receipt(operation.op_id)
                if receipt is None:
                    continue
                stored = snapshot.log.get(operation.op_id)
                if stored is None or stored.receipt != receipt:
                    found.append(
                        f"{laptop.name} holds receipt {receipt} for {operation.op_id}, "
                        f"the server {stored.receipt if stored else None}"
                    )
        return found

    def _record_problems(self, snapshot: Snapshot) -> list[str]:
        found = []
        created = {
            (operation.kind, operation.record_id)
            for op_id, entry in snapshot.log.items()
            if op_id in self.operations
            for _laptop, operation in [self.operations[op_id]]
            if operation.action is Action.CREATE and entry.receipt.outcome is not Outcome.REJECTED
        }
        if set(snapshot.records) != created:
            found.append(
                f"server records {sorted(map(str, set(snapshot.records) ^ created))} do not "
                "match the acknowledged creates"
            )
        ids = [record_id for _kind, record_id in snapshot.records]
        if len(ids) != len(set(ids)):
            found.append("a record id exists under two kinds")
        for key, state in snapshot.records.items():
            versions = snapshot.versions.get(key, {})
            if sorted(versions) != list(range(1, state.version + 1)):
                found.append(f"{key} has versions {sorted(versions)}, current {state.version}")
                continue
            last = versions[state.version]
            if (value_key(last.fields), last.deleted) != (value_key(state.fields), state.deleted):
                found.append(f"{key}: the current state differs from its last kept version")
        return found

    def _operation_problems(
        self, snapshot: Snapshot, op_id: uuid.UUID, logged: LoggedOperation
    ) -> list[str]:
        laptop, operation = self.operations[op_id]
        receipt = logged.receipt
        key = (operation.kind, operation.record_id)
        label = f"{laptop.name} {operation.action.value} {operation.kind} {operation.record_id}"
        if receipt.outcome is Outcome.REJECTED:
            if any(text in receipt.reason for text in IMPOSSIBLE_REJECTIONS):
                return [f"{label} rejected: {receipt.reason}"]
            if "no existe en el servidor" in receipt.reason and not self._create_rejected(
                snapshot, key
            ):
                return [f"{label} rejected though its create was accepted: {receipt.reason}"]
            return []
        found = []
        if (receipt.outcome is Outcome.CONFLICT) != bool(receipt.conflicts):
            found.append(f"{label}: outcome {receipt.outcome} with {len(receipt.conflicts)} items")
        for conflict in receipt.conflicts:
            row = snapshot.conflicts.get(conflict.conflict_id)
            if row is None or value_key(row["other_value"]) != value_key(conflict.other_value):
                found.append(f"{label}: conflict {conflict.conflict_id} not kept on the server")
        at = snapshot.versions.get(key, {}).get(receipt.version or 0)
        if at is None:
            return [*found, f"{label}: receipt names version {receipt.version}, not kept"]
        set_aside = {c.field: value_key(c.other_value) for c in receipt.conflicts}
        for conflict in receipt.conflicts:
            if conflict.field != "_deleted" and value_key(conflict.kept_value) != value_key(
                at.fields.get(conflict.field, MISSING)
            ):
                found.append(f"{label}: conflict on {conflict.field} names a value not kept")
        meets = operation.action is Action.CREATE and receipt.outcome is not Outcome.APPLIED
        if meets:  # a derived id another laptop created first: merged like an update
            state = snapshot.records.get(key)
            if state is None or (state.scope, state.parent_id) != (
                operation.scope,
                operation.parent_id,
            ):
                found.append(f"{label}: scope or parent differ from the record it met")
        if operation.action is Action.CREATE and not meets:
            state = snapshot.records.get(key)
            if receipt.version != 1 or value_key(at.fields) != value_key(operation.fields):
                found.append(f"{label}: the create is not version 1 with its fields")
            if state is None or (state.owner, state.scope, state.parent_id) != (
                laptop.username,
                operation.scope,
                operation.parent_id,
            ):
                found.append(f"{label}: owner, scope or parent differ on the server")
        elif operation.action is Action.UPDATE or meets:
            for name, value in operation.fields.items():
                kept = value_key(at.fields.get(name, MISSING)) == value_key(value)
                if not kept and set_aside.get(name) != value_key(value):
                    found.append(
                        f"{label}: acknowledged {name}={value!r} ({receipt.outcome}) is neither "
                        f"in version {receipt.version} nor in a conflict"
                    )
        elif not at.deleted and "_deleted" not in set_aside:
            found.append(f"{label}: acknowledged delete is neither applied nor flagged")
        return found

    def _create_rejected(self, snapshot: Snapshot, key: tuple[str, uuid.UUID]) -> bool:
        return any(
            operation.action is Action.CREATE
            and (operation.kind, operation.record_id) == key
            and op_id in snapshot.log
            and snapshot.log[op_id].receipt.outcome is Outcome.REJECTED
            for op_id, (_laptop, operation) in self.operations.items()
        )

    def _history_problems(self, snapshot: Snapshot) -> list[str]:
        """Each version after the first: made by one operation whose author saw what it replaced."""
        producers: dict[tuple[str, uuid.UUID, int], list[uuid.UUID]] = {}
        for op_id, entry in snapshot.log.items():
            if op_id not in self.operations or entry.receipt.outcome is Outcome.REJECTED:
                continue
            _laptop, operation = self.operations[op_id]
            if operation.action is not Action.CREATE and entry.receipt.version is not None:
                slot = (operation.kind, operation.record_id, entry.receipt.version)
                producers.setdefault(slot, []).append(op_id)
        found = []
        for (kind, record_id), versions in snapshot.versions.items():
            for number in range(2, max(versions) + 1):
                if number - 1 not in versions or number not in versions:
                    continue  # reported by _record_problems
                candidates = producers.get((kind, record_id, number), [])
                if not candidates:
                    found.append(f"{kind} {record_id} v{number} was made by no operation")
                    continue
                producer = min(candidates, key=lambda op_id: self.arrivals.order.get(op_id, 0))
                found += self._transition_problems(snapshot, producer, versions, number)
        return found

    def _transition_problems(
        self,
        snapshot: Snapshot,
        producer: uuid.UUID,
        versions: dict[int, VersionState],
        number: int,
    ) -> list[str]:
        before, after = versions[number - 1], versions[number]
        laptop, operation = self.operations[producer]
        saw = self.saw.get(producer, {})
        label = f"{operation.kind} {operation.record_id} v{number} by {laptop.name}"
        found = []
        for name in sorted(set(before.fields) | set(after.fields)):
            old = value_key(before.fields.get(name, MISSING))
            new = value_key(after.fields.get(name, MISSING))
            if old == new:
                continue
            if name not in operation.fields or value_key(operation.fields[name]) != new:
                found.append(f"{label}: {name} became {new}, a value its operation did not send")
            elif old not in saw.get(name, set()):
                found.append(
                    f"{label}: LOST WRITE: {name}={old} (by {_writer(versions, number - 1, name)}) "
                    f"was replaced by "
                    f"{new} from an edit made without ever seeing it (base_version "
                    f"{operation.base_version}), and no conflict keeps it"
                )
        if after.deleted and not before.deleted:
            unseen = sorted(
                name
                for name, value in before.fields.items()
                if value_key(value) not in saw.get(name, set())
            )
            if operation.action is not Action.DELETE:
                found.append(f"{label}: deleted by a {operation.action.value}")
            elif unseen:
                found.append(
                    f"{label}: LOST WRITE: a delete (base_version {operation.base_version}) hid "
                    f"{unseen} that its author never saw, and no conflict flags it"
                )
        if before.deleted and not after.deleted:
            flagged = any(
                row["field"] == "_deleted" and row["record_id"] == operation.record_id
                for row in snapshot.conflicts.values()
            )
            if not flagged:
                found.append(f"{label}: revived a tombstone without flagging it")
        return found


def _writer(versions: dict[int, VersionState], number: int, name: str) -> str:
    """Who gave field ``name`` the value it has in version ``number``."""
    value = value_key(versions[number].fields.get(name, MISSING))
    while number > 1 and value_key(versions[number - 1].fields.get(name, MISSING)) == value:
        number -= 1
    return versions[number].updated_by


def converged_problems(snapshot: Snapshot, laptops: list[Laptop]) -> list[str]:
    """After a quiet round: every laptop shows exactly the server's records of its scope."""
    found = []
    for laptop in laptops:
        store = laptop.store
        expected = snapshot.visible(laptop.caller)
        shown = {(r.kind, r.record_id): r for r in store.records()}
        if set(shown) != set(expected):
            found.append(
                f"{laptop.name} shows {sorted(map(str, set(shown) ^ set(expected)))} "
                "unlike the server"
            )
        for key, state in expected.items():
            local = shown.get(key)
            if store.pulled(*key) != state:
                found.append(f"{laptop.name}: pulled {key} differs from the server's")
            if local is None or (
                local.version,
                value_key(local.fields),
                local.deleted,
                local.pending,
            ) != (state.version, value_key(state.fields), state.deleted, False):
                found.append(f"{laptop.name}: shows {local} but the server has {state}")
        if store.pending(10_000):
            found.append(f"{laptop.name} still has operations without a receipt")
        if {c.conflict_id for c in store.conflicts} != snapshot.open_conflicts(laptop.username):
            found.append(f"{laptop.name}: open conflicts differ from the server's")
    return found


def live_server(sessions: sessionmaker[Session]) -> LocalServer:
    """The real FastAPI app over ``sessions``, to start in a thread on 127.0.0.1."""
    from sync.server.app import create_app  # noqa: PLC0415  (only the HTTP tests need it)

    return LocalServer(create_app(sessions))


def named_receipts(request: PushRequest, answer: PushResponse) -> list[Receipt]:
    """The receipts of a push, each with the op id of the operation it answers (by position)."""
    return name_receipts(request.operations, answer.receipts)
