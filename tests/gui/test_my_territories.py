"""After enrolment her territories come first, and a visit elsewhere is warned about plainly."""

from helpers.enrolment import sign_in
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow

TIMEOUT = 10_000


def test_her_territories_first_and_a_visit_elsewhere_asks_first(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    registry = window.instancias
    total = registry.model.rowCount()
    mine = registry.findChild(QCheckBox, "myTerritoriesOnly")
    assert mine is not None and not mine.isVisibleTo(registry)  # not enrolled: every instancia
    assert registry.proxy.rowCount() == total

    sign_in(services.database, territories=("08",))  # Cusco
    with qtbot.waitSignal(registry.loaded, timeout=TIMEOUT):
        registry.reload()
    assert mine.isVisibleTo(registry) and mine.isChecked()
    assert mine.text() == "Solo &mis territorios (Cusco)"
    shown = [registry.model.summary(registry.proxy.mapToSource(registry.proxy.index(r, 0)).row())
             for r in range(registry.proxy.rowCount())]  # fmt: skip
    assert shown and all(s.ubigeo.startswith("08") for s in shown)
    assert registry.status.text().endswith("(solo sus territorios)")
    registry.clear_filters()  # easy to clear
    assert not mine.isChecked() and registry.proxy.rowCount() == total

    elsewhere = next(i for i in services.list_instancias() if i.ubigeo.startswith("01"))
    visits_before = len(services.list_visits())
    window.start_visit(elsewhere.id)
    qtbot.waitUntil(lambda: window.territory_prompt is not None, timeout=TIMEOUT)
    prompt = window.territory_prompt
    assert prompt is not None and prompt.objectName() == "outsideTerritoryPrompt"
    assert "no está en los territorios asignados a su usuario (ana: Cusco)" in prompt.text()
    assert "El servidor no aceptará esta visita" in prompt.text()
    prompt.defaultButton().click()  # «Cancelar» is the default: nothing is created
    assert len(services.list_visits()) == visits_before

    window.territory_prompt = None
    window.start_visit(elsewhere.id)
    qtbot.waitUntil(lambda: window.territory_prompt is not None, timeout=TIMEOUT)
    prompt = window.territory_prompt
    assert prompt is not None
    (create,) = (b for b in prompt.buttons() if b.text() == "Crear &de todos modos")
    with qtbot.waitSignal(window.editor.loaded, timeout=TIMEOUT):
        create.click()
    assert len(services.list_visits()) == visits_before + 1
    assert window.pages.currentWidget() is window.editor

    own = next(i for i in services.list_instancias() if i.ubigeo.startswith("08"))
    window.territory_prompt = None
    with qtbot.waitSignal(window.editor.loaded, timeout=TIMEOUT):
        window.start_visit(own.id)  # hers: no question asked
    assert window.territory_prompt is None
