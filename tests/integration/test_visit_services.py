"""Visits through the services: numbering, drafts, finalization, addenda (real SQLite)."""

import collections
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from helpers.app import (
    ACTOR,
    COMPLETE,
    CUSCO,
    FIXED,
    SETTINGS,
    TODAY,
    WANCHAQ,
    at,
    instancia,
    person,
    rows,
    services_at,
)

from instancias_desktop.db.models import VisitRow
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import StageEvent, Visit
from instancias_desktop.domain.enums import (
    AgreementState,
    AttachmentKind,
    AtType,
    Modality,
    Stage,
    VisitStatus,
)
from instancias_desktop.domain.finalization import FinalizedVisitError, IncompleteVisitError
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput, StageEventInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices

TABLES = "visit participant person agreement attachment stage_event norm acta_counter".split()  # noqa: SIM905


def number(sequence: int, year: int = 2026, series: str = "E07") -> str:
    return f"N° {sequence:03d}-{year}-MIMP/DGCVG-DPVLV-{series}"


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def started(services: AppServices, ubigeo: str = WANCHAQ) -> Visit:
    return services.visit_detail(services.start_visit(instancia(services, ubigeo))).visit


def stamps(database: Database, visit_id: uuid.UUID) -> tuple[object, ...]:
    """Version, author, updated_by, created_at and updated_at of a visit row."""
    with database.reader() as uow:
        row = uow.session.get(VisitRow, visit_id)
        assert row is not None
        return (row.version, row.author, row.updated_by, row.created_at, row.updated_at)


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {t: rows(database, f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def finalized(services: AppServices, ubigeo: str = WANCHAQ) -> uuid.UUID:
    visit_id = services.start_visit(instancia(services, ubigeo))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    services.finalize_visit(visit_id)
    return visit_id


# ------------------------------------------------------------------------------ start_visit
def test_a_new_draft_is_numbered_dated_and_defaulted(services: AppServices) -> None:
    wanchaq = instancia(services)
    detail = services.visit_detail(services.start_visit(wanchaq))
    v = detail.visit
    assert (v.instancia_id, v.acta_number, v.status) == (wanchaq, number(1), VisitStatus.DRAFT)
    assert v.acta_number == "N° 001-2026-MIMP/DGCVG-DPVLV-E07"
    assert (v.acta_series, v.acta_year, v.acta_sequence, v.addendum_of) == ("E07", 2026, 1, None)
    # No time is guessed: the moment the draft was made is not when the meeting began.
    assert (v.visit_date, v.start_time, v.end_time) == (TODAY, None, None)
    assert (v.place, v.place_ubigeo) == ("Municipalidad Distrital de Wanchaq", WANCHAQ)
    assert (v.modality, v.at_type) == (Modality.IN_PERSON, AtType.CREATION)
    assert (detail.author, detail.finalized_at, detail.finalized) == (ACTOR, None, False)
    assert (detail.visit.objective, detail.participants, detail.agreements) == ("", (), ())


def test_sequences_run_per_series_and_year(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    other = services_at(database, profile_paths, acta_series="E08")
    next_year = services_at(database, profile_paths, dt.datetime(2027, 2, 1, 15, tzinfo=dt.UTC))
    in_order = (services, services, other, services, next_year)
    numbers = [started(each).acta_number for each in in_order]
    assert numbers == [number(1), number(2), number(1, series="E08"), number(3), number(1, 2027)]
    counters = rows(database, "SELECT series, year, last_sequence FROM acta_counter ORDER BY 1, 2")
    assert counters == [("E07", 2026, 3), ("E07", 2027, 1), ("E08", 2026, 1)]
    patterned = services_at(database, profile_paths, acta_pattern="AT-{serie}/{anio}/{numero:04d}")
    assert started(patterned).acta_number == "AT-E07/2026/0004"


def test_the_date_year_and_time_are_those_of_peru(
    database: Database, profile_paths: ProfilePaths
) -> None:
    visit = started(services_at(database, profile_paths, dt.datetime(2027, 1, 1, 3, tzinfo=dt.UTC)))
    assert visit.visit_date == dt.date(2026, 12, 31)
    assert visit.acta_number == number(1, 2026)


def test_a_deleted_draft_keeps_its_number_for_good(
    services: AppServices, database: Database
) -> None:
    first = services.start_visit(instancia(services))
    services.delete_draft(first)
    second = services.start_visit(instancia(services))
    assert services.visit_detail(second).visit.acta_number == number(2)
    deleted = rows(database, "SELECT acta_number, deleted FROM visit WHERE id = :i", i=first.hex)
    assert deleted == [(number(1), 1)]
    assert [v.id for v in services.list_visits()] == [second]
    with pytest.raises(LookupError):
        services.visit_detail(first)


def test_numbers_already_used_by_visits_are_skipped_whatever_the_counter(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    with database.unit_of_work(actor="servidor") as uow:  # as if pulled from the server
        for sequence in (40, 41):
            uow.visits.add(
                Visit(wanchaq, number(sequence), TODAY, dt.time(9), None, "Local", WANCHAQ,
                      Modality.IN_PERSON, AtType.CREATION, acta_series="E07", acta_year=2026,
                      acta_sequence=sequence)
            )  # fmt: skip
        uow.commit()
    visit_id = services.start_visit(wanchaq)
    assert services.visit_detail(visit_id).visit.acta_number == number(42)
    assert rows(database, "SELECT last_sequence FROM acta_counter") == [(42,)]


@pytest.mark.parametrize(
    ("stage", "at_type"),
    [
        (Stage.CREATED, AtType.INSTALLATION),
        (Stage.INSTALLED, AtType.FUNCTIONING),
        (Stage.FUNCTIONING, AtType.FOLLOW_UP),
        (Stage.INACTIVE, AtType.REACTIVATION),
        (Stage.REACTIVATED, AtType.FUNCTIONING),
    ],
)
def test_the_assistance_type_follows_the_stage(
    services: AppServices, database: Database, stage: Stage, at_type: AtType
) -> None:
    wanchaq = instancia(services)
    with database.unit_of_work() as uow:
        uow.registry.add_stage_events([StageEvent(wanchaq, stage, dt.date(2025, 5, 2))])
        uow.commit()
    assert started(services).at_type is at_type


# ----------------------------------------------------------------------------- update_visit
def test_an_update_writes_the_changes_as_one_new_version(
    services: AppServices, database: Database, profile_paths: ProfilePaths
) -> None:
    visit_id = services.start_visit(instancia(services))
    later = FIXED + dt.timedelta(hours=1)
    editor = AppServices(at(database, later, "supervisora"), profile_paths, SETTINGS)
    returned = editor.update_visit(visit_id, {**COMPLETE, "modality": Modality.VIRTUAL})
    stored = services.visit_detail(visit_id).visit
    assert returned == stored
    assert (stored.end_time, stored.modality) == (dt.time(11), Modality.VIRTUAL)
    assert (stored.agenda, stored.diagnosis) == (COMPLETE["agenda"], "")
    assert (stored.place, stored.acta_number) == ("Municipalidad Distrital de Wanchaq", number(1))
    assert stamps(database, visit_id) == (2, ACTOR, "supervisora", FIXED, later)
    editor.update_visit(visit_id, {"diagnosis": "Sin plan de trabajo."})
    assert stamps(database, visit_id)[0] == 3
    idle = AppServices(at(database, later + dt.timedelta(hours=1), "otra"), profile_paths, SETTINGS)
    idle.update_visit(visit_id, {"place": stored.place, "diagnosis": "Sin plan de trabajo."})
    assert stamps(database, visit_id) == (3, ACTOR, "supervisora", FIXED, later)  # nothing changed


def test_a_bad_update_reports_every_field_and_writes_nothing(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"start_time": dt.time(9, 30)})
    before = snapshot(database)
    changes = {
        "visit_date": dt.date(2026, 3, 11),
        "end_time": dt.time(9, 0),
        "place": "x" * 201,
        "place_ubigeo": "99",
        "objective": "y" * 20_001,
        "agenda": "Presentación del 会议",
    }
    with pytest.raises(ValidationError) as caught:
        services.update_visit(visit_id, changes)
    assert {e.field: e.message for e in caught.value.errors} == {
        "visit_date": "La fecha de la visita (11/03/2026) no puede ser posterior a hoy "
        "(10/03/2026).",
        "end_time": "La hora de término (09:00) debe ser posterior a la de inicio (09:30).",
        "place": "«Lugar» admite hasta 200 caracteres; tiene 201.",
        "place_ubigeo": "El ubigeo «99» no es válido: el código de departamento va de 01 a 25.",
        "objective": "«Objetivo» admite hasta 20000 caracteres; tiene 20001.",
        "agenda": "«Agenda» tiene caracteres que el acta no puede imprimir: «会» (U+4F1A), "
        "«议» (U+8BAE). Escríbalos con letras latinas (por ejemplo, el nombre como figura en "
        "su documento) o quítelos.",
    }
    assert snapshot(database) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_time", dt.time(9, 30), "La hora de término (09:30) debe ser posterior a la de "
         "inicio (09:30)."),
        ("place_ubigeo", "0801A", "El ubigeo «0801A» debe tener 2, 4 o 6 dígitos, sin letras ni "
         "espacios."),
        ("place_ubigeo", "0800", "El ubigeo «0800» no puede contener el par «00»."),
        ("development", "d" * 20_001, "«Desarrollo» admite hasta 20000 caracteres; tiene 20001."),
    ],
)  # fmt: skip
def test_one_bad_field_gets_its_message(
    services: AppServices, field: str, value: object, message: str
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"start_time": dt.time(9, 30)})
    with pytest.raises(ValidationError) as caught:
        services.update_visit(visit_id, {field: value})
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]


