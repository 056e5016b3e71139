"""The wire protocol shared by the client engine and the central server (pydantic models).

Every request and response carries ``protocol``; a peer with another major version is refused
with a clear message and nothing is applied. Unknown fields are refused everywhere.
"""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, field_validator

PROTOCOL_VERSION = 2  # 2: receipts answer by position, without op_id
MAX_BATCH = 1000  # operations per push
# A push may say, in this header, how many operations its laptop still has to send after it
# (a header, not a body field: a server that does not know it ignores it).
WAITING_HEADER = "X-Outbox-Waiting"
MAX_PAGE = 1000  # records per pulled page
MAX_CURSOR = 2**63 - 1  # a server sequence is a signed 64-bit number
MAX_KINDS = 64  # kinds named in one request (a few dozen exist)
CHUNK_SIZE = 256 * 1024  # bytes per uploaded piece of an attachment (the last one is shorter)
MAX_CHUNK = 4 * 1024 * 1024
MAX_ATTACHMENT = 200 * 1024 * 1024  # the app refuses far less when a file is attached (25 MB)
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Kind = Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,39}$")]
Scope = Annotated[str, Field(pattern=r"^[0-9]{2}([0-9]{2}){0,2}$")]  # an ubigeo: 2, 4 or 6 digits
FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,59}$")]


def _integral(value: Any) -> Any:
    """``1.0`` is the integer 1 (JSON Schema says so); anything else is left to ``StrictInt``."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


# An integer as JSON Schema means it: ``false``, ``"5"`` or ``1.5`` is not one, ``5.0`` is.
Whole = Annotated[StrictInt, BeforeValidator(_integral)]
# A name people type and the server keeps: no control characters (no database keeps NUL).
PlainText = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]+$")]


class Message(BaseModel):
    """Base of every wire model: immutable, strict about unknown fields.

    Numbers are ``Whole``: ``false`` or ``1.5`` is not a cursor, as the schema says.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class Versioned(Message):
    """A request or response of this protocol version."""

    protocol: Whole = PROTOCOL_VERSION


class Action(StrEnum):
    """What an operation does to a record."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"  # a tombstone: the record stays, marked deleted


class Operation(Message):
    """One change made offline, identified by a client-generated id (idempotent by construction).

    ``fields`` holds every field for a create and only the changed fields for an update;
    ``base_version`` is the server version the change was made on (None for a create).
    """

    op_id: uuid.UUID
    kind: Kind
    record_id: uuid.UUID
    action: Action
    # (constraints before the validator: after it, they would not reach the JSON schema)
    base_version: (
        Annotated[StrictInt, Field(ge=1, le=MAX_CURSOR), BeforeValidator(_integral)] | None
    ) = None
    # Only field names: the JSON schema says so (patternProperties alone would let others by).
    fields: dict[FieldName, Any] = Field(
        default_factory=dict, json_schema_extra={"additionalProperties": False}
    )
    scope: Scope
    parent_id: uuid.UUID | None = None  # the visit a child record belongs to
    # The author's clock: shown to people, never used to order. Strict: ISO 8601 text, as the
    # schema says (not a number of seconds).
    made_at: dt.datetime = Field(strict=True)

    @field_validator("made_at")
    @classmethod
    def _whole_seconds(cls, value: dt.datetime) -> dt.datetime:
        """Seconds are enough to show people; consecutive operations then share the text."""
        return value.replace(microsecond=0)


class Outcome(StrEnum):
    """What the server did with an operation."""

    APPLIED = "applied"  # made on the current version
    MERGED = "merged"  # made on an older version; other fields changed meanwhile, none lost
    CONFLICT = "conflict"  # some field was changed by someone else too: see the conflicts
    REJECTED = "rejected"  # not applied, with the reason; kept in quarantine on the server


class ConflictRecord(Message):
    """Two edits of the same field: the one kept and the one set aside, both never lost."""

    conflict_id: uuid.UUID
    kind: Kind
    record_id: uuid.UUID
    field: str  # "_deleted" when an edit met a concurrent delete
    base_value: Any = None
    kept_value: Any = None  # the value now on the server
    kept_author: str
    other_value: Any = None  # the value set aside, that its author must look at
    other_author: str
    other_made_at: dt.datetime
    resolved: bool = False
    # Which laptop wrote each value: its id where the server decided, its name in the list
    # a device reads (the same user on two laptops must know which one wrote what).
    kept_device_id: uuid.UUID | None = None
    other_device_id: uuid.UUID | None = None
    kept_device: str = ""
    other_device: str = ""


class Receipt(Message):
    """The server's answer for one operation; the same op_id always gets the same receipt.

    Over HTTP, receipts come without ``op_id``: they answer the operations in the order sent.
    """

    op_id: uuid.UUID | None = None
    outcome: Outcome
    version: Whole | None = None  # the record's version after the operation
    reason: str = ""  # Spanish, for a rejection
    conflicts: tuple[ConflictRecord, ...] = ()


class PushRequest(Versioned):
    """A batch of operations from one device, applied in one server transaction."""

    operations: tuple[Operation, ...] = Field(max_length=MAX_BATCH)


class PushResponse(Versioned):
    """One receipt per operation, in the order sent (a prefix of them if the server stopped)."""

    receipts: tuple[Receipt, ...]


class PullRequest(Versioned):
    """Changes after a cursor (a server sequence number), optionally of some kinds only."""

    cursor: Whole = Field(ge=0, le=MAX_CURSOR)
    limit: Whole = Field(default=MAX_PAGE, ge=1, le=MAX_PAGE)
    kinds: tuple[Kind, ...] = Field(default=(), max_length=MAX_KINDS)  # empty: every kind


class RecordState(Message):
    """A record as the server holds it (tombstones included)."""

    kind: Kind
    record_id: uuid.UUID
    version: Whole = Field(ge=1)
    fields: dict[str, Any]
    deleted: bool
    scope: Scope
    parent_id: uuid.UUID | None = None
    owner: str
    updated_by: str
    seq: Whole = Field(ge=1)


class ChangePage(Versioned):
    """A page of changes in server order; resume from ``next_cursor``."""

    records: tuple[RecordState, ...]
    next_cursor: Whole = Field(ge=0)
    has_more: bool


class DigestRequest(Versioned):
    """Ask for the digests of some kinds (empty: all) within the caller's scope."""

    kinds: tuple[Kind, ...] = Field(default=(), max_length=MAX_KINDS)


