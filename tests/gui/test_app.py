import json
import os
import subprocess
import sys
from pathlib import Path

from helpers.credentials import memory_keyring
from helpers.profiles import open_profile, open_services, passphrase, profile_engine, profile_key
from helpers.widgets import child, page_of, visible_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from instancias_desktop.app import EXIT_PROFILE_REFUSED, Running, start
from instancias_desktop.db.encrypt import is_plain
from instancias_desktop.db.engine import create_local_engine
from instancias_desktop.db.migrate import upgrade_database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings
from instancias_desktop.ui.pages.instancias_page import InstanciasPage


def _type_passphrase(qtbot: QtBot, running: Running, passphrase: str, *, twice: bool) -> None:
    """Type into the unlock dialog and press Enter, as she would."""
    qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)  # after the store's look
    dialog = running.unlock
    assert dialog is not None and dialog.isVisible()
    fields = [child(dialog, QLineEdit, "passphrase")]
    if twice:
        fields.append(child(dialog, QLineEdit, "passphraseRepeat"))
    for field in fields:
        field.clear()
        qtbot.keyClicks(field, passphrase)
    qtbot.keyClick(fields[-1], Qt.Key.Key_Return)


def test_start_paints_the_shell_asks_for_a_passphrase_then_opens_the_profile(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "perfil-cusco"
    running = start(["--data-dir", str(root)])
    window = running.window
    qtbot.addWidget(window)
    assert window.isVisible()
    registry = page_of(window, InstanciasPage, "instancias")
    status = child(registry, QLabel, "pageStatus")
    assert status.text() == "Abriendo el perfil…"
    qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)
    assert status.text() == "Esperando la contraseña del perfil…"
    assert running.unlock is not None and running.unlock.new
    assert "SSD" not in child(running.unlock, QLabel, "unlockExplanation").text()
    assert not child(running.unlock, QCheckBox, "rememberKey").isEnabled()  # no store here
    _type_passphrase(qtbot, running, "corta", twice=True)
    message = child(running.unlock, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: "al menos 10 caracteres" in message.text(), timeout=5_000)
    assert not (root / "clave.json").exists()
    with qtbot.waitSignal(registry.loaded, timeout=15_000):
        _type_passphrase(qtbot, running, passphrase(), twice=True)
    assert (root / "clave.json").is_file()
    assert not is_plain(root / "instancias.sqlite3")  # encrypted from the first start
    assert not (root / "instancias.sqlite3").read_bytes().startswith(b"SQLite format 3")
    profile = child(window, QLabel, "profileLabel")
    assert str(root) in profile.text()
    assert "Ubigeo INEI-2025" in profile.text()
    assert child(registry, QTableView, "instanciasTable").model().rowCount() == 1917
    window.close()
    running.close()
    stored = json.loads((root / "settings.json").read_text(encoding="utf-8"))
    assert stored["main_window_geometry"], "the window remembers its place"
    assert (root / "logs" / "app.log").is_file()


def test_an_earlier_versions_plain_profile_says_it_will_be_encrypted_and_what_may_stay(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = ProfilePaths(tmp_path / "perfil-antiguo").ensure()
    engine = create_local_engine(paths.database, None)  # as versions before encryption left it
    upgrade_database(engine, paths.backups)
    engine.dispose()
    assert is_plain(paths.database)
    running = start(["--data-dir", str(paths.root)])
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)
    assert running.unlock is not None and running.unlock.new
    said = child(running.unlock, QLabel, "unlockExplanation").text()
    assert "versión anterior, sin cifrar" in said and "se sobrescriben y se borran" in said
    assert "estado sólido (SSD)" in said and "fuera del alcance de cualquier programa" in said
    registry = page_of(running.window, InstanciasPage, "instancias")
    with qtbot.waitSignal(registry.loaded, timeout=15_000):
        _type_passphrase(qtbot, running, passphrase(), twice=True)
    assert not is_plain(paths.database)
    running.window.close()
    running.close()


def test_a_wrong_passphrase_is_refused_and_the_right_one_opens(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    open_profile(paths, Settings()).database.dispose()  # made by the tests' passphrase
    before = paths.database.read_bytes()
    running = start(["--data-dir", str(paths.root)])
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)
    assert running.unlock is not None and not running.unlock.new
    assert visible_children(running.unlock, QLineEdit, "passphraseRepeat") == []
    _type_passphrase(qtbot, running, "otra frase cualquiera", twice=False)
    message = child(running.unlock, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: "no es la de este perfil" in message.text(), timeout=5_000)
    assert paths.database.read_bytes() == before  # nothing touched, nothing erased
    registry = page_of(running.window, InstanciasPage, "instancias")
    with qtbot.waitSignal(registry.loaded, timeout=15_000):
        _type_passphrase(qtbot, running, passphrase(), twice=False)
    running.window.close()
    running.close()


def test_environment_variable_chooses_the_profile(qtbot: QtBot) -> None:
    root = Path(os.environ["INSTANCIAS_HOME"])
    running = start([], key_for=profile_key)
    qtbot.addWidget(running.window)
    registry = page_of(running.window, InstanciasPage, "instancias")
    qtbot.waitSignal(registry.loaded, timeout=15_000).wait()
    assert (root / "instancias.sqlite3").is_file()
    running.window.close()
    running.close()


