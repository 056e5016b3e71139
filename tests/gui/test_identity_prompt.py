"""Finalizing asks once who she is; the confirmation and the acta then name her."""

import io

from helpers.gui_visits import complete, unvisited_idc
from helpers.widgets import child, field_error, page_of, visible_child, visible_children
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.identity import FULL_NAME, POST
from instancias_desktop.ui.dialogs.identity_dialog import IdentityDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 10_000
ASKED, CONFIRM = "identityDialog", "finalizePrompt"


def test_finalizing_asks_her_name_and_post_once(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    with services.database.unit_of_work(record=False) as uow:  # a profile nobody named yet
        uow.sync.set_value(FULL_NAME, "")
        uow.sync.set_value(POST, "")
        uow.commit()
    visit_id = services.start_visit(unvisited_idc(services).id)
    complete(services, visit_id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    editor.ask_finalize()
    qtbot.waitUntil(lambda: bool(visible_children(editor, IdentityDialog, ASKED)), timeout=TIMEOUT)
    dialog = visible_child(editor, IdentityDialog, ASKED)
    full_name = child(dialog, QLineEdit, "identityFullName")
    post = child(dialog, QLineEdit, "identityPost")
    dialog.submit()  # empty: what to fix is said, nothing is stored
    qtbot.waitUntil(lambda: field_error(full_name).isVisibleTo(dialog), timeout=TIMEOUT)
    assert field_error(full_name).text() == "Complete el campo «Nombres y apellidos»."
    qtbot.keyClicks(full_name, "Rosa Huaman Quispe")
    qtbot.keyClicks(post, "Especialista de la DPVLV")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(post, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(visible_children(editor, QMessageBox, CONFIRM)))
    prompt = visible_child(editor, QMessageBox, CONFIRM)
    assert "finalizada por Rosa Huaman Quispe, Especialista de la DPVLV" in prompt.text()
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.finalized)
    pdf = services.acta_document(visit_id).pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "por Rosa Huaman Quispe, Especialista de la DPVLV" in text

    # Asked once: the next acta goes straight to the confirmation.
    second = services.start_visit(unvisited_idc(services).id)
    complete(services, second)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(second)
    editor.ask_finalize()
    qtbot.waitUntil(lambda: bool(visible_children(editor, QMessageBox, CONFIRM)))
    assert visible_children(editor, IdentityDialog, ASKED) == []
    visible_child(editor, QMessageBox, CONFIRM).reject()
