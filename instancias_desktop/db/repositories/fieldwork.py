"""Field-work queries and bulk loads: people, visits, participants, agreements."""

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Syncable
from instancias_desktop.db.models import (
    AgreementRow,
    ChecklistResponseRow,
    ChecklistRow,
    ParticipantRow,
    PersonRow,
    VisitRow,
)
from instancias_desktop.db.repositories.bulk import insert_stamped
from instancias_desktop.domain.clock import PERU
from instancias_desktop.domain.entities import (
    Agreement,
    Checklist,
    ChecklistResponse,
    Participant,
    Person,
    Visit,
)
from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.people import person_key

_COUNTED: dict[str, type[Syncable]] = {
    "visits": VisitRow,
    "participants": ParticipantRow,
    "persons": PersonRow,
    "agreements": AgreementRow,
    "checklist_responses": ChecklistResponseRow,
}


def _closing_time(visit: Visit) -> dict[str, object]:
    if visit.status is not VisitStatus.FINALIZED:
        return {}
    end = visit.end_time or visit.start_time or dt.time(0, 0)
    return {"finalized_at": dt.datetime.combine(visit.visit_date, end, PERU).astimezone(dt.UTC)}


class FieldworkRepository:
    """Reads and writes visits and what hangs from them within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_persons(self, persons: Iterable[Person], author: str | None = None) -> int:
        """Record participant identities."""
        return insert_stamped(
            self._session,
            PersonRow,
            persons,
            author,
            derive=lambda p: {"search_key": person_key(p)},
        )

    def add_visits(self, visits: Iterable[Visit], author: str | None = None) -> int:
        """Record visits; a finalized one is taken as closed when its meeting ended."""
        return insert_stamped(self._session, VisitRow, visits, author, derive=_closing_time)

    def add_participants(
        self, participants: Iterable[Participant], author: str | None = None
    ) -> int:
        """Record who attended."""
        return insert_stamped(self._session, ParticipantRow, participants, author)

    def add_agreements(self, agreements: Iterable[Agreement], author: str | None = None) -> int:
        """Record agreements."""
        return insert_stamped(self._session, AgreementRow, agreements, author)

    def add_checklists(
        self,
        checklists: Iterable[Checklist],
        responses: Iterable[ChecklistResponse],
        author: str | None = None,
    ) -> int:
        """Record filled checklists and their answers."""
        insert_stamped(self._session, ChecklistRow, checklists, author)
        return insert_stamped(self._session, ChecklistResponseRow, responses, author)

    def counts(self) -> dict[str, int]:
        """Live rows of each field-work table, for support and the demo report."""
        return {
            name: self._session.scalar(select(func.count(model.id)).where(model.deleted.is_(False)))
            or 0
            for name, model in _COUNTED.items()
        }

    def acta_numbers(self) -> set[str]:
        """Every acta number in use, deleted visits included: numbers are never reused."""
        return set(self._session.scalars(select(VisitRow.acta_number)))
