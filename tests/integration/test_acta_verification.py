"""Finalizing keeps the acta's snapshot; the PDF is printed from it and its code checks it."""

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest
from helpers.acta_fixtures import (
    COMPLETE,
    FIXED,
    IDC_V1,
    ORDINANCE,
    SECTIONS,
    assert_in_order,
    assert_numbered,
    assert_only_embedded_dejavu,
    execute,
    finalized_footer,
    flat,
    footer,
    instancia,
    page_count,
    page_texts,
    pdftotext,
    person,
    render_pngs,
    rows,
    services_at,
    watermarks,
    write_pdf,
)

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.acta_code import (
    canonical_content,
    code_of,
    content_hash,
    qr_text,
    record_of,
)
from instancias_desktop.domain.enums import Answer, ParticipantRole, Stage
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.visit_inputs import AgreementInput, StageEventInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.acta_records import build_record
from instancias_desktop.services.app_services import AppServices

CLOSED = FIXED + dt.timedelta(hours=2)  # 11:30 of 10/03/2026 in Peru
NUMBER = "N° 001-2026-MIMP/DGCVG-DPVLV-E07"
SPECIALIST = "Rosa Huamán Quispe, Especialista de la DPVLV"  # as the test profile names her
INSTANCIA = "Instancia Distrital de Concertación de Wanchaq"
VALID = (
    "Código {code} válido: corresponde al acta N° 001-2026-MIMP/DGCVG-DPVLV-E07 de la Instancia"
    " Distrital de Concertación de Wanchaq, del 10/03/2026, finalizada el 10/03/2026 11:30. Lo"
    " registrado no ha cambiado desde entonces."
)
MISMATCH = (
    "El código {code} es del acta N° 001-2026-MIMP/DGCVG-DPVLV-E07, pero lo registrado en este"
    " equipo ya no coincide con lo que se finalizó: no confíe en esta copia y avise a su"
    " supervisor(a)."
)
UNKNOWN = (
    "Ningún acta finalizada en este equipo tiene el código {code}. Revise que lo copió bien; si el"
    " acta se registró en otro equipo, verifíquela después de sincronizar."
)
JUNK = (
    "Escriba el código de verificación como figura en el acta: 12 letras y números, por ejemplo"
    " 7KQ2-M9XD-4TRB."
)


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def complete_draft(services: AppServices) -> uuid.UUID:
    """A draft with everything an acta holds: narrative, two participants, agreement, checklist."""
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, {**COMPLETE, "diagnosis": "Falta la ordenanza vigente."})
    services.save_participant(visit_id, person())
    services.save_participant(
        visit_id, person("41234567", "José Güémez Ibáñez", ParticipantRole.GUEST)
    )
    services.save_agreement(
        visit_id,
        AgreementInput(
            "Aprobar el plan de trabajo", "Municipalidad de Wanchaq", "Juan Pérez",
            dt.date(2026, 4, 30), "Acta de sesión",
        ),
    )  # fmt: skip
    answers = {"norma_creacion": ORDINANCE, "presidencia": ItemAnswer(Answer.YES)}
    services.save_checklist_answers(visit_id, IDC_V1, answers)
    return visit_id


@pytest.fixture
def finalized(services: AppServices, database: Database, profile_paths: ProfilePaths) -> uuid.UUID:
    visit_id = complete_draft(services)
    services_at(database, profile_paths, CLOSED).finalize_visit(visit_id)
    return visit_id


def stored(database: Database, visit_id: uuid.UUID) -> tuple[str, str, str]:
    ((content, digest, code),) = rows(
        database,
        "SELECT acta_content, acta_hash, acta_code FROM visit WHERE id = :i",
        i=visit_id.hex,
    )
    return content, digest, code


