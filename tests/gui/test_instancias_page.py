import datetime as dt
import threading

from helpers.widgets import all_records, child, page_of, shown_records, source_model
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableView,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.entities import StageEvent
from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.text import fold
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visits_page import VisitsPage


def registry(window: MainWindow) -> InstanciasPage:
    return page_of(window, InstanciasPage, "instancias")


def table(page: InstanciasPage) -> QTableView:
    return child(page, QTableView, "instanciasTable")


def row_count(page: InstanciasPage) -> int:
    return table(page).model().rowCount()


def shown(page: InstanciasPage) -> list[InstanciaSummary]:
    return shown_records(table(page), InstanciaSummary)


def cell(page: InstanciasPage, row: int, column: int) -> str:
    model = table(page).model()
    return str(model.index(row, column).data())


def search(page: InstanciasPage) -> QLineEdit:
    return child(page, QLineEdit, "instanciasSearch")


def combo(page: InstanciasPage, name: str) -> QComboBox:
    return child(page, QComboBox, name)


def status(page: InstanciasPage) -> str:
    return child(page, QLabel, "pageStatus").text()


def test_the_whole_registry_is_listed(window: MainWindow) -> None:
    page = registry(window)
    assert row_count(page) == 1917
    assert status(page) == "Mostrando 1,917 de 1,917 instancias"
    assert window.windowTitle() == "Instancias de Concertación — Asistencia técnica MIMP"
    model = table(page).model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Nivel", "Instancia", "Departamento"]


