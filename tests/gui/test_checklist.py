"""The functioning checklist filled through the real window, with the keyboard only."""

import datetime as dt
import re
import tomllib
import uuid
from collections.abc import Callable

from helpers.form_versions import after_every_release, file_of, following, latest
from helpers.gui_visits import complete, finalize, unvisited_idc
from helpers.widgets import child, page_of, visible_child, visible_children
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QWidget,
)
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
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.checklist_widget import ItemRow

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


def rows(tab: QWidget) -> dict[str, ItemRow]:
    """The items' frames by item code: each is a «checklistItem»; its item tells which."""
    return {row.item.code: row for row in tab.findChildren(ItemRow, "checklistItem")}


def item_row(tab: QWidget, code: str) -> ItemRow:
    found = [row for row in tab.findChildren(ItemRow, "checklistItem") if row.item.code == code]
    assert len(found) == 1, f"{len(found)} rows of item {code}"
    return found[0]


def answer(tab: QWidget, code: str, choice: str) -> QRadioButton:
    return child(tab, QRadioButton, f"answer-{code}-{choice}")


def answers(tab: QWidget, code: str) -> list[QRadioButton]:
    found = tab.findChildren(QRadioButton, QRegularExpression(f"^answer-{re.escape(code)}-"))
    assert found, code
    return found


def answerable(tab: QWidget, code: str) -> bool:
    """Whether the item can be answered now (one of its answers takes a click)."""
    return any(button.isEnabled() for button in answers(tab, code))


def blocked_note(tab: QWidget, code: str) -> QLabel:
    """The «hint» that says what an item waits for (its other «hint» is the item's help)."""
    row = item_row(tab, code)
    (note,) = (h for h in row.findChildren(QLabel, "hint") if h.text() != row.item.help)
    return note


def version_line(tab: QWidget) -> QLabel:
    """The tab's own «hint» (the items' hints sit deeper, in their rows)."""
    (line,) = tab.findChildren(QLabel, "hint", Qt.FindChildOption.FindDirectChildrenOnly)
    return line


def show_checklist(qtbot: QtBot, editor: VisitEditorPage) -> ChecklistTab:
    tab = child(editor, ChecklistTab, "checklistTab")
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):  # read when its tab is shown
        child(editor, QTabWidget, "visitTabs").setCurrentWidget(tab)
    return tab


def open_checklist(qtbot: QtBot, window: MainWindow, services: AppServices) -> ChecklistTab:
    idc = unvisited_idc(services)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(idc.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab = show_checklist(qtbot, editor)
    items = child(tab, QScrollArea, "checklistItems")
    qtbot.waitUntil(lambda: items.isAncestorOf(QApplication.focusWidget()))
    return tab


def test_an_idc_checklist_filled_with_the_keyboard_is_stored_and_scored(
    qtbot: QtBot, window: MainWindow, services: AppServices, typist: Typist
) -> None:
    tab = open_checklist(qtbot, window, services)
    assert tab.view is not None and tab.view.definition.form_id == "funcionamiento_idc"
    assert not answerable(tab, "reinstalacion")  # waits for «Está instalada: Sí»
    assert "ítem 3" in blocked_note(tab, "reinstalacion").text()
    for code, key, typed in FILLING:
        chosen = focused()
        assert isinstance(chosen, QRadioButton) and item_row(tab, code).isAncestorOf(chosen), code
        qtbot.keyClick(chosen, key)
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
    score = child(tab, QLabel, "checklistScore")
    assert score.text() == (
        "Puntaje de funcionamiento (referencial): 48 / 100 · En proceso · Estado sugerido "
        f"(referencial): Instalada · 14 de 14 ítems respondidos · ficha {view.definition.ref}"
    )
    assert score.toolTip().startswith("Referencial: los pesos, los tramos y las reglas")
    shortfalls = child(tab, QLabel, "checklistShortfalls")
    assert shortfalls.text().startswith("Lo que más baja el puntaje: 7. El reglamento")


def test_a_bad_evidence_date_is_refused_under_its_item_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, services: AppServices, typist: Typist
) -> None:
    tab = open_checklist(qtbot, window, services)
    row = item_row(tab, "norma_creacion")
    evidence_date = child(tab, QLineEdit, "evidenceDate-norma_creacion")
    error = child(row, QLabel, "fieldError")
    qtbot.keyClick(focused(), Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not tab.saver.has_pending(), timeout=TIMEOUT)
    for _stop in range(3):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is evidence_date
    typist(evidence_date, "31/02/2025")
    assert error.isVisibleTo(row)
    assert error.text() == "El día 31 no existe en febrero de 2025, que tiene 28 días."
    qtbot.wait(900)  # longer than the saver's pause: nothing is saved for that item
    assert tab.view is not None
    stored = services.checklist(tab.view.visit_id)
    assert stored is not None and stored.answers["norma_creacion"].evidence_date is None
    # «sí» requires evidence, and none is recorded yet
    assert child(row, QLabel, "evidenceWarning").isVisibleTo(row)
    evidence_date.selectAll()
    typist(evidence_date, "28/02/2025")
    assert not error.isVisibleTo(row)
    qtbot.waitUntil(lambda: not tab.saver.has_pending(), timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: (
            (s := services.checklist(tab.view.visit_id)) is not None  # type: ignore[union-attr]
            and s.answers["norma_creacion"].evidence_date is not None
        ),
        timeout=TIMEOUT,
    )