# ---------------------------------------------------------------------------- the snapshot
def test_finalizing_keeps_the_snapshot_of_what_the_acta_says(
    services: AppServices, database: Database, finalized: uuid.UUID
) -> None:
    content, digest, code = stored(database, finalized)
    with database.reader() as uow:
        rebuilt = build_record(uow, services.definitions, finalized)
    # All of it comes from the records, except who finalized it: her name as it was then.
    assert content == canonical_content(dataclasses.replace(rebuilt, specialist=SPECIALIST))
    assert (digest, code) == (content_hash(content), code_of(digest))
    record = record_of(content)
    assert (record.acta_number, record.finalized, record.finalized_at) == (
        NUMBER, True, "10/03/2026 11:30",
    )  # fmt: skip
    assert [p.full_name for p in record.participants] == [
        "María Núñez Quispe",
        "José Güémez Ibáñez",
    ]
    assert [p.document for p in record.participants] == ["DNI 45678912", "DNI 41234567"]
    assert [a.description for a in record.agreements] == ["Aprobar el plan de trabajo"]
    assert record.checklist is not None
    assert record.checklist.form == "funcionamiento_idc v1"
    assert "Ordenanza Municipal, N° 003-2025-MDW" in record.checklist.lines[0].evidence
    assert (record.specialist, record.instancia) == (
        SPECIALIST,
        INSTANCIA,
    )


def test_the_printed_acta_comes_from_the_snapshot_whatever_changes_later(
    services: AppServices, database: Database, finalized: uuid.UUID, tmp_path: Path
) -> None:
    _content, _digest, code = stored(database, finalized)
    execute(database, "UPDATE person SET full_name = 'Otra Persona', phone = '987654321'")
    execute(database, "UPDATE instancia SET name = 'Otra instancia'")
    document = services.acta_document(finalized)
    assert (document.acta_number, document.finalized, document.code) == (NUMBER, True, code)
    assert document.file_name == "acta-001-2026-MIMP-DGCVG-DPVLV-E07.pdf"
    assert services.acta_document(finalized).pdf == document.pdf  # deterministic
    path = write_pdf(document.pdf, tmp_path, "finalizada")
    pages = page_texts(path)
    assert len(pages) == page_count(path)
    assert_numbered(pages)
    whole = flat(" ".join(pages))
    assert_in_order(whole, [*SECTIONS[:4], "Lista de verificación:", *SECTIONS[4:]])
    assert "María Núñez Quispe" in whole and "Otra Persona" not in whole
    assert f"Instancia {INSTANCIA} (Distrital)" in whole and "Otra instancia" not in whole
    assert "987654321" not in whole  # phones are never printed
    for n, page in enumerate(pages, start=1):
        assert footer(page) == finalized_footer(code, n, len(pages))
        assert "BORRADOR" not in page
    assert watermarks(path) == [0] * len(pages)
    assert (
        f"Acta finalizada el 10/03/2026 11:30 por {SPECIALIST}. Código de verificación:"
        f" {code}. Este código se obtiene del contenido registrado del acta (SHA-256)"
    ) in flat(pages[-1])
    assert_only_embedded_dejavu(path)
    render_pngs(path, tmp_path / "png", len(pages))


def test_a_draft_has_no_code_carries_the_watermark_and_is_never_found(
    services: AppServices, database: Database, tmp_path: Path
) -> None:
    visit_id = complete_draft(services)
    assert stored(database, visit_id) == ("", "", "")
    document = services.acta_document(visit_id)
    assert (document.finalized, document.code) == (False, "")
    assert document.file_name == "acta-001-2026-MIMP-DGCVG-DPVLV-E07-borrador.pdf"
    path = write_pdf(document.pdf, tmp_path, "borrador")
    pages = page_texts(path)
    assert_numbered(pages)
    assert watermarks(path) == [1] * len(pages)
    for n, page in enumerate(pages, start=1):
        assert footer(page) == f"BORRADOR — sin validez para firma Página {n} de {len(pages)}"
        assert "Código de verificación" not in page
    assert_only_embedded_dejavu(path)
    render_pngs(path, tmp_path / "png", len(pages))
    with database.reader() as uow:
        record = build_record(uow, services.definitions, visit_id)
    would_be = code_of(content_hash(canonical_content(record)))
    check = services.verify_acta_code(would_be)
    assert (check.valid, check.message, check.visit_id) == (
        False, UNKNOWN.format(code=would_be), None,
    )  # fmt: skip


# ------------------------------------------------------------------------- verify_acta_code
def test_a_valid_code_is_confirmed_however_it_is_typed(
    services: AppServices, database: Database, finalized: uuid.UUID
) -> None:
    code = stored(database, finalized)[2]
    typed = code.lower().replace("-", " ")
    misread = code.replace("0", "O").replace("1", "I")
    for each in (code, typed, f"  {typed}\n", misread, qr_text(NUMBER, code)):
        check = services.verify_acta_code(each)
        assert (check.valid, check.message, check.visit_id) == (
            True, VALID.format(code=code), finalized,
        ), each  # fmt: skip


