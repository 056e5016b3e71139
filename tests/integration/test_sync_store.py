"""The app's database as the sync LocalStore: outbox out, receipts, pulled pages, digests."""

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.app import COMPLETE, FIXED, WANCHAQ, at, instancia, person, services_at
from helpers.profiles import open_profile
from helpers.server_pages import LATER, page, record
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from instancias_desktop.db.models import AgreementRow, ParticipantRow, PersonRow, VisitRow
from instancias_desktop.db.outbox import synced_kinds
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import (
    AgreementState,
    Answer,
    AtType,
    DocumentType,
    Modality,
    ParticipantRole,
    Sex,
    VisitStatus,
)
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine, name_receipts
from sync.protocol import (
    Action,
    Operation,
    Outcome,
    PullRequest,
    PushRequest,
    Receipt,
    digest_of,
)
from sync.server.access import Caller, Role
from sync.server.db import create_server_engine, migrate, session_factory
from sync.transport_memory import MemoryTransport

ACTOR = "especialista.prueba"
WANCHAQ_INSTANCIA = instancia_id("MD080108")
IDC_V1 = FormRef("funcionamiento_idc", 1)
SPECIALIST = Caller(ACTOR, Role.ESPECIALISTA, territories=("08",))  # signed in on this laptop
VISIT_FIELDS = {
    "instancia_id": str(WANCHAQ_INSTANCIA), "acta_number": "N° 001-2026-MIMP/DGCVG-DPVLV-B01",
    "visit_date": "2026-03-02", "start_time": "09:15:00", "end_time": "11:00:00",
    "place": "Local comunal", "place_ubigeo": WANCHAQ, "modality": "virtual",
    "at_type": "instalacion", "objective": "Instalar", "status": "finalizada",
    "finalized_at": "2026-03-02T16:00:00+00:00", "acta_series": "B01", "acta_year": 2026,
    "acta_sequence": 1, "deleted": False,
}  # fmt: skip
PERSON_FIELDS = {"document_type": "dni", "document_number": "11223344", "full_name": "Ana Pérez",
                 "sex": "F", "phone": "", "email": "", "alias_of": None}  # fmt: skip


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


@pytest.fixture
def store(database: Database) -> DatabaseStore:
    return DatabaseStore(at(database, LATER))


def sql(database: Database, query: str, **params: object) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(query), params)]


def outbox(database: Database) -> list[tuple[Any, ...]]:
    query = "SELECT kind, action, base_version, state, reason FROM outbox ORDER BY seq"
    return sql(database, query)


# ---------------------------------------------------------------------- pending
def test_pending_gives_valid_operations_in_outbox_order(
    services: AppServices, store: DatabaseStore, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"objective": "Instalar"})
    participant_id = services.save_participant(visit_id, person())
    services.remove_participant(participant_id)
    operations = store.pending(100)
    assert all(isinstance(op, Operation) for op in operations)
    for op in operations:  # every pattern and bound checked again, as the server will
        assert Operation.model_validate_json(op.model_dump_json()) == op
    PushRequest(operations=tuple(operations))
    assert [(op.kind, op.action, op.base_version) for op in operations] == [
        ("instancia", Action.CREATE, None), ("visit", Action.CREATE, None),
        ("visit", Action.UPDATE, 1),
        ("person", Action.CREATE, None), ("participant", Action.CREATE, None),
        ("participant", Action.DELETE, 1),
    ]  # fmt: skip
    stored = [uuid.UUID(hex=r[0]) for r in sql(database, "SELECT op_id FROM outbox ORDER BY seq")]
    assert [op.op_id for op in operations] == stored
    assert {op.scope for op in operations} == {WANCHAQ}
    assert [op.parent_id for op in operations] == [None, None, None, None, visit_id, visit_id]
    assert {op.made_at for op in operations} == {FIXED}
    assert operations[2].fields == {"objective": "Instalar"}
    assert store.pending(2) == operations[:2]


