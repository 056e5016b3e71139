"""The registry is on screen before the profile is open, and stays put when it opens."""

from helpers.profiles import profile_key
from helpers.widgets import child, page_of, shown_records
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from instancias_desktop.app import start
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 15_000


def test_the_registry_shows_before_the_profile_opens_and_keeps_her_place(
    qtbot: QtBot, profile_paths: ProfilePaths
) -> None:
    running = start(["--data-dir", str(profile_paths.root)], key_for=profile_key)
    window = running.window
    qtbot.addWidget(window)
    registry = page_of(window, InstanciasPage, "instancias")
    profile = child(window, QLabel, "profileLabel")
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        pass
    assert str(profile_paths.root) not in profile.text(), "shown before the profile was open"
    table = child(registry, QTableView, "instanciasTable")
    shown = table.model()
    assert shown.rowCount() > 1000
    table.setCurrentIndex(shown.index(10, 0))
    chosen = shown.index(10, 1).data()  # the «Instancia» column
    resets: list[None] = []
    shown.sourceModel().modelReset.connect(lambda: resets.append(None))
    table.activated.emit(table.currentIndex())  # Enter on a row before the profile is open
    instancia_page = page_of(window, InstanciaPage, "instancia_page")
    instancia_title = child(instancia_page, QLabel, "pageTitle")
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
    running = start(["--data-dir", str(profile_paths.root)], key_for=profile_key)
    window = running.window
    qtbot.addWidget(window)
    registry = page_of(window, InstanciasPage, "instancias")
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        pass
    profile = child(window, QLabel, "profileLabel")
    assert str(profile_paths.root) not in profile.text(), "asked before the profile was open"
    first = shown_records(child(registry, QTableView, "instanciasTable"), InstanciaSummary)[0]
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(first.id)
    assert running.services is not None
    drafts = running.services.list_visits()
    assert [v.instancia_id for v in drafts] == [first.id]
    window.close()
    running.close()
