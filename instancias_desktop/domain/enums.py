"""Closed vocabularies of the domain, each with its Spanish label (see the glossary)."""

from enum import StrEnum

from instancias_desktop.i18n import _


class LabeledEnum(StrEnum):
    """A string enum whose members carry the Spanish label shown on screens and PDFs."""

    @property
    def label(self) -> str:
        """The Spanish label of this member."""
        return _(_LABELS[(type(self), self.value)])


class InstanciaLevel(LabeledEnum):
    """Level of an Instancia de Concertación."""

    IRC = "IRC"
    IPC = "IPC"
    IDC = "IDC"


class UnitKind(LabeledEnum):
    """Kind of government unit that chairs an instancia."""

    REGIONAL = "regional"
    PROVINCIAL = "provincial"
    DISTRICT = "district"


class Stage(LabeledEnum):
    """Stage of an instancia (Estado de la instancia), in life-cycle order."""

    NOT_CREATED = "no_creada"
    CREATED = "creada"
    INSTALLED = "instalada"
    FUNCTIONING = "en_funcionamiento"
    INACTIVE = "inactiva"
    REACTIVATED = "reactivada"


class NormType(LabeledEnum):
    """Type of legal instrument that creates, amends or regulates an instancia."""

    REGIONAL_ORDINANCE = "ordenanza_regional"
    MUNICIPAL_ORDINANCE = "ordenanza_municipal"
    MAYOR_DECREE = "decreto_alcaldia"
    RESOLUTION = "resolucion"
    OTHER = "otro"
    REGIONAL_DECREE = "decreto_regional"
    REGIONAL_EXECUTIVE_RESOLUTION = "resolucion_ejecutiva_regional"
    REGIONAL_COUNCIL_AGREEMENT = "acuerdo_consejo_regional"
    COUNCIL_AGREEMENT = "acuerdo_concejo"
    MAYOR_RESOLUTION = "resolucion_alcaldia"


class NormRole(LabeledEnum):
    """What a norm does to the instancia."""

    CREATES = "creacion"
    AMENDS = "modificacion"
    REPEALS = "derogacion"
    REGULATES = "reglamento"


class SessionType(LabeledEnum):
    """Whether a session of the instancia was ordinary or extraordinary."""

    ORDINARY = "ordinaria"
    EXTRAORDINARY = "extraordinaria"


class InstrumentType(LabeledEnum):
    """A management instrument of the instancia."""

    RULES = "reglamento_interno"
    WORK_PLAN = "plan_trabajo"
    ACTION_PLAN = "plan_accion"
    REPORT = "informe"


class Modality(LabeledEnum):
    """How a visit took place."""

    IN_PERSON = "presencial"
    VIRTUAL = "virtual"


class AtType(LabeledEnum):
    """Type of technical assistance (Tipo de asistencia)."""

    CREATION = "creacion"
    INSTALLATION = "instalacion"
    FUNCTIONING = "funcionamiento"
    FOLLOW_UP = "seguimiento"
    REACTIVATION = "reactivacion"


class DocumentType(LabeledEnum):
    """Identity document of a participant."""

    DNI = "dni"
    FOREIGN_ID = "carne_extranjeria"
    PASSPORT = "pasaporte"
    OTHER = "otro"


class Sex(LabeledEnum):
    """Sex as recorded in the attendance list."""

    FEMALE = "F"
    MALE = "M"
    UNSTATED = "X"


class ParticipantRole(LabeledEnum):
    """Role of a participant in the instancia."""

    CHAIR = "presidencia"
    TECHNICAL_SECRETARIAT = "secretaria_tecnica"
    MEMBER = "integrante"
    GUEST = "invitado"
    MIMP = "mimp"


class SeatKind(LabeledEnum):
    """Whether a member holds the seat or substitutes."""

    TITULAR = "titular"
    ALTERNATE = "alterno"


class AgreementState(LabeledEnum):
    """State of an agreement; OVERDUE is derived from the deadline, never stored."""

    PENDING = "pendiente"
    IN_PROGRESS = "en_proceso"
    FULFILLED = "cumplido"
    OVERDUE = "vencido"
    RESCHEDULED = "reprogramado"
    CANCELLED = "anulado"


class Answer(LabeledEnum):
    """Answer to a checklist item."""

    YES = "si"
    PARTIAL = "parcial"
    NO = "no"
    NOT_APPLICABLE = "no_aplica"


class VisitStatus(LabeledEnum):
    """Draft visits are editable; finalized ones are read-only forever."""

    DRAFT = "borrador"
    FINALIZED = "finalizada"


