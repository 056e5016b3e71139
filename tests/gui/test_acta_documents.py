"""The acta on paper through the real window: view it, print it, and check a printed code."""

import io
import uuid
from pathlib import Path

from helpers.gui_visits import finalize, unvisited_idc
from helpers.widgets import child, page_of, visible_child, visible_children
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
)
from pytestqt.qtbot import QtBot

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.instancia_page import InstanciaPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.pages.visits_page import VisitsPage

TIMEOUT = 10_000


def finalized_visit(services: AppServices) -> uuid.UUID:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    return visit_id


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_draft_acta_opens_as_a_watermarked_pdf_kept_in_the_profile(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    idc = next(i for i in services.list_instancias() if i.level is InstanciaLevel.IDC)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(idc.id)
    opened: list[Path] = []
    editor.documents.opener = opened.append
    objective = child(editor, QPlainTextEdit, "visitObjective")
    objective.setFocus()
    qtbot.keyClicks(objective, "Instalar la instancia")
    with qtbot.waitSignal(editor.documents.shown, timeout=TIMEOUT):
        qtbot.mouseClick(child(editor, QPushButton, "viewActaPdf"), Qt.MouseButton.LeftButton)
    (path,) = opened
    assert path.parent == services.paths.exports
    number = editor.detail.visit.acta_number if editor.detail else ""
    assert path.name == "acta-" + number.replace("N° ", "").replace("/", "-") + "-borrador.pdf"
    text = pdf_text(path)
    assert "BORRADOR" in text and number in text
    assert "Instalar la instancia" in text  # what was just typed was saved first


def test_printing_sends_every_page_and_ctrl_p_asks_for_a_printer(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    visit_id = finalized_visit(services)
    document = services.acta_document(visit_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "impreso.pdf"))
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.documents.printed, timeout=TIMEOUT) as printed:
        editor.documents.print_on(printer, document.pdf)  # rasterized in a worker
    pages = printed.args[0] if printed.args else 0
    assert pages == len(PdfReader(io.BytesIO(document.pdf)).pages) >= 1
    assert len(PdfReader(tmp_path / "impreso.pdf").pages) == pages

    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tabs = child(editor, QTabWidget, "visitTabs")
    tabs.setFocus()
    qtbot.keyClick(tabs, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, QPrintDialog, "printDialog")), timeout=TIMEOUT
    )
    dialog = visible_child(editor, QPrintDialog, "printDialog")
    assert dialog.windowTitle() == f"Imprimir {document.file_name}"
    dialog.reject()


def test_a_printed_code_is_verified_and_opens_its_acta(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    visit_id = finalized_visit(services)
    code = services.acta_document(visit_id).code
    number = services.visit_detail(visit_id).visit.acta_number
    window.show_section(2)
    visits = page_of(window, VisitsPage, "visits")
    qtbot.mouseClick(child(visits, QPushButton, "verifyActa"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(visible_children(window, VerifyDialog, "verifyDialog")))
    dialog = visible_child(window, VerifyDialog, "verifyDialog")
    typed = child(dialog, QLineEdit, "verifyCode")
    outcome = child(dialog, QLabel, "checkResult")
    open_button = child(dialog, QPushButton, "openVerifiedActa")
    typed.setFocus()
    qtbot.keyClicks(typed, "zzzz")
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT):
        qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert outcome.text().startswith("✘ Escriba el código de verificación")
    assert not open_button.isVisible()
    typed.clear()
    qtbot.keyClicks(typed, code.lower().replace("-", " "))
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT):
        qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert outcome.text().startswith(f"✔ Código {code} válido: corresponde al acta {number}")
    assert outcome.property("valid") == "true"
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert editor.visit_id == visit_id
    assert QApplication.activeModalWidget() is None


def test_the_instancia_report_opens_from_its_page(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    busiest = max(services.list_instancias(), key=lambda i: i.visit_count)
    page = page_of(window, InstanciaPage, "instancia_page")
    window.open_instancia(busiest.id)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=TIMEOUT)
    opened: list[Path] = []
    page.documents.opener = opened.append
    with qtbot.waitSignal(page.documents.shown, timeout=TIMEOUT):
        qtbot.mouseClick(child(page, QPushButton, "instanciaReport"), Qt.MouseButton.LeftButton)
    (path,) = opened
    text = pdf_text(path)
    assert "INFORME DE LA INSTANCIA" in text and busiest.name in text
    assert "2. Visitas de asistencia técnica" in text


def test_without_a_pdf_viewer_she_is_told_where_the_acta_is_and_can_open_its_folder(
    qtbot: QtBot, window: MainWindow, services: AppServices
) -> None:
    visit_id = services.start_visit(unvisited_idc(services).id)
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    asked: list[Path] = []

    def no_viewer(path: Path) -> bool:
        asked.append(path)
        return False  # as QDesktopServices answers when nothing opens PDFs

    editor.documents.opener = no_viewer
    with qtbot.waitSignal(editor.documents.not_shown, timeout=TIMEOUT) as kept:
        editor.view_pdf()
    path = kept.args[0]
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    notice = visible_child(editor, QMessageBox, "noPdfViewer")  # on screen, by its name
    assert str(path) in notice.text()
    (folder,) = (b for b in notice.buttons() if b.text() == "Abrir la &carpeta")
    folder.click()
    assert asked == [path, path.parent]
