"""Participants of a visit and the persons behind them (one person per document)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from instancias_desktop.db.models import ParticipantRow, PersonRow
from instancias_desktop.db.repositories.values import save_value, value_of
from instancias_desktop.domain.entities import Participant, Person
from instancias_desktop.domain.enums import DocumentType
from instancias_desktop.domain.people import person_key
from instancias_desktop.domain.visit_views import ParticipantView, PersonMatch


class ParticipantRepository:
    """Reads and writes participants and persons within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ----------------------------------------------------------------- persons
    def person_by_document(self, document_type: DocumentType, number: str) -> Person | None:
        """The live person with this document (following a merged duplicate to its survivor)."""
        query = select(PersonRow).where(
            PersonRow.document_type == document_type,
            PersonRow.document_number == number,
            PersonRow.deleted.is_(False),
        )
        rows = self._session.scalars(query).all()
        row = next((r for r in rows if r.alias_of is None), rows[0] if rows else None)
        while row is not None and row.alias_of is not None:
            row = self._session.get(PersonRow, row.alias_of)
        if row is None:
            return None
        return value_of(Person, row)

    def save_person(self, person: Person) -> None:
        """Insert a person or update the fields that changed."""
        save_value(self._session, PersonRow, person, search_key=person_key(person))

    def find_persons(self, words: Sequence[str], limit: int) -> list[PersonMatch]:
        """Persons whose folded name or document holds every word, with their latest role."""
        if not words:
            return []
        latest = (
            select(ParticipantRow.person_id, func.max(ParticipantRow.created_at).label("at"))
            .where(ParticipantRow.deleted.is_(False))
            .group_by(ParticipantRow.person_id)
            .subquery()
        )
        last = aliased(ParticipantRow)
        query = (
            select(PersonRow, last.entity, last.post, last.role)
            .outerjoin(latest, latest.c.person_id == PersonRow.id)
            .outerjoin(
                last,
                and_(
                    last.person_id == PersonRow.id,
                    last.created_at == latest.c.at,
                    last.deleted.is_(False),
                ),
            )
            .where(PersonRow.deleted.is_(False), PersonRow.alias_of.is_(None))
            .order_by(PersonRow.full_name)
            .limit(limit)
        )
        for word in words:
            query = query.where(PersonRow.search_key.contains(word, autoescape=True))
        seen: set[uuid.UUID] = set()
        matches = []
        for row, entity, post, role in self._session.execute(query):
            if row.id in seen:
                continue
            seen.add(row.id)
            matches.append(
                PersonMatch(
                    id=row.id,
                    document_type=row.document_type,
                    document_number=row.document_number,
                    full_name=row.full_name,
                    sex=row.sex,
                    phone=row.phone,
                    email=row.email,
                    last_entity=entity or "",
                    last_post=post or "",
                    last_role=role,
                )
            )
        return matches

    # ------------------------------------------------------------ participants
    def get(self, participant_id: uuid.UUID) -> Participant:
        """A live participant; LookupError when missing."""
        row = self._live(participant_id)
        return value_of(Participant, row)

    def save(self, participant: Participant) -> None:
        """Insert a participant or update what changed."""
        save_value(self._session, ParticipantRow, participant)

    def remove(self, participant_id: uuid.UUID) -> None:
        """Tombstone a participant."""
        self._live(participant_id).deleted = True
        self._session.flush()

    def set_order(self, visit_id: uuid.UUID, ordered: Sequence[uuid.UUID]) -> None:
        """Renumber the live participants of a visit as 1..n in the given order."""
        rows = {r.id: r for r in self._live_rows(visit_id)}
        if set(rows) != set(ordered):
            raise LookupError("the order must name every live participant once")
        for position, participant_id in enumerate(ordered, start=1):
            if rows[participant_id].position != position:
                rows[participant_id].position = position
        self._session.flush()

    def next_position(self, visit_id: uuid.UUID) -> int:
        """Where a new participant goes: at the end of the list."""
        query = select(func.max(ParticipantRow.position)).where(
            ParticipantRow.visit_id == visit_id, ParticipantRow.deleted.is_(False)
        )
        return (self._session.scalar(query) or 0) + 1

    def views(self, visit_id: uuid.UUID) -> list[ParticipantView]:
        """The attendance list of a visit, in order, with each person's identity."""
        query = (
            select(ParticipantRow, PersonRow)
            .join(PersonRow, PersonRow.id == ParticipantRow.person_id)
            .where(ParticipantRow.visit_id == visit_id, ParticipantRow.deleted.is_(False))
            .order_by(ParticipantRow.position, ParticipantRow.created_at)
        )
        return [
            ParticipantView(
                id=p.id,
                person_id=person.id,
                position=p.position,
                full_name=person.full_name,
                document_type=person.document_type,
                document_number=person.document_number,
                sex=person.sex,
                phone=person.phone,
                email=person.email,
                entity=p.entity,
                post=p.post,
                role=p.role,
                consent=p.consent,
            )
            for p, person in self._session.execute(query)
        ]

    def _live_rows(self, visit_id: uuid.UUID) -> Sequence[ParticipantRow]:
        query = select(ParticipantRow).where(
            ParticipantRow.visit_id == visit_id, ParticipantRow.deleted.is_(False)
        )
        return self._session.scalars(query).all()

    def _live(self, participant_id: uuid.UUID) -> ParticipantRow:
        row = self._session.get(ParticipantRow, participant_id)
        if row is None or row.deleted:
            raise LookupError(participant_id)
        return row
