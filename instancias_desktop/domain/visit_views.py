"""Read models of visits and of one instancia's page: immutable, assembled for screens."""

from __future__ import annotations  # the instancia's record types below are only named

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from instancias_desktop.domain.entities import Visit
from instancias_desktop.domain.enums import (
    ActaState,
    AgreementState,
    AttachmentKind,
    AtType,
    DocumentType,
    InstanciaLevel,
    Modality,
    ParticipantRole,
    QrCheck,
    SendState,
    Sex,
    Stage,
    VisitStatus,
)
from instancias_desktop.domain.readmodels import InstanciaSummary

if TYPE_CHECKING:  # kept off the first paint: the registry needs none of them
    from instancias_desktop.domain.instancia_records import (
        InstrumentView,
        MemberView,
        NormView,
        SessionView,
    )
    from instancias_desktop.domain.instancia_standing import Milestone
    from instancias_desktop.domain.membership import MemberEntityType


def acta_state(status: VisitStatus, signed: bool) -> ActaState:
    """Borrador → finalizada → firmada (a live signed copy attached)."""
    if status is VisitStatus.DRAFT:
        return ActaState.DRAFT
    return ActaState.SIGNED if signed else ActaState.FINALIZED


@dataclass(frozen=True)
class VisitSummary:
    """One line of a visits list."""

    id: uuid.UUID
    acta_number: str
    visit_date: dt.date
    instancia_id: uuid.UUID
    instancia_name: str
    level: InstanciaLevel
    territory: str
    at_type: AtType
    modality: Modality
    status: VisitStatus
    participant_count: int
    agreement_count: int
    author: str
    is_addendum: bool
    # None: neither sent nor received (only on this laptop, e.g. demo data)
    send_state: SendState | None = None
    signed: bool = False  # a live signed copy is attached

    @property
    def acta_state(self) -> ActaState:
        """Borrador, finalizada (por firmar) or firmada."""
        return acta_state(self.status, self.signed)


@dataclass(frozen=True)
class ParticipantView:
    """A participant with the identity of the person, in the order of the attendance list."""

    id: uuid.UUID
    person_id: uuid.UUID
    position: int
    full_name: str
    document_type: DocumentType
    document_number: str
    sex: Sex
    phone: str
    email: str
    entity: str
    post: str
    role: ParticipantRole
    consent: bool


@dataclass(frozen=True)
class AgreementView:
    """An agreement with its stored state and the state to show (``vencido`` derived)."""

    id: uuid.UUID
    visit_id: uuid.UUID
    acta_number: str
    visit_date: dt.date
    number: int
    description: str
    responsible_entity: str
    responsible_person: str
    deadline: dt.date
    verification_means: str
    stored_state: AgreementState
    state: AgreementState
    send_state: SendState | None = None  # None: neither sent nor received


@dataclass(frozen=True)
class AttachmentView:
    """An annex of a visit."""

    id: uuid.UUID
    kind: AttachmentKind
    filename: str
    sha256: str
    size_bytes: int
    media_type: str
    added_at: dt.datetime
    send_state: SendState | None = None  # «pendiente de envío» until its file went too


@dataclass(frozen=True)
class SignedCopyView:
    """The signed paper of a finalized acta, as attached (one PDF)."""

    id: uuid.UUID
    filename: str
    sha256: str
    size_bytes: int
    page_count: int
    qr_check: QrCheck
    qr_code: str  # the code read from the paper ("" when none was legible)
    attached_at: dt.datetime
    author: str
    send_state: SendState | None = None  # «pendiente de envío» until its file went too


@dataclass(frozen=True)
class StageEventView:
    """A hito of the stage history, with the visit that recorded it, if any."""

    id: uuid.UUID
    stage: Stage
    event_date: dt.date
    evidence: str
    norm_title: str
    acta_number: str
    author: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class InstanciaDetail:
    """Everything the instancia page shows."""

    summary: InstanciaSummary
    chair_name: str
    chair_post: str
    secretariat_unit: str
    secretariat_person: str
    history: tuple[StageEventView, ...]
    members: tuple[MemberView, ...]
    norms: tuple[NormView, ...]
    visits: tuple[VisitSummary, ...]
    agreements: tuple[AgreementView, ...]
    sessions: tuple[SessionView, ...] = ()
    instruments: tuple[InstrumentView, ...] = ()
    entity_types: tuple[MemberEntityType, ...] = ()  # of the instancia's level
    composition_gaps: tuple[str, ...] = ()
    schedule: tuple[Milestone, ...] = ()
    today: dt.date | None = None  # the day the detail was read (what is current)

    def member(self, member_id: uuid.UUID) -> MemberView | None:
        """One of its tenures by id."""
        return next((m for m in self.members if m.id == member_id), None)


@dataclass(frozen=True)
class VisitDetail:
    """A visit with everything its editor shows."""

    visit: Visit
    instancia: InstanciaSummary
    author: str
    finalized_at: dt.datetime | None
    addendum_of_number: str
    addenda: tuple[str, ...]
    participants: tuple[ParticipantView, ...]
    agreements: tuple[AgreementView, ...]
    attachments: tuple[AttachmentView, ...]
    stage_events: tuple[StageEventView, ...]
    signed_copies: tuple[SignedCopyView, ...] = ()  # newest first
    by_me: bool = True  # recorded by the profile's user (only she appends its signed copy)
    norms: tuple[NormView, ...] = ()  # the instancia's, offered as a hito's evidence

    @property
    def finalized(self) -> bool:
        """Whether the acta is closed for good."""
        return self.visit.status is VisitStatus.FINALIZED

    @property
    def acta_state(self) -> ActaState:
        """Borrador, finalizada (por firmar) or firmada."""
        return acta_state(self.visit.status, bool(self.signed_copies))


@dataclass(frozen=True)
class PersonMatch:
    """A person known from earlier visits, offered so the specialist need not type them again."""

    id: uuid.UUID
    document_type: DocumentType
    document_number: str
    full_name: str
    sex: Sex
    phone: str
    email: str
    last_entity: str
    last_post: str
    last_role: ParticipantRole | None
