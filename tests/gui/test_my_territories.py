"""After enrolment her territories come first, and a visit elsewhere is warned about plainly."""

from helpers.enrolment import sign_in
from helpers.widgets import (
    child,
    page_of,
    shown_records,
    source_model,
    visible_child,
    visible_children,
)
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QStackedWidget, QTableView
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 10_000
PROMPT = "outsideTerritoryPrompt"


def test_her_territories_first_and_a_visit_elsewhere_asks_first(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    registry = page_of(window, InstanciasPage, "instancias")
    table = child(registry, QTableView, "instanciasTable")
    total = source_model(table).rowCount()
    mine = child(registry, QCheckBox, "myTerritoriesOnly")
    assert not mine.isVisibleTo(registry)  # not enrolled: every instancia
    assert table.model().rowCount() == total

    sign_in(services.database, territories=("08",))  # Cusco
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        registry.reload()
    assert mine.isVisibleTo(registry) and mine.isChecked()
    assert mine.text() == "Solo &mis territorios (Cusco)"
    shown = shown_records(table, InstanciaSummary)
    assert shown and all(s.ubigeo.startswith("08") for s in shown)
    assert child(registry, QLabel, "pageStatus").text().endswith("(solo sus territorios)")
    registry.clear_filters()  # easy to clear
    assert not mine.isChecked() and table.model().rowCount() == total

    elsewhere = next(i for i in services.list_instancias() if i.ubigeo.startswith("01"))
    visits_before = len(services.list_visits())
    window.start_visit(elsewhere.id)
    qtbot.waitUntil(lambda: bool(visible_children(window, QMessageBox, PROMPT)), timeout=TIMEOUT)
    prompt = visible_child(window, QMessageBox, PROMPT)
    assert "no está en los territorios asignados a su usuario (ana: Cusco)" in prompt.text()
    assert "El servidor no aceptará esta visita" in prompt.text()
    prompt.defaultButton().click()  # «Cancelar» is the default: nothing is created
    assert len(services.list_visits()) == visits_before

    editor = page_of(window, VisitEditorPage, "editor")
    window.start_visit(elsewhere.id)
    qtbot.waitUntil(lambda: bool(visible_children(window, QMessageBox, PROMPT)), timeout=TIMEOUT)
    prompt = visible_child(window, QMessageBox, PROMPT)
    (create,) = (b for b in prompt.buttons() if b.text() == "Crear &de todos modos")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        create.click()
    assert len(services.list_visits()) == visits_before + 1
    assert child(window, QStackedWidget, "pageStack").currentWidget() is editor

    own = next(i for i in services.list_instancias() if i.ubigeo.startswith("08"))
    asked = len(window.findChildren(QMessageBox, PROMPT))
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(own.id)  # hers: no question asked
    assert len(window.findChildren(QMessageBox, PROMPT)) == asked