def test_typing_filters_the_rows_as_the_user_types(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    qtbot.keyClicks(search(page), "san jer")
    rows = shown(page)
    assert rows, "San Jerónimo exists in several departments"
    assert all("san jer" in fold(f"{r.name} {r.district_name} {r.province_name}") for r in rows)
    assert {r.district_name for r in rows} == {"San Jerónimo", "San Jerónimo de Tunán"}
    assert status(page) == f"Mostrando {len(rows)} de 1,917 instancias"
    qtbot.keyClicks(search(page), "onimo cusco")
    assert [(r.ubigeo, r.name) for r in shown(page)] == [
        ("080104", "Instancia Distrital de Concertación de San Jerónimo")
    ]


def test_search_ignores_accents_and_matches_ubigeo(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    box = search(page)
    qtbot.keyClicks(box, "ANCASH")
    unaccented = {r.id for r in shown(page)}
    box.clear()
    qtbot.keyClicks(box, "Áncash")
    assert {r.id for r in shown(page)} == unaccented
    assert all(r.department_name == "Áncash" for r in shown(page))
    box.clear()
    qtbot.keyClicks(box, "150132")
    assert [r.district_name for r in shown(page)] == ["San Juan de Lurigancho"]


def test_a_town_finds_the_instancias_that_sit_in_it(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    box = search(page)
    qtbot.keyClicks(box, "Ilave")  # the capital of El Collao (Puno): no district IDC
    assert [(r.level.value, r.province_name) for r in shown(page)] == [("IPC", "El Collao")]
    box.clear()
    qtbot.keyClicks(box, "Puno collao")  # department and province names, any order
    assert {r.province_name for r in shown(page)} == {"El Collao"}
    assert len(shown(page)) > 1  # the IPC and the IDCs of its other districts


def test_combos_filter_by_department_province_level_and_stage(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = registry(window)
    department, province = combo(page, "instanciasDepartment"), combo(page, "instanciasProvince")
    level, stage = combo(page, "instanciasLevel"), combo(page, "instanciasStage")
    assert not province.isEnabled()
    department.setCurrentIndex(department.findText("Cusco"))
    assert province.isEnabled()
    assert province.count() == 1 + 13, "'Todas' and the 13 provinces of Cusco"
    assert all(r.department_name == "Cusco" for r in shown(page))
    province.setCurrentIndex(province.findText("La Convención"))
    rows = shown(page)
    assert rows and all(r.ubigeo.startswith("0809") for r in rows)
    page.clear_filters()
    level.setCurrentIndex(level.findData(InstanciaLevel.IRC.value))
    assert len(shown(page)) == 26
    level.setCurrentIndex(0)
    stage.setCurrentIndex(stage.findData(Stage.FUNCTIONING.value))
    functioning = shown(page)
    assert functioning and {r.stage for r in functioning} == {Stage.FUNCTIONING}
    assert {cell(page, r, 6) for r in range(row_count(page))} == {"En funcionamiento"}
    qtbot.mouseClick(child(page, QPushButton, "clearInstanciaFilters"), Qt.MouseButton.LeftButton)
    assert row_count(page) == 1917


def test_a_filter_nobody_matches_says_what_to_do(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    qtbot.keyClicks(search(page), "xyzzy")
    assert row_count(page) == 0
    assert status(page) == (
        "Ninguna instancia coincide con los filtros. Pruebe con «Limpiar filtros»."
    )


def test_sorting_by_visits_puts_the_most_visited_first(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    view = table(page)
    view.sortByColumn(8, Qt.SortOrder.DescendingOrder)
    counts = [shown(page)[r].visit_count for r in range(10)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(r.visit_count for r in all_records(view, InstanciaSummary))
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # reloaded: the rows come sorted so
        page.reload()
    header = view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        8, Qt.SortOrder.DescendingOrder,
    )  # fmt: skip
    assert [r.visit_count for r in shown(page)[:10]] == counts
    qtbot.keyClicks(search(page), "Cusco")  # and a search still finds by the keys folded away
    assert shown(page) and all("Cusco" in r.department_name for r in shown(page))


def test_keyboard_reaches_sections_and_search(qtbot: QtBot, window: MainWindow) -> None:
    pages = child(window, QStackedWidget, "pageStack")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert pages.currentIndex() == 2
    assert child(window, QListWidget, "navigation").currentItem().text() == "Visitas"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    visits = page_of(window, VisitsPage, "visits")
    # Ctrl+F searches the visits
    assert QApplication.focusWidget() is child(visits, QLineEdit, "visitsSearch")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pages.currentWidget() is registry(window)
    assert QApplication.focusWidget() is search(registry(window))


def test_pages_reload_when_data_changes(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    page = registry(window)
    target = next(r for r in shown(page) if r.stage is Stage.NOT_CREATED)
    with services.database.unit_of_work() as uow:
        uow.registry.add_stage_events([StageEvent(target.id, Stage.CREATED, dt.date(2025, 5, 5))])
        uow.commit()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page._ops.announce({Area.INSTANCIAS})
    assert next(r for r in shown(page) if r.id == target.id).stage is Stage.CREATED


def test_the_table_model_is_a_well_behaved_qt_model(
    qtmodeltester: ModelTester, window: MainWindow
) -> None:
    view = table(registry(window))
    qtmodeltester.check(source_model(view))
    qtmodeltester.check(view.model())


def test_an_older_reload_never_overwrites_a_newer_one(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    release = threading.Event()

    def slow_and_empty() -> tuple[object, tuple[()]]:
        release.wait(10)
        return page._options, ()

    page._loads.run(slow_and_empty, page._show)  # an older load, still running
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()  # a newer one, answered first
    release.set()
    qtbot.waitUntil(lambda: not page._ops.busy(), timeout=10_000)  # the late answer arrived
    assert row_count(page) == 1917


def test_a_result_for_a_closed_page_is_dropped(qtbot: QtBot, services: AppServices) -> None:
    ops = Operations()
    page = InstanciasPage(ops)
    page.attach(services)  # a reload is now running in the pool
    page.deleteLater()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)  # delivered, and dropped quietly
    ops.wait()


def test_filters_follow_the_combos_after_a_reload(qtbot: QtBot, window: MainWindow) -> None:
    page = registry(window)
    department, province = combo(page, "instanciasDepartment"), combo(page, "instanciasProvince")
    department.setCurrentIndex(department.findText("Loreto"))
    province.setCurrentIndex(province.findText("Putumayo"))
    expected = {r.ubigeo for r in shown(page)}
    assert expected and all(u.startswith("1608") for u in expected)
    page._options = None  # as if the catalogue changed under the page
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()
    assert province.currentText() == "Putumayo"
    assert {r.ubigeo for r in shown(page)} == expected
