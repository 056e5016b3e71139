"""One sync from the app's side: enrolment kept in the profile, honest summary, journal."""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.app import instancia, person, services_at
from helpers.enrolment import ANA, login_as, sign_in
from helpers.form_delivery import IDC_NEXT, delivered_next
from helpers.form_versions import latest
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import Answer, SendState
from instancias_desktop.domain.forms import ItemAnswer
from instancias_desktop.domain.sync_views import SignIn, SyncProgress
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import synchronization
from instancias_desktop.syncing import account, runner
from instancias_desktop.syncing.journal import SyncJournal
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine
from sync.errors import Unreachable
from sync.protocol import Outcome, Receipt
from sync.server import published
from sync.server.db import create_server_engine, migrate, session_factory
from sync.transport_memory import MemoryTransport

IDC_V1 = latest("funcionamiento_idc")  # the version a new draft gets
Login = login_as()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = create_server_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


def test_enrolment_is_kept_and_bad_input_is_refused_in_spanish(database: Database) -> None:
    assert account.enrolment_of(database) is None
    with pytest.raises(Exception, match="dirección completa del servidor") as refused:
        account.enrol(database, SignIn("central", "", "", "x"), transport=Login)  # type: ignore[arg-type]
    assert "Escriba su usuario." in str(refused.value)
    assert "Escriba su contraseña." in str(refused.value)
    assert account.enrolment_of(database) is None  # nothing half-written
    sign_in(database)
    found = account.enrolment_of(database)
    assert found is not None
    enrolment, token = found
    assert (enrolment.server_url, enrolment.username, enrolment.device_name, token) == (
        "https://central.example",
        "ana",
        "Laptop de Ana",
        "token-de-prueba",
    )


def test_a_sync_reports_progress_says_sincronizado_and_journals_it(
    database: Database, profile_paths: ProfilePaths, server: sessionmaker[Session]
) -> None:
    services = services_at(database, profile_paths)
    sign_in(database)
    services.start_visit(instancia(services))
    journal = SyncJournal.of_profile(database, profile_paths.logs / "sincronizacion.jsonl")
    steps: list[SyncProgress] = []
    summary = runner.synchronize(
        database, journal, steps.append, link=lambda _url, _token, _on: MemoryTransport(server, ANA)
    )
    # the visit and, first, the create of its instancia (known here from the catalogue)
    assert (summary.complete, summary.sent, summary.confirmed, summary.received) == (
        True,
        2,
        2,
        2,
    )
    assert summary.message == (
        "Sincronizado: el servidor confirmó los 2 cambios enviados; se recibieron 2 registros."
    )
    assert [s.stage for s in steps][:1] == ["Enviando cambios"] and steps[0].total == 2
    assert {s.stage for s in steps} >= {"Enviando cambios", "Recibiendo cambios"}
    assert [e.event for e in journal.entries()] == ["fin", "recepción", "envío", "inicio"]
    status = synchronization.sync_status(database)
    assert (status.pending, status.synchronized, status.last_result) == (0, True, summary.message)


class Cut(MemoryTransport):
    def push(self, request: Any, waiting: int | None = None) -> Any:
        raise Unreachable()


def test_a_sync_cut_off_keeps_every_change_and_says_why(
    database: Database, profile_paths: ProfilePaths, server: sessionmaker[Session]
) -> None:
    services = services_at(database, profile_paths)
    sign_in(database)
    services.start_visit(instancia(services))
    journal = SyncJournal.of_profile(database, profile_paths.logs / "sincronizacion.jsonl")
    with pytest.raises(Unreachable):
        runner.synchronize(database, journal, lambda _s: None, link=lambda *_: Cut(server, ANA))
    status = synchronization.sync_status(database)
    assert status.pending == 2 and not status.synchronized  # still there, «enviado»
    latest = journal.entries()[0]
    assert latest.event == "error"
    assert latest.message.startswith("No se pudo conectar con el servidor de sincronización.")
    assert status.last_result == latest.message
    summary = runner.synchronize(
        database, journal, lambda _s: None, link=lambda *_: MemoryTransport(server, ANA)
    )
    assert summary.complete and summary.sent == 2  # the next sync sends them, once


