"""The server's audit trail: every sign-in, push, read, annex download, refusal and admin act.

Each entry names who (the user, or what a refused caller claimed to be), which device, from
which address, when, and counts or fingerprints of what was done: never a personal field's
value. Entries are kept ``keep_days`` (configurable with ``serve --audit-days``) and pruned as
new ones are written, at most hourly. An administrator reads them with ``admin audit``.
"""

import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sync.server.access import Caller
from sync.server.audit_writer import BatchWriter
from sync.server.store import AuditEntry

DEFAULT_KEEP_DAYS = 730  # two years unless the operator says otherwise
PRUNE_EVERY = 3600.0  # seconds between prunes of one server process
REFUSALS_EVERY = 60.0  # seconds: a burst of like refusals is one entry a minute, with a count
MAX_BURSTS = 10_000  # like refusals tracked at once (forgotten all together beyond)
SKIPPED = "omitidas_desde_la_anterior"  # like refusals not written since the previous entry
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


def entry_values(
    at: dt.datetime,
    action: Action,
    actor: str,
    *,
    device_id: uuid.UUID | None = None,
    address: str | None = None,
    detail: Mapping[str, object] | None = None,
    kind: str | None = None,
    record_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The columns of a row of the trail."""
    return {
        "at": at,
        "actor": actor[:100],
        "action": action.value,
        "device_id": device_id,
        "address": (address or None) and address[:64],
        "detail": detail_text(detail or {}),
        "kind": kind,
        "record_id": record_id,
    }


def entry(at: dt.datetime, action: Action, actor: str, **named: Any) -> AuditEntry:
    """A row of the trail (the caller adds it to her transaction); see ``entry_values``."""
    return AuditEntry(**entry_values(at, action, actor, **named))


class AuditTrail:
    """Writes the trail of one server process and keeps it within its retention."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime],
        keep_days: int | None = DEFAULT_KEEP_DAYS,
        ticks: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._ticks = ticks  # seconds, for the intervals of pruning and of like refusals
        self._clock = clock
        self._keep = dt.timedelta(days=keep_days) if keep_days else None
        self._pruned_at: float | None = None
        self._lock = threading.Lock()
        self._writer = BatchWriter(sessions, self._prune_when_due)
        self._bursts: dict[tuple[str, ...], tuple[float, int]] = {}  # when written, skipped

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

    def note_refusal(
        self,
        action: Action,
        actor: str | None,
        why: str,
        *,
        device_id: uuid.UUID | None = None,
        address: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """A refused request, written at most once a minute per actor, address and reason.

        A flood of bad tokens (or of guesses at annexes) must not become a flood of writes:
        the refusals in between are counted and the next entry says how many were left out.
        """
        key = (action.value, actor or "", address or "", why)
        now = self._ticks()
        with self._lock:
            written = self._bursts.get(key)
            if written is not None and now - written[0] < REFUSALS_EVERY:
                self._bursts[key] = (written[0], written[1] + 1)
                return
            if len(self._bursts) >= MAX_BURSTS:
                self._bursts.clear()
            self._bursts[key] = (now, 0)
        skipped = written[1] if written is not None else 0
        self.note_apart(
            action,
            actor,
            device_id=device_id,
            address=address,
            detail={**(detail or {}), **({SKIPPED: skipped} if skipped else {})},
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
        """Hand the entry to the writer thread (a read, or a refused request): see audit_writer.

        The request never waits for the database's write lock, and a database too busy to
        take the entry does not turn the answer into an error.
        """
        self._writer.put(
            entry_values(
                self._clock(),
                action,
                actor or UNKNOWN_ACTOR,
                device_id=device_id,
                address=address,
                detail=detail,
            )
        )

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every entry handed over is written (tests, and before stopping)."""
        return self._writer.flush(timeout)

    def close(self) -> None:
        """Write what is pending and stop the writer (the application's shutdown)."""
        self._writer.close()

    def _prune_when_due(self, session: Session) -> None:
        if self._keep is None:
            return
        now = self._ticks()
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
