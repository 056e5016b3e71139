"""«Sincronización» against the real server on 127.0.0.1: enrol, record a visit, sync, see it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.gui_central import PASSWORD, USER
from helpers.gui_visits import unvisited_idc
from helpers.widgets import child, page_of, shown_records, source_model
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QStackedWidget, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.sync_views import SyncStatus, SyncSummary
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.sync_page import SyncPage
from instancias_desktop.ui.pages.visits_page import VisitsPage
from sync.server.store import Record

SECTION = 5  # «Sincronización» in the navigation


@pytest.fixture
def sync_window(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> Iterator[tuple[MainWindow, Path]]:
    exported = tmp_path / "diario.txt"
    ops = Operations()
    main = MainWindow(ops, choose_target=lambda _parent, _name: exported)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(page_of(main, InstanciasPage, "instancias").loaded, timeout=10_000):
        main.attach(services, services.describe_profile())
    yield main, exported
    ops.wait()


def shown_status(qtbot: QtBot, window: MainWindow, action: Any) -> SyncStatus:
    with qtbot.waitSignal(page_of(window, SyncPage, "sync").status_shown, timeout=15_000) as shown:
        action()
    status: SyncStatus = shown.args[0]
    return status


def shown_send_state(qtbot: QtBot, window: MainWindow, visit_id: Any) -> str:
    """The «Envío» column of a visit in the visits list (None: a visit not made here)."""
    visits = page_of(window, VisitsPage, "visits")
    with qtbot.waitSignal(visits.loaded, timeout=10_000):
        window.show_section(2)
        visits.reload()
    table = child(visits, QTableView, "visitsTable")
    column = [c.header for c in source_model(table).columns].index("Envío")
    for row, record in enumerate(shown_records(table, VisitSummary)):
        if (visit_id is None and record.send_state is None) or record.id == visit_id:
            return str(table.model().index(row, column).data())
    raise AssertionError(f"visit {visit_id} not listed")


def test_enrol_record_a_visit_sync_and_see_it_confirmed(
    qtbot: QtBot,
    sync_window: tuple[MainWindow, Path],
    services: AppServices,
    central: tuple[str, sessionmaker[Session]],
    typist: Any,
) -> None:
    window, exported = sync_window
    url, sessions = central
    page = page_of(window, SyncPage, "sync")
    window.show_section(SECTION)
    status = shown_status(qtbot, window, page.reload)
    stack = child(page, QStackedWidget, "syncStack")
    assert status.enrolment is None and stack.currentIndex() == 0  # the form first

    # A wrong password: said in Spanish, nothing enrolled.
    server_url = child(page, QLineEdit, "syncServerUrl")
    password = child(page, QLineEdit, "syncPassword")
    enrol_error = child(page, QLabel, "fieldError")
    server_url.setFocus()
    typist(server_url, url)
    typist(child(page, QLineEdit, "syncUsername"), USER)
    typist(password, "otra-clave")
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "incorrectos" in enrol_error.text(), timeout=15_000)
    assert stack.currentIndex() == 0

    password.clear()
    typist(password, PASSWORD)
    with qtbot.waitSignal(page.synced, timeout=30_000) as first:  # enrolled: a first sync
        qtbot.keyClick(password, Qt.Key.Key_Return)
    assert isinstance(first.args[0], SyncSummary) and first.args[0].complete
    status = shown_status(qtbot, window, page.reload)
    assert status.enrolment is not None and status.enrolment.username == USER
    assert status.enrolment.territories == tuple(f"{n:02d}" for n in range(1, 26))
    enrolment = child(page, QLabel, "syncEnrolment")
    assert "Territorios asignados (ubigeo): 01, 02," in enrolment.text()
    assert stack.currentIndex() == 1 and password.text() == ""
    assert "inscrito en " + url in enrolment.text()

    # Work recorded offline, then «Sincronizar» (F5).
    visit_id = services.start_visit(unvisited_idc(services).id)
    services.update_visit(visit_id, {"objective": "Instalar la instancia distrital"})
    assert shown_send_state(qtbot, window, visit_id) == "Pendiente de envío"
    window.show_section(SECTION)
    status = shown_status(qtbot, window, page.reload)
    # the visit, its edit, and first the create of its instancia (known from the catalogue)
    state = child(page, QLabel, "syncState")
    assert status.pending == 3 and "3 pendientes" in state.text()
    steps: list[Any] = []
    page._relay.progressed.connect(steps.append)
    with qtbot.waitSignal(page.synced, timeout=30_000) as synced:
        qtbot.keyClick(child(page, QPushButton, "syncNow"), Qt.Key.Key_F5)
    summary = synced.args[0]
    assert isinstance(summary, SyncSummary), summary
    assert summary.complete and summary.sent == 3 and summary.confirmed == 3
    assert any(s.stage == "Enviando cambios" and s.sent_bytes > 0 for s in steps)
    qtbot.waitUntil(lambda: state.text().startswith("Sincronizado"), timeout=10_000)
    last = child(page, QLabel, "syncLast")
    assert "Sincronizado: el servidor confirmó los 3 cambios enviados" in last.text()
    result = child(page, QLabel, "syncResult")
    assert result.text() == ""  # nothing went wrong
    assert shown_send_state(qtbot, window, visit_id) == "Confirmado"
    assert shown_send_state(qtbot, window, None) == "—"  # demo visits: only on this laptop
    window.show_section(SECTION)
    with sessions.begin() as session:  # the visit is on the server, as typed
        record = session.get(Record, ("visit", visit_id))
        assert record is not None
        assert record.fields["objective"] == "Instalar la instancia distrital"
    events = [entry.event for entry in services.sync_journal()]
    assert events == ["fin", "recepción", "envío", "inicio"] * 2 + ["inscripción"]
    assert child(page, QTableView, "syncJournal").model().rowCount() == len(events)

    child(page, QPushButton, "exportJournal").click()
    qtbot.waitUntil(lambda: "Diario exportado" in result.text(), timeout=10_000)
    text = exported.read_text(encoding="utf-8")
    assert "Diario de sincronización" in text and "\tinicio\t" in text and "Sincronizado" in text