# ------------------------------------------------------------------ acknowledge
def test_acknowledge_records_each_outcome_once(
    services: AppServices, store: DatabaseStore, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    for objective in ("Uno", "Dos", "Tres", "Cuatro"):
        services.update_visit(visit_id, {"objective": objective})
    ops = store.pending(10)[1:]  # after the instancia's create
    reason = "La visita está finalizada: su acta es inmutable. Para corregirla, cree una adenda."
    store.acknowledge([
        Receipt(op_id=ops[0].op_id, outcome=Outcome.APPLIED, version=1),
        Receipt(op_id=ops[1].op_id, outcome=Outcome.MERGED, version=3),
        Receipt(op_id=ops[2].op_id, outcome=Outcome.CONFLICT, version=3),
        Receipt(op_id=ops[3].op_id, outcome=Outcome.REJECTED, reason=reason),
        Receipt(op_id=uuid.uuid4(), outcome=Outcome.APPLIED, version=1),  # not ours: ignored
    ])  # fmt: skip
    expected = [
        ("instancia", "create", None, "pendiente", ""),
        ("visit", "create", None, "confirmado", ""), ("visit", "update", 1, "confirmado", ""),
        ("visit", "update", 1, "en_conflicto", ""), ("visit", "update", 1, "rechazado", reason),
        ("visit", "update", 1, "pendiente", ""),
    ]  # fmt: skip
    assert outbox(database) == expected
    # only a receipt takes an entry out of «pendiente»
    assert store.pending(10) == [store.pending(1)[0], *ops[4:]]
    acknowledged = sql(database, "SELECT acknowledged_at FROM outbox ORDER BY seq")
    assert [r[0] is not None for r in acknowledged] == [False, True, True, True, True, False]
    store.acknowledge([
        Receipt(op_id=ops[2].op_id, outcome=Outcome.APPLIED, version=4),
        Receipt(op_id=ops[3].op_id, outcome=Outcome.APPLIED, version=4),
    ])  # fmt: skip
    assert outbox(database) == expected  # the first receipt of an op_id stays


# ------------------------------------------------------------------- apply_page
def test_a_pulled_page_creates_rows_as_the_server_holds_them(
    services: AppServices, store: DatabaseStore, database: Database
) -> None:
    visit_id, person_id, participant_id, agreement_id = (uuid.uuid4() for _ in range(4))
    participant = {"visit_id": str(visit_id), "person_id": str(person_id), "position": 1,
                   "entity": "Municipalidad", "post": "Regidora", "role": "presidencia",
                   "consent": True}  # fmt: skip
    agreement = {"visit_id": str(visit_id), "number": 1, "description": "Aprobar el plan",
                 "responsible_entity": "Municipalidad", "deadline": "2026-04-30",
                 "state": "cumplido"}  # fmt: skip
    store.apply_page(page(
        record("person", person_id, PERSON_FIELDS, 3, version=3),
        record("visit", visit_id, VISIT_FIELDS, 5, version=2),
        record("participant", participant_id, participant, 6),
        record("agreement", agreement_id, agreement, 7, version=4),
        cursor=7,
    ))  # fmt: skip
    assert (store.cursor(), outbox(database)) == (7, [])
    with database.reader() as uow:
        visit = uow.session.get(VisitRow, visit_id)
        part = uow.session.get(ParticipantRow, participant_id)
        agreed = uow.session.get(AgreementRow, agreement_id)
        who = uow.session.get(PersonRow, person_id)
        assert visit is not None and part is not None and agreed is not None and who is not None
        assert (visit.version, visit.author, visit.updated_by) == (2, "beto", "carla")
        assert (visit.instancia_id, visit.visit_date) == (WANCHAQ_INSTANCIA, dt.date(2026, 3, 2))
        assert (visit.start_time, visit.end_time) == (dt.time(9, 15), dt.time(11))
        assert (visit.modality, visit.at_type, visit.status) == (
            Modality.VIRTUAL, AtType.INSTALLATION, VisitStatus.FINALIZED,
        )  # fmt: skip
        assert visit.finalized_at == dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC)
        assert (part.person_id, part.visit_id, part.role, part.consent, part.version) == (
            person_id, visit_id, ParticipantRole.CHAIR, True, 1,
        )  # fmt: skip
        assert (agreed.deadline, agreed.state, agreed.version) == (
            dt.date(2026, 4, 30), AgreementState.FULFILLED, 4,
        )  # fmt: skip
        assert (who.document_type, who.sex, who.version) == (DocumentType.DNI, Sex.FEMALE, 3)
    detail = services.visit_detail(visit_id)
    assert [p.full_name for p in detail.participants] == ["Ana Pérez"]
    assert [a.description for a in detail.agreements] == ["Aprobar el plan"]


def test_a_newer_page_updates_rows_and_the_cursor_never_goes_back(
    store: DatabaseStore, database: Database
) -> None:
    visit_id = uuid.uuid4()
    store.apply_page(page(record("visit", visit_id, VISIT_FIELDS, 4), cursor=4))
    changed = {**VISIT_FIELDS, "objective": "Reinstalar", "modality": "presencial"}
    store.apply_page(page(record("visit", visit_id, changed, 9, version=2, deleted=True), cursor=9))
    store.apply_page(page(cursor=6))  # an older cursor is never stored
    assert (store.cursor(), outbox(database)) == (9, [])
    with database.reader() as uow:
        visit = uow.session.get(VisitRow, visit_id)
        assert visit is not None
        assert (visit.objective, visit.modality, visit.version, visit.deleted) == (
            "Reinstalar", Modality.IN_PERSON, 2, True,
        )  # fmt: skip


