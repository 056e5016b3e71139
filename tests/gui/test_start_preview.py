"""The registry is on screen before the profile is open, and stays put when it opens."""

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from instancias_desktop.app import start
from instancias_desktop.paths import ProfilePaths

TIMEOUT = 15_000


def test_the_registry_shows_before_the_profile_opens_and_keeps_her_place(
    qtbot: QtBot, profile_paths: ProfilePaths
) -> None:
    running = start(["--data-dir", str(profile_paths.root)])
    window = running.window
    qtbot.addWidget(window)
    registry = window.page("instancias")
    profile = window.findChild(QLabel, "profileLabel")
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        pass
    assert str(profile_paths.root) not in profile.text(), "shown before the profile was open"
    table = registry.findChild(QTableView)
    shown = table.model()
    assert shown.rowCount() > 1000
    table.setCurrentIndex(shown.index(10, 0))
    chosen = shown.index(10, 1).data()  # the «Instancia» column
    resets: list[None] = []
    shown.sourceModel().modelReset.connect(lambda: resets.append(None))
    table.activated.emit(table.currentIndex())  # Enter on a row before the profile is open
    instancia_title = window.page("instancia_page").findChild(QLabel, "pageTitle")
    assert instancia_title.text() == "Cargando…"

    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):  # read again once open
        pass
    qtbot.waitUntil(lambda: str(profile_paths.root) in profile.text(), timeout=TIMEOUT)
    assert resets == [], "the same registry is not laid out again"
    assert table.currentIndex().row() == 10
    assert table.currentIndex() != QModelIndex()
    qtbot.waitUntil(lambda: chosen in instancia_title.text(), timeout=TIMEOUT)
    window.close()
    running.close()


def test_a_visit_asked_for_while_the_profile_opens_is_started_once_it_is_open(
    qtbot: QtBot, profile_paths: ProfilePaths
) -> None:
    running = start(["--data-dir", str(profile_paths.root)])
    window = running.window
    qtbot.addWidget(window)
    registry = window.page("instancias")
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        pass
    profile = window.findChild(QLabel, "profileLabel")
    assert str(profile_paths.root) not in profile.text(), "asked before the profile was open"
    shown = registry.findChild(QTableView).model()
    first = shown.record_at(shown.index(0, 0))
    editor = window.page("editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(first.id)
    assert running.services is not None
    drafts = running.services.list_visits()
    assert [v.instancia_id for v in drafts] == [first.id]
    window.close()
    running.close()
