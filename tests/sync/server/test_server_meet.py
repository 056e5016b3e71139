"""Two devices create the same derived-id record: fields left at their default never conflict.

Found while letting specialists edit an instancia's chair and secretariat: each laptop's first
edit sends the instancia's create with every declared field, and the second create's empty
fields conflicted with the first one's values although nobody had changed them there.
"""

from helpers.records import instancia_of
from helpers.server_db import ServerDb, op

from sync.protocol import Outcome
from sync.server.store import Conflict

EMPTY = {"chair_name": "", "chair_post": "", "secretariat_unit": "", "secretariat_person": ""}


def test_creates_that_set_different_fields_merge_without_conflicts(server_db: ServerDb) -> None:
    ana = server_db.add_user("ana", territories=["1501"])
    bea = server_db.add_user("bea", territories=["1501"])
    (first,) = server_db.push(ana, op("instancia", fields={**EMPTY, "chair_name": "Rosa"}))
    (second,) = server_db.push(bea, op("instancia", fields={**EMPTY, "secretariat_unit": "GDS"}))

    assert first.outcome is Outcome.APPLIED
    assert (second.outcome, second.version, second.conflicts) == (Outcome.MERGED, 2, ())
    state = server_db.state(ana, instancia_of("150101"))
    assert state is not None
    assert {k: state.fields[k] for k in EMPTY} == {**EMPTY, "chair_name": "Rosa",
                                                   "secretariat_unit": "GDS"}  # fmt: skip
    assert server_db.count(Conflict) == 0


def test_creates_that_set_one_field_differently_conflict_on_it_alone(server_db: ServerDb) -> None:
    ana = server_db.add_user("ana", territories=["1501"])
    bea = server_db.add_user("bea", territories=["1501"])
    server_db.push(ana, op("instancia", fields={**EMPTY, "chair_name": "Rosa"}))
    (second,) = server_db.push(
        bea, op("instancia", fields={**EMPTY, "chair_name": "Rosa Q.", "chair_post": "Alcaldesa"})
    )

    assert second.outcome is Outcome.CONFLICT
    assert [c.field for c in second.conflicts] == ["chair_name"]
    state = server_db.state(ana, instancia_of("150101"))
    assert state is not None
    assert (state.fields["chair_name"], state.fields["chair_post"]) == ("Rosa", "Alcaldesa")
