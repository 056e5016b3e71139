"""The functioning checklist filled through the real window, with the keyboard only."""

import datetime as dt
import tomllib
import uuid
from collections.abc import Callable

from helpers.gui_visits import complete, finalize, unvisited_idc
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.db.repositories.checklists import StoredDefinition
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import (
    Answer,
    Stage,
)
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.formdefs.load import check_data
from instancias_desktop.paths import forms_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.checklist_tab import ChecklistTab

TIMEOUT = 10_000
Typist = Callable[[QWidget, str], None]  # the fixture in conftest.py
TYPE, NUMBER, DATE, NOTE = 0, 1, 2, 4  # Tab stops after the answer: type, number, date, file, note
NOTE_ONLY = 0  # «no aplica» needs no evidence: its fields are skipped and the note comes first

# The whole IDC checklist as a specialist answers it: key, then what is typed at each Tab stop.
FILLING: list[tuple[str, Qt.Key, dict[int, str]]] = [
    (
        "norma_creacion",
        Qt.Key.Key_S,
        {TYPE: "Ordenanza Municipal", NUMBER: "003-2025-MDPO", DATE: "15/03/2025"},
    ),
    ("presidencia", Qt.Key.Key_S, {}),
    ("instalacion", Qt.Key.Key_S, {TYPE: "Acta de instalación", NUMBER: "001-2025"}),
    (
        "secretaria_tecnica",
        Qt.Key.Key_P,
        {TYPE: "Resolución de Alcaldía", NUMBER: "120-2025-MDPO/A"},
    ),
    ("integrantes", Qt.Key.Key_N, {NOTE: "Faltan la PNP y el CEM; se acreditarán en enero"}),
    ("reinstalacion", Qt.Key.Key_N, {}),
    ("reglamento_interno", Qt.Key.Key_N, {}),
    ("plan_trabajo", Qt.Key.Key_A, {NOTE_ONLY: "La gestión asumió en enero"}),
    ("sesiones", Qt.Key.Key_P, {TYPE: "Acta de sesión", DATE: "10/10/2025"}),
    ("seguimiento_acuerdos", Qt.Key.Key_N, {}),
    ("informes_mimp", Qt.Key.Key_S, {}),
    ("instrumentos_gestion", Qt.Key.Key_N, {}),
    ("campanas", Qt.Key.Key_S, {NOTE: "Campaña del 25 de noviembre"}),
    ("protocolo_local", Qt.Key.Key_N, {}),
]
EXPECTED = {
    "norma_creacion": Answer.YES,
    "presidencia": Answer.YES,
    "instalacion": Answer.YES,
    "secretaria_tecnica": Answer.PARTIAL,
    "integrantes": Answer.NO,
    "reinstalacion": Answer.NO,
    "reglamento_interno": Answer.NO,
    "plan_trabajo": Answer.NOT_APPLICABLE,
    "sesiones": Answer.PARTIAL,
    "seguimiento_acuerdos": Answer.NO,
    "informes_mimp": Answer.YES,
    "instrumentos_gestion": Answer.NO,
    "campanas": Answer.YES,
    "protocolo_local": Answer.NO,
}
# Σ weight × credit / Σ weight without «no aplica» (plan_trabajo, 8):
# (10 + 8 + 10 + 6×0.5 + 8×0.5 + 3 + 5) / (96 − 8) = 43 / 88 = 48.86, shown as 48: whole
# points are never rounded up, so a score just under a band's minimum never shows it
EXPECTED_SCORE = 100 * 43 / 88


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def open_checklist(qtbot: QtBot, window: MainWindow, services: AppServices) -> ChecklistTab:
    idc = unvisited_idc(services)
    editor = window.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(idc.id)
    tab = editor.checklist
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):  # read when its tab is shown
        editor.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.items_area.isAncestorOf(QApplication.focusWidget()))
    return tab