class ActaState(LabeledEnum):
    """Where an acta stands on its way to legal weight (derived, never stored)."""

    DRAFT = "borrador"
    FINALIZED = "finalizada"  # sealed and printable; its signed copy is still missing
    SIGNED = "firmada"  # its signed copy is attached


class AuditAction(LabeledEnum):
    """What the laptop's audit trail records."""

    OPENED = "perfil_abierto"
    FINALIZED = "acta_finalizada"
    PRODUCED = "acta_generada"  # its PDF, to view or to print
    EXPORTED = "exportacion"
    DELETED = "eliminacion"


class QrCheck(LabeledEnum):
    """What the QR code on a signed copy said about the acta it was attached to."""

    MATCHES = "coincide"
    OTHER_CODE = "otro_codigo"
    UNREADABLE = "ilegible"


class AttachmentKind(LabeledEnum):
    """What an annex of a visit holds."""

    SIGNED_ACTA = "acta_firmada"
    ATTENDANCE = "lista_asistencia"
    PHOTO = "foto"
    DOCUMENT = "documento"


class UserRole(LabeledEnum):
    """Who uses the app."""

    SPECIALIST = "especialista"
    SUPERVISOR = "supervisor"


class SendState(LabeledEnum):
    """Where a record made on the laptop stands with the server (Estado de envío)."""

    PENDING = "pendiente"
    SENT = "enviado"
    CONFIRMED = "confirmado"
    REJECTED = "rechazado"
    CONFLICT = "en_conflicto"


class Criterion(LabeledEnum):
    """A criterion of the technical-assistance priority; its value is the key in weight files."""

    STAGE_GAP = "brecha_estado"
    LEGAL_EXPOSURE = "exposicion_legal"
    REACTIVATION = "reactivacion"
    VIOLENCE_BURDEN = "carga_violencia"
    CEM_PRESENCE = "presencia_cem"
    CASCADE = "cascada"
    EXTERNAL_ALERTS = "alertas_externas"
    DEMAND = "solicitud"
    TIME_SINCE_VISIT = "tiempo_sin_visita"
    OVERDUE_AGREEMENTS = "acuerdos_vencidos"


