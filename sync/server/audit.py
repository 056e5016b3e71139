"""The server's audit trail: every sign-in, push, read, annex download, refusal and admin act.

Each entry names who (the user, or what a refused caller claimed to be), which device, from
which address, when, and counts or fingerprints of what was done: never a personal field's
value. Entries are kept ``keep_days`` (configurable with ``serve --audit-days``) and pruned as
new ones are written, at most hourly. An administrator reads them with ``admin audit``.
"""

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.access import Caller
from sync.server.db import begin_writing
from sync.server.store import AuditEntry

log = logging.getLogger(__name__)

DEFAULT_KEEP_DAYS = 730  # two years unless the operator says otherwise
PRUNE_EVERY = 3600.0  # seconds between prunes of one server process
UNKNOWN_ACTOR = "(desconocido)"  # a refused caller that names no existing user


class Action(StrEnum):
    """What was done; the values are what an administrator reads and filters by."""

    SIGN_IN = "inicio_sesion"
    SIGN_IN_REFUSED = "inicio_rechazado"
    PUSH = "envio"
    PULL = "recepcion"
    READ_RECORDS = "lectura_registros"
    READ_CONFLICTS = "lectura_conflictos"
    CONFLICT_RESOLVED = "conflicto_resuelto"
    ANNEX_UPLOAD = "subida_anexo"
    ANNEX_DOWNLOAD = "descarga_anexo"
    ACCESS_REFUSED = "acceso_rechazado"
    ADMIN = "administracion"
    WITHDRAW = "retirar"


@dataclass(frozen=True)
class Entry:
    """One line of the trail as an administrator reads it."""

    at: dt.datetime
    actor: str
    action: str
    device_id: uuid.UUID | None
    address: str | None
    kind: str | None
    record_id: uuid.UUID | None
    detail: str


def detail_text(values: Mapping[str, object]) -> str:
    """The detail column: compact JSON of counts, codes and fingerprints."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def entry(
    at: dt.datetime,
    action: Action,
    actor: str,
    *,
    device_id: uuid.UUID | None = None,
    address: str | None = None,
    detail: Mapping[str, object] | None = None,
    kind: str | None = None,
    record_id: uuid.UUID | None = None,
) -> AuditEntry:
    """A row of the trail (the caller adds it to her transaction)."""
    return AuditEntry(
        at=at,
        actor=actor[:100],
        action=action.value,
        device_id=device_id,
        address=(address or None) and address[:64],
        detail=detail_text(detail or {}),
        kind=kind,
        record_id=record_id,
    )


class AuditTrail:
    """Writes the trail of one server process and keeps it within its retention."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime],
        keep_days: int | None = DEFAULT_KEEP_DAYS,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._keep = dt.timedelta(days=keep_days) if keep_days else None
        self._pruned_at: float | None = None

    def note(
        self,
        session: Session,
        action: Action,
        caller: Caller,
        *,
        address: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Add the entry to ``session``'s transaction: it stands or falls with what it records."""
        session.add(
            entry(
                self._clock(),
                action,
                caller.username,
                device_id=caller.device_id,
                address=address,
                detail=detail,
            )
        )

    def note_caller(
        self,
        action: Action,
        caller: Caller,
        *,
        address: str | None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """``note_apart`` for a signed-in caller (a read, or a refusal of what is not hers)."""
        self.note_apart(
            action, caller.username, device_id=caller.device_id, address=address, detail=detail
        )

    def note_apart(
        self,
        action: Action,
        actor: str | None,
        *,
        device_id: uuid.UUID | None = None,
        address: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Write the entry in a transaction of its own (a read, or a refused request).

        A database too busy to take it does not turn the answer into an error: the miss is
        logged (without personal data) and the request is answered as it would have been.
        """
        row = entry(
            self._clock(),
            action,
            actor or UNKNOWN_ACTOR,
            device_id=device_id,
            address=address,
            detail=detail,
        )
        try:
            with self._sessions.begin() as session:
                begin_writing(session)
                session.add(row)
                self._prune_when_due(session)
        except SQLAlchemyError as error:
            log.warning("audit entry %s not written: %s", action.value, error.__class__.__name__)

    def _prune_when_due(self, session: Session) -> None:
        if self._keep is None:
            return
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        prune(session, self._clock() - self._keep)


def prune(session: Session, before: dt.datetime) -> int:
    """Drop the entries older than ``before``; answer how many."""
    result = session.execute(
        delete(AuditEntry)
        .where(AuditEntry.at < before)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def query(
    session: Session,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    device_id: uuid.UUID | None = None,
    actions: Sequence[str] = (),
    limit: int = 200,
) -> list[Entry]:
    """The newest ``limit`` entries that match, oldest first."""
    statement = select(AuditEntry)
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    if until is not None:
        statement = statement.where(AuditEntry.at < until)
    if actor is not None:
        statement = statement.where(AuditEntry.actor == actor)
    if device_id is not None:
        statement = statement.where(AuditEntry.device_id == device_id)
    if actions:
        statement = statement.where(AuditEntry.action.in_(actions))
    rows = session.scalars(
        statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    return [
        Entry(r.at, r.actor, r.action, r.device_id, r.address, r.kind, r.record_id, r.detail)
        for r in reversed(rows)
    ]
