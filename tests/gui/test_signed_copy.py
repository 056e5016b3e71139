"""The signed acta comes back: printed, photographed, attached, read, synced, and sealed still."""

import dataclasses
import datetime as dt
import subprocess
import uuid
from pathlib import Path

from helpers.acta_fixtures import photos_of
from helpers.gui_central import PASSWORD, USER
from helpers.gui_visits import finalize, unvisited_idc
from helpers.profiles import open_profile
from helpers.widgets import child, page_of, shown_records, visible_children
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QMessageBox, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.enums import ActaState, QrCheck
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.domain.visit_views import VisitSummary
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.home_page import HomePage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.pages.visits_page import VisitsPage
from sync.kinds import AGREEMENT, SIGNED_COPY, VISIT
from sync.protocol import Action, Operation, Outcome, PushRequest
from sync.transport_http import HttpTransport

TIMEOUT = 15_000


def _editor(qtbot: QtBot, window: MainWindow, visit_id: uuid.UUID) -> VisitEditorPage:
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.open_visit(visit_id)
    return editor


def _print_to_pdf(qtbot: QtBot, editor: VisitEditorPage, target: Path) -> None:
    """Ctrl+P on a finalized acta, the printer set to a PDF file, and the dialog accepted."""
    editor.print_acta()
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, QPrintDialog, "printDialog")), timeout=TIMEOUT
    )
    (dialog,) = visible_children(editor, QPrintDialog, "printDialog")
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    with qtbot.waitSignal(editor.documents.printed, timeout=TIMEOUT):
        # done(), not accept(): accept() would set the printer back from the dialog's fields
        # (no printer here); «print to file» chosen in the dialog ends the same way.
        dialog.done(QDialog.DialogCode.Accepted)


def _state(editor: VisitEditorPage) -> str:
    return child(editor, QLabel, "actaState").text()


