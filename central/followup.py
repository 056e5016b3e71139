"""Follow-up figures summed up in the database: agreements overdue or due soon, unsigned actas.

An agreement stands as on the laptops (``domain.follow_ups.current_status``): the state of its
latest follow-up (by date, then the instant it was recorded, then its id), the deadline of its
latest reschedule, and «vencido» when it is open and that deadline has passed.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import OPEN_STATES
from sync.kinds import AGREEMENT, FINALIZED, FOLLOW_UP, SIGNED_COPY, VISIT
from sync.server.store import Record

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


def within_territories(prefixes: tuple[str, ...]) -> ColumnElement[bool]:
    """Records of the viewer's territories (all for none)."""
    if not prefixes:
        return literal(True)
    return or_(*(Record.scope.startswith(p) for p in prefixes))


def hex_id(session: Session) -> ColumnElement[str]:
    """A record's id as 32 hex digits, the same on PostgreSQL (uuid) and SQLite (text)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.replace(cast(Record.record_id, String), "-", "")
    return type_coerce(Record.record_id, String)


def _hex(text: ColumnElement[str]) -> ColumnElement[str]:
    """An id written with dashes (as JSON fields hold them), as 32 hex digits."""
    return func.replace(text, "-", "")


def _standing(session: Session, prefixes: tuple[str, ...]) -> CTE:
    """Each agreement with the state and deadline it stands at, in one pass over the records.

    Agreements and their follow-ups are read as one list keyed by the agreement's id, ranked
    within each agreement by the laptops' order (date, instant recorded, id): the latest row
    gives the state, the latest row with a deadline gives the deadline (the agreement's own row
    ranks last, so it counts only without a later one). Window functions, no join: the same
    plan on PostgreSQL and SQLite, linear in the records.
    """
    fields = Record.fields
    own = select(
        hex_id(session).label("k"),
        func.substr(Record.scope, 1, 2).label("department"),
        fields["responsible_entity"].as_string().label("entity"),
        literal("").label("okey"),
        func.coalesce(fields["state"].as_string(), AGREEMENT.fields["state"].default).label(
            "state"
        ),
        fields["deadline"].as_string().label("deadline"),
    ).where(Record.kind == AGREEMENT.name, Record.deleted.is_(False), within_territories(prefixes))
    later = select(
        _hex(fields["agreement_id"].as_string()).label("k"),
        literal(None).label("department"),
        literal(None).label("entity"),
        (fields["recorded_on"].as_string() + fields["recorded_at"].as_string()
         + hex_id(session)).label("okey"),
        fields["state"].as_string().label("state"),
        fields["new_deadline"].as_string().label("deadline"),
    ).where(
        Record.kind == FOLLOW_UP.name, Record.deleted.is_(False), within_territories(prefixes)
    )  # fmt: skip
    rows = union_all(own, later).subquery()
    ranked = select(
        rows.c.k, rows.c.department, rows.c.entity, rows.c.state, rows.c.deadline,
        func.row_number().over(partition_by=rows.c.k, order_by=rows.c.okey.desc())
        .label("by_state"),
        func.row_number().over(
            partition_by=rows.c.k,
            order_by=(rows.c.deadline.is_(None), rows.c.okey.desc()),
        ).label("by_deadline"),
    ).subquery()  # fmt: skip
    return (
        select(
            ranked.c.k,
            func.max(ranked.c.department).label("department"),
            func.max(ranked.c.entity).label("entity"),
            func.max(case((ranked.c.by_state == 1, ranked.c.state))).label("state"),
            func.max(case((ranked.c.by_deadline == 1, ranked.c.deadline))).label("deadline"),
        )
        .group_by(ranked.c.k)
        .having(func.max(ranked.c.department).is_not(None))  # a follow-up of no agreement here
        .cte("acuerdos")
    )


def agreement_lines(
    session: Session, today: dt.date, prefixes: tuple[str, ...]
) -> list[AgreementLine]:
    """Open agreements by department and responsible entity (key «dd · entity»)."""
    standing = _standing(session, prefixes)
    key = standing.c.department + literal(" · ") + standing.c.entity
    deadline, soon = standing.c.deadline, (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    query = (
        select(
            key.label("key"),
            func.sum(case((deadline < today.isoformat(), 1), else_=0)),
            func.sum(case((and_(deadline >= today.isoformat(), deadline <= soon), 1), else_=0)),
            func.count(),
        )
        .where(standing.c.state.in_(OPEN))
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
    copy = aliased(Record)
    signed = (
        select(copy.record_id)
        .where(copy.parent_id == Record.record_id, copy.kind == SIGNED_COPY.name,
               copy.deleted.is_(False))
        .exists()
    )  # fmt: skip
    department = func.substr(Record.scope, 1, 2)
    query = (
        select(department, func.count(), func.sum(case((signed, 1), else_=0)))
        .where(
            Record.kind == VISIT.name,
            Record.deleted.is_(False),
            Record.fields["status"].as_string() == FINALIZED,
            within_territories(prefixes),
        )
        .group_by(department)
    )
    return {str(d): (int(total), int(with_copy or 0)) for d, total, with_copy in
            session.execute(query)}  # fmt: skip
