"""The one declaration of every record kind that travels between the laptops and the server.

The server checks every operation against it before deciding anything; the app's outbox sends
the fields declared here (and no other column), applies pulled records parents first in the
order declared here, and checks what it receives the same way. Adding a kind means adding one
entry to ``KINDS`` (and its table in the app). Standard library only.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from sync.kind_fields import (
    DOCUMENT_TYPES,
    INT32,
    LONG_TEXT,
    SHA256,
    choice,
    date,
    fields,
    flag,
    number,
    ref,
    text,
)
from sync.kind_schema import Field, FieldType, Kind, Writers
from sync.registry_kinds import (
    ATTENDANCE,
    INSTANCIA,
    INSTRUMENT,
    INSTRUMENT_TYPES,
    MAX_FILE_BYTES,
    MEMBER,
    MML_SCOPE,
    MML_UNIT,
    NORM,
    NORM_ROLES,
    NORM_TYPES,
    RECORD_FILE,
    REGISTRY_KINDS,
    SEATS,
    SESSION,
    SESSION_TYPES,
    attendance_id,
    instancia_id,
    unit_scope,
)

__all__ = [
    "ACTA_TEXT",
    "AGREEMENT",
    "AGREEMENT_STATES",
    "ALIAS_FIELD",
    "ANSWERS",
    "ATTACHMENT",
    "ATTACHMENT_KINDS",
    "ATTENDANCE",
    "AT_TYPES",
    "CHECKLIST",
    "CHECKLIST_IDS",
    "CHECKLIST_RESPONSE",
    "DOCUMENT_TYPES",
    "DRAFT",
    "FINALIZED",
    "FOLLOW_UP",
    "INSTANCIA",
    "INSTRUMENT",
    "INSTRUMENT_TYPES",
    "INT32",
    "KINDS",
    "LEVELS",
    "LONG_TEXT",
    "MAX_ATTACHMENT_BYTES",
    "MAX_FILE_BYTES",
    "MEMBER",
    "MML_SCOPE",
    "MML_UNIT",
    "MODALITIES",
    "NORM",
    "NORM_ROLES",
    "NORM_TYPES",
    "PARTICIPANT",
    "PARTICIPANT_ROLES",
    "PDF",
    "PERSON",
    "PLAN_ENTRY",
    "QR_CHECKS",
    "QR_MATCHES",
    "QR_OTHER",
    "QR_UNREADABLE",
    "RECORD_FILE",
    "REGISTRY_KINDS",
    "SEAL_FIELDS",
    "SEATS",
    "SESSION",
    "SESSION_TYPES",
    "SEXES",
    "SHA256",
    "SIGNED_COPY",
    "STAGES",
    "STAGE_EVENT",
    "STATUS_FIELD",
    "UBIGEO",
    "VISIT",
    "VISIT_STATUSES",
    "after_seal",
    "answer_id",
    "attendance_id",
    "checklist_id",
    "choice",
    "date",
    "fields",
    "flag",
    "instancia_id",
    "is_finalized",
    "kind_of",
    "number",
    "ref",
    "split_seal",
    "text",
    "unit_scope",
]

# ----------------------------------------------------------------------------- vocabularies
# The values stored on the wire; the app's enums carry the Spanish labels (a test keeps both
# equal).
LEVELS = ("IRC", "IPC", "IDC")
STAGES = ("no_creada", "creada", "instalada", "en_funcionamiento", "inactiva", "reactivada")
MODALITIES = ("presencial", "virtual")
AT_TYPES = ("creacion", "instalacion", "funcionamiento", "seguimiento", "reactivacion")
SEXES = ("F", "M", "X")
PARTICIPANT_ROLES = ("presidencia", "secretaria_tecnica", "integrante", "invitado", "mimp")
# «vencido» is derived from the deadline when read, never stored.
AGREEMENT_STATES = ("pendiente", "en_proceso", "cumplido", "reprogramado", "anulado")
ANSWERS = ("si", "parcial", "no", "no_aplica")
DRAFT, FINALIZED = "borrador", "finalizada"
VISIT_STATUSES = (DRAFT, FINALIZED)
ATTACHMENT_KINDS = ("acta_firmada", "lista_asistencia", "foto", "documento")
# What the QR code on a signed copy said: this acta's code, another code, or nothing legible.
QR_MATCHES, QR_OTHER, QR_UNREADABLE = "coincide", "otro_codigo", "ilegible"
QR_CHECKS = (QR_MATCHES, QR_OTHER, QR_UNREADABLE)
PDF = "application/pdf"  # a signed copy's pages, combined into one file

MAX_ATTACHMENT_BYTES = MAX_FILE_BYTES
ACTA_TEXT = 4_000_000  # the sealed content of a finalized acta
UBIGEO = r"[0-9]{2}|[0-9]{4}|[0-9]{6}"

# ------------------------------------------------------------------------------ derived ids
# Every laptop and the server give these records the same id, derived from what they are, so
# two laptops that create "the same" record meet on the server as one. Never change them.
CHECKLIST_IDS = uuid.UUID("0c6f0a57-3d1e-4b59-9f0e-2b8f6f2f8a11")


def checklist_id(visit_id: uuid.UUID) -> uuid.UUID:
    """The id of a visit's checklist."""
    return uuid.uuid5(CHECKLIST_IDS, f"checklist:{visit_id}")


