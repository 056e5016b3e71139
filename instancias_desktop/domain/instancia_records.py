"""The instancia's own record as typed and as shown: members, norms, sessions, instruments.

Inputs are checked here, each message naming the field to fix; limits come from the one
declaration of the synced kinds (``sync.registry_kinds``), so the screen, this check and the
server's check agree.
"""

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace

from instancias_desktop.domain.enums import (
    DocumentType,
    InstanciaLevel,
    InstrumentType,
    NormRole,
    NormType,
    SeatKind,
    SessionType,
)
from instancias_desktop.domain.validation import (
    Collector,
    check_document,
    check_not_future,
    check_required,
    check_text,
    normalize_document_number,
)
from instancias_desktop.i18n import _
from sync.kind_schema import Field
from sync.registry_kinds import INSTANCIA, INSTRUMENT, MEMBER, NORM, SESSION

# The agreed dates of the creation schedule, as the instancia's fields.
SCHEDULE_FIELDS = ("target_creation_on", "target_installation_on", "target_first_session_on")

# The norms each level issues (Ley 27867 arts. 37-38 for regional governments; Ley 27972
# arts. 39-44 for municipalities), then those any level may record.
_REGIONAL = (
    NormType.REGIONAL_ORDINANCE,
    NormType.REGIONAL_COUNCIL_AGREEMENT,
    NormType.REGIONAL_DECREE,
    NormType.REGIONAL_EXECUTIVE_RESOLUTION,
)
_MUNICIPAL = (
    NormType.MUNICIPAL_ORDINANCE,
    NormType.COUNCIL_AGREEMENT,
    NormType.MAYOR_DECREE,
    NormType.MAYOR_RESOLUTION,
)
_ANY_LEVEL = (NormType.RESOLUTION, NormType.OTHER)
NORM_TYPES_BY_LEVEL: dict[InstanciaLevel, tuple[NormType, ...]] = {
    InstanciaLevel.IRC: _REGIONAL + _ANY_LEVEL,
    InstanciaLevel.IPC: _MUNICIPAL + _ANY_LEVEL,
    InstanciaLevel.IDC: _MUNICIPAL + _ANY_LEVEL,
}


def norm_types(level: InstanciaLevel, ubigeo: str) -> tuple[NormType, ...]:
    """The norms the government of an instancia issues, its usual ordinance first.

    Lima Metropolitana (an IRC of province 1501) is a municipality with regional functions:
    it issues municipal ordinances and decrees as well as regional-type instruments.
    """
    if level is InstanciaLevel.IRC and len(ubigeo) == 4:
        return _MUNICIPAL + _REGIONAL + _ANY_LEVEL
    return NORM_TYPES_BY_LEVEL[level]


@dataclass(frozen=True)
class RecordFileView:
    """A file of a norm, a session or an instrument."""

    id: uuid.UUID
    filename: str
    sha256: str
    size_bytes: int
    author: str


@dataclass(frozen=True)
class MemberView:
    """One representative's tenure in a seat of a member entity."""

    id: uuid.UUID
    entity_type_code: str
    entity_name: str
    person_name: str
    seat: SeatKind
    since: dt.date | None
    document_type: DocumentType = DocumentType.DNI
    document_number: str = ""
    post: str = ""
    designation_document: str = ""
    designated_on: dt.date | None = None
    until: dt.date | None = None

    def current(self, day: dt.date) -> bool:
        """Whether the representative held the seat on ``day`` (today: still holds it)."""
        started = self.since is None or self.since <= day
        return started and (self.until is None or self.until > day)


def member_name(member: MemberView) -> str:
    """«Comisaría PNP de Wanchaq — Juan Pérez (titular)»."""
    person = member.person_name or _("sin representante registrado")
    return f"{member.entity_name} — {person} ({member.seat.label.lower()})"


@dataclass(frozen=True)
class NormView:
    """A norm of an instancia, as listed among its documents."""

    id: uuid.UUID
    role: NormRole
    norm_type: NormType
    number: str
    issued_on: dt.date
    issuing_body: str
    files: tuple[RecordFileView, ...] = ()

    @property
    def title(self) -> str:
        """E.g. 'Ordenanza Municipal N° 003-2025-MDPO'."""
        return f"{self.norm_type.label} N° {self.number}"


@dataclass(frozen=True)
class SessionView:
    """A session of the instancia, with who attended."""

    id: uuid.UUID
    held_on: dt.date
    session_type: SessionType
    quorum: bool
    agenda: str
    agreements: str
    acta_reference: str
    attendee_ids: frozenset[uuid.UUID]
    files: tuple[RecordFileView, ...] = ()


