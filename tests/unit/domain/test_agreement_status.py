"""Agreement state derivation: latest follow-up, reschedules, and Peru's civil date at the edges."""

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import FollowUpView, current_status

DEADLINE = dt.date(2026, 3, 31)
MADRID, TOKYO = dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=9))
STORABLE = [s for s in AgreementState if s is not AgreementState.OVERDUE]


def follow_up(
    day: dt.date,
    state: AgreementState,
    new_deadline: dt.date | None = None,
    at: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
) -> FollowUpView:
    return FollowUpView(uuid.uuid4(), day, state, new_deadline, "", "", "autor", at)


@pytest.mark.parametrize(
    ("instant", "state"),
    [
        # 23:59 of 31/03 in Lima is already 01/04 in UTC: the deadline day is not over
        (dt.datetime(2026, 4, 1, 4, 59, tzinfo=dt.UTC), AgreementState.PENDING),
        (dt.datetime(2026, 4, 1, 5, 0, tzinfo=dt.UTC), AgreementState.OVERDUE),
        # the same instants seen from a laptop set to Madrid or to Tokyo: same answer
        (dt.datetime(2026, 4, 1, 6, 59, tzinfo=MADRID), AgreementState.PENDING),
        (dt.datetime(2026, 4, 1, 14, 0, tzinfo=TOKYO), AgreementState.OVERDUE),
    ],
)  # fmt: skip
def test_overdue_starts_when_the_deadline_day_ends_in_peru(
    instant: dt.datetime, state: AgreementState
) -> None:
    status = current_status(AgreementState.PENDING, DEADLINE, (), peru_today(instant))
    assert (status.state, status.deadline, status.last_follow_up) == (state, DEADLINE, None)


def test_a_naive_instant_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="naive"):
        peru_today(dt.datetime(2026, 4, 1, 4, 59))


def test_the_latest_follow_up_by_date_then_recording_decides() -> None:
    today = dt.date(2026, 4, 10)
    first = dt.datetime(2026, 4, 5, 15, tzinfo=dt.UTC)
    history = [
        follow_up(dt.date(2026, 4, 2), AgreementState.RESCHEDULED, dt.date(2026, 4, 30)),
        follow_up(dt.date(2026, 4, 5), AgreementState.IN_PROGRESS, at=first),
        follow_up(dt.date(2026, 4, 5), AgreementState.FULFILLED, at=first + dt.timedelta(hours=1)),
    ]
    status = current_status(AgreementState.PENDING, DEADLINE, reversed(history), today)
    # the later recording of the same date wins; the reschedule's deadline stays in force
    assert (status.state, status.deadline, status.last_follow_up) == (
        AgreementState.FULFILLED, dt.date(2026, 4, 30), dt.date(2026, 4, 5),
    )  # fmt: skip


def test_progress_after_a_reschedule_keeps_the_new_deadline() -> None:
    history = [
        follow_up(dt.date(2026, 3, 30), AgreementState.RESCHEDULED, dt.date(2026, 6, 30)),
        follow_up(dt.date(2026, 4, 15), AgreementState.IN_PROGRESS),
    ]
    status = current_status(AgreementState.PENDING, DEADLINE, history, dt.date(2026, 4, 20))
    assert (status.state, status.deadline) == (AgreementState.IN_PROGRESS, dt.date(2026, 6, 30))
    again = [
        *history,
        follow_up(dt.date(2026, 5, 2), AgreementState.RESCHEDULED, dt.date(2026, 5, 20)),
    ]
    later = current_status(AgreementState.PENDING, DEADLINE, again, dt.date(2026, 5, 21))
    assert (later.state, later.deadline) == (AgreementState.OVERDUE, dt.date(2026, 5, 20))


def test_same_instant_follow_ups_are_ordered_alike_everywhere() -> None:
    same = dt.datetime(2026, 4, 5, 15, tzinfo=dt.UTC)
    pair = [
        follow_up(dt.date(2026, 4, 5), AgreementState.IN_PROGRESS, at=same),
        follow_up(dt.date(2026, 4, 5), AgreementState.FULFILLED, at=same),
    ]
    first = current_status(AgreementState.PENDING, DEADLINE, pair, dt.date(2026, 4, 6))
    second = current_status(AgreementState.PENDING, DEADLINE, reversed(pair), dt.date(2026, 4, 6))
    assert first == second  # the id settles it, whatever order a laptop read them in


def test_a_reschedule_moves_the_deadline_and_overdue_follows_the_new_one() -> None:
    moved = [follow_up(dt.date(2026, 3, 30), AgreementState.RESCHEDULED, dt.date(2026, 4, 15))]
    on_time = current_status(AgreementState.PENDING, DEADLINE, moved, dt.date(2026, 4, 15))
    late = current_status(AgreementState.PENDING, DEADLINE, moved, dt.date(2026, 4, 16))
    assert (on_time.state, on_time.deadline) == (AgreementState.RESCHEDULED, dt.date(2026, 4, 15))
    assert (late.state, late.deadline) == (AgreementState.OVERDUE, dt.date(2026, 4, 15))


@given(
    stored=st.sampled_from(STORABLE),
    steps=st.lists(st.tuples(st.integers(0, 60), st.sampled_from(STORABLE)), max_size=5),
    today=st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
)
def test_closed_agreements_never_turn_overdue_and_open_ones_do_after_the_deadline(
    stored: AgreementState, steps: list[tuple[int, AgreementState]], today: dt.date
) -> None:
    start = dt.date(2026, 3, 1)
    history = [follow_up(start + dt.timedelta(days=d), s) for d, s in steps]
    status = current_status(stored, DEADLINE, history, today)
    latest = max(history, key=lambda f: f.order).state if history else stored
    closed = latest in (AgreementState.FULFILLED, AgreementState.CANCELLED)
    assert status.deadline == DEADLINE
    if closed or today <= DEADLINE:
        assert status.state is latest
    else:
        assert status.state is AgreementState.OVERDUE
