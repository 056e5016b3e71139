"""Whole-record checks: every field error of an entity at once, in Spanish, before any write."""

import datetime as dt

from instancias_desktop.domain.entities import Agreement, Norm, Person, StageEvent, Visit
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.ubigeo import check_ubigeo
from instancias_desktop.domain.validation import (
    Collector,
    check_document,
    check_email,
    check_not_future,
    check_phone,
    check_required,
    check_text,
    check_time_order,
)
from instancias_desktop.i18n import _

TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 20_000


def check_visit(visit: Visit, today: dt.date) -> None:
    """Reject a visit header with a malformed or impossible field (a draft may lack some)."""
    errors = Collector()
    errors.add("acta_number", check_required(visit.acta_number, _("N° de acta")))
    errors.add("visit_date", check_not_future(visit.visit_date, today, _("fecha de la visita")))
    errors.add("end_time", check_time_order(visit.start_time, visit.end_time))
    errors.add("place", check_text(visit.place, _("Lugar"), TEXT_LIMIT))
    errors.add("place_ubigeo", check_ubigeo(visit.place_ubigeo))
    for name, label in (
        ("objective", _("Objetivo")),
        ("agenda", _("Agenda")),
        ("development", _("Desarrollo")),
        ("instruments", _("Instrumentos entregados")),
        ("diagnosis", _("Diagnóstico")),
    ):
        errors.add(name, check_text(getattr(visit, name), label, LONG_TEXT_LIMIT))
    errors.raise_if_any()


def check_person(person: Person) -> None:
    """Reject a participant identity with a bad document, name, phone or e-mail."""
    errors = Collector()
    errors.add("document_number", check_document(person.document_type, person.document_number))
    errors.add("full_name", check_required(person.full_name, _("Nombres y apellidos")))
    errors.add("full_name", check_text(person.full_name, _("Nombres y apellidos"), TEXT_LIMIT))
    errors.add("phone", check_phone(person.phone))
    errors.add("email", check_email(person.email))
    errors.raise_if_any()


def check_participant(entity: str, post: str) -> None:
    """Reject a participation without the entity the person represents."""
    errors = Collector()
    errors.add("entity", check_required(entity, _("Entidad")))
    errors.add("entity", check_text(entity, _("Entidad"), TEXT_LIMIT))
    errors.add("post", check_text(post, _("Cargo"), TEXT_LIMIT))
    errors.raise_if_any()


def check_agreement(agreement: Agreement, visit_date: dt.date) -> None:
    """Reject an agreement without description, responsible or a deadline after the visit."""
    errors = Collector()
    if agreement.number < 1:
        errors.add("number", _("El número de acuerdo empieza en 1."))
    errors.add("description", check_required(agreement.description, _("Acuerdo")))
    errors.add("description", check_text(agreement.description, _("Acuerdo"), LONG_TEXT_LIMIT))
    errors.add(
        "responsible_entity", check_required(agreement.responsible_entity, _("Entidad responsable"))
    )
    for name, label in (
        ("responsible_entity", _("Entidad responsable")),
        ("responsible_person", _("Persona responsable")),
    ):
        errors.add(name, check_text(getattr(agreement, name), label, TEXT_LIMIT))
    errors.add(
        "verification_means",
        check_text(agreement.verification_means, _("Medio de verificación"), LONG_TEXT_LIMIT),
    )
    if agreement.deadline < visit_date:
        errors.add(
            "deadline",
            _("El plazo ({deadline}) no puede ser anterior a la visita ({visit}).").format(
                deadline=agreement.deadline.strftime("%d/%m/%Y"),
                visit=visit_date.strftime("%d/%m/%Y"),
            ),
        )
    if agreement.state is AgreementState.OVERDUE:
        errors.add("state", _("«Vencido» se calcula con el plazo; elija otro estado."))
    errors.raise_if_any()


def check_stage_event(event: StageEvent, today: dt.date) -> None:
    """Reject a stage event dated in the future."""
    errors = Collector()
    errors.add("event_date", check_not_future(event.event_date, today, _("fecha del hito")))
    errors.add("evidence", check_text(event.evidence, _("Medio de verificación"), TEXT_LIMIT))
    errors.raise_if_any()


def check_norm(norm: Norm, today: dt.date) -> None:
    """Reject a norm without number or issued in the future."""
    errors = Collector()
    errors.add("number", check_required(norm.number, _("Número de la norma")))
    errors.add("number", check_text(norm.number, _("Número de la norma"), 100))
    errors.add("issuing_body", check_text(norm.issuing_body, _("Emitida por"), TEXT_LIMIT))
    errors.add("issued_on", check_not_future(norm.issued_on, today, _("fecha de la norma")))
    errors.raise_if_any()
