"""Agreement state: 'vencido' derives from the deadline and Peru's civil date."""

import datetime as dt

from instancias_desktop.domain.enums import AgreementState

_OPEN = frozenset({AgreementState.PENDING, AgreementState.IN_PROGRESS, AgreementState.RESCHEDULED})
STORABLE_STATES = tuple(s for s in AgreementState if s is not AgreementState.OVERDUE)


def effective_state(stored: AgreementState, deadline: dt.date, today: dt.date) -> AgreementState:
    """The state to show: an open agreement whose deadline passed is overdue."""
    if stored is AgreementState.OVERDUE:
        raise ValueError("'vencido' is derived and must not be stored")
    if stored in _OPEN and deadline < today:
        return AgreementState.OVERDUE
    return stored
