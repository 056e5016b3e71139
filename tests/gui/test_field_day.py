"""A specialist's whole day through the real window, two laptops and the real server over HTTP.

Each step asserts what is stored and what is shown, including the cases of issue 15: her name
on the acta (from her server account), her territories first, dates typed as dd/mm/aaaa, no
start time guessed, a finalized acta that takes no input, her drafts on Inicio after a sync,
her plan on her other laptop, conflicts that say which laptop wrote each value.
"""

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.profiles import open_profile
from helpers.widgets import (
    child,
    page_of,
    shown_records,
    visible_child,
    visible_children,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.enums import DocumentType, ParticipantRole, VisitStatus
from instancias_desktop.domain.readmodels import InstanciaSummary
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from instancias_desktop.ui.main_window import MainWindow
from instancias_desktop.ui.pages.home_page import HomePage
from instancias_desktop.ui.pages.instancias_page import InstanciasPage
from instancias_desktop.ui.pages.sync_page import SyncPage
from instancias_desktop.ui.pages.visit_editor import VisitEditorPage
from instancias_desktop.ui.widgets.date_field import DateField
from sync.server import auth
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer

TIMEOUT = 15_000
USER, PASSWORD = "rosa", "clave-de-campo-2026"
SIGNATURE = "Rosa Quispe Mamani, Especialista de la DPVLV en Cusco"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    """The real server over HTTP, with Rosa's account (Cusco), named as the admin recorded."""
    engine = create_server_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        auth.create_user(
            session, USER, "especialista", PASSWORD, dt.datetime.now(dt.UTC),
            full_name="Rosa Quispe Mamani", post="Especialista de la DPVLV en Cusco",
        )  # fmt: skip
        assign_territories(session, USER, ["08"])
    with LocalServer(create_app(sessions)) as server:
        yield server.url, sessions
    engine.dispose()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, lines joined as one (a long name wraps on paper)."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_field_day_of_a_specialist_with_two_laptops(
    qtbot: QtBot,
    window: MainWindow,
    services: AppServices,
    central: tuple[str, sessionmaker[Session]],
    tmp_path: Path,
) -> None:
    url, _sessions = central
    ops = window._ops  # the window's own: what its pages announce

    # Morning: she enrols the office laptop on the sync page.
    window.show_page("sync")
    page = page_of(window, SyncPage, "sync")
    child(page, QLineEdit, "syncServerUrl").setText(url)
    child(page, QLineEdit, "syncUsername").setText(USER)
    child(page, QLineEdit, "syncPassword").setText(PASSWORD)
    child(page, QLineEdit, "syncDeviceName").setText("Laptop de oficina")
    qtbot.waitUntil(child(page, QPushButton, "enrolLaptop").isVisible, timeout=TIMEOUT)
    page.enrol()
    qtbot.waitUntil(lambda: services.identity().username == USER, timeout=TIMEOUT)
    assert services.identity().signature == SIGNATURE  # from her server account

    # Her territories come first in the registry.
    window.show_page("instancias")
    registry = page_of(window, InstanciasPage, "instancias")
    qtbot.waitUntil(child(registry, QCheckBox, "myTerritoriesOnly").isChecked, timeout=TIMEOUT)
    shown = shown_records(child(registry, QTableView, "instanciasTable"), InstanciaSummary)
    assert shown and all(s.ubigeo.startswith("08") for s in shown)

    # A visit to a Cusco IDC: no warning, no start time guessed.
    cusco = next(
        i for i in services.list_instancias() if i.ubigeo.startswith("08") and not i.visit_count
    )
    editor = page_of(window, VisitEditorPage, "editor")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        window.start_visit(cusco.id)
    assert window.findChildren(QMessageBox, "outsideTerritoryPrompt") == []
    visit_id = editor.visit_id
    assert visit_id is not None
    assert child(editor, QLineEdit, "visitStartTime").text() == ""
    yesterday = services.today() - dt.timedelta(days=1)
    date_line = child(child(editor, DateField, "visitDate"), QLineEdit, "dateLine")
    date_line.setFocus()
    date_line.selectAll()
    qtbot.keyClicks(date_line, yesterday.strftime("%d/%m/%Y"))
    for name, typed in (
        ("visitStartTime", "9:00"),
        ("visitEndTime", "11:30"),
        ("visitObjective", "Acompanar la instalacion de la IDC"),
        ("visitAgenda", "1. Instalacion 2. Acuerdos"),
        ("visitDevelopment", "Se juramento a los integrantes."),
    ):
        widget = child(editor, QWidget, name)
        widget.setFocus()
        qtbot.keyClicks(widget, typed)
    editor.save_now()
    qtbot.waitUntil(lambda: not editor.saver.has_pending(), timeout=TIMEOUT)
    stored = services.visit_detail(visit_id).visit
    assert (stored.visit_date, stored.start_time, stored.end_time) == (
        yesterday, dt.time(9, 0), dt.time(11, 30),
    )  # fmt: skip

    # A participant, and an agreement whose deadline is typed as she writes dates.
    services.save_participant(
        visit_id,
        ParticipantInput(
            DocumentType.DNI, "45678912", "Maria Nunez Quispe", "Municipalidad", "Alcaldesa",
            ParticipantRole.CHAIR, consent=True,
        ),
    )  # fmt: skip
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        ops.announce({Area.VISITS})
    tabs = child(editor, QTabWidget, "visitTabs")
    tabs.setCurrentWidget(child(editor, QWidget, "agreements"))
    qtbot.mouseClick(child(editor, QPushButton, "agreementsAdd"), Qt.MouseButton.LeftButton)
    dialog = visible_child(editor, AgreementDialog, "agreementDialog")
    qtbot.keyClicks(
        child(dialog, QPlainTextEdit, "agreementDescription"), "Aprobar el reglamento interno"
    )
    qtbot.keyClicks(
        child(dialog, QLineEdit, "agreementResponsibleEntity"), "Municipalidad Distrital"
    )
    deadline = child(child(dialog, DateField, "agreementDeadline"), QLineEdit, "dateLine")
    deadline.selectAll()
    qtbot.keyClicks(deadline, "28/02/2027")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        qtbot.keyClick(deadline, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(services.visit_detail(visit_id).agreements), timeout=TIMEOUT)
    assert services.visit_detail(visit_id).agreements[0].deadline == dt.date(2027, 2, 28)

    # Finalized in her name; from then on the acta takes no input, and its PDF opens.
    tabs.setCurrentIndex(0)
    editor.ask_finalize()
    qtbot.waitUntil(
        lambda: bool(visible_children(editor, QMessageBox, "finalizePrompt")), timeout=TIMEOUT
    )
    prompt = visible_child(editor, QMessageBox, "finalizePrompt")
    assert f"finalizada por {SIGNATURE}" in prompt.text()
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        prompt.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.finalized)
    assert child(editor, QPlainTextEdit, "visitObjective").isReadOnly()
    opened: list[Path] = []
    editor.documents.opener = opened.append
    with qtbot.waitSignal(editor.documents.shown, timeout=TIMEOUT):
        editor.view_pdf()
    assert f"por {SIGNATURE}" in pdf_text(opened[0].read_bytes())

    # Her plan for the week, and a draft for another Cusco instancia.
    others = [i.id for i in services.list_instancias() if i.ubigeo.startswith("08")]
    others.remove(cusco.id)
    (planned,) = services.add_to_plan([others[0]], services.today() + dt.timedelta(days=2))
    draft = services.start_visit(others[1])

    # Evening: the office laptop syncs.
    window.show_page("sync")
    with qtbot.waitSignal(page.synced, timeout=TIMEOUT) as synced:
        page.synchronize()
    assert synced.args[0].complete, synced.args[0]
    state = child(page, QLabel, "syncState")
    qtbot.waitUntil(lambda: "Sincronizado" in state.text(), timeout=TIMEOUT)
    window.show_page("home")
    drafts = child(page_of(window, HomePage, "home"), QTableView, "homeDrafts")
    qtbot.waitUntil(lambda: drafts.model().rowCount() >= 1, timeout=TIMEOUT)
    assert draft in {v.id for v in services.day_overview().drafts}

    # Her field laptop: a new profile, enrolled, receives the acta, the draft and the plan.
    paths = ProfilePaths(tmp_path / "laptop-campo")
    opened_b = open_profile(paths, Settings(author="usuario"))
    field = AppServices(opened_b.database, paths, Settings(acta_series="C02"))
    field.enrol(SignIn(url, USER, PASSWORD, "Laptop de campo"))
    assert field.synchronize(lambda _p: None).complete
    assert field.visit_detail(visit_id).visit.status is VisitStatus.FINALIZED
    assert [p.entry.id for p in field.planned_visits()] == [planned]
    assert draft in {v.id for v in field.day_overview().drafts}

    # Both laptops change the draft's objective: the conflict says which laptop wrote what.
    services.update_visit(draft, {"objective": "Instalar la IDC"})
    field.update_visit(draft, {"objective": "Reactivar la IDC con las nuevas autoridades"})
    with qtbot.waitSignal(page.synced, timeout=TIMEOUT):
        window.show_page("sync")
        page.synchronize()
    assert field.synchronize(lambda _p: None).conflicts == 1
    (conflict,) = field.open_conflicts()
    assert conflict.current_source == f"{USER}, en el equipo «Laptop de oficina»"
    assert conflict.mine_source == "usted, en el equipo «Laptop de campo»"
    opened_b.database.dispose()
