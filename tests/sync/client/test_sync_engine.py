"""SyncEngine against the fake server: batching, receipts, lost answers, paging, digests."""

import uuid
from typing import Any

import pytest
from helpers.sync_fakes import FakeServer, FakeTransport

from sync.client import Stage, SyncEngine
from sync.errors import ProtocolMismatch, Refused, ServerFailure, Unreachable
from sync.memory_store import MemoryStore
from sync.protocol import MAX_BATCH, MAX_PAGE, ChangePage, Outcome, PushResponse

SCOPE = "150101"


def device(server: FakeServer, user: str = "ana") -> tuple[MemoryStore, FakeTransport]:
    return MemoryStore(user), FakeTransport(server, user)


def seed(server: FakeServer, count: int, kind: str = "instancia", user: str = "beto") -> None:
    """Another device creates ``count`` records and syncs them up."""
    store, transport = device(server, user)
    for number in range(count):
        store.create(kind, {"name": f"registro {number}"}, SCOPE)
    assert SyncEngine(store, transport).sync().ok


def test_pushes_the_outbox_in_batches_and_acknowledges_each() -> None:
    server = FakeServer()
    store, transport = device(server)
    for number in range(5):
        store.create("instancia", {"name": f"i{number}"}, SCOPE)

    report = SyncEngine(store, transport, batch=2).sync()

    sizes = [len(request.operations) for request in transport.requests("push")]
    assert sizes == [2, 2, 1]
    assert store.pending(100) == []
    assert (report.sent, report.applied, report.merged, report.conflicts) == (5, 5, 0, 0)
    assert report.ok
    assert report.received == 5  # the device's own records come back with server versions
    assert report.rounds == len(transport.calls) == 3 + 1 + 1 + 1  # push×3, pull, digest, conflicts
    assert all(record.version == 1 and not record.pending for record in store.records())


def test_only_operations_with_a_receipt_are_acknowledged() -> None:
    server = FakeServer()
    store, transport = device(server)
    first = store.create("instancia", {"name": "a"}, SCOPE)
    store.create("instancia", {"name": "b"}, SCOPE)
    store.create("instancia", {"name": "c"}, SCOPE)

    def drop_last_receipts(name: str, answer: Any) -> Any:
        if name == "push":
            return PushResponse(receipts=answer.receipts[:1])
        return answer

    transport.tamper = drop_last_receipts
    report = SyncEngine(store, transport).sync()

    assert not report.ok
    assert report.unacknowledged == 2
    assert len(transport.requests("push")) == 1  # no endless resending within a run
    assert [op.record_id for op in store.operations() if store.receipt(op.op_id)] == [
        first.record_id
    ]
    assert len(store.pending(10)) == 2

    transport.tamper = None
    again = SyncEngine(store, transport).sync()
    assert again.ok
    assert again.sent == 2
    assert store.pending(10) == []


def test_receipts_answer_by_position_and_one_naming_another_operation_is_refused() -> None:
    server = FakeServer()
    store, transport = device(server)
    store.create("instancia", {"name": "a"}, SCOPE)
    store.create("instancia", {"name": "b"}, SCOPE)

    def without_ids(name: str, answer: Any) -> Any:  # as they come over HTTP
        if name == "push":
            return PushResponse(
                receipts=[r.model_copy(update={"op_id": None}) for r in answer.receipts]
            )
        return answer

    transport.tamper = without_ids
    assert SyncEngine(store, transport).sync().ok
    assert [store.receipt(op.op_id) is not None for op in store.operations()] == [True, True]

    store, transport = device(FakeServer())
    store.create("instancia", {"name": "c"}, SCOPE)
    store.create("instancia", {"name": "d"}, SCOPE)

    def swapped(name: str, answer: Any) -> Any:
        if name == "push":
            return PushResponse(receipts=tuple(reversed(answer.receipts)))
        return answer

    transport.tamper = swapped
    with pytest.raises(ServerFailure):
        SyncEngine(store, transport).sync()
    assert [store.receipt(op.op_id) for op in store.operations()] == [None, None]