class RecordKey(Message):
    """Which record: its kind and id."""

    kind: Kind
    record_id: uuid.UUID


class FetchRequest(Versioned):
    """The current state of some records (those the caller may read)."""

    keys: tuple[RecordKey, ...] = Field(max_length=MAX_PAGE)


class RecordList(Versioned):
    """The records asked for that the server holds and the caller may read (tombstones too)."""

    records: tuple[RecordState, ...]


class KindDigest(Message):
    """An order-independent summary of (record_id, version) of one kind."""

    kind: Kind
    count: Whole
    digest: str


class DigestResponse(Versioned):
    """The digests of the caller's scope."""

    digests: tuple[KindDigest, ...]


class ConflictList(Versioned):
    """Open conflicts the caller must resolve (those where their value was set aside)."""

    conflicts: tuple[ConflictRecord, ...]


class UploadStart(Versioned):
    """A device is about to send an attachment (content-addressed by its SHA-256)."""

    size: Whole = Field(ge=0, le=MAX_ATTACHMENT)
    chunk_size: Whole = Field(ge=1024, le=MAX_CHUNK)


class UploadState(Versioned):
    """What the server holds of an attachment: complete, or which pieces arrived."""

    sha256: Sha256
    complete: bool
    received: tuple[int, ...] = ()  # indexes of the pieces held, when not complete
    size: Whole | None = None  # of the whole file, and of its pieces (for downloading it)
    chunk_size: Whole | None = None


class PublishedRequest(Versioned):
    """Documents published on the server (form definitions…) after a cursor."""

    cursor: Whole = Field(default=0, ge=0, le=MAX_CURSOR)
    limit: Whole = Field(default=100, ge=1, le=500)


class PublishedDocument(Message):
    """A document the ministry published: immutable once published, named by kind and key."""

    kind: Kind  # "ficha": a checklist definition
    key: str  # e.g. "funcionamiento_idc@2"
    sha256: Sha256  # of ``content``, as UTF-8
    content: str  # the canonical text, exactly as published
    seq: Whole = Field(ge=1)


class PublishedPage(Versioned):
    """A page of published documents in publishing order; resume from ``next_cursor``."""

    documents: tuple[PublishedDocument, ...]
    next_cursor: Whole = Field(ge=0)
    has_more: bool


class LoginRequest(Versioned):
    """A device signs in once; it keeps the token until it is revoked."""

    username: PlainText = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)  # never kept: any character goes
    device_name: PlainText = Field(min_length=1, max_length=100)
    # The token this laptop held (expired, say): it signs in again as the same device, and
    # failed sign-ins under its user's name from elsewhere do not hold it back.
    device_token: str | None = Field(default=None, max_length=200, pattern=r"^[A-Za-z0-9_-]*$")


class UserInfo(Message):
    """Who signed in and what they may see."""

    username: str
    role: str  # "especialista" or "supervisor"
    territories: tuple[str, ...]
    # Who signs the actas: recorded by the administrator; empty when not recorded yet.
    full_name: str = ""
    post: str = ""


class LoginResponse(Versioned):
    """The device token (sent as ``Authorization: Bearer …``) and the user."""

    token: str
    device_id: uuid.UUID
    user: UserInfo


class ErrorBody(Message):
    """Every refusal: a stable code and a Spanish message that says what to do."""

    error: str
    message: str


def digest_of(pairs: Iterable[tuple[uuid.UUID, int]]) -> str:
    """Order-independent digest of (record_id, version) pairs: the sum of their hashes mod 2^64."""
    total = 0
    for record_id, version in pairs:
        mark = hashlib.sha256(f"{record_id}:{version}".encode()).digest()
        total = (total + int.from_bytes(mark[:8], "big")) % 2**64
    return f"{total:016x}"


def waiting_of(header: str | None) -> int | None:
    """The count a ``WAITING_HEADER`` carries: a plain decimal of at most 8 digits, or None."""
    if header is None or not header.isascii() or not header.isdigit() or len(header) > 8:
        return None
    return int(header)


APP_VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}")  # «0.2.0»: what ``/health`` announces


def version_key(text: str) -> tuple[int, ...] | None:
    """«0.10.1» as (0, 10, 1), to compare versions; None for anything else (a local build)."""
    found = APP_VERSION.fullmatch(text.strip())
    return tuple(int(part) for part in text.strip().split(".")) if found else None
