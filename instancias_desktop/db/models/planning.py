"""Follow-up and planning: agreement follow-ups (synced), territory figures, weights, the plan."""

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.types import UtcDateTime, enum_column
from instancias_desktop.domain.enums import AgreementState


class FollowUpRow(Syncable, Base):
    """Progress on an agreement; appended, never edited (its state derives from the latest)."""

    __tablename__ = "agreement_follow_up"

    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id"), index=True)
    # The visit during which it was recorded; None when recorded from the agreements page.
    visit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("visit.id"), default=None, index=True
    )
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    # When its author recorded it (their clock): orders follow-ups of one date alike everywhere.
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    state: Mapped[AgreementState] = mapped_column(enum_column(AgreementState))
    new_deadline: Mapped[dt.date | None] = mapped_column(Date, default=None)
    evidence: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class TerritoryFigureRow(Base):
    """Figures imported for a territory (CSV), used by the priority ranking (local)."""

    __tablename__ = "territory_figure"

    ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    violence_cases: Mapped[float | None] = mapped_column(Float, default=None)
    has_cem: Mapped[bool | None] = mapped_column(Boolean, default=None)
    alerts: Mapped[int | None] = mapped_column(Integer, default=None)
    requested: Mapped[bool | None] = mapped_column(Boolean, default=None)
    source: Mapped[str] = mapped_column(String(255), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PriorityWeightsRow(Base):
    """The weights of the priority criteria in force here: the server's, or a supervisor's."""

    __tablename__ = "priority_weights"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # «vigentes»
    weights: Mapped[str] = mapped_column(Text)  # JSON: criterion -> weight
    source: Mapped[str] = mapped_column(String(255))  # who set them: a user, or «servidor …»
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PlanEntryRow(Syncable, Base):
    """An instancia planned for a visit on a date, in the order the specialist set.

    Synced, so that her other laptop has her plan; deleted as a tombstone.
    """

    __tablename__ = "plan_entry"

    instancia_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("instancia.id"), index=True)
    planned_on: Mapped[dt.date] = mapped_column(Date, index=True)
    position: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), default=None)
