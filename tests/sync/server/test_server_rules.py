"""Who may write what: territories, ownership of non-shared kinds, finalized visits."""

import uuid

import pytest
from helpers.records import sealed
from helpers.server_db import ServerDb, op

from sync.kinds import AGREEMENT, ATTACHMENT, SIGNED_COPY, VISIT
from sync.protocol import Outcome
from sync.server.access import assign_territories, load_caller


@pytest.fixture
def ana(server_db: ServerDb):
    return server_db.add_user("ana", territories=["1501"])


@pytest.fixture
def bea(server_db: ServerDb):
    return server_db.add_user("bea", territories=["1501"])


@pytest.fixture
def sup(server_db: ServerDb):
    return server_db.add_user("sup", role="supervisor")


def test_creating_outside_the_territories_is_refused(server_db: ServerDb, ana, sup) -> None:
    (outside,) = server_db.push(ana, op("instancia", scope="160101"))
    assert outside.outcome is Outcome.REJECTED
    assert "fuera de su ámbito" in outside.reason
    (region,) = server_db.push(ana, op("instancia", scope="15"))  # 1501 does not cover 15
    assert region.outcome is Outcome.REJECTED
    (anywhere,) = server_db.push(sup, op("instancia", scope="240101"))
    assert anywhere.outcome is Outcome.APPLIED


def test_editing_another_territory_is_refused(server_db: ServerDb, ana, sup) -> None:
    other = server_db.add_user("otro", territories=["16"])
    server_db.instancia(other, "160101")
    rid = uuid.uuid4()
    server_db.push(other, op("norm", rid, scope="160101"))
    (answer,) = server_db.push(ana, op("norm", rid, "update", base=9, scope="160101"))
    assert answer.outcome is Outcome.REJECTED
    # Said without telling anything about a record she cannot read (its territory, version).
    assert answer.reason.startswith("El registro no está entre los que usted puede ver")
    assert "1601" not in answer.reason and "versión" not in answer.reason
    (moved,) = server_db.push(other, op("norm", rid, "update", base=1, scope="150101"))
    assert moved.outcome is Outcome.REJECTED  # a record never moves to another territory
    assert "territorio indicado" in moved.reason
    (by_sup,) = server_db.push(
        sup, op("norm", rid, "update", base=1, scope="160101", fields={"number": "2"})
    )
    assert by_sup.outcome is Outcome.APPLIED


def test_only_the_author_edits_a_visit_but_anyone_of_the_territory_an_instancia(
    server_db: ServerDb, ana, bea, sup
) -> None:
    inst = server_db.instancia(ana)
    visit = uuid.uuid4()
    server_db.push(ana, op("visit", visit))
    for caller in (bea, sup):
        (refused,) = server_db.push(
            caller, op("visit", visit, "update", base=1, fields={"objective": "x"})
        )
        assert refused.outcome is Outcome.REJECTED
        assert "solo su autor" in refused.reason
    (shared,) = server_db.push(
        bea, op("instancia", inst, "update", base=1, fields={"chair_name": "Alcaldesa"})
    )
    assert shared.outcome is Outcome.APPLIED
    (member,) = server_db.push(bea, op("member"))
    assert member.outcome is Outcome.APPLIED


def test_own_records_stay_writable_after_the_territory_is_taken_away(
    server_db: ServerDb, ana
) -> None:
    server_db.instancia(ana)
    rid = uuid.uuid4()
    server_db.push(ana, op("visit", rid))
    with server_db.factory.begin() as session:
        assign_territories(session, "ana", ["0101"], replace=True)
        moved_ana = load_caller(session, "ana")
    (answer,) = server_db.push(
        moved_ana, op("visit", rid, "update", base=1, fields={"objective": "n"})
    )
    assert answer.outcome is Outcome.APPLIED
    assert [r.record_id for r in server_db.pull(moved_ana, kinds=("visit",)).records] == [rid]


def test_a_finalized_visit_and_what_hangs_from_it_are_immutable(server_db: ServerDb, ana) -> None:
    server_db.instancia(ana)
    visit, child, person = uuid.uuid4(), uuid.uuid4(), op("person")
    server_db.push(
        ana,
        op("visit", visit),
        person,
        op("participant", child, parent=visit, fields={"person_id": str(person.record_id)}),
    )
    (final,) = server_db.push(ana, op("visit", visit, "update", base=1, fields=sealed({})))
    assert final.outcome is Outcome.APPLIED
    refused = server_db.push(
        ana,
        op("visit", visit, "update", base=2, fields={"status": "borrador"}),
        op("visit", visit, "delete", base=2),
        op("participant", child, "update", base=1, parent=visit, fields={"post": "Q"}),
        op("participant", child, "update", base=1, fields={"post": "Q"}),  # parent: the record's
        op("agreement", parent=visit),
    )
    assert [r.outcome for r in refused] == ["rejected"] * 5
    assert all("cree una adenda" in r.reason for r in refused)
    (addendum,) = server_db.push(ana, op("visit", fields={"addendum_of": str(visit)}))
    assert addendum.outcome is Outcome.APPLIED


def test_a_visit_created_finalized_is_accepted(server_db: ServerDb, ana) -> None:
    server_db.instancia(ana)
    (answer,) = server_db.push(ana, op("visit", fields=sealed({})))
    assert answer.outcome is Outcome.APPLIED


def test_a_signed_copy_is_the_one_record_a_finalized_visit_accepts(
    server_db: ServerDb, ana, bea
) -> None:
    server_db.instancia(ana)
    visit = uuid.uuid4()
    server_db.push(ana, op(VISIT.name, visit))
    (early,) = server_db.push(ana, op(SIGNED_COPY.name, parent=visit))
    assert early.outcome is Outcome.REJECTED
    assert "aún es un borrador" in early.reason
    server_db.push(ana, op(VISIT.name, visit, "update", base=1, fields=sealed({})))
    copy = uuid.uuid4()
    (theirs,) = server_db.push(bea, op(SIGNED_COPY.name, parent=visit))
    assert theirs.outcome is Outcome.REJECTED
    assert "solo su autor(a)" in theirs.reason
    (attached,) = server_db.push(ana, op(SIGNED_COPY.name, copy, parent=visit))
    assert attached.outcome is Outcome.APPLIED
    refused = server_db.push(
        ana,
        op(SIGNED_COPY.name, copy, "update", base=1, parent=visit, fields={"page_count": 3}),
        op(VISIT.name, visit, "update", base=2, fields={"place": "Otro lugar"}),
        op(AGREEMENT.name, parent=visit),
        op(ATTACHMENT.name, parent=visit, fields={"kind": "acta_firmada"}),
    )
    assert [r.outcome for r in refused] == ["rejected"] * 4
    assert "no se modifica una vez registrado" in refused[0].reason
    assert all("cree una adenda" in r.reason for r in refused[1:])
    (withdrawn,) = server_db.push(ana, op(SIGNED_COPY.name, copy, "delete", base=1, parent=visit))
    assert withdrawn.outcome is Outcome.APPLIED
    pulled = server_db.pull(bea, kinds=(SIGNED_COPY.name,)).records
    assert [(r.record_id, r.deleted) for r in pulled] == [(copy, True)]