def test_pending_local_edits_stay_on_top_of_a_pulled_newer_version(
    services: AppServices, store: DatabaseStore, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    (known, created) = store.pending(10)
    store.acknowledge(
        [Receipt(op_id=op.op_id, outcome=Outcome.APPLIED, version=1) for op in (known, created)]
    )
    services.update_visit(visit_id, {"objective": "Escrito sin conexión"})
    (edit,) = store.pending(10)
    on_server = {**created.fields, "diagnosis": "Sin plan de trabajo."}  # another change
    store.apply_page(page(record("visit", visit_id, on_server, 12, version=2), cursor=12))
    visit = services.visit_detail(visit_id).visit
    assert (visit.objective, visit.diagnosis) == ("Escrito sin conexión", "Sin plan de trabajo.")
    with database.reader() as uow:
        row = uow.session.get(VisitRow, visit_id)
        assert row is not None
        # the server's version; the next edit is made on it too (the last version received)
        assert (row.version, row.author, row.updated_by) == (2, "beto", "carla")
    assert store.pending(10) == [edit]  # still to be sent, on the version it was made on
    assert edit.base_version == 1
    assert outbox(database) == [
        ("instancia", "create", None, "confirmado", ""),
        ("visit", "create", None, "confirmado", ""), ("visit", "update", 1, "pendiente", ""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "fields", "why"),
    [
        ("expediente", {"numero": "1"}, "no conoce"),  # a kind this app does not know
        ("visit", {**VISIT_FIELDS, "visit_date": "02/03/2026"}, "fecha"),  # not an ISO date
        ("visit", {**VISIT_FIELDS, "modality": "a_distancia"}, "modalidad"),  # not a modality
        ("visit", {**VISIT_FIELDS, "instancia_id": "no-es-un-uuid"}, "identificador"),
        ("visit", {**VISIT_FIELDS, "acta_sequence": 2**70}, "correlativo"),  # beyond 64 bits
        ("visit", {**VISIT_FIELDS, "finalized_at": "2026-03-01T10:00:00"}, "zona horaria"),
    ],
)
def test_a_record_this_laptop_cannot_store_is_parked_and_the_rest_goes_in(
    store: DatabaseStore, database: Database, kind: str, fields: dict[str, Any], why: str
) -> None:
    """Found by a hostile client: one such record failed every later sync of every laptop of
    the territory. Now it waits aside, with its reason, and the page goes in."""
    store.apply_page(page(cursor=5))
    person_id = uuid.uuid4()
    broken = page(
        record("person", person_id, PERSON_FIELDS, 6), record(kind, uuid.uuid4(), fields, 7),
        cursor=7,
    )  # fmt: skip
    store.apply_page(broken)
    assert store.cursor() == 7
    assert sql(database, "SELECT count(*) FROM person WHERE id = :i", i=person_id.hex) == [(1,)]
    assert sql(database, "SELECT count(*) FROM visit") == [(0,)]
    (parked,) = store.parked()
    assert parked.record.kind == kind
    assert why in parked.reason
    assert store.retry_parked() == [parked]  # tried again at every sync, still waiting


# ----------------------------------------------------------------------- digests
SECOND_ACTA = {"status": "borrador", "acta_sequence": 2,
               "acta_number": "N° 002-2026-MIMP/DGCVG-DPVLV-B01"}  # fmt: skip


def test_digests_cover_what_was_received_tombstones_included(
    services: AppServices, store: DatabaseStore, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))  # made here, not received: not counted
    gone, kept = uuid.uuid4(), uuid.uuid4()
    store.apply_page(
        page(
            record("visit", kept, {**VISIT_FIELDS, "status": "borrador"}, seq=1, version=3),
            record("visit", gone, {**VISIT_FIELDS, **SECOND_ACTA}, 2, 2, deleted=True),
            cursor=2,
        )
    )
    digests = store.digests(["visit", "participant"])
    assert set(digests) == {"visit", "participant"}
    assert (digests["visit"].count, digests["visit"].digest) == (
        2,
        digest_of([(kept, 3), (gone, 2)]),
    )
    assert (digests["participant"].count, digests["participant"].digest) == (0, digest_of(()))
    services.update_visit(visit_id, {"objective": "Instalar"})  # local edits change nothing
    assert store.digests(["visit"])["visit"] == digests["visit"]
    every = store.digests([])  # every kind the laptop records field work of
    assert {"visit", "participant", "person", "agreement"} <= set(every) <= set(synced_kinds())
    assert store.digests(["specialist"])["specialist"].count == 0  # server-owned, not synced

    store.forget_kind("visit")  # before a re-pull: the rows stay, what was received is forgotten
    assert store.digests(["visit"])["visit"].count == 0
    assert len(sql(database, "SELECT id FROM visit")) == 3


