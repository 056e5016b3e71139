"""Checklist definitions as released (reference data, server-owned) and each visit's pinned one."""

import datetime as dt
import uuid

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base, Syncable
from instancias_desktop.db.types import UtcDateTime


class FormDefinitionRow(Base):
    """A released version of a definition, stored whole; immutable, keyed by id and version.

    Bundled versions are copied in when a profile opens; later the server will deliver new ones
    the same way (canonical JSON and its SHA-256), so a visit's version is always at hand offline.
    """

    __tablename__ = "form_definition"

    form_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    levels: Mapped[str] = mapped_column(String(20))  # "IRC,IPC": which instancias it is for
    content: Mapped[str] = mapped_column(Text)  # canonical JSON
    content_hash: Mapped[str] = mapped_column(String(64))
    released_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # "bundled" or "server"
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ChecklistRow(Syncable, Base):
    """The checklist of one visit, pinned to the definition version it was started with."""

    __tablename__ = "checklist"
    __table_args__ = (
        ForeignKeyConstraint(
            ["form_id", "form_version"],
            ["form_definition.form_id", "form_definition.version"],
            name="fk_checklist_form_definition",
        ),
    )

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), unique=True)
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[int] = mapped_column(Integer)