# Pairs, not a dict literal: vocabularies share values ("otro", "creacion", "pendiente"), and a
# dict keyed by value would keep one label for all of them.
_LABEL_PAIRS: tuple[tuple[LabeledEnum, str], ...] = (
    (InstanciaLevel.IRC, "Regional"),
    (InstanciaLevel.IPC, "Provincial"),
    (InstanciaLevel.IDC, "Distrital"),
    (UnitKind.REGIONAL, "Gobierno regional"),
    (UnitKind.PROVINCIAL, "Municipalidad provincial"),
    (UnitKind.DISTRICT, "Municipalidad distrital"),
    (Stage.NOT_CREATED, "No creada"),
    (Stage.CREATED, "Creada"),
    (Stage.INSTALLED, "Instalada"),
    (Stage.FUNCTIONING, "En funcionamiento"),
    (Stage.INACTIVE, "Inactiva"),
    (Stage.REACTIVATED, "Reactivada"),
    (NormType.REGIONAL_ORDINANCE, "Ordenanza Regional"),
    (NormType.MUNICIPAL_ORDINANCE, "Ordenanza Municipal"),
    (NormType.MAYOR_DECREE, "Decreto de Alcaldía"),
    (NormType.RESOLUTION, "Resolución"),
    (NormType.OTHER, "Otra norma"),
    (NormType.REGIONAL_DECREE, "Decreto Regional"),
    (NormType.REGIONAL_EXECUTIVE_RESOLUTION, "Resolución Ejecutiva Regional"),
    (NormType.REGIONAL_COUNCIL_AGREEMENT, "Acuerdo de Consejo Regional"),
    (NormType.COUNCIL_AGREEMENT, "Acuerdo de Concejo"),
    (NormType.MAYOR_RESOLUTION, "Resolución de Alcaldía"),
    (SessionType.ORDINARY, "Ordinaria"),
    (SessionType.EXTRAORDINARY, "Extraordinaria"),
    (InstrumentType.RULES, "Reglamento interno"),
    (InstrumentType.WORK_PLAN, "Plan de trabajo"),
    (InstrumentType.ACTION_PLAN, "Plan de acción"),
    (InstrumentType.REPORT, "Informe"),
    (NormRole.CREATES, "Creación"),
    (NormRole.AMENDS, "Modificación"),
    (NormRole.REPEALS, "Derogación"),
    (NormRole.REGULATES, "Reglamento interno"),
    (Modality.IN_PERSON, "Presencial"),
    (Modality.VIRTUAL, "Virtual"),
    (AtType.CREATION, "Creación"),
    (AtType.INSTALLATION, "Instalación"),
    (AtType.FUNCTIONING, "Funcionamiento"),
    (AtType.FOLLOW_UP, "Seguimiento"),
    (AtType.REACTIVATION, "Reactivación"),
    (DocumentType.DNI, "DNI"),
    (DocumentType.FOREIGN_ID, "Carné de extranjería"),
    (DocumentType.PASSPORT, "Pasaporte"),
    (DocumentType.OTHER, "Otro"),
    (Sex.FEMALE, "Femenino"),
    (Sex.MALE, "Masculino"),
    (Sex.UNSTATED, "No precisa"),
    (ParticipantRole.CHAIR, "Presidente(a)"),
    (ParticipantRole.TECHNICAL_SECRETARIAT, "Secretaría técnica"),
    (ParticipantRole.MEMBER, "Integrante"),
    (ParticipantRole.GUEST, "Invitado(a)"),
    (ParticipantRole.MIMP, "Especialista MIMP"),
    (SeatKind.TITULAR, "Titular"),
    (SeatKind.ALTERNATE, "Alterno(a)"),
    (AgreementState.PENDING, "Pendiente"),
    (AgreementState.IN_PROGRESS, "En proceso"),
    (AgreementState.FULFILLED, "Cumplido"),
    (AgreementState.OVERDUE, "Vencido"),
    (AgreementState.RESCHEDULED, "Reprogramado"),
    (AgreementState.CANCELLED, "Anulado"),
    (Answer.YES, "Sí"),
    (Answer.PARTIAL, "Parcial"),
    (Answer.NO, "No"),
    (Answer.NOT_APPLICABLE, "No aplica"),
    (VisitStatus.DRAFT, "Borrador"),
    (VisitStatus.FINALIZED, "Finalizada"),
    (ActaState.DRAFT, "Borrador"),
    (ActaState.FINALIZED, "Finalizada, por firmar"),
    (ActaState.SIGNED, "Firmada"),
    (AuditAction.OPENED, "Perfil abierto"),
    (AuditAction.FINALIZED, "Acta finalizada"),
    (AuditAction.PRODUCED, "Acta generada (ver o imprimir)"),
    (AuditAction.EXPORTED, "Exportación"),
    (AuditAction.DELETED, "Eliminación"),
    (QrCheck.MATCHES, "Código QR verificado"),
    (QrCheck.OTHER_CODE, "Código QR de otra acta"),
    (QrCheck.UNREADABLE, "Código QR ilegible"),
    (AttachmentKind.SIGNED_ACTA, "Acta firmada (escaneo)"),
    (AttachmentKind.ATTENDANCE, "Lista de asistencia"),
    (AttachmentKind.PHOTO, "Fotografía"),
    (AttachmentKind.DOCUMENT, "Documento"),
    (UserRole.SPECIALIST, "Especialista"),
    (UserRole.SUPERVISOR, "Supervisor(a)"),
    (SendState.PENDING, "Pendiente de envío"),
    (SendState.SENT, "Enviado"),
    (SendState.CONFIRMED, "Confirmado"),
    (SendState.REJECTED, "Rechazado"),
    (SendState.CONFLICT, "En conflicto"),
    (Criterion.STAGE_GAP, "Brecha de estado"),
    (Criterion.LEGAL_EXPOSURE, "Exposición legal (Ley N° 31439)"),
    (Criterion.REACTIVATION, "Reactivación necesaria"),
    (Criterion.VIOLENCE_BURDEN, "Carga de violencia del territorio"),
    (Criterion.CEM_PRESENCE, "Presencia de un CEM"),
    (Criterion.CASCADE, "Cascada (primero IRC, luego IPC, luego IDC)"),
    (Criterion.EXTERNAL_ALERTS, "Alertas externas (Defensoría del Pueblo)"),
    (Criterion.DEMAND, "Solicitud escrita del gobierno"),
    (Criterion.TIME_SINCE_VISIT, "Tiempo desde la última visita"),
    (Criterion.OVERDUE_AGREEMENTS, "Acuerdos vencidos"),
)
_LABELS = {(type(member), member.value): text for member, text in _LABEL_PAIRS}

LEVEL_OF_UNIT: dict[UnitKind, InstanciaLevel] = {
    UnitKind.REGIONAL: InstanciaLevel.IRC,
    UnitKind.PROVINCIAL: InstanciaLevel.IPC,
    UnitKind.DISTRICT: InstanciaLevel.IDC,
}