def test_a_printed_acta_photographed_and_attached_becomes_signed_everywhere(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    central: tuple[str, sessionmaker[Session]],
    tmp_path: Path,
) -> None:
    url, _sessions = central
    instancia = unvisited_idc(services)
    visit_id = services.start_visit(instancia.id)
    finalize(services, visit_id)
    home = page_of(window, HomePage, "home")
    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        window.show_page("home")
    assert visit_id in _ids(child(home, QTableView, "homeUnsigned"))
    editor = _editor(qtbot, window, visit_id)
    attach = child(editor, QPushButton, "attachSignedCopy")
    assert attach.isVisible() and "Por firmar" in _state(editor)

    printed = tmp_path / "impreso.pdf"
    _print_to_pdf(qtbot, editor, printed)
    photos = photos_of(printed, tmp_path / "fotos")  # every page, as a phone sees it
    editor.signed_copy._choose = lambda _parent: photos
    qtbot.mouseClick(attach, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Firmada" in _state(editor), timeout=TIMEOUT)
    assert "Código QR verificado" in _state(editor)
    assert f"{len(photos)} páginas" in _state(editor)
    assert "Copia firmada adjuntada" in child(editor, QLabel, "signedCopyNote").text()
    detail = services.visit_detail(visit_id)
    assert detail.acta_state is ActaState.SIGNED
    assert detail.signed_copies[0].qr_check is QrCheck.MATCHES

    # Home no longer lists it among the actas to sign; the visits list finds it as signed.
    with qtbot.waitSignal(home.loaded, timeout=TIMEOUT):
        window.show_page("home")
    assert visit_id not in _ids(child(home, QTableView, "homeUnsigned"))
    visits = page_of(window, VisitsPage, "visits")
    with qtbot.waitSignal(visits.loaded, timeout=TIMEOUT):
        window.show_page("visits")
    state = child(visits, QComboBox, "visitsStatusFilter")
    state.setCurrentIndex(state.findData(ActaState.SIGNED.value))
    assert _ids(child(visits, QTableView, "visitsTable")) == [visit_id]

    # Through the real server to her second laptop; the sealed acta accepts nothing else.
    services.enrol(SignIn(url, USER, PASSWORD, "Laptop de campo"))
    sent = services.synchronize(lambda _p: None)
    assert sent.complete, sent.message
    tokens: list[str] = []

    def remembering_link(u: str, token: str, on: object) -> HttpTransport:
        tokens.append(token)
        return HttpTransport(u, token, on_exchange=on)  # type: ignore[arg-type]

    b_paths = ProfilePaths(tmp_path / "laptop-b")
    opened = open_profile(b_paths, Settings(author=USER))
    try:
        laptop_b = dataclasses.replace(
            AppServices(opened.database, b_paths, Settings(acta_series="T02")),
            sync_link=remembering_link,
        )
        laptop_b.enrol(SignIn(url, USER, PASSWORD, "Laptop de la oficina"))
        received = laptop_b.synchronize(lambda _p: None)
        assert received.complete, received.message
        on_b = laptop_b.visit_detail(visit_id)
        assert on_b.acta_state is ActaState.SIGNED
        (copy,) = on_b.signed_copies
        assert laptop_b.annex_content(copy.sha256)[:5] == b"%PDF-"

        with HttpTransport(url, tokens[-1]) as link:
            answer = link.push(
                PushRequest(
                    operations=(
                        _op(instancia.ubigeo, VISIT.name, visit_id, {"place": "Otro lugar"}),
                        _op(instancia.ubigeo, AGREEMENT.name, uuid.uuid4(), {
                            "visit_id": str(visit_id), "number": 9, "description": "Agregado",
                            "responsible_entity": "Municipalidad", "deadline": "2026-12-31",
                        }, parent=visit_id),
                        _op(instancia.ubigeo, SIGNED_COPY.name, copy.id, {"page_count": 9},
                            parent=visit_id),
                    )
                )
            )  # fmt: skip
        assert [r.outcome for r in answer.receipts] == [Outcome.REJECTED] * 3
        reasons = [r.reason for r in answer.receipts]
        assert all("cree una adenda" in r for r in reasons[:2]), reasons
        assert "no se modifica una vez registrado" in reasons[2]
    finally:
        opened.database.dispose()


def _finalized(services: AppServices) -> uuid.UUID:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    return visit_id


def _ids(table: QTableView) -> list[uuid.UUID]:
    return [v.id for v in shown_records(table, VisitSummary)]


def _op(
    scope: str,
    kind: str,
    record_id: uuid.UUID,
    fields: dict[str, object],
    *,
    parent: uuid.UUID | None = None,
) -> Operation:
    """A hostile change: an edit of an existing record, or a create when it names none yet."""
    create = kind == AGREEMENT.name
    return Operation(
        op_id=uuid.uuid4(), kind=kind, record_id=record_id,
        action=Action.CREATE if create else Action.UPDATE, base_version=None if create else 1,
        fields=fields, scope=scope, parent_id=parent, made_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip


def test_a_paper_of_another_acta_asks_before_attaching(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    visit_id, other = _finalized(services), _finalized(services)
    pdf = tmp_path / "otra.pdf"
    pdf.write_bytes(services.acta_document(other).pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "p")], check=True)
    *_pages, last = sorted(tmp_path.glob("p-*.png"))
    editor = _editor(qtbot, window, visit_id)
    editor.signed_copy._choose = lambda _parent: [last]
    qtbot.mouseClick(child(editor, QPushButton, "attachSignedCopy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.signed_copy.prompt is not None, timeout=TIMEOUT)
    prompt = editor.signed_copy.prompt
    assert prompt is not None and prompt.objectName() == "signedCopyPrompt"
    assert "no es el del acta" in prompt.text()
    assert prompt.defaultButton() is prompt.button(QMessageBox.StandardButton.No)
    prompt.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: "No se adjuntó" in child(editor, QLabel, "signedCopyNote").text())
    assert services.visit_detail(visit_id).signed_copies == ()
    assert "Por firmar" in _state(editor)

    editor.signed_copy.attach()  # again, and this time knowingly
    qtbot.waitUntil(lambda: editor.signed_copy.prompt is not prompt, timeout=TIMEOUT)
    assert editor.signed_copy.prompt is not None
    editor.signed_copy.prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Firmada" in _state(editor), timeout=TIMEOUT)
    assert "Código QR de otra acta" in _state(editor)


def test_papers_of_several_actas_are_filed_from_the_visits_list(
    qtbot: QtBot, window: MainWindow, services: AppServices, tmp_path: Path
) -> None:
    first, second = _finalized(services), _finalized(services)
    photos = []
    for name, visit_id in (("a", first), ("b", second)):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(services.acta_document(visit_id).pdf)
        photos += photos_of(pdf, tmp_path / name, stem=name)
    visits = page_of(window, VisitsPage, "visits")
    with qtbot.waitSignal(visits.loaded, timeout=TIMEOUT):
        window.show_page("visits")
    visits.filing._choose = lambda _parent: photos
    qtbot.mouseClick(child(visits, QPushButton, "fileSignedCopies"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: visits.filing.prompt is not None, timeout=TIMEOUT)
    prompt = visits.filing.prompt
    assert prompt is not None and prompt.objectName() == "papersFilingPrompt"
    numbers = [services.visit_detail(v).visit.acta_number for v in (first, second)]
    assert all(number in prompt.text() for number in numbers)
    with qtbot.waitSignal(visits.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    assert "Se adjuntaron 2 copias firmadas" in child(visits, QLabel, "pageStatus").text()
    assert all(services.visit_detail(v).acta_state is ActaState.SIGNED for v in (first, second))
