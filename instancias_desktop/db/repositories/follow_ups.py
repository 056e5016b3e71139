"""Agreements across visits with their follow-ups: the agreements page and follow-up in a visit."""

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from instancias_desktop.db.models import (
    AgreementRow,
    FollowUpRow,
    GovernmentUnitRow,
    InstanciaRow,
    TerritoryRow,
    VisitRow,
)
from instancias_desktop.db.repositories.values import save_value
from instancias_desktop.domain.follow_ups import (
    AgreementLine,
    FollowUp,
    FollowUpView,
    current_status,
)
from instancias_desktop.domain.ubigeo import territory_label


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
    ) -> list[AgreementLine]:
        """Live agreements of live visits, newest visit first, with state derived for ``today``."""
        where: list[ColumnElement[bool]] = [
            AgreementRow.deleted.is_(False),
            VisitRow.deleted.is_(False),
        ]
        if instancia_id is not None:
            where.append(VisitRow.instancia_id == instancia_id)
        if agreement_id is not None:
            where.append(AgreementRow.id == agreement_id)
        query = (
            select(
                AgreementRow,
                VisitRow.acta_number,
                VisitRow.visit_date,
                InstanciaRow.id,
                InstanciaRow.name,
                GovernmentUnitRow.ubigeo,
            )
            .join(VisitRow, VisitRow.id == AgreementRow.visit_id)
            .join(InstanciaRow, InstanciaRow.id == VisitRow.instancia_id)
            .join(GovernmentUnitRow, GovernmentUnitRow.code == InstanciaRow.unit_code)
            .where(*where)
            .order_by(VisitRow.visit_date.desc(), VisitRow.acta_number, AgreementRow.number)
        )
        rows = list(self._session.execute(query))
        histories = self._histories([row[0].id for row in rows])
        names = dict(self._session.execute(select(TerritoryRow.code, TerritoryRow.name)).all())
        return [
            AgreementLine(
                id=row.id,
                visit_id=row.visit_id,
                acta_number=acta,
                visit_date=day,
                instancia_id=instancia,
                instancia_name=name,
                ubigeo=ubigeo,
                territory=territory_label(ubigeo, names),
                number=row.number,
                description=row.description,
                responsible_entity=row.responsible_entity,
                responsible_person=row.responsible_person,
                verification_means=row.verification_means,
                agreed_deadline=row.deadline,
                status=current_status(row.state, row.deadline, histories[row.id], today),
                history=tuple(histories[row.id]),
            )
            for row, acta, day, instancia, name, ubigeo in rows
        ]

    def _histories(
        self, agreement_ids: list[uuid.UUID]
    ) -> defaultdict[uuid.UUID, list[FollowUpView]]:
        """Follow-ups per agreement, newest first (all of them: the page shows every agreement)."""
        found: defaultdict[uuid.UUID, list[FollowUpView]] = defaultdict(list)
        if not agreement_ids:
            return found
        query = (
            select(FollowUpRow, VisitRow.acta_number)
            .outerjoin(VisitRow, VisitRow.id == FollowUpRow.visit_id)
            .where(FollowUpRow.deleted.is_(False))
        )
        if len(agreement_ids) < 500:
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
                    recorded_at=row.created_at,
                    acta_number=acta or "",
                    visit_id=row.visit_id,
                )
            )
        for history in found.values():
            history.sort(key=lambda f: f.order, reverse=True)
        return found
