"""Following up agreements: every agreement with its derived state, and progress recorded later."""

import uuid

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.follow_ups import (
    AgreementLine,
    FollowUp,
    FollowUpInput,
    check_follow_up,
)
from instancias_desktop.services.drafts import editable_visit


def agreement_lines(database: Database) -> tuple[AgreementLine, ...]:
    """Every live agreement of the profile, newest visit first, state derived for today."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        return tuple(uow.follow_ups.lines(today))


def open_agreements_for_visit(database: Database, visit_id: uuid.UUID) -> tuple[AgreementLine, ...]:
    """Agreements of earlier visits to the visit's instancia to follow up in it.

    Those still open, plus those whose progress was recorded in this very visit (so a
    «cumplido» recorded now stays on the list with its history).
    """
    today = peru_today(database.clock())
    with database.reader() as uow:
        visit = uow.visits.get(visit_id)
        lines = uow.follow_ups.lines(today, instancia_id=visit.instancia_id)
    return tuple(
        line
        for line in lines
        if line.visit_id != visit_id
        and line.visit_date <= visit.visit_date
        and (line.is_open or any(f.visit_id == visit_id for f in line.history))
    )


def record_follow_up(
    database: Database,
    agreement_id: uuid.UUID,
    data: FollowUpInput,
    visit_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Append progress on an agreement, in a draft visit to its instancia or from the page."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        agreement = uow.visits.agreement(agreement_id)
        agreed_in = uow.visits.get(agreement.visit_id)
        if visit_id is not None:
            visit = editable_visit(uow, visit_id)
            if visit.instancia_id != agreed_in.instancia_id:
                raise LookupError(agreement_id)
        check_follow_up(data, agreed_in.visit_date, today)
        follow_up = FollowUp(
            agreement_id=agreement_id,
            recorded_on=data.recorded_on,
            state=data.state,
            new_deadline=data.new_deadline,
            evidence=" ".join(data.evidence.split()),
            note=data.note.strip(),
            visit_id=visit_id,
        )
        uow.follow_ups.add(follow_up)
        uow.commit()
    return follow_up.id