def test_a_lost_answer_resends_the_same_operations_without_duplicates() -> None:
    server = FakeServer()
    store, transport = device(server)
    for number in range(4):
        store.create("instancia", {"name": f"i{number}"}, SCOPE)
    transport.faults = {1: "lose"}  # the second batch is applied, its answer is lost

    with pytest.raises(Unreachable) as raised:
        SyncEngine(store, transport, batch=2).sync()

    assert "siguen guardados" in str(raised.value)
    lost = [op.op_id for op in transport.requests("push")[1].operations]
    assert [op.op_id for op in store.pending(10)] == lost  # first batch acknowledged, not these
    assert len(server.records) == 4

    report = SyncEngine(store, transport, batch=2).sync()

    resent = transport.requests("push")[2]
    assert [op.op_id for op in resent.operations] == lost
    assert report.ok
    assert report.applied == 2
    assert len(server.records) == 4
    assert len(server.applied_ops) == 4  # applied once each, the replay got the stored receipt
    assert {record.version for record in server.records.values()} == {1}


def test_a_cut_request_acknowledges_nothing() -> None:
    server = FakeServer()
    store, transport = device(server)
    store.create("instancia", {"name": "a"}, SCOPE)
    transport.faults = {0: "cut"}

    with pytest.raises(Unreachable):
        SyncEngine(store, transport).sync()

    assert len(store.pending(10)) == 1
    assert server.records == {}


def test_pull_pages_and_resumes_from_the_stored_cursor() -> None:
    server = FakeServer()
    seed(server, 7)
    store, transport = device(server)

    first = SyncEngine(store, transport, page=3).sync()

    pulls = transport.requests("pull")
    assert [pull.cursor for pull in pulls] == [0, 3, 6]
    assert all(pull.limit == 3 for pull in pulls)
    assert first.received == 7
    assert store.cursor() == server.seq == 7
    assert store.pages_applied == 3

    seed(server, 2)
    second_transport = FakeTransport(server, "ana")
    second = SyncEngine(store, second_transport, page=3).sync()
    assert [pull.cursor for pull in second_transport.requests("pull")] == [7]
    assert second.received == 2
    assert len(store.records()) == 9


def test_a_crash_between_pages_keeps_the_pages_already_applied() -> None:
    server = FakeServer()
    seed(server, 7)
    store, transport = device(server)
    transport.faults = {1: "cut"}  # pull page 1 ok, then the network drops

    with pytest.raises(Unreachable):
        SyncEngine(store, transport, page=3).sync()

    assert store.cursor() == 3
    assert len(store.records()) == 3

    resumed = FakeTransport(server, "ana")
    report = SyncEngine(store, resumed, page=3).sync()
    assert [pull.cursor for pull in resumed.requests("pull")] == [3, 6]
    assert report.received == 4  # nothing pulled twice
    assert report.ok
    assert len(store.records()) == 7


class CrashingStore(MemoryStore):
    """A store whose database fails while applying the n-th page (nothing of it is kept)."""

    def __init__(self, crash_at: int) -> None:
        super().__init__("ana")
        self.crash_at = crash_at
        self.calls = 0

    def apply_page(self, page: ChangePage) -> None:
        self.calls += 1
        if self.calls == self.crash_at:
            raise OSError("disco lleno")
        super().apply_page(page)


def test_a_crash_inside_apply_page_keeps_the_previous_cursor() -> None:
    server = FakeServer()
    seed(server, 5)
    store = CrashingStore(crash_at=2)

    with pytest.raises(OSError, match="disco lleno"):
        SyncEngine(store, FakeTransport(server, "ana"), page=2).sync()
    assert store.cursor() == 2

    transport = FakeTransport(server, "ana")
    assert SyncEngine(store, transport, page=2).sync().received == 3
    assert [pull.cursor for pull in transport.requests("pull")] == [2, 4]
    assert len(store.records()) == 5


def test_a_digest_mismatch_repulls_only_that_kind_and_keeps_the_cursor() -> None:
    server = FakeServer()
    seed(server, 3, kind="instancia")
    seed(server, 2, kind="member")
    store, transport = device(server)
    assert SyncEngine(store, transport).sync().ok

    repaired = next(r for r in server.records.values() if r.kind == "instancia")
    repaired.version += 1  # restored from a backup on the server: no new sequence number
    repaired.fields["name"] = "restaurado"
    transport = FakeTransport(server, "ana")
    report = SyncEngine(store, transport).sync()

    assert report.digest_mismatches == ("instancia",)
    assert report.unresolved == ()
    assert report.ok
    targeted = [pull for pull in transport.requests("pull") if pull.kinds]
    assert [(pull.cursor, pull.kinds) for pull in targeted] == [(0, ("instancia",))]
    assert store.cursor() == server.seq
    shown = store.get("instancia", repaired.record_id)
    assert shown is not None
    assert (shown.version, shown.fields["name"]) == (repaired.version, "restaurado")
    assert len(store.records("member")) == 2


