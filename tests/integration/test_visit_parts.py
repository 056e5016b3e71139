"""What hangs from a draft visit: participants, agreements, annexes and stage events."""

import dataclasses
import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import (
    AgreementState,
    AttachmentKind,
    DocumentType,
    NormType,
    ParticipantRole,
    Sex,
    Stage,
)
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import (
    AgreementInput,
    NormInput,
    ParticipantInput,
    StageEventInput,
)
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings

FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 of 10/03/2026 in Peru
TODAY = dt.date(2026, 3, 10)
SETTINGS = Settings(author="especialista.prueba", acta_series="E07")
ACTA = "N° 001-2026-MIMP/DGCVG-DPVLV-E07"
MARIA = "María Núñez Quispe"


def services_at(
    database: Database, paths: ProfilePaths, when: dt.datetime = FIXED, **settings: Any
) -> AppServices:
    clocked = Database(database.engine, actor="especialista.prueba", clock=lambda: when)
    return AppServices(clocked, paths, dataclasses.replace(SETTINGS, **settings))


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def draft(services: AppServices, ubigeo: str = "080108") -> uuid.UUID:
    """A new draft for Wanchaq (IDC) or, with "0801", for the Cusco IPC."""
    return services.start_visit(
        next(s.id for s in services.list_instancias() if s.ubigeo == ubigeo)
    )


def rows(database: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def count(database: Database, table: str) -> int:
    return int(rows(database, f"SELECT count(*) FROM {table}")[0][0])


def stored_files(paths: ProfilePaths) -> list[Path]:
    return sorted(p for p in paths.attachments.rglob("*") if p.is_file())


def person(dni: str = "45678912", name: str = MARIA, **changes: Any) -> ParticipantInput:
    typed = ParticipantInput(
        DocumentType.DNI, dni, name, "Municipalidad de Wanchaq", "Regidora", ParticipantRole.CHAIR,
        consent=True, sex=Sex.FEMALE, phone="984 123 456",
    )  # fmt: skip
    return dataclasses.replace(typed, **changes)


def agreement(description: str = "Aprobar el reglamento", **changes: Any) -> AgreementInput:
    typed = AgreementInput(description, "Municipalidad", "Gerente social", dt.date(2026, 4, 30))
    return dataclasses.replace(typed, **changes)


def names(services: AppServices, visit_id: uuid.UUID) -> list[tuple[int, str]]:
    return [(p.position, p.full_name) for p in services.visit_detail(visit_id).participants]


# ----------------------------------------------------------------------------- participants
def test_a_participant_is_stored_with_a_normalized_identity(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    typed = person("4567 8912", "  María   Núñez  Quispe ", entity=" Municipalidad  de Wanchaq ")
    participant_id = services.save_participant(visit_id, typed)
    (v,) = services.visit_detail(visit_id).participants
    assert (v.id, v.position, v.full_name, v.document_number) == (
        participant_id, 1, MARIA, "45678912",
    )  # fmt: skip
    assert (v.entity, v.post, v.role, v.consent) == (
        "Municipalidad de Wanchaq", "Regidora", ParticipantRole.CHAIR, True,
    )  # fmt: skip
    assert (v.sex, v.phone, v.document_type) == (Sex.FEMALE, "984 123 456", DocumentType.DNI)
    assert rows(database, "SELECT search_key FROM person") == [("maria nunez quispe 45678912",)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("document_number", "1234567", "El DNI debe tener 8 dígitos; tiene 7."),
        ("document_number", "1234567A", "El DNI solo lleva números (8 dígitos)."),
        ("document_number", " ", "Escriba el número de documento."),
        ("full_name", "  ", "Complete el campo «Nombres y apellidos»."),
        ("entity", "", "Complete el campo «Entidad»."),
        ("post", "p" * 201, "«Cargo» admite hasta 200 caracteres; tiene 201."),
        ("phone", "98A", "El teléfono lleva de 6 a 15 dígitos (puede separarlos con espacios o "
         "guiones)."),
        ("email", "ana@", "El correo «ana@» no es válido; revise que tenga la forma "
         "nombre@dominio.pe."),
    ],
)  # fmt: skip
def test_a_bad_participant_is_refused_with_its_message(
    services: AppServices, database: Database, field: str, value: str, message: str
) -> None:
    visit_id = draft(services)
    with pytest.raises(ValidationError) as caught:
        services.save_participant(visit_id, person(**{field: value}))
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]
    assert (count(database, "person"), count(database, "participant")) == (0, 0)


