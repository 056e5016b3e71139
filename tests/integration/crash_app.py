"""Run by test_crash_safety: the real app, a visit being typed, until the test kills it.

Prints 'SAVED <visit id>' once the first field is stored, then types into a second field
forever, pausing now and then so saves happen while it is killed.
"""

import os
import sys

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTableView

from instancias_desktop.app import start
from instancias_desktop.services.profile_keys import PASSPHRASE_ENV, tool_key

OBJECTIVE = "Objetivo guardado antes del corte: instalar la instancia."
TYPED = "Desarrollo escrito mientras se corta la luz; señal débil en el distrito. "


def press(widget: object, char: str) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
        )


def main() -> None:
    passphrase = os.environ[PASSPHRASE_ENV]  # as tools take it; the app asks in its dialog
    running = start(["--data-dir", sys.argv[1]], key_for=lambda paths: tool_key(paths, passphrase))
    window = running.window
    editor = window.page("editor")
    registry = window.page("instancias")
    table = registry.findChild(QTableView, "instanciasTable")

    def registry_loaded() -> None:
        registry.loaded.disconnect(registry_loaded)
        shown = table.model()
        window.start_visit(shown.record_at(shown.index(0, 0)).id)

    def editor_loaded() -> None:
        editor.loaded.disconnect(editor_loaded)
        objective = editor.findChild(QPlainTextEdit, "visitObjective")
        objective.setFocus()
        for char in OBJECTIVE:
            press(objective, char)
        editor.saver.saved.connect(first_saved)
        editor.saver.flush()

    def first_saved() -> None:
        editor.saver.saved.disconnect(first_saved)
        print("SAVED", editor.visit_id, flush=True)
        development = editor.findChild(QPlainTextEdit, "visitDevelopment")
        development.setFocus()
        position = [0]

        def type_next() -> None:
            char = TYPED[position[0] % len(TYPED)]
            position[0] += 1
            press(development, char)
            # A pause now and then longer than the save delay: saves run while typing goes on.
            timer.setInterval(900 if position[0] % 25 == 0 else 15)

        timer = QTimer(window)
        timer.timeout.connect(type_next)
        timer.start(15)

    registry.loaded.connect(registry_loaded)
    editor.loaded.connect(editor_loaded)
    running.app.exec()


if __name__ == "__main__":
    main()
