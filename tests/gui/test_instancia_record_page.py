"""The instancia's own record typed on its page: members and their gaps, a change of
representative, a norm, a session with attendance, an instrument, the schedule, and the
checklist item the records then offer."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.gui_visits import unvisited_idc
from helpers.instancia_records import creating_ordinance
from helpers.widgets import child, field_error, page_of, visible_child
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import Answer, InstrumentType, NormType, SeatKind, Stage
from instancias_desktop.domain.instancia_records import MemberView, member_name
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.instrument_dialog import InstrumentDialog
from instancias_desktop.ui.dialogs.member_dialog import MemberDialog
from instancias_desktop.ui.dialogs.norm_dialog import NormDialog
from instancias_desktop.ui.dialogs.service_dialog import ServiceDialog
from instancias_desktop.ui.dialogs.session_dialog import SessionDialog
from instancias_desktop.ui.dialogs.stage_event_dialog import StageEventDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.checklist_widget import ItemRow
from instancias_desktop.ui.widgets.date_field import DateField
from instancias_desktop.ui.widgets.record_table import RecordTable

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]


def opened(qtbot: QtBot, window: MainWindow, services: AppServices) -> InstanciaPage:
    idc = unvisited_idc(services)
    page = page_of(window, InstanciaPage, "instancia_page")
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        window.open_instancia(idc.id)
    return page


def tab(page: InstanciaPage, name: str) -> QWidget:
    tabs = child(page, QTabWidget, "instanciaTabs")
    widget = child(page, QWidget, name)
    holder = widget if tabs.indexOf(widget) >= 0 else widget.parentWidget()
    tabs.setCurrentWidget(holder)
    return widget


def save(qtbot: QtBot, page: InstanciaPage, dialog: ServiceDialog,
         shown: Callable[[InstanciaDetail], bool]) -> None:  # fmt: skip
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.submit()
    qtbot.waitUntil(lambda: page.detail is not None and shown(page.detail), timeout=TIMEOUT)


def detail(page: InstanciaPage) -> InstanciaDetail:
    assert page.detail is not None
    return page.detail


def pick(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))
    assert combo.currentData() == data


def day(services: AppServices, offset: int) -> dt.date:
    return services.today() + dt.timedelta(days=offset)


def typed_day(field: DateField, when: dt.date) -> None:
    field.line.setText(when.strftime("%d/%m/%Y"))


def test_composition_norm_session_and_instrument_are_typed_and_shown(
    qtbot: QtBot, typist: Typist, window: MainWindow, services: AppServices,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    page = opened(qtbot, window, services)
    changed_on, norms_before = day(services, -30), len(detail(page).norms)
    members = tab(page, "members")
    gaps = child(page, QLabel, "compositionGaps")
    assert "Falta: Comisaría de la Policía Nacional del Perú del distrito" in gaps.text()
    assert "(si existe en el distrito) — regla supuesta" in gaps.text()

    # A member: a DNI with too few digits is refused beside its field, then fixed.
    qtbot.mouseClick(child(members, QPushButton, "membersAdd"), Qt.MouseButton.LeftButton)
    dialog = visible_child(page, MemberDialog, "memberDialog")
    pick(child(dialog, QComboBox, "memberEntityTypeCode"), "pnp_distrital")
    name = child(dialog, QLineEdit, "memberEntityName")
    assert name.text() == "Comisaría de la Policía Nacional del Perú del distrito"
    name.selectAll()
    typist(name, "Comisaría PNP de Wanchaq")
    typist(child(dialog, QLineEdit, "memberPersonName"), "Carlos Huarca Pérez")
    document = child(dialog, QLineEdit, "memberDocumentNumber")
    typist(document, "4567")
    typist(child(dialog, QLineEdit, "memberDesignationDocument"), "Oficio N° 045-2026-PNP")
    typist(child(dialog, QLineEdit, "memberPost"), "Comisario")
    typed_day(child(dialog, DateField, "memberDesignatedOn"), day(services, -305))
    typed_day(child(dialog, DateField, "memberSince"), day(services, -300))
    dialog.submit()
    qtbot.waitUntil(lambda: field_error(document).isVisibleTo(dialog), timeout=TIMEOUT)
    assert field_error(document).text() == "El DNI debe tener 8 dígitos; tiene 4."
    document.setText("45678912")
    save(qtbot, page, dialog, lambda d: len(d.members) == 1)
    assert "Comisaría de la Policía" not in gaps.text()
    table = child(members, RecordTable, "membersTable")
    assert table.model().rowCount() == 1
    assert [table.model().index(0, column).data() for column in (4, 5, 6)] == [
        "DNI 45678912", "Comisario", f"Oficio N° 045-2026-PNP ({day(services, -305):%d/%m/%Y})",
    ]  # fmt: skip

    # A change of representative keeps the former one as history.
    table.selectRow(0)
    qtbot.mouseClick(child(members, QPushButton, "membersChange"), Qt.MouseButton.LeftButton)
    change = visible_child(page, MemberDialog, "memberDialog")
    assert not child(change, QComboBox, "memberEntityTypeCode").isEnabled()
    typist(child(change, QLineEdit, "memberPersonName"), "Mayor Rosa Díaz Lazo")
    typed_day(child(change, DateField, "memberSince"), changed_on)
    save(qtbot, page, change, lambda d: len(d.members) == 2)
    tenures = {(m.person_name, m.until) for m in detail(page).members}
    assert tenures == {("Carlos Huarca Pérez", changed_on), ("Mayor Rosa Díaz Lazo", None)}
    current: MemberView = next(m for m in detail(page).members if m.until is None)
    model = table.model()
    shown = {
        model.index(row, 2).data(): model.index(row, 3).data() for row in range(model.rowCount())
    }  # who held the seat when, beside each name
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Vigencia"
    assert shown == {
        "Carlos Huarca Pérez": f"{day(services, -300):%d/%m/%Y} – {changed_on:%d/%m/%Y} (anterior)",
        "Mayor Rosa Díaz Lazo": f"Vigente desde {changed_on:%d/%m/%Y}",
    }

    # A norm: the district's types only.
    norms = tab(page, "norms")
    qtbot.mouseClick(child(norms, QPushButton, "normsAdd"), Qt.MouseButton.LeftButton)
    norm = visible_child(page, NormDialog, "normDialog")
    types = child(norm, QComboBox, "normNormType")
    offered = {types.itemData(i) for i in range(types.count())}
    assert NormType.REGIONAL_ORDINANCE.value not in offered
    assert NormType.COUNCIL_AGREEMENT.value in offered
    typist(child(norm, QLineEdit, "normNumber"), "003-2025-MDW")
    typed_day(child(norm, DateField, "normIssuedOn"), day(services, -400))
    save(qtbot, page, norm, lambda d: len(d.norms) == norms_before + 1)
    typed = next(n for n in detail(page).norms if n.number == "003-2025-MDW")

    # Its file: attached from disk, shown in its row, opened decrypted for the viewer.
    scan = tmp_path / "Ordenanza 003-2025.pdf"
    scan.write_bytes(b"%PDF-1.7\nordenanza escaneada\n")
    opened_paths: list[Path] = []
    page.records.files.choose_file = lambda _parent: scan
    page.records.files.opener = opened_paths.append
    norm_rows = child(norms, RecordTable, "normsTable")
    row = next(r for r in range(norm_rows.model().rowCount())
               if norm_rows.model().index(r, 0).data().endswith("003-2025-MDW"))  # fmt: skip
    norm_rows.selectRow(row)
    child(norms, QPushButton, "normsAttach").click()
    qtbot.waitUntil(
        lambda: any(n.files for n in detail(page).norms if n.id == typed.id), timeout=TIMEOUT
    )
    assert norm_rows.model().index(row, 4).data() == "Ordenanza 003-2025.pdf"
    norm_rows.selectRow(row)
    child(norms, QPushButton, "normsOpen").click()
    qtbot.waitUntil(lambda: bool(opened_paths), timeout=TIMEOUT)
    assert opened_paths[0].read_bytes() == scan.read_bytes()
    assert opened_paths[0].name == scan.name

    # A session with the member present.
    sessions = tab(page, "sessions")
    qtbot.mouseClick(child(sessions, QPushButton, "sessionsAdd"), Qt.MouseButton.LeftButton)
    met = visible_child(page, SessionDialog, "sessionDialog")
    attendees = child(met, QListWidget, "sessionAttendees")
    assert attendees.count() == 1  # the former representative no longer holds the seat
    attendees.item(0).setCheckState(Qt.CheckState.Checked)
    typed_day(child(met, DateField, "sessionHeldOn"), day(services, -10))
    save(qtbot, page, met, lambda d: len(d.sessions) == 1)
    assert detail(page).sessions[0].attendee_ids == frozenset({current.id})

    # An earlier session offers who held the seat on its date, as the date is typed.
    former = next(m for m in detail(page).members if m.until is not None)
    qtbot.mouseClick(child(sessions, QPushButton, "sessionsAdd"), Qt.MouseButton.LeftButton)
    earlier = visible_child(page, SessionDialog, "sessionDialog")
    attendees = child(earlier, QListWidget, "sessionAttendees")
    held_on = child(earlier, DateField, "sessionHeldOn")

    def offered() -> list[str]:
        return [attendees.item(row).text() for row in range(attendees.count())]

    def type_date(when: dt.date) -> None:
        held_on.line.selectAll()
        typist(held_on.line, f"{when:%d/%m/%Y}")

    assert offered() == [member_name(current)]
    type_date(day(services, -100))
    assert offered() == [member_name(former)]
    attendees.item(0).setCheckState(Qt.CheckState.Checked)
    type_date(day(services, -10))  # what she marked stays, beside who held the seat then
    assert sorted(offered()) == sorted([member_name(former), member_name(current)])
    earlier.submit()
    qtbot.waitUntil(lambda: field_error(attendees).isVisibleTo(earlier), timeout=TIMEOUT)
    assert field_error(attendees).text() == (
        f"No ocupaban su puesto el {day(services, -10):%d/%m/%Y}: {member_name(former)}. "
        "Revise la fecha o la vigencia de su designación en «Integrantes»."
    )
    type_date(day(services, -100))
    child(earlier, QCheckBox, "sessionQuorum").setChecked(True)
    typist(child(earlier, QPlainTextEdit, "sessionAgenda"), "1. Plan de trabajo\n2. Campaña 25N")
    typist(child(earlier, QLineEdit, "sessionActaReference"), "Acta N° 003-2026-IDC")
    save(qtbot, page, earlier, lambda d: len(d.sessions) == 2)
    older = detail(page).sessions[1]
    assert older.attendee_ids == frozenset({former.id})
    assert (older.quorum, older.agenda, older.acta_reference) == (
        True, "1. Plan de trabajo\n2. Campaña 25N", "Acta N° 003-2026-IDC",
    )  # fmt: skip
    listed = child(sessions, RecordTable, "sessionsTable").model()
    assert [listed.index(1, column).data() for column in (2, 3, 4)] == [
        "Sí", "1", "1. Plan de trabajo 2. Campaña 25N",
    ]  # fmt: skip

    # A reglamento interno approved by the norm typed above.
    instruments = tab(page, "instruments")
    qtbot.mouseClick(child(instruments, QPushButton, "instrumentsAdd"), Qt.MouseButton.LeftButton)
    plan = visible_child(page, InstrumentDialog, "instrumentDialog")
    assert child(plan, QLineEdit, "instrumentTitle").text() == "Reglamento interno"
    pick(child(plan, QComboBox, "instrumentNormId"), str(typed.id))
    typed_day(child(plan, DateField, "instrumentApprovedOn"), day(services, -390))
    save(qtbot, page, plan, lambda d: len(d.instruments) == 1)
    # A report sent to the MIMP: its recipient and the day it was sent.
    qtbot.mouseClick(child(instruments, QPushButton, "instrumentsAdd"), Qt.MouseButton.LeftButton)
    report = visible_child(page, InstrumentDialog, "instrumentDialog")
    pick(child(report, QComboBox, "instrumentInstrumentType"), InstrumentType.REPORT.value)
    title = child(report, QLineEdit, "instrumentTitle")
    title.selectAll()
    typist(title, "Informe semestral")
    typist(child(report, QLineEdit, "instrumentRecipient"), "MIMP - DGCVG")
    typed_day(child(report, DateField, "instrumentSentOn"), day(services, -5))
    save(qtbot, page, report, lambda d: len(d.instruments) == 2)
    shown = child(instruments, RecordTable, "instrumentsTable")
    states = {
        shown.model().index(row, 1).data(): shown.model().index(row, 2).data()
        for row in range(shown.model().rowCount())
    }
    assert states["Informe semestral"] == f"Enviado el {day(services, -5):%d/%m/%Y}"
    row = next(r for r in range(shown.model().rowCount()) if shown.model().index(r, 0).data() ==
               "Reglamento interno")  # fmt: skip
    shown.selectRow(row)
    assert shown.model().headerData(2, Qt.Orientation.Horizontal) == "Estado"
    assert shown.model().index(row, 2).data() == "Vigente"

    # The schedule: an agreed date shown against today.
    schedule = tab(page, "schedulePanel")
    agreed = day(services, 45)
    typed_day(child(schedule, DateField, "scheduleInstallation"), agreed)
    qtbot.mouseClick(child(schedule, QPushButton, "saveSchedule"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail(page).schedule[1].target == agreed, timeout=TIMEOUT)
    if not detail(page).schedule[1].done:  # a demo instancia may be installed already
        state = child(schedule, QLabel, "scheduleStateInstallation")
        assert state.text() == "vence en 45 días"
        assert page.facts["schedule"].text() == f"Instalación: {agreed:%d/%m/%Y} (vence en 45 días)"

    # A year the server would refuse is said under the dates, and nothing changes.
    typed_day(child(schedule, DateField, "scheduleFirstSession"), dt.date(2999, 1, 1))
    qtbot.mouseClick(child(schedule, QPushButton, "saveSchedule"), Qt.MouseButton.LeftButton)
    refusal = child(schedule, QLabel, "fieldError")
    qtbot.waitUntil(lambda: refusal.isVisibleTo(schedule), timeout=TIMEOUT)
    assert "fuera de los años admitidos (1900–2200)" in refusal.text()
    assert services.instancia_detail(detail(page).summary.id).schedule[2].target is None

    # «Quitar» asks first; a session typed by mistake disappears.
    tab(page, "sessions")
    child(sessions, RecordTable, "sessionsTable").selectRow(0)
    asked: list[str] = []

    def confirm(_parent: QWidget, title: str, _text: str) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    child(sessions, QPushButton, "sessionsRemove").click()
    qtbot.waitUntil(lambda: len(detail(page).sessions) == 1, timeout=TIMEOUT)
    assert asked == ["Quitar"]

    # An alterna in the same seat.
    tab(page, "members")
    qtbot.mouseClick(child(members, QPushButton, "membersAdd"), Qt.MouseButton.LeftButton)
    second = visible_child(page, MemberDialog, "memberDialog")
    pick(child(second, QComboBox, "memberEntityTypeCode"), "pnp_distrital")
    child(second, QLineEdit, "memberEntityName").setText("Comisaría PNP de Wanchaq")
    pick(child(second, QComboBox, "memberSeat"), SeatKind.ALTERNATE.value)
    typist(child(second, QLineEdit, "memberPersonName"), "Sofía Ñahui Cusi")
    typed_day(child(second, DateField, "memberSince"), day(services, -300))
    save(qtbot, page, second, lambda d: len(d.members) == 3)
    alterna = next(m for m in detail(page).members if m.seat is SeatKind.ALTERNATE)
    assert (alterna.person_name, alterna.entity_name) == (
        "Sofía Ñahui Cusi", "Comisaría PNP de Wanchaq",
    )  # fmt: skip
    assert "Dos o más" not in gaps.text()  # a titular and an alterna: one seat, as it should


def test_a_checklist_item_is_offered_from_the_records_and_taken(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    page = opened(qtbot, window, services)
    instancia_id = detail(page).summary.id
    issued = services.today() - dt.timedelta(days=1)  # the latest creating norm, if any
    services.save_norm(instancia_id, creating_ordinance(issued))
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(instancia_id)
    checklist = child(editor, ChecklistTab, "checklistTab")
    with qtbot.waitSignal(checklist.loaded, timeout=TIMEOUT):
        child(editor, QTabWidget, "visitTabs").setCurrentWidget(checklist)
    assert checklist.view is not None
    assert "norma_creacion" in checklist.view.suggestions, checklist.view.suggestions
    bar = child(checklist, QWidget, "suggestion-norma_creacion")
    qtbot.waitUntil(lambda: bar.isVisibleTo(checklist), timeout=TIMEOUT)  # sections show late
    text = child(bar, QLabel, "suggestionText").text()
    assert "Según los registros de la instancia: <b>Sí</b>" in text
    assert f"Ordenanza Municipal N° 003-2025-MDW, {issued:%d/%m/%Y}" in text
    assert checklist.view is not None and checklist.view.answers == {}  # offered only
    # Items that rest on an assumption say so on screen, not only in their tooltip.
    rows = {row.item.code: row for row in checklist.findChildren(ItemRow)}
    definition = checklist.view.definition
    assert {item.code for item in definition.items} == set(rows)
    for item in definition.items:
        title = child(rows[item.code], QLabel, "itemTitle").text()
        assert title.endswith("(supuesto, a confirmar por el MIMP)") is item.assumption, title
    records_stage = child(checklist, QLabel, "checklistRecordsStage")
    assert records_stage.isVisibleTo(checklist)
    assert records_stage.text().startswith("Según los registros de la instancia")
    assert f"(referencial, ficha {checklist.view.definition.ref})" in records_stage.text()

    child(bar, QPushButton, "useSuggestion-norma_creacion").click()
    visit_id = checklist.view.visit_id

    def stored() -> bool:
        view = services.checklist(visit_id)
        return view is not None and "norma_creacion" in view.answers

    qtbot.waitUntil(stored, timeout=TIMEOUT)
    view = services.checklist(visit_id)
    assert view is not None
    taken = view.answers["norma_creacion"]
    assert (taken.answer, taken.evidence_type, taken.evidence_number, taken.evidence_date) == (
        Answer.YES, "Ordenanza Municipal", "003-2025-MDW", issued,
    )  # fmt: skip
    qtbot.waitUntil(lambda: not bar.isVisibleTo(checklist), timeout=TIMEOUT)
    assert QApplication.focusWidget() is not None


def test_a_hito_takes_its_norm_from_those_recorded(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    """The creating ordinance in «Normas» is picked for «Creada», not typed a second time."""
    page = opened(qtbot, window, services)
    instancia_id = detail(page).summary.id
    issued = services.today() - dt.timedelta(days=3)
    services.save_norm(instancia_id, creating_ordinance(issued))
    norms_before = len(services.instancia_detail(instancia_id).norms)
    recorded = next(n for n in services.instancia_detail(instancia_id).norms if n.number == (
        "003-2025-MDW"))  # fmt: skip
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(instancia_id)
    editor.lists.record_stage()  # «Actualizar estado de la instancia…»
    dialog = visible_child(editor, StageEventDialog, "stageEventDialog")
    pick(child(dialog, QComboBox, "stageEventStage"), Stage.CREATED.value)
    child(dialog, QCheckBox, "stageEventWithNorm").setChecked(True)
    pick(child(dialog, QComboBox, "stageEventRecordedNorm"), str(recorded.id))
    number = child(dialog, QLineEdit, "stageEventNormNumber")
    assert number.text() == "003-2025-MDW" and not number.isEnabled()  # shown, not retyped
    typed_day(child(dialog, DateField, "stageEventEventDate"), issued)
    dialog.submit()

    def recorded_hito() -> bool:
        history = services.instancia_detail(instancia_id).history
        return any(e.stage is Stage.CREATED and e.event_date == issued for e in history)

    qtbot.waitUntil(recorded_hito, timeout=TIMEOUT)
    after = services.instancia_detail(instancia_id)
    (hito,) = (e for e in after.history if e.stage is Stage.CREATED and e.event_date == issued)
    assert hito.norm_title == recorded.title
    assert len(after.norms) == norms_before  # the same norm, not a copy
