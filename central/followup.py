"""Follow-up figures summed up in the database: agreements overdue or due soon, unsigned actas.

An agreement stands as on the laptops (``domain.follow_ups.current_status``): the summary table
keeps the state of its latest follow-up and the deadline of its latest reschedule
(``central.summary_tables``); here it is «vencido» when it is open and that deadline has passed.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from central.summary_tables import agreements, signed_copies, visits
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import OPEN_STATES

# Stored states of an open agreement, as the laptops read it («vencido» is never stored).
OPEN = tuple(sorted(s.value for s in OPEN_STATES - {AgreementState.OVERDUE}))
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class AgreementLine:
    """Open agreements of a territory (or of an entity in it): overdue and due soon."""

    key: str
    overdue: int
    due_soon: int
    open: int


def within(scope: Column[str], prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """Rows of the viewer's territories (all for none), by their ``scope`` column."""
    if not prefixes:
        return literal(True)
    return or_(*(scope.startswith(p) for p in prefixes))


def agreement_lines(
    session: Session, today: dt.date, prefixes: tuple[str, ...]
) -> list[AgreementLine]:
    """Open agreements by department and responsible entity (key «dd · entity»)."""
    key = func.substr(agreements.c.scope, 1, 2) + literal(" · ") + agreements.c.entity
    deadline, soon = agreements.c.deadline, (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    query = (
        select(
            key.label("key"),
            func.sum(case((deadline < today.isoformat(), 1), else_=0)),
            func.sum(case((and_(deadline >= today.isoformat(), deadline <= soon), 1), else_=0)),
            func.count(),
        )
        .where(agreements.c.state.in_(OPEN), within(agreements.c.scope, prefixes))
        .group_by(key)
    )
    return [AgreementLine(str(k), int(o or 0), int(s or 0), int(n)) for k, o, s, n in
            session.execute(query)]  # fmt: skip


def by_department(lines: list[AgreementLine]) -> list[AgreementLine]:
    """The entity lines summed up per department (a few hundred lines at most)."""
    totals: dict[str, list[int]] = {}
    for line in lines:
        total = totals.setdefault(line.key.partition(" · ")[0], [0, 0, 0])
        total[0] += line.overdue
        total[1] += line.due_soon
        total[2] += line.open
    return [AgreementLine(k, *v) for k, v in sorted(totals.items())]


def unsigned_actas(session: Session, prefixes: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Per department: (finalized actas, of which a signed copy is attached)."""
    signed = (
        select(signed_copies.c.copy_id)
        .where(signed_copies.c.visit_id == visits.c.visit_id)
        .exists()
    )
    department = func.substr(visits.c.scope, 1, 2)
    query = (
        select(department, func.count(), func.sum(case((signed, 1), else_=0)))
        .where(visits.c.finalized.is_(True), within(visits.c.scope, prefixes))
        .group_by(department)
    )
    return {str(d): (int(total), int(with_copy or 0)) for d, total, with_copy in
            session.execute(query)}  # fmt: skip
