"""What the specialist types in a visit's dialogs: plain values, validated before any write."""

import datetime as dt
import uuid
from dataclasses import dataclass

from instancias_desktop.domain.enums import (
    AgreementState,
    DocumentType,
    NormRole,
    NormType,
    ParticipantRole,
    Sex,
    Stage,
)

# Header and narrative fields of a draft visit that the editor may change, one at a time.
EDITABLE_VISIT_FIELDS = frozenset(
    {
        "visit_date",
        "start_time",
        "end_time",
        "place",
        "place_ubigeo",
        "modality",
        "at_type",
        "objective",
        "agenda",
        "development",
        "instruments",
        "diagnosis",
    }
)


@dataclass(frozen=True)
class ParticipantInput:
    """A participant as typed (or picked from a person already known)."""

    document_type: DocumentType
    document_number: str
    full_name: str
    entity: str
    post: str
    role: ParticipantRole
    consent: bool
    sex: Sex = Sex.UNSTATED
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class AgreementInput:
    """An agreement as typed; its number is assigned by the visit."""

    description: str
    responsible_entity: str
    responsible_person: str
    deadline: dt.date
    verification_means: str = ""
    state: AgreementState = AgreementState.PENDING


@dataclass(frozen=True)
class NormInput:
    """The norm given as evidence of a stage change (e.g. the creating ordinance)."""

    norm_type: NormType
    number: str
    issued_on: dt.date
    issuing_body: str = ""
    role: NormRole = NormRole.CREATES


@dataclass(frozen=True)
class StageEventInput:
    """A new hito recorded from a visit, with its evidence."""

    stage: Stage
    event_date: dt.date
    evidence: str
    norm: NormInput | None = None  # a norm typed with the hito (recorded with it)
    norm_id: uuid.UUID | None = None  # or one of the instancia's norms already recorded
