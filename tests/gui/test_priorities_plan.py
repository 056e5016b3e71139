"""The ranking with its reasons, territory figures, the plan built from it and the home page."""

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import Criterion, InstanciaLevel, VisitStatus
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.plan_dialog import PlanDialog, next_working_day
from instancias_desktop.ui.dialogs.weights_dialog import WeightsDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]
WANCHAQ = "080108"


@pytest.fixture
def figures(tmp_path: Path) -> list[Path]:
    """The files the «Importar cifras» chooser hands over, in order."""
    return []


@pytest.fixture
def main(qtbot: QtBot, services: AppServices, figures: list[Path]) -> Iterator[MainWindow]:
    ops = Operations()
    window = MainWindow(ops, choose_figures=lambda _parent: figures.pop(0))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.instancias.loaded, timeout=TIMEOUT):
        window.attach(services, services.describe_profile())
    yield window
    ops.wait()


def rank_of(main: MainWindow, ubigeo: str) -> int:
    return next(
        line.ranked.rank
        for line in main.priorities.table.source.records()
        if line.ranked.instancia.ubigeo == ubigeo
    )


def test_the_ranking_explains_each_place_and_figures_are_imported_line_by_line(
    qtbot: QtBot, main: MainWindow, services: AppServices, figures: list[Path], tmp_path: Path
) -> None:
    page = main.priorities
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    every = services.priority_report().lines
    assert page.table.proxy.rowCount() == len(every) > 1_800
    assert page.context.text().startswith("Instancias de todo el país · pesos: valores por defecto")
    page.table.setFocus()
    page.table.selectRow(0)
    top = every[0].ranked
    assert [c.criterion for c in page.why.source.records()] == list(Criterion)
    assert page.why_title.text().startswith(f"Prioridad 1: {top.instancia.name} · puntaje ")
    points = [page.why.source.data(page.why.source.index(r, 3)) for r in range(10)]
    total = sum(float(p.replace(",", ".")) for p in points)
    assert total == pytest.approx(top.score, abs=0.06)  # the points shown add up to the score
    page.level.setCurrentIndex(page.level.findData(InstanciaLevel.IRC.value))
    shown = [
        page.table.proxy.record_at(page.table.proxy.index(r, 0))
        for r in range(page.table.proxy.rowCount())
    ]
    assert len(shown) == 26 and {s.ranked.instancia.level for s in shown} == {InstanciaLevel.IRC}
    page.level.setCurrentIndex(0)
    before = rank_of(main, WANCHAQ)
    bad = tmp_path / "malo.csv"
    bad.write_text("ubigeo;casos_violencia\n080108;12\n999999;3\n080104;doce\n", encoding="utf-8")
    figures.append(bad)
    qtbot.mouseClick(page.figures_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox), timeout=TIMEOUT)
    assert isinstance(page.dialog, QMessageBox)
    text = page.dialog.text()
    assert text.startswith("No se importó el archivo: corrija estas líneas")
    assert "\nLínea 3, ubigeo: «999999» no existe en el catálogo del INEI. Escriba" in text
    assert "\nLínea 4, casos_violencia: «doce» no es un número." in text
    page.dialog.accept()
    good = tmp_path / "cifras.csv"
    good.write_text("ubigeo;casos_violencia;cem;solicitud\n080108;250;sí;sí\n", encoding="utf-8")
    figures.append(good)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(page.figures_button, Qt.MouseButton.LeftButton)
    assert page.message == "Cifras importadas: 1 fila válida, sin errores."
    assert "1 territorios con cifras importadas de cifras.csv" in page.context.text()
    assert rank_of(main, WANCHAQ) < before
    qtbot.mouseClick(page.weights_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, WeightsDialog)
    assert not any(spin.isEnabled() for spin in dialog.spins.values())  # not a supervisor
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert dialog.spins[Criterion.STAGE_GAP].value() == 30
    dialog.reject()


def test_a_plan_is_built_from_the_ranking_and_a_planned_visit_opens_prefilled(
    qtbot: QtBot, main: MainWindow, services: AppServices, typist: Typist
) -> None:
    page = main.priorities
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        main.show_section(4)
    table = page.table
    table.setFocus()
    table.selectRow(0)
    table.selectionModel().select(
        table.proxy.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = [line.ranked.instancia for line in table.selected_records()]
    assert len(chosen) == 2
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, PlanDialog)
    monday = next_working_day(services.today())
    assert dialog.planned_on.day() == monday
    dialog.note.setFocus()
    typist(dialog.note, "Promover la creación de la instancia")
    plan = page.plan
    source = plan.section.table.source
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    # waits for the rows, not for a signal: the plan's first load may still be on its way
    qtbot.waitUntil(lambda: source.rowCount() == 2, timeout=TIMEOUT)
    rows = source.records()
    assert [(p.entry.instancia_id, p.entry.position, p.entry.planned_on) for p in rows] == [
        (chosen[0].instancia_id, 1, monday), (chosen[1].instancia_id, 2, monday),
    ]  # fmt: skip
    page.tabs.setCurrentWidget(plan)
    main.activateWindow()  # offscreen, closing the dialog leaves no active window
    qtbot.waitUntil(main.isActiveWindow, timeout=TIMEOUT)
    plan.section.table.setFocus()
    plan.section.table.selectRow(0)
    qtbot.keyClick(plan.section.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    swapped = [chosen[1].instancia_id, chosen[0].instancia_id]
    qtbot.waitUntil(
        lambda: [p.entry.instancia_id for p in source.records()] == swapped, timeout=TIMEOUT
    )
    assert plan.status.text() == "2 visitas planificadas en 1 día"
    plan.section.table.selectRow(0)
    with qtbot.waitSignal(main.editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(plan.section.table, Qt.Key.Key_Return)
    detail = main.editor.detail
    assert detail is not None
    assert (detail.visit.instancia_id, detail.visit.status) == (
        chosen[1].instancia_id,
        VisitStatus.DRAFT,
    )
    assert detail.visit.objective == "Promover la creación de la instancia"
    assert main.editor.fields.bindings["objective"].widget.toPlainText() == detail.visit.objective  # type: ignore[attr-defined]
    # the home page shows the plan and the new draft; Enter on the draft reopens it
    home = main.home
    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert [p.entry.instancia_id for p in home.planned.source.records()] == [
        chosen[1].instancia_id, chosen[0].instancia_id,
    ]  # fmt: skip
    assert home.boxes["planned"].title() == "Visitas planificadas, próximos 14 días (2)"
    assert detail.visit.id in [v.id for v in home.drafts.source.records()]
    assert "aún no está inscrito" in home.sync_text.text()
    assert home.title.text().endswith(services.today().strftime("%d/%m/%Y"))
    home.drafts.setFocus()
    home.drafts.select_where(lambda v: v.id == detail.visit.id)
    with qtbot.waitSignal(main.editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(home.drafts, Qt.Key.Key_Return)
    assert main.editor.visit_id == detail.visit.id
    assert services.today() - dt.timedelta(days=0) == home.overview.today  # type: ignore[union-attr]
