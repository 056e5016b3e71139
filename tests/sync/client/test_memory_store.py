"""MemoryStore: the outbox, receipts, pulled pages, the local view, digests, finalized visits."""

import uuid
from typing import Any

import pydantic
import pytest
from helpers.sync_fakes import NOW

from sync.memory_store import MemoryStore
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    ConflictRecord,
    Operation,
    Outcome,
    Receipt,
    RecordState,
    digest_of,
)

SCOPE = "150101"


def state(
    record_id: uuid.UUID, version: int, seq: int, kind: str = "instancia", **fields: Any
) -> RecordState:
    return RecordState(
        kind=kind,
        record_id=record_id,
        version=version,
        fields=fields,
        deleted=False,
        scope=SCOPE,
        owner="beto",
        updated_by="beto",
        seq=seq,
    )


def page(*records: RecordState, next_cursor: int | None = None) -> ChangePage:
    cursor = next_cursor if next_cursor is not None else max((r.seq for r in records), default=0)
    return ChangePage(records=records, next_cursor=cursor, has_more=False)


def receipt(
    op_id: uuid.UUID, outcome: Outcome = Outcome.APPLIED, version: int | None = 1, reason: str = ""
) -> Receipt:
    return Receipt(op_id=op_id, outcome=outcome, version=version, reason=reason)


def queued(operation: Operation | None) -> Operation:
    assert operation is not None
    return operation


def test_local_changes_queue_operations_made_on_the_last_version_received() -> None:
    store = MemoryStore("ana", clock=lambda: NOW)
    created = store.create("instancia", {"name": "IRC"}, SCOPE)
    first = queued(store.update("instancia", created.record_id, {"chair": "Ana"}))
    second = queued(store.update("instancia", created.record_id, {"chair": "Luz"}))
    deleted = store.delete("instancia", created.record_id)

    assert [op.action for op in store.pending(10)] == [
        Action.CREATE,
        Action.UPDATE,
        Action.UPDATE,
        Action.DELETE,
    ]
    # Chained offline edits all name the version this device has (its own create): the server
    # knows which later versions the device made itself, so no base is a number never received.
    assert (created.base_version, first.base_version, second.base_version) == (None, 1, 1)
    assert deleted.base_version == 1
    assert deleted.fields == {"deleted": True}
    assert created.made_at == NOW
    shown = store.get("instancia", created.record_id)
    assert shown is not None
    assert (shown.version, shown.deleted, shown.pending, shown.owner) == (4, True, True, "ana")
    assert shown.fields == {"name": "IRC", "chair": "Luz", "deleted": True}
    with pytest.raises(KeyError):
        store.update("instancia", created.record_id, {"chair": "x"})


def test_invalid_changes_queue_nothing() -> None:
    store = MemoryStore()
    with pytest.raises(pydantic.ValidationError):
        store.create("Instancia", {"name": "x"}, SCOPE)
    with pytest.raises(pydantic.ValidationError):
        store.create("instancia", {"Bad Field": "x"}, SCOPE)
    with pytest.raises(pydantic.ValidationError):
        store.create("instancia", {"name": "x"}, "1501011")
    with pytest.raises(KeyError):
        store.update("instancia", uuid.uuid4(), {"name": "x"})
    assert store.pending(10) == []
    assert store.records() == []


def test_an_update_that_changes_nothing_queues_nothing() -> None:
    store = MemoryStore()
    created = store.create("instancia", {"name": "IRC", "chair": None}, SCOPE)
    assert store.update("instancia", created.record_id, {}) is None
    assert store.update("instancia", created.record_id, {"name": "IRC", "chair": None}) is None
    changed = queued(store.update("instancia", created.record_id, {"name": "IRC", "phone": None}))
    assert changed.fields == {"phone": None}
    assert store.pending(10) == [created, changed]


def test_pending_is_oldest_first_limited_and_only_receipts_acknowledge() -> None:
    store = MemoryStore()
    ops = [store.create("member", {"n": n}, SCOPE) for n in range(5)]
    assert store.pending(3) == ops[:3]

    store.acknowledge([receipt(ops[1].op_id), receipt(uuid.uuid4())])
    assert store.pending(10) == [ops[0], *ops[2:]]
    store.acknowledge([receipt(ops[1].op_id, Outcome.REJECTED, None, "otra")])
    assert store.receipt(ops[1].op_id) == receipt(ops[1].op_id)  # the first receipt stays
    assert store.operations() == ops


def test_a_rejected_create_disappears_from_the_view() -> None:
    store = MemoryStore()
    op = store.create("member", {"n": 1}, SCOPE)
    store.acknowledge([receipt(op.op_id, Outcome.REJECTED, None, "fuera de su ámbito")])
    assert store.get("member", op.record_id) is None
    assert store.records() == []


def test_apply_page_stores_records_and_cursor_and_never_goes_back_a_version() -> None:
    store = MemoryStore()
    record_id = uuid.uuid4()
    store.apply_page(page(state(record_id, 2, 5, name="nuevo")))
    store.apply_page(page(state(record_id, 1, 3, name="viejo"), next_cursor=6))

    assert store.cursor() == 6
    shown = store.get("instancia", record_id)
    assert shown is not None
    assert (shown.version, shown.fields, shown.pending) == (2, {"name": "nuevo"}, False)
    assert store.pages_applied == 2


