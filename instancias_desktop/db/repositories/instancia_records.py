"""The instancia's own record: representatives, norms, sessions with attendance, instruments.

Every write goes through the ORM so the outbox hears it; a removal is a tombstone. Only the
fields whose value changes are touched, so two laptops editing different fields merge.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.models import (
    AttendanceRow,
    InstanciaRow,
    InstrumentRow,
    MemberRow,
    NormRow,
    RecordFileRow,
    SessionRow,
)
from instancias_desktop.domain.enums import NormRole
from instancias_desktop.domain.instancia_records import (
    SCHEDULE_FIELDS,
    InstrumentInput,
    InstrumentView,
    MemberInput,
    MemberView,
    NormRecordInput,
    NormView,
    RecordFileView,
    SessionInput,
    SessionView,
)
from sync.registry_kinds import attendance_id

Row = TypeVar("Row", bound=Syncable)
Owned = TypeVar("Owned", MemberRow, NormRow, SessionRow, InstrumentRow)  # of one instancia
# What the page may remove, by the name it gives it.
OwnedRow = MemberRow | NormRow | SessionRow | InstrumentRow
REMOVABLE: dict[str, type[OwnedRow]] = {
    "member": MemberRow, "norm": NormRow, "session": SessionRow, "instrument": InstrumentRow,
}  # fmt: skip
FILE_OWNER = {"norm": "norm_id", "session": "session_id", "instrument": "instrument_id"}


class InstanciaRecordsRepository:
    """Reads and writes an instancia's members, norms, sessions and instruments."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ----------------------------------------------------------------------------- reading

    def members(self, instancia_id: uuid.UUID) -> list[MemberView]:
        """Every tenure, ended ones included (the seat's history), by entity then seat."""
        query = select(MemberRow).where(
            MemberRow.instancia_id == instancia_id, MemberRow.deleted.is_(False)
        )
        rows = sorted(
            self._session.scalars(query),
            key=lambda r: (r.entity_name.casefold(), r.seat.value != "titular",
                           r.until is not None, -(r.since or dt.date.min).toordinal()),
        )  # fmt: skip
        return [_member_view(r) for r in rows]

    def norms(self, instancia_id: uuid.UUID) -> list[NormView]:
        """Norms about an instancia, newest first, each with its files."""
        query = (
            select(NormRow)
            .where(NormRow.instancia_id == instancia_id, NormRow.deleted.is_(False))
            .order_by(NormRow.issued_on.desc())
        )
        files = self.files(instancia_id)
        return [
            NormView(
                r.id,
                r.role,
                r.norm_type,
                r.number,
                r.issued_on,
                r.issuing_body,
                files.get(r.id, ()),
            )
            for r in self._session.scalars(query)
        ]

    def files(self, instancia_id: uuid.UUID) -> dict[uuid.UUID, tuple[RecordFileView, ...]]:
        """The live files of an instancia's records, by the norm, session or instrument."""
        query = (
            select(RecordFileRow)
            .where(RecordFileRow.instancia_id == instancia_id, RecordFileRow.deleted.is_(False))
            .order_by(RecordFileRow.created_at)
        )
        found: dict[uuid.UUID, list[RecordFileView]] = defaultdict(list)
        for r in self._session.scalars(query):
            owner = r.norm_id or r.session_id or r.instrument_id or r.instancia_id
            found[owner].append(RecordFileView(r.id, r.filename, r.sha256, r.size_bytes, r.author))
        return {owner: tuple(views) for owner, views in found.items()}

    def add_file(self, instancia_id: uuid.UUID, what: str, owner: uuid.UUID,
                 file: tuple[str, str, int, str]) -> uuid.UUID:  # fmt: skip
        """Link a sealed file (name, sha256, size, media type) to a norm, session or instrument."""
        filename, sha256, size, media_type = file
        row = RecordFileRow(
            instancia_id=instancia_id, filename=filename, sha256=sha256, size_bytes=size,
            media_type=media_type, **{FILE_OWNER[what]: owner},
        )  # fmt: skip
        self._session.add(row)
        self._session.flush()
        return row.id

    def remove_file(self, file_id: uuid.UUID) -> uuid.UUID:
        """Withdraw a file (a tombstone); the instancia it belonged to."""
        row = self._live(RecordFileRow, file_id)
        row.deleted = True
        self._session.flush()
        return row.instancia_id

    def sessions(self, instancia_id: uuid.UUID) -> list[SessionView]:
        """Sessions, newest first, each with the members present."""
        rows = list(
            self._session.scalars(
                select(SessionRow)
                .where(SessionRow.instancia_id == instancia_id, SessionRow.deleted.is_(False))
                .order_by(SessionRow.held_on.desc())
            )
        )
        present: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        # Only this instancia's members: another laptop may name one of another instancia.
        query = (
            select(AttendanceRow.session_id, AttendanceRow.member_id)
            .join(MemberRow, MemberRow.id == AttendanceRow.member_id)
            .where(
                AttendanceRow.session_id.in_([r.id for r in rows]),
                AttendanceRow.deleted.is_(False),
                MemberRow.instancia_id == instancia_id,
            )
        )
        for session_id, member_id in self._session.execute(query):
            present[session_id].add(member_id)
        files = self.files(instancia_id)
        return [_session_view(r, frozenset(present[r.id]), files.get(r.id, ())) for r in rows]

    def instruments(self, instancia_id: uuid.UUID) -> list[InstrumentView]:
        """Instruments, by type, the newest first within a type."""
        query = (
            select(InstrumentRow, NormRow.norm_type, NormRow.number)
            .outerjoin(NormRow, NormRow.id == InstrumentRow.norm_id)
            .where(InstrumentRow.instancia_id == instancia_id, InstrumentRow.deleted.is_(False))
        )
        files = self.files(instancia_id)
        rows = sorted(
            self._session.execute(query).all(),
            key=lambda r: (r[0].instrument_type.value,
                           -(r[0].approved_on or r[0].sent_on or dt.date.min).toordinal()),
        )  # fmt: skip
        return [
            _instrument_view(
                r, f"{norm_type.label} N° {number}" if norm_type else "", files.get(r.id, ())
            )
            for r, norm_type, number in rows
        ]

    def schedule(self, instancia_id: uuid.UUID) -> tuple[dt.date | None, ...]:
        """The agreed dates of the ordinance, the installation and the first session."""
        row = self._live(InstanciaRow, instancia_id)
        return tuple(getattr(row, name) for name in SCHEDULE_FIELDS)

    def schedules(self) -> dict[uuid.UUID, tuple[dt.date | None, ...]]:
        """The agreed dates of every instancia that has any."""
        columns = [getattr(InstanciaRow, name) for name in SCHEDULE_FIELDS]
        query = select(InstanciaRow.id, *columns).where(
            InstanciaRow.deleted.is_(False), or_(*(c.is_not(None) for c in columns))
        )
        return {row[0]: tuple(row[1:]) for row in self._session.execute(query)}

    def last_sessions(self) -> dict[uuid.UUID, dt.date]:
        """Per instancia with a session recorded, the date of its latest."""
        query = (
            select(SessionRow.instancia_id, func.max(SessionRow.held_on))
            .where(SessionRow.deleted.is_(False))
            .group_by(SessionRow.instancia_id)
        )
        return {owner: day for owner, day in self._session.execute(query)}  # noqa: C416

    def created_by_norm(self) -> set[uuid.UUID]:
        """The instancias with a creating norm recorded."""
        query = select(NormRow.instancia_id).where(
            NormRow.deleted.is_(False), NormRow.role == NormRole.CREATES
        )
        return set(self._session.scalars(query.distinct()))

    def owner(self, what: str, record_id: uuid.UUID) -> uuid.UUID:
        """The instancia a live member, norm, session or instrument belongs to."""
        row = self._session.get(REMOVABLE[what], record_id)
        if not isinstance(row, OwnedRow) or row.deleted:
            raise LookupError(record_id)
        return row.instancia_id

    # ----------------------------------------------------------------------------- writing

    def save_member(
        self, instancia_id: uuid.UUID, data: MemberInput, editing: uuid.UUID | None
    ) -> uuid.UUID:
        """Create a tenure, or change the fields of one that differ."""
        return self._save(MemberRow, instancia_id, vars(data), editing)

    def save_norm(
        self, instancia_id: uuid.UUID, data: NormRecordInput, editing: uuid.UUID | None
    ) -> uuid.UUID:
        """Create a norm, or change the fields of one that differ."""
        return self._save(NormRow, instancia_id, vars(data), editing)

    def save_instrument(
        self, instancia_id: uuid.UUID, data: InstrumentInput, editing: uuid.UUID | None
    ) -> uuid.UUID:
        """Create an instrument, or change the fields of one that differ."""
        return self._save(InstrumentRow, instancia_id, vars(data), editing)

    def save_session(
        self, instancia_id: uuid.UUID, data: SessionInput, editing: uuid.UUID | None
    ) -> uuid.UUID:
        """Create or change a session, and mark exactly its attendees present."""
        values = {k: v for k, v in vars(data).items() if k != "attendee_ids"}
        session_id = self._save(SessionRow, instancia_id, values, editing)
        rows = {
            r.member_id: r
            for r in self._session.scalars(
                select(AttendanceRow).where(AttendanceRow.session_id == session_id)
            )
        }
        for member_id, row in rows.items():
            gone = member_id not in data.attendee_ids
            if row.deleted != gone:
                row.deleted = gone
        for member_id in data.attendee_ids - rows.keys():
            self._session.add(
                AttendanceRow(
                    id=attendance_id(session_id, member_id),
                    session_id=session_id,
                    member_id=member_id,
                )
            )
        self._session.flush()
        return session_id

    def end_tenure(self, member_id: uuid.UUID, until: dt.date) -> None:
        """Close a representative's tenure: the seat's history keeps it."""
        row = self._live(MemberRow, member_id)
        if row.until != until:
            row.until = until
            self._session.flush()

    def remove(self, what: str, record_id: uuid.UUID) -> None:
        """A tombstone for a record typed by mistake (it disappears on every laptop)."""
        self._live(REMOVABLE[what], record_id).deleted = True
        self._session.flush()

    def set_schedule(self, instancia_id: uuid.UUID, dates: Mapping[str, dt.date | None]) -> bool:
        """Change the agreed dates that differ; whether any did."""
        row = self._live(InstanciaRow, instancia_id)
        changed = {k: v for k, v in dates.items() if getattr(row, k) != v}
        for name, value in changed.items():
            setattr(row, name, value)
        self._session.flush()
        return bool(changed)

    def _save(
        self,
        model: type[Owned],
        instancia_id: uuid.UUID,
        values: Mapping[str, Any],
        editing: uuid.UUID | None,
    ) -> uuid.UUID:
        if editing is None:
            row = model(instancia_id=instancia_id, **values)
            self._session.add(row)
            self._session.flush()
            return row.id
        row = self._live(model, editing)
        if row.instancia_id != instancia_id:
            raise LookupError(editing)
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.flush()
        return editing

    def _live(self, model: type[Row], record_id: uuid.UUID) -> Row:
        row = self._session.get(model, record_id)
        if row is None or row.deleted:
            raise LookupError(record_id)
        return row


def _member_view(r: MemberRow) -> MemberView:
    return MemberView(
        r.id, r.entity_type_code, r.entity_name, r.person_name, r.seat, r.since,
        r.document_type, r.document_number, r.post, r.designation_document, r.designated_on,
        r.until,
    )  # fmt: skip


def _session_view(
    r: SessionRow, present: frozenset[uuid.UUID], files: tuple[RecordFileView, ...]
) -> SessionView:
    return SessionView(
        r.id, r.held_on, r.session_type, r.quorum, r.agenda, r.agreements, r.acta_reference,
        present, files,
    )  # fmt: skip


def _instrument_view(
    r: InstrumentRow, norm_title: str, files: tuple[RecordFileView, ...]
) -> InstrumentView:
    return InstrumentView(
        r.id, r.instrument_type, r.title, r.norm_id, norm_title, r.approved_on, r.period_start,
        r.period_end, r.recipient, r.sent_on, r.note, files,
    )  # fmt: skip
