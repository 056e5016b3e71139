"""A screen reader names and describes every control the keyboard reaches; a test finds each by
its own name.
"""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from helpers.gui_visits import complete, unvisited_idc
from helpers.widgets import child, page_of, visible_child, visible_children
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.conflict_views import ConflictView
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.identity import FULL_NAME, POST
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.dialogs.follow_up_dialog import FollowUpDialog
from instancias_desktop.ui.dialogs.identity_dialog import IdentityDialog
from instancias_desktop.ui.dialogs.merge_dialog import MergeDialog
from instancias_desktop.ui.dialogs.participant_dialog import ParticipantDialog
from instancias_desktop.ui.dialogs.plan_dialog import PlanDialog
from instancias_desktop.ui.dialogs.stage_event_dialog import StageEventDialog
from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog
from instancias_desktop.ui.dialogs.weights_dialog import WeightsDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.agreements_page import AgreementsPage
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab
from instancias_desktop.ui.pages.priorities_page import PrioritiesPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.pages.visits_page import VisitsPage
from instancias_desktop.ui.sections import PAGES
from sync.kinds import VISIT

TIMEOUT = 10_000
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)
# Names on purpose on more than one control, each found within its own page.
SHARED_NAMES = {"primaryButton"}  # the main action of a page (the editor's, the instancia's)


def _controls(window: QWidget) -> Iterator[QWidget]:
    """The controls the keyboard reaches (a drop-down's own list belongs to its box)."""
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (*CONTROLS, QAbstractSpinBox)):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parent(), QWidget) and isinstance(widget.parent().parent(), QComboBox):
            continue  # a drop-down's own list: the reader names the list box it belongs to
        yield widget


def _unnamed(window: QWidget) -> list[str]:
    found = []
    for widget in _controls(window):
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            found.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return found


def _qt_own_part(widget: QWidget) -> bool:
    """A part Qt adds by itself («qt_…» as a spin box's line, a tab bar's scroll arrows)."""
    return widget.objectName().startswith("qt_") or isinstance(widget.parent(), QTabBar)


def _named_by_the_app(widget: QWidget) -> bool:
    """Not a name Qt gives its own parts (see _qt_own_part)."""
    return bool(widget.objectName()) and not _qt_own_part(widget)


def _undescribed(root: QWidget) -> list[str]:
    """The controls a screen reader would announce by their name alone: no description to read
    (Qt reads the toolTip when there is no accessibleDescription), or one that repeats the name.
    """
    found = []
    for widget in _controls(root):
        if _qt_own_part(widget):
            continue  # the reader lands on the control that holds it (a spin box, the tab bar)
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None:
            found.append(f"{type(widget).__name__} «{widget.objectName()}» (no interface)")
            continue
        name = interface.text(QAccessible.Text.Name).strip()
        described = interface.text(QAccessible.Text.Description).strip()
        if not described or described == name:
            found.append(f"{type(widget).__name__} «{widget.objectName()}»: {name}")
    return found


def _shared_names(window: QWidget) -> dict[str, int]:
    """The objectNames that more than one control carries: child() could not tell them apart."""
    counts = Counter(w.objectName() for w in _controls(window) if _named_by_the_app(w))
    return {name: n for name, n in counts.items() if n > 1 and name not in SHARED_NAMES}


def _with_the_checklist_shown(qtbot: QtBot, editor: VisitEditorPage) -> ChecklistTab:
    checklist = child(editor, ChecklistTab, "checklistTab")
    with qtbot.waitSignal(checklist.loaded, timeout=TIMEOUT):  # its items, one row each
        child(editor, QTabWidget, "visitTabs").setCurrentWidget(checklist)
    assert checklist.findChildren(QRadioButton)  # the items' answers are among the controls
    return checklist


