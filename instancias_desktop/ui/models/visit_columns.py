"""Columns of the visit, agreement, participant and annex tables (shared by every page)."""

from instancias_desktop.domain.enums import AgreementState, VisitStatus
from instancias_desktop.domain.visit_views import (
    AgreementView,
    AttachmentView,
    ParticipantView,
    VisitSummary,
)
from instancias_desktop.i18n import _
from instancias_desktop.ui.models.record_model import Column, date_text


def _status(v: VisitSummary) -> str:
    text = v.status.label
    return _("{status} (adenda)").format(status=text) if v.is_addendum else text


VISIT_COLUMNS = (
    Column(_("Fecha"), lambda v: date_text(v.visit_date), lambda v: (v.visit_date, v.acta_number)),
    Column(_("N° de acta"), lambda v: v.acta_number, lambda v: v.acta_number),
    Column(_("Instancia"), lambda v: v.instancia_name),
    Column(_("Territorio"), lambda v: v.territory),
    Column(_("Tipo de asistencia"), lambda v: v.at_type.label),
    Column(_("Estado"), _status),
    Column(_("Part."), lambda v: str(v.participant_count), lambda v: v.participant_count, True),
    Column(_("Acuerdos"), lambda v: str(v.agreement_count), lambda v: v.agreement_count, True),
)
INSTANCIA_VISIT_COLUMNS = tuple(c for c in VISIT_COLUMNS if c.header not in (_("Instancia"),))


def visit_search_text(v: VisitSummary) -> str:
    """What the visits search looks into."""
    return f"{v.acta_number} {v.instancia_name} {v.territory} {v.at_type.label} {v.author}"


def visit_is_draft(v: VisitSummary) -> bool:
    """Drafts are what the specialist still has to finish."""
    return v.status is VisitStatus.DRAFT


def _state(a: AgreementView) -> str:
    return a.state.label.upper() if a.state is AgreementState.OVERDUE else a.state.label


AGREEMENT_COLUMNS = (
    Column(_("N°"), lambda a: str(a.number), lambda a: a.number, True),
    Column(_("Acuerdo"), lambda a: a.description),
    Column(
        _("Responsable"),
        lambda a: " — ".join(filter(None, (a.responsible_entity, a.responsible_person))),
    ),
    Column(_("Plazo"), lambda a: date_text(a.deadline), lambda a: a.deadline),
    Column(_("Estado"), _state),
    Column(_("Medio de verificación"), lambda a: a.verification_means),
)
INSTANCIA_AGREEMENT_COLUMNS = (
    Column(_("Acta"), lambda a: a.acta_number),
    Column(_("Fecha"), lambda a: date_text(a.visit_date), lambda a: a.visit_date),
    *AGREEMENT_COLUMNS,
)

PARTICIPANT_COLUMNS = (
    Column(_("N°"), lambda p: str(p.position), lambda p: p.position, True),
    Column(_("Nombres y apellidos"), lambda p: p.full_name),
    Column(_("Documento"), lambda p: f"{p.document_type.label} {p.document_number}"),
    Column(_("Entidad"), lambda p: p.entity),
    Column(_("Cargo"), lambda p: p.post),
    Column(_("Rol"), lambda p: p.role.label),
    Column(_("Consentimiento"), lambda p: _("Sí") if p.consent else _("FALTA")),
)


def _size(a: AttachmentView) -> str:
    if a.size_bytes >= 1_000_000:
        return f"{a.size_bytes / 1_000_000:.1f} MB"
    return f"{max(1, round(a.size_bytes / 1000))} kB"


ATTACHMENT_COLUMNS = (
    Column(_("Tipo"), lambda a: a.kind.label),
    Column(_("Archivo"), lambda a: a.filename),
    Column(_("Tamaño"), _size, lambda a: a.size_bytes, True),
    Column(_("Agregado"), lambda a: a.added_at.astimezone().strftime("%d/%m/%Y %H:%M")),
)


def participant_tooltip(p: ParticipantView) -> str:
    """Contact data on hover."""
    return " · ".join(filter(None, (p.sex.label, p.phone, p.email)))
