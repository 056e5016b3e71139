"""Where each visit stands with the server (Estado de envío), read for the visits lists.

A visit counts with its parts (participants, agreements, answers…): the worst state among
the changes not yet confirmed wins; a visit received from the server, or whose every change
the server confirmed and sent back, is «confirmado».
"""

import uuid

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from instancias_desktop.db.models import AttachmentRow, OutboxRow, SeenVersionRow, SignedCopyRow
from instancias_desktop.domain.enums import SendState

# Worst first: what the specialist must look at before what only waits.
_PRIORITY = (SendState.REJECTED, SendState.CONFLICT, SendState.PENDING, SendState.SENT)
_RANK = {state.value: rank for rank, state in enumerate(_PRIORITY)}


def record_states(
    session: Session, record_ids: list[uuid.UUID], files_sent: set[str] | None = None
) -> dict[uuid.UUID, SendState]:
    """The state of each of some records (agreements, annexes) made or received here.

    ``files_sent``: for annexes and signed copies, the contents the server holds whole; one
    made here whose file has not gone yet is still «pendiente de envío».
    """
    if not record_ids:
        return {}
    states: dict[uuid.UUID, SendState] = {
        record_id: SendState.CONFIRMED
        for (record_id,) in session.execute(
            select(SeenVersionRow.record_id).where(SeenVersionRow.record_id.in_(record_ids))
        )
    }
    worst: dict[uuid.UUID, int] = {}
    for record_id, state in session.execute(
        select(OutboxRow.record_id, OutboxRow.state)
        .where(OutboxRow.record_id.in_(record_ids))
        .distinct()
    ):
        rank = _RANK.get(state)
        if rank is None:
            states.setdefault(record_id, SendState.CONFIRMED)
        elif rank < worst.get(record_id, len(_PRIORITY)):
            worst[record_id] = rank
    for record_id, rank in worst.items():
        states[record_id] = _PRIORITY[rank]
    if files_sent is not None:
        made_here = {
            record_id
            for (record_id,) in session.execute(
                select(OutboxRow.record_id).where(OutboxRow.record_id.in_(record_ids)).distinct()
            )
        }
        files = [
            (record_id, sha256)
            for model in (AttachmentRow, SignedCopyRow)
            for record_id, sha256 in session.execute(
                select(model.id, model.sha256).where(model.id.in_(record_ids))
            )
        ]
        for record_id, sha256 in files:
            waiting = states.get(record_id) in {SendState.CONFIRMED, SendState.SENT}
            if record_id in made_here and waiting and sha256 not in files_sent:
                states[record_id] = SendState.PENDING  # the record went; its file not yet
    return states


def send_states(session: Session) -> dict[str, SendState]:
    """Each visit's state, by the stored text of its id.

    Visits never sent nor received are left out: they exist only on this laptop.
    """
    states: dict[str, SendState] = {}
    received = select(type_coerce(SeenVersionRow.record_id, String)).where(
        SeenVersionRow.kind == "visit"
    )
    for (key,) in session.execute(received):
        states[key] = SendState.CONFIRMED
    visit = type_coerce(func.coalesce(OutboxRow.parent_id, OutboxRow.record_id), String)
    sent = (
        select(visit, OutboxRow.state)
        .where((OutboxRow.kind == "visit") | OutboxRow.parent_id.is_not(None))
        .distinct()
    )
    worst: dict[str, int] = {}
    for key, state in session.execute(sent):
        rank = _RANK.get(state)
        if rank is None:  # confirmed: counts until the server sends the visit back
            states.setdefault(key, SendState.CONFIRMED)
        elif rank < worst.get(key, len(_PRIORITY)):
            worst[key] = rank
    for key, rank in worst.items():
        states[key] = _PRIORITY[rank]
    return states
