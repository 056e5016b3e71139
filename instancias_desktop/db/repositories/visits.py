"""Visits and what hangs from them (agreements, annexes): reads for screens, writes for editors."""

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    ActaCounterRow,
    AgreementRow,
    AttachmentRow,
    GovernmentUnitRow,
    InstanciaRow,
    ParticipantRow,
    StageEventRow,
    TerritoryRow,
    VisitRow,
)
from instancias_desktop.domain.agreements import effective_state
from instancias_desktop.domain.entities import Agreement, Attachment, Visit
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.ubigeo import territory_label
from instancias_desktop.domain.visit_views import AgreementView, AttachmentView, VisitSummary

_VISIT_FIELDS = (
    "instancia_id",
    "acta_number",
    "visit_date",
    "start_time",
    "end_time",
    "place",
    "place_ubigeo",
    "modality",
    "at_type",
    "objective",
    "agenda",
    "development",
    "instruments",
    "diagnosis",
    "status",
    "addendum_of",
    "acta_series",
    "acta_year",
    "acta_sequence",
    "id",
)
_AGREEMENT_FIELDS = (
    "visit_id",
    "number",
    "description",
    "responsible_entity",
    "responsible_person",
    "deadline",
    "verification_means",
    "state",
    "id",
)


def _values(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


class VisitRepository:
    """Reads and writes visits, their agreements and annexes within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ------------------------------------------------------------------ visits
    def get(self, visit_id: uuid.UUID) -> Visit:
        """The live visit; LookupError when it does not exist or was deleted."""
        return Visit(**_values(self._row(visit_id), _VISIT_FIELDS))

    def stamps(self, visit_id: uuid.UUID) -> tuple[str, dt.datetime | None]:
        """Who created the visit and when it was finalized."""
        row = self._row(visit_id)
        return row.author, row.finalized_at

    def add(self, visit: Visit) -> None:
        """Record a new visit (stamped by the unit of work)."""
        values = {name: getattr(visit, name) for name in _VISIT_FIELDS}
        self._session.add(VisitRow(**values))
        self._session.flush()

    def update(self, visit_id: uuid.UUID, changes: Mapping[str, object]) -> None:
        """Change some fields of a visit; only the changed ones count as a new version."""
        row = self._row(visit_id)
        for name, value in changes.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.flush()

    def finalize(self, visit_id: uuid.UUID, when: dt.datetime) -> None:
        """Close the acta for good."""
        self.update(visit_id, {"status": VisitStatus.FINALIZED, "finalized_at": when})

    def tombstone(self, visit_id: uuid.UUID) -> None:
        """Delete a visit as a tombstone: its acta number stays taken."""
        row = self._row(visit_id)
        row.deleted = True
        self._session.flush()

    def tombstone_contents(self, visit_id: uuid.UUID) -> None:
        """Delete what a draft recorded (participations, agreements, annexes, hitos) with it."""
        for model in (ParticipantRow, AgreementRow, AttachmentRow, StageEventRow):
            query = select(model).where(model.visit_id == visit_id, model.deleted.is_(False))
            for row in self._session.scalars(query):
                row.deleted = True  # type: ignore[attr-defined] # every one is Syncable
        self._session.flush()

    def number_taken(self, acta_number: str) -> bool:
        """Whether an acta number is held by any visit, deleted ones included."""
        query = select(func.count()).where(VisitRow.acta_number == acta_number)
        return bool(self._session.scalar(query))

    def acta_number(self, visit_id: uuid.UUID) -> str:
        """The acta number of a visit, deleted or not."""
        return (
            self._session.scalar(select(VisitRow.acta_number).where(VisitRow.id == visit_id)) or ""
        )

    def addenda(self, visit_id: uuid.UUID) -> tuple[str, ...]:
        """Acta numbers of the live addenda that correct a visit."""
        query = (
            select(VisitRow.acta_number)
            .where(VisitRow.addendum_of == visit_id, VisitRow.deleted.is_(False))
            .order_by(VisitRow.created_at)
        )
        return tuple(self._session.scalars(query))

    def take_sequence(self, series: str, year: int) -> int:
        """The next acta sequence of a series in a year; a number once handed out never returns.

        The counter and the visits both count: a profile restored from a backup, or a history
        received from the server, can hold numbers the counter has not seen.
        """
        counter = self._session.get(ActaCounterRow, (series, year))
        used = self._session.scalar(
            select(func.max(VisitRow.acta_sequence)).where(
                VisitRow.acta_series == series, VisitRow.acta_year == year
            )
        )
        sequence = max(counter.last_sequence if counter else 0, used or 0) + 1
        if counter is None:
            self._session.add(ActaCounterRow(series=series, year=year, last_sequence=sequence))
        else:
            counter.last_sequence = sequence
        self._session.flush()
        return sequence

    def summaries(self, instancia_id: uuid.UUID | None = None) -> list[VisitSummary]:
        """Live visits, newest first, with their instancia, territory and counts."""
        names = dict(self._session.execute(select(TerritoryRow.code, TerritoryRow.name)).all())
        participants = (
            select(func.count())
            .where(ParticipantRow.visit_id == VisitRow.id, ParticipantRow.deleted.is_(False))
            .scalar_subquery()
        )
        agreements = (
            select(func.count())
            .where(AgreementRow.visit_id == VisitRow.id, AgreementRow.deleted.is_(False))
            .scalar_subquery()
        )
        query = (
            select(
                VisitRow.id,
                VisitRow.acta_number,
                VisitRow.visit_date,
                VisitRow.instancia_id,
                InstanciaRow.name,
                InstanciaRow.level,
                GovernmentUnitRow.ubigeo,
                VisitRow.at_type,
                VisitRow.modality,
                VisitRow.status,
                participants,
                agreements,
                VisitRow.author,
                VisitRow.addendum_of,
            )
            .join(InstanciaRow, InstanciaRow.id == VisitRow.instancia_id)
            .join(GovernmentUnitRow, GovernmentUnitRow.code == InstanciaRow.unit_code)
            .where(VisitRow.deleted.is_(False))
            .order_by(VisitRow.visit_date.desc(), VisitRow.created_at.desc())
        )
        if instancia_id is not None:
            query = query.where(VisitRow.instancia_id == instancia_id)
        return [
            VisitSummary(
                id=r[0],
                acta_number=r[1],
                visit_date=r[2],
                instancia_id=r[3],
                instancia_name=r[4],
                level=r[5],
                territory=territory_label(r[6], names),
                at_type=r[7],
                modality=r[8],
                status=r[9],
                participant_count=r[10],
                agreement_count=r[11],
                author=r[12],
                is_addendum=r[13] is not None,
            )
            for r in self._session.execute(query)
        ]

    # -------------------------------------------------------------- agreements
    def agreement(self, agreement_id: uuid.UUID) -> Agreement:
        """A live agreement; LookupError when missing."""
        row = self._session.get(AgreementRow, agreement_id)
        if row is None or row.deleted:
            raise LookupError(agreement_id)
        return Agreement(**_values(row, _AGREEMENT_FIELDS))

    def next_agreement_number(self, visit_id: uuid.UUID) -> int:
        """The number a new agreement of the visit takes."""
        query = select(func.max(AgreementRow.number)).where(
            AgreementRow.visit_id == visit_id, AgreementRow.deleted.is_(False)
        )
        return (self._session.scalar(query) or 0) + 1

    def save_agreement(self, agreement: Agreement) -> None:
        """Insert or update an agreement."""
        row = self._session.get(AgreementRow, agreement.id)
        values = _values(agreement, _AGREEMENT_FIELDS)
        if row is None:
            self._session.add(AgreementRow(**values))
        else:
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        self._session.flush()

    def remove_agreement(self, agreement_id: uuid.UUID) -> None:
        """Tombstone an agreement and close the gap in the numbering after it."""
        row = self._session.get(AgreementRow, agreement_id)
        if row is None or row.deleted:
            raise LookupError(agreement_id)
        row.deleted = True
        self._session.flush()
        later = self._session.scalars(
            select(AgreementRow)
            .where(
                AgreementRow.visit_id == row.visit_id,
                AgreementRow.deleted.is_(False),
                AgreementRow.number > row.number,
            )
            .order_by(AgreementRow.number)
        ).all()
        for each in later:  # one flush per row: the live numbers stay unique at every step
            each.number -= 1
            self._session.flush()

    def agreements(
        self,
        today: dt.date,
        *,
        visit_id: uuid.UUID | None = None,
        instancia_id: uuid.UUID | None = None,
    ) -> list[AgreementView]:
        """Live agreements of one visit or of every visit to an instancia."""
        query = (
            select(AgreementRow, VisitRow.acta_number, VisitRow.visit_date)
            .join(VisitRow, VisitRow.id == AgreementRow.visit_id)
            .where(AgreementRow.deleted.is_(False), VisitRow.deleted.is_(False))
            .order_by(VisitRow.visit_date.desc(), VisitRow.acta_number, AgreementRow.number)
        )
        if visit_id is not None:
            query = query.where(AgreementRow.visit_id == visit_id)
        if instancia_id is not None:
            query = query.where(VisitRow.instancia_id == instancia_id)
        return [
            AgreementView(
                id=row.id,
                visit_id=row.visit_id,
                acta_number=acta,
                visit_date=day,
                number=row.number,
                description=row.description,
                responsible_entity=row.responsible_entity,
                responsible_person=row.responsible_person,
                deadline=row.deadline,
                verification_means=row.verification_means,
                stored_state=row.state,
                state=effective_state(row.state, row.deadline, today),
            )
            for row, acta, day in self._session.execute(query)
        ]

    # ------------------------------------------------------------- attachments
    def add_attachment(self, attachment: Attachment) -> None:
        """Link a stored file to a visit."""
        self._session.add(
            AttachmentRow(
                id=attachment.id,
                visit_id=attachment.visit_id,
                kind=attachment.kind,
                filename=attachment.filename,
                sha256=attachment.sha256,
                size_bytes=attachment.size_bytes,
                media_type=attachment.media_type,
            )
        )
        self._session.flush()

    def attachment_visit(self, attachment_id: uuid.UUID) -> uuid.UUID:
        """The visit a live annex belongs to."""
        row = self._session.get(AttachmentRow, attachment_id)
        if row is None or row.deleted:
            raise LookupError(attachment_id)
        return row.visit_id

    def remove_attachment(self, attachment_id: uuid.UUID) -> None:
        """Tombstone an annex (the stored file may be shared and stays)."""
        row = self._session.get(AttachmentRow, attachment_id)
        if row is None or row.deleted:
            raise LookupError(attachment_id)
        row.deleted = True  # through the ORM, so the row is stamped and versioned
        self._session.flush()

    def attachments(self, visit_id: uuid.UUID) -> list[AttachmentView]:
        """Live annexes of a visit, in the order they were added."""
        query = (
            select(AttachmentRow)
            .where(AttachmentRow.visit_id == visit_id, AttachmentRow.deleted.is_(False))
            .order_by(AttachmentRow.created_at)
        )
        return [
            AttachmentView(
                id=r.id,
                kind=r.kind,
                filename=r.filename,
                sha256=r.sha256,
                size_bytes=r.size_bytes,
                media_type=r.media_type,
                added_at=r.created_at,
            )
            for r in self._session.scalars(query)
        ]

    def _row(self, visit_id: uuid.UUID) -> VisitRow:
        row = self._session.get(VisitRow, visit_id)
        if row is None or row.deleted:
            raise LookupError(visit_id)
        return row