def answer_id(visit_id: uuid.UUID, item_code: str) -> uuid.UUID:
    """The id of a visit's answer to one checklist item."""
    return uuid.uuid5(CHECKLIST_IDS, f"answer:{visit_id}:{item_code}")


def _text(key: Mapping[str, Any], name: str) -> str | None:
    value = key.get(name)
    return value if isinstance(value, str) else None


def _visit_uuid(key: Mapping[str, Any]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(key.get("visit_id")))
    except ValueError:
        return None


def _checklist_of(key: Mapping[str, Any]) -> uuid.UUID | None:
    visit = _visit_uuid(key)
    return checklist_id(visit) if visit is not None else None


def _answer_of(key: Mapping[str, Any]) -> uuid.UUID | None:
    visit, item = _visit_uuid(key), _text(key, "item_code")
    return answer_id(visit, item) if visit is not None and item is not None else None


# ------------------------------------------------------------------------------------ kinds

PERSON = Kind(
    "person", "Persona",
    fields(
        document_type=choice("tipo de documento", DOCUMENT_TYPES),
        document_number=text("número de documento", 20, required=True),
        full_name=text("nombre completo", 200, required=True),
        sex=choice("sexo", SEXES, default="X"),
        phone=text("teléfono", 20),
        email=text("correo electrónico", 200),
        # Set by the server only: this person is another record of someone already held.
        alias_of=ref("misma persona que", "person", required=False, fixed=False,
                     server_only=True),
    ),
    local_columns=frozenset({"search_key"}),  # folded by each laptop for its searches
    apply_order=1,
)  # fmt: skip
VISIT = Kind(
    "visit", "Acta",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        acta_number=text("número de acta", 80, required=True, fixed=True, unique=True),
        visit_date=date("fecha de la visita"),
        start_time=Field(FieldType.TIME, "hora de inicio", nullable=True),
        end_time=Field(FieldType.TIME, "hora de término", nullable=True),
        place=text("lugar", 200, required=True),
        place_ubigeo=text("ubigeo del lugar", 6, required=True, pattern=UBIGEO,
                          catalogue="territory"),
        modality=choice("modalidad", MODALITIES),
        at_type=choice("tipo de asistencia", AT_TYPES),
        objective=text("objetivo", LONG_TEXT),
        agenda=text("agenda", LONG_TEXT),
        development=text("desarrollo", LONG_TEXT),
        instruments=text("instrumentos entregados", LONG_TEXT),
        diagnosis=text("diagnóstico", LONG_TEXT),
        status=choice("estado del acta", VISIT_STATUSES, default=DRAFT),
        finalized_at=Field(FieldType.INSTANT, "finalizada el", nullable=True),
        # The finalized acta this one corrects: the only path to a sealed acta.
        addendum_of=ref("adenda de", "visit", required=False, sealed_target=True),
        acta_series=text("serie del número de acta", 20),
        acta_year=number("año del número de acta", 9999, default=0, required=False),
        acta_sequence=number("correlativo del acta", INT32, default=0, required=False),
        acta_content=text("contenido sellado del acta", ACTA_TEXT),
        acta_hash=text("huella del acta", 64, pattern=f"|{SHA256}"),
        acta_code=text("código de verificación", 20),
    ),
    scope_from="instancia_id", apply_order=2,
)  # fmt: skip
PARTICIPANT = Kind(
    "participant", "Participante",
    fields(
        visit_id=ref("acta", VISIT.name),
        person_id=ref("persona", PERSON.name, fixed=False),
        position=number("orden", 100_000),
        entity=text("entidad", 200, required=True),
        post=text("cargo", 200),
        role=choice("rol en la instancia", PARTICIPANT_ROLES),
        consent=flag("consentimiento"),
    ),
    parent="visit_id", scope_from="visit_id",
)  # fmt: skip
AGREEMENT = Kind(
    "agreement", "Acuerdo",
    fields(
        visit_id=ref("acta", VISIT.name),
        # Orders the acta's agreements; not unique (two laptops may add the same number): the
        # acta numbers them 1, 2, 3… by (number, id), the same on every laptop.
        number=number("número", 100_000, minimum=1),
        description=text("descripción", LONG_TEXT, required=True),
        responsible_entity=text("entidad responsable", 200, required=True),
        responsible_person=text("persona responsable", 200),
        deadline=date("plazo"),
        verification_means=text("medio de verificación", LONG_TEXT),
        state=choice("estado", AGREEMENT_STATES, default="pendiente"),
    ),
    parent="visit_id", scope_from="visit_id",
)  # fmt: skip
ATTACHMENT = Kind(
    "attachment", "Anexo",
    fields(
        visit_id=ref("acta", VISIT.name),
        kind=choice("tipo de anexo", ATTACHMENT_KINDS),
        filename=text("nombre del archivo", 255, required=True),
        sha256=text("huella SHA-256", 64, required=True, fixed=True, pattern=SHA256),
        size_bytes=number("tamaño (bytes)", MAX_ATTACHMENT_BYTES),
        media_type=text("tipo de contenido", 100, required=True),
    ),
    parent="visit_id", scope_from="visit_id", file_field="sha256",
)  # fmt: skip
SIGNED_COPY = Kind(
    "signed_copy", "Copia firmada del acta",
    fields(
        visit_id=ref("acta", VISIT.name),
        filename=text("nombre del archivo", 255, required=True, fixed=True),
        sha256=text("huella SHA-256", 64, required=True, fixed=True, pattern=SHA256),
        size_bytes=number("tamaño (bytes)", MAX_ATTACHMENT_BYTES),
        media_type=text("tipo de contenido", 100, required=True, pattern=PDF),  # one PDF
        page_count=number("páginas", 1_000, minimum=1),
        qr_check=choice("lectura del código QR", QR_CHECKS),
        qr_code=text("código leído", 20),
        attached_at=Field(FieldType.INSTANT, "adjuntada el", required=True),
    ),
    # Appended to the sealed acta by its author, never edited (withdrawn by a delete); the
    # sealed content itself never changes.
    parent="visit_id", scope_from="visit_id", append_only=True, after_seal=True,
    file_field="sha256", apply_order=5,
)  # fmt: skip
CHECKLIST = Kind(
    "checklist", "Lista de verificación",
    fields(
        visit_id=ref("acta", VISIT.name),
        form_id=text("ficha", 60, required=True, catalogue="form_definition"),
        form_version=number("versión de la ficha", INT32, minimum=1),
    ),
    parent="visit_id", scope_from="visit_id", derive_id=_checklist_of, apply_order=3,
)  # fmt: skip
CHECKLIST_RESPONSE = Kind(
    "checklist_response", "Respuesta de la lista de verificación",
    fields(
        visit_id=ref("acta", VISIT.name),
        item_code=text("ítem", 60, required=True, fixed=True),
        answer=choice("respuesta", ANSWERS),
        evidence_type=text("medio de verificación (tipo)", 100),
        evidence_number=text("medio de verificación (número)", 100),
        evidence_date=date("medio de verificación (fecha)", required=False),
        note=text("nota", LONG_TEXT),
        option=text("opción elegida", 60),
        evidence_attachment_id=ref("anexo de sustento", ATTACHMENT.name, required=False,
                                   fixed=False, same_parent=True),
    ),
    parent="visit_id", scope_from="visit_id", derive_id=_answer_of, apply_order=5,
)  # fmt: skip
STAGE_EVENT = Kind(
    "stage_event", "Hito",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        stage=choice("estado de la instancia", STAGES),
        event_date=date("fecha del hito"),
        evidence=text("sustento", 200),
        norm_id=ref("norma", NORM.name, required=False, same_scope=True),
        visit_id=ref("acta en que se registró", VISIT.name, required=False, same_scope=True),
        # Orders events of one date: the server's to set (a client sends null).
        sequence=Field(FieldType.INTEGER, "orden del día", nullable=True, maximum=INT32,
                       server_only=True),
    ),
    writers=Writers.TERRITORY, parent="visit_id", scope_from="instancia_id", append_only=True,
    apply_order=3,
)  # fmt: skip
FOLLOW_UP = Kind(
    "agreement_follow_up", "Seguimiento de acuerdo",
    fields(
        agreement_id=ref("acuerdo", AGREEMENT.name),
        visit_id=ref("acta en que se registró", VISIT.name, required=False, same_scope=True),
        recorded_on=date("fecha del seguimiento"),
        recorded_at=Field(FieldType.INSTANT, "registrado el", required=True),
        state=choice("estado del acuerdo", AGREEMENT_STATES),
        new_deadline=date("nuevo plazo", required=False),
        evidence=text("sustento", 200),
        note=text("nota", LONG_TEXT),
    ),
    writers=Writers.TERRITORY, parent="visit_id", scope_from="agreement_id", append_only=True,
    apply_order=5,
)  # fmt: skip
PLAN_ENTRY = Kind(
    "plan_entry", "Visita planificada",
    fields(
        instancia_id=ref("instancia", INSTANCIA.name),
        planned_on=date("fecha planificada"),
        position=number("orden en el día", INT32, minimum=1, default=1, required=False),
        note=text("nota", LONG_TEXT),
    ),
    # Her own plan: only she changes it; her laptops receive it (others' are kept, not shown).
    # The draft started from an entry stays a local link: a visit pointer that is not a
    # visit's parent would be a path to a sealed acta.
    writers=Writers.AUTHOR, scope_from="instancia_id", local_columns=frozenset({"visit_id"}),
    apply_order=5,
)  # fmt: skip