@dataclass(frozen=True)
class InstrumentView:
    """A management instrument: reglamento interno, plan or report."""

    id: uuid.UUID
    instrument_type: InstrumentType
    title: str
    norm_id: uuid.UUID | None
    norm_title: str
    approved_on: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    recipient: str
    sent_on: dt.date | None
    note: str
    files: tuple[RecordFileView, ...] = ()


@dataclass(frozen=True)
class MemberInput:
    """A representative in a seat, as typed."""

    entity_type_code: str
    entity_name: str
    seat: SeatKind
    person_name: str = ""
    document_type: DocumentType = DocumentType.DNI
    document_number: str = ""
    post: str = ""
    designation_document: str = ""
    designated_on: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class NormRecordInput:
    """A norm of the instancia, as typed."""

    role: NormRole
    norm_type: NormType
    number: str
    issued_on: dt.date
    issuing_body: str = ""


@dataclass(frozen=True)
class SessionInput:
    """A session, as typed, with the members (tenure ids) who attended."""

    held_on: dt.date
    session_type: SessionType
    quorum: bool
    agenda: str = ""
    agreements: str = ""
    acta_reference: str = ""
    attendee_ids: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class InstrumentInput:
    """An instrument, as typed."""

    instrument_type: InstrumentType
    title: str
    norm_id: uuid.UUID | None = None
    approved_on: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    recipient: str = ""
    sent_on: dt.date | None = None
    note: str = ""


def _label(spec: Mapping[str, Field], name: str) -> str:
    label = spec[name].label
    return label[:1].upper() + label[1:]


def _dates(
    errors: Collector, values: Mapping[str, dt.date | None], spec: Mapping[str, Field]
) -> None:
    """The server's own check of each date (its years), said before anything is stored."""
    for name, day in values.items():
        problem = spec[name].problem(day.isoformat()) if day is not None else None
        if problem is not None:
            errors.add(name, f"«{_label(spec, name)}» {problem}.")


def clean_schedule(dates: Mapping[str, dt.date | None]) -> dict[str, dt.date | None]:
    """The agreed dates of the creation schedule; ValidationError names a date out of range."""
    errors = Collector()
    unknown = set(dates) - set(SCHEDULE_FIELDS)
    for name in sorted(unknown):
        errors.add(name, _("«{name}» no es una fecha del cronograma.").format(name=name))
    _dates(errors, {k: v for k, v in dates.items() if k in SCHEDULE_FIELDS}, INSTANCIA.fields)
    errors.raise_if_any()
    return dict(dates)


def _texts(errors: Collector, values: Mapping[str, str], spec: Mapping[str, Field]) -> None:
    for name, value in values.items():
        errors.add(name, check_text(value, _label(spec, name), spec[name].max_length))


def clean_member(data: MemberInput, known_types: frozenset[str], today: dt.date) -> MemberInput:
    """The member with spaces stripped and its document tidied; ValidationError says what to fix."""
    errors = Collector()
    spec = MEMBER.fields
    if data.entity_type_code not in known_types:
        errors.add("entity_type_code", _("Elija el tipo de entidad de la lista."))
    errors.add("entity_name", check_required(data.entity_name.strip(), _("Entidad")))
    number = normalize_document_number(data.document_number)
    if number:
        errors.add("document_number", check_document(data.document_type, number))
    texts = {
        "entity_name": data.entity_name.strip(),
        "person_name": data.person_name.strip(),
        "post": data.post.strip(),
        "designation_document": data.designation_document.strip(),
    }
    _texts(errors, texts, spec)
    _dates(errors, {"designated_on": data.designated_on, "since": data.since,
                    "until": data.until}, spec)  # fmt: skip
    for name, day in (("designated_on", data.designated_on), ("since", data.since)):
        if day is not None:
            errors.add(name, check_not_future(day, today, _label(spec, name).lower()))
    if data.since and data.until and data.until < data.since:
        errors.add("until", _("«Hasta» no puede ser anterior a «Desde»."))
    errors.raise_if_any()
    return replace(
        data, entity_name=texts["entity_name"], person_name=texts["person_name"],
        post=texts["post"], designation_document=texts["designation_document"],
        document_number=number,
    )  # fmt: skip


