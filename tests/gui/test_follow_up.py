"""Following up agreements through the real window: in a later visit, and on the agreements page."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers.gui_visits import finalize, unvisited_idc
from helpers.widgets import (
    all_records,
    child,
    page_of,
    shown_records,
    source_model,
    visible_child,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.agreement_filters import AgreementFilter, DeadlineWindow
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.follow_ups import AgreementLine, FollowUpView
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.follow_up_dialog import FollowUpDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.agreements_page import AgreementsPage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.date_field import DateField

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
    with qtbot.waitSignal(page_of(window, InstanciasPage, "instancias").loaded, timeout=TIMEOUT):
        window.attach(services, services.describe_profile())
    yield window
    ops.wait()


def test_a_later_visit_follows_up_earlier_agreements_with_the_keyboard(
    qtbot: QtBot, main: MainWindow, services: AppServices, typist: Typist
) -> None:
    instancia, earlier = earlier_acta(services)
    later = services.start_visit(instancia)
    editor = page_of(main, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        main.open_visit(later)
    panel = child(editor, QWidget, "followUpsPanel")
    qtbot.keyClick(editor, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)
    assert child(editor, QTabWidget, "visitTabs").currentWidget() is panel
    table = child(panel, QTableView, "followUpsTable")
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=TIMEOUT)
    source = source_model(table)
    texts = [(r.description, r.state) for r in all_records(table, AgreementLine)]
    assert texts == [
        ("Aprobar el reglamento interno", AgreementState.OVERDUE),
        ("Sesionar cada mes", AgreementState.PENDING),
    ]
    overdue_color = source.data(source.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(overdue_color, QColor) and overdue_color.name() == "#a11212"
    assert source.data(source.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = visible_child(panel, FollowUpDialog, "followUpDialog")
    assert child(dialog, DateField, "followUpRecordedOn").day() == services.today()
    # only a reschedule moves the deadline
    assert not child(dialog, DateField, "followUpNewDeadline").isEnabled()
    state = child(dialog, QComboBox, "followUpState")
    state.setCurrentIndex(state.findData(AgreementState.FULFILLED.value))
    evidence = child(dialog, QLineEdit, "followUpEvidence")
    evidence.setFocus()
    typist(evidence, "Decreto de Alcaldía N° 012-2026")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(evidence, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: all_records(table, AgreementLine)[0].state is AgreementState.FULFILLED,
        timeout=TIMEOUT,
    )
    table.selectRow(0)
    history = child(panel, QTableView, "followUpsHistory")
    qtbot.waitUntil(lambda: source_model(history).rowCount() == 1, timeout=TIMEOUT)
    acta = services.visit_detail(later).visit.acta_number
    (entry,) = all_records(history, FollowUpView)
    assert (entry.evidence, entry.acta_number, entry.author) == (
        "Decreto de Alcaldía N° 012-2026", acta, "Rosa Huamán Quispe, Especialista de la DPVLV",
    )  # fmt: skip
    assert child(panel, QLabel, "sectionTitle").text().endswith(": 1 seguimiento")
    # stored once, against the earlier acta's agreement, recorded in this visit
    lines = [a for a in services.agreement_lines() if a.visit_id == earlier]
    assert [(a.number, a.state) for a in lines] == [
        (1, AgreementState.FULFILLED), (2, AgreementState.PENDING),
    ]  # fmt: skip
    finalize(services, later)
    main._ops.announce({Area.VISITS})
    record = child(panel, QPushButton, "followUpsRecord")
    origin = child(panel, QPushButton, "followUpsOrigin")
    qtbot.waitUntil(lambda: not record.isEnabled(), timeout=TIMEOUT)
    assert origin.isEnabled()  # the earlier acta can still be opened
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(origin, Qt.MouseButton.LeftButton)
    assert editor.visit_id == earlier


def test_the_agreements_page_filters_highlights_exports_and_opens_the_acta(
    qtbot: QtBot, main: MainWindow, services: AppServices, exported: Path, typist: Typist
) -> None:
    _instancia, earlier = earlier_acta(services)
    page = page_of(main, AgreementsPage, "agreements")
    main._ops.announce({Area.AGREEMENTS})  # as the visit's dialogs do: reloads when shown
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(main, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    pages = child(main, QStackedWidget, "pageStack")
    assert pages.currentWidget() is page
    table = child(page, QTableView, "allAgreementsTable")

    def shown() -> list[AgreementLine]:
        return shown_records(table, AgreementLine)

    every = services.agreement_lines()
    today = services.today()
    assert table.model().rowCount() == len(every) > 2
    due = child(page, QComboBox, "agreementsDue")
    due.setCurrentIndex(due.findData(DeadlineWindow.OVERDUE.value))
    overdue = [a for a in every if a.state is AgreementState.OVERDUE]
    assert [a.id for a in shown()] == [a.id for a in overdue]
    status = child(page, QLabel, "pageStatus")
    assert status.text().startswith(f"Mostrando {len(overdue)} de {len(every)} acuerdos")
    due.setCurrentIndex(0)
    ours = next(a for a in every if a.visit_id == earlier)
    department = child(page, QComboBox, "agreementsDepartment")
    province = child(page, QComboBox, "agreementsProvince")
    qtbot.waitUntil(lambda: department.count() > 20, timeout=TIMEOUT)  # the catalogue
    assert not province.isEnabled()
    department.setCurrentIndex(department.findData(ours.ubigeo[:2]))
    province.setCurrentIndex(province.findData(ours.ubigeo[:4]))
    in_province = [a.id for a in every if a.ubigeo.startswith(ours.ubigeo[:4])]
    assert [a.id for a in shown()] == in_province and ours.id in in_province
    department.setCurrentIndex(0)  # «Todos»: the province choice goes with it
    assert (province.currentIndex(), table.model().rowCount()) == (0, len(every))
    responsible = child(page, QLineEdit, "agreementsResponsible")
    responsible.setFocus()
    typist(responsible, "alcaldesa")
    wanted = AgreementFilter(responsible="alcaldesa")
    expected = [a.id for a in every if wanted.accepts(a, "", today)]
    assert len(expected) >= 2
    qtbot.waitUntil(lambda: [a.id for a in shown()] == expected, timeout=TIMEOUT)
    search = child(page, QLineEdit, "agreementsSearch")
    search.setFocus()
    typist(search, "reglamento interno")
    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=TIMEOUT)
    (line,) = shown()
    assert (line.visit_id, line.state) == (earlier, AgreementState.OVERDUE)
    qtbot.mouseClick(child(page, QPushButton, "exportAgreements"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(exported.exists, timeout=TIMEOUT)
    sheet = openpyxl.load_workbook(exported).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("N° de acta", "Fecha de la visita", "N° de acuerdo")
    assert len(values) == 2 and values[1][6] == "Aprobar el reglamento interno"
    assert values[1][11] == "Vencido"
    table.setFocus()
    table.selectRow(0)
    editor = page_of(main, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert editor.visit_id == earlier
    main.go_back()
    assert pages.currentWidget() is page
