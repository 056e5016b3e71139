"""A specialist's visit, done through the real window: create, fill, save, reopen, finalize."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.widgets import (
    child,
    field_error,
    page_of,
    visible_child,
    visible_children,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import AttachmentKind, ParticipantRole, VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.visit_views import VisitDetail
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.dialogs.participant_dialog import ParticipantDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.pages.visits_page import VisitsPage

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]  # the fixture in conftest.py


def editor_detail(qtbot: QtBot, editor: VisitEditorPage) -> VisitDetail:
    qtbot.waitUntil(lambda: not editor.saver.has_pending() and editor.detail is not None)
    assert editor.detail is not None
    return editor.detail


def type_into(typist: Typist, editor: VisitEditorPage, field: str, text: str) -> None:
    widget = child(editor, QWidget, field)
    widget.setFocus()
    typist(widget, text)


def save_dialog(
    qtbot: QtBot,
    editor: VisitEditorPage,
    dialog: QDialog,
    field: QWidget,
    shown: Callable[[VisitDetail], bool],
) -> None:
    """Enter in a one-line field presses the dialog's default button, Guardar."""
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.detail is not None and shown(editor.detail), timeout=TIMEOUT)


def add_typed_participant(
    qtbot: QtBot,
    typist: Typist,
    editor: VisitEditorPage,
    dni: str,
    name: str,
    role: ParticipantRole,
) -> None:
    qtbot.mouseClick(child(editor, QPushButton, "participantsAdd"), Qt.MouseButton.LeftButton)
    dialog = visible_child(editor, ParticipantDialog, "participantDialog")
    typist(child(dialog, QLineEdit, "participantDocumentNumber"), dni)
    typist(child(dialog, QLineEdit, "participantFullName"), name)
    typist(child(dialog, QLineEdit, "participantEntity"), "Municipalidad Distrital")
    typist(child(dialog, QLineEdit, "participantPost"), "Gerente de Desarrollo Social")
    roles = child(dialog, QComboBox, "participantRole")
    roles.setCurrentIndex(roles.findData(role.value))
    child(dialog, QCheckBox, "participantConsent").setChecked(True)
    count = len(editor.detail.participants) if editor.detail else 0
    email = child(dialog, QLineEdit, "participantEmail")
    save_dialog(qtbot, editor, dialog, email, lambda d: len(d.participants) == count + 1)


@pytest.fixture
def known_person(services: AppServices) -> tuple[str, str]:
    """Someone who attended an earlier (demo) visit: their DNI and name."""
    visit = next(v for v in services.list_visits() if v.participant_count)
    person = services.visit_detail(visit.id).participants[0]
    return person.document_number, person.full_name