def clean_norm(
    data: NormRecordInput, issued: tuple[NormType, ...], today: dt.date
) -> NormRecordInput:
    """The norm stripped; a type its government does not issue, or a future date, is refused.

    ``issued``: what the instancia's government issues (``norm_types``).
    """
    errors = Collector()
    number, body = data.number.strip(), data.issuing_body.strip()
    errors.add("norm_type", _type_problem(data.norm_type, issued))
    errors.add("number", check_required(number, _("Número de la norma")))
    errors.add("number", check_text(number, _("Número de la norma"), 100))
    errors.add("issuing_body", check_text(body, _("Emitida por"), 200))
    errors.add("issued_on", check_not_future(data.issued_on, today, _("fecha de la norma")))
    _dates(errors, {"issued_on": data.issued_on}, NORM.fields)
    errors.raise_if_any()
    return replace(data, number=number, issuing_body=body)


def _type_problem(norm_type: NormType, issued: tuple[NormType, ...]) -> str | None:
    if norm_type in issued:
        return None
    return _("El gobierno de esta instancia no emite «{kind}»; elija uno de la lista.").format(
        kind=norm_type.label
    )


def check_norm_type(norm_type: NormType, issued: tuple[NormType, ...]) -> None:
    """Refuse a type of norm the instancia's government does not issue."""
    errors = Collector()
    errors.add("norm_type", _type_problem(norm_type, issued))
    errors.raise_if_any()


def clean_session(
    data: SessionInput,
    members: Mapping[uuid.UUID, MemberView],
    today: dt.date,
    marked: frozenset[uuid.UUID] = frozenset(),
) -> SessionInput:
    """The session stripped; attendees must have held a seat of the instancia on its date.

    ``marked``: those the stored session already counts present (a correction of another
    field never fails on a tenure recorded differently since).
    """
    errors = Collector()
    spec = SESSION.fields
    texts = {
        "agenda": data.agenda.strip(),
        "agreements": data.agreements.strip(),
        "acta_reference": data.acta_reference.strip(),
    }
    _texts(errors, texts, spec)
    _dates(errors, {"held_on": data.held_on}, spec)
    errors.add("held_on", check_not_future(data.held_on, today, _("fecha de la sesión")))
    if not data.attendee_ids <= members.keys():
        errors.add("attendees", _("Marque como asistentes solo a integrantes de la instancia."))
    elif absent := sorted(
        member_name(members[i])
        for i in data.attendee_ids - marked
        if not members[i].current(data.held_on)
    ):
        errors.add("attendees", _(
            "No ocupaban su puesto el {day}: {names}. Revise la fecha o la vigencia de su "
            "designación en «Integrantes»."
        ).format(day=data.held_on.strftime("%d/%m/%Y"), names="; ".join(absent)))  # fmt: skip
    errors.raise_if_any()
    return replace(
        data, agenda=texts["agenda"], agreements=texts["agreements"],
        acta_reference=texts["acta_reference"],
    )  # fmt: skip


def clean_instrument(
    data: InstrumentInput, norms: frozenset[uuid.UUID], today: dt.date
) -> InstrumentInput:
    """The instrument stripped; its period must run forward and its norm be the instancia's."""
    errors = Collector()
    spec = INSTRUMENT.fields
    texts = {
        "title": data.title.strip(),
        "recipient": data.recipient.strip(),
        "note": data.note.strip(),
    }
    errors.add("title", check_required(texts["title"], _("Título")))
    _texts(errors, texts, spec)
    dates = ("approved_on", "period_start", "period_end", "sent_on")
    _dates(errors, {name: getattr(data, name) for name in dates}, spec)
    if data.norm_id is not None and data.norm_id not in norms:
        errors.add("norm_id", _("Elija una norma registrada de esta instancia."))
    for name in ("approved_on", "sent_on"):
        day = getattr(data, name)
        if day is not None:
            errors.add(name, check_not_future(day, today, _label(spec, name).lower()))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        errors.add("period_end", _("El periodo termina antes de empezar: revise sus fechas."))
    plan = data.instrument_type in (InstrumentType.WORK_PLAN, InstrumentType.ACTION_PLAN)
    for name in ("period_start", "period_end"):
        if plan and getattr(data, name) is None:
            errors.add(name, _("Un plan cubre un periodo: indique desde y hasta (anual o más)."))
    if data.instrument_type is InstrumentType.REPORT and not texts["recipient"]:
        errors.add("recipient", _("Diga a quién se dirigió el informe."))
    errors.raise_if_any()
    return replace(data, title=texts["title"], recipient=texts["recipient"], note=texts["note"])
