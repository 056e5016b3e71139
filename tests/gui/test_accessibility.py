"""A screen reader can name every control a specialist reaches with the keyboard."""

from helpers.gui_visits import unvisited_idc
from helpers.widgets import page_of
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.sections import PAGES

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)


def _unnamed(window: QWidget) -> list[str]:
    found = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (*CONTROLS, QAbstractSpinBox)):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parent(), QWidget) and isinstance(widget.parent().parent(), QComboBox):
            continue  # a drop-down's own list: the reader names the list box it belongs to
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            found.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return found


def test_every_control_of_every_page_and_of_the_acta_has_a_name(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    for spec in PAGES:
        window.page(spec.key)
    visit_id = services.start_visit(unvisited_idc(services).id)
    with qtbot.waitSignal(page_of(window, VisitEditorPage, "editor").loaded, timeout=10_000):
        window.open_visit(visit_id)
    assert _unnamed(window) == []
