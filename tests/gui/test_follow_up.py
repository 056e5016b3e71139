"""Following up agreements through the real window: in a later visit, and on the agreements page."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers.gui_visits import finalize, unvisited_idc
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.agreement_filters import AgreementFilter, DeadlineWindow
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.follow_up_dialog import FollowUpDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]


def earlier_acta(services: AppServices) -> tuple[uuid.UUID, uuid.UUID]:
    """A finalized acta of an unvisited IDC with an overdue and an open agreement."""
    instancia = unvisited_idc(services).id
    visit_id = services.start_visit(instancia)
    services.update_visit(visit_id, {"visit_date": services.today() - dt.timedelta(days=60)})
    for text, days in (("Aprobar el reglamento interno", -10), ("Sesionar cada mes", 45)):
        deadline = services.today() + dt.timedelta(days=days)
        services.save_agreement(
            visit_id, AgreementInput(text, "Municipalidad Distrital", "Alcaldesa", deadline)
        )
    finalize(services, visit_id)
    return instancia, visit_id


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    return tmp_path / "acuerdos.xlsx"


@pytest.fixture
def main(qtbot: QtBot, services: AppServices, exported: Path) -> Iterator[MainWindow]:
    ops = Operations()
    window = MainWindow(ops, choose_export=lambda _parent, _name: exported)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.instancias.loaded, timeout=TIMEOUT):
        window.attach(services, services.describe_profile())
    yield window
    ops.wait()


def test_a_later_visit_follows_up_earlier_agreements_with_the_keyboard(
    qtbot: QtBot, main: MainWindow, services: AppServices, typist: Typist
) -> None:
    instancia, earlier = earlier_acta(services)
    later = services.start_visit(instancia)
    editor = main.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        main.open_visit(later)
    panel = editor.lists.follow_ups
    qtbot.keyClick(editor, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)
    assert editor.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.table.proxy.rowCount() == 2, timeout=TIMEOUT)
    source = panel.table.source
    texts = [(r.description, r.state) for r in source.records()]
    assert texts == [
        ("Aprobar el reglamento interno", AgreementState.OVERDUE),
        ("Sesionar cada mes", AgreementState.PENDING),
    ]
    overdue_color = source.data(source.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(overdue_color, QColor) and overdue_color.name() == "#a11212"
    assert source.data(source.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = panel.dialog
    assert isinstance(dialog, FollowUpDialog)
    assert dialog.recorded_on.day() == services.today()
    assert not dialog.new_deadline.isEnabled()  # only a reschedule moves the deadline
    dialog.state.setCurrentIndex(dialog.state.findData(AgreementState.FULFILLED.value))
    dialog.evidence.setFocus()
    typist(dialog.evidence, "Decreto de Alcaldía N° 012-2026")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(dialog.evidence, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: source.records()[0].state is AgreementState.FULFILLED, timeout=TIMEOUT)
    panel.table.selectRow(0)
    qtbot.waitUntil(lambda: panel.history.source.rowCount() == 1, timeout=TIMEOUT)
    acta = services.visit_detail(later).visit.acta_number
    (entry,) = panel.history.source.records()
    assert (entry.evidence, entry.acta_number, entry.author) == (
        "Decreto de Alcaldía N° 012-2026", acta, "Rosa Huamán Quispe, Especialista de la DPVLV",
    )  # fmt: skip
    assert panel.history_title.text().endswith(": 1 seguimiento")
    # stored once, against the earlier acta's agreement, recorded in this visit
    lines = [a for a in services.agreement_lines() if a.visit_id == earlier]
    assert [(a.number, a.state) for a in lines] == [
        (1, AgreementState.FULFILLED), (2, AgreementState.PENDING),
    ]  # fmt: skip
    finalize(services, later)
    main._ops.announce({Area.VISITS})
    qtbot.waitUntil(lambda: not panel.section.buttons["record"].isEnabled(), timeout=TIMEOUT)
    assert panel.section.buttons["origin"].isEnabled()  # the earlier acta can still be opened
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(panel.section.buttons["origin"], Qt.MouseButton.LeftButton)
    assert editor.visit_id == earlier


def test_the_agreements_page_filters_highlights_exports_and_opens_the_acta(
    qtbot: QtBot, main: MainWindow, services: AppServices, exported: Path, typist: Typist
) -> None:
    _instancia, earlier = earlier_acta(services)
    page = main.agreements
    main._ops.announce({Area.AGREEMENTS})  # as the visit's dialogs do: reloads when shown
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert main.pages.currentWidget() is page
    every = services.agreement_lines()
    today = services.today()
    assert page.panel.table.proxy.rowCount() == len(every) > 2
    page.due.setCurrentIndex(page.due.findData(DeadlineWindow.OVERDUE.value))
    overdue = [a for a in every if a.state is AgreementState.OVERDUE]
    assert [a.id for a in page.shown()] == [a.id for a in overdue]
    assert page.status.text().startswith(f"Mostrando {len(overdue)} de {len(every)} acuerdos")
    page.due.setCurrentIndex(0)
    ours = next(a for a in every if a.visit_id == earlier)
    qtbot.waitUntil(lambda: page.department.count() > 20, timeout=TIMEOUT)  # the catalogue
    assert not page.province.isEnabled()
    page.department.setCurrentIndex(page.department.findData(ours.ubigeo[:2]))
    page.province.setCurrentIndex(page.province.findData(ours.ubigeo[:4]))
    in_province = [a.id for a in every if a.ubigeo.startswith(ours.ubigeo[:4])]
    assert [a.id for a in page.shown()] == in_province and ours.id in in_province
    page.department.setCurrentIndex(0)  # «Todos»: the province choice goes with it
    assert (page.province.currentIndex(), page.panel.table.proxy.rowCount()) == (0, len(every))
    page.responsible.setFocus()
    typist(page.responsible, "alcaldesa")
    wanted = AgreementFilter(responsible="alcaldesa")
    expected = [a.id for a in every if wanted.accepts(a, "", today)]
    assert len(expected) >= 2
    qtbot.waitUntil(lambda: [a.id for a in page.shown()] == expected, timeout=TIMEOUT)
    page.search.setFocus()
    typist(page.search, "reglamento interno")
    qtbot.waitUntil(lambda: len(page.shown()) == 1, timeout=TIMEOUT)
    (line,) = page.shown()
    assert (line.visit_id, line.state) == (earlier, AgreementState.OVERDUE)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(exported.exists, timeout=TIMEOUT)
    sheet = openpyxl.load_workbook(exported).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("N° de acta", "Fecha de la visita", "N° de acuerdo")
    assert len(values) == 2 and values[1][6] == "Aprobar el reglamento interno"
    assert values[1][11] == "Vencido"
    page.panel.table.setFocus()
    page.panel.table.selectRow(0)
    with qtbot.waitSignal(main.editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(page.panel.table, Qt.Key.Key_Return)
    assert main.editor.visit_id == earlier
    main.go_back()
    assert main.pages.currentWidget() is page
