"""An instancia's own record as a specialist types it: representatives, norms, sessions, plans."""

import datetime as dt
import uuid

from instancias_desktop.domain.enums import (
    DocumentType,
    InstrumentType,
    NormRole,
    NormType,
    SeatKind,
    SessionType,
)
from instancias_desktop.domain.instancia_records import (
    InstrumentInput,
    MemberInput,
    MemberView,
    NormRecordInput,
    SessionInput,
)
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.services.app_services import AppServices

# The titular seats an IDC must have (the catalogue's «exactamente 1»), with a representative.
IDC_REQUIRED = {
    "municipalidad_distrital": ("Municipalidad Distrital de Wanchaq", "Rosa Quispe Huamán"),
    "gobernacion_distrital": ("Gobernación Distrital de Wanchaq", "Luis Mamani Ccori"),
    "pnp_distrital": ("Comisaría PNP de Wanchaq", "Carlos Huarca Pérez"),
    "poder_judicial": ("Corte Superior de Justicia del Cusco", "Ana Torres Villa"),
    "ministerio_publico": ("Fiscalía Provincial de Familia", "Julia Condori Apaza"),
    "establecimiento_salud": ("Centro de Salud de Wanchaq", "Pedro Ramos Soto"),
    "institucion_educativa": ("UGEL Cusco", "Elena Ccahuana Díaz"),
}


def representative(
    entity_type_code: str,
    entity_name: str,
    person_name: str,
    *,
    seat: SeatKind = SeatKind.TITULAR,
    dni: str = "",
    since: dt.date | None = dt.date(2026, 1, 15),
) -> MemberInput:
    """A representative in a seat, designated by an oficio."""
    return MemberInput(
        entity_type_code=entity_type_code, entity_name=entity_name, seat=seat,
        person_name=person_name, document_type=DocumentType.DNI, document_number=dni,
        post="Representante", designation_document="Oficio N° 012-2026",
        designated_on=since, since=since,
    )  # fmt: skip


def as_typed(shown: MemberView) -> MemberInput:
    """A stored tenure as the «Corregir» dialog fills it."""
    return MemberInput(
        entity_type_code=shown.entity_type_code, entity_name=shown.entity_name, seat=shown.seat,
        person_name=shown.person_name, document_type=shown.document_type,
        document_number=shown.document_number, post=shown.post,
        designation_document=shown.designation_document, designated_on=shown.designated_on,
        since=shown.since, until=shown.until,
    )  # fmt: skip


def seat_all_required(services: AppServices, instancia_id: uuid.UUID) -> InstanciaDetail:
    """Every «exactamente 1» seat of an IDC held by a titular; the page afterwards."""
    detail = services.instancia_detail(instancia_id)
    for code, (entity, person) in IDC_REQUIRED.items():
        detail = services.save_member(instancia_id, representative(code, entity, person))
    return detail


def creating_ordinance(issued_on: dt.date = dt.date(2025, 3, 12)) -> NormRecordInput:
    """The ordinance that creates an IDC."""
    return NormRecordInput(
        NormRole.CREATES, NormType.MUNICIPAL_ORDINANCE, "003-2025-MDW", issued_on,
        "Concejo Municipal",
    )  # fmt: skip


def rules_decree(issued_on: dt.date = dt.date(2025, 6, 2)) -> NormRecordInput:
    """The mayor's decree that approves its reglamento interno."""
    return NormRecordInput(
        NormRole.REGULATES, NormType.MAYOR_DECREE, "007-2025-MDW/A", issued_on, "Alcaldía"
    )


def session(held_on: dt.date, attendees: frozenset[uuid.UUID] = frozenset()) -> SessionInput:
    """An ordinary session with quorum."""
    return SessionInput(
        held_on, SessionType.ORDINARY, True, agenda="1. Plan de trabajo",
        agreements="Aprobar el plan", acta_reference="Acta N° 001-2026", attendee_ids=attendees,
    )  # fmt: skip


def rules_instrument(norm_id: uuid.UUID | None, approved_on: dt.date) -> InstrumentInput:
    """A reglamento interno approved by a registered norm."""
    return InstrumentInput(InstrumentType.RULES, "Reglamento interno", norm_id, approved_on)


def work_plan(year: int, approved_on: dt.date) -> InstrumentInput:
    """The annual work plan of ``year``."""
    return InstrumentInput(
        InstrumentType.WORK_PLAN, f"Plan de trabajo {year}", None, approved_on,
        dt.date(year, 1, 1), dt.date(year, 12, 31),
    )  # fmt: skip
