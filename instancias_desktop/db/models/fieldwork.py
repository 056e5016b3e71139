"""Field work: visits (actas), participants and their identities, agreements, checklist, annexes."""

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.types import UtcDateTime, enum_column
from instancias_desktop.domain.enums import (
    AgreementState,
    Answer,
    AttachmentKind,
    AtType,
    DocumentType,
    Modality,
    ParticipantRole,
    QrCheck,
    Sex,
    VisitStatus,
)
from sync.kinds import SIGNED_COPY


class PersonRow(Syncable, Base):
    """A participant identity shared by visits; a merged duplicate points to its survivor."""

    __tablename__ = "person"

    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType))
    document_number: Mapped[str] = mapped_column(String(20), index=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex), default=Sex.UNSTATED)
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    alias_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"), default=None)
    # Folded "name document" for accent-insensitive search (domain.text.fold); kept by the writer.
    search_key: Mapped[str] = mapped_column(String(240), default="")


class VisitRow(Syncable, Base):
    """A technical-assistance visit: the acta's header and narrative parts."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_acta_series_year", "acta_series", "acta_year"),
        Index("ix_visit_acta_code", "acta_code"),
        Index("ix_visit_registry_figures", "instancia_id", "deleted", "visit_date"),
        Index("ix_visit_addendum_of", "addendum_of"),
    )

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    acta_number: Mapped[str] = mapped_column(String(80), unique=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    end_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String(200))
    place_ubigeo: Mapped[str] = mapped_column(ForeignKey("territory.code"))
    modality: Mapped[Modality] = mapped_column(enum_column(Modality))
    at_type: Mapped[AtType] = mapped_column(enum_column(AtType))
    objective: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    development: Mapped[str] = mapped_column(Text, default="")
    instruments: Mapped[str] = mapped_column(Text, default="")
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus), default=VisitStatus.DRAFT)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    addendum_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), default=None)
    acta_series: Mapped[str] = mapped_column(String(20), default="")
    acta_year: Mapped[int] = mapped_column(Integer, default=0)
    acta_sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Set once, when the acta is finalized: what it says, its SHA-256 and the printed code.
    acta_content: Mapped[str] = mapped_column(Text, default="")
    acta_hash: Mapped[str] = mapped_column(String(64), default="")
    acta_code: Mapped[str] = mapped_column(String(20), default="")


class ParticipantRow(Syncable, Base):
    """A person's presence at a visit, with the entity, post and role of that day."""

    __tablename__ = "participant"
    # Counting the live participants of every visit reads this index alone.
    __table_args__ = (Index("ix_participant_visit_live", "visit_id", "deleted"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(200))
    post: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)


class AgreementRow(Syncable, Base):
    """A commitment of a visit; 'vencido' is derived when read, never stored."""

    __tablename__ = "agreement"
    # The number orders an acta's agreements; it is not unique (two laptops may add the same
    # one offline): the acta numbers them 1, 2, 3… by (number, id), the same on every laptop.
    __table_args__ = (Index("ix_agreement_visit_live", "visit_id", "deleted"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    responsible_entity: Mapped[str] = mapped_column(String(200))
    responsible_person: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    verification_means: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[AgreementState] = mapped_column(
        enum_column(AgreementState), default=AgreementState.PENDING
    )


class ActaCounterRow(Base):
    """The last sequence handed out per series and year; it only grows (local, not synced)."""

    __tablename__ = "acta_counter"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class ChecklistResponseRow(Syncable, Base):
    """The answer to one checklist item in one visit."""

    __tablename__ = "checklist_response"
    __table_args__ = (UniqueConstraint("visit_id", "item_code"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(60))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer))
    evidence_type: Mapped[str] = mapped_column(String(100), default="")
    evidence_number: Mapped[str] = mapped_column(String(100), default="")
    evidence_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    option: Mapped[str] = mapped_column(String(60), default="")  # the option of a choice item
    evidence_attachment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("attachment.id"), default=None
    )


class AttachmentRow(Syncable, Base):
    """An annexed file of a visit, content-addressed by SHA-256."""

    __tablename__ = "attachment"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    kind: Mapped[AttachmentKind] = mapped_column(enum_column(AttachmentKind))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))


class SignedCopyRow(Syncable, Base):
    """The signed paper of a finalized acta, as one PDF: appended, never edited."""

    __tablename__ = SIGNED_COPY.name

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    page_count: Mapped[int] = mapped_column(Integer)
    qr_check: Mapped[QrCheck] = mapped_column(enum_column(QrCheck))
    qr_code: Mapped[str] = mapped_column(String(20), default="")
    attached_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
