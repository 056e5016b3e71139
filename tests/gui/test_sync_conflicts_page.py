"""A conflict made by two laptops, resolved in «Sincronización» › «Conflictos»."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.gui_central import PASSWORD, USER, central_database
from helpers.gui_visits import unvisited_idc
from helpers.profiles import open_profile
from helpers.widgets import child
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QTableView, QTabWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.ui.dialogs.merge_dialog import MergeDialog
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_page import SyncPage
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.server.store import Record


@pytest.fixture
def two_laptops(
    services: AppServices, tmp_path: Path
) -> Iterator[tuple[AppServices, AppServices, sessionmaker[Session]]]:
    """Two laptops of the specialist, each enrolled on the real server over HTTP."""
    with central_database(tmp_path) as sessions, LocalServer(create_app(sessions)) as server:
        paths = ProfilePaths(tmp_path / "laptop-a")
        opened = open_profile(paths, Settings(author=USER))
        a = AppServices(opened.database, paths, Settings(acta_series="A01"))
        for laptop, name in ((a, "Laptop A"), (services, "Laptop B")):
            laptop.enrol(SignIn(server.url, USER, PASSWORD, name))
        yield a, services, sessions
        opened.database.dispose()


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
    page = SyncPage(ops, ask_text=lambda _parent, c: c.mine + " (acordado)")
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.status_shown, timeout=10_000) as shown:
        page.attach(b)
    assert shown.args[0].in_conflict == 1
    tabs = child(page, QTabWidget, "syncTabs")
    assert tabs.tabText(1) == "&Conflictos (1)"
    assert "1 conflicto por resolver" in child(page, QLabel, "syncState").text()
    table = child(page, QTableView, "conflictsTable")
    detail = child(page, QLabel, "conflictDetail")
    assert table.model().rowCount() == 1 and child(page, QPushButton, "useMyValue").isEnabled()
    assert "el servidor conservó «Instalar la IDC»" in detail.text()
    # One person, two laptops: which laptop wrote each value is what tells them apart.
    assert f"({USER}, en el equipo «Laptop A»)" in detail.text()
    assert "(usted, en el equipo «Laptop B») quedó apartado" in detail.text()
    (conflict,) = b.open_conflicts()
    dialog = MergeDialog(conflict)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 720 and dialog.height() >= 480  # room for a long text
    merged = child(dialog, QPlainTextEdit, "mergeText")
    assert merged.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth
    current = child(dialog, QPlainTextEdit, "mergeCurrent")
    assert current.toPlainText() == "Instalar la IDC" and current.isReadOnly()
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert f"Valor actual: {USER}, en el equipo «Laptop A»" in labels
    assert "Su valor apartado: usted, en el equipo «Laptop B»" in labels
    assert dialog.text() == "Reactivar la IDC con las nuevas autoridades"  # hers, to edit
    dialog.reject()

    with qtbot.waitSignal(page.status_shown, timeout=10_000):
        # a merged text, written in the (stubbed) dialog
        child(page, QPushButton, "writeOtherValue").click()
    assert tabs.tabText(1) == "&Conflictos" and table.model().rowCount() == 0
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
