import datetime as dt
import uuid

import pytest

from instancias_desktop.domain.entities import Agreement, Norm, Person, StageEvent, Visit
from instancias_desktop.domain.entity_checks import (
    check_agreement,
    check_norm,
    check_person,
    check_stage_event,
    check_visit,
)
from instancias_desktop.domain.enums import (
    AgreementState,
    AtType,
    DocumentType,
    Modality,
    NormRole,
    NormType,
    Stage,
)
from instancias_desktop.domain.validation import ValidationError

TODAY = dt.date(2026, 11, 26)


def visit(**changes: object) -> Visit:
    base = {
        "instancia_id": uuid.uuid4(),
        "acta_number": "N° 001-2026-MIMP/DGCVG-DPVLV-E01",
        "visit_date": TODAY,
        "start_time": dt.time(9),
        "end_time": dt.time(11),
        "place": "Sala de regidores",
        "place_ubigeo": "080108",
        "modality": Modality.IN_PERSON,
        "at_type": AtType.INSTALLATION,
    }
    return Visit(**{**base, **changes})  # type: ignore[arg-type]


def test_a_complete_visit_passes() -> None:
    check_visit(visit(), TODAY)


def test_every_visit_error_is_reported_with_its_field() -> None:
    bad = visit(
        acta_number=" ",
        visit_date=TODAY + dt.timedelta(days=1),
        end_time=dt.time(8),
        place="",
        place_ubigeo="99",
    )
    with pytest.raises(ValidationError) as caught:
        check_visit(bad, TODAY)
    fields = {e.field: e.message for e in caught.value.errors}
    assert fields == {
        "acta_number": "Complete el campo «N° de acta».",
        "visit_date": (
            "La fecha de la visita (27/11/2026) no puede ser posterior a hoy (26/11/2026)."
        ),
        "end_time": "La hora de término (08:00) debe ser posterior a la de inicio (09:00).",
        "place_ubigeo": "El ubigeo «99» no es válido: el código de departamento va de 01 a 25.",
    }


def test_person_checks_document_name_and_contacts() -> None:
    check_person(Person(DocumentType.DNI, "45678912", "Rosa Quispe Huamán"))
    with pytest.raises(ValidationError) as caught:
        check_person(Person(DocumentType.DNI, "4567", "", phone="abc", email="x@"))
    assert {e.field for e in caught.value.errors} == {
        "document_number",
        "full_name",
        "phone",
        "email",
    }


def test_agreement_deadline_cannot_precede_the_visit_and_overdue_is_not_storable() -> None:
    agreement = Agreement(
        visit_id=uuid.uuid4(),
        number=0,
        description="",
        responsible_entity="",
        responsible_person="",
        deadline=dt.date(2026, 11, 1),
        state=AgreementState.OVERDUE,
    )
    with pytest.raises(ValidationError) as caught:
        check_agreement(agreement, TODAY)
    assert caught.value.for_field("deadline") == (
        "El plazo (01/11/2026) no puede ser anterior a la visita (26/11/2026).",
    )
    assert {e.field for e in caught.value.errors} == {
        "number",
        "description",
        "responsible_entity",
        "deadline",
        "state",
    }


def test_stage_events_and_norms_cannot_be_dated_in_the_future() -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="fecha del hito"):
        check_stage_event(StageEvent(uuid.uuid4(), Stage.CREATED, tomorrow), TODAY)
    with pytest.raises(ValidationError, match="Número de la norma"):
        check_norm(
            Norm(uuid.uuid4(), NormRole.CREATES, NormType.MUNICIPAL_ORDINANCE, "", TODAY), TODAY
        )
