"""Finalizing an acta: what must be complete, and the rule that a finalized acta never changes."""

import datetime as dt
from collections.abc import Sequence

from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.visit_views import ParticipantView
from instancias_desktop.i18n import _


class FinalizedVisitError(RuntimeError):
    """A change was attempted on a finalized acta; the message says how to correct it instead."""

    def __init__(self, acta_number: str) -> None:
        super().__init__(
            _(
                "El acta {number} está finalizada y no se puede modificar. "
                "Para corregirla, cree una adenda."
            ).format(number=acta_number)
        )


class IncompleteVisitError(RuntimeError):
    """Finalization refused: lists everything still missing (nothing was changed)."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            _("Falta completar antes de finalizar:") + "\n" + "\n".join(f"• {m}" for m in missing)
        )


def missing_for_finalization(
    visit: Visit, participants: Sequence[ParticipantView], today: dt.date
) -> list[str]:
    """What must still be filled in before the acta can be finalized (empty when complete)."""
    missing: list[str] = []
    if not visit.place.strip():
        missing.append(_("Lugar de la visita."))
    if visit.start_time is None:
        missing.append(_("Hora de inicio."))
    if visit.end_time is None:
        missing.append(_("Hora de término."))
    if visit.visit_date > today:
        missing.append(_("La fecha de la visita no puede ser posterior a hoy."))
    for text, label in (
        (visit.objective, _("Objetivo")),
        (visit.agenda, _("Agenda")),
        (visit.development, _("Desarrollo")),
    ):
        if not text.strip():
            missing.append(_("{label} de la visita.").format(label=label))
    if not participants:
        missing.append(_("Al menos un participante."))
    without_consent = [p.full_name for p in participants if not p.consent]
    if without_consent:
        missing.append(
            _("Consentimiento para el tratamiento de datos personales de: {names}.").format(
                names=", ".join(without_consent)
            )
        )
    return missing
