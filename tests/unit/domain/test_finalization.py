"""What an acta needs before it is finalized, and the errors that explain a refusal."""

import dataclasses
import datetime as dt
import uuid

import pytest

from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import AtType, DocumentType, Modality, ParticipantRole, Sex
from instancias_desktop.domain.finalization import (
    FinalizedVisitError,
    IncompleteVisitError,
    missing_for_finalization,
)
from instancias_desktop.domain.visit_views import ParticipantView

TODAY = dt.date(2026, 3, 10)
PLACE = "Lugar de la visita."
START = "Hora de inicio."
END = "Hora de término."
FUTURE = "La fecha de la visita no puede ser posterior a hoy."
OBJECTIVE = "Objetivo de la visita."
AGENDA = "Agenda de la visita."
DEVELOPMENT = "Desarrollo de la visita."
NOBODY = "Al menos un participante."
CONSENT = "Consentimiento para el tratamiento de datos personales de: {}."


def complete_visit(**changes: object) -> Visit:
    visit = Visit(
        instancia_id=uuid.uuid4(),
        acta_number="N° 001-2026-MIMP/DGCVG-DPVLV-E07",
        visit_date=TODAY,
        start_time=dt.time(9, 30),
        end_time=dt.time(11),
        place="Municipalidad Distrital de Wanchaq",
        place_ubigeo="080108",
        modality=Modality.IN_PERSON,
        at_type=AtType.INSTALLATION,
        objective="Asistir la instalación.",
        agenda="1. Instalación.",
        development="Se explicó el reglamento.",
    )
    return dataclasses.replace(visit, **changes)  # type: ignore[arg-type]


def participant(name: str = "María Núñez Quispe", consent: bool = True) -> ParticipantView:
    return ParticipantView(
        id=uuid.uuid4(), person_id=uuid.uuid4(), position=1, full_name=name,
        document_type=DocumentType.DNI, document_number="45678912", sex=Sex.FEMALE, phone="",
        email="", entity="Municipalidad", post="Regidora", role=ParticipantRole.CHAIR,
        consent=consent,
    )  # fmt: skip


def test_a_complete_acta_misses_nothing() -> None:
    assert missing_for_finalization(complete_visit(), [participant()], TODAY) == []


def test_instruments_and_diagnosis_are_optional() -> None:
    visit = complete_visit(instruments="", diagnosis="")
    assert missing_for_finalization(visit, [participant()], TODAY) == []


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"place": ""}, PLACE),
        ({"place": " \t "}, PLACE),
        ({"start_time": None}, START),
        ({"end_time": None}, END),
        ({"visit_date": TODAY + dt.timedelta(days=1)}, FUTURE),
        ({"objective": ""}, OBJECTIVE),
        ({"agenda": "\n"}, AGENDA),
        ({"development": "   "}, DEVELOPMENT),
    ],
)
def test_each_missing_part_is_named(changes: dict[str, object], missing: str) -> None:
    assert missing_for_finalization(complete_visit(**changes), [participant()], TODAY) == [missing]


def test_a_past_visit_date_is_fine() -> None:
    visit = complete_visit(visit_date=dt.date(2025, 12, 31))
    assert missing_for_finalization(visit, [participant()], TODAY) == []


def test_everything_missing_is_listed_in_the_order_of_the_acta() -> None:
    empty = complete_visit(
        place="", start_time=None, end_time=None, visit_date=dt.date(2026, 3, 11), objective="",
        agenda="", development="",
    )  # fmt: skip
    assert missing_for_finalization(empty, [], TODAY) == [
        PLACE, START, END, FUTURE, OBJECTIVE, AGENDA, DEVELOPMENT, NOBODY,
    ]  # fmt: skip


def test_participants_without_consent_are_named_in_list_order() -> None:
    people = [participant("Luis Rojas", False), participant(), participant("Ana Pérez", False)]
    assert missing_for_finalization(complete_visit(), people, TODAY) == [
        CONSENT.format("Luis Rojas, Ana Pérez")
    ]
    assert missing_for_finalization(complete_visit(), [], TODAY) == [NOBODY]


def test_the_incomplete_error_lists_every_item() -> None:
    error = IncompleteVisitError([END, NOBODY])
    assert error.missing == (END, NOBODY)
    assert str(error) == (
        "Falta completar antes de finalizar:\n• Hora de término.\n• Al menos un participante."
    )


def test_the_finalized_error_says_how_to_correct_the_acta() -> None:
    error = FinalizedVisitError("N° 004-2026-MIMP/DGCVG-DPVLV-E07")
    assert str(error) == (
        "El acta N° 004-2026-MIMP/DGCVG-DPVLV-E07 está finalizada y no se puede modificar. "
        "Para corregirla, cree una adenda."
    )
    assert isinstance(error, RuntimeError)
