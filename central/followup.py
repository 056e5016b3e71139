"""Follow-up figures summed up in the database: agreements overdue or due soon, unsigned actas.

An agreement stands as on the laptops (``domain.follow_ups.current_status``): the state of its
latest follow-up (by date, then the instant it was recorded, then its id), the deadline of its
latest reschedule, and «vencido» when it is open and that deadline has passed.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, String, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from sync.kinds import AGREEMENT, FINALIZED, FOLLOW_UP, SIGNED_COPY, VISIT
from sync.server.store import Record

OPEN_STATES = ("pendiente", "en_proceso", "reprogramado")
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class AgreementLine:
    """Open agreements of a territory (or of an entity in it): overdue and due soon."""

    key: str
    overdue: int
    due_soon: int
    open: int


def _within(prefixes: tuple[str, ...]) -> ColumnElement[bool]:
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


def _latest(where: ColumnElement[bool], value: ColumnElement[str]) -> Select[tuple[str, str]]:
    """Per agreement, ``value`` of its latest follow-up that meets ``where``."""
    fields = Record.fields
    agreement = fields["agreement_id"].as_string()
    ranked = (
        select(
            _hex(agreement).label("agreement"),
            value.label("value"),
            func.row_number()
            .over(
                partition_by=agreement,
                order_by=(
                    fields["recorded_on"].as_string().desc(),
                    fields["recorded_at"].as_string().desc(),
                    Record.record_id.desc(),
                ),
            )
            .label("position"),
        )
        .where(Record.kind == FOLLOW_UP.name, Record.deleted.is_(False), where)
        .subquery()
    )
    return select(ranked.c.agreement, ranked.c.value).where(ranked.c.position == 1)


def agreement_lines(
    session: Session, today: dt.date, prefixes: tuple[str, ...], *, by_entity: bool
) -> list[AgreementLine]:
    """Open agreements by department (or by department and responsible entity)."""
    fields = Record.fields
    state = _latest(literal(True), fields["state"].as_string()).subquery()
    moved = _latest(
        fields["new_deadline"].as_string().is_not(None), fields["new_deadline"].as_string()
    ).subquery()
    # A field left at its default is not stored: an agreement without «state» is pending.
    stored_state = func.coalesce(fields["state"].as_string(), AGREEMENT.fields["state"].default)
    current_state = func.coalesce(state.c.value, stored_state)
    deadline = func.coalesce(moved.c.value, fields["deadline"].as_string())
    department = func.substr(Record.scope, 1, 2)
    entity = fields["responsible_entity"].as_string()
    key = (department + literal(" · ") + entity) if by_entity else department
    soon = (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    query = (
        select(
            key.label("key"),
            func.sum(case((deadline < today.isoformat(), 1), else_=0)),
            func.sum(case((and_(deadline >= today.isoformat(), deadline <= soon), 1), else_=0)),
            func.count(),
        )
        .select_from(Record)
        .outerjoin(state, state.c.agreement == hex_id(session))
        .outerjoin(moved, moved.c.agreement == hex_id(session))
        .where(
            Record.kind == AGREEMENT.name,
            Record.deleted.is_(False),
            current_state.in_(OPEN_STATES),
            _within(prefixes),
        )
        .group_by(key)
    )
    return [AgreementLine(str(k), int(o or 0), int(s or 0), int(n)) for k, o, s, n in
            session.execute(query)]  # fmt: skip


def unsigned_actas(session: Session, prefixes: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Per department: (finalized actas, of which a signed copy is attached)."""
    copy = aliased(Record)
    signed = (
        select(copy.parent_id)
        .where(copy.kind == SIGNED_COPY.name, copy.deleted.is_(False))
        .distinct()
        .subquery()
    )
    department = func.substr(Record.scope, 1, 2)
    query = (
        select(department, func.count(), func.count(signed.c.parent_id))
        .select_from(Record)
        .outerjoin(signed, signed.c.parent_id == Record.record_id)
        .where(
            Record.kind == VISIT.name,
            Record.deleted.is_(False),
            Record.fields["status"].as_string() == FINALIZED,
            _within(prefixes),
        )
        .group_by(department)
    )
    return {str(d): (int(total), int(with_copy)) for d, total, with_copy in session.execute(query)}
