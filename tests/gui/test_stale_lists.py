"""A list being read again says so until the new rows are in: never stale without a word."""

from helpers.widgets import child, page_of
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.agreements_page import AgreementsPage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage

TIMEOUT = 10_000


def test_the_registry_says_it_is_updating_while_it_reads_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = page_of(window, InstanciasPage, "instancias")
    status = child(page, QLabel, "pageStatus")
    assert status.text() == "Mostrando 1,917 de 1,917 instancias"
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page._ops.announce({Area.INSTANCIAS})  # a sync brought changes: read again
        assert status.text() == "Mostrando 1,917 de 1,917 instancias · actualizando…"
    assert status.text() == "Mostrando 1,917 de 1,917 instancias"


def test_the_agreements_say_they_are_updating_while_they_read_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = page_of(window, AgreementsPage, "agreements")
    status = child(page, QLabel, "pageStatus")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.show_page("agreements")
    table = child(page, QTableView, "allAgreementsTable")
    assert table.model().rowCount() > 0
    settled = status.text()
    assert settled.startswith("Mostrando ") and "actualizando" not in settled
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page._ops.announce({Area.AGREEMENTS})
        assert status.text() == settled + " · actualizando…"
    assert status.text() == settled
