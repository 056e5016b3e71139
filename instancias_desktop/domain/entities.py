"""Entities of the registry and of the field work, as immutable values with their identity."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from instancias_desktop.domain.enums import (
    AgreementState,
    Answer,
    AttachmentKind,
    AtType,
    DocumentType,
    InstanciaLevel,
    Modality,
    NormRole,
    NormType,
    ParticipantRole,
    SeatKind,
    Sex,
    Stage,
    UnitKind,
    UserRole,
    VisitStatus,
)


def new_id() -> uuid.UUID:
    """A client-generated identifier, unique across every laptop without coordination."""
    return uuid.uuid4()


@dataclass(frozen=True)
class GovernmentUnit:
    """A government that must create and chair an instancia (catalogue, keyed by a stable code)."""

    code: str
    kind: UnitKind
    name: str
    ubigeo: str


@dataclass(frozen=True)
class Instancia:
    """An Instancia de Concertación of one government unit; its stage is derived from its events."""

    level: InstanciaLevel
    unit_code: str
    name: str
    chair_name: str = ""
    chair_post: str = ""
    secretariat_unit: str = ""
    secretariat_person: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class StageEvent:
    """A dated change of stage (hito) with its evidence; append-only."""

    instancia_id: uuid.UUID
    stage: Stage
    event_date: dt.date
    evidence: str = ""
    norm_id: uuid.UUID | None = None
    visit_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Norm:
    """A legal instrument about an instancia: creation, amendment, repeal or internal rules."""

    instancia_id: uuid.UUID
    role: NormRole
    norm_type: NormType
    number: str
    issued_on: dt.date
    issuing_body: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Member:
    """A seat in the instancia held by an entity (integrante), titular or alternate."""

    instancia_id: uuid.UUID
    entity_type_code: str
    entity_name: str
    person_name: str = ""
    seat: SeatKind = SeatKind.TITULAR
    since: dt.date | None = None
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Specialist:
    """A user of the app: a specialist in the field or a supervisor."""

    username: str
    full_name: str
    role: UserRole = UserRole.SPECIALIST
    series_code: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class TerritoryAssignment:
    """A territory (ubigeo prefix) assigned to a specialist."""

    specialist_id: uuid.UUID
    ubigeo_prefix: str
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Person:
    """A participant's identity, shared across visits; duplicates merge by document."""

    document_type: DocumentType
    document_number: str
    full_name: str
    sex: Sex = Sex.UNSTATED
    phone: str = ""
    email: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Visit:
    """A technical-assistance visit and the header of its acta."""

    instancia_id: uuid.UUID
    acta_number: str
    visit_date: dt.date
    start_time: dt.time | None  # empty in a new draft until she types it
    end_time: dt.time | None
    place: str
    place_ubigeo: str
    modality: Modality
    at_type: AtType
    objective: str = ""
    agenda: str = ""
    development: str = ""
    instruments: str = ""
    diagnosis: str = ""
    status: VisitStatus = VisitStatus.DRAFT
    addendum_of: uuid.UUID | None = None
    # The parts the acta number was made from: the next number of a series never repeats one.
    acta_series: str = ""
    acta_year: int = 0
    acta_sequence: int = 0
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Participant:
    """A person present at a visit, in the role and post they held that day."""

    visit_id: uuid.UUID
    person_id: uuid.UUID
    position: int
    entity: str
    post: str
    role: ParticipantRole
    consent: bool
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Agreement:
    """A commitment reached in a visit; OVERDUE is derived, never stored."""

    visit_id: uuid.UUID
    number: int
    description: str
    responsible_entity: str
    responsible_person: str
    deadline: dt.date
    verification_means: str = ""
    state: AgreementState = AgreementState.PENDING
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class ChecklistResponse:
    """The answer to one checklist item in one visit, with its evidence."""

    visit_id: uuid.UUID
    item_code: str
    answer: Answer
    evidence_type: str = ""
    evidence_number: str = ""
    evidence_date: dt.date | None = None
    note: str = ""
    option: str = ""
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Checklist:
    """A visit's checklist, pinned to the definition version it was started with."""

    visit_id: uuid.UUID
    form_id: str
    form_version: int
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Attachment:
    """A file annexed to a visit, addressed by the SHA-256 of its content."""

    visit_id: uuid.UUID
    kind: AttachmentKind
    filename: str
    sha256: str
    size_bytes: int
    media_type: str
    id: uuid.UUID = field(default_factory=new_id)
