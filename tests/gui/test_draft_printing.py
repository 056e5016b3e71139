"""A draft is printed only after she is told it has no value for signing; an acta, at once."""

import uuid

from helpers.gui_visits import finalize, unvisited_idc
from helpers.widgets import page_of, visible_children
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 10_000


def _open(qtbot: QtBot, window: MainWindow, visit_id: uuid.UUID) -> VisitEditorPage:
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    return editor


def _print_dialogs(editor: VisitEditorPage) -> list[QPrintDialog]:
    return visible_children(editor, QPrintDialog, "printDialog")


def test_printing_a_draft_asks_first_and_cancelling_prints_nothing(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = _open(qtbot, window, services.start_visit(unvisited_idc(services).id))
    editor.print_acta()
    qtbot.waitUntil(lambda: bool(visible_children(editor, QMessageBox, "printDraftPrompt")))
    (prompt,) = visible_children(editor, QMessageBox, "printDraftPrompt")
    assert "BORRADOR" in prompt.text() and "no tiene validez para firma" in prompt.text()
    assert prompt.defaultButton() is prompt.button(QMessageBox.StandardButton.No)
    prompt.button(QMessageBox.StandardButton.No).click()
    qtbot.wait(300)
    assert _print_dialogs(editor) == []

    editor.print_acta()
    qtbot.waitUntil(lambda: bool(visible_children(editor, QMessageBox, "printDraftPrompt")))
    (prompt,) = visible_children(editor, QMessageBox, "printDraftPrompt")
    prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: bool(_print_dialogs(editor)), timeout=TIMEOUT)
    _print_dialogs(editor)[0].reject()


def test_a_finalized_acta_goes_straight_to_the_printer(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    editor = _open(qtbot, window, visit_id)
    editor.print_acta()
    qtbot.waitUntil(lambda: bool(_print_dialogs(editor)), timeout=TIMEOUT)
    assert visible_children(editor, QMessageBox, "printDraftPrompt") == []
    _print_dialogs(editor)[0].reject()
