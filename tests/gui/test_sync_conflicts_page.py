"""A conflict made by two laptops, resolved in «Sincronización» › «Conflictos»."""

import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker
from visit_helpers import unvisited_idc

from instancias_desktop.db.uow import Database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.profile import open_profile
from instancias_desktop.settings import Settings
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_page import SyncPage
from sync.server.access import Caller, Role
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.store import Record
from sync.transport_memory import MemoryTransport

USER = "especialista.prueba"


def as_device(sessions: sessionmaker[Session]) -> Any:
    """The laptop reaches the server in-process, as a device of the specialist."""
    caller = Caller(USER, Role.ESPECIALISTA, territories=tuple(f"{n:02d}" for n in range(1, 26)),
                    device_id=uuid.uuid4())  # fmt: skip
    return lambda *_: MemoryTransport(sessions, caller)


def enrolled(database: Database) -> None:
    with database.unit_of_work(record=False) as uow:
        for key, value in {
            "server_url": "https://central.example", "username": USER,
            "device_id": str(uuid.uuid4()), "device_name": "Laptop", "token": "t",
            "enrolled_at": "2026-03-10T15:00:00+00:00",
        }.items():  # fmt: skip
            uow.sync.set_value(f"enrolment.{key}", value)
        uow.commit()


@pytest.fixture
def two_laptops(
    services: AppServices, tmp_path: Path
) -> Iterator[tuple[AppServices, AppServices, sessionmaker[Session]]]:
    engine = create_server_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    paths = ProfilePaths(tmp_path / "laptop-a")
    opened = open_profile(paths, Settings(author=USER))
    a = AppServices(
        opened.database, paths, Settings(acta_series="A01"), sync_link=as_device(sessions)
    )
    b = dataclasses.replace(services, sync_link=as_device(sessions))
    for laptop in (a, b):
        enrolled(laptop.database)
    yield a, b, sessions
    opened.database.dispose()
    engine.dispose()


def test_a_conflict_is_resolved_in_the_page_and_the_choice_reaches_the_server(
    qtbot: QtBot, two_laptops: tuple[AppServices, AppServices, sessionmaker[Session]]
) -> None:
    a, b, sessions = two_laptops
    visit_id = a.start_visit(unvisited_idc(a).id)
    a.synchronize(lambda _s: None)
    b.synchronize(lambda _s: None)
    a.update_visit(visit_id, {"objective": "Instalar la IDC"})
    b.update_visit(visit_id, {"objective": "Reactivar la IDC con las nuevas autoridades"})
    a.synchronize(lambda _s: None)
    assert b.synchronize(lambda _s: None).conflicts == 1

    ops = Operations()
    page = SyncPage(ops, ask_text=lambda _parent, _field, initial: initial + " (acordado)")
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.status_shown, timeout=10_000) as shown:
        page.attach(b)
    assert shown.args[0].in_conflict == 1
    assert page.tabs.tabText(1) == "&Conflictos (1)"
    assert "1 conflicto por resolver" in page.state_label.text()
    panel = page.conflicts
    assert panel.table.model().rowCount() == 1 and panel.mine_button.isEnabled()
    assert "el servidor conservó «Instalar la IDC»" in panel.detail.text()

    with qtbot.waitSignal(page.status_shown, timeout=10_000):
        panel.text_button.click()  # a merged text, written in the (stubbed) dialog
    assert page.tabs.tabText(1) == "&Conflictos" and panel.table.model().rowCount() == 0
    assert b.visit_detail(visit_id).visit.objective == (
        "Reactivar la IDC con las nuevas autoridades (acordado)"
    )
    with qtbot.waitSignal(page.synced, timeout=15_000) as synced:
        page.synchronize()
    assert synced.args[0].complete
    with sessions.begin() as session:
        record = session.get(Record, ("visit", visit_id))
        assert record is not None
        assert (
            record.fields["objective"] == "Reactivar la IDC con las nuevas autoridades (acordado)"
        )
    ops.wait()