def test_changes_pushed_during_a_targeted_repull_are_not_skipped() -> None:
    server = FakeServer()
    seed(server, 2, kind="instancia")
    store, transport = device(server)
    assert SyncEngine(store, transport).sync().ok
    next(iter(server.records.values())).version += 1

    other, other_transport = device(server, "carla")

    def another_device_pushes(name: str, request: Any) -> None:
        if name == "pull" and request.kinds:
            other.create("member", {"name": "nuevo"}, SCOPE)
            other.create("instancia", {"name": "otra"}, SCOPE)
            SyncEngine(other, other_transport).sync()

    transport = FakeTransport(server, "ana")
    transport.before = another_device_pushes
    report = SyncEngine(store, transport).sync()

    assert report.ok
    assert len(store.records("member")) == 1
    assert len(store.records("instancia")) == 3
    assert store.cursor() == server.seq


def test_a_persistent_mismatch_is_reported_after_one_repull() -> None:
    server = FakeServer()
    seed(server, 2)
    store, transport = device(server)

    def lying_digest(name: str, answer: Any) -> Any:
        if name == "digest":
            wrong = tuple(d.model_copy(update={"count": 99}) for d in answer.digests)
            return answer.model_copy(update={"digests": wrong})
        return answer

    transport.tamper = lying_digest
    report = SyncEngine(store, transport).sync()

    assert report.digest_mismatches == report.unresolved == ("instancia",)
    assert not report.ok
    assert len(transport.requests("digest")) == 2
    assert len([pull for pull in transport.requests("pull") if pull.kinds]) == 1


@pytest.mark.parametrize("where", ["refused", "push", "pull"])
def test_protocol_mismatch_propagates_and_nothing_is_applied(where: str) -> None:
    server = FakeServer()
    seed(server, 2)
    store, transport = device(server)
    store.create("instancia", {"name": "local"}, SCOPE)

    def refuse(name: str, request: Any) -> None:
        raise ProtocolMismatch()  # what HttpTransport raises on the server's 409

    def newer_server(name: str, answer: Any) -> Any:
        return answer.model_copy(update={"protocol": 3}) if name == where else answer

    transport.before, transport.tamper = (
        (refuse, None) if where == "refused" else (None, newer_server)
    )
    with pytest.raises(ProtocolMismatch) as raised:
        SyncEngine(store, transport).sync()

    assert "actualice la aplicación" in str(raised.value)
    assert len(store.pending(10)) == (0 if where == "pull" else 1)
    assert (store.pages_applied, store.cursor(), store.records("member")) == (0, 0, [])


def test_a_cursor_going_back_is_refused() -> None:
    server = FakeServer()
    seed(server, 2)
    store, transport = device(server)
    assert SyncEngine(store, transport).sync().ok
    transport.tamper = lambda name, answer: (
        answer.model_copy(update={"next_cursor": 0, "has_more": True}) if name == "pull" else answer
    )

    with pytest.raises(ServerFailure):
        SyncEngine(store, transport).sync()
    assert store.cursor() == 2


def test_edits_merge_conflicts_are_fetched_and_rejections_keep_their_reason() -> None:
    server = FakeServer()
    ana, ana_link = device(server, "ana")
    beto, beto_link = device(server, "beto")
    record = ana.create("instancia", {"name": "IRC Lima", "chair": "X", "phone": "1"}, SCOPE)
    visit = ana.create("visit", {"status": "borrador"}, SCOPE)
    assert SyncEngine(ana, ana_link).sync().ok
    assert SyncEngine(beto, beto_link).sync().ok

    ana.update("instancia", record.record_id, {"chair": "Ana"})
    ana.update("instancia", record.record_id, {"phone": "2"})  # chained edits: no self-conflict
    beto.update("instancia", record.record_id, {"chair": "Beto"})
    beto.update("visit", visit.record_id, {"status": "borrador 2"})  # not finalized there yet
    ana.finalize(visit.record_id)
    assert SyncEngine(ana, ana_link).sync().ok
    report = SyncEngine(beto, beto_link).sync()

    assert report.conflicts == 1
    assert [c.field for c in report.open_conflicts] == ["chair"]
    assert beto.conflicts == report.open_conflicts
    assert [r.reason for r in report.rejected] == [
        "El acta está finalizada y no admite cambios: cree una adenda."
    ]
    shown = beto.get("instancia", record.record_id)
    assert shown is not None
    assert shown.fields == {"name": "IRC Lima", "chair": "Ana", "phone": "2"}
    assert SyncEngine(ana, ana_link).sync().ok
    assert ana.get("instancia", record.record_id) == shown


