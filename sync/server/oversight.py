"""What an administrator looks at and repairs: the quarantine, and records to withdraw.

Every refused operation is kept in quarantine with its reason. A record that was applied but
should not be there (written before the server checked every operation, or by mistake) is
withdrawn as an ordinary tombstone, so every laptop receives the deletion at its next sync;
a withdrawn acta takes what hangs from it. Each withdrawal leaves an audit entry.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.kinds import KINDS, VISIT
from sync.server.access import Caller, Role
from sync.server.audit import Action, entry
from sync.server.batch import Batch
from sync.server.db import serialize_changes
from sync.server.store import Quarantine, Record


class OversightError(LookupError):
    """A record that cannot be withdrawn; the message (Spanish) says why."""


@dataclass(frozen=True)
class QuarantineEntry:
    """One refused operation, as an administrator reads it."""

    received_at: dt.datetime
    username: str
    kind: str
    record_id: str
    action: str
    reason: str


def quarantine(
    session: Session, username: str | None = None, limit: int = 50
) -> list[QuarantineEntry]:
    """The latest refused operations (of one user, or all), newest first."""
    statement = select(Quarantine).order_by(Quarantine.id.desc()).limit(limit)
    if username is not None:
        statement = statement.where(Quarantine.username == username)
    found = []
    for row in session.scalars(statement):
        operation = row.operation if isinstance(row.operation, dict) else {}
        found.append(
            QuarantineEntry(
                row.received_at,
                row.username,
                str(operation.get("kind", "?")),
                str(operation.get("record_id", "?")),
                str(operation.get("action", "?")),
                row.reason,
            )
        )
    return found


def withdraw(
    session: Session, kind: str, record_id: uuid.UUID, *, actor: str, why: str, now: dt.datetime
) -> list[tuple[str, uuid.UUID]]:
    """Tombstone a record (an acta with what hangs from it); answer what was withdrawn.

    Runs in the caller's transaction, serialized with pushes like one.
    """
    serialize_changes(session)
    batch = Batch.read(session, (), now)
    row = batch.row(kind, record_id)
    if row is None:
        raise OversightError(f"No existe el registro «{kind}» {record_id} en el servidor.")
    keys = [(kind, record_id)]
    if kind == VISIT.name:
        children = session.execute(
            select(Record.kind, Record.record_id).where(Record.parent_id == record_id)
        )
        keys += [(k, r) for k, r in children if k in KINDS]
    admin = Caller(username=actor, role=Role.SUPERVISOR)
    withdrawn = []
    for each_kind, each_id in keys:
        each = batch.row(each_kind, each_id)
        if each is None or each.deleted:
            continue
        batch.bump(each, admin, deleted=True)
        withdrawn.append((each_kind, each_id))
        session.add(
            entry(
                now,
                Action.WITHDRAW,
                actor,
                kind=each_kind,
                record_id=each_id,
                detail={"motivo": why, "version": each.version, "de": str(record_id)},
            )
        )
    batch.write()
    session.flush()
    return withdrawn
