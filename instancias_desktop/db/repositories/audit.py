"""Appending to the laptop's audit trail, and reading it back (newest first)."""

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import AuditEntryRow
from instancias_desktop.domain.enums import AuditAction


@dataclass(frozen=True)
class AuditEntry:
    """One audited action, as support or a supervisor reads it."""

    at: dt.datetime
    actor: str
    action: AuditAction
    kind: str
    record_id: uuid.UUID | None
    detail: str


class AuditRepository:
    """The audit trail within one unit of work: appended in the action's own transaction."""

    def __init__(self, session: Session, actor: str, clock: Callable[[], dt.datetime]) -> None:
        self._session = session
        self._actor = actor
        self._clock = clock

    def note(
        self,
        action: AuditAction,
        kind: str = "",
        record_id: uuid.UUID | None = None,
        **detail: str | int,
    ) -> None:
        """Append an entry (``detail``: counts and names of lists, never a personal value)."""
        self._session.add(
            AuditEntryRow(
                at=self._clock(), actor=self._actor, action=action, kind=kind,
                record_id=record_id,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else "",
            )
        )  # fmt: skip
        self._session.flush()

    def entries(self, limit: int = 1000) -> list[AuditEntry]:
        """The newest entries first."""
        query = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
        return [
            AuditEntry(r.at, r.actor, r.action, r.kind, r.record_id, r.detail)
            for r in self._session.scalars(query)
        ]
