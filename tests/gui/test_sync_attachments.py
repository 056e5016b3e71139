"""An annex sent in pieces: a cut in the middle, then the rest, never a finished piece twice."""

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any

import requests
from helpers.gui_central import PASSWORD, USER
from helpers.gui_visits import unvisited_idc
from helpers.widgets import child
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.domain.enums import AttachmentKind
from instancias_desktop.domain.sync_views import SignIn, SyncSummary
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.ui.ops import Operations
from instancias_desktop.ui.pages.sync_page import SyncPage
from sync.protocol import CHUNK_SIZE
from sync.server.store import AttachmentFile, Upload, UploadChunk
from sync.simulated_link import LinkProfile, SimulatedLink, VirtualClock
from sync.transport_http import HttpTransport


class CutAfterPieces(SimulatedLink):
    """A clean link whose signal goes as the answer to the ``after``-th piece comes back."""

    def __init__(self, after: int | None) -> None:
        self.clock = VirtualClock()
        super().__init__(LinkProfile(failure_rate=0.0), sleep=self.clock.sleep)
        self.after = after
        self.pieces: list[tuple[int, bool]] = []  # (index, its answer arrived)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        path = request.path_url or ""
        piece = int(path.rsplit("/", 1)[1]) if "/chunks/" in path else None
        answered = sum(1 for _i, ok in self.pieces if ok)
        if piece is not None and self.after is not None and answered == self.after:
            self.cut_after_answers = 0  # this piece reaches the server; its answer does not
        try:
            response = super().send(request, **kwargs)
        except requests.ConnectionError:
            if piece is not None and not self.lost_requests:
                self.pieces.append((piece, False))
            raise
        if piece is not None:
            self.pieces.append((piece, True))
        return response


def test_a_cut_in_the_middle_of_an_annex_resumes_without_resending_finished_pieces(
    qtbot: QtBot,
    services: AppServices,
    central: tuple[str, sessionmaker[Session]],
    tmp_path: Path,
) -> None:
    url, sessions = central
    services.enrol(SignIn(url, USER, PASSWORD, "Laptop de campo"))
    scan = tmp_path / "acta-firmada.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + os.urandom(5 * CHUNK_SIZE + 1000))
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    visit_id = services.start_visit(unvisited_idc(services).id)
    services.attach_file(visit_id, scan, AttachmentKind.SIGNED_ACTA)

    link = CutAfterPieces(after=2)
    laptop = dataclasses.replace(
        services,
        sync_link=lambda u, token, on: HttpTransport(
            u, token, session=link, sleep=link.clock.sleep, retries=2, on_exchange=on
        ),
    )
    ops = Operations()
    page = SyncPage(ops)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.status_shown, timeout=10_000):
        page.attach(laptop)
    steps: list[Any] = []
    page._relay.progressed.connect(steps.append)
    with qtbot.waitSignal(page.synced, timeout=30_000) as cut:
        page.synchronize()
    assert isinstance(cut.args[0], Exception)  # the signal went during the annex
    assert "No se completó la sincronización" in child(page, QLabel, "syncResult").text()
    assert any(s.stage == "Enviando anexos" for s in steps)
    finished = [index for index, answered in link.pieces if answered]
    assert finished == [0, 1]
    with sessions.begin() as session:  # the records arrived before the annex, and 3 pieces
        held = (
            session.query(UploadChunk.index)
            .join(Upload, Upload.id == UploadChunk.upload_id)
            .filter(Upload.sha256 == sha)
            .all()
        )
        assert sorted(i for (i,) in held) == [0, 1, 2]  # this laptop's upload, kept

    link.cut, link.cut_after_answers, link.after = False, None, None  # the signal is back
    link.pieces.clear()
    with qtbot.waitSignal(page.synced, timeout=30_000) as resumed:
        page.synchronize()
    summary = resumed.args[0]
    assert isinstance(summary, SyncSummary) and summary.complete, summary
    assert [index for index, _ok in link.pieces] == [3, 4, 5]  # only what was missing
    assert "se envió 1 anexo" in summary.message
    with sessions.begin() as session:
        file = session.get(AttachmentFile, sha)
        assert file is not None and file.complete and file.size == scan.stat().st_size
    ops.wait()
