"""Columns of the visit, agreement, participant and annex tables (shared by every page)."""

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.text import fold, fold_shared
from instancias_desktop.domain.visit_views import (
    AgreementView,
    AttachmentView,
    ParticipantView,
    VisitSummary,
)
from instancias_desktop.i18n import _, decimal_text
from instancias_desktop.ui.models.record_model import Column, date_text


def _status(v: VisitSummary) -> str:
    text = v.acta_state.label
    return _("{status} (adenda)").format(status=text) if v.is_addendum else text


VISIT_COLUMNS = (
    Column(_("Fecha"), lambda v: date_text(v.visit_date), lambda v: (v.visit_date, v.acta_number)),
    Column(_("N° de acta"), lambda v: v.acta_number, lambda v: v.acta_number),
    Column(_("Instancia"), lambda v: v.instancia_name, max_width=160, keep_end=True),
    Column(_("Territorio"), lambda v: v.territory, max_width=125),
    Column(_("Asistencia"), lambda v: v.at_type.label),
    Column(_("Estado"), _status),
    Column(_("Part."), lambda v: str(v.participant_count), lambda v: v.participant_count, True),
    Column(_("Acuerdos"), lambda v: str(v.agreement_count), lambda v: v.agreement_count, True),
    Column(_("Envío"), lambda v: v.send_state.label if v.send_state else "—"),
)
INSTANCIA_VISIT_COLUMNS = tuple(c for c in VISIT_COLUMNS if c.header not in (_("Instancia"),))


def visit_search_key(v: VisitSummary) -> str:
    """What the visits search looks into, folded; the parts shared by many visits fold once."""
    return " ".join(
        (
            fold(v.acta_number),
            fold_shared(v.instancia_name),
            fold_shared(v.territory),
            fold_shared(v.at_type.label),
            fold_shared(v.author),
        )
    )


def _state(a: AgreementView) -> str:
    return a.state.label.upper() if a.state is AgreementState.OVERDUE else a.state.label


AGREEMENT_COLUMNS = (
    Column(_("N°"), lambda a: str(a.number), lambda a: a.number, True),
    Column(_("Acuerdo"), lambda a: a.description, max_width=300),
    Column(
        _("Responsable"),
        lambda a: " — ".join(filter(None, (a.responsible_entity, a.responsible_person))),
        max_width=210,
    ),
    Column(_("Plazo"), lambda a: date_text(a.deadline), lambda a: a.deadline),
    Column(_("Estado"), _state),
    Column(_("Medio de verificación"), lambda a: a.verification_means, max_width=240),
    Column(_("Envío"), lambda a: a.send_state.label if a.send_state else "—"),
)
INSTANCIA_AGREEMENT_COLUMNS = (
    Column(_("Acta"), lambda a: a.acta_number),
    Column(_("Fecha"), lambda a: date_text(a.visit_date), lambda a: a.visit_date),
    *AGREEMENT_COLUMNS,
)

PARTICIPANT_COLUMNS = (
    Column(_("N°"), lambda p: str(p.position), lambda p: p.position, True),
    # Consent right after the name: it must stay on screen at 1280x720 and 150 % text.
    Column(_("Nombres y apellidos"), lambda p: p.full_name, max_width=240),
    Column(_("Consentimiento"), lambda p: _("Sí") if p.consent else _("FALTA")),
    Column(_("Documento"), lambda p: f"{p.document_type.label} {p.document_number}"),
    Column(_("Entidad"), lambda p: p.entity, max_width=220),
    Column(_("Cargo"), lambda p: p.post, max_width=180),
    Column(_("Rol"), lambda p: p.role.label),
)


def _size(a: AttachmentView) -> str:
    if a.size_bytes >= 1_000_000:
        return decimal_text(a.size_bytes / 1_000_000) + " MB"
    return f"{max(1, round(a.size_bytes / 1000))} kB"


ATTACHMENT_COLUMNS = (
    Column(_("Tipo"), lambda a: a.kind.label),
    Column(_("Archivo"), lambda a: a.filename),
    Column(_("Tamaño"), _size, lambda a: a.size_bytes, True),
    Column(_("Agregado"), lambda a: a.added_at.astimezone().strftime("%d/%m/%Y %H:%M")),
    Column(_("Envío"), lambda a: a.send_state.label if a.send_state else "—"),
)


def participant_tooltip(p: ParticipantView) -> str:
    """Contact data on hover."""
    return " · ".join(filter(None, (p.sex.label, p.phone, p.email)))
