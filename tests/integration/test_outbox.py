"""The sync outbox: every user action writes its changes in its own transaction (real SQLite)."""

import dataclasses
import datetime as dt
import enum
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from helpers.app import COMPLETE, SETTINGS, WANCHAQ, at, instancia, person, services_at
from helpers.profiles import open_profile
from sqlalchemy import exc, select, text

from instancias_desktop.db.models import OutboxRow, VisitRow
from instancias_desktop.db.outbox import CHANGES, to_wire
from instancias_desktop.db.uow import Database
from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import Answer, AtType, Modality, NormType, Stage
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput, NormInput, StageEventInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings

FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 of 10/03/2026 in Peru
TODAY = dt.date(2026, 3, 10)
ACTOR = "especialista.prueba"
CUSCO = "0801"
IDC_V1 = FormRef("funcionamiento_idc", 1)
AGREEMENT = AgreementInput("Aprobar el plan de trabajo", "Municipalidad", "Alcalde", TODAY)


@dataclasses.dataclass(frozen=True)
class Entry:
    """An outbox row as stored, with its fields decoded."""

    seq: int
    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    action: str
    base_version: int | None
    fields: dict[str, Any]
    scope: str
    parent_id: uuid.UUID | None
    made_at: dt.datetime
    author: str
    state: str


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def entries(database: Database, after: int = 0) -> list[Entry]:
    """The outbox after a sequence number, in order."""
    with database.reader() as uow:
        query = select(OutboxRow).where(OutboxRow.seq > after).order_by(OutboxRow.seq)
        names = [f.name for f in dataclasses.fields(Entry)]
        return [
            Entry(**{name: getattr(r, name) for name in names} | {"fields": json.loads(r.fields)})
            for r in uow.session.scalars(query)
        ]


def scalar(database: Database, query: str, **params: object) -> Any:
    with database.engine.connect() as connection:
        return connection.scalar(text(query), params)


def last_seq(database: Database) -> int:
    return int(scalar(database, "SELECT coalesce(max(seq), 0) FROM outbox"))


def summary(found: list[Entry]) -> list[tuple[str, str, int | None]]:
    return [(e.kind, e.action, e.base_version) for e in found]


# ----------------------------------------------------------------- what is not recorded
def test_opening_a_profile_and_generating_demo_data_record_nothing(
    tmp_path: Path, profile_paths: ProfilePaths
) -> None:
    fresh = open_profile(ProfilePaths(tmp_path / "nuevo"), Settings(author="ana"))
    try:
        assert fresh.catalogues_loaded
        assert entries(fresh.database) == []
    finally:
        fresh.database.dispose()
    args = ["--data-dir", str(profile_paths.root), "--visits", "6", "--participants", "12"]
    assert demo_main([*args, "--specialists", "1"]) == 0
    demo = open_profile(profile_paths, Settings(author="ana"))
    try:
        with demo.database.reader() as uow:
            assert uow.fieldwork.counts()["visits"] == 6
        assert entries(demo.database) == []
    finally:
        demo.database.dispose()


