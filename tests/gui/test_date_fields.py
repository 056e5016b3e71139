"""Dates are typed as dd/mm/aaaa (or pasted) and stored as typed, or refused with a reason."""

import datetime as dt

import pytest
from helpers.gui_visits import unvisited_idc
from helpers.widgets import child, field_error, page_of, visible_child
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.typed_input import FieldInputError, parse_day

TIMEOUT = 10_000
NOT_A_DATE = "no es una fecha: escríbala como dd/mm/aaaa, por ejemplo 28/02/2027."


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("28/02/2027", dt.date(2027, 2, 28)),
        ("5/3/2027", dt.date(2027, 3, 5)),
        (" 05-03-2027 ", dt.date(2027, 3, 5)),
        ("05.03.2027", dt.date(2027, 3, 5)),
        ("05 / 03 / 2027", dt.date(2027, 3, 5)),
        ("2027-03-05", dt.date(2027, 3, 5)),  # pasted from a spreadsheet in ISO order
        ("29/02/2028", dt.date(2028, 2, 29)),
    ],
)
def test_a_date_is_read_day_first_as_typed_in_peru(typed: str, meant: dt.date) -> None:
    assert parse_day(typed, optional=False) == meant


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2027", "El día 31 no existe en febrero de 2027, que tiene 28 días."),
        ("29/02/2027", "El día 29 no existe en febrero de 2027, que tiene 28 días."),
        ("12/13/2027", "El mes 13 no existe: escriba un mes del 1 al 12 (dd/mm/aaaa)."),
        ("28/02/27", "Escriba el año con sus 4 cifras (por ejemplo 28/02/2027, no 28/02/27)."),
        ("28022027", f"«28022027» {NOT_A_DATE}"),
        ("28/02/2027 10:00", f"«28/02/2027 10:00» {NOT_A_DATE}"),
        ("", "Escriba la fecha como dd/mm/aaaa, por ejemplo 28/02/2027."),
    ],
)  # fmt: skip
def test_what_cannot_be_read_as_typed_is_refused_saying_what_to_write(
    typed: str, message: str
) -> None:
    with pytest.raises(FieldInputError) as refused:
        parse_day(typed, optional=False)
    assert refused.value.message == message


def test_an_optional_date_may_stay_empty() -> None:
    assert parse_day("  ", optional=True) is None


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds and type over it, as a person does."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def open_draft(qtbot: QtBot, window: MainWindow, services: AppServices) -> VisitEditorPage:
    visit_id = services.start_visit(unvisited_idc(services).id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    return editor


def test_an_agreement_deadline_typed_as_dd_mm_aaaa_is_stored_as_typed(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = open_draft(qtbot, window, services)
    child(editor, QTabWidget, "visitTabs").setCurrentWidget(child(editor, QWidget, "agreements"))
    qtbot.mouseClick(child(editor, QPushButton, "agreementsAdd"), Qt.MouseButton.LeftButton)
    dialog = visible_child(editor, AgreementDialog, "agreementDialog")
    qtbot.keyClicks(
        child(dialog, QPlainTextEdit, "agreementDescription"), "Aprobar el plan de trabajo."
    )
    qtbot.keyClicks(
        child(dialog, QLineEdit, "agreementResponsibleEntity"), "Municipalidad Distrital"
    )
    deadline = child(dialog, DateField, "agreementDeadline")
    line = child(deadline, QLineEdit, "dateLine")
    retype(qtbot, line, "31/02/2027")
    dialog.submit()
    assert field_error(deadline).isVisibleTo(dialog)
    assert field_error(deadline).text() == (
        "El día 31 no existe en febrero de 2027, que tiene 28 días."
    )
    assert dialog.isVisible()  # nothing was saved; she corrects the date
    retype(qtbot, line, "28/02/2027")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.detail is not None and bool(editor.detail.agreements))
    assert editor.detail is not None
    (agreement,) = editor.detail.agreements
    assert agreement.deadline == dt.date(2027, 2, 28)


# The offscreen platform cannot raise a popup or grab the keyboard for it; a real screen can.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "does not support grabbing")
def test_the_visit_date_is_typed_pasted_or_picked_and_never_guessed(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = open_draft(qtbot, window, services)
    field = child(editor, DateField, "visitDate")
    line = child(field, QLineEdit, "dateLine")
    error = field_error(field)
    visit_id = editor.visit_id
    assert visit_id is not None
    stored = services.visit_detail(visit_id).visit.visit_date

    retype(qtbot, line, "5/3/25")  # a two-digit year is not guessed
    line.clearFocus()
    qtbot.waitUntil(lambda: error.isVisibleTo(editor), timeout=TIMEOUT)
    assert "4 cifras" in error.text()
    qtbot.waitUntil(lambda: not editor.saver.has_pending(), timeout=TIMEOUT)
    assert services.visit_detail(visit_id).visit.visit_date == stored

    QGuiApplication.clipboard().setText("2025-03-05")
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    line.clearFocus()  # leaving the field saves it and shows the one format
    qtbot.waitUntil(
        lambda: services.visit_detail(visit_id).visit.visit_date == dt.date(2025, 3, 5),
        timeout=TIMEOUT,
    )
    assert field.text() == "05/03/2025"
    assert not error.isVisibleTo(editor)

    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_F4)
    calendar = child(field, QCalendarWidget, "dateCalendar")
    assert calendar.isVisible()
    assert calendar.selectedDate().toPython() == dt.date(2025, 3, 5)
    calendar.activated.emit(calendar.selectedDate().addDays(-2))
    qtbot.waitUntil(
        lambda: services.visit_detail(visit_id).visit.visit_date == dt.date(2025, 3, 3),
        timeout=TIMEOUT,
    )
    assert field.text() == "03/03/2025"