def test_a_profile_from_a_newer_version_is_refused_with_a_clear_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "perfil-nuevo"
    root.mkdir()
    engine = profile_engine(ProfilePaths(root))
    upgrade_database(engine, root / "backups")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_futuro'"))
    engine.dispose()
    messages: list[str] = []
    running = start(["--data-dir", str(root)], refuse=messages.append, key_for=profile_key)
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: bool(messages), timeout=15_000)
    assert messages == [
        "La base de datos usa el esquema «0099_futuro», más reciente que esta versión de la "
        "aplicación. Actualice la aplicación para abrirla; no se modificó nada."
    ]
    assert running.exit_code == EXIT_PROFILE_REFUSED
    assert not running.window.isVisible()
    running.close()


def test_closing_before_the_profile_opens_still_releases_it(qtbot: QtBot, tmp_path: Path) -> None:
    running = start(["--data-dir", str(tmp_path / "apurado")], key_for=profile_key)
    qtbot.addWidget(running.window)
    running.window.close()  # the user closes at once; the profile is still being set up
    running.close()
    assert running.services is not None, "the worker kept what it opened, so it was released"
    assert (tmp_path / "apurado" / "instancias.sqlite3").is_file()


def test_qt_own_dialogs_buttons_and_menus_speak_spanish(qtbot: QtBot, tmp_path: Path) -> None:
    running = start(["--data-dir", str(tmp_path / "perfil")], key_for=profile_key)
    qtbot.addWidget(running.window)
    registry = page_of(running.window, InstanciasPage, "instancias")
    qtbot.waitSignal(registry.loaded, timeout=15_000).wait()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Yes
    )
    qtbot.addWidget(buttons)
    shown = {buttons.button(b).text().replace("&", "") for b in buttons.standardButtons()}
    assert shown == {"Aceptar", "Cancelar", "Sí"}
    menu = child(registry, QLineEdit, "instanciasSearch").createStandardContextMenu()
    entries = {a.text().replace("&", "").split("\t")[0] for a in menu.actions() if a.text()}
    assert {"Deshacer", "Pegar", "Seleccionar todo"} <= entries, entries
    menu.deleteLater()
    running.window.close()
    running.close()


PAINT_ONLY = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
window = MainWindow(Operations())
prefix = "instancias_desktop.ui.pages."
pages = sorted(m.removeprefix(prefix) for m in sys.modules if m.startswith(prefix))
heavy = ("sqlalchemy", "reportlab", "pypdfium2", "requests", "openpyxl")
heavy = sorted(m for m in heavy if m in sys.modules)
print(pages, heavy, [k for k in ("home", "visits", "editor", "instancia_page") if window.built(k)])
"""


def test_the_first_paint_builds_only_the_registry() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", PAINT_ONLY], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    # Every other page is built, and its module imported, when she first opens it.
    assert out == "['instancias_page'] [] []"


def test_remembered_on_this_computer_the_profile_opens_without_asking(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "perfil-recordado"
    with memory_keyring() as store:
        running = start(["--data-dir", str(root)])
        qtbot.addWidget(running.window)
        qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)
        assert running.unlock is not None
        remember = child(running.unlock, QCheckBox, "rememberKey")
        assert remember.isEnabled() and not remember.isChecked()  # only when she asks
        remember.setChecked(True)
        registry = page_of(running.window, InstanciasPage, "instancias")
        with qtbot.waitSignal(registry.loaded, timeout=15_000):
            _type_passphrase(qtbot, running, passphrase(), twice=True)
        running.window.close()
        running.close()
        (kept,) = store.kept.values()
        assert passphrase() not in kept  # the key, never the passphrase

        again = start(["--data-dir", str(root)])
        qtbot.addWidget(again.window)
        registry = page_of(again.window, InstanciasPage, "instancias")
        qtbot.waitSignal(registry.loaded, timeout=15_000).wait()
        assert again.unlock is None  # not asked
        again.window.close()
        again.close()

        store.kept = dict.fromkeys(store.kept, "00" * 32)  # a key that no longer opens it
        third = start(["--data-dir", str(root)])
        qtbot.addWidget(third.window)
        qtbot.waitUntil(lambda: third.unlock is not None, timeout=5_000)  # asked again
        third.window.close()
        third.close()


def test_a_forgotten_passphrase_sets_the_data_aside_and_starts_anew(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = ProfilePaths(tmp_path / "perfil-olvidado")
    services = open_services(paths, Settings())
    services.start_visit(services.list_instancias()[0].id)  # unsent: only on this laptop
    services.close()  # notes, in plain, how much waits for the server
    running = start(["--data-dir", str(paths.root)])
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: running.unlock is not None, timeout=5_000)
    dialog = running.unlock
    assert dialog is not None
    qtbot.mouseClick(child(dialog, QPushButton, "forgotPassphrase"), Qt.MouseButton.LeftButton)
    prompt = dialog.prompt
    assert prompt is not None and prompt.objectName() == "startOverPrompt"
    assert "quedaban 2 cambios sin confirmar" in prompt.text()  # the draft and its checklist
    assert "no se borran" in prompt.text()
    assert prompt.defaultButton() is prompt.button(QMessageBox.StandardButton.No)
    prompt.button(QMessageBox.StandardButton.Yes).click()
    message = child(dialog, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: "quedaron guardados" in message.text(), timeout=5_000)
    (aside,) = [p for p in paths.root.iterdir() if p.name.startswith("perfil-sin-contrasena")]
    assert (aside / "instancias.sqlite3").is_file() and (aside / "clave.json").is_file()
    assert not paths.key_file.exists()
    registry = page_of(running.window, InstanciasPage, "instancias")
    with qtbot.waitSignal(registry.loaded, timeout=15_000):
        _type_passphrase(qtbot, running, "una frase nueva para empezar", twice=True)
    assert running.services is not None and running.services.list_visits() == ()
    running.window.close()
    running.close()
