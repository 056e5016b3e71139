"""The instancia's own record, for an opened profile's services (implements RecordEditor)."""

import datetime as dt
import uuid
from collections.abc import Mapping
from pathlib import Path

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.instancia_records import (
    InstrumentInput,
    MemberInput,
    NormRecordInput,
    SessionInput,
)
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import instancia_records
from instancias_desktop.services.attachments import annex_store
from instancias_desktop.settings import Settings


class RecordServices:
    """Members, norms, sessions, instruments and the creation schedule of an instancia."""

    database: Database
    settings: Settings
    paths: ProfilePaths

    def save_member(
        self, instancia_id: uuid.UUID, data: MemberInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Add a representative to a seat, or correct one's data."""
        return instancia_records.save_member(self.database, instancia_id, data, editing)

    def change_representative(
        self, member_id: uuid.UUID, data: MemberInput, on: dt.date
    ) -> InstanciaDetail:
        """A new representative takes a seat; the former one's tenure ends that day."""
        return instancia_records.change_representative(self.database, member_id, data, on)

    def save_norm(
        self, instancia_id: uuid.UUID, data: NormRecordInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a norm of the instancia."""
        return instancia_records.save_norm(self.database, instancia_id, data, editing)

    def save_session(
        self, instancia_id: uuid.UUID, data: SessionInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a session and its attendance."""
        return instancia_records.save_session(self.database, instancia_id, data, editing)

    def save_instrument(
        self, instancia_id: uuid.UUID, data: InstrumentInput, editing: uuid.UUID | None = None
    ) -> InstanciaDetail:
        """Record or correct a reglamento interno, a plan or a report."""
        return instancia_records.save_instrument(self.database, instancia_id, data, editing)

    def set_schedule(
        self, instancia_id: uuid.UUID, dates: Mapping[str, dt.date | None]
    ) -> InstanciaDetail:
        """Set the agreed dates of the ordinance, installation and first session."""
        return instancia_records.set_schedule(self.database, instancia_id, dates)

    def remove_record(self, what: str, record_id: uuid.UUID) -> InstanciaDetail:
        """Remove a member, norm, session or instrument typed by mistake."""
        return instancia_records.remove_record(self.database, what, record_id)

    def attach_record_file(self, what: str, record_id: uuid.UUID, source: Path) -> InstanciaDetail:
        """Link a file to a norm, a session or an instrument."""
        limit = self.settings.attachment_limit_mb * 1_000_000
        store = annex_store(self.database, self.paths.attachments)
        return instancia_records.attach_record_file(
            self.database, store, limit, what, record_id, source
        )

    def remove_record_file(self, file_id: uuid.UUID) -> InstanciaDetail:
        """Withdraw a file linked by mistake."""
        return instancia_records.remove_record_file(self.database, file_id)
