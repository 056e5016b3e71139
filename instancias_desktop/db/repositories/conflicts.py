"""The records behind open conflicts: their names, whether they may change, the fix.

The edit that resolves a conflict is an ordinary local change: it goes to the outbox.
"""

import uuid
from typing import Any

from sqlalchemy import Enum, String, Text
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    VisitRow,
)
from instancias_desktop.db.outbox import synced_model
from instancias_desktop.db.repositories.record_names import RecordNames
from instancias_desktop.db.repositories.sync_records import from_wire
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.i18n import _


class ConflictRepository:
    """Reads and writes the records that conflicts name, within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, kind: str, record_id: uuid.UUID) -> Any:
        return self._session.get(synced_model(kind), record_id)

    def _visit_of(self, kind: str, row: Any) -> VisitRow | None:
        if isinstance(row, VisitRow):
            return row
        visit_id = getattr(row, "visit_id", None)
        return self._session.get(VisitRow, visit_id) if visit_id is not None else None

    def subject(self, kind: str, record_id: uuid.UUID) -> str:
        """How the specialist recognizes the record: «Acta N° …», «Acuerdo 2 del acta N° …»."""
        if self._row(kind, record_id) is None:
            return _("{kind} que ya no está en este equipo").format(kind=kind)
        return RecordNames(self._session).name(kind, record_id)

    def finalized_acta(self, kind: str, record_id: uuid.UUID) -> str | None:
        """The acta number when the record is, or hangs from, a finalized acta."""
        row = self._row(kind, record_id)
        visit = self._visit_of(kind, row) if row is not None else None
        if visit is not None and visit.status is VisitStatus.FINALIZED:
            return visit.acta_number
        return None

    def takes_text(self, kind: str, field: str) -> bool:
        """Whether the field holds free text (a merged value can be written)."""
        column = synced_model(kind).__table__.columns.get(field)  # type: ignore[attr-defined]
        if column is None or isinstance(column.type, Enum):  # a choice, not free text
            return False
        return isinstance(column.type, String | Text)

    def write_field(self, kind: str, record_id: uuid.UUID, field: str, value: Any) -> None:
        """Set one field from its wire value (FinalizedVisitError on a finalized acta)."""
        acta = self.finalized_acta(kind, record_id)
        if acta is not None:
            raise FinalizedVisitError(acta)
        row = self._row(kind, record_id)
        columns = synced_model(kind).__table__.columns  # type: ignore[attr-defined]
        if row is None or field not in columns:
            raise LookupError(f"{kind} {record_id} {field}")
        setattr(row, field, from_wire(columns[field].type, value))
        self._session.flush()
