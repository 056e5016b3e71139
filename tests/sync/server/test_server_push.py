"""Push semantics of the service layer (no HTTP): apply, merge, conflicts, refusals, replays."""

import uuid

import pytest
from helpers.records import sealed
from helpers.server_db import T0, ServerDb, op
from sqlalchemy import select

from sync.protocol import Outcome, RecordState
from sync.server import service
from sync.server.store import (
    Conflict,
    Counter,
    OperationLog,
    Quarantine,
    Record,
    RecordVersion,
)


@pytest.fixture
def ana(server_db: ServerDb):
    caller = server_db.add_user("ana", territories=["1501"])
    server_db.instancia(caller)  # what the members of these tests belong to
    return caller


@pytest.fixture
def bea(server_db: ServerDb):
    return server_db.add_user("bea", territories=["1501"])


def shown(state: RecordState | None, *names: str) -> dict[str, object]:
    """The named fields of a record as the server holds it."""
    assert state is not None
    return {name: state.fields.get(name) for name in names}


def test_create_then_update_on_the_current_version(server_db: ServerDb, ana) -> None:
    rid = uuid.uuid4()
    (created,) = server_db.push(
        ana, op(record_id=rid, fields={"entity_name": "CEM Lima", "person_name": "X"})
    )
    assert (created.outcome, created.version, created.reason) == (Outcome.APPLIED, 1, "")
    (updated,) = server_db.push(
        ana, op(record_id=rid, action="update", base=1, fields={"person_name": "Y"})
    )
    assert (updated.outcome, updated.version) == (Outcome.APPLIED, 2)
    state = server_db.state(ana, rid)
    assert state is not None
    assert shown(state, "entity_name", "person_name") == {
        "entity_name": "CEM Lima",
        "person_name": "Y",
    }
    assert (state.owner, state.updated_by, state.deleted, state.seq) == ("ana", "ana", False, 3)
    assert server_db.count(RecordVersion) == 1  # version 1; the current one is the record


def test_an_update_that_changes_nothing_makes_no_version(server_db: ServerDb, ana) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "1"}))
    (same,) = server_db.push(
        ana, op(record_id=rid, action="update", base=1, fields={"person_name": "1"})
    )
    assert (same.outcome, same.version) == (Outcome.APPLIED, 1)
    assert server_db.count(RecordVersion) == 0


def test_edits_of_different_fields_merge(server_db: ServerDb, ana, bea) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A", "entity_name": "S"}))
    server_db.push(ana, op(record_id=rid, action="update", base=1, fields={"person_name": "B"}))
    (merged,) = server_db.push(
        bea, op(record_id=rid, action="update", base=1, fields={"entity_name": "T"})
    )
    assert (merged.outcome, merged.version, merged.conflicts) == (Outcome.MERGED, 3, ())
    state = server_db.state(ana, rid)
    assert state is not None
    assert shown(state, "person_name", "entity_name") == {"person_name": "B", "entity_name": "T"}


def test_same_field_edited_twice_keeps_the_first_and_records_the_other(
    server_db: ServerDb, ana, bea
) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A", "entity_name": "n"}))
    server_db.push(ana, op(record_id=rid, action="update", base=1, fields={"person_name": "B"}))
    later = T0.replace(hour=18)
    (answer,) = server_db.push(
        bea,
        op(
            record_id=rid,
            action="update",
            base=1,
            fields={"person_name": "C", "entity_name": "m"},
            made_at=later,
        ),
    )
    assert answer.outcome is Outcome.CONFLICT
    assert answer.version == 3  # "entity_name" was applied
    (conflict,) = answer.conflicts
    assert (conflict.field, conflict.base_value, conflict.kept_value, conflict.other_value) == (
        "person_name",
        "A",
        "B",
        "C",
    )
    assert (conflict.kept_author, conflict.other_author, conflict.other_made_at) == (
        "ana",
        "bea",
        later,
    )
    state = server_db.state(ana, rid)
    assert state is not None
    assert shown(state, "person_name", "entity_name") == {"person_name": "B", "entity_name": "m"}
    with server_db.factory.begin() as session:
        assert service.open_conflicts(session, ana).conflicts == ()
        assert service.open_conflicts(session, bea).conflicts == (conflict,)
        with pytest.raises(service.ConflictNotFoundError):
            service.resolve_conflict(session, ana, conflict.conflict_id)
        service.resolve_conflict(session, bea, conflict.conflict_id)
        service.resolve_conflict(session, bea, conflict.conflict_id)  # idempotent
        assert service.open_conflicts(session, bea).conflicts == ()
        with pytest.raises(service.ConflictNotFoundError):
            service.resolve_conflict(session, bea, uuid.uuid4())