def test_a_pulled_newer_version_keeps_the_pending_local_change_on_top() -> None:
    store = MemoryStore("ana")
    record_id = uuid.uuid4()
    store.apply_page(page(state(record_id, 1, 1, name="IRC", chair="X", phone="1")))
    op = queued(store.update("instancia", record_id, {"chair": "Ana"}))
    assert op.base_version == 1

    store.apply_page(page(state(record_id, 2, 2, name="IRC", chair="X", phone="9")))

    assert store.pending(10) == [op]  # still to be pushed, with its original base
    shown = store.get("instancia", record_id)
    assert shown is not None
    assert shown.fields == {"name": "IRC", "chair": "Ana", "phone": "9"}
    # op will be merged and may change nothing: the next edit must not claim version 3
    assert (shown.version, shown.pending) == (2, True)
    later = queued(store.update("instancia", record_id, {"phone": "5"}))
    assert later.base_version == 2

    store.acknowledge([receipt(op.op_id, Outcome.MERGED, 3)])
    shown = store.get("instancia", record_id)
    assert shown is not None
    # version 3 is this device's own merge: «later» (base 2) applies on top of it, as version 4
    assert (shown.version, shown.pending) == (4, True)
    store.apply_page(page(state(record_id, 3, 3, name="IRC", chair="Ana", phone="9")))
    shown = store.get("instancia", record_id)
    assert shown is not None
    assert shown.fields == {"name": "IRC", "chair": "Ana", "phone": "5"}


def test_a_pending_create_already_on_the_server_is_not_applied_twice() -> None:
    store = MemoryStore()
    created = store.create("member", {"n": 1}, SCOPE)
    store.apply_page(page(state(created.record_id, 2, 3, kind="member", n=7)))
    shown = store.get("member", created.record_id)
    assert shown is not None
    assert (shown.version, shown.fields) == (2, {"n": 7})
    assert store.update("member", created.record_id, {"n": 8}).base_version == 2  # type: ignore[union-attr]


def test_an_acknowledged_change_shows_until_its_version_is_pulled() -> None:
    store = MemoryStore()
    op = store.create("member", {"n": 1}, SCOPE)
    store.acknowledge([receipt(op.op_id, Outcome.APPLIED, 1)])
    shown = store.get("member", op.record_id)
    assert shown is not None
    assert (shown.version, shown.pending) == (1, True)

    store.apply_page(page(state(op.record_id, 1, 4, kind="member", n=1)))
    shown = store.get("member", op.record_id)
    assert shown is not None
    assert (shown.version, shown.pending, shown.owner) == (1, False, "beto")


def test_digests_cover_pulled_records_only_and_forget_kind_keeps_outbox_and_cursor() -> None:
    store = MemoryStore()
    a, b, m = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    store.apply_page(page(state(a, 1, 1), state(b, 3, 2), state(m, 2, 3, kind="member")))
    local = store.create("instancia", {"name": "solo local"}, SCOPE)

    digests = store.digests(())
    assert set(digests) == {"instancia", "member"}
    assert digests["instancia"].count == 2
    assert digests["instancia"].digest == digest_of([(b, 3), (a, 1)])
    assert store.digests(["visit"])["visit"].count == 0
    assert store.digests(["visit"])["visit"].digest == digest_of([])

    store.forget_kind("instancia")
    assert store.cursor() == 3
    assert store.pending(10) == [local]
    assert set(store.digests(())) == {"member"}
    assert [r.record_id for r in store.records("instancia")] == [local.record_id]


def test_a_finalized_visit_and_its_children_are_immutable_here() -> None:
    store = MemoryStore()
    visit = store.create("visit", {"status": "borrador"}, SCOPE)
    child = store.create("agreement", {"text": "acuerdo"}, SCOPE, parent_id=visit.record_id)
    store.finalize(visit.record_id)

    with pytest.raises(ValueError, match="finalized"):
        store.update("visit", visit.record_id, {"status": "borrador"})
    with pytest.raises(ValueError, match="finalized"):
        store.delete("agreement", child.record_id)
    with pytest.raises(ValueError, match="finalized"):
        store.create("agreement", {"text": "otro"}, SCOPE, parent_id=visit.record_id)
    assert len(store.pending(10)) == 3


def test_record_conflicts_replaces_the_open_ones() -> None:
    store = MemoryStore()
    conflict = ConflictRecord(
        conflict_id=uuid.uuid4(),
        kind="instancia",
        record_id=uuid.uuid4(),
        field="chair",
        base_value="X",
        kept_value="Ana",
        kept_author="ana",
        other_value="Beto",
        other_author="beto",
        other_made_at=NOW,
    )
    store.record_conflicts(ConflictList(conflicts=(conflict,)))
    assert store.conflicts == (conflict,)
    store.record_conflicts(ConflictList(conflicts=()))
    assert not store.conflicts