def test_an_idc_checklist_filled_with_the_keyboard_is_stored_and_scored(
    qtbot: QtBot, window: MainWindow, services: AppServices, typist: Typist
) -> None:
    tab = open_checklist(qtbot, window, services)
    assert tab.view is not None and tab.view.definition.form_id == "funcionamiento_idc"
    rows = tab.widget.rows
    assert not rows["reinstalacion"].buttons_enabled()  # waits for «Está instalada: Sí»
    assert "ítem 3" in rows["reinstalacion"].blocked_note.text()
    for code, key, typed in FILLING:
        answer = focused()
        assert isinstance(answer, QRadioButton) and rows[code].isAncestorOf(answer), code
        qtbot.keyClick(answer, key)
        for stop in range(max(typed, default=-1) + 1):
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            if stop in typed:
                typist(focused(), typed[stop])
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # on to the next item
    qtbot.waitUntil(lambda: not tab.saver.has_pending(), timeout=TIMEOUT)

    assert tab.view is not None
    view = services.checklist(tab.view.visit_id)
    assert view is not None and view.pinned
    assert {code: a.answer for code, a in view.answers.items()} == EXPECTED
    assert view.answers["norma_creacion"] == ItemAnswer(
        Answer.YES,
        evidence_type="Ordenanza Municipal",
        evidence_number="003-2025-MDPO",
        evidence_date=dt.date(2025, 3, 15),
    )
    assert view.answers["secretaria_tecnica"].evidence_type == "Resolución de Alcaldía"
    assert view.answers["integrantes"].note == "Faltan la PNP y el CEM; se acreditarán en enero"
    assert view.result.score is not None
    assert abs(view.result.score - EXPECTED_SCORE) < 1e-9
    assert view.result.band == "En proceso"
    assert view.result.suggested_stage is Stage.INSTALLED
    assert view.result.missing_evidence == ()
    assert tab.score.text() == (
        "Puntaje de funcionamiento: 48 / 100 · En proceso · Estado sugerido: Instalada"
        " · 14 de 14 ítems respondidos"
    )
    assert tab.shortfalls.text().startswith("Lo que más baja el puntaje: 7. El reglamento")


def test_a_bad_evidence_date_is_refused_under_its_item_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, services: AppServices, typist: Typist
) -> None:
    tab = open_checklist(qtbot, window, services)
    row = tab.widget.rows["norma_creacion"]
    qtbot.keyClick(focused(), Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not tab.saver.has_pending(), timeout=TIMEOUT)
    for _stop in range(3):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is row.evidence_date
    typist(row.evidence_date, "31/02/2025")
    assert row.error.isVisibleTo(row)
    assert row.error.text() == "El día 31 no existe en febrero de 2025, que tiene 28 días."
    qtbot.wait(900)  # longer than the saver's pause: nothing is saved for that item
    assert tab.view is not None
    stored = services.checklist(tab.view.visit_id)
    assert stored is not None and stored.answers["norma_creacion"].evidence_date is None
    assert row.warning.isVisibleTo(row)  # «sí» requires evidence, and none is recorded yet
    row.evidence_date.selectAll()
    typist(row.evidence_date, "28/02/2025")
    assert not row.error.isVisibleTo(row)
    qtbot.waitUntil(lambda: not tab.saver.has_pending(), timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: (
            (s := services.checklist(tab.view.visit_id)) is not None  # type: ignore[union-attr]
            and s.answers["norma_creacion"].evidence_date is not None
        ),
        timeout=TIMEOUT,
    )


def store_idc_v2(services: AppServices) -> None:
    """A version 2 of the IDC definition without the «informes al MIMP» item, as if released."""
    library = FormLibrary(forms_dir())
    text = library.path_of("funcionamiento_idc", 1).read_text(encoding="utf-8")
    start = text.index('[[sections.items]]\nid = "informes_mimp"')
    end = text.index("# ---", start)
    text = (text[:start] + text[end:]).replace("version = 1", "version = 2", 1)
    checked = check_data(tomllib.loads(text), library.schema_file, "v2.toml", text)
    form = checked.definition
    stored = StoredDefinition(
        form.ref, form.title, form.levels, checked.canonical, checked.content_hash,
        dt.date(2026, 11, 1), "server",
    )  # fmt: skip
    with services.database.unit_of_work() as uow:
        uow.checklists.store_definition(stored, services.database.clock())
        uow.commit()


def answered_visit(
    services: AppServices, instancia_id: uuid.UUID, answers: dict[str, ItemAnswer]
) -> uuid.UUID:
    visit_id = services.start_visit(instancia_id)
    view = services.checklist(visit_id)
    assert view is not None
    services.save_checklist_answers(visit_id, view.definition.ref, answers)
    return visit_id


