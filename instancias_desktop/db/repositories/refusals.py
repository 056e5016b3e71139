"""Changes the server refused: listed until the specialist dismisses them or sends them again.

An outbox entry answered «rechazado» keeps what she typed and the server's reason. She can
send it again once the cause is fixed (a supervisor extended her territory): the same change
goes out as a new operation, made on the version this laptop holds now, and her values are
shown again. Dismissing one only stops it from holding the laptop «por sincronizar».
"""

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import OutboxRow
from instancias_desktop.db.outbox import REFUSED, declared_fields, synced_model
from instancias_desktop.db.repositories.sync_records import from_wire
from sync.kinds import KINDS, after_seal, split_seal


@dataclass(frozen=True)
class RefusedEntry:
    """One refused change, as typed, with the server's reason."""

    op_id: uuid.UUID
    kind: str
    record_id: uuid.UUID
    action: str
    fields: dict[str, Any]
    reason: str
    made_at: dt.datetime


class RefusalRepository:
    """Reads, dismisses and re-sends refused outbox entries within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _open(self) -> Any:
        return select(OutboxRow).where(OutboxRow.state == REFUSED, OutboxRow.dismissed_at.is_(None))

    def entries(self) -> list[RefusedEntry]:
        """The refusals not dismissed yet, oldest first."""
        return [
            RefusedEntry(
                row.op_id,
                row.kind,
                row.record_id,
                row.action,
                json.loads(row.fields),
                row.reason,
                row.made_at,
            )
            for row in self._session.scalars(self._open().order_by(OutboxRow.seq))
        ]

    def count(self) -> int:
        """How many refusals wait for the specialist."""
        query = select(func.count()).where(
            OutboxRow.state == REFUSED, OutboxRow.dismissed_at.is_(None)
        )
        return int(self._session.scalar(query) or 0)

    def dismiss(self, op_ids: Sequence[uuid.UUID], now: dt.datetime) -> int:
        """The specialist read these refusals; how many were dismissed."""
        rows = self._session.scalars(self._open().where(OutboxRow.op_id.in_(list(op_ids))))
        done = 0
        for row in rows:
            row.dismissed_at = now
            done += 1
        self._session.flush()
        return done

    def resend(
        self, op_ids: Sequence[uuid.UUID], now: dt.datetime, new_op_id: Callable[[], uuid.UUID]
    ) -> list[uuid.UUID]:
        """Queue these refused changes again, in their order; the record ids re-sent.

        A create goes with the record as it stands now; an edit or a delete with what was
        typed, made on the version this laptop holds now, and shown again here.
        """
        chosen = self._session.scalars(
            self._open().where(OutboxRow.op_id.in_(list(op_ids))).order_by(OutboxRow.seq)
        ).all()
        # A signed copy hangs only from a sealed acta: it goes after every seal below.
        later = [row for row in chosen if after_seal(row.kind)]
        sent = []
        seals: list[tuple[OutboxRow, dict[str, Any]]] = []
        for row in [row for row in chosen if not after_seal(row.kind)]:
            fields = json.loads(row.fields)
            base: int | None = None
            if row.action == "create":
                fields, seal = split_seal(
                    row.kind, self._current(row.kind, row.record_id) or fields
                )
                if seal:  # its parts go first: nothing may arrive under a sealed acta
                    seals.append((row, seal))
            else:
                # Made on the version she saw when she typed it: the server merges it with
                # what others did since, and sets aside what collides (never overwrites it).
                base = row.base_version or 1
                self._show(row.kind, row.record_id, fields)
            self._session.add(self._again(row, fields, base, now, new_op_id))
            row.dismissed_at = now
            sent.append(row.record_id)
        sealing = {  # an edit re-sent here seals it already (once sealed, nothing more goes)
            row.record_id
            for row in chosen
            if row.action == "update" and split_seal(row.kind, json.loads(row.fields))[1]
        }
        for row, seal in seals:  # made on the version the create above becomes
            if row.record_id in sealing:
                continue
            self._session.add(
                OutboxRow(
                    op_id=new_op_id(), kind=row.kind, record_id=row.record_id, action="update",
                    base_version=1, fields=json.dumps(seal, ensure_ascii=False, sort_keys=True),
                    scope=row.scope, parent_id=row.parent_id, made_at=now, author=row.author,
                    state="pendiente", reason="",
                )
            )  # fmt: skip
        for row in later:
            self._session.add(self._again(row, json.loads(row.fields), None, now, new_op_id))
            row.dismissed_at = now
            sent.append(row.record_id)
        self._session.flush()
        return sent

    @staticmethod
    def _again(
        row: OutboxRow,
        fields: dict[str, Any],
        base: int | None,
        now: dt.datetime,
        new_op_id: Callable[[], uuid.UUID],
    ) -> OutboxRow:
        """A refused change queued anew, with a new operation id."""
        return OutboxRow(
            op_id=new_op_id(), kind=row.kind, record_id=row.record_id, action=row.action,
            base_version=base, fields=json.dumps(fields, ensure_ascii=False, sort_keys=True),
            scope=row.scope, parent_id=row.parent_id, made_at=now, author=row.author,
            state="pendiente", reason="",
        )  # fmt: skip

    def _current(self, kind: str, record_id: uuid.UUID) -> dict[str, Any] | None:
        row = self._session.get(synced_model(kind), record_id)
        return declared_fields(row) if row is not None else None

    def _show(self, kind: str, record_id: uuid.UUID, fields: dict[str, Any]) -> None:
        """Put what was typed back on the row (the server's version was shown meanwhile)."""
        model = synced_model(kind)
        row = self._session.get(model, record_id)
        if row is None:
            return
        columns = model.__table__.columns  # type: ignore[attr-defined]
        for name, value in fields.items():
            if name in KINDS[kind].fields:
                setattr(row, name, from_wire(columns[name].type, value))
