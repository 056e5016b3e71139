"""Finalizing asks once who she is; the confirmation and the acta then name her."""

import io

from helpers.gui_visits import complete, unvisited_idc
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.identity import FULL_NAME, POST
from instancias_desktop.ui.dialogs.identity_dialog import IdentityDialog
from instancias_desktop.ui.main_window import MainWindow

TIMEOUT = 10_000


def test_finalizing_asks_her_name_and_post_once(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    with services.database.unit_of_work(record=False) as uow:  # a profile nobody named yet
        uow.sync.set_value(FULL_NAME, "")
        uow.sync.set_value(POST, "")
        uow.commit()
    visit_id = services.start_visit(unvisited_idc(services).id)
    complete(services, visit_id)
    editor = window.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    editor.ask_finalize()
    qtbot.waitUntil(lambda: editor.identity_dialog is not None, timeout=TIMEOUT)
    dialog = editor.identity_dialog
    assert isinstance(dialog, IdentityDialog) and dialog.isVisible()
    dialog.submit()  # empty: what to fix is said, nothing is stored
    qtbot.waitUntil(lambda: dialog.errors["full_name"].isVisibleTo(dialog), timeout=TIMEOUT)
    assert dialog.errors["full_name"].text() == "Complete el campo «Nombres y apellidos»."
    qtbot.keyClicks(dialog.full_name, "Rosa Huaman Quispe")
    qtbot.keyClicks(dialog.post, "Especialista de la DPVLV")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(dialog.post, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.prompt is not None and editor.prompt.isVisible())
    prompt = editor.prompt
    assert prompt is not None
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
    editor.identity_dialog = None
    editor.ask_finalize()
    qtbot.waitUntil(lambda: editor.prompt is not None and editor.prompt.isVisible())
    assert editor.identity_dialog is None
    editor.prompt.reject()  # type: ignore[union-attr]
