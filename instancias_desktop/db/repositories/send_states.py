"""Where each visit stands with the server (Estado de envío), read for the visits lists.

A visit counts with its parts (participants, agreements, answers…): the worst state among
the changes not yet confirmed wins; a visit received from the server, or whose every change
the server confirmed and sent back, is «confirmado».
"""

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from instancias_desktop.db.models import OutboxRow, SeenVersionRow
from instancias_desktop.domain.enums import SendState

# Worst first: what the specialist must look at before what only waits.
_PRIORITY = (SendState.REJECTED, SendState.CONFLICT, SendState.PENDING, SendState.SENT)
_RANK = {state.value: rank for rank, state in enumerate(_PRIORITY)}


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