def _an_acta(qtbot: QtBot, window: MainWindow, services: AppServices) -> VisitEditorPage:
    visit_id = services.start_visit(unvisited_idc(services).id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    return editor


def _every_page_and_an_acta(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> VisitEditorPage:
    for spec in PAGES:
        window.page(spec.key)
    return _an_acta(qtbot, window, services)


def test_every_control_of_every_page_and_of_the_acta_has_a_name(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    _with_the_checklist_shown(qtbot, _every_page_and_an_acta(qtbot, window, services))
    assert _unnamed(window) == []


def test_no_two_controls_of_the_window_share_an_object_name(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = _every_page_and_an_acta(qtbot, window, services)
    _with_the_checklist_shown(qtbot, editor)
    assert _shared_names(window) == {}


def test_every_control_of_every_page_and_of_the_acta_has_a_description(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    editor = _every_page_and_an_acta(qtbot, window, services)
    _with_the_checklist_shown(qtbot, editor)
    assert _undescribed(window) == []


# ---------------------------------------------------------------------- the dialogs she opens
Opener = Callable[[QtBot, MainWindow, AppServices], QDialog]


def _participant(qtbot: QtBot, window: MainWindow, services: AppServices) -> QDialog:
    editor = _an_acta(qtbot, window, services)
    child(editor, QPushButton, "participantsAdd").click()
    return visible_child(editor, ParticipantDialog, "participantDialog")


def _agreement(qtbot: QtBot, window: MainWindow, services: AppServices) -> QDialog:
    editor = _an_acta(qtbot, window, services)
    child(editor, QPushButton, "agreementsAdd").click()
    return visible_child(editor, AgreementDialog, "agreementDialog")


def _stage_event(qtbot: QtBot, window: MainWindow, services: AppServices) -> QDialog:
    editor = _an_acta(qtbot, window, services)
    editor.lists.record_stage()  # «Actualizar estado de la instancia…»
    return visible_child(editor, StageEventDialog, "stageEventDialog")


def _identity(qtbot: QtBot, window: MainWindow, services: AppServices) -> QDialog:
    with services.database.unit_of_work(record=False) as uow:  # a profile nobody named yet
        uow.sync.set_value(FULL_NAME, "")
        uow.sync.set_value(POST, "")
        uow.commit()
    editor = _an_acta(qtbot, window, services)
    assert editor.visit_id is not None
    complete(services, editor.visit_id)
    editor.ask_finalize()
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, IdentityDialog, "identityDialog")), timeout=TIMEOUT
    )
    return visible_child(editor, IdentityDialog, "identityDialog")


def _follow_up(qtbot: QtBot, window: MainWindow, services: AppServices) -> QDialog:
    page = page_of(window, AgreementsPage, "agreements")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.show_page("agreements")
    child(page, QAbstractItemView, "allAgreementsTable").selectRow(0)
    child(page, QPushButton, "allAgreementsRecord").click()
    return visible_child(page, FollowUpDialog, "followUpDialog")


def _priorities(qtbot: QtBot, window: MainWindow) -> PrioritiesPage:
    page = page_of(window, PrioritiesPage, "priorities")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.show_page("priorities")
    return page


def _plan(qtbot: QtBot, window: MainWindow, _services: AppServices) -> QDialog:
    page = _priorities(qtbot, window)
    child(page, QAbstractItemView, "priorityTable").selectRow(0)
    child(page, QPushButton, "addToPlan").click()
    return visible_child(page, PlanDialog, "planDialog")


def _weights(qtbot: QtBot, window: MainWindow, _services: AppServices) -> QDialog:
    page = _priorities(qtbot, window)
    child(page, QPushButton, "editWeights").click()
    return visible_child(page, WeightsDialog, "weightsDialog")


def _verify(qtbot: QtBot, window: MainWindow, _services: AppServices) -> QDialog:
    window.show_page("visits")
    child(page_of(window, VisitsPage, "visits"), QPushButton, "verifyActa").click()
    qtbot.waitUntil(lambda: bool(visible_children(window, VerifyDialog, "verifyDialog")))
    return visible_child(window, VerifyDialog, "verifyDialog")


def _merge(qtbot: QtBot, window: MainWindow, _services: AppServices) -> QDialog:
    conflict = ConflictView(
        conflict_id=uuid.uuid4(),
        kind=VISIT.name,
        record_id=uuid.uuid4(),
        subject="Acta N° 001-2026-T01",
        field="objective",
        field_label="Objetivo",
        base="Seguimiento",
        current="Instalar la IDC",
        current_author="especialista.prueba",
        mine="Reactivar la IDC",
        made_at=dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC),
        can_change=True,
        takes_text=True,
    )
    dialog = MergeDialog(conflict, window)  # «Escribir otro valor…» in «Conflictos»
    dialog.show()
    return dialog


DIALOGS: dict[str, Opener] = {
    "participante": _participant,
    "acuerdo": _agreement,
    "stage event": _stage_event,
    "identity": _identity,
    "follow-up": _follow_up,
    "plan": _plan,
    "weights": _weights,
    "verify": _verify,
    "merge": _merge,
}


@pytest.mark.parametrize("opener", DIALOGS.values(), ids=DIALOGS.keys())
def test_every_control_of_the_dialogs_a_specialist_opens_has_a_description(
    qtbot: QtBot, window: MainWindow, services: AppServices, opener: Opener
) -> None:
    dialog = opener(qtbot, window, services)
    assert list(_controls(dialog))  # the dialog is there, with its fields
    assert _undescribed(dialog) == []
    dialog.reject()
