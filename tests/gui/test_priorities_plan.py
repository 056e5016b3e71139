"""The ranking with its reasons, territory figures, the plan built from it and the home page."""

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.widgets import (
    all_records,
    child,
    page_of,
    shown_records,
    source_model,
    visible_child,
    visible_children,
)
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import Criterion, InstanciaLevel, VisitStatus
from instancias_desktop.domain.plan import PlannedVisit
from instancias_desktop.domain.priority_sources import is_assumption
from instancias_desktop.domain.priority_views import RankedLine
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.plan_dialog import PlanDialog, next_working_day
from instancias_desktop.ui.dialogs.weights_dialog import WeightsDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.home_page import HomePage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.plan_tab import PlanTab
from instancias_desktop.ui.pages.priorities_page import PrioritiesPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.record_table import RecordTable

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
    with qtbot.waitSignal(page_of(window, InstanciasPage, "instancias").loaded, timeout=TIMEOUT):
        window.attach(services, services.describe_profile())
    yield window
    ops.wait()


def priorities(main: MainWindow) -> PrioritiesPage:
    return page_of(main, PrioritiesPage, "priorities")


def rank_of(main: MainWindow, ubigeo: str) -> int:
    table = child(priorities(main), QTableView, "priorityTable")
    return next(
        line.ranked.rank
        for line in all_records(table, RankedLine)
        if line.ranked.instancia.ubigeo == ubigeo
    )


def test_the_ranking_explains_each_place_and_figures_are_imported_line_by_line(
    qtbot: QtBot, main: MainWindow, services: AppServices, figures: list[Path], tmp_path: Path
) -> None:
    page = priorities(main)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    every = services.priority_report().lines
    table = child(page, QTableView, "priorityTable")
    context = child(page, QLabel, "priorityContext")
    assert table.model().rowCount() == len(every) > 1_800
    assert context.text().startswith(
        "Instancias de todo el país · pesos (referenciales, a confirmar por el MIMP): "
        "valores por defecto"
    )
    table.setFocus()
    table.selectRow(0)
    top = every[0].ranked
    why = source_model(child(page, QTableView, "priorityWhy"))
    assert [c.criterion for c in why.records()] == list(Criterion)
    why_title = child(page, QLabel, "sectionTitle")
    assert why_title.text().startswith(f"Prioridad 1: {top.instancia.name} · puntaje ")
    points = [why.data(why.index(r, 3)) for r in range(10)]
    total = sum(float(p.replace(",", ".")) for p in points)
    assert total == pytest.approx(top.score, abs=0.06)  # the points shown add up to the score
    sources = {c.criterion: why.data(why.index(r, 4)) for r, c in enumerate(why.records())}
    assert sources[Criterion.LEGAL_EXPOSURE].startswith("Ley N° 31439")  # a norm, cited
    assert sources[Criterion.STAGE_GAP].startswith("D.S. N° 009-2016-MIMP")
    assumed = [c for c, text in sources.items() if text.startswith("Supuesto a confirmar")]
    assert Criterion.VIOLENCE_BURDEN in assumed and Criterion.LEGAL_EXPOSURE not in assumed
    assert set(assumed) == {c for c in Criterion if is_assumption(c)}
    level = child(page, QComboBox, "priorityLevel")
    level.setCurrentIndex(level.findData(InstanciaLevel.IRC.value))
    shown = shown_records(table, RankedLine)
    assert len(shown) == 26 and {s.ranked.instancia.level for s in shown} == {InstanciaLevel.IRC}
    level.setCurrentIndex(0)
    before = rank_of(main, WANCHAQ)
    bad = tmp_path / "malo.csv"
    bad.write_text("ubigeo;casos_violencia\n080108;12\n999999;3\n080104;doce\n", encoding="utf-8")
    figures.append(bad)
    import_figures = child(page, QPushButton, "importFigures")
    qtbot.mouseClick(import_figures, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: bool(visible_children(page, QMessageBox, "figuresImported")), timeout=TIMEOUT
    )
    refused = visible_child(page, QMessageBox, "figuresImported")
    text = refused.text()
    assert text.startswith("No se importó el archivo: corrija estas líneas")
    assert "\nLínea 3, ubigeo: «999999» no existe en el catálogo del INEI. Escriba" in text
    assert "\nLínea 4, casos_violencia: «doce» no es un número." in text
    refused.accept()
    good = tmp_path / "cifras.csv"
    good.write_text("ubigeo;casos_violencia;cem;solicitud\n080108;250;sí;sí\n", encoding="utf-8")
    figures.append(good)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(import_figures, Qt.MouseButton.LeftButton)
    assert page.message == "Cifras importadas: 1 fila válida, sin errores."
    assert "1 territorios con cifras importadas de cifras.csv" in context.text()
    assert rank_of(main, WANCHAQ) < before
    qtbot.mouseClick(child(page, QPushButton, "editWeights"), Qt.MouseButton.LeftButton)
    dialog = visible_child(page, WeightsDialog, "weightsDialog")
    spins = {c: child(dialog, QDoubleSpinBox, f"weight-{c.value}") for c in Criterion}
    assert not any(spin.isEnabled() for spin in spins.values())  # not a supervisor
    buttons = child(dialog, QDialogButtonBox, "dialogButtons")
    assert not buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert spins[Criterion.STAGE_GAP].value() == 30
    dialog.reject()


