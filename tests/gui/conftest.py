"""GUI fixtures: a small demo profile and the real main window over it."""

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.profile import open_profile
from instancias_desktop.settings import Settings
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations


@pytest.fixture
def services(profile_paths: ProfilePaths) -> Iterator[AppServices]:
    assert (
        demo_main(
            ["--data-dir", str(profile_paths.root), "--visits", "120", "--participants", "600"]
        )
        == 0
    )
    opened = open_profile(profile_paths, Settings(author="especialista.prueba"))
    yield AppServices(opened.database, profile_paths)
    opened.database.dispose()


@pytest.fixture
def window(qtbot: QtBot, services: AppServices) -> Iterator[MainWindow]:
    ops = Operations()
    main = MainWindow(ops)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.instancias.loaded, timeout=10_000):
        main.attach(services, services.describe_profile())
    yield main
    ops.wait()
