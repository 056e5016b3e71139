import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from instancias_desktop.domain.agreements import STORABLE_STATES, effective_state
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AgreementState

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("stored", "deadline", "shown"),
    [
        (AgreementState.PENDING, dt.date(2026, 11, 25), AgreementState.OVERDUE),
        (AgreementState.IN_PROGRESS, dt.date(2026, 11, 25), AgreementState.OVERDUE),
        (AgreementState.RESCHEDULED, dt.date(2026, 11, 1), AgreementState.OVERDUE),
        (AgreementState.PENDING, TODAY, AgreementState.PENDING),
        (AgreementState.FULFILLED, dt.date(2020, 1, 1), AgreementState.FULFILLED),
        (AgreementState.CANCELLED, dt.date(2020, 1, 1), AgreementState.CANCELLED),
    ],
)
def test_overdue_is_derived_from_the_deadline(
    stored: AgreementState, deadline: dt.date, shown: AgreementState
) -> None:
    assert effective_state(stored, deadline, TODAY) is shown


@given(st.sampled_from(STORABLE_STATES), st.dates(), st.dates())
def test_only_open_agreements_past_deadline_are_overdue(
    stored: AgreementState, deadline: dt.date, today: dt.date
) -> None:
    shown = effective_state(stored, deadline, today)
    assert (shown is AgreementState.OVERDUE) == (
        stored in (AgreementState.PENDING, AgreementState.IN_PROGRESS, AgreementState.RESCHEDULED)
        and deadline < today
    )


def test_overdue_cannot_be_stored() -> None:
    assert AgreementState.OVERDUE not in STORABLE_STATES
    with pytest.raises(ValueError, match="derived"):
        effective_state(AgreementState.OVERDUE, TODAY, TODAY)


def test_peru_date_is_five_hours_behind_utc() -> None:
    late_evening_in_lima = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
    assert peru_today(late_evening_in_lima) == dt.date(2026, 11, 26)
    assert peru_today(dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 27)
    with pytest.raises(ValueError, match="naive"):
        peru_today(dt.datetime(2026, 11, 27, 5, 0))
