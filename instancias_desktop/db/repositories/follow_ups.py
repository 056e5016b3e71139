"""Agreements across visits with their follow-ups: the agreements page and follow-up in a visit.

At national scale (tens of thousands of agreements) the rows are read as stored values and
converted here with lookups, as the visits list does: the ORM's per-row work would cost seconds.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    AgreementRow,
    FollowUpRow,
    GovernmentUnitRow,
    InstanciaRow,
    TerritoryRow,
    VisitRow,
)
from instancias_desktop.db.repositories.agreement_numbers import shown_numbers
from instancias_desktop.db.repositories.values import as_text, save_value
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import (
    OPEN_STATES,
    AgreementLine,
    FollowUp,
    FollowUpView,
    current_status,
)
from instancias_desktop.domain.ubigeo import territory_label

_STATES = {s.value: s for s in AgreementState}
History = defaultdict[uuid.UUID, list[FollowUpView]]


def _cached(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """``convert`` remembering its answers: ids and places repeat across thousands of rows."""
    seen: dict[str, Any] = {}

    def get(key: str) -> Any:
        value = seen.get(key)
        if value is None:
            value = seen[key] = convert(key)
        return value

    return get


class FollowUpRepository:
    """Reads agreements with their history and appends follow-ups, within one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, follow_up: FollowUp) -> None:
        """Append a follow-up (never edited afterwards)."""
        save_value(self._session, FollowUpRow, follow_up)

    def lines(
        self,
        today: dt.date,
        *,
        instancia_id: uuid.UUID | None = None,
        agreement_id: uuid.UUID | None = None,
        due_by: dt.date | None = None,
    ) -> list[AgreementLine]:
        """Live agreements of live visits, newest visit first, with state derived for ``today``.

        With ``due_by``, only those that may be open with a deadline up to that date: open and
        due by then as agreed, or followed up (their follow-ups decide).
        """
        where: list[ColumnElement[bool]] = [
            AgreementRow.deleted.is_(False),
            VisitRow.deleted.is_(False),
        ]
        if due_by is not None:
            followed = select(FollowUpRow.agreement_id).where(FollowUpRow.deleted.is_(False))
            where.append(
                or_(
                    and_(
                        AgreementRow.state.in_(OPEN_STATES - {AgreementState.OVERDUE}),
                        AgreementRow.deadline <= due_by,
                    ),
                    AgreementRow.id.in_(followed),
                )
            )
        if instancia_id is not None:
            where.append(VisitRow.instancia_id == instancia_id)
        if agreement_id is not None:
            where.append(AgreementRow.id == agreement_id)
        shown = shown_numbers(instancia_id=instancia_id)
        query = (
            select(
                as_text(AgreementRow.id, "agreement_key"),
                as_text(AgreementRow.visit_id, "visit_key"),
                VisitRow.acta_number,
                as_text(VisitRow.visit_date, "visit_day"),
                as_text(VisitRow.instancia_id, "instancia_key"),
                InstanciaRow.name,
                GovernmentUnitRow.ubigeo,
                shown.c.shown,
                AgreementRow.description,
                AgreementRow.responsible_entity,
                AgreementRow.responsible_person,
                AgreementRow.verification_means,
                as_text(AgreementRow.deadline, "deadline"),
                as_text(AgreementRow.state, "state"),
            )
            .join(VisitRow, VisitRow.id == AgreementRow.visit_id)
            .join(InstanciaRow, InstanciaRow.id == VisitRow.instancia_id)
            .join(GovernmentUnitRow, GovernmentUnitRow.code == InstanciaRow.unit_code)
            .join(shown, shown.c.agreement_id == AgreementRow.id)
            .where(*where)
            .order_by(VisitRow.visit_date.desc(), VisitRow.acta_number, shown.c.shown)
        )
        rows = self._session.connection().execute(query).all()
        scoped = instancia_id is not None or agreement_id is not None or due_by is not None
        histories = self.histories([uuid.UUID(row[0]) for row in rows] if scoped else None)
        names = dict(self._session.execute(select(TerritoryRow.code, TerritoryRow.name)).all())
        ids, days = _cached(uuid.UUID), _cached(dt.date.fromisoformat)
        places = _cached(lambda ubigeo: territory_label(ubigeo, names))
        result = []
        for row in rows:
            (key, visit, acta, day, owner, name, ubigeo, number, text, entity, person, means,
             deadline, state) = row  # fmt: skip
            agreement, agreed = uuid.UUID(key), days(deadline)
            history = histories.get(agreement, [])
            line = AgreementLine(
                id=agreement, visit_id=ids(visit), acta_number=acta, visit_date=days(day),
                instancia_id=ids(owner), instancia_name=name, ubigeo=ubigeo,
                territory=places(ubigeo), number=number, description=text,
                responsible_entity=entity, responsible_person=person, verification_means=means,
                agreed_deadline=agreed,
                status=current_status(_STATES[state], agreed, history, today),
                history=tuple(history),
            )  # fmt: skip
            result.append(line)
        return result

    def histories(self, agreement_ids: list[uuid.UUID] | None) -> History:
        """Follow-ups per agreement, newest first (of those given, or of every agreement)."""
        found: History = defaultdict(list)
        if agreement_ids is not None and not agreement_ids:
            return found
        query = (
            select(FollowUpRow, VisitRow.acta_number)
            .outerjoin(VisitRow, VisitRow.id == FollowUpRow.visit_id)
            .where(FollowUpRow.deleted.is_(False))
        )
        if agreement_ids is not None and len(agreement_ids) < 500:
            query = query.where(FollowUpRow.agreement_id.in_(agreement_ids))
        for row, acta in self._session.execute(query):
            found[row.agreement_id].append(
                FollowUpView(
                    id=row.id,
                    recorded_on=row.recorded_on,
                    state=row.state,
                    new_deadline=row.new_deadline,
                    evidence=row.evidence,
                    note=row.note,
                    author=row.author,
                    recorded_at=row.recorded_at,
                    acta_number=acta or "",
                    visit_id=row.visit_id,
                )
            )
        for history in found.values():
            history.sort(key=lambda f: f.order, reverse=True)
        return found

    def overdue_by_instancia(self, today: dt.date) -> dict[uuid.UUID, int]:
        """How many agreements of each instancia are overdue today (for the ranking).

        Agreements never followed up are counted by SQL (open, deadline passed); the few with
        follow-ups are derived one by one, as the agreements page derives them.
        """
        live = (AgreementRow.deleted.is_(False), VisitRow.deleted.is_(False))
        followed = select(FollowUpRow.agreement_id).where(FollowUpRow.deleted.is_(False))
        plain = (
            select(as_text(VisitRow.instancia_id, "instancia_key"), func.count())
            .select_from(AgreementRow)
            .join(VisitRow, VisitRow.id == AgreementRow.visit_id)
            .where(
                *live,
                AgreementRow.state.in_(OPEN_STATES - {AgreementState.OVERDUE}),
                AgreementRow.deadline < today,
                AgreementRow.id.not_in(followed),
            )
            .group_by(VisitRow.instancia_id)
        )
        counts = {key: count for key, count in self._session.execute(plain)}  # noqa: C416
        histories = self.histories(None)
        if histories:
            rows = select(
                AgreementRow.id,
                as_text(VisitRow.instancia_id, "instancia_key"),
                AgreementRow.state,
                AgreementRow.deadline,
            ).join(VisitRow, VisitRow.id == AgreementRow.visit_id)
            query = rows.where(*live, AgreementRow.id.in_(followed))
            for agreement, key, state, deadline in self._session.execute(query):
                status = current_status(state, deadline, histories[agreement], today)
                if status.state is AgreementState.OVERDUE:
                    counts[key] = counts.get(key, 0) + 1
        return {uuid.UUID(key): count for key, count in counts.items()}
