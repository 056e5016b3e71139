"""Following up agreements: every agreement with its derived state, and progress recorded later."""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.follow_ups import (
    AgreementLine,
    FollowUp,
    FollowUpInput,
    check_follow_up,
    current_status,
)
from instancias_desktop.domain.visit_views import AgreementView
from instancias_desktop.services.drafts import editable_visit
from instancias_desktop.services.identity import identity_in


def agreement_lines(database: Database) -> tuple[AgreementLine, ...]:
    """Every live agreement of the profile, newest visit first, state derived for today."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        return signed(uow, uow.follow_ups.lines(today))


def agreements_due(database: Database, days: int) -> tuple[AgreementLine, ...]:
    """Open agreements overdue or falling due within ``days`` (the home page)."""
    today = peru_today(database.clock())
    with database.reader() as uow:
        lines = signed(uow, uow.follow_ups.lines(today, due_by=today + dt.timedelta(days=days)))
    return tuple(line for line in lines if line.is_open and (line.deadline - today).days <= days)


def open_agreements_for_visit(database: Database, visit_id: uuid.UUID) -> tuple[AgreementLine, ...]:
    """Agreements of earlier visits to the visit's instancia to follow up in it.

    Those still open, plus those whose progress was recorded in this very visit (so a
    «cumplido» recorded now stays on the list with its history).
    """
    today = peru_today(database.clock())
    with database.reader() as uow:
        visit = uow.visits.get(visit_id)
        lines = signed(uow, uow.follow_ups.lines(today, instancia_id=visit.instancia_id))
    return tuple(
        line
        for line in lines
        if line.visit_id != visit_id
        and line.visit_date <= visit.visit_date
        and (line.is_open or any(f.visit_id == visit_id for f in line.history))
    )


def signed(uow: UnitOfWork, lines: Iterable[AgreementLine]) -> tuple[AgreementLine, ...]:
    """Her own follow-ups say «Registrado por» with her name and post, not her user name."""
    me = identity_in(uow)
    if not me.complete:
        return tuple(lines)
    return tuple(
        dataclasses.replace(
            line,
            history=tuple(
                dataclasses.replace(f, author=me.signature) if f.author == me.username else f
                for f in line.history
            ),
        )
        if any(f.author == me.username for f in line.history)
        else line
        for line in lines
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
            recorded_at=database.clock(),
            new_deadline=data.new_deadline,
            evidence=" ".join(data.evidence.split()),
            note=data.note.strip(),
            visit_id=visit_id,
        )
        uow.follow_ups.add(follow_up)
        uow.commit()
    return follow_up.id


def with_follow_ups(
    uow: UnitOfWork, today: dt.date, agreements: Iterable[AgreementView]
) -> tuple[AgreementView, ...]:
    """Agreements as their follow-ups left them: state and deadline in force today."""
    listed = list(agreements)
    histories = uow.follow_ups.histories([a.id for a in listed])
    result = []
    for agreement in listed:
        history = histories.get(agreement.id)
        if not history:
            result.append(agreement)
            continue
        status = current_status(agreement.stored_state, agreement.deadline, history, today)
        result.append(dataclasses.replace(agreement, state=status.state, deadline=status.deadline))
    return tuple(result)
