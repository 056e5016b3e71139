"""«Sincronización › Rechazos»: what the server refused, as typed, copied, sent again, dismissed."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.app import instancia, person
from helpers.office import Laptop, Office
from helpers.widgets import child
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QTabWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.sync_views import SyncStatus
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_page import SyncPage


@pytest.fixture
def carla(tmp_path: Path, _template_profile: Path) -> Iterator[tuple[Office, Laptop]]:
    office = Office(tmp_path, _template_profile)
    office.user("carla", ("15",))
    laptop = office.laptop("carla", "carla-laptop")
    yield office, laptop
    office.close()


def shown(qtbot: QtBot, page: SyncPage) -> SyncStatus:
    with qtbot.waitSignal(page.status_shown, timeout=15_000) as status:
        page.reload()
    found: SyncStatus = status.args[0]
    return found


def test_a_refused_acta_is_listed_copied_and_sent_again_once_allowed(
    qtbot: QtBot, carla: tuple[Office, Laptop]
) -> None:
    office, laptop = carla
    services = laptop.services
    visit_id = services.start_visit(instancia(services))  # Wanchaq: not her territory
    services.save_participant(visit_id, person())
    ops = Operations()
    page = SyncPage(ops)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.status_shown, timeout=15_000):
        page.attach(services)
    with qtbot.waitSignal(page.synced, timeout=30_000) as synced:
        page.synchronize()
    assert not synced.args[0].complete
    status = shown(qtbot, page)
    assert status.rejected > 0 and not status.synchronized
    state = child(page, QLabel, "syncState")
    assert "rechazados por el servidor (pestaña «Rechazos»)" in state.text()
    tabs = child(page, QTabWidget, "syncTabs")
    assert tabs.tabText(2) == f"&Rechazos ({status.rejected})"
    table = child(page, QTableView, "refusalsTable")
    assert table.model().rowCount() == status.rejected
    texts = [str(table.model().index(row, 4).data()) for row in range(table.model().rowCount())]
    assert any("fuera de su ámbito" in text for text in texts)

    table.selectAll()
    copy = child(page, QPushButton, "copyRefusal")
    assert copy.isEnabled()
    copy.click()
    assert "fuera de su ámbito" in QGuiApplication.clipboard().text()

    office.assign("carla", ("080108",))  # her supervisor extends her territory
    resend = child(page, QPushButton, "resendRefusal")
    with qtbot.waitSignal(page.status_shown, timeout=15_000):
        resend.click()
    qtbot.waitUntil(lambda: table.model().rowCount() == 0, timeout=10_000)
    with qtbot.waitSignal(page.synced, timeout=30_000) as again:
        page.synchronize()
    assert again.args[0].complete, again.args[0].message
    qtbot.waitUntil(lambda: state.text().startswith("Sincronizado"), timeout=10_000)
    assert tabs.tabText(2) == "&Rechazos"
    ops.wait()


def test_a_refusal_dismissed_no_longer_keeps_the_laptop_unsynchronized(
    qtbot: QtBot, carla: tuple[Office, Laptop]
) -> None:
    _office, laptop = carla
    services = laptop.services
    services.start_visit(instancia(services))
    assert not laptop.sync().complete
    ops = Operations()
    page = SyncPage(ops)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.status_shown, timeout=15_000):
        page.attach(services)
    table = child(page, QTableView, "refusalsTable")
    assert table.model().rowCount() > 0
    table.selectAll()
    dismiss = child(page, QPushButton, "dismissRefusal")
    with qtbot.waitSignal(page.status_shown, timeout=15_000) as status:
        dismiss.click()
    assert status.args[0].rejected == 0
    assert table.model().rowCount() == 0
    ops.wait()