# ------------------------------------------- through the sync engine and the real server
@pytest.fixture
def server(tmp_path: Path) -> Iterator[sessionmaker[Any]]:
    engine = create_server_engine(f"sqlite:///{tmp_path / 'servidor.db'}")
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


def engine_for(database: Database, server: sessionmaker[Any], caller: Caller) -> SyncEngine:
    return SyncEngine(DatabaseStore(database), MemoryTransport(server, caller))


def test_a_visit_finalized_on_one_laptop_can_be_pulled_by_another(
    services: AppServices, database: Database, server: sessionmaker[Any], tmp_path: Path
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    services.finalize_visit(visit_id)  # the visit's last change comes after its participant's
    # The server sends each record once, at the seq of its last change: person, participant, visit.
    assert engine_for(database, server, SPECIALIST).sync().rejected == ()
    paths = ProfilePaths(tmp_path / "laptop-supervisora")
    other = open_profile(paths, Settings(author="supervisora")).database
    try:
        supervisor = MemoryTransport(server, Caller("supervisora", Role.SUPERVISOR))
        DatabaseStore(other).apply_page(supervisor.pull(PullRequest(cursor=0)))
        detail = services_at(other, paths).visit_detail(visit_id)
    finally:
        other.dispose()
    assert (detail.visit.status, len(detail.participants)) == (VisitStatus.FINALIZED, 1)


def test_a_clean_sync_verifies_every_digest(
    services: AppServices, database: Database, server: sessionmaker[Any]
) -> None:
    services.start_visit(instancia(services))
    report = engine_for(database, server, SPECIALIST).sync()
    assert (report.sent, report.applied, report.rejected) == (2, 2, ())  # instancia and visit
    assert (report.digest_mismatches, report.unresolved, report.ok) == ((), (), True)


def test_a_kind_the_laptop_believes_it_holds_wrongly_is_pulled_again_and_then_matches(
    services: AppServices, database: Database, server: sessionmaker[Any]
) -> None:
    services.start_visit(instancia(services))
    assert engine_for(database, server, SPECIALIST).sync().ok
    with database.engine.begin() as connection:  # a visit the server does not hold
        connection.execute(
            text("INSERT INTO sync_seen (kind, record_id, version) VALUES ('visit', :id, 4)"),
            {"id": uuid.uuid4().hex},
        )
    report = engine_for(database, server, SPECIALIST).sync()
    assert (report.digest_mismatches, report.unresolved, report.ok) == (("visit",), (), True)
    assert engine_for(database, server, SPECIALIST).sync().digest_mismatches == ()


def test_a_create_the_server_refused_does_not_break_the_digests(
    services: AppServices, database: Database, server: sessionmaker[Any]
) -> None:
    services.start_visit(instancia(services))
    outsider = Caller("rita", Role.ESPECIALISTA, territories=("25",))  # not this territory
    report = engine_for(database, server, outsider).sync()
    assert [r.kind for r in report.rejected] == ["instancia", "visit"]
    assert (report.digest_mismatches, report.unresolved) == ((), ())


def test_a_cleared_checklist_answer_can_be_answered_again(
    services: AppServices, database: Database, server: sessionmaker[Any]
) -> None:
    visit_id = services.start_visit(instancia(services))
    sync = engine_for(database, server, SPECIALIST)
    for answer in (ItemAnswer(Answer.YES), None, ItemAnswer(Answer.NO)):  # answer, clear, again
        services.save_checklist_answers(visit_id, IDC_V1, {"campanas": answer})
        assert sync.sync().rejected == ()


def test_an_edit_typed_during_a_sync_is_no_conflict_with_oneself(
    services: AppServices, database: Database, server: sessionmaker[Any]
) -> None:
    visit_id = services.start_visit(instancia(services))
    store, transport = DatabaseStore(database), MemoryTransport(server, SPECIALIST)
    SyncEngine(store, transport).sync()
    services.update_visit(visit_id, {"objective": "Primera"})
    sent = tuple(store.pending(100))
    pushed = transport.push(PushRequest(operations=sent))  # a sync pushes,
    store.acknowledge(name_receipts(sent, pushed.receipts))
    services.update_visit(visit_id, {"objective": "Segunda"})  # the person keeps typing,
    store.apply_page(transport.pull(PullRequest(cursor=store.cursor())))  # then it pulls
    services.update_visit(visit_id, {"objective": "Tercera"})  # made after «Segunda», locally
    report = SyncEngine(store, transport).sync()
    assert (report.conflicts, report.open_conflicts, report.rejected) == (0, (), ())
    assert services.visit_detail(visit_id).visit.objective == "Tercera"
