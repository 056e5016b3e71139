"""What a hostile or buggy laptop pushes: refused with a Spanish reason, nothing stored, and
every other laptop of the territory keeps syncing.

One case per class of failure a session found (the server trusted the shape of what laptops
sent): unknown kinds and fields, wrong types and values (a deadline that is not a date, a state
outside its vocabulary, a number beyond 64 bits, JSON nested hundreds of levels deep), a record
naming a finalized acta through a field, children under someone else's visit, an id squatting
another's derived one, a person alias setting non-person fields, references to records that do
not exist or cannot be read. Each case: the operations are ``rejected`` (kept in quarantine),
no record changed, and then the others push, pull and check every record they receive against
the declaration, as their laptops do before storing it.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from helpers.records import fields_for, instancia_of, sealed
from helpers.server_db import ServerDb, op
from sqlalchemy import select

from sync import kinds
from sync.protocol import Action, Operation, Outcome
from sync.server.access import Caller
from sync.server.store import Quarantine, Record


@dataclass
class Territory:
    """Ana's acta (a draft) and her finalized one in Lima (1501), and two colleagues there."""

    ana: Caller
    bea: Caller
    carla: Caller  # elsewhere (Cusco)
    draft: uuid.UUID
    final: uuid.UUID


@pytest.fixture
def territory(server_db: ServerDb) -> Territory:
    ana = server_db.add_user("ana", territories=["1501"])
    bea = server_db.add_user("bea", territories=["1501"])
    carla = server_db.add_user("carla", territories=["08"])
    server_db.instancia(ana, "150101")
    draft, final = op("visit", scope="150101"), op("visit", scope="150101")
    finalized = op("visit", final.record_id, fields=sealed(dict(final.fields)), raw=True)
    receipts = server_db.push(ana, draft, finalized)
    assert [r.outcome for r in receipts] == [Outcome.APPLIED] * 2, receipts
    return Territory(ana, bea, carla, draft.record_id, final.record_id)


def deep(levels: int) -> Any:
    value: Any = "fondo"
    for _ in range(levels):
        value = {"a": [value]}
    return value


def child(kind: str, visit: uuid.UUID, **given: Any) -> Operation:
    return op(kind, scope="150101", parent=visit, fields=given)


