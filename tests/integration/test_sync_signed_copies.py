"""A signed copy travels: after its sealed acta, with its file, to her other laptop."""

import json
from pathlib import Path

from helpers.acta_fixtures import photos_of, write_pdf
from helpers.app import instancia, rows
from helpers.gui_visits import finalize
from helpers.laptops import device, enrolled_pair
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import ActaState, SendState
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.syncing import runner
from instancias_desktop.syncing.journal import SyncJournal
from sync.transport_memory import MemoryTransport


def _sync(db: Database, paths: ProfilePaths, server: sessionmaker[Session], name: str) -> str:
    summary = runner.synchronize(
        db, SyncJournal.of_profile(db, paths.logs / "sync.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device(name)), files=paths.attachments,
    )  # fmt: skip
    assert summary.complete, summary.message
    return summary.message


def test_a_signed_copy_reaches_her_other_laptop_with_its_file(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    pair = enrolled_pair(database, profile_paths, laptop_b, tmp_path)
    a, b, b_paths = pair.a, pair.b, pair.b_paths
    visit_id = a.start_visit(instancia(a))
    finalize(a, visit_id)
    _sync(database, profile_paths, server, "a")  # the sealed acta goes first, alone

    printed = write_pdf(a.acta_document(visit_id).pdf, tmp_path, "acta")
    a.attach_signed_copy(a.read_signed_copy(visit_id, photos_of(printed, tmp_path / "fotos")))
    (copy,) = a.visit_detail(visit_id).signed_copies
    assert copy.send_state is SendState.PENDING
    assert "se envió 1 anexo" in _sync(database, profile_paths, server, "a")
    assert a.visit_detail(visit_id).signed_copies[0].send_state is SendState.CONFIRMED

    _sync(laptop_b, b_paths, server, "b")
    on_b = b.visit_detail(visit_id)
    assert on_b.acta_state is ActaState.SIGNED
    (received,) = on_b.signed_copies
    assert received.sha256 == copy.sha256
    assert b.annex_content(copy.sha256) == a.annex_content(copy.sha256)
    # The sealed acta did not move: same content, same hash, on both laptops.
    sealed = "SELECT acta_hash, acta_content FROM visit WHERE id = :id"
    on_a = rows(database, sealed, id=visit_id.hex)
    assert on_a and on_a == rows(laptop_b, sealed, id=visit_id.hex)

    b.withdraw_signed_copy(received.id)  # hers too: the same specialist on her other laptop
    _sync(laptop_b, b_paths, server, "b")
    _sync(database, profile_paths, server, "a")
    assert a.visit_detail(visit_id).acta_state is ActaState.FINALIZED
    refusals = rows(database, "SELECT reason FROM outbox WHERE state = 'rechazado'")
    assert refusals == [], json.dumps(refusals, ensure_ascii=False)