def test_an_unknown_ubigeo_is_a_field_error(services: AppServices, database: Database) -> None:
    visit_id = services.start_visit(instancia(services))
    before = snapshot(database)
    with pytest.raises(ValidationError) as caught:
        services.update_visit(visit_id, {"place_ubigeo": "259999"})
    assert caught.value.for_field("place_ubigeo")
    assert snapshot(database) == before


@pytest.mark.parametrize("field", ["acta_number", "status", "instancia_id", "id", "addendum_of"])
def test_fields_outside_the_editor_are_refused(
    services: AppServices, database: Database, field: str
) -> None:
    visit_id = services.start_visit(instancia(services))
    before = snapshot(database)
    with pytest.raises(ValueError, match="fields not editable") as caught:
        services.update_visit(visit_id, {field: None, "place": "Otro"})
    assert not isinstance(caught.value, ValidationError)
    assert snapshot(database) == before


# --------------------------------------------------------------------------- finalize_visit
def test_an_incomplete_acta_lists_what_is_missing_and_stays_a_draft(
    services: AppServices, database: Database
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {"place": "   "})
    before = snapshot(database)
    with pytest.raises(IncompleteVisitError) as caught:
        services.finalize_visit(visit_id)
    expected = (
        "Lugar de la visita.",
        "Hora de inicio.",
        "Hora de término.",
        "Objetivo de la visita.",
        "Agenda de la visita.",
        "Desarrollo de la visita.",
        "Al menos un participante.",
    )
    assert caught.value.missing == expected
    assert str(caught.value) == "Falta completar antes de finalizar:\n" + "\n".join(
        f"• {m}" for m in expected
    )
    assert snapshot(database) == before


