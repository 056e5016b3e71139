"""The instancia registry: instancias, their stage history, norms, members; and the specialists."""

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.types import enum_column
from instancias_desktop.domain.enums import (
    DocumentType,
    InstanciaLevel,
    InstrumentType,
    NormRole,
    NormType,
    SeatKind,
    SessionType,
    Stage,
    UserRole,
)


class InstanciaRow(Syncable, Base):
    """One instancia per government unit; the stage is derived from stage_event."""

    __tablename__ = "instancia"

    level: Mapped[InstanciaLevel] = mapped_column(enum_column(InstanciaLevel), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("government_unit.code"), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_post: Mapped[str] = mapped_column(String(200), default="")
    secretariat_unit: Mapped[str] = mapped_column(String(200), default="")
    secretariat_person: Mapped[str] = mapped_column(String(200), default="")
    target_creation_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    target_installation_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    target_first_session_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


class NormRow(Syncable, Base):
    """A norm that creates, amends, repeals or regulates an instancia."""

    __tablename__ = "norm"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    role: Mapped[NormRole] = mapped_column(enum_column(NormRole))
    norm_type: Mapped[NormType] = mapped_column(enum_column(NormType))
    number: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issuing_body: Mapped[str] = mapped_column(String(200), default="")


class StageEventRow(Syncable, Base):
    """A dated change of stage (hito); rows are appended, never edited."""

    __tablename__ = "stage_event"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    event_date: Mapped[dt.date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(String(200), default="")
    norm_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("norm.id"), default=None)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), default=None)
    # Server order for events of the same date; None until the server assigns it.
    sequence: Mapped[int | None] = mapped_column(Integer, default=None)


class MemberRow(Syncable, Base):
    """One representative's tenure in a seat of a member entity; ``until`` ends it."""

    __tablename__ = "member"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    entity_type_code: Mapped[str] = mapped_column(String(60))
    entity_name: Mapped[str] = mapped_column(String(200))
    person_name: Mapped[str] = mapped_column(String(200), default="")
    seat: Mapped[SeatKind] = mapped_column(enum_column(SeatKind), default=SeatKind.TITULAR)
    since: Mapped[dt.date | None] = mapped_column(Date, default=None)
    document_type: Mapped[DocumentType] = mapped_column(
        enum_column(DocumentType), default=DocumentType.DNI
    )
    document_number: Mapped[str] = mapped_column(String(20), default="")
    post: Mapped[str] = mapped_column(String(200), default="")
    designation_document: Mapped[str] = mapped_column(String(200), default="")
    designated_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    until: Mapped[dt.date | None] = mapped_column(Date, default=None)


class SessionRow(Syncable, Base):
    """A session the instancia held."""

    __tablename__ = "instancia_session"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    session_type: Mapped[SessionType] = mapped_column(
        enum_column(SessionType), default=SessionType.ORDINARY
    )
    quorum: Mapped[bool] = mapped_column(Boolean, default=False)
    agenda: Mapped[str] = mapped_column(Text, default="")
    agreements: Mapped[str] = mapped_column(Text, default="")
    acta_reference: Mapped[str] = mapped_column(String(200), default="")


class AttendanceRow(Syncable, Base):
    """A member present at a session (its id derives from both)."""

    __tablename__ = "session_attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia_session.id"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id"))


class InstrumentRow(Syncable, Base):
    """A management instrument: reglamento interno, plan de trabajo o de acción, informe."""

    __tablename__ = "instrument"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    instrument_type: Mapped[InstrumentType] = mapped_column(enum_column(InstrumentType))
    title: Mapped[str] = mapped_column(String(200))
    norm_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("norm.id"), default=None)
    approved_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    period_start: Mapped[dt.date | None] = mapped_column(Date, default=None)
    period_end: Mapped[dt.date | None] = mapped_column(Date, default=None)
    recipient: Mapped[str] = mapped_column(String(200), default="")
    sent_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class SpecialistRow(Syncable, Base):
    """A user: specialist or supervisor; series_code keeps acta numbers unique per person."""

    __tablename__ = "specialist"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.SPECIALIST)
    series_code: Mapped[str] = mapped_column(String(20), default="")


class TerritoryAssignmentRow(Syncable, Base):
    """A territory (ubigeo prefix) assigned to a specialist."""

    __tablename__ = "territory_assignment"
    __table_args__ = (UniqueConstraint("specialist_id", "ubigeo_prefix"),)

    specialist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("specialist.id"), index=True)
    ubigeo_prefix: Mapped[str] = mapped_column(String(6))


class RecordFileRow(Syncable, Base):
    """The file of a norm, a session or an instrument, content-addressed by SHA-256."""

    __tablename__ = "instancia_file"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    norm_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("norm.id"), default=None)
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("instancia_session.id"), default=None
    )
    instrument_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("instrument.id"), default=None
    )
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
