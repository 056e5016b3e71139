"""Signed copies of finalized actas: appended to the sealed visit, withdrawn whole, never edited."""

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import SignedCopyRow, SyncStateRow
from instancias_desktop.db.repositories.send_states import record_states
from instancias_desktop.db.repositories.sync_records import UPLOADED_FILES
from instancias_desktop.db.repositories.values import live_row, tombstone
from instancias_desktop.domain.signed_copies import SignedCopy
from instancias_desktop.domain.visit_views import SignedCopyView
from sync.kinds import PDF


class SignedCopyRepository:
    """Reads and writes the signed copies of visits within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, copy: SignedCopy) -> None:
        """Append a signed copy to its (finalized) visit."""
        self._session.add(
            SignedCopyRow(
                id=copy.id, visit_id=copy.visit_id, filename=copy.filename, sha256=copy.sha256,
                size_bytes=copy.size_bytes, media_type=PDF, page_count=copy.page_count,
                qr_check=copy.qr_check, qr_code=copy.qr_code, attached_at=copy.attached_at,
            )
        )  # fmt: skip
        self._session.flush()

    def visit_of(self, copy_id: uuid.UUID) -> uuid.UUID:
        """The visit a live signed copy belongs to."""
        return live_row(self._session, SignedCopyRow, copy_id).visit_id

    def withdraw(self, copy_id: uuid.UUID) -> None:
        """Tombstone a signed copy (attached by mistake); its file may be shared and stays."""
        tombstone(self._session, SignedCopyRow, copy_id)

    def of_visit(self, visit_id: uuid.UUID) -> list[SignedCopyView]:
        """The live signed copies of a visit, newest first."""
        query = (
            select(SignedCopyRow)
            .where(SignedCopyRow.visit_id == visit_id, SignedCopyRow.deleted.is_(False))
            .order_by(SignedCopyRow.attached_at.desc(), SignedCopyRow.created_at.desc())
        )
        rows = list(self._session.scalars(query))
        sent = self._session.get(SyncStateRow, UPLOADED_FILES)
        sending = record_states(
            self._session, [r.id for r in rows], set(json.loads(sent.value)) if sent else set()
        )
        return [
            SignedCopyView(
                id=r.id, filename=r.filename, sha256=r.sha256, size_bytes=r.size_bytes,
                page_count=r.page_count, qr_check=r.qr_check, qr_code=r.qr_code,
                attached_at=r.attached_at, author=r.author, send_state=sending.get(r.id),
            )
            for r in rows
        ]  # fmt: skip
