"""Every label reads at WCAG AA contrast, with the institutional colours and under high contrast."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.contrast import AA_TEXT, high_contrast_palette, text_contrast
from helpers.gui_visits import unvisited_idc
from helpers.widgets import child, page_of
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.paths import resources_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.agreements_page import AgreementsPage
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.sections import SECTIONS
from instancias_desktop.ui.theme import Theme

STYLE: Path = resources_dir() / "style"


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The application; its palette and style sheet are put back after the test."""
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    palette, sheet = instance.palette(), instance.styleSheet()
    yield instance
    instance.setStyleSheet(sheet)
    instance.setPalette(palette)


def _faint_labels(root: QWidget) -> list[str]:
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip() or label.width() < 4:
            continue
        contrast = text_contrast(label)
        if contrast < AA_TEXT:
            found.append(f"{label.objectName() or '-'} «{label.text()[:40]}»: {contrast:.1f}")
    return found


def _faint_everywhere(qtbot: QtBot, window: MainWindow, services: AppServices) -> list[str]:
    """Labels under 4.5:1 on every section and on every tab of an open acta."""
    found = []
    for section in SECTIONS:
        window.show_page(section.key)
        qtbot.wait(50)
        found += [f"{section.key}: {f}" for f in _faint_labels(window)]
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        window.open_visit(services.start_visit(unvisited_idc(services).id))
    tabs = child(editor, QTabWidget, "visitTabs")
    for index in range(tabs.count()):
        if tabs.widget(index) is child(editor, ChecklistTab, "checklistTab"):
            with qtbot.waitSignal(tabs.widget(index).loaded, timeout=10_000):
                tabs.setCurrentIndex(index)  # its items are read when it is shown
        else:
            tabs.setCurrentIndex(index)
        qtbot.wait(50)
        found += [f"acta, {tabs.tabText(index)}: {f}" for f in _faint_labels(window)]
    return found


def test_the_institutional_colours_keep_every_label_readable(
    qtbot: QtBot, app: QApplication, window: MainWindow, services: AppServices
) -> None:
    theme = Theme(app, STYLE)
    assert theme.institutional
    assert "#5b1a4a" in app.styleSheet()
    assert _faint_everywhere(qtbot, window, services) == []


def test_under_high_contrast_the_system_colours_are_kept_and_every_label_reads(
    qtbot: QtBot, app: QApplication, window: MainWindow, services: AppServices
) -> None:
    app.setPalette(high_contrast_palette())
    theme = Theme(app, STYLE)
    assert not theme.institutional
    assert not re.search(r":[^;{}]*#[0-9a-fA-F]{3}", app.styleSheet()), "no colour of ours"
    assert _faint_everywhere(qtbot, window, services) == []
    agreements = page_of(window, AgreementsPage, "agreements")
    window.show_page("agreements")
    table = child(agreements, QTableView, "allAgreementsTable")
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=10_000)
    model = table.model()
    overdue = [
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(Qt.ItemDataRole.FontRole) is not None
    ]
    assert overdue, "the demo profile has overdue agreements"
    assert model.index(overdue[0], 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert table.palette().color(QPalette.ColorRole.Text).name() == "#ffffff"
