"""A screen reader names every control the keyboard reaches; a test finds each by its own name."""

from collections import Counter
from collections.abc import Iterator

from helpers.gui_visits import unvisited_idc
from helpers.widgets import child, page_of
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.sections import PAGES

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)
# Names on purpose on more than one control, each found within its own page.
SHARED_NAMES = {"primaryButton"}  # the main action of a page (the editor's, the instancia's)


def _controls(window: QWidget) -> Iterator[QWidget]:
    """The controls the keyboard reaches (a drop-down's own list belongs to its box)."""
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (*CONTROLS, QAbstractSpinBox)):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parent(), QWidget) and isinstance(widget.parent().parent(), QComboBox):
            continue  # a drop-down's own list: the reader names the list box it belongs to
        yield widget


def _unnamed(window: QWidget) -> list[str]:
    found = []
    for widget in _controls(window):
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            found.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return found


def _named_by_the_app(widget: QWidget) -> bool:
    """Not a name Qt gives its own parts («qt_…», a tab bar's scroll arrows)."""
    name = widget.objectName()
    return bool(name) and not name.startswith("qt_") and not isinstance(widget.parent(), QTabBar)


def _shared_names(window: QWidget) -> dict[str, int]:
    """The objectNames that more than one control carries: child() could not tell them apart."""
    counts = Counter(w.objectName() for w in _controls(window) if _named_by_the_app(w))
    return {name: n for name, n in counts.items() if n > 1 and name not in SHARED_NAMES}


def _every_page_and_an_acta(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> VisitEditorPage:
    for spec in PAGES:
        window.page(spec.key)
    visit_id = services.start_visit(unvisited_idc(services).id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        window.open_visit(visit_id)
    return editor


def test_every_control_of_every_page_and_of_the_acta_has_a_name(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    _every_page_and_an_acta(qtbot, window, services)
    assert _unnamed(window) == []


def test_no_two_controls_of_the_window_share_an_object_name(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = _every_page_and_an_acta(qtbot, window, services)
    checklist = child(editor, ChecklistTab, "checklistTab")
    with qtbot.waitSignal(checklist.loaded, timeout=10_000):  # its items, one row each
        child(editor, QTabWidget, "visitTabs").setCurrentWidget(checklist)
    assert checklist.findChildren(QRadioButton)  # the items' answers are among the controls
    assert _shared_names(window) == {}
