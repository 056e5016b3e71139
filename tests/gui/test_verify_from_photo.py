"""«Verificar un acta impresa» reads the code from a photo she picks, and opens the acta."""

import subprocess
from pathlib import Path

from helpers.gui_visits import finalize, unvisited_idc
from helpers.widgets import child
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.dialogs.verify_dialog import VerifyDialog
from instancias_desktop.ui.ops import Operations

TIMEOUT = 10_000


def test_a_photo_of_the_paper_is_read_and_its_acta_offered(
    qtbot: QtBot, services: AppServices, tmp_path: Path
) -> None:
    visit_id = services.start_visit(unvisited_idc(services).id)
    finalize(services, visit_id)
    document = services.acta_document(visit_id)
    (tmp_path / "acta.pdf").write_bytes(document.pdf)
    last = str(len(PdfReader(tmp_path / "acta.pdf").pages))  # the page with the QR code
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", last, "-l", last,
         str(tmp_path / "acta.pdf"), str(tmp_path / "foto")],
        check=True,
    )  # fmt: skip
    photo = tmp_path / "foto.png"  # as a phone would give it: pixels, no text
    picked: list[QWidget] = []

    def choose(parent: QWidget) -> Path:
        picked.append(parent)
        return photo

    ops = Operations()
    dialog = VerifyDialog(ops, services, choose=choose)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not child(dialog, QPushButton, "openVerifiedActa").isVisibleTo(dialog)  # nothing yet
    reader = child(dialog, QPushButton, "verifyFromFile")
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT):
        qtbot.mouseClick(reader, Qt.MouseButton.LeftButton)
    assert picked == [dialog]
    outcome = child(dialog, QLabel, "checkResult")
    assert outcome.text().startswith(f"✔ Código {document.code} válido")
    assert child(dialog, QPushButton, "openVerifiedActa").isVisibleTo(dialog)
    ops.wait()
