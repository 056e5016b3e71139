"""A specialist's visit, done through the real window: create, fill, save, reopen, finalize."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import AttachmentKind, ParticipantRole, VisitStatus
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.visit_views import VisitDetail
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.dialogs.participant_dialog import ParticipantDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]  # the fixture in conftest.py


def editor_detail(qtbot: QtBot, editor: VisitEditorPage) -> VisitDetail:
    qtbot.waitUntil(lambda: not editor.saver.has_pending() and editor.detail is not None)
    assert editor.detail is not None
    return editor.detail


def type_into(typist: Typist, editor: VisitEditorPage, field: str, text: str) -> None:
    widget = editor.fields.bindings[field].widget
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
    qtbot.mouseClick(editor.lists.participants.buttons["add"], Qt.MouseButton.LeftButton)
    dialog = editor.lists.dialog
    assert isinstance(dialog, ParticipantDialog)
    typist(dialog.document_number, dni)
    typist(dialog.full_name, name)
    typist(dialog.entity, "Municipalidad Distrital")
    typist(dialog.post, "Gerente de Desarrollo Social")
    dialog.role.setCurrentIndex(dialog.role.findData(role.value))
    dialog.consent.setChecked(True)
    count = len(editor.detail.participants) if editor.detail else 0
    save_dialog(qtbot, editor, dialog, dialog.email, lambda d: len(d.participants) == count + 1)


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
    registry = window.instancias
    registry.search.setText("provincial Chachapoyas")
    registry.table.setFocus()
    registry.table.setCurrentIndex(registry.proxy.index(0, 0))
    with qtbot.waitSignal(window.instancia_page.loaded, timeout=TIMEOUT):
        qtbot.keyClick(registry.table, Qt.Key.Key_Return)
    page = window.instancia_page
    assert page.detail is not None and "Chachapoyas" in page.detail.summary.name
    before = len(page.detail.visits)
    editor = window.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is editor
    detail = editor_detail(qtbot, editor)
    visit_id = detail.visit.id
    assert detail.visit.acta_number.startswith("N° 001-")
    assert detail.visit.acta_number.endswith("-MIMP/DGCVG-DPVLV-T01")
    assert editor.title.text().endswith("Borrador")

    # Header and narrative, typed; saved on their own.
    type_into(typist, editor, "end_time", "25:00")
    assert editor.fields.bindings["end_time"].error.text() == (
        "Escriba la hora como hh:mm, por ejemplo 09:30 o 15:45."
    )
    editor.fields.bindings["end_time"].widget.clear()  # type: ignore[attr-defined]
    # No start time was guessed: she types the meeting's own, before or after the end.
    assert editor.fields.bindings["start_time"].widget.text() == ""  # type: ignore[attr-defined]
    type_into(typist, editor, "end_time", "11:30")
    type_into(typist, editor, "start_time", "9:00")
    type_into(typist, editor, "objective", "Brindar asistencia técnica para la instalación.")
    type_into(typist, editor, "agenda", "1. Revisión de la ordenanza.\n2. Acuerdos.")
    type_into(typist, editor, "development", "Se revisó la ordenanza de creación con el alcalde.")
    qtbot.keyClick(
        editor.fields.bindings["development"].widget,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier,
    )
    qtbot.waitUntil(lambda: not editor.saver.has_pending(), timeout=TIMEOUT)
    assert not editor.fields.bindings["end_time"].error.isVisibleTo(editor)
    stored = services.visit_detail(visit_id).visit
    assert stored.objective == "Brindar asistencia técnica para la instalación."
    assert (stored.start_time, stored.end_time) == (dt.time(9, 0), dt.time(11, 30))

    # Three participants: two typed, one picked from an earlier visit by part of the DNI.
    editor.tabs.setCurrentIndex(2)
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
    qtbot.mouseClick(editor.lists.participants.buttons["add"], Qt.MouseButton.LeftButton)
    dialog = editor.lists.dialog
    assert isinstance(dialog, ParticipantDialog)
    dni, name = known_person
    typist(dialog.search, dni[:6])
    qtbot.waitUntil(
        lambda: (
            dialog.matches.count() > 0
            and dialog.matches.item(0).data(Qt.ItemDataRole.UserRole) is not None
        ),
        timeout=TIMEOUT,
    )
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.full_name.text() == name
    assert dialog.document_number.text() == dni
    dialog.consent.setChecked(True)
    save_dialog(qtbot, editor, dialog, dialog.email, lambda d: len(d.participants) == 3)
    detail = editor_detail(qtbot, editor)
    assert [p.full_name for p in detail.participants] == [
        "Rosa Quispe Huamán",
        "Ñusta Ccori Ñahui",
        name,
    ]
    assert detail.participants[0].document_number == "45678912"
    assert editor.lists.participants.table.model().rowCount() == 3

    # A bad DNI is refused next to its field, and nothing is stored.
    qtbot.mouseClick(editor.lists.participants.buttons["add"], Qt.MouseButton.LeftButton)
    bad = editor.lists.dialog
    assert isinstance(bad, ParticipantDialog)
    typist(bad.document_number, "1234")
    typist(bad.full_name, "Sin Documento")
    typist(bad.entity, "CEM")
    qtbot.keyClick(bad.entity, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bad.errors["document_number"].isVisibleTo(bad), timeout=TIMEOUT)
    assert bad.errors["document_number"].text() == "El DNI debe tener 8 dígitos; tiene 4."
    bad.reject()
    assert len(services.visit_detail(visit_id).participants) == 3

    # Two agreements.
    editor.tabs.setCurrentWidget(editor.lists.agreements)
    for description, entity in (
        ("Aprobar el reglamento interno de la instancia.", "Municipalidad Provincial"),
        ("Remitir el acta de instalación al MIMP.", "Secretaría Técnica"),
    ):
        qtbot.mouseClick(editor.lists.agreements.buttons["add"], Qt.MouseButton.LeftButton)
        agreement = editor.lists.dialog
        assert isinstance(agreement, AgreementDialog)
        typist(agreement.description, description)
        typist(agreement.responsible_entity, entity)
        typist(agreement.responsible_person, "Rosa Quispe Huamán")
        count = len(editor.detail.agreements) if editor.detail else 0
        save_dialog(
            qtbot,
            editor,
            agreement,
            agreement.responsible_person,
            lambda d, n=count: len(d.agreements) == n + 1,
        )
    detail = editor_detail(qtbot, editor)
    assert [(a.number, a.responsible_entity) for a in detail.agreements] == [
        (1, "Municipalidad Provincial"),
        (2, "Secretaría Técnica"),
    ]

    # An annex picked from disk.
    scan = tmp_path / "acta firmada.pdf"
    scan.write_bytes(b"%PDF-1.4 escaneo del acta firmada\n")
    editor.lists._choose_file = lambda _parent: scan
    editor.tabs.setCurrentWidget(editor.lists.attachments)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        editor.lists.attachments.buttons["attach"].click()
    (annex,) = editor_detail(qtbot, editor).attachments
    assert (annex.filename, annex.kind, annex.size_bytes) == (
        "acta firmada.pdf",
        AttachmentKind.SIGNED_ACTA,
        len(scan.read_bytes()),
    )
    assert services.attachment_path(annex.sha256).read_bytes() == scan.read_bytes()

    # Close, reopen from the visits list: everything is there.
    window.activateWindow()  # the dialogs had the focus
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    editor.tabs.setCurrentIndex(0)
    place = editor.fields.bindings["place"].widget
    place.setFocus()
    qtbot.keyClick(place, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.detail is not None and len(page.detail.visits) == before + 1)
    window.show_section(2)
    visits = window.visits
    qtbot.waitUntil(lambda: visits.select_visit(visit_id), timeout=TIMEOUT)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.keyClick(visits.table, Qt.Key.Key_Return)
    detail = editor_detail(qtbot, editor)
    assert detail.visit.development == "Se revisó la ordenanza de creación con el alcalde."
    objective = editor.fields.bindings["objective"].widget
    assert isinstance(objective, QPlainTextEdit)
    assert objective.toPlainText() == "Brindar asistencia técnica para la instalación."
    assert (len(detail.participants), len(detail.agreements), len(detail.attachments)) == (3, 2, 1)

    # Finalize (confirmed in the prompt).
    editor.finalize_button.click()
    qtbot.waitUntil(lambda: editor.prompt is not None, timeout=TIMEOUT)
    prompt = editor.prompt
    assert prompt is not None
    assert "Figurará como finalizada por Rosa Huamán Quispe, Especialista" in prompt.text()
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    detail = editor_detail(qtbot, editor)
    assert detail.visit.status is VisitStatus.FINALIZED
    assert editor.title.text().endswith("Finalizada")

    # Editing the finalized acta fails, with the message that says how to correct it.
    message = (
        f"El acta {detail.visit.acta_number} está finalizada y no se puede modificar. "
        "Para corregirla, cree una adenda."
    )
    objective.setFocus()
    typist(objective, " Texto añadido después")
    assert objective.toPlainText() == "Brindar asistencia técnica para la instalación."
    assert objective.isReadOnly()
    assert editor.banner.isVisibleTo(editor)
    assert "solo lectura" in editor.banner.text()
    assert "Para corregirla, cree una adenda." in editor.banner.text()
    assert not editor.lists.participants.buttons["add"].isEnabled()
    assert not editor.lists.agreements.buttons["add"].isEnabled()
    with pytest.raises(FinalizedVisitError) as refused:
        services.update_visit(visit_id, {"objective": "Cambio"})
    assert str(refused.value) == message
    assert services.visit_detail(visit_id).visit.objective == (
        "Brindar asistencia técnica para la instalación."
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=TIMEOUT)
