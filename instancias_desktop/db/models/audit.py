"""The laptop's audit trail: who opened, finalized, produced, exported or deleted what, and when.

Append-only (triggers refuse changes and deletions), inside the encrypted database, never
synced; it names records by kind and id, never by what they hold.
"""

import datetime as dt
import uuid

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base
from instancias_desktop.db.types import UtcDateTime, enum_column
from instancias_desktop.domain.enums import AuditAction


class AuditEntryRow(Base):
    """One audited action on this laptop."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    kind: Mapped[str] = mapped_column(String(40), default="")
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    detail: Mapped[str] = mapped_column(Text, default="")  # never a personal value
