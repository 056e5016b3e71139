"""«Cambiar contraseña…»: the current passphrase checked, the new one typed twice, kept."""

import pytest
from helpers.profiles import passphrase
from helpers.widgets import child, visible_child
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.passphrase_dialog import PassphraseDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.vault.profile_key import WrongPassphraseError, read_key_file

NEW = "la nueva frase del perfil"


def _fill(qtbot: QtBot, dialog: PassphraseDialog, current: str, new: str, repeated: str) -> None:
    for name, text in (
        ("currentPassphrase", current),
        ("newPassphrase", new),
        ("newPassphraseRepeat", repeated),
    ):
        field = child(dialog, QLineEdit, name)
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(child(dialog, QLineEdit, "newPassphraseRepeat"), Qt.Key.Key_Return)


def test_the_passphrase_changes_only_with_the_current_one(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    before = read_key_file(services.paths.key_file)
    assert before is not None
    key = before.unlock(passphrase())
    qtbot.mouseClick(child(window, QPushButton, "openPassphraseDialog"), Qt.MouseButton.LeftButton)
    dialog = visible_child(window, PassphraseDialog, "passphraseDialog")
    message = child(dialog, QLabel, "passphraseMessage")
    _fill(qtbot, dialog, "no es la actual", NEW, NEW)
    qtbot.waitUntil(lambda: "no es la de este perfil" in message.text(), timeout=10_000)
    _fill(qtbot, dialog, passphrase(), NEW, NEW + " ")
    qtbot.waitUntil(lambda: "no coinciden" in message.text(), timeout=10_000)
    assert read_key_file(services.paths.key_file) == before  # nothing changed yet
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _fill(qtbot, dialog, passphrase(), NEW, NEW)
    after = read_key_file(services.paths.key_file)
    assert after is not None and after.unlock(NEW) == key  # the same data key, newly wrapped
    with pytest.raises(WrongPassphraseError):  # the old one no longer opens it
        after.unlock(passphrase())