def test_a_read_only_unit_of_work_gathers_and_writes_nothing(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    before = last_seq(database)
    with database.reader() as uow:
        row = uow.session.get(VisitRow, visit_id)
        assert row is not None
        row.objective = "Cambiado en una lectura"
        uow.session.flush()
        assert CHANGES not in uow.session.info
        with pytest.raises(RuntimeError, match="read-only"):
            uow.commit()
    assert last_seq(database) == before
    assert services.visit_detail(visit_id).visit.objective == ""


# ------------------------------------------------------------------------- user actions
def test_start_visit_records_one_create_with_every_stored_field(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    visit_id = services.start_visit(wanchaq)
    (known, entry) = entries(database)
    # The instancia comes from the catalogue: its create (the same id on every laptop) goes first,
    # with its declared fields only (its name and level are each laptop's catalogue's).
    assert (known.kind, known.record_id, known.action, known.scope) == (
        "instancia", wanchaq, "create", WANCHAQ,
    )  # fmt: skip
    assert known.fields == {
        "chair_name": "", "chair_post": "", "deleted": False, "secretariat_person": "",
        "secretariat_unit": "", "unit_code": "MD080108", "target_creation_on": None,
        "target_installation_on": None, "target_first_session_on": None,
    }  # fmt: skip
    assert (entry.kind, entry.record_id, entry.action, entry.base_version) == (
        "visit", visit_id, "create", None,
    )  # fmt: skip
    assert (entry.scope, entry.parent_id, entry.author, entry.state) == (
        WANCHAQ, None, ACTOR, "pendiente",
    )  # fmt: skip
    assert entry.made_at == FIXED
    assert entry.fields == {
        "acta_code": "", "acta_content": "", "acta_hash": "",
        "acta_number": "N° 001-2026-MIMP/DGCVG-DPVLV-E07", "acta_sequence": 1,
        "acta_series": "E07", "acta_year": 2026, "addendum_of": None, "agenda": "",
        "at_type": "creacion", "deleted": False, "development": "", "diagnosis": "",
        "end_time": None, "finalized_at": None, "instancia_id": str(wanchaq), "instruments": "",
        "modality": "presencial", "objective": "", "place": "Municipalidad Distrital de Wanchaq",
        "place_ubigeo": WANCHAQ, "start_time": None, "status": "borrador",
        "visit_date": "2026-03-10",
    }  # fmt: skip


def test_update_visit_records_only_the_changed_fields_on_the_version_received(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    visit_id = services.start_visit(instancia(services))
    editor = AppServices(at(database, FIXED, "supervisora"), profile_paths, SETTINGS)
    mark = last_seq(database)
    unchanged = "Municipalidad Distrital de Wanchaq"
    services.update_visit(visit_id, {"objective": "Instalar", "place": unchanged})
    editor.update_visit(visit_id, {"end_time": dt.time(11), "modality": Modality.VIRTUAL})
    services.update_visit(visit_id, {"objective": "Instalar"})  # nothing changes: no entry
    first, second = entries(database, mark)
    assert (first.action, first.base_version) == ("update", 1)
    assert first.fields == {"objective": "Instalar"}  # the unchanged place is not sent
    # chained edits name the last version received from the server (never pulled: its create, 1)
    assert (second.action, second.base_version, second.author) == ("update", 1, "supervisora")
    assert second.fields == {"end_time": "11:00:00", "modality": "virtual"}
    assert (second.scope, second.parent_id) == (WANCHAQ, None)


def test_several_flushes_of_one_action_make_one_entry_per_record(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    version = "SELECT version FROM visit WHERE id = :i"
    before = scalar(database, version, i=visit_id.hex)
    mark = last_seq(database)
    services.finalize_visit(visit_id)  # status and date, then the snapshot: two flushes
    (entry,) = entries(database, mark)
    assert (entry.kind, entry.action, entry.base_version) == ("visit", "update", 1)
    assert set(entry.fields) == {"status", "finalized_at", "acta_content", "acta_hash", "acta_code"}
    assert (entry.fields["status"], entry.fields["finalized_at"]) == (
        "finalizada", "2026-03-10T14:30:00+00:00",
    )  # fmt: skip
    assert entry.fields["acta_code"] and len(entry.fields["acta_hash"]) == 64
    assert scalar(database, version, i=visit_id.hex) == before + 1


def test_save_participant_records_the_person_and_the_participation(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    mark = last_seq(database)
    participant_id = services.save_participant(visit_id, person())
    person_entry, participant_entry = entries(database, mark)
    assert summary([person_entry, participant_entry]) == [
        ("person", "create", None), ("participant", "create", None),
    ]  # fmt: skip
    assert (person_entry.scope, person_entry.parent_id) == (WANCHAQ, None)
    assert person_entry.fields["document_type"] == "dni"
    assert person_entry.fields["full_name"] == "María Núñez Quispe"
    assert participant_entry.record_id == participant_id
    assert (participant_entry.scope, participant_entry.parent_id) == (WANCHAQ, visit_id)
    assert participant_entry.fields == {
        "consent": True, "deleted": False, "entity": "Municipalidad de Wanchaq",
        "person_id": str(person_entry.record_id), "position": 1, "post": "Regidora",
        "role": "presidencia", "visit_id": str(visit_id),
    }  # fmt: skip
    elsewhere = services.start_visit(instancia(services, CUSCO))
    mark = last_seq(database)
    services.save_participant(elsewhere, dataclasses.replace(person(), phone="984123456"))
    known, joined = entries(database, mark)  # the same person fills in what was missing
    assert (known.record_id, known.action, known.base_version) == (
        person_entry.record_id, "update", 1,
    )  # fmt: skip
    assert (known.fields, known.scope) == ({"phone": "984123456"}, CUSCO)
    assert (joined.kind, joined.scope, joined.parent_id) == ("participant", CUSCO, elsewhere)


def test_save_agreement_records_a_child_of_the_visit(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    mark = last_seq(database)
    agreement_id = services.save_agreement(visit_id, AGREEMENT)
    (entry,) = entries(database, mark)
    assert (entry.kind, entry.record_id, entry.action) == ("agreement", agreement_id, "create")
    assert (entry.scope, entry.parent_id) == (WANCHAQ, visit_id)
    assert entry.fields == {
        "deadline": "2026-03-10", "deleted": False, "description": "Aprobar el plan de trabajo",
        "number": 1, "responsible_entity": "Municipalidad", "responsible_person": "Alcalde",
        "state": "pendiente", "verification_means": "", "visit_id": str(visit_id),
    }  # fmt: skip


def test_record_stage_event_records_its_bulk_inserted_norm_and_hito(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    visit_id = services.start_visit(wanchaq)
    mark = last_seq(database)
    norm = NormInput(NormType.MUNICIPAL_ORDINANCE, "003-2026-MDW", dt.date(2026, 3, 2))
    services.record_stage_event(visit_id, StageEventInput(Stage.CREATED, TODAY, "Ordenanza", norm))
    norm_entry, event_entry = entries(database, mark)
    assert summary([norm_entry, event_entry]) == [
        ("norm", "create", None), ("stage_event", "create", None),
    ]  # fmt: skip
    assert (norm_entry.scope, norm_entry.parent_id, norm_entry.author) == (WANCHAQ, None, ACTOR)
    assert norm_entry.fields == {
        "deleted": False, "instancia_id": str(wanchaq), "issued_on": "2026-03-02",
        "issuing_body": "", "norm_type": "ordenanza_municipal", "number": "003-2026-MDW",
        "role": "creacion",
    }  # fmt: skip
    assert (event_entry.scope, event_entry.parent_id) == (WANCHAQ, visit_id)
    assert event_entry.fields == {
        "deleted": False, "event_date": "2026-03-10", "evidence": "Ordenanza",
        "instancia_id": str(wanchaq), "norm_id": str(norm_entry.record_id), "sequence": None,
        "stage": "creada", "visit_id": str(visit_id),
    }  # fmt: skip


def test_checklist_answers_record_the_pinned_checklist_and_each_answer(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    mark = last_seq(database)
    answers = {"campanas": ItemAnswer(Answer.YES), "presidencia": ItemAnswer(Answer.NO)}
    services.save_checklist_answers(visit_id, IDC_V1, answers)
    found = entries(database, mark)
    assert summary(found) == [("checklist", "create", None)] + 2 * [
        ("checklist_response", "create", None)
    ]
    assert {(e.scope, e.parent_id) for e in found} == {(WANCHAQ, visit_id)}
    assert found[0].fields == {
        "deleted": False, "form_id": "funcionamiento_idc", "form_version": 1,
        "visit_id": str(visit_id),
    }  # fmt: skip
    assert [(e.fields["item_code"], e.fields["answer"]) for e in found[1:]] == [
        ("campanas", "si"), ("presidencia", "no"),
    ]  # fmt: skip


def test_remove_participant_records_a_delete_and_the_renumbering(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    first = services.save_participant(visit_id, person())
    second = services.save_participant(visit_id, person("10203040", "Luis Rojas"))
    mark = last_seq(database)
    services.remove_participant(first)
    removed, moved = entries(database, mark)
    assert (removed.record_id, removed.action, removed.base_version) == (first, "delete", 1)
    assert (removed.fields, removed.parent_id) == ({"deleted": True}, visit_id)
    assert (moved.record_id, moved.action, moved.base_version) == (second, "update", 1)
    assert moved.fields == {"position": 1}


def test_delete_draft_records_deletes_for_the_visit_and_its_contents(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"objective": "Instalar"})
    services.save_participant(visit_id, person())
    services.save_agreement(visit_id, AGREEMENT)
    services.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    mark = last_seq(database)
    services.delete_draft(visit_id)
    found = entries(database, mark)
    assert sorted(summary(found)) == [
        ("agreement", "delete", 1), ("checklist", "delete", 1),
        ("checklist_response", "delete", 1), ("participant", "delete", 1),
        ("visit", "delete", 1),
    ]  # fmt: skip
    assert {json.dumps(e.fields) for e in found} == {'{"deleted": true}'}
    assert {e.scope for e in found} == {WANCHAQ}


# ------------------------------------------------------------- refused or rolled back
def test_refused_actions_leave_no_entries(services: AppServices, database: Database) -> None:
    visit_id = services.start_visit(instancia(services))
    mark = last_seq(database)
    with pytest.raises(ValidationError):
        services.update_visit(visit_id, {"objective": "Instalar", "place_ubigeo": "99"})
    with pytest.raises(ValidationError):
        services.save_participant(visit_id, person(dni="123"))
    assert entries(database, mark) == []
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    services.finalize_visit(visit_id)
    mark = last_seq(database)
    with pytest.raises(FinalizedVisitError):
        services.save_agreement(visit_id, AGREEMENT)
    with pytest.raises(FinalizedVisitError):
        services.update_visit(visit_id, {"agenda": "Otra"})
    assert entries(database, mark) == []
    assert services.visit_detail(visit_id).agreements == ()


def test_a_rolled_back_unit_of_work_leaves_no_entries(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    draft = Visit(wanchaq, "N° 900-2026-X", TODAY, dt.time(9), None, "Local", WANCHAQ,
                  Modality.IN_PERSON, AtType.CREATION)  # fmt: skip
    with database.unit_of_work() as uow:
        uow.visits.add(draft)  # flushed, never committed
    with pytest.raises(LookupError), database.unit_of_work() as uow:
        uow.visits.add(dataclasses.replace(draft, id=uuid.uuid4()))
        raise LookupError("la acción se interrumpe")
    assert entries(database) == []
    assert services.list_visits() == ()


def test_the_change_and_its_entry_commit_together_or_not_at_all(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    with database.engine.begin() as connection:  # the outbox insert fails at commit time
        connection.execute(text(
            "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
            "BEGIN SELECT RAISE(ABORT, 'disco lleno'); END"
        ))  # fmt: skip
    with pytest.raises(exc.IntegrityError, match="disco lleno"):
        services.start_visit(wanchaq)
    assert services.list_visits() == ()
    with database.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_outbox"))
    visit_id = services.start_visit(wanchaq)
    assert [e.record_id for e in entries(database)] == [wanchaq, visit_id]


# ---------------------------------------------------------------------- wire values
@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (uuid.UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
        (dt.date(2026, 3, 10), "2026-03-10"), (dt.time(9, 30), "09:30:00"),
        (dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC), "2026-03-10T14:30:00+00:00"),
        (Modality.VIRTUAL, "virtual"), (Answer.NOT_APPLICABLE, "no_aplica"),
        (enum.Enum("Colour", {"RED": 1})["RED"], 1),
        ("texto", "texto"), (7, 7), (True, True), (None, None),
    ],
)  # fmt: skip
def test_to_wire_makes_json_values(value: object, wire: object) -> None:
    assert to_wire(value) == wire
    assert json.loads(json.dumps(to_wire(value))) == wire


def test_instancia_ids_are_the_same_on_every_laptop(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    other = open_profile(ProfilePaths(tmp_path / "otra-laptop"), Settings(author="beto"))
    try:
        sql = "SELECT unit_code, id FROM instancia ORDER BY unit_code"
        with database.engine.connect() as mine, other.database.engine.connect() as theirs:
            assert mine.execute(text(sql)).all() == theirs.execute(text(sql)).all()
        there = services_at(other.database, ProfilePaths(tmp_path / "otra-laptop"))
        there.start_visit(instancia(there))
        services.start_visit(instancia(services))
        (_, mine_entry), (_, their_entry) = entries(database), entries(other.database)
    finally:
        other.database.dispose()
    expected = str(instancia_id("MD080108"))
    assert mine_entry.fields["instancia_id"] == their_entry.fields["instancia_id"] == expected
    assert mine_entry.record_id != their_entry.record_id


def test_entries_are_ordered_by_seq_with_unique_op_ids(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    services.save_agreement(visit_id, AGREEMENT)
    services.finalize_visit(visit_id)
    found = entries(database)
    assert [e.seq for e in found] == sorted(e.seq for e in found)
    assert len({e.op_id for e in found}) == len(found) == 7
    assert summary(found) == [
        ("instancia", "create", None), ("visit", "create", None), ("visit", "update", 1),
        ("person", "create", None),
        ("participant", "create", None), ("agreement", "create", None), ("visit", "update", 1),
    ]  # fmt: skip
    with database.reader() as uow:
        assert [p.op_id for p in uow.sync.pending(100)] == [e.op_id for e in found]
        assert [p.op_id for p in uow.sync.pending(2)] == [e.op_id for e in found[:2]]
        assert uow.sync.states() == {"pendiente": 7}


def test_op_ids_count_within_a_run_and_never_repeat_across_runs(
    services: AppServices, database: Database
) -> None:
    """A run's op ids share a random prefix and count up (they compress on the wire); another
    run of the same profile (or a copy of it) draws another prefix, so none ever repeats."""
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"objective": "Instalar"})
    first_run = [e.op_id for e in entries(database)]
    again = Database(database.engine, actor=ACTOR, clock=lambda: FIXED)  # the app restarted
    AppServices(again, services.paths, SETTINGS).update_visit(visit_id, {"objective": "Otra"})
    second_run = entries(database)[-1].op_id
    assert len({op.int >> 64 for op in first_run}) == 1
    assert [op.int & 0xFFFF for op in first_run] == [1, 2, 3]
    assert second_run.int >> 64 != first_run[0].int >> 64
    assert len({*first_run, second_run}) == 4
