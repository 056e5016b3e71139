"""The server's tables: accounts, devices, records with their versions, receipts, conflicts."""

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names: the frozen migration spells the same ones.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SEQ_COUNTER = "records"  # the name of the counter row that hands out ``seq``


class JsonText(str):
    """A value already serialized as JSON: stored as it is, not serialized a second time."""

    __slots__ = ()


def store_json(value: Any) -> str:
    """The engines' JSON serializer (every JSON column): compact UTF-8, ``JsonText`` as is."""
    if type(value) is JsonText:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Stores instants in UTC and always returns timezone-aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Naive values are taken as UTC (the protocol only speaks UTC)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """SQLite hands back naive values; they were stored as UTC."""
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base of every table of the server database."""

    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A person who signs in: a specialist or a supervisor."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # As printed on the actas she finalizes: «María Quispe Huamán», «Especialista DPVLV».
    full_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    post: Mapped[str] = mapped_column(String(200), default="", server_default="")


class WebSession(Base):
    """An open browser session of the web dashboard, stored by its token's digest."""

    __tablename__ = "web_sessions"

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Territory(Base):
    """An ubigeo prefix (2, 4 or 6 digits) assigned to a user."""

    __tablename__ = "territories"

    username: Mapped[str] = mapped_column(
        String(100), ForeignKey("users.username", ondelete="CASCADE"), primary_key=True
    )
    prefix: Mapped[str] = mapped_column(String(6), primary_key=True)


class Device(Base):
    """A signed-in laptop; its token is stored only as a SHA-256 (hex)."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(
        String(100), ForeignKey("users.username", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # "baja": an administrator withdrew the laptop (it locks itself); "contrasena": the
    # password changed (the laptop signs in again). None before revision 0009: the latter.
    revoked_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The token's expiry slides from here (recorded at most hourly: no write per request).
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # What the laptop said it still had to send after its last push (None: it never said).
    outbox_waiting: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    outbox_reported_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime, nullable=True, default=None
    )


class Record(Base):
    """The current state of a synchronized record (tombstones included)."""

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_kind_scope", "kind", "scope"),)

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean)
    scope: Mapped[str] = mapped_column(String(6))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    owner: Mapped[str] = mapped_column(String(100), index=True)
    updated_by: Mapped[str] = mapped_column(String(100))
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The device whose operation made the current version: what a device made, it has seen.
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=None)


class RecordVersion(Base):
    """Every superseded version (the current one is in ``records``), for three-way merges."""

    __tablename__ = "record_versions"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The device whose operation made this version: what a device made, it has seen.
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)


class OperationLog(Base):
    """An operation already answered: replays of its ``op_id`` get the stored receipt."""

    __tablename__ = "operations"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    username: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Conflict(Base):
    """Two edits of one field: the kept value is on the record, the other one waits here."""

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_other_author_resolved", "other_author", "resolved"),)

    conflict_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(60))
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    other_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_author: Mapped[str] = mapped_column(String(100))
    other_author: Mapped[str] = mapped_column(String(100))
    other_made_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The laptops that wrote each value (one user may have two); null when not known.
    kept_device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=None)
    other_device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, default=None)


class Quarantine(Base):
    """A refused operation, kept verbatim with the Spanish reason given to its author."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    username: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    operation: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Counter(Base):
    """Named counters; the ``records`` row hands out the global change sequence."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class PersonDocument(Base):
    """Which person record holds a document (type and number): the first one created.

    A person created again elsewhere with the same document becomes an alias of this one.
    """

    __tablename__ = "person_documents"

    document_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class AttachmentFile(Base):
    """An attachment the server holds whole, by the SHA-256 of its content.

    (``complete`` is always true since uploads have their own table; the column stays for the
    databases of earlier versions.)
    """

    __tablename__ = "attachment_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_size: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AttachmentChunk(Base):
    """One piece of a file the server holds whole (the pieces are the file)."""

    __tablename__ = "attachment_chunks"

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("attachment_files.sha256", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Published(Base):
    """A document published for every laptop (a form definition…): immutable by its key."""

    __tablename__ = "published"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Claim(Base):
    """A value only one record may hold (a visit's acta number): the first to arrive keeps it."""

    __tablename__ = "claims"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class Reach(Base):
    """A record also readable in another territory: one of that territory's records names it.

    A participant of a Wanchaq visit may name a person first recorded in Cusco; whoever reads
    the participant must be able to read the person, or her laptop could never apply it.
    """

    __tablename__ = "reach"
    __table_args__ = (Index("ix_reach_scope", "scope"),)

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    scope: Mapped[str] = mapped_column(String(6), primary_key=True)


class AuditEntry(Base):
    """Who did what and when: a sign-in, a push, a read, a refusal, an administrator's act.

    ``detail`` is JSON of counts, codes and fingerprints, never a personal field's value.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    detail: Mapped[str] = mapped_column(Text)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Upload(Base):
    """A device sending one file: its pieces are its own until the whole checks out.

    Kept a week after it completed, for the device's daily quota; dropped with its pieces
    when abandoned that long.
    """

    __tablename__ = "uploads"
    __table_args__ = (
        UniqueConstraint("sha256", "device_id"),
        Index("ix_uploads_device_started", "device_id", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    username: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_size: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    touched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class UploadChunk(Base):
    """One piece an upload received."""

    __tablename__ = "upload_chunks"

    upload_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("uploads.id", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FileName(Base):
    """A record that names a file (an annex): who can read it may read the file."""

    __tablename__ = "file_names"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
