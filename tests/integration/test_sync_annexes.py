"""Annexes in a sync from the app: only this laptop's files go, and a cut loses no journal."""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from helpers.app import instancia, services_at
from helpers.enrolment import write_enrolment
from helpers.laptops import device, enrolled_pair
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AttachmentKind, SendState
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.syncing import runner
from instancias_desktop.syncing.journal import SyncJournal
from sync.errors import Unreachable
from sync.transport_memory import MemoryTransport


class CutOnPiece(MemoryTransport):
    """The signal goes while the second piece of an annex is on its way."""

    def put_chunk(self, sha256: str, index: int, data: bytes) -> None:
        if index >= 1:
            raise Unreachable()
        super().put_chunk(sha256, index, data)


def scan(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "acta-firmada.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(size))
    return path


def test_an_annex_pulled_from_another_laptop_is_not_sent_from_this_one(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Found by review: laptop B tried to read A's annex, which it does not hold, and every
    sync of B failed until A finished sending it."""
    pair = enrolled_pair(database, profile_paths, laptop_b, tmp_path)
    a, b_paths = pair.a, pair.b_paths
    visit_id = a.start_visit(instancia(a))
    a.attach_file(visit_id, scan(tmp_path, 600_000), AttachmentKind.SIGNED_ACTA)
    journal_a = SyncJournal.of_profile(database, tmp_path / "a.jsonl")
    with pytest.raises(Unreachable):
        runner.synchronize(
            database, journal_a, lambda _s: None,
            link=lambda *_: CutOnPiece(server, device("a")), files=profile_paths.attachments,
        )  # fmt: skip
    summary = runner.synchronize(
        laptop_b, SyncJournal.of_profile(laptop_b, tmp_path / "b.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("b")), files=b_paths.attachments,
    )  # fmt: skip
    assert summary.complete and summary.received >= 2  # the visit and its annex record

    # A's own journal kept what the records did before the annex step was cut.
    events = [e.event for e in reversed(journal_a.entries())]
    assert events == ["inicio", "envío", "recepción", "error"]
    resumed = runner.synchronize(
        database, journal_a, lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("a")), files=profile_paths.attachments,
    )  # fmt: skip
    assert resumed.complete and "se envió 1 anexo" in resumed.message


def test_an_annex_gone_from_the_store_is_reported_not_fatal(
    database: Database,
    profile_paths: ProfilePaths,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    a = services_at(database, profile_paths)
    write_enrolment(database)
    visit_id = a.start_visit(instancia(a))
    a.attach_file(visit_id, scan(tmp_path, 1000), AttachmentKind.PHOTO)
    for stored in profile_paths.attachments.rglob("*"):
        if stored.is_file():
            stored.unlink()  # removed by hand
    summary: Any = runner.synchronize(
        database, SyncJournal.of_profile(database, tmp_path / "a.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("a")), files=profile_paths.attachments,
    )  # fmt: skip
    assert summary.sent == 3 and summary.rejected == ()  # the records went; nothing to read


def test_agreements_and_annexes_show_where_they_stand(
    database: Database,
    profile_paths: ProfilePaths,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    a = services_at(database, profile_paths)
    write_enrolment(database)
    visit_id = a.start_visit(instancia(a))
    a.save_agreement(
        visit_id,
        AgreementInput("Aprobar el plan de trabajo", "Municipalidad", "", dt.date(2026, 12, 30)),
    )
    a.attach_file(visit_id, scan(tmp_path, 2000), AttachmentKind.SIGNED_ACTA)

    def states() -> tuple[SendState | None, SendState | None]:
        detail = a.visit_detail(visit_id)
        return detail.agreements[0].send_state, detail.attachments[0].send_state

    assert states() == (SendState.PENDING, SendState.PENDING)

    def sync(files: Path | None) -> None:
        runner.synchronize(
            database, SyncJournal.of_profile(database, tmp_path / "a.jsonl"), lambda _s: None,
            link=lambda *_: MemoryTransport(server, device("a")), files=files,
        )  # fmt: skip

    sync(None)  # the records go; the annex's file does not
    assert states() == (SendState.CONFIRMED, SendState.PENDING)
    sync(profile_paths.attachments)
    assert states() == (SendState.CONFIRMED, SendState.CONFIRMED)


class CutOnFetch(MemoryTransport):
    """The signal goes while the second piece of an annex comes down; counts the pieces."""

    fetched: list[int]
    cut: bool

    def get_chunk(self, sha256: str, index: int) -> bytes:
        self.fetched.append(index)
        if index >= 1 and self.cut:
            raise Unreachable()
        return super().get_chunk(sha256, index)


def test_an_annex_sent_by_another_laptop_comes_down_resuming_after_a_cut(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    pair = enrolled_pair(database, profile_paths, laptop_b, tmp_path)
    a, b, b_paths = pair.a, pair.b, pair.b_paths
    visit_id = a.start_visit(instancia(a))
    original = scan(tmp_path, 700_000)  # three pieces
    a.attach_file(visit_id, original, AttachmentKind.SIGNED_ACTA)
    assert runner.synchronize(
        database, SyncJournal.of_profile(database, tmp_path / "a.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("a")), files=profile_paths.attachments,
    ).complete  # fmt: skip

    link = CutOnFetch(server, device("b"))
    link.fetched, link.cut = [], True
    journal_b = SyncJournal.of_profile(laptop_b, tmp_path / "b.jsonl")
    with pytest.raises(Unreachable):
        runner.synchronize(
            laptop_b, journal_b, lambda _s: None, link=lambda *_: link, files=b_paths.attachments
        )
    link.cut = False
    summary = runner.synchronize(
        laptop_b, journal_b, lambda _s: None, link=lambda *_: link, files=b_paths.attachments
    )
    assert summary.complete
    assert link.fetched == [0, 1, 1, 2]  # piece 0 kept across the cut, not fetched again
    (annex,) = b.visit_detail(visit_id).attachments
    assert b.annex_content(annex.sha256) == original.read_bytes()
    assert "Anexos recibidos de otros equipos: 1." in [e.message for e in journal_b.entries()]
