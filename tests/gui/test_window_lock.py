"""The window locks (Ctrl+L, or idle): typed work saved first, no personal datum left on screen."""

import uuid

from helpers.profiles import passphrase
from helpers.widgets import child, on_screen_text, page_of
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 10_000


def _open_visit_with_people(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> tuple[VisitEditorPage, str]:
    visit = next(v for v in services.list_visits() if v.participant_count)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit.id)
    editor.tabs.setCurrentIndex(2)  # participants: names and DNIs on screen
    dni = services.visit_detail(visit.id).participants[0].document_number
    qtbot.waitUntil(lambda: dni in on_screen_text(), timeout=TIMEOUT)
    return editor, dni


def _unlock_with(qtbot: QtBot, window: MainWindow, typed: str) -> None:
    field = child(window, QLineEdit, "unlockPassphrase")
    field.clear()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_ctrl_l_hides_every_personal_datum_until_the_passphrase(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    _editor, dni = _open_visit_with_people(qtbot, window, services)
    lock = window.window_lock
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.is_locked
    assert dni not in on_screen_text()
    assert child(window, QLineEdit, "unlockPassphrase").hasFocus()
    message = child(window, QLabel, "lockMessage")
    _unlock_with(qtbot, window, "no es la frase")
    qtbot.waitUntil(lambda: "no es la de este perfil" in message.text(), timeout=TIMEOUT)
    assert lock.is_locked and dni not in on_screen_text()
    button = child(window, QPushButton, "unlockWindow")
    qtbot.waitUntil(button.isEnabled, timeout=3_000)  # a wrong try waits a moment first
    with qtbot.waitSignal(lock.unlocked, timeout=TIMEOUT):
        _unlock_with(qtbot, window, passphrase())
    assert dni in on_screen_text()


def test_an_idle_window_locks_after_saving_what_was_being_typed(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    draft_id = services.start_visit(services.list_instancias()[0].id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(draft_id)
    editor.tabs.setCurrentIndex(1)
    objective = editor.fields.bindings["objective"].widget
    assert isinstance(objective, QPlainTextEdit)
    objective.setFocus()
    qtbot.keyClicks(objective, "Escrito justo antes de alejarse")
    lock = window.window_lock
    lock.idle.setInterval(300)  # the test's minutes
    lock.idle.start()
    with qtbot.waitSignal(lock.locked, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(
        lambda: (
            services.visit_detail(draft_id).visit.objective == "Escrito justo antes de alejarse"
        ),
        timeout=TIMEOUT,
    )
    assert "Escrito justo antes" not in on_screen_text()


def test_an_open_dialog_is_hidden_while_locked_and_comes_back(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    window.window_lock.lock()  # nothing open: nothing to bring back
    with qtbot.waitSignal(window.window_lock.unlocked, timeout=TIMEOUT):
        _unlock_with(qtbot, window, passphrase())
    dialog = QWidget(None, Qt.WindowType.Dialog)
    dialog.setObjectName("someDialog")
    name = QLabel(f"DNI {uuid.uuid4().hex[:8]}", dialog)
    dialog.show()
    qtbot.addWidget(dialog)
    window.window_lock.lock()
    assert not dialog.isVisible() and name.text() not in on_screen_text()
    with qtbot.waitSignal(window.window_lock.unlocked, timeout=TIMEOUT):
        _unlock_with(qtbot, window, passphrase())
    assert dialog.isVisible()


def test_keys_and_clicks_put_the_idle_lock_off(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.window_lock
    lock.idle.setInterval(400)
    lock.idle.start()
    handle = window.windowHandle()
    assert handle is not None
    for _ in range(8):  # 800 ms of typing, through the window as real keys arrive
        QTest.keyClick(handle, Qt.Key.Key_Shift)
        qtbot.wait(100)
    assert not lock.is_locked
    with qtbot.waitSignal(lock.locked, timeout=TIMEOUT):  # then she walks away
        pass