KINDS: Mapping[str, Kind] = {
    kind.name: kind
    for kind in (
        *REGISTRY_KINDS, PERSON, VISIT, PARTICIPANT, AGREEMENT, ATTACHMENT, CHECKLIST,
        CHECKLIST_RESPONSE, STAGE_EVENT, FOLLOW_UP, PLAN_ENTRY, SIGNED_COPY,
    )
}  # fmt: skip
ALIAS_FIELD = "alias_of"  # person: set by the server when another person holds the document
STATUS_FIELD = "status"  # visit: «finalizada» seals the acta and everything that hangs from it


def kind_of(name: str) -> Kind | None:
    """The declaration of a kind, or None when no such kind travels."""
    return KINDS.get(name)


def is_finalized(kind: str, fields: Mapping[str, Any]) -> bool:
    """Whether these are the fields of a finalized (sealed) acta."""
    return kind == VISIT.name and fields.get(STATUS_FIELD) == FINALIZED


def after_seal(kind: str) -> bool:
    """Whether records of this kind hang only from a finalized acta (the signed copy)."""
    spec = KINDS.get(kind)
    return spec is not None and spec.after_seal


# What finalizing writes on a visit: the status and the seal over what hangs from it.
SEAL_FIELDS = (STATUS_FIELD, "finalized_at", "acta_content", "acta_hash", "acta_code")


def split_seal(kind: str, fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A finalized acta as its draft (unsealed) and the seal to put on it afterwards.

    The server refuses anything under a sealed acta, so an acta sent anew with its parts
    (a refused one, re-sent) goes as a draft first, its parts next, and the seal last.
    Fields of any other record come back whole, with no seal.
    """
    if not is_finalized(kind, fields):
        return dict(fields), {}
    defaults = KINDS[kind].defaults()
    draft = {k: (defaults.get(k) if k in SEAL_FIELDS else v) for k, v in fields.items()}
    return draft, {k: fields[k] for k in SEAL_FIELDS if k in fields}