def store_idc_next(services: AppServices) -> None:
    """The next IDC version, without the «informes al MIMP» item, as if released."""
    library = FormLibrary(forms_dir())
    current, new = latest("funcionamiento_idc"), following("funcionamiento_idc")
    text = file_of(current).read_text(encoding="utf-8")
    start = text.index('[[sections.items]]\nid = "informes_mimp"')
    end = text.index("# ---", start)
    text = (text[:start] + text[end:]).replace(
        f"version = {current.version}", f"version = {new.version}", 1
    )
    name = f"v{new.version}.toml"
    checked = check_data(tomllib.loads(text), library.schema_file, name, text)
    form = checked.definition
    stored = StoredDefinition(
        form.ref, form.title, form.levels, checked.canonical, checked.content_hash,
        after_every_release(), "server",
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
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(later)
    tab = show_checklist(qtbot, editor)
    compare = child(tab, QPushButton, "compareChecklist")
    comparison = child(tab, QTreeWidget, "checklistComparison")
    earlier_number = services.visit_detail(earlier).visit.acta_number
    # 10 / 96 before; (10 + 10 + 8 × 0.5) / 96 now
    assert compare.text() == (
        f"Frente al acta {earlier_number} ({peru_today():%d/%m/%Y}): mejoró 2, empeoró 0;"
        " puntaje 10 → 25"
    )
    assert not comparison.isVisible()
    qtbot.mouseClick(compare, Qt.MouseButton.LeftButton)
    assert comparison.isVisible()
    lines = [
        [comparison.topLevelItem(i).text(c) for c in range(4)]  # type: ignore[union-attr]
        for i in range(comparison.topLevelItemCount())
    ]
    assert len(lines) == 14
    assert lines[2] == [
        "3. Está instalada (acta de instalación o de juramentación)",
        "No",
        "Sí",
        "mejoró",
    ]
    assert lines[0][1:] == ["Sí", "Sí", "igual"]
    assert lines[8][1:] == ["No", "Parcial", "mejoró"]

    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        window.open_visit(earlier)
    assert tab.view is not None and not tab.view.editable
    assert not compare.isVisible()  # nothing earlier to compare with
    codes = list(rows(tab))
    assert codes
    for code in codes:
        assert not answerable(tab, code)
        assert child(tab, QLineEdit, f"itemNote-{code}").isReadOnly()
        assert not child(tab, QToolButton, f"clearAnswer-{code}").isVisible()
    assert answer(tab, "norma_creacion", "si").isChecked()
    assert child(tab, QLineEdit, "evidenceNumber-norma_creacion").text() == "014-2018"


def test_a_draft_moves_to_a_newer_version_only_after_seeing_what_changes(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = unvisited_idc(services)
    visit_id = answered_visit(
        services,
        idc.id,
        {"informes_mimp": ItemAnswer(Answer.YES), "presidencia": ItemAnswer(Answer.YES)},
    )
    store_idc_next(services)
    current, new = latest("funcionamiento_idc"), following("funcionamiento_idc")
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    tab = show_checklist(qtbot, editor)
    upgrade = child(tab, QPushButton, "upgradeChecklist")
    assert upgrade.isVisible()
    assert upgrade.text() == f"Actualizar a la versión {new.version}…"
    assert f"versión {current.version} (en uso en esta visita)" in version_line(tab).text()
    qtbot.mouseClick(upgrade, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(visible_children(tab, QMessageBox, "upgradePrompt")))
    prompt = visible_child(tab, QMessageBox, "upgradePrompt")
    assert prompt.informativeText() == (
        "• Se retira el ítem: Remite sus informes al MIMP\n"
        "• Se descartarán 1 respuestas que la nueva versión ya no admite."
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(prompt.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert tab.view is not None and tab.view.definition.version == new.version
    # the rows of the old version go at the next turn of the event loop
    qtbot.waitUntil(lambda: "informes_mimp" not in rows(tab), timeout=TIMEOUT)
    assert not upgrade.isVisible()
    stored = services.checklist(visit_id)
    assert stored is not None and set(stored.answers) == {"presidencia"}


def test_a_finalized_acta_takes_no_input_and_a_refused_save_blocks_nothing(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = unvisited_idc(services)
    visit_id = answered_visit(services, idc.id, {"presidencia": ItemAnswer(Answer.NO)})
    complete(services, visit_id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    tab = show_checklist(qtbot, editor)  # she looked at it
    tabs = child(editor, QTabWidget, "visitTabs")
    tabs.setCurrentIndex(0)  # and finalizes from the first tab
    editor.ask_finalize()
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, QMessageBox, "finalizePrompt")), timeout=TIMEOUT
    )
    prompt = visible_child(editor, QMessageBox, "finalizePrompt")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.finalized, timeout=TIMEOUT)

    # At once, before the checklist has read the visit again: its answers take no key.
    tabs.setCurrentWidget(tab)
    for button in answers(tab, "presidencia"):
        assert not button.isEnabled()
    no, note = answer(tab, "presidencia", "no"), child(tab, QLineEdit, "itemNote-presidencia")
    no.setFocus()
    qtbot.keyClick(no, Qt.Key.Key_S)
    qtbot.keyClicks(note, "cambio tarde")
    assert no.isChecked() and note.text() == ""
    assert not editor.has_pending()

    # A save refused anyway (the acta was finalized under it) is reported and dropped.
    tab.saver.change("presidencia", ItemAnswer(Answer.YES))
    tab.saver.flush()
    qtbot.waitUntil(lambda: not editor.has_pending(), timeout=TIMEOUT)
    save_error = child(tab, QLabel, "checklistSaveError")
    assert save_error.isVisibleTo(tab)
    assert "está finalizada y no se puede modificar" in save_error.text()
    view = services.checklist(visit_id)
    assert view is not None and view.answers["presidencia"].answer is Answer.NO

    # Nothing waits for it: the PDF opens.
    opened: list[object] = []
    editor.documents.opener = opened.append
    with qtbot.waitSignal(editor.documents.shown, timeout=TIMEOUT):
        editor.view_pdf()
    assert len(opened) == 1
