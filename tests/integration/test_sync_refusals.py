"""Refused changes are never silent, and received records that cannot be stored wait aside.

Found by a session: a change the server refused stayed on the laptop as if valid (a deleted
visit the server held as finalized, another user's draft text) while the state line said
«Sincronizado»; one bad record on the server stopped every sync of every laptop.
"""

import uuid

import pytest
from helpers.app import COMPLETE, instancia, person
from helpers.office import Office
from helpers.records import operation
from sqlalchemy import update

from instancias_desktop.syncing.lock import SyncBusyError, only_sync
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine
from sync.kinds import VISIT
from sync.protocol import Operation, Outcome, PullRequest, PushRequest, RecordKey
from sync.server import oversight, service
from sync.server.store import Record
from sync.transport_memory import MemoryTransport


def objective_on_server(office: Office, visit_id: uuid.UUID) -> str:
    with office.sessions.begin() as session:
        record = session.get(Record, (VISIT.name, visit_id))
        assert record is not None
        return str(record.fields["objective"])


def test_an_edit_of_another_users_draft_is_refused_undone_and_listed(office: Office) -> None:
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    visit_id = ana.services.start_visit(instancia(ana.services))
    ana.services.update_visit(visit_id, {"objective": "Instalar la instancia"})
    assert ana.sync().complete and beto.sync().complete
    beto.services.update_visit(visit_id, {"objective": "Texto de Beto"})

    summary = beto.sync()

    assert not summary.complete
    assert "1 rechazado por el servidor" in summary.message
    assert beto.services.visit_detail(visit_id).visit.objective == "Instalar la instancia"
    (refusal,) = beto.services.refusals()
    assert refusal.record.startswith("Acta N° ")
    assert (refusal.change, refusal.typed) == ("Cambio", "Objetivo: Texto de Beto")
    assert "pertenece a ana" in refusal.reason
    assert "Texto de Beto" in refusal.as_text()
    assert any(line.startswith("Acta N° ") and "pertenece a ana" in line for line in beto.journal())
    status = beto.services.sync_status()
    assert (status.rejected, status.synchronized) == (1, False)
    assert objective_on_server(office, visit_id) == "Instalar la instancia"

    assert beto.services.dismiss_refusals([refusal.op_id]) == 1
    assert beto.services.refusals() == ()
    assert beto.sync().complete
    assert beto.services.sync_status().synchronized


def test_a_deleted_draft_the_server_holds_finalized_comes_back_finalized(office: Office) -> None:
    a, b = office.laptop("ana", "ana-laptop"), office.laptop("ana", "ana-tablet")
    visit_id = a.services.start_visit(instancia(a.services))
    a.services.update_visit(visit_id, COMPLETE)
    a.services.save_participant(visit_id, person())
    assert a.sync().complete and b.sync().complete
    a.services.finalize_visit(visit_id)
    assert a.sync().complete
    b.services.delete_draft(visit_id)  # offline, on the draft it still holds

    summary = b.sync()

    assert not summary.complete
    shown = b.services.visit_detail(visit_id)
    assert shown.finalized
    assert [p.full_name for p in shown.participants] == ["María Núñez Quispe"]
    refused = b.services.refusals()
    assert {r.change for r in refused} == {"Eliminación"}
    assert all("está finalizada" in r.reason for r in refused)
    assert any(r.record.startswith("Acta N° ") for r in refused)


@pytest.mark.parametrize("finalized", [False, True], ids=["borrador", "finalizada"])
def test_a_refused_acta_goes_again_once_the_territory_is_assigned(
    office: Office, finalized: bool
) -> None:
    carla = office.laptop("carla", "carla-laptop")
    visit_id = carla.services.start_visit(instancia(carla.services))  # Wanchaq: not hers
    carla.services.save_participant(visit_id, person())
    if finalized:  # printed and signed on the spot: the sealed acta must reach the server
        carla.services.update_visit(visit_id, COMPLETE)
        carla.services.finalize_visit(visit_id)

    refused = carla.sync()

    assert not refused.complete
    reasons = [r.reason for r in carla.services.refusals()]
    assert any("fuera de su ámbito" in reason for reason in reasons)
    assert carla.services.visit_detail(visit_id).visit.id == visit_id  # kept as typed
    assert DatabaseStore(carla.database).restore_due() == []  # nothing to ask the server again
    office.assign("carla", ("080108",))  # her supervisor extends her territory
    ids = [r.op_id for r in carla.services.refusals()]
    assert carla.services.resend_refusals(ids) == len(ids)
    assert carla.services.refusals() == ()

    summary = carla.sync()

    assert summary.complete, summary.message
    assert carla.services.sync_status().synchronized
    with office.sessions.begin() as session:
        stored = session.get(Record, (VISIT.name, visit_id))
        assert stored is not None
        assert stored.fields["status"] == ("finalizada" if finalized else "borrador")