def test_participants_without_consent_are_named(services: AppServices) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person(consent=False))
    services.save_participant(visit_id, person("10203040", "Luis Rojas"))
    services.save_participant(visit_id, person("11223344", "Ana Pérez", consent=False))
    with pytest.raises(IncompleteVisitError) as caught:
        services.finalize_visit(visit_id)
    assert caught.value.missing == (
        "Consentimiento para el tratamiento de datos personales de: María Núñez Quispe, Ana Pérez.",
    )


def test_a_complete_acta_is_finalized(services: AppServices, database: Database) -> None:
    visit_id = finalized(services)
    detail = services.visit_detail(visit_id)
    assert (detail.visit.status, detail.finalized_at) == (VisitStatus.FINALIZED, FIXED)
    assert detail.finalized
    assert rows(database, "SELECT status FROM visit") == [("finalizada",)]
    assert [v.status for v in services.list_visits()] == [VisitStatus.FINALIZED]


def test_a_finalized_acta_keeps_its_participants_as_recorded(services: AppServices) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, dataclasses.replace(person(), phone="984123456"))
    services.finalize_visit(visit_id)
    later = services.start_visit(instancia(services, CUSCO))
    services.save_participant(later, person(name="Otra Persona"))
    (kept,) = services.visit_detail(visit_id).participants
    assert (kept.full_name, kept.phone) == ("María Núñez Quispe", "984123456")