def test_the_kept_author_is_whoever_last_changed_that_field(server_db: ServerDb, ana, bea) -> None:
    carla = server_db.add_user("carla", territories=["15"])
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A", "entity_name": "n"}))
    server_db.push(bea, op(record_id=rid, action="update", base=1, fields={"person_name": "B"}))
    server_db.push(ana, op(record_id=rid, action="update", base=2, fields={"entity_name": "o"}))
    (answer,) = server_db.push(
        carla, op(record_id=rid, action="update", base=1, fields={"person_name": "C"})
    )
    assert answer.conflicts[0].kept_author == "bea"


def test_a_delete_made_on_an_older_version_loses_to_the_edit(server_db: ServerDb, ana, bea) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A"}))
    server_db.push(ana, op(record_id=rid, action="update", base=1, fields={"person_name": "B"}))
    (answer,) = server_db.push(bea, op(record_id=rid, action="delete", base=1))
    assert (answer.outcome, answer.version) == (Outcome.CONFLICT, 2)
    (flag,) = answer.conflicts
    assert (flag.field, flag.kept_value, flag.other_value) == ("_deleted", False, True)
    assert (flag.kept_author, flag.other_author) == ("ana", "bea")
    state = server_db.state(ana, rid)
    assert state is not None
    assert (state.deleted, state.version) == (False, 2)


def test_an_edit_made_before_a_delete_revives_the_record(server_db: ServerDb, ana, bea) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A"}))
    (deleted,) = server_db.push(ana, op(record_id=rid, action="delete", base=1))
    assert (deleted.outcome, deleted.version) == (Outcome.APPLIED, 2)
    tomb = server_db.state(ana, rid)
    assert tomb is not None
    assert tomb.deleted
    (edit,) = server_db.push(
        bea, op(record_id=rid, action="update", base=1, fields={"person_name": "Z"})
    )
    assert (edit.outcome, edit.version) == (Outcome.CONFLICT, 3)
    (flag,) = edit.conflicts
    assert (flag.field, flag.kept_author, flag.other_author, flag.other_value) == (
        "_deleted",
        "bea",
        "ana",
        True,
    )
    alive = server_db.state(ana, rid)
    assert alive is not None
    assert (alive.deleted, alive.updated_by) == (False, "bea")
    assert shown(alive, "person_name") == {"person_name": "Z"}
    with server_db.factory.begin() as session:
        assert [c.field for c in service.open_conflicts(session, ana).conflicts] == ["_deleted"]


def test_tombstones_refuse_edits_made_on_them_and_agree_with_other_deletes(
    server_db: ServerDb, ana, bea
) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A"}))
    server_db.push(ana, op(record_id=rid, action="delete", base=1))
    (edit,) = server_db.push(
        ana, op(record_id=rid, action="update", base=2, fields={"person_name": "B"})
    )
    assert edit.outcome is Outcome.REJECTED
    assert "eliminado" in edit.reason
    (again,) = server_db.push(bea, op(record_id=rid, action="delete", base=1))
    assert (again.outcome, again.version, again.conflicts) == (Outcome.MERGED, 2, ())
    (same,) = server_db.push(bea, op(record_id=rid, action="delete", base=2))
    assert (same.outcome, same.version) == (Outcome.APPLIED, 2)