# (who pushes, what, a word of the reason)
Case = tuple[str, Callable[[Territory], list[Operation]], str]
CASES: dict[str, Case] = {
    "tipo desconocido": ("ana", lambda t: [op("member").model_copy(update={"kind": "nada"})],
                         "no existe en este servidor"),
    "campo desconocido": ("ana", lambda t: [op("member", fields={"sobra": 1})], "sobra"),
    "plazo que no es fecha": ("ana", lambda t: [child("agreement", t.draft, deadline="pronto")],
                              "plazo"),
    "estado fuera del vocabulario": (
        "ana", lambda t: [child("agreement", t.draft, state="cumplidísimo")], "estado"),
    "número de más de 64 bits": ("ana", lambda t: [child("agreement", t.draft, number=2**64)],
                                 "número"),
    "JSON anidado cientos de niveles": (
        "ana", lambda t: [op("member", fields={"entity_name": deep(300)})], "debe ser texto"),
    "texto con NUL": ("ana", lambda t: [op("member", fields={"entity_name": "a\x00b"})],
                      "nulos"),
    "acta finalizada nombrada en un campo": (
        "ana", lambda t: [child("agreement", t.draft, visit_id=str(t.final))], "no es la de"),
    "hijo de un acta finalizada": ("ana", lambda t: [child("agreement", t.final)], "finaliz"),
    "hijo del acta de otra persona": ("bea", lambda t: [child("agreement", t.draft)],
                                      "es de ana"),
    "lista de verificación en el acta de otra": (
        "bea", lambda t: [child("checklist", t.draft)], "es de ana"),
    "identificador derivado ocupado con otro": (
        "ana", lambda t: [op("checklist", uuid.uuid4(), parent=t.draft)], "no corresponde"),
    "identificador no aleatorio": ("ana", lambda t: [op("member", uuid.uuid1())], "aleatorio"),
    "referencia que no existe": (
        "ana", lambda t: [child("participant", t.draft, person_id=str(uuid.uuid4()))],
        "no está en el servidor"),
    "referencia que no puede leer": ("carla", lambda t: [op("member", scope="080101", fields={
        "instancia_id": str(instancia_of("150101"))})], "puede ver"),
    "campo que asigna el servidor": (
        "ana", lambda t: [op("person", fields={"alias_of": str(uuid.uuid4())})],
        "solo el servidor"),
    "cambiar un acta finalizada": ("ana", lambda t: [
        op("visit", t.final, Action.UPDATE, base=1, fields={"objective": "otro"})], "finaliz"),
    "borrar un acta finalizada": ("ana", lambda t: [op("visit", t.final, Action.DELETE, base=1)],
                                  "finaliz"),
    "hora del cambio imposible": ("ana", lambda t: [op("visit", t.draft, Action.UPDATE, base=1,
        fields={"objective": "x"}, made_at=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(
            -dt.timedelta(hours=14))))], "fecha y hora del cambio"),
    "hora del cambio sin zona": ("ana", lambda t: [op("member", made_at=dt.datetime(2026, 3, 1))],
                                 "zona horaria"),
    # The instancia's own record (issue 18): fields that must agree with each other.
    "norma de otro nivel de gobierno": (
        "ana", lambda t: [op("norm", fields={"norm_type": "ordenanza_regional"})], "no emite"),
    "tipo de entidad que no es un código": (
        "ana", lambda t: [op("member", fields={"entity_type_code": "CEM'; --"})], "formato"),
    "DNI de dos dígitos": ("ana", lambda t: [op("member", fields={
        "document_type": "dni", "document_number": "12"})], "8 dígitos"),
    "hasta antes de desde": ("ana", lambda t: [op("member", fields={
        "since": "2026-03-01", "until": "2025-01-01"})], "anterior"),
    "periodo al revés": ("ana", lambda t: [op("instrument", fields={
        "period_start": "2026-12-31", "period_end": "2026-01-01"})], "termina antes"),
    "informe sin destinatario": ("ana", lambda t: [op("instrument", fields={
        "instrument_type": "informe", "title": "Informe anual"})], "dirigió"),
    "archivo de ningún registro": ("ana", lambda t: [op(kinds.RECORD_FILE.name, fields={
        "instancia_id": str(instancia_of("150101")), "filename": "suelto.pdf",
        "sha256": "a" * 64, "size_bytes": 10, "media_type": "application/pdf"}, raw=True)],
        "uno solo"),
    "territorio ajeno": ("carla", lambda t: [op("instancia", instancia_of("150101"), Action.UPDATE,
                                                base=1, fields={"chair_name": "X"})], "puede ver"),
}  # fmt: skip


def stored(server_db: ServerDb) -> list[tuple[str, uuid.UUID, int, bool]]:
    with server_db.factory.begin() as session:
        rows = session.scalars(select(Record).order_by(Record.seq))
        return [(r.kind, r.record_id, r.version, r.deleted) for r in rows]


def others_keep_syncing(server_db: ServerDb, territory: Territory) -> None:
    """Bea and Ana push a valid change and pull everything, each record storable."""
    for caller in (territory.bea, territory.ana):
        (receipt,) = server_db.push(caller, op("member", scope="150101"))
        assert receipt.outcome is Outcome.APPLIED, receipt
        page = server_db.pull(caller)
        assert not page.has_more
        for record in page.records:
            spec = kinds.kind_of(record.kind)
            assert spec is not None, record.kind
            assert spec.problems(record.fields, complete=True) == [], record


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_hostile_push_stores_nothing_and_the_others_keep_syncing(
    server_db: ServerDb, territory: Territory, case: str
) -> None:
    author, build, says = CASES[case]
    before = stored(server_db)
    operations = build(territory)

    receipts = server_db.push(getattr(territory, author), *operations)

    assert [r.outcome for r in receipts] == [Outcome.REJECTED] * len(operations)
    assert all(says in r.reason for r in receipts), [r.reason for r in receipts]
    assert stored(server_db) == before
    assert server_db.count(Quarantine) == len(operations)
    others_keep_syncing(server_db, territory)


