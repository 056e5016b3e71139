"""Conflicts resolved on the laptop: keep the current value, take one's own, or merge."""

from pathlib import Path
from typing import Any

import pytest
from helpers.app import COMPLETE, instancia, person, services_at
from helpers.enrolment import write_enrolment
from helpers.laptops import device
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.conflict_views import ConflictChoice
from instancias_desktop.domain.enums import Answer, SendState
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.syncing import runner
from instancias_desktop.syncing.journal import SyncJournal
from sync.errors import Unreachable
from sync.server.store import Conflict, Record
from sync.transport_memory import MemoryTransport

IDC_V1 = FormRef("funcionamiento_idc", 1)


@pytest.fixture
def laptops(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
):
    """Two laptops of one specialist with one draft, and a conflict on its objective: A's
    «Instalar la IDC» reached the server first; B's «Reactivar la IDC» was set aside."""
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"), acta_series="E08")
    for db in (database, laptop_b):
        write_enrolment(db)
    sync_a = lambda: runner.synchronize(  # noqa: E731
        database, SyncJournal.of_profile(database, tmp_path / "a.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("a")),
    )  # fmt: skip
    sync_b = lambda: runner.synchronize(  # noqa: E731
        laptop_b, SyncJournal.of_profile(laptop_b, tmp_path / "b.jsonl"), lambda _s: None,
        link=lambda *_: MemoryTransport(server, device("b")),
    )  # fmt: skip
    visit_id = a.start_visit(instancia(a))
    assert sync_a().complete and sync_b().complete
    a.update_visit(visit_id, {"objective": "Instalar la IDC"})
    b.update_visit(visit_id, {"objective": "Reactivar la IDC"})
    assert sync_a().complete
    assert sync_b().conflicts == 1
    return a, b, sync_a, sync_b, visit_id, server


def objective_on_server(sessions: sessionmaker[Session], visit_id: object) -> str:
    with sessions.begin() as session:
        record = session.get(Record, ("visit", visit_id))
        assert record is not None
        return str(record.fields["objective"])


def test_the_conflict_is_shown_with_both_values_and_taking_mine_back_reaches_everyone(
    laptops: tuple,
) -> None:
    a, b, sync_a, sync_b, visit_id, sessions = laptops
    (shown,) = b.open_conflicts()
    assert (shown.field_label, shown.current, shown.mine, shown.current_author) == (
        "Objetivo",
        "Instalar la IDC",
        "Reactivar la IDC",
        "especialista.prueba",
    )
    assert shown.subject.startswith("Acta N° 001-2026") and shown.can_change and shown.takes_text
    assert b.visit_detail(visit_id).visit.objective == "Instalar la IDC"  # the server's, for now

    b.resolve_conflict(shown.conflict_id, ConflictChoice.USE_MINE)
    assert b.open_conflicts() == ()  # gone here at once, even offline
    assert b.visit_detail(visit_id).visit.objective == "Reactivar la IDC"
    assert sync_b().complete
    assert objective_on_server(sessions, visit_id) == "Reactivar la IDC"
    with sessions.begin() as session:
        assert [c.resolved for c in session.query(Conflict).all()] == [True]
    assert sync_a().complete
    assert a.visit_detail(visit_id).visit.objective == "Reactivar la IDC"
    assert a.open_conflicts() == ()  # resolved for the other laptop of the same person too


def test_a_merged_text_or_the_current_value_resolves_it_too(laptops: tuple) -> None:
    _a, b, _sync_a, sync_b, visit_id, sessions = laptops
    (shown,) = b.open_conflicts()
    with pytest.raises(ValidationError, match="Escriba el valor"):
        b.resolve_conflict(shown.conflict_id, ConflictChoice.USE_TEXT, "  ")
    b.resolve_conflict(shown.conflict_id, ConflictChoice.USE_TEXT, "Instalar y reactivar la IDC")
    assert sync_b().complete
    assert objective_on_server(sessions, visit_id) == "Instalar y reactivar la IDC"


def test_keeping_the_current_value_changes_nothing_but_closes_it(laptops: tuple) -> None:
    _a, b, _sync_a, sync_b, visit_id, sessions = laptops
    (shown,) = b.open_conflicts()

    def envio() -> SendState | None:
        return next(v.send_state for v in b.list_visits() if v.id == visit_id)

    assert envio() is SendState.CONFLICT
    b.resolve_conflict(shown.conflict_id, ConflictChoice.KEEP_CURRENT)
    assert envio() is SendState.CONFIRMED  # nothing of it waits on anyone any more
    assert b.sync_status().in_conflict == 0
    summary = sync_b()
    assert summary.complete and summary.sent == 0 and summary.conflicts == 0
    assert objective_on_server(sessions, visit_id) == "Instalar la IDC"


def test_a_finalized_acta_keeps_its_value(laptops: tuple) -> None:
    a, b, sync_a, sync_b, visit_id, _sessions = laptops
    a.update_visit(visit_id, COMPLETE)
    a.save_participant(visit_id, person())
    a.finalize_visit(visit_id)
    assert sync_a().complete and sync_b().complete
    (shown,) = b.open_conflicts()
    assert not shown.can_change and "está finalizada" in shown.reason
    with pytest.raises(FinalizedVisitError):
        b.resolve_conflict(shown.conflict_id, ConflictChoice.USE_MINE)
    b.resolve_conflict(shown.conflict_id, ConflictChoice.KEEP_CURRENT)
    assert b.open_conflicts() == ()


class CutOnPull(MemoryTransport):
    """The signal goes after the push: nothing more is received."""

    def pull(self, request: object) -> Any:
        raise Unreachable()


def test_a_resolution_the_server_heard_stays_resolved_if_the_sync_stops_after(
    laptops: tuple, tmp_path: Path
) -> None:
    """Found by review: the stored list came back whole when the sync stopped later on."""
    _a, b, _sync_a, _sync_b, _visit_id, sessions = laptops
    (shown,) = b.open_conflicts()
    b.resolve_conflict(shown.conflict_id, ConflictChoice.KEEP_CURRENT)
    b.resolve_conflict(shown.conflict_id, ConflictChoice.KEEP_CURRENT)  # a second click: no-op
    with pytest.raises(Unreachable):
        runner.synchronize(
            b.database, SyncJournal.of_profile(b.database, tmp_path / "cut.jsonl"), lambda _s: None,
            link=lambda *_: CutOnPull(sessions, device("b")),
        )  # fmt: skip
    with sessions.begin() as session:
        assert [c.resolved for c in session.query(Conflict).all()] == [True]
    assert b.open_conflicts() == () and b.sync_status().in_conflict == 0


def test_resolving_a_listed_conflict_leaves_a_newer_one_waiting(
    laptops: tuple, tmp_path: Path
) -> None:
    """Found by review: every «en conflicto» change of the record was settled, also one whose
    conflict the laptop had not received yet."""
    a, b, sync_a, sync_b, visit_id, sessions = laptops
    (first,) = b.open_conflicts()
    a.update_visit(visit_id, {"agenda": "Agenda de A"})
    b.update_visit(visit_id, {"agenda": "Agenda de B"})
    assert sync_a().complete
    with pytest.raises(Unreachable):  # B's push meets a conflict; the list never arrives
        runner.synchronize(
            b.database, SyncJournal.of_profile(b.database, tmp_path / "cut.jsonl"), lambda _s: None,
            link=lambda *_: CutOnPull(sessions, device("b")),
        )  # fmt: skip

    def envio() -> SendState | None:
        return next(v.send_state for v in b.list_visits() if v.id == visit_id)

    b.resolve_conflict(first.conflict_id, ConflictChoice.KEEP_CURRENT)
    assert envio() is SendState.CONFLICT  # the agenda's conflict still waits
    sync_b()
    (agenda,) = b.open_conflicts()
    assert (agenda.field, agenda.mine) == ("agenda", "Agenda de B")


def test_a_choice_field_takes_no_typed_value(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Found by review: a checklist answer offered «Escribir otro valor» and failed in English."""
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"), acta_series="E08")
    for db in (database, laptop_b):
        write_enrolment(db)

    def sync(db: Database, name: str) -> None:
        runner.synchronize(
            db, SyncJournal.of_profile(db, tmp_path / f"{name}.jsonl"), lambda _s: None,
            link=lambda *_: MemoryTransport(server, device(name)),
        )  # fmt: skip

    visit_id = a.start_visit(instancia(a))
    sync(database, "a")
    sync(laptop_b, "b")
    a.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    b.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.NO)})
    sync(database, "a")
    sync(laptop_b, "b")
    (shown,) = b.open_conflicts()
    assert shown.field == "answer" and shown.can_change and not shown.takes_text
