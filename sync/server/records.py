"""Where records live: versions with their ``seq``, history, conflicts; pull and digest."""

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from sync.protocol import (
    ChangePage,
    ConflictList,
    ConflictRecord,
    DigestRequest,
    DigestResponse,
    FetchRequest,
    KindDigest,
    Operation,
    PullRequest,
    RecordList,
    RecordState,
    digest_of,
)
from sync.server.access import Caller, visible_to
from sync.server.batch import Version
from sync.server.merge import changed_in
from sync.server.store import Conflict, Device, Record


class ConflictNotFoundError(LookupError):
    """The conflict does not exist or its set-aside value is not the caller's."""


def pull(session: Session, caller: Caller, request: PullRequest) -> ChangePage:
    """Records changed after ``cursor`` within the caller's scope, in ``seq`` order, paged."""
    statement = (
        select(Record)
        .where(Record.seq > request.cursor, visible_to(caller))
        .order_by(Record.seq)
        .limit(request.limit + 1)
    )
    if request.kinds:
        statement = statement.where(Record.kind.in_(request.kinds))
    rows = list(session.scalars(statement))
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    return ChangePage(
        records=tuple(_state(row) for row in rows),
        next_cursor=rows[-1].seq if rows else request.cursor,
        has_more=has_more,
    )


def fetch(session: Session, caller: Caller, request: FetchRequest) -> RecordList:
    """The current state of the records asked for, among those the caller may read."""
    keys = sorted({(key.kind, key.record_id) for key in request.keys})
    if not keys:
        return RecordList(records=())
    statement = (
        select(Record)
        .where(tuple_(Record.kind, Record.record_id).in_(keys), visible_to(caller))
        .order_by(Record.seq)
    )
    return RecordList(records=tuple(_state(row) for row in session.scalars(statement)))


def digest(session: Session, caller: Caller, request: DigestRequest) -> DigestResponse:
    """Per kind, the digest of (record_id, version) over the caller's scope, tombstones included.

    Kinds asked for that the caller has no record of are answered with count 0.
    """
    statement = select(Record.kind, Record.record_id, Record.version).where(visible_to(caller))
    if request.kinds:
        statement = statement.where(Record.kind.in_(request.kinds))
    pairs: dict[str, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    for kind, record_id, version in session.execute(statement):
        pairs[kind].append((record_id, version))
    kinds = sorted(set(request.kinds) | set(pairs))
    return DigestResponse(
        digests=tuple(
            KindDigest(kind=kind, count=len(pairs[kind]), digest=digest_of(pairs[kind]))
            for kind in kinds
        )
    )


def open_conflicts(session: Session, caller: Caller) -> ConflictList:
    """Unresolved conflicts whose set-aside value is the caller's, oldest first."""
    rows = list(
        session.scalars(
            select(Conflict)
            .where(Conflict.other_author == caller.username, Conflict.resolved.is_(False))
            .order_by(Conflict.created_at, Conflict.conflict_id)
        )
    )
    ids = {i for row in rows for i in (row.kept_device_id, row.other_device_id) if i}
    names = dict(session.execute(select(Device.id, Device.name).where(Device.id.in_(ids))).all())
    return ConflictList(conflicts=tuple(conflict_record(row, names) for row in rows))


def resolve_conflict(session: Session, caller: Caller, conflict_id: uuid.UUID) -> None:
    """Mark a conflict of the caller as looked at (idempotent); the value travels as an update."""
    row = session.get(Conflict, conflict_id)
    if row is None or row.other_author != caller.username:
        raise ConflictNotFoundError(str(conflict_id))
    row.resolved = True
    session.flush()


def conflict_record(row: Conflict, devices: Mapping[uuid.UUID, str]) -> ConflictRecord:
    """The wire form of a stored conflict, naming the laptops that wrote each value."""
    return ConflictRecord(
        conflict_id=row.conflict_id,
        kind=row.kind,
        record_id=row.record_id,
        field=row.field,
        base_value=row.base_value,
        kept_value=row.kept_value,
        kept_author=row.kept_author,
        other_value=row.other_value,
        other_author=row.other_author,
        other_made_at=row.other_made_at,
        resolved=row.resolved,
        kept_device=devices.get(row.kept_device_id, "") if row.kept_device_id else "",
        other_device=devices.get(row.other_device_id, "") if row.other_device_id else "",
    )


def _state(row: Record) -> RecordState:
    return RecordState(
        kind=row.kind,
        record_id=row.record_id,
        version=row.version,
        fields=row.fields,
        deleted=row.deleted,
        scope=row.scope,
        parent_id=row.parent_id,
        owner=row.owner,
        updated_by=row.updated_by,
        seq=row.seq,
    )


def new_conflict(
    operation: Operation,
    field: str,
    values: tuple[Any, Any, Any],
    *,
    kept_author: str,
    other_author: str,
    other_made_at: dt.datetime | None = None,
    devices: tuple[uuid.UUID | None, uuid.UUID | None] = (None, None),
) -> ConflictRecord:
    """A conflict on ``field``; ``values`` are (base, kept, other)."""
    base_value, kept_value, other_value = values
    return ConflictRecord(
        conflict_id=uuid.uuid4(),
        kind=operation.kind,
        record_id=operation.record_id,
        field=field,
        base_value=base_value,
        kept_value=kept_value,
        kept_author=kept_author,
        other_value=other_value,
        other_author=other_author,
        other_made_at=operation.made_at if other_made_at is None else other_made_at,
        kept_device_id=devices[0],
        other_device_id=devices[1],
    )


def last_change(history: list[Version], field: str) -> Version:
    """The version that last changed ``field`` after the base version (who, on which laptop)."""
    last = history[-1]
    for before, after in itertools.pairwise(history):
        if changed_in(before.fields, after.fields, field):
            last = after
    return last


def made_by(version: Version, caller: Caller) -> bool:
    """Whether the caller's device made a version (in-process callers: by user, no device)."""
    if caller.device_id is not None:
        return version.device_id == caller.device_id
    return version.device_id is None and version.updated_by == caller.username


def seen_by(history: list[Version], caller: Caller) -> tuple[dict[str, Any], int]:
    """What a device knew of a record: the base version plus the changes it made itself since.

    A device chains offline edits on the last version it received; the versions its own
    earlier operations made are known to it, so they are neither a conflict with itself nor a
    base it never saw. Returns the fields it knew and how many versions were someone else's.
    """
    known = dict(history[0].fields)
    others = 0
    for before, after in itertools.pairwise(history):
        if made_by(after, caller):
            known.update(
                {
                    k: v
                    for k, v in after.fields.items()
                    if changed_in(before.fields, after.fields, k)
                }
            )
        else:
            others += 1
    return known, others
