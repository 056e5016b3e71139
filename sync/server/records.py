"""Where records live: versions with their ``seq``, history, conflicts; pull and digest."""

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.protocol import (
    ChangePage,
    ConflictList,
    ConflictRecord,
    DigestRequest,
    DigestResponse,
    KindDigest,
    Operation,
    PullRequest,
    RecordState,
    digest_of,
)
from sync.server.access import Caller, visible_to
from sync.server.merge import changed_in
from sync.server.store import SEQ_COUNTER, Conflict, Counter, Record, RecordVersion


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
    rows = session.scalars(
        select(Conflict)
        .where(Conflict.other_author == caller.username, Conflict.resolved.is_(False))
        .order_by(Conflict.created_at, Conflict.conflict_id)
    )
    return ConflictList(conflicts=tuple(conflict_record(row) for row in rows))


def resolve_conflict(session: Session, caller: Caller, conflict_id: uuid.UUID) -> None:
    """Mark a conflict of the caller as looked at (idempotent); the value travels as an update."""
    row = session.get(Conflict, conflict_id)
    if row is None or row.other_author != caller.username:
        raise ConflictNotFoundError(str(conflict_id))
    row.resolved = True
    session.flush()


def conflict_record(row: Conflict) -> ConflictRecord:
    """The wire form of a stored conflict."""
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


class MissingBaseError(LookupError):
    """The base version of an edit is not kept on the server."""


def new_conflict(
    operation: Operation,
    field: str,
    values: tuple[Any, Any, Any],
    *,
    kept_author: str,
    other_author: str,
    other_made_at: dt.datetime | None = None,
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
    )


def keep_conflicts(session: Session, conflicts: list[ConflictRecord], now: dt.datetime) -> None:
    for item in conflicts:
        session.add(
            Conflict(
                conflict_id=item.conflict_id,
                kind=item.kind,
                record_id=item.record_id,
                field=item.field,
                base_value=item.base_value,
                kept_value=item.kept_value,
                other_value=item.other_value,
                kept_author=item.kept_author,
                other_author=item.other_author,
                other_made_at=item.other_made_at,
                resolved=False,
                created_at=now,
            )
        )


_ABSENT = object()


def history_since(session: Session, record: Record, base_version: int) -> list[RecordVersion]:
    """The versions from the base to the current one, oldest first.

    Raises ``MissingBaseError`` when the base version is not kept.
    """
    versions = list(
        session.scalars(
            select(RecordVersion)
            .where(
                RecordVersion.kind == record.kind,
                RecordVersion.record_id == record.record_id,
                RecordVersion.version >= base_version,
            )
            .order_by(RecordVersion.version)
        )
    )
    if not versions or versions[0].version != base_version:
        raise MissingBaseError(f"{record.kind} {record.record_id} v{base_version}")
    return versions


def last_author(history: list[RecordVersion], field: str) -> str:
    """Who last changed ``field`` after the base version."""
    author = history[-1].updated_by
    for before, after in itertools.pairwise(history):
        if changed_in(before.fields, after.fields, field):
            author = after.updated_by
    return author


def bump(session: Session, caller: Caller, record: Record, now: dt.datetime) -> None:
    """A new version of the record, with the next ``seq``, kept in the history."""
    record.version += 1
    record.updated_by = caller.username
    record.updated_at = now
    record.seq = next_seq(session)
    keep_version(session, record, now, caller.device_id)


def keep_version(
    session: Session, record: Record, now: dt.datetime, device_id: uuid.UUID | None = None
) -> None:
    session.add(
        RecordVersion(
            kind=record.kind,
            record_id=record.record_id,
            version=record.version,
            fields=dict(record.fields),
            deleted=record.deleted,
            updated_by=record.updated_by,
            created_at=now,
            device_id=device_id,
        )
    )
    session.flush()


def made_by(version: RecordVersion, caller: Caller) -> bool:
    """Whether the caller's device made a version (in-process callers: by user, no device)."""
    if caller.device_id is not None:
        return version.device_id == caller.device_id
    return version.device_id is None and version.updated_by == caller.username


def seen_by(history: list[RecordVersion], caller: Caller) -> tuple[dict[str, Any], int]:
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


def next_seq(session: Session) -> int:
    """The next global change number (the caller holds the write lock)."""
    statement = (
        update(Counter)
        .where(Counter.name == SEQ_COUNTER)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    return int(session.execute(statement).scalar_one())