@pytest.mark.parametrize(
    ("action", "base", "exists", "expected"),
    [
        ("create", None, True, "ya existe en el servidor"),
        ("update", 1, False, "no existe en el servidor"),
        ("delete", 1, False, "no existe en el servidor"),
        ("update", None, True, "no indica la versión"),
        ("update", 5, True, "más nueva que la del servidor"),
        ("delete", 2, True, "más nueva que la del servidor"),
    ],
)
def test_invalid_operations_are_rejected_and_quarantined(
    server_db: ServerDb, ana, action: str, base: int | None, exists: bool, expected: str
) -> None:
    rid = uuid.uuid4()
    if exists:
        server_db.push(ana, op(record_id=rid, fields={"person_name": "1"}))
    bad = op(record_id=rid, action=action, base=base, fields={"person_name": "2"})
    (answer,) = server_db.push(ana, bad)
    assert answer.outcome is Outcome.REJECTED
    assert expected in answer.reason
    assert answer.version is None
    with server_db.factory.begin() as session:
        (kept,) = session.scalars(select(Quarantine))
        assert (kept.op_id, kept.username, kept.reason) == (bad.op_id, "ana", answer.reason)
        assert kept.operation["record_id"] == str(rid)
    state = server_db.state(ana, rid)  # nothing of the refused operation was applied
    if exists:
        assert state is not None and (state.fields["person_name"], state.version) == ("1", 1)
    else:
        assert state is None


def test_one_bad_operation_does_not_block_the_batch(server_db: ServerDb, ana) -> None:
    first, last = uuid.uuid4(), uuid.uuid4()
    receipts = server_db.push(
        ana,
        op(record_id=first, fields={"person_name": "1"}),
        op(action="update", base=1, fields={"person_name": "1"}),
        op(scope="1601"),
        op(record_id=last, fields={"person_name": "b"}),
    )
    assert [r.outcome for r in receipts] == ["applied", "rejected", "rejected", "applied"]
    assert server_db.count(Quarantine) == 2
    members = [r for r in server_db.pull(ana).records if r.kind == "member"]
    assert [(r.record_id, r.seq) for r in members] == [(first, 2), (last, 3)]


def test_a_replay_returns_the_stored_receipt_and_changes_nothing(
    server_db: ServerDb, ana, bea
) -> None:
    rid = uuid.uuid4()
    server_db.push(ana, op(record_id=rid, fields={"person_name": "A"}))
    server_db.push(ana, op(record_id=rid, action="update", base=1, fields={"person_name": "B"}))
    edit = op(record_id=rid, action="update", base=1, fields={"person_name": "C"})
    bad = op(scope="1601")
    first = server_db.push(bea, edit, bad)
    assert [r.outcome for r in first] == ["conflict", "rejected"]
    again = server_db.push(bea, edit, bad, edit)
    assert again == (*first, first[0])
    assert server_db.count(Conflict) == 1
    assert server_db.count(Quarantine) == 1
    assert server_db.count(OperationLog) == 5  # the instancia's create, then these four
    with server_db.factory.begin() as session:
        assert session.get(Counter, "records").value == 3  # type: ignore[union-attr]


def test_an_op_id_reused_with_other_content_is_rejected(server_db: ServerDb, ana, bea) -> None:
    original = op(fields={"person_name": "1"})
    (stored,) = server_db.push(ana, original)
    forged = original.model_copy(update={"fields": {"a": 2}})
    (answer,) = server_db.push(ana, forged)
    assert answer.outcome is Outcome.REJECTED
    assert "reutilizado con otro contenido" in answer.reason
    (stolen,) = server_db.push(bea, original)
    assert stolen.outcome is Outcome.REJECTED
    assert server_db.push(ana, original) == (stored,)
    assert shown(server_db.state(ana, original.record_id), "person_name") == {"person_name": "1"}
    assert server_db.count(Quarantine) == 2


