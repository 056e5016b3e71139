"""The local side of synchronization: the outbox of changes to send and the pull cursor."""

import datetime as dt
import uuid

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base
from instancias_desktop.db.types import UtcDateTime


class OutboxRow(Base):
    """One change to send, written in the same transaction as the change itself."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    action: Mapped[str] = mapped_column(String(10))
    base_version: Mapped[int | None] = mapped_column(Integer, default=None)
    fields: Mapped[str] = mapped_column(Text)  # JSON
    scope: Mapped[str] = mapped_column(String(6))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    made_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(100))
    # pendiente → confirmado / en_conflicto / rechazado, only when the server's receipt names it
    state: Mapped[str] = mapped_column(String(20), default="pendiente", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)
    # When the specialist dismissed a refusal (it no longer keeps the laptop «por sincronizar»).
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, default=None)


class SeenVersionRow(Base):
    """The last version of a record received from the server: what local edits are made on."""

    __tablename__ = "sync_seen"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class SyncStateRow(Base):
    """Small values of the sync client: the pull cursor, the enrolled server."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