def test_the_previous_visit_is_compared_and_a_finalized_checklist_is_read_only(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = unvisited_idc(services)
    ordinance = ItemAnswer(
        Answer.YES, evidence_type="Ordenanza Municipal", evidence_number="014-2018"
    )
    earlier = answered_visit(
        services,
        idc.id,
        {
            "norma_creacion": ordinance,
            "instalacion": ItemAnswer(Answer.NO),
            "sesiones": ItemAnswer(Answer.NO),
        },
    )
    finalize(services, earlier)
    later = answered_visit(
        services,
        idc.id,
        {
            "norma_creacion": ordinance,
            "instalacion": ItemAnswer(
                Answer.YES, evidence_type="Acta de instalación", evidence_number="1"
            ),
            "sesiones": ItemAnswer(
                Answer.PARTIAL, evidence_type="Acta de sesión", evidence_number="2"
            ),
        },
    )
    editor = window.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(later)
    tab = editor.checklist
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        editor.tabs.setCurrentWidget(tab)
    earlier_number = services.visit_detail(earlier).visit.acta_number
    # 10 / 96 before; (10 + 10 + 8 × 0.5) / 96 now
    assert tab.compare_button.text() == (
        f"Frente al acta {earlier_number} ({peru_today():%d/%m/%Y}): mejoró 2, empeoró 0;"
        " puntaje 10 → 25"
    )
    assert not tab.comparison.isVisible()
    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)
    assert tab.comparison.isVisible()
    rows = [
        [tab.comparison.topLevelItem(i).text(c) for c in range(4)]  # type: ignore[union-attr]
        for i in range(tab.comparison.topLevelItemCount())
    ]
    assert len(rows) == 14
    assert rows[2] == [
        "3. Está instalada (acta de instalación o de juramentación)",
        "No",
        "Sí",
        "mejoró",
    ]
    assert rows[0][1:] == ["Sí", "Sí", "igual"]
    assert rows[8][1:] == ["No", "Parcial", "mejoró"]

    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        window.open_visit(earlier)
    assert tab.view is not None and not tab.view.editable
    assert not tab.compare_button.isVisible()  # nothing earlier to compare with
    for row in tab.widget.rows.values():
        assert not row.buttons_enabled()
        assert row.note.isReadOnly() and not row.clear_button.isVisible()
    assert tab.widget.rows["norma_creacion"].buttons["si"].isChecked()
    assert tab.widget.rows["norma_creacion"].evidence_number.text() == "014-2018"


def test_a_draft_moves_to_a_newer_version_only_after_seeing_what_changes(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = unvisited_idc(services)
    visit_id = answered_visit(
        services,
        idc.id,
        {"informes_mimp": ItemAnswer(Answer.YES), "presidencia": ItemAnswer(Answer.YES)},
    )
    store_idc_v2(services)
    editor = window.editor
    tab = editor.checklist
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        editor.tabs.setCurrentWidget(tab)
    assert tab.upgrade_button.isVisible()
    assert tab.upgrade_button.text() == "Actualizar a la versión 2…"
    assert "versión 1 (en uso en esta visita)" in tab.version.text()
    qtbot.mouseClick(tab.upgrade_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.prompt, QMessageBox) and tab.prompt.isVisible())
    prompt = tab.prompt
    assert isinstance(prompt, QMessageBox)
    assert prompt.informativeText() == (
        "• Se retira el ítem: Remite sus informes al MIMP\n"
        "• Se descartarán 1 respuestas que la nueva versión ya no admite."
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert tab.view is not None and tab.view.definition.version == 2
    assert "informes_mimp" not in tab.widget.rows
    assert not tab.upgrade_button.isVisible()
    stored = services.checklist(visit_id)
    assert stored is not None and set(stored.answers) == {"presidencia"}


def test_a_finalized_acta_takes_no_input_and_a_refused_save_blocks_nothing(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = unvisited_idc(services)
    visit_id = answered_visit(services, idc.id, {"presidencia": ItemAnswer(Answer.NO)})
    complete(services, visit_id)
    editor = window.editor
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    with qtbot.waitSignal(editor.checklist.loaded, timeout=TIMEOUT):  # she looked at it
        editor.tabs.setCurrentWidget(editor.checklist)
    editor.tabs.setCurrentIndex(0)  # and finalizes from the first tab
    editor.ask_finalize()
    qtbot.waitUntil(lambda: editor.prompt is not None, timeout=TIMEOUT)
    prompt = editor.prompt
    assert prompt is not None
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.finalized, timeout=TIMEOUT)

    # At once, before the checklist has read the visit again: its answers take no key.
    tab = editor.checklist
    editor.tabs.setCurrentWidget(tab)
    row = tab.widget.rows["presidencia"]
    for button in row.buttons.values():
        assert not button.isEnabled()
    row.buttons["no"].setFocus()
    qtbot.keyClick(row.buttons["no"], Qt.Key.Key_S)
    qtbot.keyClicks(row.note, "cambio tarde")
    assert row.buttons["no"].isChecked() and row.note.text() == ""
    assert not editor.has_pending()

    # A save refused anyway (the acta was finalized under it) is reported and dropped.
    tab.saver.change("presidencia", ItemAnswer(Answer.YES))
    tab.saver.flush()
    qtbot.waitUntil(lambda: not editor.has_pending(), timeout=TIMEOUT)
    assert tab.save_error.isVisibleTo(tab)
    assert "está finalizada y no se puede modificar" in tab.save_error.text()
    view = services.checklist(visit_id)
    assert view is not None and view.answers["presidencia"].answer is Answer.NO

    # Nothing waits for it: the PDF opens.
    opened: list[object] = []
    editor.documents.opener = opened.append
    with qtbot.waitSignal(editor.documents.shown, timeout=TIMEOUT):
        editor.view_pdf()
    assert len(opened) == 1
