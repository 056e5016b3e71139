"""An instancia's own record as a specialist types it: representatives, norms, sessions, plans."""

import datetime as dt
import uuid
from pathlib import Path

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


def complete_record(
    services: AppServices, instancia_id: uuid.UUID, scan: Path | None = None
) -> InstanciaDetail:
    """An IDC's whole record as a diligent specialist keeps it, dated back from today.

    Every required seat, a CEM with its titular and alterna, a PNP seat whose representative
    changed (history), the chair and Secretaría Técnica, the creating ordinance, the decree of
    its reglamento and an amendment, two sessions with attendance, the
    reglamento, this year's work plan, a multi-year action plan and a report sent to MIMP.
    ``scan``: a file kept as the latest session's acta.
    """
    today = services.today()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    services.update_instancia(
        instancia_id,
        {
            "chair_name": "Rosa Quispe Huamán",
            "chair_post": "Alcaldesa distrital",
            "secretariat_unit": "Gerencia de Desarrollo Social",
            "secretariat_person": "Marco Huillca Ccasa",
        },
    )
    for index, (code, (entity, person)) in enumerate(IDC_REQUIRED.items(), start=1):
        seat = representative(code, entity, person, dni=f"4000000{index}", since=ago(400))
        services.save_member(instancia_id, seat)
    services.save_member(
        instancia_id,
        representative(
            "cem", "CEM Wanchaq", "Lucía Paredes Mendoza", dni="41234567", since=ago(380)
        ),
    )
    services.save_member(
        instancia_id,
        representative(
            "cem",
            "CEM Wanchaq",
            "Edith Ayma Quispe",
            seat=SeatKind.ALTERNATE,
            dni="42345678",
            since=ago(380),
        ),
    )
    detail = services.save_member(
        instancia_id,
        representative(
            "sociedad_civil", "Asociación Warmi Kallpa", "Nélida Choque Flores", since=ago(300)
        ),
    )
    police = next(m for m in detail.members if m.entity_type_code == "pnp_distrital")
    services.change_representative(
        police.id,
        representative(
            "pnp_distrital",
            "Comisaría PNP de Wanchaq",
            "Mayor Jorge Vargas Ccallo",
            dni="43456789",
            since=ago(90),
        ),
        ago(90),
    )
    services.save_norm(instancia_id, creating_ordinance(ago(420)))
    decree = services.save_norm(instancia_id, rules_decree(ago(330)))
    services.save_norm(
        instancia_id,
        NormRecordInput(
            NormRole.AMENDS,
            NormType.COUNCIL_AGREEMENT,
            "045-2026-MDW",
            ago(60),
            "Concejo Municipal",
        ),
    )
    decree_id = next(n.id for n in decree.norms if n.role is NormRole.REGULATES)
    services.save_instrument(instancia_id, rules_instrument(decree_id, ago(330)))
    services.save_instrument(
        instancia_id,
        InstrumentInput(
            InstrumentType.WORK_PLAN,
            f"Plan de trabajo {today.year}",
            None,
            min(today, dt.date(today.year, 1, 15)),
            dt.date(today.year, 1, 1),
            dt.date(today.year, 12, 31),
        ),
    )
    services.save_instrument(
        instancia_id,
        InstrumentInput(
            InstrumentType.ACTION_PLAN,
            "Plan de acción multianual contra la violencia",
            None,
            ago(300),
            ago(300),
            ago(300) + dt.timedelta(days=3 * 365),
        ),
    )
    services.save_instrument(
        instancia_id,
        InstrumentInput(
            InstrumentType.REPORT,
            "Informe semestral de la instancia",
            recipient="MIMP - DGCVG",
            period_start=ago(240),
            period_end=ago(60),
            sent_on=ago(45),
        ),
    )
    for held_on, agenda in (
        (ago(200), "1. Aprobación del plan de trabajo\n2. Campaña 25N"),
        (ago(40), "1. Informe semestral\n2. Ruta de atención"),
    ):
        members = services.instancia_detail(instancia_id).members
        present = frozenset(m.id for m in members if m.current(held_on))
        services.save_session(
            instancia_id,
            SessionInput(
                held_on,
                SessionType.ORDINARY,
                True,
                agenda=agenda,
                agreements="Aprobar lo propuesto por la Secretaría Técnica.",
                acta_reference=f"Acta N° 00{len(agenda) % 9}-{held_on.year}-IDC-Wanchaq",
                attendee_ids=present,
            ),
        )
    if scan is not None:
        latest = services.instancia_detail(instancia_id).sessions[0]
        services.attach_record_file("session", latest.id, scan)
    return services.set_schedule(
        instancia_id,
        {
            "target_creation_on": ago(430),
            "target_installation_on": ago(410),
            "target_first_session_on": ago(210),
        },
    )