def test_the_same_document_is_the_same_person_in_every_visit(
    services: AppServices, database: Database
) -> None:
    first, second = draft(services), draft(services, "0801")
    services.save_participant(first, person())
    services.save_participant(second, person("45.678.912", "María Núñez Quispe de Ríos"))
    people = {p.person_id for v in (first, second) for p in services.visit_detail(v).participants}
    assert len(people) == 1
    # What is on record stays as recorded: a finalized acta must keep showing it.
    assert rows(database, "SELECT full_name FROM person") == [("María Núñez Quispe",)]
    assert count(database, "participant") == 2


def test_editing_keeps_the_place_and_one_person_attends_once(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    luis = services.save_participant(visit_id, person("10203040", "Luis Rojas"))
    maria = services.save_participant(visit_id, person())
    services.save_participant(visit_id, person("11223344", "Ana Pérez"))
    changed = person(post="Alcaldesa", consent=False, role=ParticipantRole.MEMBER)
    assert services.save_participant(visit_id, changed, maria) == maria
    v = services.visit_detail(visit_id).participants[1]
    assert (v.id, v.position, v.post, v.role, v.consent) == (
        maria, 2, "Alcaldesa", ParticipantRole.MEMBER, False,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.save_participant(visit_id, person("4567-8912", role=ParticipantRole.GUEST))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("document_number", f"{MARIA} ya figura en la lista de participantes de esta visita.")
    ]
    with pytest.raises(ValidationError):  # nor by editing another line into her
        services.save_participant(visit_id, person(), luis)
    assert names(services, visit_id) == [(1, "Luis Rojas"), (2, MARIA), (3, "Ana Pérez")]
    assert (count(database, "participant"), count(database, "person")) == (3, 3)


def test_removing_and_moving_keep_positions_one_to_n(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    ids = [services.save_participant(visit_id, person(f"1000000{n}", name))
           for n, name in enumerate(["Ana", "Beto", "Carla", "Dina"])]  # fmt: skip
    services.remove_participant(ids[1])
    assert names(services, visit_id) == [(1, "Ana"), (2, "Carla"), (3, "Dina")]
    assert rows(database, "SELECT deleted FROM participant WHERE id = :i", i=ids[1].hex) == [(1,)]
    services.move_participant(ids[3], -1)
    assert names(services, visit_id) == [(1, "Ana"), (2, "Dina"), (3, "Carla")]
    services.move_participant(ids[0], 1)
    assert names(services, visit_id) == [(1, "Dina"), (2, "Ana"), (3, "Carla")]
    services.move_participant(ids[2], -9)  # past the top: first
    services.move_participant(ids[3], 9)  # past the bottom: last
    assert names(services, visit_id) == [(1, "Carla"), (2, "Ana"), (3, "Dina")]
    services.save_participant(visit_id, person("10000009", "Elsa"))
    assert names(services, visit_id)[-1] == (4, "Elsa")


def test_known_persons_are_found_by_folded_name_or_document(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    services.save_participant(draft(services), person())
    services.save_participant(draft(services), person("10203040", "Luis Núñez"))
    later = services_at(database, profile_paths, FIXED + dt.timedelta(hours=1))
    latest_role = person(entity="Gobierno Regional", post="Gerenta", role=ParticipantRole.MEMBER)
    later.save_participant(draft(later, "0801"), latest_role)
    queries = ["nunez", "NÚÑEZ quispe", "quispe maria", "4567", "7891", "4567 912", "zzz", " "]
    found = [[m.full_name for m in services.find_persons(q)] for q in queries]
    assert found == [["Luis Núñez", MARIA], [MARIA], [MARIA], [MARIA], [MARIA], [MARIA], [], []]
    (maria,) = services.find_persons("maría")
    assert (maria.document_number, maria.phone, maria.sex) == (
        "45678912", "984 123 456", Sex.FEMALE,
    )  # fmt: skip
    assert (maria.last_entity, maria.last_post, maria.last_role) == (
        "Gobierno Regional", "Gerenta", ParticipantRole.MEMBER,
    )  # fmt: skip


def test_a_document_is_found_as_it_is_typed(services: AppServices) -> None:
    services.save_participant(draft(services), person("45.678.912"))
    assert [m.full_name for m in services.find_persons("45.678.912")] == [MARIA]
    assert [m.full_name for m in services.find_persons("4567-8912")] == [MARIA]


@pytest.mark.parametrize("part", ["participant", "agreement"])
def test_a_part_of_another_visit_cannot_be_edited_through_a_draft(
    services: AppServices, part: str
) -> None:
    closed = draft(services)
    complete = {
        "start_time": dt.time(9),
        "end_time": dt.time(11),
        "objective": "O",
        "agenda": "A",
        "development": "D",
    }
    services.update_visit(closed, complete)
    participant_id = services.save_participant(closed, person())
    agreement_id = services.save_agreement(closed, agreement())
    services.finalize_visit(closed)
    other = draft(services, "0801")
    with pytest.raises((LookupError, ValueError, FinalizedVisitError)):
        if part == "participant":
            services.save_participant(other, person(post="Otra"), participant_id)
        else:
            services.save_agreement(other, agreement("Otro"), agreement_id)
    detail = services.visit_detail(closed)
    assert [p.id for p in detail.participants] == [participant_id]
    assert [a.id for a in detail.agreements] == [agreement_id]


# ------------------------------------------------------------------------------ agreements
def test_agreements_are_numbered_and_renumbered_without_gaps(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    ids = [services.save_agreement(visit_id, agreement(d)) for d in ("A", "B", "C", "D")]
    services.remove_agreement(ids[1])  # the middle one: C and D move up
    assert [a.number for a in services.visit_detail(visit_id).agreements] == [1, 2, 3]
    services.save_agreement(visit_id, agreement("E"))  # takes 4, not a live number
    services.remove_agreement(ids[0])
    services.remove_agreement(ids[2])  # C had become 1: a second tombstone numbered 1
    services.save_agreement(visit_id, agreement("F"))
    shown = [(a.number, a.description) for a in services.visit_detail(visit_id).agreements]
    assert shown == [(1, "D"), (2, "E"), (3, "F")]
    # stored numbers only order them (a removal changes no other agreement: one change to send)
    stored = rows(database, "SELECT number, deleted FROM agreement ORDER BY description")
    assert stored == [(1, 1), (2, 1), (3, 1), (4, 0), (5, 0), (6, 0)]
    with pytest.raises(LookupError):
        services.remove_agreement(ids[0])


def test_an_agreement_is_stored_as_typed_and_edited_in_place(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    services.save_agreement(visit_id, agreement("Primero"))
    typed = agreement(" Aprobar ", responsible_entity=" Gerencia  de Desarrollo ",
                      verification_means=" Ordenanza ", state=AgreementState.IN_PROGRESS,
                      )  # fmt: skip
    agreement_id = services.save_agreement(visit_id, typed)
    services.save_agreement(visit_id, agreement("Tercero"))
    edited = dataclasses.replace(typed, description="Editado")
    assert services.save_agreement(visit_id, edited, agreement_id) == agreement_id
    a = services.visit_detail(visit_id).agreements[1]
    assert (a.id, a.number, a.description, a.responsible_entity) == (
        agreement_id, 2, "Editado", "Gerencia de Desarrollo",
    )  # fmt: skip
    assert (a.responsible_person, a.verification_means, a.deadline) == (
        "Gerente social", "Ordenanza", dt.date(2026, 4, 30),
    )  # fmt: skip
    assert (a.stored_state, a.acta_number, a.visit_date) == (
        AgreementState.IN_PROGRESS, ACTA, TODAY,
    )  # fmt: skip
    assert count(database, "agreement") == 3


def test_a_deadline_before_the_visit_or_a_stored_overdue_is_refused(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    bad = agreement(" ", deadline=dt.date(2026, 3, 9), state=AgreementState.OVERDUE)
    with pytest.raises(ValidationError) as caught:
        services.save_agreement(visit_id, bad)
    assert {e.field: e.message for e in caught.value.errors} == {
        "description": "Complete el campo «Acuerdo».",
        "deadline": "El plazo (09/03/2026) no puede ser anterior a la visita (10/03/2026).",
        "state": "«Vencido» se calcula con el plazo; elija otro estado.",
    }
    assert count(database, "agreement") == 0
    services.save_agreement(visit_id, agreement(deadline=TODAY))  # the same day is fine
    assert count(database, "agreement") == 1


def test_an_open_agreement_past_its_deadline_shows_overdue_but_is_stored_unchanged(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    visit_id = draft(services)
    deadline = dt.date(2026, 3, 20)
    services.save_agreement(visit_id, agreement("Abierto", deadline=deadline))
    services.save_agreement(
        visit_id, agreement("Hecho", deadline=deadline, state=AgreementState.FULFILLED)
    )
    # 04:00 UTC on the 21st is still the 20th in Peru; 05:00 UTC is the 21st.
    on_deadline = services_at(database, profile_paths, dt.datetime(2026, 3, 21, 4, tzinfo=dt.UTC))
    after = services_at(database, profile_paths, dt.datetime(2026, 3, 21, 5, tzinfo=dt.UTC))
    pending, overdue, done = (
        AgreementState.PENDING, AgreementState.OVERDUE, AgreementState.FULFILLED,
    )  # fmt: skip
    shown = [(a.state, a.stored_state) for a in on_deadline.visit_detail(visit_id).agreements]
    assert shown == [(pending, pending), (done, done)]
    shown = [(a.state, a.stored_state) for a in after.visit_detail(visit_id).agreements]
    assert shown == [(overdue, pending), (done, done)]
    instancia_id = services.visit_detail(visit_id).visit.instancia_id
    assert [a.state for a in after.instancia_detail(instancia_id).agreements] == [overdue, done]
    stored = rows(database, "SELECT state FROM agreement ORDER BY number")
    assert stored == [("pendiente",), ("cumplido",)]


# ----------------------------------------------------------------------------- attachments
def test_annexes_are_stored_once_per_content_and_removed_as_tombstones(
    services: AppServices, database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    visit_id = draft(services)
    content = b"%PDF-1.4\n" + bytes(range(256)) * 4000
    sha = hashlib.sha256(content).hexdigest()
    for name in ("acta firmada.pdf", "copia.pdf"):
        (tmp_path / name).write_bytes(content)
    first = services.attach_file(
        visit_id, tmp_path / "acta firmada.pdf", AttachmentKind.SIGNED_ACTA
    )
    later = services_at(database, profile_paths, FIXED + dt.timedelta(minutes=1))  # listed 2nd
    later.attach_file(visit_id, tmp_path / "copia.pdf", AttachmentKind.DOCUMENT)
    stored = profile_paths.attachments / sha[:2] / sha
    assert stored_files(profile_paths) == [stored]  # once, under its content's hash
    assert services.annex_content(sha) == content
    assert content[:1000] not in stored.read_bytes()  # sealed at rest
    a, b = services.visit_detail(visit_id).attachments
    assert (a.kind, a.filename, a.sha256, a.size_bytes, a.media_type, a.added_at) == (
        AttachmentKind.SIGNED_ACTA, "acta firmada.pdf", sha, len(content), "application/pdf", FIXED,
    )  # fmt: skip
    assert (b.filename, b.sha256, b.kind) == ("copia.pdf", sha, AttachmentKind.DOCUMENT)
    services.remove_attachment(first)
    assert [x.filename for x in services.visit_detail(visit_id).attachments] == ["copia.pdf"]
    assert rows(database, "SELECT filename, deleted, version FROM attachment ORDER BY 1") == [
        ("acta firmada.pdf", 1, 2), ("copia.pdf", 0, 1),
    ]  # fmt: skip
    assert stored_files(profile_paths) == [stored]  # the other annex still uses the file
    with pytest.raises(LookupError):
        services.remove_attachment(first)


def test_a_file_over_the_limit_or_missing_is_refused_before_any_copy(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    services = services_at(database, profile_paths, attachment_limit_mb=1)
    visit_id = draft(services)
    big, missing = tmp_path / "escaneo.pdf", tmp_path / "no-existe.pdf"
    big.write_bytes(b"0" * 1_500_000)
    with pytest.raises(ValidationError) as caught:
        services.attach_file(visit_id, big, AttachmentKind.SIGNED_ACTA)
    assert caught.value.for_field("file") == (
        "El archivo pesa 1,5 MB y el límite es 1 MB. Reduzca la imagen o escanee con menor "
        "resolución.",
    )
    with pytest.raises(ValidationError) as caught:
        services.attach_file(visit_id, missing, AttachmentKind.DOCUMENT)
    assert caught.value.for_field("file") == (f"No se encontró el archivo {missing}.",)
    assert (list(profile_paths.attachments.rglob("*")), count(database, "attachment")) == ([], 0)


# ---------------------------------------------------------------------------- stage events
def test_a_stage_event_from_a_visit_updates_the_instancia(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    visit_id = draft(services)
    norm = NormInput(NormType.MUNICIPAL_ORDINANCE, " 003-2026-MDW ", dt.date(2026, 2, 1), "Concejo")
    created = StageEventInput(Stage.CREATED, dt.date(2026, 2, 1), " Ordenanza ", norm)
    assert services.record_stage_event(visit_id, created) is None
    later = services_at(database, profile_paths, FIXED + dt.timedelta(minutes=5))
    installed = StageEventInput(Stage.INSTALLED, dt.date(2026, 3, 5), "Acta de instalación")
    assert later.record_stage_event(visit_id, installed) is None
    detail = services.instancia_detail(services.visit_detail(visit_id).visit.instancia_id)
    history = [(h.stage, h.event_date, h.evidence, h.norm_title, h.acta_number, h.recorded_at)
               for h in detail.history]  # fmt: skip
    assert history == [
        (Stage.INSTALLED, dt.date(2026, 3, 5), "Acta de instalación", "", ACTA,
         FIXED + dt.timedelta(minutes=5)),
        (Stage.CREATED, dt.date(2026, 2, 1), "Ordenanza", "Ordenanza Municipal N° 003-2026-MDW",
         ACTA, FIXED),
    ]  # fmt: skip
    assert (detail.summary.stage, detail.summary.stage_date) == (
        Stage.INSTALLED,
        dt.date(2026, 3, 5),
    )
    assert [(n.number, n.issuing_body) for n in detail.norms] == [("003-2026-MDW", "Concejo")]
    assert len(services.visit_detail(visit_id).stage_events) == 2
    unusual = StageEventInput(Stage.REACTIVATED, TODAY, "Acta de reactivación")
    assert later.record_stage_event(visit_id, unusual) == (
        "Cambio poco habitual: de «Instalada» a «Reactivada». Revise el medio de verificación."
    )
    stage = services.instancia_detail(detail.summary.id).summary.stage
    assert stage is Stage.REACTIVATED  # recorded anyway: it is a fact
    linked = rows(database, "SELECT count(*) FROM stage_event WHERE visit_id = :v", v=visit_id.hex)
    assert linked == [(3,)]


def test_a_bad_stage_event_or_norm_writes_nothing(
    services: AppServices, database: Database
) -> None:
    visit_id = draft(services)
    norm = NormInput(NormType.MUNICIPAL_ORDINANCE, " ", dt.date(2026, 3, 12), "c" * 201)
    with pytest.raises(ValidationError) as caught:
        services.record_stage_event(
            visit_id, StageEventInput(Stage.CREATED, dt.date(2026, 3, 11), "e" * 201, norm)
        )
    assert {e.field: e.message for e in caught.value.errors} == {
        "event_date": "La fecha del hito (11/03/2026) no puede ser posterior a hoy (10/03/2026).",
        "evidence": "«Medio de verificación» admite hasta 200 caracteres; tiene 201.",
        "norm_number": "Complete el campo «Número de la norma».",
        "norm_issuing_body": "«Emitida por» admite hasta 200 caracteres; tiene 201.",
        "norm_issued_on": "La fecha de la norma (12/03/2026) no puede ser posterior a hoy "
        "(10/03/2026).",
    }
    assert (count(database, "stage_event"), count(database, "norm")) == (0, 0)


def test_deleting_a_draft_withdraws_the_hitos_it_recorded(services: AppServices) -> None:
    visit_id = draft(services)
    services.record_stage_event(visit_id, StageEventInput(Stage.CREATED, TODAY, "Ordenanza"))
    instancia_id = services.visit_detail(visit_id).visit.instancia_id
    services.delete_draft(visit_id)
    detail = services.instancia_detail(instancia_id)
    assert (detail.summary.stage, detail.history) == (Stage.NOT_CREATED, ())
