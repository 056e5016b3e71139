"""Visits made through the services for GUI tests: an unvisited IDC, a completed and closed acta."""

import datetime as dt
import uuid

from instancias_desktop.domain.enums import DocumentType, InstanciaLevel, ParticipantRole
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.services.app_services import AppServices


def unvisited_idc(services: AppServices) -> InstanciaSummary:
    """A district instancia with no visit yet (nothing earlier to compare with)."""
    return next(
        i
        for i in services.list_instancias()
        if i.level is InstanciaLevel.IDC and i.visit_count == 0
    )


def finalize(services: AppServices, visit_id: uuid.UUID) -> None:
    """Complete the acta (end time, texts, a consenting participant) and finalize it."""
    complete(services, visit_id)
    services.finalize_visit(visit_id)


def complete(services: AppServices, visit_id: uuid.UUID) -> None:
    """Give a draft what finalizing asks for: end time, texts, a consenting participant."""
    services.update_visit(
        visit_id,
        {
            "start_time": dt.time(9),
            "end_time": dt.time(11),
            "objective": "Seguimiento",
            "agenda": "1",
            "development": "Ok",
        },
    )
    services.save_participant(
        visit_id,
        ParticipantInput(
            DocumentType.DNI, "45678912", "María Núñez Quispe", "Municipalidad", "Alcaldesa",
            ParticipantRole.CHAIR, consent=True,
        ),
    )  # fmt: skip
