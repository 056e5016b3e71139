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

from central.summary_tables import agreements, instruments, sessions, signed_copies, visits
from instancias_desktop.domain.enums import AgreementState, InstrumentType
from instancias_desktop.domain.follow_ups import OPEN_STATES
from instancias_desktop.domain.instancia_standing import PLANS
from instancias_desktop.domain.record_evidence import REPORT_WINDOW_DAYS, SESSION_WINDOW_DAYS

# Stored states of an open agreement, as the laptops read it («vencido» is never stored).
OPEN = tuple(sorted(s.value for s in OPEN_STATES - {AgreementState.OVERDUE}))
DUE_SOON_DAYS = 30
RULES, REPORT = InstrumentType.RULES.value, InstrumentType.REPORT.value
PLAN_TYPES = tuple(p.value for p in PLANS)


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


@dataclass(frozen=True)
class RecordsLine:
    """What the instancias of a department have recorded of their own functioning."""

    recent_session: int  # instancias with a session in the window the checklist uses
    sessions_year: int  # sessions held in the last 12 months
    rules: int  # instancias with an approved reglamento interno
    plan: int  # instancias with a plan whose period covers today
    report: int  # instancias that sent a report within the last year


def records_lines(
    session: Session, today: dt.date, prefixes: tuple[str, ...]
) -> dict[str, RecordsLine]:
    """Per department, sessions and instruments as the checklist's offers read them."""
    day = today.isoformat()
    recent = (today - dt.timedelta(days=SESSION_WINDOW_DAYS)).isoformat()
    year = (today - dt.timedelta(days=REPORT_WINDOW_DAYS)).isoformat()
    held = sessions.c.held_on
    department = func.substr(sessions.c.scope, 1, 2)
    found: dict[str, list[int]] = {}
    for code, with_recent, in_year in session.execute(
        select(
            department,
            func.count(func.distinct(case((and_(held >= recent, held <= day),
                                           sessions.c.instancia_id)))),
            func.sum(case((and_(held >= year, held <= day), 1), else_=0)),
        ).where(within(sessions.c.scope, prefixes)).group_by(department)
    ):  # fmt: skip
        found[str(code)] = [int(with_recent or 0), int(in_year or 0), 0, 0, 0]
    kind, approved = instruments.c.instrument_type, instruments.c.approved_on
    start, end, sent = instruments.c.period_start, instruments.c.period_end, instruments.c.sent_on
    department = func.substr(instruments.c.scope, 1, 2)
    for code, rules, plan, report in session.execute(
        select(
            department,
            *(func.count(func.distinct(case((condition, instruments.c.instancia_id))))
              for condition in (
                  and_(kind == RULES, approved.is_not(None), approved <= day),
                  and_(kind.in_(PLAN_TYPES), approved.is_not(None),
                       or_(start.is_(None), start <= day), end.is_not(None), end >= day),
                  and_(kind == REPORT, sent >= year, sent <= day),
              )),
        ).where(within(instruments.c.scope, prefixes)).group_by(department)
    ):  # fmt: skip
        line = found.setdefault(str(code), [0, 0, 0, 0, 0])
        line[2:] = [int(rules or 0), int(plan or 0), int(report or 0)]
    return {code: RecordsLine(*values) for code, values in found.items()}
