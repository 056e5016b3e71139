"""Two laptops edit one instancia's shared data: different fields merge, the same one conflicts."""

import uuid
from typing import Any

import pytest
from helpers.app import instancia
from helpers.office import Laptop, Office

from instancias_desktop.domain.conflict_views import ConflictChoice
from sync.kinds import INSTANCIA
from sync.server.store import Record


def on_server(office: Office, instancia_id: uuid.UUID) -> dict[str, Any]:
    with office.sessions.begin() as session:
        record = session.get(Record, ("instancia", instancia_id))
        assert record is not None
        return dict(record.fields)


def data(laptop: Laptop, instancia_id: uuid.UUID) -> tuple[str, str, str, str]:
    detail = laptop.services.instancia_detail(instancia_id)
    return (
        detail.chair_name,
        detail.chair_post,
        detail.secretariat_unit,
        detail.secretariat_person,
    )


MERGED = ("Rosa Quispe Huamán", "Alcaldesa", "Gerencia de Desarrollo Social", "")


@pytest.mark.parametrize("known_first", [False, True], ids=["never-synced", "synced-before"])
def test_different_fields_edited_on_two_laptops_end_merged_everywhere(
    office: Office, known_first: bool
) -> None:
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq = instancia(ana.services)
    ana.services.update_instancia(wanchaq, {"chair_post": "Alcaldesa"})
    if known_first:  # the server and both laptops hold it; else both send its create
        assert ana.sync().complete and beto.sync().complete

    ana.services.update_instancia(wanchaq, {"chair_name": "Rosa Quispe Huamán"})
    beto.services.update_instancia(wanchaq, {"secretariat_unit": "Gerencia de Desarrollo Social"})
    first, second = ana.sync(), beto.sync()
    assert first.complete and second.complete
    assert (first.conflicts, second.conflicts) == (0, 0)
    assert ana.sync().complete

    assert data(ana, wanchaq) == data(beto, wanchaq) == MERGED
    fields = on_server(office, wanchaq)
    assert (fields["chair_name"], fields["chair_post"], fields["secretariat_unit"]) == MERGED[:3]
    assert ana.services.open_conflicts() == beto.services.open_conflicts() == ()
    assert ana.services.sync_status().synchronized and beto.services.sync_status().synchronized


def test_the_same_field_edited_on_both_is_a_conflict_she_resolves(office: Office) -> None:
    ana, beto = office.laptop("ana", "ana-laptop"), office.laptop("beto", "beto-laptop")
    wanchaq = instancia(ana.services)
    ana.services.update_instancia(wanchaq, {"chair_post": "Alcaldesa"})
    assert ana.sync().complete and beto.sync().complete

    ana.services.update_instancia(wanchaq, {"chair_name": "Rosa Quispe Huamán"})
    beto.services.update_instancia(wanchaq, {"chair_name": "Rosa Quispe"})
    assert ana.sync().complete
    assert beto.sync().conflicts == 1

    # The first to reach the server is kept; the other value waits for its author to decide.
    assert on_server(office, wanchaq)["chair_name"] == "Rosa Quispe Huamán"
    assert data(beto, wanchaq)[0] == "Rosa Quispe Huamán"
    (conflict,) = beto.services.open_conflicts()
    assert (conflict.current, conflict.mine, conflict.current_author) == (
        "Rosa Quispe Huamán", "Rosa Quispe", "ana",
    )  # fmt: skip
    assert conflict.field_label.lower() == INSTANCIA.fields["chair_name"].label

    beto.services.resolve_conflict(conflict.conflict_id, ConflictChoice.USE_MINE)
    assert beto.sync().complete and ana.sync().complete
    assert data(ana, wanchaq)[0] == data(beto, wanchaq)[0] == "Rosa Quispe"
    assert on_server(office, wanchaq)["chair_name"] == "Rosa Quispe"
