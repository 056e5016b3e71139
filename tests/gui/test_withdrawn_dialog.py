"""A withdrawn laptop locks itself at its next contact, exports its unsent work, and is erased."""

import datetime as dt
from pathlib import Path

from helpers.gui_central import PASSWORD, USER
from helpers.gui_visits import unvisited_idc
from helpers.profiles import passphrase
from helpers.server_db import writing
from helpers.widgets import child, on_screen_text, page_of
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.sync_views import DeviceWithdrawnError, SignIn
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.withdrawn_dialog import WithdrawnDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.sync_page import SyncPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from sync.server import auth
from sync.unsent_package import open_sealed

TIMEOUT = 15_000
FILE_PASSPHRASE = "para-mi-supervisora"


def _type(qtbot: QtBot, dialog: WithdrawnDialog, values: dict[str, str]) -> None:
    for name, text in values.items():
        field = child(dialog, QLineEdit, name)
        field.clear()
        qtbot.keyClicks(field, text)


def test_a_withdrawn_laptop_hides_everything_exports_and_erases(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    central: tuple[str, sessionmaker[Session]],
    tmp_path: Path,
) -> None:
    url, sessions = central
    services.enrol(SignIn(url, USER, PASSWORD, "Laptop de campo"))
    draft = services.start_visit(unvisited_idc(services).id)  # work the server never saw
    services.update_visit(draft, {"objective": "Instalar la instancia distrital"})
    sync_page = page_of(window, SyncPage, "sync")
    with qtbot.waitSignal(sync_page.status_shown, timeout=TIMEOUT):
        sync_page.reload()
    # She is at a visit's participants, a DNI on screen, when the laptop next syncs.
    visit = next(v for v in services.list_visits() if v.participant_count)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit.id)
    editor.tabs.setCurrentIndex(2)
    dni = services.visit_detail(visit.id).participants[0].document_number
    qtbot.waitUntil(lambda: dni in on_screen_text(), timeout=TIMEOUT)
    with writing(sessions) as session:
        (device,) = auth.list_devices(session, USER)
        auth.revoke_device(session, device.id, dt.datetime.now(dt.UTC))
    with qtbot.waitSignal(sync_page.synced, timeout=30_000) as synced:
        sync_page.synchronize()  # as the scheduler does when the server answers again
    assert isinstance(synced.args[0], DeviceWithdrawnError)

    qtbot.waitUntil(lambda: window.withdrawn_dialog is not None, timeout=TIMEOUT)
    dialog = window.withdrawn_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    assert dni not in on_screen_text()  # nothing of hers shows behind the dialog
    window.window_lock.lock()  # Ctrl+L or idle: nothing to unlock back to
    assert not window.window_lock.is_locked
    intro = child(dialog, QLabel, "withdrawnIntro").text()
    pending = services.sync_status().pending
    assert pending >= 2 and "dio de baja este equipo" in intro
    assert f"Quedan {pending} cambios y 0 anexos que el servidor no recibió" in intro

    erase = child(dialog, QPushButton, "eraseProfile")
    child(dialog, QCheckBox, "confirmErase").setChecked(True)
    assert not erase.isEnabled()  # unsent work not exported yet, nor given up knowingly

    target = tmp_path / "entrega" / "cambios"
    target.parent.mkdir()
    message = child(dialog, QLabel, "exportUnsentMessage")
    _type(qtbot, dialog, {
        "unsentTarget": str(target),
        "withdrawnProfilePassphrase": "no es la del perfil",
        "unsentPassphrase": FILE_PASSPHRASE,
        "unsentPassphraseRepeat": FILE_PASSPHRASE,
    })  # fmt: skip
    qtbot.mouseClick(child(dialog, QPushButton, "exportUnsent"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no es la de este perfil" in message.text(), timeout=TIMEOUT)
    assert not target.with_suffix(".cambios").exists()
    _type(qtbot, dialog, {"withdrawnProfilePassphrase": passphrase()})
    qtbot.mouseClick(child(dialog, QPushButton, "exportUnsent"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Guardado en" in message.text(), timeout=TIMEOUT)
    written = target.with_suffix(".cambios")
    package = open_sealed(written.read_bytes(), FILE_PASSPHRASE)
    assert package.username == USER and len(package.operations) == pending
    assert erase.isEnabled()

    qtbot.mouseClick(erase, Qt.MouseButton.LeftButton)
    erased = child(dialog, QLabel, "eraseMessage")
    qtbot.waitUntil(lambda: "Se borraron" in erased.text(), timeout=TIMEOUT)
    assert not services.paths.database.exists() and not services.paths.key_file.exists()
    qtbot.mouseClick(child(dialog, QPushButton, "closeWithdrawn"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    assert not services.paths.database.exists()  # closing wrote nothing back
