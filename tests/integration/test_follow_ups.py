"""Agreement follow-up on real SQLite: appended in later visits, state derived, synced to others."""

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.acta_fixtures import assert_in_order, page_texts, write_pdf
from helpers.app import (
    COMPLETE,
    FIXED,
    TODAY,
    WANCHAQ,
    at,
    instancia,
    person,
    rows,
    services_at,
)
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.finalization import FinalizedVisitError
from instancias_desktop.domain.follow_ups import FollowUpInput
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine
from sync.server.access import Caller, Role
from sync.server.store import Record
from sync.transport_memory import MemoryTransport

LATER = FIXED + dt.timedelta(days=40)  # 19/04/2026 in Peru
LATER_DAY = dt.date(2026, 4, 19)


def agreed_visit(services: AppServices, deadlines: tuple[dt.date, ...]) -> uuid.UUID:
    """A finalized acta of Wanchaq with one agreement per deadline."""
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    for n, deadline in enumerate(deadlines, 1):
        services.save_agreement(
            visit_id, AgreementInput(f"Acuerdo {n}", "Municipalidad de Wanchaq", "", deadline)
        )
    services.finalize_visit(visit_id)
    return visit_id


@pytest.fixture
def first_and_later(
    database: Database, profile_paths: ProfilePaths
) -> Iterator[tuple[AppServices, AppServices]]:
    yield services_at(database, profile_paths), services_at(database, profile_paths, LATER)


def test_a_later_visit_lists_open_agreements_and_records_progress_without_retyping(
    first_and_later: tuple[AppServices, AppServices], database: Database
) -> None:
    first, later = first_and_later
    earlier = agreed_visit(first, (dt.date(2026, 3, 31), dt.date(2026, 6, 30), TODAY))
    follow_visit = later.start_visit(instancia(later))
    due = later.agreements_to_follow(follow_visit)
    assert [(a.number, a.state, a.deadline) for a in due] == [
        (1, AgreementState.OVERDUE, dt.date(2026, 3, 31)),
        (2, AgreementState.PENDING, dt.date(2026, 6, 30)),
        (3, AgreementState.OVERDUE, TODAY),
    ]
    one, _two, three = (a.id for a in due)
    done = FollowUpInput(LATER_DAY, AgreementState.FULFILLED, evidence="Ordenanza 005-2026")
    later.record_follow_up(one, done, follow_visit)
    later.record_follow_up(
        three,
        FollowUpInput(
            LATER_DAY, AgreementState.RESCHEDULED, dt.date(2026, 5, 31), note="Sin quórum"
        ),
        follow_visit,
    )
    lines = {a.number: a for a in later.agreements_to_follow(follow_visit)}
    # a «cumplido» recorded in this visit stays listed, with its history
    assert (lines[1].state, lines[1].history[0].evidence) == (
        AgreementState.FULFILLED,
        "Ordenanza 005-2026",
    )
    assert lines[1].history[0].acta_number == later.visit_detail(follow_visit).visit.acta_number
    assert (lines[3].state, lines[3].deadline, lines[3].agreed_deadline) == (
        AgreementState.RESCHEDULED, dt.date(2026, 5, 31), TODAY,
    )  # fmt: skip
    assert lines[2].history == ()
    # the agreement's own row is untouched: the acta stays as it was signed
    assert rows(database, "SELECT state, deadline FROM agreement WHERE id = :i", i=three.hex) == [
        ("pendiente", "2026-03-10")
    ]
    # another later visit no longer lists the fulfilled one
    again = later.start_visit(instancia(later))
    assert [a.number for a in later.agreements_to_follow(again)] == [2, 3]
    every = {a.number: a.state for a in later.agreement_lines() if a.visit_id == earlier}
    assert every == {
        1: AgreementState.FULFILLED,
        2: AgreementState.PENDING,
        3: AgreementState.RESCHEDULED,
    }


def test_the_latest_follow_up_decides_and_a_passed_new_deadline_is_overdue(
    first_and_later: tuple[AppServices, AppServices],
    database: Database,
    profile_paths: ProfilePaths,
) -> None:
    first, later = first_and_later
    agreed_visit(first, (dt.date(2026, 3, 20),))
    (line,) = later.agreement_lines()
    moved = FollowUpInput(dt.date(2026, 3, 15), AgreementState.RESCHEDULED, dt.date(2026, 4, 1))
    later.record_follow_up(line.id, moved)
    later.record_follow_up(line.id, FollowUpInput(dt.date(2026, 3, 12), AgreementState.IN_PROGRESS))
    (line,) = later.agreement_lines()  # the 15/03 follow-up is the latest by its date
    assert (line.state, line.deadline) == (AgreementState.OVERDUE, dt.date(2026, 4, 1))
    assert [f.recorded_on.day for f in line.history] == [15, 12]
    back_then = services_at(database, profile_paths, FIXED + dt.timedelta(days=21))  # 31/03
    (line,) = back_then.agreement_lines()
    assert line.state is AgreementState.RESCHEDULED


