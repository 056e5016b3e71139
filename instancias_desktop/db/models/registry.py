"""The instancia registry: instancias, their stage history, norms, members; and the specialists."""

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.types import enum_column
from instancias_desktop.domain.enums import (
    InstanciaLevel,
    NormRole,
    NormType,
    SeatKind,
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
    """A seat held by an entity in an instancia."""

    __tablename__ = "member"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    entity_type_code: Mapped[str] = mapped_column(String(60))
    entity_name: Mapped[str] = mapped_column(String(200))
    person_name: Mapped[str] = mapped_column(String(200), default="")
    seat: Mapped[SeatKind] = mapped_column(enum_column(SeatKind), default=SeatKind.TITULAR)
    since: Mapped[dt.date | None] = mapped_column(Date, default=None)


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