Closed = collections.namedtuple(
    "Closed", "visit_id participant_id agreement_id attachment_id source"
)
OTHER = AgreementInput("Otro acuerdo", "Municipalidad", "", TODAY)
EVENT = StageEventInput(Stage.CREATED, TODAY, "Ordenanza")
MUTATIONS: dict[str, Callable[[AppServices, Closed], object]] = {
    "update_visit": lambda s, c: s.update_visit(c.visit_id, {"agenda": "Otra"}),
    "save_participant": lambda s, c: s.save_participant(c.visit_id, person("87654321", "Otro")),
    "edit_participant": lambda s, c: s.save_participant(c.visit_id, person(), c.participant_id),
    "remove_participant": lambda s, c: s.remove_participant(c.participant_id),
    "move_participant": lambda s, c: s.move_participant(c.participant_id, 1),
    "save_agreement": lambda s, c: s.save_agreement(c.visit_id, OTHER),
    "edit_agreement": lambda s, c: s.save_agreement(c.visit_id, OTHER, c.agreement_id),
    "remove_agreement": lambda s, c: s.remove_agreement(c.agreement_id),
    "attach_file": lambda s, c: s.attach_file(c.visit_id, c.source, AttachmentKind.PHOTO),
    "remove_attachment": lambda s, c: s.remove_attachment(c.attachment_id),
    "record_stage_event": lambda s, c: s.record_stage_event(c.visit_id, EVENT),
    "delete_draft": lambda s, c: s.delete_draft(c.visit_id),
    "finalize_visit": lambda s, c: s.finalize_visit(c.visit_id),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_finalized_acta_refuses_every_change(
    services: AppServices, database: Database, profile_paths: ProfilePaths, mutation: str
) -> None:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    participant_id = services.save_participant(visit_id, person())
    services.save_participant(visit_id, person("10203040", "Luis Rojas"))
    agreement_id = services.save_agreement(visit_id, OTHER)
    scan = profile_paths.root / "acta.pdf"
    scan.write_bytes(b"%PDF-1.4 acta firmada")
    attachment_id = services.attach_file(visit_id, scan, AttachmentKind.SIGNED_ACTA)
    services.finalize_visit(visit_id)
    source = profile_paths.root / "nueva-foto.jpg"
    source.write_bytes(b"otra imagen")
    closed = Closed(visit_id, participant_id, agreement_id, attachment_id, source)
    before = snapshot(database)
    stored = sorted(profile_paths.attachments.rglob("*"))
    with pytest.raises(FinalizedVisitError) as caught:
        MUTATIONS[mutation](services, closed)
    assert str(caught.value) == (
        "El acta N° 001-2026-MIMP/DGCVG-DPVLV-E07 está finalizada y no se puede modificar. "
        "Para corregirla, cree una adenda."
    )
    assert snapshot(database) == before
    assert sorted(profile_paths.attachments.rglob("*")) == stored


# -------------------------------------------------------------------------------- addenda
def test_an_addendum_corrects_a_finalized_acta_with_its_own_number(
    services: AppServices, database: Database
) -> None:
    draft = services.start_visit(instancia(services))
    before = snapshot(database)
    with pytest.raises(ValueError, match="aún es borrador: corríjala directamente"):
        services.create_addendum(draft)  # a draft is edited, not corrected
    assert snapshot(database) == before
    services.delete_draft(draft)
    original = finalized(services)
    before_stamps = stamps(database, original)
    addendum = services.create_addendum(original)
    detail = services.visit_detail(addendum)
    assert detail.visit.acta_number == number(3)
    assert (detail.visit.addendum_of, detail.visit.status) == (original, VisitStatus.DRAFT)
    assert (detail.visit.instancia_id, detail.visit.place_ubigeo) == (instancia(services), WANCHAQ)
    assert (detail.visit.end_time, detail.visit.objective, detail.finalized_at) == (None, "", None)
    assert (detail.addendum_of_number, detail.addenda) == (number(2), ())
    original_detail = services.visit_detail(original)
    assert (original_detail.addendum_of_number, original_detail.addenda) == ("", (number(3),))
    assert stamps(database, original) == before_stamps
    services.update_visit(addendum, {"objective": "Corregir el DNI de la presidenta."})
    flags = {v.acta_number: v.is_addendum for v in services.list_visits()}
    assert flags == {number(2): False, number(3): True}


# ------------------------------------------------------------------------ lists and pages
def test_lists_and_instancia_pages_show_live_visits_newest_first(services: AppServices) -> None:
    wanchaq, cusco = instancia(services), instancia(services, CUSCO)
    older = services.start_visit(wanchaq)
    services.update_visit(older, {"visit_date": dt.date(2026, 2, 1)})
    services.save_agreement(older, AgreementInput("Propio", "Municipalidad", "", TODAY))
    newer = services.start_visit(cusco)
    services.save_participant(newer, person())
    services.remove_participant(services.save_participant(newer, person("10203040", "Luis")))
    services.save_agreement(newer, AgreementInput("Ajeno", "Provincia", "", TODAY))
    gone = services.start_visit(wanchaq)
    services.save_agreement(gone, AgreementInput("Borrado", "Municipalidad", "", TODAY))
    services.delete_draft(gone)
    listed = services.list_visits()
    assert [(v.id, v.participant_count, v.agreement_count) for v in listed] == [
        (newer, 1, 1), (older, 0, 1),
    ]  # fmt: skip
    assert (listed[0].author, listed[0].territory) == (ACTOR, "Cusco, Cusco")
    detail = services.instancia_detail(wanchaq)
    assert [v.id for v in detail.visits] == [older]
    assert [(a.description, a.acta_number) for a in detail.agreements] == [("Propio", number(1))]
    assert detail.agreements[0].state is AgreementState.PENDING
    assert (detail.summary.visit_count, detail.summary.last_visit_date) == (1, dt.date(2026, 2, 1))
    assert [v.id for v in services.instancia_detail(cusco).visits] == [newer]