def test_a_specialist_records_a_whole_visit_and_finalizes_it(
    qtbot: QtBot,
    typist: Typist,
    window: MainWindow,
    services: AppServices,
    known_person: tuple[str, str],
    tmp_path: Path,
) -> None:
    # Open an instancia from the registry with the keyboard, then start a visit (Ctrl+N).
    registry = page_of(window, InstanciasPage, "instancias")
    child(registry, QLineEdit, "instanciasSearch").setText("provincial Chachapoyas")
    table = child(registry, QTableView, "instanciasTable")
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    page = page_of(window, InstanciaPage, "instancia_page")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.detail is not None and "Chachapoyas" in page.detail.summary.name
    before = len(page.detail.visits)
    editor = page_of(window, VisitEditorPage, "editor")
    pages = child(window, QStackedWidget, "pageStack")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert pages.currentWidget() is editor
    detail = editor_detail(qtbot, editor)
    visit_id = detail.visit.id
    assert detail.visit.acta_number.startswith("N° 001-")
    assert detail.visit.acta_number.endswith("-MIMP/DGCVG-DPVLV-T01")
    title = child(editor, QLabel, "pageTitle")
    assert title.text().endswith("Borrador")

    # Header and narrative, typed; saved on their own.
    end_time = child(editor, QLineEdit, "visitEndTime")
    type_into(typist, editor, "visitEndTime", "25:00")
    assert field_error(end_time).text() == (
        "Escriba la hora como hh:mm, por ejemplo 09:30 o 15:45."
    )
    end_time.clear()
    # No start time was guessed: she types the meeting's own, before or after the end.
    assert child(editor, QLineEdit, "visitStartTime").text() == ""
    type_into(typist, editor, "visitEndTime", "11:30")
    type_into(typist, editor, "visitStartTime", "9:00")
    type_into(typist, editor, "visitObjective", "Brindar asistencia técnica para la instalación.")
    type_into(typist, editor, "visitAgenda", "1. Revisión de la ordenanza.\n2. Acuerdos.")
    type_into(
        typist, editor, "visitDevelopment", "Se revisó la ordenanza de creación con el alcalde."
    )
    qtbot.keyClick(
        child(editor, QPlainTextEdit, "visitDevelopment"),
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier,
    )
    qtbot.waitUntil(lambda: not editor.saver.has_pending(), timeout=TIMEOUT)
    assert not field_error(end_time).isVisibleTo(editor)
    stored = services.visit_detail(visit_id).visit
    assert stored.objective == "Brindar asistencia técnica para la instalación."
    assert (stored.start_time, stored.end_time) == (dt.time(9, 0), dt.time(11, 30))

    # Three participants: two typed, one picked from an earlier visit by part of the DNI.
    tabs = child(editor, QTabWidget, "visitTabs")
    tabs.setCurrentIndex(2)
    add_typed_participant(
        qtbot, typist, editor, "4567 8912", "Rosa Quispe Huamán", ParticipantRole.CHAIR
    )
    add_typed_participant(
        qtbot,
        typist,
        editor,
        "40112233",
        "Ñusta Ccori Ñahui",
        ParticipantRole.TECHNICAL_SECRETARIAT,
    )
    qtbot.mouseClick(child(editor, QPushButton, "participantsAdd"), Qt.MouseButton.LeftButton)
    dialog = visible_child(editor, ParticipantDialog, "participantDialog")
    dni, name = known_person
    search = child(dialog, QLineEdit, "participantSearch")
    matches = child(dialog, QListWidget, "participantMatches")
    typist(search, dni[:6])
    qtbot.waitUntil(
        lambda: matches.count() > 0 and matches.item(0).data(Qt.ItemDataRole.UserRole) is not None,
        timeout=TIMEOUT,
    )
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert child(dialog, QLineEdit, "participantFullName").text() == name
    assert child(dialog, QLineEdit, "participantDocumentNumber").text() == dni
    child(dialog, QCheckBox, "participantConsent").setChecked(True)
    email = child(dialog, QLineEdit, "participantEmail")
    save_dialog(qtbot, editor, dialog, email, lambda d: len(d.participants) == 3)
    detail = editor_detail(qtbot, editor)
    assert [p.full_name for p in detail.participants] == [
        "Rosa Quispe Huamán",
        "Ñusta Ccori Ñahui",
        name,
    ]
    assert detail.participants[0].document_number == "45678912"
    assert child(editor, QTableView, "participantsTable").model().rowCount() == 3

    # A bad DNI is refused next to its field, and nothing is stored.
    qtbot.mouseClick(child(editor, QPushButton, "participantsAdd"), Qt.MouseButton.LeftButton)
    bad = visible_child(editor, ParticipantDialog, "participantDialog")
    document = child(bad, QLineEdit, "participantDocumentNumber")
    entity = child(bad, QLineEdit, "participantEntity")
    typist(document, "1234")
    typist(child(bad, QLineEdit, "participantFullName"), "Sin Documento")
    typist(entity, "CEM")
    qtbot.keyClick(entity, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: field_error(document).isVisibleTo(bad), timeout=TIMEOUT)
    assert field_error(document).text() == "El DNI debe tener 8 dígitos; tiene 4."
    bad.reject()
    assert len(services.visit_detail(visit_id).participants) == 3

    # Two agreements.
    tabs.setCurrentWidget(child(editor, QWidget, "agreements"))
    for description, responsible in (
        ("Aprobar el reglamento interno de la instancia.", "Municipalidad Provincial"),
        ("Remitir el acta de instalación al MIMP.", "Secretaría Técnica"),
    ):
        qtbot.mouseClick(child(editor, QPushButton, "agreementsAdd"), Qt.MouseButton.LeftButton)
        agreement = visible_child(editor, AgreementDialog, "agreementDialog")
        typist(child(agreement, QPlainTextEdit, "agreementDescription"), description)
        typist(child(agreement, QLineEdit, "agreementResponsibleEntity"), responsible)
        person = child(agreement, QLineEdit, "agreementResponsiblePerson")
        typist(person, "Rosa Quispe Huamán")
        count = len(editor.detail.agreements) if editor.detail else 0
        save_dialog(qtbot, editor, agreement, person, lambda d, n=count: len(d.agreements) == n + 1)
    detail = editor_detail(qtbot, editor)
    assert [(a.number, a.responsible_entity) for a in detail.agreements] == [
        (1, "Municipalidad Provincial"),
        (2, "Secretaría Técnica"),
    ]

    # An annex picked from disk.
    scan = tmp_path / "acta firmada.pdf"
    scan.write_bytes(b"%PDF-1.4 escaneo del acta firmada\n")
    editor.lists._choose_file = lambda _parent: scan
    tabs.setCurrentWidget(child(editor, QWidget, "attachments"))
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        child(editor, QPushButton, "attachmentsAttach").click()
    (annex,) = editor_detail(qtbot, editor).attachments
    assert (annex.filename, annex.kind, annex.size_bytes) == (
        "acta firmada.pdf",
        AttachmentKind.SIGNED_ACTA,
        len(scan.read_bytes()),
    )
    assert services.annex_content(annex.sha256) == scan.read_bytes()

    # Close, reopen from the visits list: everything is there.
    window.activateWindow()  # the dialogs had the focus
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    tabs.setCurrentIndex(0)
    place = child(editor, QLineEdit, "visitPlace")
    place.setFocus()
    qtbot.keyClick(place, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.detail is not None and len(page.detail.visits) == before + 1)
    window.show_section(2)
    visits = page_of(window, VisitsPage, "visits")
    qtbot.waitUntil(lambda: visits.select_visit(visit_id), timeout=TIMEOUT)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(child(visits, QTableView, "visitsTable"), Qt.Key.Key_Return)
    detail = editor_detail(qtbot, editor)
    assert detail.visit.development == "Se revisó la ordenanza de creación con el alcalde."
    objective = child(editor, QPlainTextEdit, "visitObjective")
    assert objective.toPlainText() == "Brindar asistencia técnica para la instalación."
    assert (len(detail.participants), len(detail.agreements), len(detail.attachments)) == (3, 2, 1)

    # Finalize (confirmed in the prompt).
    child(editor, QPushButton, "primaryButton").click()  # «Finalizar acta…»
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, QMessageBox, "finalizePrompt")), timeout=TIMEOUT
    )
    prompt = visible_child(editor, QMessageBox, "finalizePrompt")
    assert "Figurará como finalizada por Rosa Huamán Quispe, Especialista" in prompt.text()
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    detail = editor_detail(qtbot, editor)
    assert detail.visit.status is VisitStatus.FINALIZED
    assert title.text().endswith("Finalizada, por firmar")

    # Editing the finalized acta fails, with the message that says how to correct it.
    message = (
        f"El acta {detail.visit.acta_number} está finalizada y no se puede modificar. "
        "Para corregirla, cree una adenda."
    )
    objective.setFocus()
    typist(objective, " Texto añadido después")
    assert objective.toPlainText() == "Brindar asistencia técnica para la instalación."
    assert objective.isReadOnly()
    banner = child(editor, QLabel, "readOnlyBanner")
    assert banner.isVisibleTo(editor)
    assert "solo lectura" in banner.text()
    assert "Para corregirla, cree una adenda." in banner.text()
    assert not child(editor, QPushButton, "participantsAdd").isEnabled()
    assert not child(editor, QPushButton, "agreementsAdd").isEnabled()
    with pytest.raises(FinalizedVisitError) as refused:
        services.update_visit(visit_id, {"objective": "Cambio"})
    assert str(refused.value) == message
    assert services.visit_detail(visit_id).visit.objective == (
        "Brindar asistencia técnica para la instalación."
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=TIMEOUT)
