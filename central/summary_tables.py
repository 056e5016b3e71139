"""The dashboard's summary tables and how a changed record updates them.

One narrow row per visit, per agreement (with the state and deadline it stands at, as the
laptops order its follow-ups), per follow-up, per signed copy, per session of an instancia
and per management instrument. A deleted record leaves no
row. Changing a table here means raising ``SCHEMA``: the tables are then rebuilt.
"""

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import FollowUpView, current_status
from sync.kinds import AGREEMENT, FINALIZED, FOLLOW_UP, SIGNED_COPY, VISIT
from sync.registry_kinds import INSTRUMENT, SESSION

SCHEMA = 3  # raise it when a table below changes: the tables are rebuilt from the records
SCORE = re.compile(r"\s*(\d{1,3})\s*/\s*100\s*$")
KINDS = (
    VISIT.name,
    AGREEMENT.name,
    FOLLOW_UP.name,
    SIGNED_COPY.name,
    SESSION.name,
    INSTRUMENT.name,
)
IN_CLAUSE = 500  # ids per DELETE … IN (…)

metadata = MetaData()
state = Table(
    "central_summary_state", metadata,
    Column("name", String(40), primary_key=True),
    Column("schema", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
)  # fmt: skip
visits = Table(
    "central_visits", metadata,
    Column("visit_id", Uuid, primary_key=True),
    Column("instancia_id", String(36), nullable=False, index=True),
    Column("scope", String(6), nullable=False, index=True),
    Column("visit_date", String(10), nullable=False),
    Column("month", String(7), nullable=False),
    Column("at_type", String(30), nullable=False),
    Column("author", String(100), nullable=False),
    Column("finalized", Boolean, nullable=False),
    Column("score", Integer, nullable=True),  # the acta's functioning score (0–100), if any
    Column("seq", BigInteger, nullable=False),
)  # fmt: skip
agreements = Table(
    "central_agreements", metadata,
    Column("agreement_id", Uuid, primary_key=True),
    Column("scope", String(6), nullable=False, index=True),
    Column("entity", String(200), nullable=False),
    Column("own_state", String(20), nullable=False),
    Column("own_deadline", String(10), nullable=False),
    # Where it stands after its follow-ups: the latest one's state, the latest reschedule.
    Column("state", String(20), nullable=False),
    Column("deadline", String(10), nullable=False),
)  # fmt: skip
follow_ups = Table(
    "central_follow_ups", metadata,
    Column("follow_up_id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, nullable=False, index=True),
    Column("recorded_on", String(10), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("new_deadline", String(10), nullable=True),
)  # fmt: skip
signed_copies = Table(
    "central_signed_copies", metadata,
    Column("copy_id", Uuid, primary_key=True),
    Column("visit_id", Uuid, nullable=False, index=True),
)  # fmt: skip
sessions = Table(
    "central_sessions", metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("instancia_id", String(36), nullable=False),
    Column("scope", String(6), nullable=False, index=True),
    Column("held_on", String(10), nullable=False),
)  # fmt: skip
instruments = Table(
    "central_instruments", metadata,
    Column("instrument_id", Uuid, primary_key=True),
    Column("instancia_id", String(36), nullable=False),
    Column("scope", String(6), nullable=False, index=True),
    Column("instrument_type", String(30), nullable=False),
    Column("approved_on", String(10), nullable=True),
    Column("period_start", String(10), nullable=True),
    Column("period_end", String(10), nullable=True),
    Column("sent_on", String(10), nullable=True),
)  # fmt: skip
DERIVED = (visits, agreements, follow_ups, signed_copies, sessions, instruments)
KEYS = {
    VISIT.name: visits.c.visit_id, AGREEMENT.name: agreements.c.agreement_id,
    FOLLOW_UP.name: follow_ups.c.follow_up_id, SIGNED_COPY.name: signed_copies.c.copy_id,
    SESSION.name: sessions.c.session_id, INSTRUMENT.name: instruments.c.instrument_id,
}  # fmt: skip


def acta_score(content: Any) -> int | None:
    """The functioning score an acta's sealed content states («49 / 100»), or None."""
    if not isinstance(content, str) or not content:
        return None
    try:
        checklist = json.loads(content).get("checklist") or {}
    except (ValueError, AttributeError):
        return None
    found = SCORE.match(str(checklist.get("score", ""))) if isinstance(checklist, dict) else None
    return int(found.group(1)) if found and int(found.group(1)) <= 100 else None


def _text(fields: dict[str, Any], name: str, size: int) -> str:
    """A field as text cut to its column: a record the server let in never breaks a summary."""
    return str(fields.get(name) or "")[:size]


def _as_id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _visit(row: Any) -> dict[str, Any]:
    fields = row.fields
    day = _text(fields, "visit_date", 10)
    finalized = fields.get("status") == FINALIZED
    return {
        "visit_id": row.record_id, "instancia_id": _text(fields, "instancia_id", 36),
        "scope": row.scope, "visit_date": day, "month": day[:7],
        "at_type": _text(fields, "at_type", 30), "author": row.owner[:100], "finalized": finalized,
        "score": acta_score(fields.get("acta_content")) if finalized else None, "seq": row.seq,
    }  # fmt: skip


def _agreement(row: Any) -> dict[str, Any]:
    fields = row.fields
    own_state = _text(fields, "state", 20) or str(AGREEMENT.fields["state"].default)
    deadline = _text(fields, "deadline", 10)
    return {
        "agreement_id": row.record_id, "scope": row.scope,
        "entity": _text(fields, "responsible_entity", 200), "own_state": own_state,
        "own_deadline": deadline, "state": own_state, "deadline": deadline,
    }  # fmt: skip


def _follow_up(row: Any) -> dict[str, Any] | None:
    fields = row.fields
    agreement = _as_id(fields.get("agreement_id"))
    if agreement is None:
        return None
    return {
        "follow_up_id": row.record_id, "agreement_id": agreement,
        "recorded_on": _text(fields, "recorded_on", 10),
        "recorded_at": _text(fields, "recorded_at", 40),
        "state": _text(fields, "state", 20),
        "new_deadline": _text(fields, "new_deadline", 10) or None,
    }  # fmt: skip


def _signed_copy(row: Any) -> dict[str, Any] | None:
    return {"copy_id": row.record_id, "visit_id": row.parent_id} if row.parent_id else None


def _session(row: Any) -> dict[str, Any]:
    fields = row.fields
    return {
        "session_id": row.record_id, "instancia_id": _text(fields, "instancia_id", 36),
        "scope": row.scope, "held_on": _text(fields, "held_on", 10),
    }  # fmt: skip


def _instrument(row: Any) -> dict[str, Any]:
    fields = row.fields
    return {
        "instrument_id": row.record_id, "instancia_id": _text(fields, "instancia_id", 36),
        "scope": row.scope, "instrument_type": _text(fields, "instrument_type", 30),
        **{name: _text(fields, name, 10) or None
           for name in ("approved_on", "period_start", "period_end", "sent_on")},
    }  # fmt: skip


BUILDERS = {
    VISIT.name: (visits, _visit), AGREEMENT.name: (agreements, _agreement),
    FOLLOW_UP.name: (follow_ups, _follow_up), SIGNED_COPY.name: (signed_copies, _signed_copy),
    SESSION.name: (sessions, _session), INSTRUMENT.name: (instruments, _instrument),
}  # fmt: skip


def apply_changes(session: Session, rows: Sequence[Any]) -> None:
    """Replace the summaries of these records, then settle the agreements they touch.

    ``rows``: kind, record_id, fields, deleted, scope, owner, parent_id and seq of each.
    """
    touched: set[uuid.UUID] = set()
    for kind, (table, build) in BUILDERS.items():
        mine = [r for r in rows if r.kind == kind]
        if not mine:
            continue
        ids = [r.record_id for r in mine]
        if kind == FOLLOW_UP.name:  # the agreements they followed, before and after
            touched |= set(session.scalars(
                select(follow_ups.c.agreement_id).where(follow_ups.c.follow_up_id.in_(ids))
            ))  # fmt: skip
        for start in range(0, len(ids), IN_CLAUSE):
            session.execute(delete(table).where(KEYS[kind].in_(ids[start : start + IN_CLAUSE])))
        live = [built for r in mine if not r.deleted and (built := build(r)) is not None]
        if live:
            session.execute(insert(table), live)
        if kind in {AGREEMENT.name, FOLLOW_UP.name}:
            touched |= {r["agreement_id"] for r in live}
    _settle(session, touched)


def _settle(session: Session, ids: Iterable[uuid.UUID]) -> None:
    """Each agreement's state and deadline after its follow-ups, ordered as on the laptops.

    An agreement without follow-ups already stands at its own terms: only the others are
    written, in one statement per chunk.
    """
    wanted = list(ids)
    for start in range(0, len(wanted), IN_CLAUSE):
        chunk = wanted[start : start + IN_CLAUSE]
        history: dict[uuid.UUID, list[FollowUpView]] = {}
        for f in session.execute(select(follow_ups).where(follow_ups.c.agreement_id.in_(chunk))):
            view = _view(f)
            if view is not None:
                history.setdefault(f.agreement_id, []).append(view)
        if not history:
            continue
        changes = []
        for agreement in session.execute(
            select(agreements.c.agreement_id, agreements.c.own_state, agreements.c.own_deadline)
            .where(agreements.c.agreement_id.in_(list(history)))
        ):  # fmt: skip
            settled = _standing(agreement, history[agreement.agreement_id])
            if settled is not None:
                changes.append({"key": agreement.agreement_id, "to_state": settled[0],
                                "to_deadline": settled[1]})  # fmt: skip
        if changes:
            session.execute(
                update(agreements)
                .where(agreements.c.agreement_id == bindparam("key"))
                .values(state=bindparam("to_state"), deadline=bindparam("to_deadline")),
                changes,
            )


def _view(row: Any) -> FollowUpView | None:
    try:
        return FollowUpView(
            row.follow_up_id, dt.date.fromisoformat(row.recorded_on), AgreementState(row.state),
            dt.date.fromisoformat(row.new_deadline) if row.new_deadline else None, "", "", "",
            dt.datetime.fromisoformat(row.recorded_at),
        )  # fmt: skip
    except ValueError:
        return None  # the server checked it; an unreadable one is left out, not guessed


def _standing(agreement: Any, history: list[FollowUpView]) -> tuple[str, str] | None:
    try:
        stored = AgreementState(agreement.own_state)
        deadline = dt.date.fromisoformat(agreement.own_deadline)
    except ValueError:
        return None
    # Before any deadline nothing is «vencido»: the state as stored, decided by the domain.
    found = current_status(stored, deadline, history, dt.date.min)
    return found.state.value, found.deadline.isoformat()