def test_a_duplicate_person_cannot_set_fields_a_person_does_not_have(
    server_db: ServerDb, territory: Territory
) -> None:
    """An alias fills blanks of the holder with person fields only, never with any key."""
    holder = op("person", scope="150101", fields={"document_number": "45678912", "phone": ""})
    assert server_db.push(territory.ana, holder)[0].outcome is Outcome.APPLIED
    again = fields_for("person", scope="150101", document_number="45678912")
    twin = op("person", fields={**again, "phone": "999888777", "owner": "bea"}, raw=True)

    (receipt,) = server_db.push(territory.bea, twin)

    assert receipt.outcome is Outcome.REJECTED and "owner" in receipt.reason
    state = server_db.state(territory.ana, holder.record_id)
    assert state is not None and state.fields.get("phone") == "" and "owner" not in state.fields
    others_keep_syncing(server_db, territory)


def test_her_own_checklist_is_hers_after_someone_tried_to_take_its_id(
    server_db: ServerDb, territory: Territory
) -> None:
    """The checklist's id derives from the visit: bea's attempt left nothing in ana's way."""
    assert server_db.push(territory.bea, child("checklist", territory.draft))[0].outcome is (
        Outcome.REJECTED
    )
    (mine,) = server_db.push(territory.ana, child("checklist", territory.draft))
    assert mine.outcome is Outcome.APPLIED
    pulled = {r.record_id for r in server_db.pull(territory.ana).records}
    assert kinds.checklist_id(territory.draft) in pulled


def test_the_instancia_of_the_territory_is_shared_not_owned(
    server_db: ServerDb, territory: Territory
) -> None:
    """Bea edits the instancia ana created; carla, elsewhere, cannot even see it."""
    rid = instancia_of("150101")
    edit = op("instancia", rid, Action.UPDATE, base=1, fields={"chair_name": "Rosa"})
    assert server_db.push(territory.bea, edit)[0].outcome is Outcome.APPLIED
    intrusion = op("instancia", rid, Action.UPDATE, base=2, fields={"chair_name": "X"})
    (refused,) = server_db.push(territory.carla, intrusion)
    assert refused.outcome is Outcome.REJECTED and "Rosa" not in refused.reason
    assert rid not in {r.record_id for r in server_db.pull(territory.carla).records}


def test_a_record_made_wrong_by_a_change_is_refused_and_stays_as_it_was(
    server_db: ServerDb, territory: Territory
) -> None:
    """Each field is fine alone; together (after the change) they are not."""
    member = op("member", fields={"since": "2025-03-01"})
    assert server_db.push(territory.ana, member)[0].outcome is Outcome.APPLIED
    backwards = op("member", member.record_id, Action.UPDATE, base=1,
                   fields={"until": "2025-01-31"})  # fmt: skip
    (receipt,) = server_db.push(territory.bea, backwards)
    assert receipt.outcome is Outcome.REJECTED and "anterior" in receipt.reason
    state = server_db.state(territory.ana, member.record_id)
    assert state is not None and state.version == 1 and state.fields.get("until") is None
    removed = op("member", member.record_id, Action.DELETE, base=1)  # a delete is never held
    assert server_db.push(territory.ana, removed)[0].outcome is Outcome.APPLIED


def test_only_a_member_seated_on_the_sessions_date_attends_it(
    server_db: ServerDb, territory: Territory
) -> None:
    member = op("member", fields={"since": "2025-03-01", "until": "2026-01-10"})
    session = op("instancia_session", fields={"held_on": "2026-02-01"})
    earlier = op("instancia_session", fields={"held_on": "2025-11-05"})
    assert {r.outcome for r in server_db.push(territory.ana, member, session, earlier)} == {
        Outcome.APPLIED
    }

    def attendance(held: Operation) -> Operation:
        given = {"session_id": str(held.record_id), "member_id": str(member.record_id)}
        return op(kinds.ATTENDANCE.name, kinds.attendance_id(held.record_id, member.record_id),
                  fields=given, raw=True)  # fmt: skip

    (absent,) = server_db.push(territory.bea, attendance(session))
    assert absent.outcome is Outcome.REJECTED and "no ocupaba su puesto" in absent.reason
    (present,) = server_db.push(territory.bea, attendance(earlier))
    assert present.outcome is Outcome.APPLIED, present.reason
