"""The visits list: search as you type, filter by state, reload only when someone looks."""

import csv
from pathlib import Path

from helpers.widgets import child, page_of, shown_records, source_model
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import ActaState
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visits_page import VisitsPage

TIMEOUT = 10_000


def table(page: VisitsPage) -> QTableView:
    return child(page, QTableView, "visitsTable")


def shown(page: VisitsPage) -> list[VisitSummary]:
    return shown_records(table(page), VisitSummary)


def status(page: VisitsPage) -> str:
    return child(page, QLabel, "pageStatus").text()


def open_visits(qtbot: QtBot, window: MainWindow) -> VisitsPage:
    page = page_of(window, VisitsPage, "visits")
    window.show_section(2)
    assert status(page) == "Cargando las visitas…"  # never «0 de 0» while it reads
    source = source_model(table(page))
    qtbot.waitUntil(lambda: source.rowCount() == 120, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(source.search_key(0)), timeout=TIMEOUT)
    return page


def test_every_visit_is_listed_newest_first(qtbot: QtBot, window: MainWindow) -> None:
    page = open_visits(qtbot, window)
    rows = shown(page)
    assert len(rows) == 120
    assert [r.visit_date for r in rows] == sorted((r.visit_date for r in rows), reverse=True)
    drafts = sum(r.acta_state is ActaState.DRAFT for r in rows)
    unsigned = sum(r.acta_state is ActaState.FINALIZED for r in rows)
    assert status(page) == (
        f"Mostrando 120 de 120 visitas · {drafts} borradores por terminar · "
        f"{unsigned} actas por firmar"
    )


def test_search_and_state_filter_narrow_the_list(qtbot: QtBot, window: MainWindow) -> None:
    page = open_visits(qtbot, window)
    target = shown(page)[7]
    territory_word = target.territory.split(",")[0].upper()  # capitals and accents ignored
    search = child(page, QLineEdit, "visitsSearch")
    qtbot.keyClicks(search, target.acta_number[3:6])
    qtbot.keyClicks(search, " " + territory_word.encode("ascii", "ignore").decode())
    assert target in shown(page)
    assert all(target.acta_number[3:6] in r.acta_number for r in shown(page))
    search.clear()
    state = child(page, QComboBox, "visitsStatusFilter")
    state.setCurrentIndex(state.findData(ActaState.FINALIZED.value))
    assert shown(page) and all(r.acta_state is ActaState.FINALIZED for r in shown(page))
    state.setCurrentIndex(state.findData(ActaState.SIGNED.value))
    assert shown(page) == []  # no signed copy attached yet


def test_a_hidden_list_reloads_when_shown_not_on_every_change(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    page = open_visits(qtbot, window)
    window.show_section(1)  # the list is hidden now
    instancia = services.list_instancias()[0]
    new_id = services.start_visit(instancia.id)
    reloads: list[None] = []
    page.loaded.connect(lambda: reloads.append(None))
    page._ops.announce({Area.VISITS})
    qtbot.wait(300)
    assert reloads == [], "nobody looks at the list: no reload"
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.show_section(2)
    assert shown(page)[0].id == new_id
    assert len(reloads) == 1


def test_the_visits_model_is_a_well_behaved_qt_model(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    page = open_visits(qtbot, window)
    qtmodeltester.check(source_model(table(page)))
    qtmodeltester.check(table(page).model())


def test_the_visits_shown_are_exported_with_the_state_of_each_acta(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = open_visits(qtbot, window)
    state = child(page, QComboBox, "visitsStatusFilter")
    state.setCurrentIndex(state.findData(ActaState.FINALIZED.value))
    unsigned = {v.acta_number for v in shown(page)}
    assert unsigned
    target = tmp_path / "visitas.csv"
    page._choose_target = lambda _parent, _name: target
    qtbot.mouseClick(child(page, QPushButton, "exportVisits"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exportado" in status(page), timeout=TIMEOUT)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=_delimiter(target)))
    assert {r["N° de acta"] for r in rows} == unsigned
    assert {r["Estado del acta"] for r in rows} == {"Finalizada, por firmar"}


def _delimiter(path: Path) -> str:
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return ";" if header.count(";") > header.count(",") else ","