def test_bad_follow_ups_say_what_to_fix_and_write_nothing(
    first_and_later: tuple[AppServices, AppServices], database: Database
) -> None:
    first, later = first_and_later
    agreed_visit(first, (dt.date(2026, 6, 30),))
    (line,) = later.agreement_lines()
    cases = {
        FollowUpInput(dt.date(2026, 4, 20), AgreementState.FULFILLED): (
            "recorded_on",
            "La fecha del seguimiento (20/04/2026) no puede ser posterior a hoy (19/04/2026).",
        ),
        FollowUpInput(dt.date(2026, 3, 9), AgreementState.IN_PROGRESS): (
            "recorded_on",
            "La fecha del seguimiento (09/03/2026) no puede ser anterior a la visita en que se "
            "acordó (10/03/2026).",
        ),
        FollowUpInput(LATER_DAY, AgreementState.RESCHEDULED): (
            "new_deadline", "Indique el nuevo plazo del acuerdo reprogramado.",
        ),
        FollowUpInput(LATER_DAY, AgreementState.RESCHEDULED, LATER_DAY): (
            "new_deadline",
            "El nuevo plazo (19/04/2026) debe ser posterior a la fecha del seguimiento.",
        ),
        FollowUpInput(LATER_DAY, AgreementState.FULFILLED, dt.date(2026, 7, 1)): (
            "new_deadline", "Solo un acuerdo «Reprogramado» cambia de plazo; deje el campo vacío.",
        ),
        FollowUpInput(LATER_DAY, AgreementState.OVERDUE): (
            "state", "«Vencido» se calcula con el plazo; elija otro estado.",
        ),
    }  # fmt: skip
    for data, (field, message) in cases.items():
        with pytest.raises(ValidationError) as raised:
            later.record_follow_up(line.id, data)
        assert raised.value.for_field(field) == (message,)
    assert rows(database, "SELECT count(*) FROM agreement_follow_up") == [(0,)]


def test_progress_is_recorded_only_in_a_draft_visit_to_the_same_instancia(
    first_and_later: tuple[AppServices, AppServices], database: Database
) -> None:
    first, later = first_and_later
    agreed_visit(first, (dt.date(2026, 6, 30),))
    (line,) = later.agreement_lines()
    elsewhere = later.start_visit(instancia(later, "0801"))  # the IPC of Cusco, another instancia
    with pytest.raises(LookupError):
        later.record_follow_up(
            line.id, FollowUpInput(LATER_DAY, AgreementState.FULFILLED), elsewhere
        )
    closed = agreed_visit(later, ())
    with pytest.raises(FinalizedVisitError):
        later.record_follow_up(line.id, FollowUpInput(LATER_DAY, AgreementState.FULFILLED), closed)
    assert rows(database, "SELECT count(*) FROM agreement_follow_up") == [(0,)]


def colleague(territory: str = "08") -> Caller:
    return Caller(
        "colega.cusco", Role.ESPECIALISTA, territories=(territory,),
        device_id=uuid.uuid5(uuid.NAMESPACE_URL, "colega"),
    )  # fmt: skip


