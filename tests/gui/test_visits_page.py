"""The visits list: search as you type, filter by state, reload only when someone looks."""

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import VisitStatus
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visits_page import VisitsPage

TIMEOUT = 10_000


def shown(page: VisitsPage) -> list[VisitSummary]:
    proxy = page.table.proxy
    return [proxy.record_at(proxy.index(r, 0)) for r in range(proxy.rowCount())]


def open_visits(qtbot: QtBot, window: MainWindow) -> VisitsPage:
    page = window.visits
    window.show_section(2)
    assert page.status.text() == "Cargando las visitas…"  # never «0 de 0» while it reads
    qtbot.waitUntil(lambda: page.table.source.rowCount() == 120, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(page.table.source.search_key(0)), timeout=TIMEOUT)
    return page


def test_every_visit_is_listed_newest_first(qtbot: QtBot, window: MainWindow) -> None:
    page = open_visits(qtbot, window)
    rows = shown(page)
    assert len(rows) == 120
    assert [r.visit_date for r in rows] == sorted((r.visit_date for r in rows), reverse=True)
    drafts = sum(r.status is VisitStatus.DRAFT for r in rows)
    assert page.status.text() == (
        f"Mostrando 120 de 120 visitas · {drafts} borradores por terminar"
    )


def test_search_and_state_filter_narrow_the_list(qtbot: QtBot, window: MainWindow) -> None:
    page = open_visits(qtbot, window)
    target = shown(page)[7]
    territory_word = target.territory.split(",")[0].upper()  # capitals and accents ignored
    qtbot.keyClicks(page.search, target.acta_number[3:6])
    qtbot.keyClicks(page.search, " " + territory_word.encode("ascii", "ignore").decode())
    assert target in shown(page)
    assert all(target.acta_number[3:6] in r.acta_number for r in shown(page))
    page.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData(VisitStatus.FINALIZED.value))
    assert shown(page) and all(r.status is VisitStatus.FINALIZED for r in shown(page))


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
    qtmodeltester.check(page.table.source)
    qtmodeltester.check(page.table.proxy)