def test_hash_of_an_operation_is_its_canonical_content() -> None:
    one = op(fields={"a": 1, "b": [1, 2]}, raw=True)
    two = one.model_copy(update={"fields": {"b": [1, 2], "a": 1}})
    assert service.hash_operation(one) == service.hash_operation(two)
    assert service.hash_operation(one) != service.hash_operation(op(fields={"person_name": "1"}))
    assert len(service.hash_operation(one)) == 64


def test_non_json_numbers_are_rejected_not_stored(server_db: ServerDb, ana) -> None:
    for value in (float("nan"), float("inf"), "\ud800"):
        (answer,) = server_db.push(ana, op(fields={"x": value}))
        assert answer.outcome is Outcome.REJECTED
        assert "NaN" in answer.reason
    assert server_db.count(Record) == 1  # the instancia only
    assert server_db.count(Quarantine) == 3


def test_one_batch_that_creates_edits_and_deletes_a_record(server_db: ServerDb, ana, bea) -> None:
    """Decided in memory and written at the end, a batch still sees its own earlier changes:
    chained edits on version 1 are the device's own, then a delete on the last version."""
    rid = uuid.uuid4()
    answers = server_db.push(
        ana,
        op(record_id=rid, fields={"person_name": "A", "entity_name": "S"}),
        op(record_id=rid, action="update", base=1, fields={"person_name": "B"}),
        op(record_id=rid, action="update", base=1, fields={"entity_name": "T"}),
        op(record_id=rid, action="update", base=3, fields={"person_name": "C"}),
    )
    assert [(a.outcome, a.version, a.op_id) for a in answers] == [
        (Outcome.APPLIED, 1, None),
        (Outcome.APPLIED, 2, None),
        (Outcome.APPLIED, 3, None),  # its own version 2 came between: no conflict with itself
        (Outcome.APPLIED, 4, None),
    ]
    (stale,) = server_db.push(
        bea, op(record_id=rid, action="update", base=2, fields={"person_name": "X"})
    )
    assert stale.outcome is Outcome.CONFLICT  # version 2 is read back from the history
    (conflict,) = stale.conflicts
    assert (conflict.base_value, conflict.kept_value, conflict.kept_author) == ("B", "C", "ana")
    state = server_db.state(ana, rid)
    assert state is not None
    assert state.version == 4
    assert shown(state, "person_name", "entity_name") == {"person_name": "C", "entity_name": "T"}
    with server_db.factory() as session:
        kept = session.scalars(select(RecordVersion).order_by(RecordVersion.version)).all()
        assert [(v.version, v.fields["person_name"], v.fields["entity_name"]) for v in kept] == [
            (1, "A", "S"),
            (2, "B", "S"),
            (3, "B", "T"),
        ]
        seqs = session.scalars(select(Record.seq).where(Record.kind == "member")).all()
        counter = session.get(Counter, "records")
        assert counter is not None
        assert seqs == [counter.value]  # one record, one change number for the whole batch


def test_one_batch_refuses_what_it_must_and_applies_the_rest(server_db: ServerDb, ana) -> None:
    """A refusal inside a batch leaves no trace but its quarantine entry; later operations of
    the batch see the state without it."""
    visit, child = uuid.uuid4(), uuid.uuid4()
    person = op("person")
    answers = server_db.push(
        ana,
        op("visit", visit),
        person,
        op("participant", child, "update", base=1, fields={"post": "x"}, parent=visit),
        op("participant", child, fields={"person_id": str(person.record_id)}, parent=visit),
        op("visit", visit, "update", base=1, fields=sealed({})),
        op("participant", child, "update", base=1, fields={"post": "Bea"}, parent=visit),
    )
    assert [a.outcome for a in answers] == [
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.REJECTED,  # not created yet
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.REJECTED,  # the visit was finalized earlier in the same batch
    ]
    assert "no existe en el servidor" in answers[2].reason
    assert "está finalizada" in answers[5].reason
    assert server_db.count(Quarantine) == 2
    state = server_db.state(ana, child)
    assert state is not None
    assert (state.version, state.fields.get("post")) == (1, None)
