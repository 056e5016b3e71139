"""One person per document: a person created twice offline becomes an alias of the first."""

import uuid

import pytest
from helpers.server_db import ServerDb, op

from sync.kinds import PERSON
from sync.protocol import Outcome
from sync.server.store import PersonDocument, Record

ANA_PHONE = {"document_type": "dni", "document_number": "41223344", "full_name": "Rosa Quispe",
             "phone": "", "email": "rosa@muni.gob.pe", "alias_of": None}  # fmt: skip


@pytest.fixture
def ana(server_db: ServerDb):
    return server_db.add_user("ana", territories=["1501"])


@pytest.fixture
def bea(server_db: ServerDb):
    return server_db.add_user("bea", territories=["1501"])


def person(record_id: uuid.UUID, **changes: object):
    return op("person", record_id, fields={**ANA_PHONE, **changes})


def test_the_second_person_with_a_document_becomes_an_alias_and_fills_blanks(
    server_db: ServerDb, ana, bea
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    (made,) = server_db.push(ana, person(first))
    (aliased,) = server_db.push(
        bea, person(second, document_number=" 41223344 ", phone="987654321", email="otra@x.pe")
    )
    assert (made.outcome, aliased.outcome, aliased.version) == (
        Outcome.APPLIED,
        Outcome.MERGED,
        1,
    )
    holder, alias = server_db.state(ana, first), server_db.state(bea, second)
    assert holder is not None and alias is not None
    assert alias.fields["alias_of"] == str(first)
    assert alias.fields["phone"] == "987654321"  # the alias keeps what its laptop sent
    assert holder.version == 2  # the blank phone filled; the email on record is kept
    assert (holder.fields["phone"], holder.fields["email"]) == ("987654321", "rosa@muni.gob.pe")
    assert holder.updated_by == "bea" and holder.owner == "ana"
    (third,) = server_db.push(ana, person(uuid.uuid4(), document_number="41223344 "))
    assert third.outcome is Outcome.MERGED  # the same document however it is written
    assert server_db.count(PersonDocument) == 1


def test_a_holder_out_of_sight_or_deleted_is_not_aliased(server_db: ServerDb, ana) -> None:
    far = server_db.add_user("far", territories=["0801"])
    theirs, mine, again = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    server_db.push(far, op("person", theirs, fields=ANA_PHONE, scope="080101"))
    (apart,) = server_db.push(ana, person(mine))
    assert apart.outcome is Outcome.APPLIED  # ana could not receive far's record: kept apart
    state = server_db.state(ana, mine)
    assert state is not None and state.fields["alias_of"] is None
    server_db.push(far, op("person", theirs, "delete", base=1, scope="080101"))
    (claimed,) = server_db.push(far, op("person", again, fields=ANA_PHONE, scope="080101"))
    assert claimed.outcome is Outcome.APPLIED  # the holder was deleted: the new one holds it
    (later,) = server_db.push(ana, person(uuid.uuid4()))
    assert later.outcome is Outcome.APPLIED  # and it is out of ana's sight too


def test_in_one_batch_the_first_holds_and_the_others_are_aliases(server_db: ServerDb, ana) -> None:
    first = uuid.uuid4()
    answers = server_db.push(ana, person(first), person(uuid.uuid4()), person(uuid.uuid4()))
    assert [a.outcome for a in answers] == [Outcome.APPLIED, Outcome.MERGED, Outcome.MERGED]
    aliases = [r.fields["alias_of"] for r in server_db.pull(ana).records if r.kind == "person"]
    assert sorted(map(str, aliases)) == sorted(["None", str(first), str(first)])


def set_alias(server_db: ServerDb, record_id: uuid.UUID, alias: str) -> None:
    """What an older server may hold: an alias_of written by hand (no client may set it)."""
    with server_db.factory.begin() as session:
        row = session.get(Record, ("person", record_id))
        assert row is not None
        row.fields = {**row.fields, "alias_of": alias}


def test_an_alias_chain_leads_to_the_live_holder(server_db: ServerDb, ana) -> None:
    holder, survivor = uuid.uuid4(), uuid.uuid4()
    server_db.push(ana, person(holder), person(survivor, document_number="09998877"))
    set_alias(server_db, holder, str(survivor))
    newcomer = uuid.uuid4()
    (merged,) = server_db.push(ana, person(newcomer))
    assert merged.outcome is Outcome.MERGED
    state = server_db.state(ana, newcomer)
    assert state is not None and state.fields["alias_of"] == str(survivor)


def test_only_the_server_makes_aliases(server_db: ServerDb, ana) -> None:
    holder, other = uuid.uuid4(), uuid.uuid4()
    server_db.push(ana, person(holder), person(other, document_number="09998877"))
    refused = server_db.push(
        ana,
        op("person", holder, "update", base=1, fields={"alias_of": str(other)}),
        person(uuid.uuid4(), document_number="1", alias_of=str(holder)),
    )
    assert [r.outcome for r in refused] == [Outcome.REJECTED, Outcome.REJECTED]
    assert all("lo asigna solo el servidor" in r.reason for r in refused)
    state = server_db.state(ana, holder)
    assert state is not None and (state.version, state.fields["alias_of"]) == (1, None)


def test_a_second_record_fills_only_the_blanks_of_person_fields(server_db: ServerDb, ana) -> None:
    """Found by a hostile client: any key of the second record was copied onto the holder."""
    holder = uuid.uuid4()
    server_db.push(ana, person(holder))
    (refused,) = server_db.push(ana, person(uuid.uuid4(), phone="999", role="presidencia"))
    assert refused.outcome is Outcome.REJECTED
    assert "«role» (role) no es un campo" in refused.reason
    (aliased,) = server_db.push(ana, person(uuid.uuid4(), phone="999", sex="F"))
    assert aliased.outcome is Outcome.MERGED
    state = server_db.state(ana, holder)
    assert state is not None
    assert set(state.fields) <= set(PERSON.fields)
    assert (state.fields["phone"], state.version) == ("999", 2)


def test_a_document_too_long_or_an_alias_that_is_no_id_breaks_nothing(
    server_db: ServerDb, ana
) -> None:
    """Found by review: a 61-character document failed the whole batch on PostgreSQL, and a
    holder whose alias_of was not an id failed every later create with its document."""
    (long,) = server_db.push(ana, person(uuid.uuid4(), document_number="9" * 70))
    assert long.outcome is Outcome.REJECTED
    assert "admite hasta 20 caracteres" in long.reason
    holder = uuid.uuid4()
    server_db.push(ana, person(holder))
    set_alias(server_db, holder, "x")
    (later,) = server_db.push(ana, person(uuid.uuid4()))
    assert later.outcome is Outcome.MERGED  # the holder, whatever its alias_of says