def test_a_colleague_of_the_territory_follows_up_a_finalized_acta_and_both_laptops_agree(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    mine = services_at(database, profile_paths)
    agreed_visit(mine, (dt.date(2026, 3, 31),))
    owner = Caller(
        "especialista.prueba", Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid4()
    )
    sync_mine = SyncEngine(DatabaseStore(mine.database), MemoryTransport(server, owner))
    assert sync_mine.sync().rejected == ()
    theirs = services_at(
        at(laptop_b, LATER, "colega.cusco"), ProfilePaths(tmp_path / "laptop-b"), LATER
    )
    sync_theirs = SyncEngine(DatabaseStore(theirs.database), MemoryTransport(server, colleague()))
    assert sync_theirs.sync().rejected == ()
    (line,) = theirs.agreement_lines()
    assert line.state is AgreementState.OVERDUE
    theirs.record_follow_up(
        line.id, FollowUpInput(LATER_DAY, AgreementState.FULFILLED, evidence="Acta de sesión")
    )
    report = sync_theirs.sync()
    assert (report.rejected, report.unacknowledged) == ((), 0)
    with server.begin() as session:
        (stored,) = session.query(Record).filter_by(kind="agreement_follow_up").all()
        assert (stored.scope, stored.owner, stored.parent_id) == (WANCHAQ, "colega.cusco", None)
    assert sync_mine.sync().rejected == ()
    later_mine = services_at(database, profile_paths, LATER)
    (line,) = later_mine.agreement_lines()
    assert (line.state, line.history[0].author) == (AgreementState.FULFILLED, "colega.cusco")


def test_a_specialist_of_another_territory_cannot_follow_it_up(
    database: Database,
    profile_paths: ProfilePaths,
    server: sessionmaker[Session],
) -> None:
    mine = services_at(database, profile_paths)
    agreed_visit(mine, (dt.date(2026, 3, 31),))
    (line,) = mine.agreement_lines()
    mine.record_follow_up(line.id, FollowUpInput(TODAY, AgreementState.IN_PROGRESS))
    outsider = Caller(
        "especialista.prueba", Role.ESPECIALISTA, territories=("15",), device_id=uuid.uuid4()
    )
    report = SyncEngine(DatabaseStore(mine.database), MemoryTransport(server, outsider)).sync()
    reasons = {r.kind: r.reason for r in report.rejected}
    assert "fuera de su ámbito (ubigeo 080108)" in reasons["instancia"]
    # the follow-up names an agreement the server refused with its visit: refused too, saying so
    assert (
        "«acuerdo» nombra un registro que no está en el servidor" in reasons["agreement_follow_up"]
    )


def test_the_acta_of_the_later_visit_prints_the_follow_ups_and_its_code_holds(
    first_and_later: tuple[AppServices, AppServices], tmp_path: Path
) -> None:
    first, later = first_and_later
    earlier = agreed_visit(first, (dt.date(2026, 3, 31), dt.date(2026, 6, 30)))
    untouched = first.acta_document(earlier)
    follow_visit = later.start_visit(instancia(later))
    one, two = (a.id for a in later.agreements_to_follow(follow_visit))
    done = FollowUpInput(LATER_DAY, AgreementState.FULFILLED, evidence="Oficio 12")
    later.record_follow_up(one, done, follow_visit)
    moved = FollowUpInput(
        LATER_DAY, AgreementState.RESCHEDULED, dt.date(2026, 8, 31), note="Sin quórum"
    )
    later.record_follow_up(two, moved, follow_visit)
    later.update_visit(follow_visit, COMPLETE)
    later.save_participant(follow_visit, person())
    later.finalize_visit(follow_visit)
    document = later.acta_document(follow_visit)
    text = " ".join(" ".join(page_texts(write_pdf(document.pdf, tmp_path, "seguimiento"))).split())
    acta = later.visit_detail(earlier).visit.acta_number
    assert "Seguimiento de acuerdos de actas anteriores" in text
    table = text[text.index("Seguimiento de acuerdos de actas anteriores") :]
    assert_in_order(table, ["N° 1 del acta N°", "Cumplido", "19/04/2026", "Oficio 12"])
    second = table[table.index("N° 2 del acta N°") :]
    assert_in_order(second, ["N° 2 del acta N°", "Reprogramado", "19/04/2026", "Sin quórum"])
    assert acta.split(" ", 1)[1] in table  # the earlier acta, named in the rows
    assert_in_order(second, ["Reprogramado", "hasta el", "31/08/2026"])  # its new deadline
    check = later.verify_acta_code(document.code)
    assert check.valid and check.visit_id == follow_visit  # the code covers the follow-ups
    # the earlier acta prints as it was signed: its agreements' later progress is not in it
    again = first.acta_document(earlier)
    assert again.code == untouched.code and later.verify_acta_code(again.code).valid
    assert "Seguimiento de acuerdos" not in " ".join(
        page_texts(write_pdf(again.pdf, tmp_path, "a"))
    )


def test_a_deleted_draft_takes_its_follow_ups_along_and_the_acta_tab_shows_the_state(
    first_and_later: tuple[AppServices, AppServices],
    database: Database,
    profile_paths: ProfilePaths,
) -> None:
    first, later = first_and_later
    earlier = agreed_visit(first, (dt.date(2026, 3, 31),))
    (line,) = later.agreement_lines()
    kept = later.start_visit(instancia(later))
    discarded = later.start_visit(instancia(later))
    moved = FollowUpInput(LATER_DAY, AgreementState.RESCHEDULED, dt.date(2026, 7, 31))
    later.record_follow_up(line.id, moved, kept)
    done = FollowUpInput(LATER_DAY, AgreementState.FULFILLED, evidence="Oficio")
    minutes_later = services_at(database, profile_paths, LATER + dt.timedelta(minutes=5))
    minutes_later.record_follow_up(line.id, done, discarded)
    (line,) = later.agreement_lines()
    assert line.state is AgreementState.FULFILLED
    later.delete_draft(discarded)
    (line,) = later.agreement_lines()
    assert (line.state, line.deadline, len(line.history)) == (
        AgreementState.RESCHEDULED, dt.date(2026, 7, 31), 1,
    )  # fmt: skip
    # the earlier acta's own tab and the instancia page show where the agreement stands now
    (shown,) = later.visit_detail(earlier).agreements
    assert (shown.state, shown.deadline, shown.stored_state) == (
        AgreementState.RESCHEDULED, dt.date(2026, 7, 31), AgreementState.PENDING,
    )  # fmt: skip
    (on_page,) = later.instancia_detail(instancia(later)).agreements
    assert on_page.state is AgreementState.RESCHEDULED
    assert rows(database, "SELECT deleted FROM agreement_follow_up ORDER BY deleted") == [
        (0,), (1,),
    ]  # fmt: skip