def test_a_phone_filled_in_by_a_later_visit_keeps_the_code_valid(
    services: AppServices, database: Database, profile_paths: ProfilePaths, finalized: uuid.UUID
) -> None:
    code = stored(database, finalized)[2]
    later = services_at(database, profile_paths, CLOSED + dt.timedelta(days=1))
    again = later.start_visit(instancia(later))
    later.save_participant(again, dataclasses.replace(person(), phone="987654321"))
    assert rows(database, "SELECT phone FROM person WHERE document_number = '45678912'") == [
        ("987654321",)
    ]
    assert services.verify_acta_code(code).message == VALID.format(code=code)


def test_an_unknown_code_is_not_on_this_device(services: AppServices, finalized: uuid.UUID) -> None:
    check = services.verify_acta_code("0000 0000 0000")
    assert (check.valid, check.message, check.visit_id) == (
        False, UNKNOWN.format(code="0000-0000-0000"), None,
    )  # fmt: skip


@pytest.mark.parametrize("typed", ["", "hola", "7KQ2-M9XD", "¿dónde está el código?"])
def test_junk_asks_for_the_code_as_printed(
    services: AppServices, finalized: uuid.UUID, typed: str
) -> None:
    check = services.verify_acta_code(typed)
    assert (check.valid, check.message, check.visit_id) == (False, JUNK, None)


def test_a_participant_changed_behind_the_application_no_longer_matches(
    services: AppServices, database: Database, finalized: uuid.UUID, tmp_path: Path
) -> None:
    code = stored(database, finalized)[2]
    execute(database, "UPDATE participant SET entity = 'Otra entidad' WHERE position = 1")
    check = services.verify_acta_code(code)
    assert (check.valid, check.message, check.visit_id) == (
        False, MISMATCH.format(code=code), finalized,
    )  # fmt: skip
    path = write_pdf(services.acta_document(finalized).pdf, tmp_path, "acta")
    whole = flat(pdftotext(path, "-raw"))  # in drawing order: a wrapped cell reads whole
    assert "Municipalidad de Wanchaq" in whole and "Otra entidad" not in whole


def test_an_altered_snapshot_no_longer_matches(
    services: AppServices, database: Database, finalized: uuid.UUID
) -> None:
    code = stored(database, finalized)[2]
    sql = "UPDATE visit SET acta_content = replace(acta_content, 'Instalar', 'Instalado')"
    execute(database, sql)
    assert services.verify_acta_code(code).message == MISMATCH.format(code=code)


# -------------------------------------------------------- later, legitimate changes elsewhere
def test_a_stage_recorded_by_a_later_visit_keeps_an_earlier_acta_valid(
    services: AppServices, database: Database, profile_paths: ProfilePaths, finalized: uuid.UUID
) -> None:
    """Ordinary work on the instancia must not make an untouched acta look tampered with.

    Fails today: verify_code rebuilds the record from the instancia's current stage.
    """
    code = stored(database, finalized)[2]
    later = services_at(database, profile_paths, CLOSED + dt.timedelta(days=2))
    next_visit = later.start_visit(instancia(later))
    created = StageEventInput(Stage.CREATED, dt.date(2026, 3, 11), "Ordenanza 003-2025-MDW")
    later.record_stage_event(next_visit, created)
    assert later.instancia_detail(instancia(later)).summary.stage is Stage.CREATED
    assert record_of(stored(database, finalized)[0]).stage == "No creada"  # what the paper says
    check = services.verify_acta_code(code)
    assert (check.valid, check.message) == (True, VALID.format(code=code))


def test_a_catalogue_update_keeps_an_earlier_acta_valid(
    services: AppServices, database: Database, finalized: uuid.UUID
) -> None:
    """A renamed district (a new INEI catalogue) changes nothing the acta recorded.

    Fails today: verify_code rebuilds the territory from the catalogue in force.
    """
    code = stored(database, finalized)[2]
    execute(database, "UPDATE territory SET name = 'Wánchaq' WHERE code = '080108'")
    check = services.verify_acta_code(code)
    assert (check.valid, check.message) == (True, VALID.format(code=code))
