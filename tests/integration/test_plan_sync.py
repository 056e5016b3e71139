"""Her visit plan made on one laptop reaches her other laptop; a colleague's plan stays hers."""

import datetime as dt

from helpers.app import instancia
from helpers.office import Office

from instancias_desktop.domain.enums import SendState
from sync.kinds import PLAN_ENTRY
from sync.server.store import Record

MONDAY = dt.date(2026, 3, 16)  # the office's clock is 10/03/2026


def test_a_plan_travels_to_her_other_laptop_and_not_into_a_colleagues(office: Office) -> None:
    desk, field = office.laptop("ana", "ana-oficina"), office.laptop("ana", "ana-campo")
    beto = office.laptop("beto", "beto-laptop")
    wanchaq = instancia(desk.services)
    (entry_id,) = desk.services.add_to_plan([wanchaq], MONDAY, "Llevar la ordenanza")
    (planned,) = desk.services.planned_visits()
    assert planned.send_state is SendState.PENDING  # the plan says it has not gone yet

    assert desk.sync().complete
    (planned,) = desk.services.planned_visits()
    assert planned.send_state is SendState.CONFIRMED
    assert field.sync().complete and beto.sync().complete
    (received,) = field.services.planned_visits()
    assert (received.entry.id, received.entry.planned_on, received.entry.note) == (
        entry_id, MONDAY, "Llevar la ordenanza",
    )  # fmt: skip
    assert beto.services.planned_visits() == ()  # beto's own plan is his alone

    # Changed on the field laptop, taken off on the desk laptop: both follow.
    field.services.reschedule_planned(entry_id, MONDAY + dt.timedelta(days=1), "Con la ordenanza")
    assert field.sync().complete and desk.sync().complete
    (moved,) = desk.services.planned_visits()
    assert (moved.entry.planned_on, moved.entry.note) == (
        MONDAY + dt.timedelta(1),
        "Con la ordenanza",
    )
    desk.services.remove_planned(entry_id)
    assert desk.sync().complete and field.sync().complete
    assert field.services.planned_visits() == ()
    with office.sessions.begin() as session:
        stored = session.get(Record, (PLAN_ENTRY.name, entry_id))
        assert stored is not None and stored.deleted and stored.owner == "ana"


def test_a_plan_made_before_it_travelled_goes_at_the_next_sync(office: Office) -> None:
    desk, field = office.laptop("ana", "ana-oficina"), office.laptop("ana", "ana-campo")
    (entry_id,) = desk.services.add_to_plan([instancia(desk.services)], MONDAY, "")
    with desk.database.engine.begin() as connection:  # as an older version left it: no outbox
        connection.exec_driver_sql(f"DELETE FROM outbox WHERE kind = '{PLAN_ENTRY.name}'")
    (planned,) = desk.services.planned_visits()
    assert planned.send_state is None
    assert desk.sync().complete and field.sync().complete
    assert [p.entry.id for p in field.services.planned_visits()] == [entry_id]
