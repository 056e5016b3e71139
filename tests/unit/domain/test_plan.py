"""The plan looks ahead: today or later, within the horizon; the note has a limit."""

import datetime as dt

import pytest

from instancias_desktop.domain.plan import PLAN_HORIZON_DAYS, check_plan_date
from instancias_desktop.domain.validation import ValidationError

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("days", [0, 1, PLAN_HORIZON_DAYS])
def test_today_and_the_coming_weeks_are_accepted(days: int) -> None:
    check_plan_date(TODAY + dt.timedelta(days=days), "Instalar", TODAY)  # raises when refused


def test_a_past_date_or_one_beyond_the_horizon_says_what_to_choose() -> None:
    with pytest.raises(ValidationError) as past:
        check_plan_date(TODAY - dt.timedelta(days=1), "", TODAY)
    assert past.value.for_field("planned_on") == (
        "La fecha planificada (25/11/2026) ya pasó; elija hoy (26/11/2026) o una fecha posterior.",
    )
    with pytest.raises(ValidationError) as far:
        check_plan_date(TODAY + dt.timedelta(days=PLAN_HORIZON_DAYS + 1), "", TODAY)
    assert far.value.for_field("planned_on") == (
        "El plan abarca las próximas semanas: elija una fecha dentro de 120 días.",
    )


def test_an_overlong_note_is_refused_with_its_date() -> None:
    with pytest.raises(ValidationError) as raised:
        check_plan_date(TODAY - dt.timedelta(days=3), "x" * 20_001, TODAY)
    assert [e.field for e in raised.value.errors] == ["planned_on", "note"]