def test_a_plan_is_built_from_the_ranking_and_a_planned_visit_opens_prefilled(
    qtbot: QtBot, main: MainWindow, services: AppServices, typist: Typist
) -> None:
    page = priorities(main)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        main.show_section(4)
    table = child(page, RecordTable, "priorityTable")
    table.setFocus()
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = [line.ranked.instancia for line in table.selected_records()]
    assert len(chosen) == 2
    qtbot.mouseClick(child(page, QPushButton, "addToPlan"), Qt.MouseButton.LeftButton)
    dialog = visible_child(page, PlanDialog, "planDialog")
    monday = next_working_day(services.today())
    assert child(dialog, DateField, "planPlannedOn").day() == monday
    note = child(dialog, QPlainTextEdit, "planNote")
    note.setFocus()
    typist(note, "Promover la creación de la instancia")
    plan = child(page, PlanTab, "planTab")
    plan_table = child(plan, QTableView, "planTable")
    source = source_model(plan_table)
    save = child(dialog, QDialogButtonBox, "dialogButtons").button(
        QDialogButtonBox.StandardButton.Save
    )
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    # waits for the rows, not for a signal: the plan's first load may still be on its way
    qtbot.waitUntil(lambda: source.rowCount() == 2, timeout=TIMEOUT)
    rows = source.records()
    assert [(p.entry.instancia_id, p.entry.position, p.entry.planned_on) for p in rows] == [
        (chosen[0].instancia_id, 1, monday), (chosen[1].instancia_id, 2, monday),
    ]  # fmt: skip
    child(page, QTabWidget, "priorityTabs").setCurrentWidget(plan)
    main.activateWindow()  # offscreen, closing the dialog leaves no active window
    qtbot.waitUntil(main.isActiveWindow, timeout=TIMEOUT)
    plan_table.setFocus()
    plan_table.selectRow(0)
    qtbot.keyClick(plan_table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    swapped = [chosen[1].instancia_id, chosen[0].instancia_id]
    qtbot.waitUntil(
        lambda: [p.entry.instancia_id for p in source.records()] == swapped, timeout=TIMEOUT
    )
    assert child(plan, QLabel, "pageStatus").text() == "2 visitas planificadas en 1 día"
    plan_table.selectRow(0)
    editor = page_of(main, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(plan_table, Qt.Key.Key_Return)
    detail = editor.detail
    assert detail is not None
    assert (detail.visit.instancia_id, detail.visit.status) == (
        chosen[1].instancia_id,
        VisitStatus.DRAFT,
    )
    assert detail.visit.objective == "Promover la creación de la instancia"
    objective = child(editor, QPlainTextEdit, "visitObjective")
    assert objective.toPlainText() == detail.visit.objective
    # the home page shows the plan and the new draft; Enter on the draft reopens it
    home = page_of(main, HomePage, "home")
    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    planned = all_records(child(home, QTableView, "homePlanned"), PlannedVisit)
    assert [p.entry.instancia_id for p in planned] == [
        chosen[1].instancia_id, chosen[0].instancia_id,
    ]  # fmt: skip
    box = child(home, QGroupBox, "homePlannedBox")
    assert box.title() == "Visitas planificadas, próximos 14 días (2)"
    drafts = child(home, RecordTable, "homeDrafts")
    assert detail.visit.id in [v.id for v in all_records(drafts, VisitSummary)]
    assert "aún no está inscrito" in child(home, QLabel, "homeSync").text()
    assert child(home, QLabel, "pageTitle").text().endswith(services.today().strftime("%d/%m/%Y"))
    drafts.setFocus()
    drafts.select_where(lambda v: v.id == detail.visit.id)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(drafts, Qt.Key.Key_Return)
    assert editor.visit_id == detail.visit.id
    assert services.today() - dt.timedelta(days=0) == home.overview.today  # type: ignore[union-attr]
