"""What the instancia's records say today: schedule, instruments in force, seats held."""

import datetime as dt
import uuid

import pytest

from instancias_desktop.domain.enums import InstrumentType, SeatKind
from instancias_desktop.domain.instancia_records import InstrumentView, MemberView
from instancias_desktop.domain.instancia_standing import (
    current_plan,
    in_force_rules,
    instrument_status,
    schedule,
    schedule_text,
)

TODAY = dt.date(2026, 3, 10)


def instrument(kind: InstrumentType, approved: dt.date | None, start: dt.date | None = None,
               end: dt.date | None = None) -> InstrumentView:  # fmt: skip
    return InstrumentView(uuid.uuid4(), kind, kind.label, None, "", approved, start, end, "",
                          None, "")  # fmt: skip


@pytest.mark.parametrize(
    ("since", "until", "held"),
    [
        (None, None, True),
        (dt.date(2026, 1, 1), None, True),
        (dt.date(2026, 4, 1), None, False),  # not yet
        (dt.date(2025, 1, 1), TODAY, False),  # left today
        (dt.date(2025, 1, 1), TODAY + dt.timedelta(days=1), True),
    ],
)
def test_a_tenure_is_current_between_its_dates(
    since: dt.date | None, until: dt.date | None, held: bool
) -> None:
    tenure = MemberView(uuid.uuid4(), "cem", "CEM", "Ana", SeatKind.TITULAR, since, until=until)
    assert tenure.current(TODAY) is held


def test_the_plan_in_force_is_the_one_whose_period_covers_today() -> None:
    old = instrument(InstrumentType.WORK_PLAN, dt.date(2025, 1, 5), dt.date(2025, 1, 1),
                     dt.date(2025, 12, 31))  # fmt: skip
    new = instrument(InstrumentType.ACTION_PLAN, dt.date(2026, 2, 1), dt.date(2026, 1, 1),
                     dt.date(2027, 12, 31))  # fmt: skip
    unapproved = instrument(InstrumentType.WORK_PLAN, None, dt.date(2026, 1, 1),
                            dt.date(2026, 12, 31))  # fmt: skip
    assert current_plan([old, new, unapproved], TODAY) is new
    assert [instrument_status(i, TODAY) for i in (old, new, unapproved)] == [
        "Vencido", "Vigente", "Sin aprobar",
    ]  # fmt: skip
    later = instrument(InstrumentType.WORK_PLAN, dt.date(2026, 3, 1), dt.date(2026, 6, 1),
                       dt.date(2026, 12, 31))  # fmt: skip
    assert instrument_status(later, TODAY) == "Por iniciar"


def test_the_reglamento_in_force_is_the_last_approved() -> None:
    first = instrument(InstrumentType.RULES, dt.date(2020, 5, 1))
    second = instrument(InstrumentType.RULES, dt.date(2025, 5, 1))
    assert in_force_rules([second, first], TODAY) is second
    assert in_force_rules([], TODAY) is None


def test_the_ranking_shows_the_next_pending_agreed_step() -> None:
    steps = schedule(
        (dt.date(2026, 1, 31), dt.date(2026, 3, 11), None),
        created=True, installed=False, convened=False,
    )  # fmt: skip
    assert schedule_text(steps, TODAY) == "Instalación: 11/03/2026 (vence en 1 día)"
    late = schedule((dt.date(2026, 3, 1), None, None), created=False, installed=False,
                    convened=False)  # fmt: skip
    assert schedule_text(late, TODAY) == "Ordenanza de creación: 01/03/2026 (vencido hace 9 días)"
    assert schedule_text(schedule((None, None, None), created=False, installed=False,
                                  convened=False), TODAY) == ""  # fmt: skip
