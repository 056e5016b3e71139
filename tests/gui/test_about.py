"""«Acerca de» (F1): one version number, with the catalogues and fichas this laptop holds."""

import json
import tomllib
from importlib.metadata import version

from helpers.widgets import child
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from instancias_desktop import __version__
from instancias_desktop.paths import resources_dir
from instancias_desktop.ui.main_window import MainWindow

ROOT = resources_dir().parent


def test_the_version_is_the_package_s_one_number() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert __version__ == version("instancias-desktop") == declared["project"]["version"]


def test_f1_tells_the_app_catalogue_and_ficha_versions(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "aboutDialog") is not None, timeout=5_000)
    dialog = window.findChild(QDialog, "aboutDialog")
    assert dialog is not None and dialog.isVisible()
    text = child(dialog, QLabel, "aboutText").text()
    assert f"Versión de la aplicación: {__version__}" in text
    catalogue = json.loads((ROOT / "resources/catalogues/ubigeo_inei.json").read_text("utf-8"))
    assert catalogue["version"] in text
    released: dict[str, list[int]] = {}
    for release in tomllib.loads((ROOT / "forms/releases.toml").read_text("utf-8"))["release"]:
        released.setdefault(release["form"], []).append(release["version"])
    for form, versions in released.items():  # every ficha shipped, whatever their number
        assert f"{form}: versiones {', '.join(map(str, sorted(versions)))}" in text
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    # The button does the same, for whoever does not know F1.
    qtbot.mouseClick(child(window, QPushButton, "openAboutDialog"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.profile_actions.about_dialog is not dialog, timeout=5_000)
    assert window.profile_actions.about_dialog is not None