def test_an_edit_on_an_older_version_merges_even_when_its_answer_was_lost() -> None:
    server = FakeServer()
    ana, ana_link = device(server, "ana")
    record = ana.create("instancia", {"name": "IRC", "chair": "X", "phone": "1"}, SCOPE)
    assert SyncEngine(ana, ana_link).sync().ok
    beto, beto_link = device(server, "beto")
    assert SyncEngine(beto, beto_link).sync().ok
    beto.update("instancia", record.record_id, {"phone": "9"})
    assert SyncEngine(beto, beto_link).sync().ok

    ana.update("instancia", record.record_id, {"chair": "Ana"})
    ana_link.faults = {len(ana_link.calls): "lose"}
    with pytest.raises(Unreachable):
        SyncEngine(ana, ana_link).sync()
    report = SyncEngine(ana, ana_link).sync()

    assert report.ok
    assert report.merged == 1  # the replay got the stored receipt
    assert [receipt.outcome for _, receipt in server.receipts.values()][-1] is Outcome.MERGED
    assert SyncEngine(beto, beto_link).sync().ok
    for store in (ana, beto):
        shown = store.get("instancia", record.record_id)
        assert shown is not None
        assert shown.fields == {"name": "IRC", "chair": "Ana", "phone": "9"}


def test_progress_is_reported_per_stage() -> None:
    server = FakeServer()
    seed(server, 3)
    store, transport = device(server)
    store.create("member", {"name": "m"}, SCOPE)
    seen: list[tuple[str, int, int | None]] = []

    SyncEngine(store, transport, page=2, on_progress=lambda *event: seen.append(event)).sync()

    assert seen == [
        (Stage.PUSH, 1, None),
        (Stage.PULL, 2, None),
        (Stage.PULL, 4, None),
        (Stage.VERIFY, 2, 2),
        (Stage.CONFLICTS, 0, 0),
    ]


@pytest.mark.parametrize(
    ("batch", "page"), [(0, 10), (MAX_BATCH + 1, 10), (10, 0), (10, MAX_PAGE + 1)]
)
def test_sizes_outside_the_protocol_limits_are_refused(batch: int, page: int) -> None:
    with pytest.raises(ValueError, match="must be between"):
        SyncEngine(MemoryStore(), FakeTransport(FakeServer()), batch=batch, page=page)


def test_two_devices_converge() -> None:
    server = FakeServer()
    devices = [device(server, user) for user in ("ana", "beto")]
    ids: list[uuid.UUID] = []
    for round_number in range(3):
        for index, (store, _) in enumerate(devices):
            ids.append(store.create("member", {"n": f"{round_number}-{index}"}, SCOPE).record_id)
            for record_id in ids[:-1]:
                shown = store.get("member", record_id)
                if shown is not None and not shown.deleted:
                    store.update("member", record_id, {f"f{index}": round_number})
        for store, link in devices:
            assert SyncEngine(store, link, batch=3, page=4).sync().ok
    for store, link in devices:
        assert SyncEngine(store, link).sync().ok
    views = [{(r.record_id, r.version): r.fields for r in store.records()} for store, _ in devices]
    assert views[0] == views[1]
    assert len(views[0]) == len(ids) == 6


def test_a_batch_too_large_for_the_server_is_sent_in_halves() -> None:
    """Long texts can make a full batch exceed the server's body limit (413): the engine
    halves it; one operation still too large is refused locally and blocks nothing."""
    server = FakeServer()
    store, transport = device(server)
    created = [store.create("instancia", {"name": f"i{n}"}, SCOPE) for n in range(5)]
    huge = created[3].op_id

    def body_limit(name: str, request: Any) -> None:
        ops = request.operations if name == "push" else ()
        if len(ops) > 2 or any(op.op_id == huge for op in ops):
            raise Refused("La solicitud supera el tamaño máximo (8 MB).", status=413)

    transport.before = body_limit
    report = SyncEngine(store, transport, batch=5).sync()

    sizes = [len(r.operations) for r in transport.requests("push")]
    assert sizes == [5, 2, 2, 1, 1, 1]  # halved, halved again around the huge one, alone
    assert [r.reason for r in report.rejected] == ["La solicitud supera el tamaño máximo (8 MB)."]
    assert report.applied == 4 and store.pending(10) == []
    assert [store.receipt(op.op_id).outcome for op in created] == [  # type: ignore[union-attr]
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.REJECTED,
        Outcome.APPLIED,
    ]