def test_a_record_this_laptop_cannot_store_is_said_and_keeps_it_unsynchronized(
    office: Office,
) -> None:
    """What an older server may still hold: a visit with a date that is not a date."""
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    visit_id = ana.services.start_visit(instancia(ana.services))
    assert ana.sync().complete
    with office.sessions.begin() as session:
        row = session.get(Record, (VISIT.name, visit_id))
        assert row is not None
        session.execute(
            update(Record)
            .where(Record.record_id == visit_id)
            .values(fields={**row.fields, "visit_date": "10/03/2026"})
        )

    summary = beto.sync()

    assert not summary.complete
    assert "no se pudo guardar en este equipo" in summary.message
    (waiting,) = beto.services.received_not_stored()
    assert waiting.record.startswith("Acta N° ")
    assert "fecha" in waiting.reason
    assert any("aún sin guardar en este equipo: Acta N° " in line for line in beto.journal())
    assert beto.services.sync_status().parked == 1
    assert not beto.services.sync_status().synchronized
    again = beto.sync()  # tried again, said again, and the sync goes on
    assert not again.complete and beto.services.sync_status().parked == 1

    with office.sessions.begin() as session:  # «admin withdraw»: a tombstone, audited
        withdrawn = oversight.withdraw(
            session, "visit", visit_id, actor="admin", why="fecha ilegible", now=office.now()
        )
    assert withdrawn == [(VISIT.name, visit_id)]
    assert beto.sync().complete
    assert beto.services.received_not_stored() == ()
    assert ana.sync().complete  # the author's laptop receives the withdrawal too
    assert visit_id not in {v.id for v in ana.services.list_visits()}


def test_two_syncs_of_one_profile_never_run_at_once(office: Office) -> None:
    ana = office.laptop("ana", "ana-laptop")
    database_file = ana.database.file
    assert database_file is not None
    with (
        only_sync(database_file.with_name(database_file.name + ".sync-lock")),
        pytest.raises(SyncBusyError, match="Ya hay una sincronización en curso"),
    ):
        ana.sync()
    assert ana.sync().complete  # once the first one ended


def test_a_change_set_aside_in_a_conflict_shows_the_kept_value_even_after_a_cut(
    office: Office,
) -> None:
    """Found by the torture test: she typed during a sync, the pull put her pending value on
    top of a newer version, the next push met a conflict that changed no version, and her
    laptop showed her value forever while the server kept the other (and said «Sincronizado»).
    """
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq = instancia(ana.services)
    ana.services.update_instancia(wanchaq, {"chair_post": "Alcaldesa"})
    assert ana.sync().complete and beto.sync().complete
    beto.services.update_instancia(wanchaq, {"chair_name": "Texto de Beto"})  # made on v1
    ana.services.update_instancia(wanchaq, {"chair_name": "Rosa Quispe"})
    assert ana.sync().complete
    with office.sessions.begin() as session:  # a sync of Beto's pulled v2 before pushing
        page = service.pull(session, beto.caller(session), PullRequest(cursor=0))
    store = DatabaseStore(beto.database)
    store.apply_page(page)
    assert beto.services.instancia_detail(wanchaq).chair_name == "Texto de Beto"  # pending

    pushed = SyncEngine(store, MemoryTransport(office.sessions, beto.caller)).sync()
    assert pushed.conflicts == 1  # ...then the sync is cut before anything else
    assert store.restore_due() == [RecordKey(kind="instancia", record_id=wanchaq)]

    summary = beto.sync()  # the next sync puts the server's value back

    assert summary.sent == 0 and store.restore_due() == []
    assert beto.services.instancia_detail(wanchaq).chair_name == "Rosa Quispe"
    (conflict,) = beto.services.open_conflicts()
    assert (conflict.current, conflict.mine) == ("Rosa Quispe", "Texto de Beto")


def test_real_laptops_keep_syncing_after_a_hostile_push(office: Office) -> None:
    """What another device sends that the declaration refuses never reaches a laptop, and
    theirs keep syncing to «Sincronizado» with nothing waiting aside."""
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    visit_id = ana.services.start_visit(instancia(ana.services))
    assert ana.sync().complete
    scope = "080108"

    def under(kind: str, **given: object) -> Operation:
        return operation(kind, scope=scope, parent=visit_id, fields=dict(given))

    deep: object = "fondo"
    for _ in range(300):
        deep = {"a": [deep]}
    hostile = [
        operation("member", scope=scope).model_copy(update={"kind": "desconocido"}),
        under("agreement", deadline="cuando se pueda"),
        under("agreement", state="cumplidísimo", number=2**70),
        operation("member", scope=scope, fields={"entity_name": deep}),
        operation("member", scope=scope, fields={"entity_name": "a\x00b"}),
        under("checklist"),  # into ana's acta, with the id of her checklist
    ]
    with office.sessions.begin() as session:
        device = beto.caller(session)
    with office.sessions.begin() as session:  # as /v1/push does, from Beto's device
        request = PushRequest(operations=tuple(hostile))
        receipts = service.push(session, device, request, office.now()).receipts
    assert {r.outcome for r in receipts} == {Outcome.REJECTED}

    for laptop in (ana, beto, ana, beto):
        summary = laptop.sync()
        assert summary.complete, summary.message
    for laptop in (ana, beto):
        assert laptop.services.received_not_stored() == ()
        assert laptop.services.sync_status().synchronized
    assert ana.services.checklist(visit_id) is not None  # her checklist is still hers to start