def test_the_journal_skips_a_line_cut_by_a_crash_and_exports_text(
    database: Database, tmp_path: Path
) -> None:
    journal = SyncJournal.of_profile(database, tmp_path / "logs" / "sincronizacion.jsonl")
    when = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
    journal.write("inicio", "Sincronización con https://central.example como ana.", when)
    journal.write("envío", "Participante María Núñez del acta N° 001: rechazado.", when)
    whole = journal.path.read_bytes()
    journal.path.write_bytes(whole[:-40])  # power lost while the second line was written
    journal.write("fin", "Sincronizado.", when)
    assert [e.event for e in journal.entries()] == ["fin", "inicio"]
    exported = journal.export(tmp_path / "diario.txt").read_text(encoding="utf-8")
    assert exported.splitlines()[1:] == [
        "2026-03-10T15:00:00+00:00\tinicio\tSincronización con https://central.example como ana.",
        "2026-03-10T15:00:00+00:00\tfin\tSincronizado.",
    ]


def test_each_visit_shows_where_it_stands_with_the_server(
    database: Database, profile_paths: ProfilePaths, server: sessionmaker[Session]
) -> None:
    services = services_at(database, profile_paths)
    store = DatabaseStore(database)

    def state(visit_id: uuid.UUID) -> SendState | None:
        return next(v.send_state for v in services.list_visits() if v.id == visit_id)

    sent, refused = (
        services.start_visit(instancia(services)),
        services.start_visit(instancia(services)),
    )
    assert (state(sent), state(refused)) == (SendState.PENDING, SendState.PENDING)
    operations = store.pending(10)
    store.mark_sent([op.op_id for op in operations])
    assert state(sent) is SendState.SENT  # on its way, no receipt yet
    by_visit = {op.record_id: op.op_id for op in operations}
    store.acknowledge(
        [
            Receipt(op_id=by_visit[sent], outcome=Outcome.APPLIED, version=1),
            Receipt(op_id=by_visit[refused], outcome=Outcome.REJECTED, reason="fuera de su ámbito"),
        ]
    )
    assert state(refused) is SendState.REJECTED
    assert state(sent) is SendState.CONFIRMED  # by its receipt, before it comes back
    SyncEngine(store, MemoryTransport(server, ANA)).sync()
    assert state(sent) is SendState.CONFIRMED
    services.save_participant(sent, person())  # a part of it changes: the visit waits again
    assert state(sent) is SendState.PENDING


def test_a_form_version_published_on_the_server_arrives_and_drafts_keep_theirs(
    database: Database, profile_paths: ProfilePaths, server: sessionmaker[Session]
) -> None:
    services = services_at(database, profile_paths)
    app = dataclasses.replace(services, sync_link=lambda *_: MemoryTransport(server, ANA))
    sign_in(database)
    visit_id = services.start_visit(instancia(services))
    services.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    canonical, digest = delivered_next()
    with server.begin() as session:  # what «admin publish-form» does
        key = f"{IDC_NEXT.form_id}@{IDC_NEXT.version}"
        published.publish(session, "ficha", key, canonical, by="admin",
                          now=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))  # fmt: skip
    summary = app.synchronize(lambda _s: None)
    assert summary.complete
    journal = [e.message for e in app.sync_journal() if e.event == "fichas"]
    assert journal == [f"Ficha recibida: funcionamiento_idc versión {IDC_NEXT.version}."]
    with database.reader() as uow:
        assert uow.checklists.definition_hashes()[IDC_NEXT] == digest
    view = app.checklist(visit_id)
    assert view is not None and view.definition.ref == IDC_V1  # the draft keeps its version
    plan = app.checklist_upgrade_plan(visit_id)
    assert plan is not None and plan.new.ref == IDC_NEXT
    assert app.synchronize(lambda _s: None).complete  # received once: nothing more next time
    assert [e.event for e in app.sync_journal()].count("fichas") == 1
