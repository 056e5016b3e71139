"""GUI fixtures: a small demo profile and the real main window over it."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.gui_central import central_database
from helpers.profiles import open_profile
from helpers.widgets import page_of
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from sync.server.app import create_app
from sync.server.local import LocalServer


@pytest.fixture
def services(profile_paths: ProfilePaths) -> Iterator[AppServices]:
    assert (
        demo_main(
            ["--data-dir", str(profile_paths.root), "--visits", "120", "--participants", "600"]
        )
        == 0
    )
    opened = open_profile(profile_paths, Settings(author="especialista.prueba"))
    yield AppServices(opened.database, profile_paths, Settings(acta_series="T01"))
    opened.database.dispose()


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    """The central server on a free port (real HTTP), with the specialist of every department.

    A module that needs another server defines its own ``central``.
    """
    with central_database(tmp_path) as sessions, LocalServer(create_app(sessions)) as server:
        yield server.url, sessions


@pytest.fixture
def window(qtbot: QtBot, services: AppServices) -> Iterator[MainWindow]:
    ops = Operations()
    main = MainWindow(ops)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(page_of(main, InstanciasPage, "instancias").loaded, timeout=10_000):
        main.attach(services, services.describe_profile())
    yield main
    ops.wait()


Typist = Callable[[QWidget, str], None]


@pytest.fixture
def typist(qtbot: QtBot) -> Typist:
    """Types Spanish text into real widgets: QTest knows only ASCII keys; people type ñ, tildes."""

    def type_text(widget: QWidget, text: str) -> None:
        for char in text:
            if char == "\n":
                qtbot.keyClick(widget, Qt.Key.Key_Return)
            elif char.isascii():
                qtbot.keyClicks(widget, char)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(
                        kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
                    )
                    QApplication.sendEvent(widget, event)

    return type_text
