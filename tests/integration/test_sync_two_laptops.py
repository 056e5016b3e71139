"""Two laptops of one specialist work on one draft offline: nothing is lost, none gets stuck."""

import datetime as dt
import uuid
from pathlib import Path

from helpers.app import at, instancia, person, services_at
from helpers.form_versions import following, latest
from helpers.laptops import device
from helpers.server_pages import LATER, page, record
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.models import ChecklistRow, VisitRow
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import Answer
from instancias_desktop.domain.forms import ItemAnswer, answer_id, checklist_id
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import actas
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine
from sync.protocol import Outcome, Receipt
from sync.server.access import Caller, Role
from sync.server.store import Conflict, Record
from sync.transport_memory import MemoryTransport

IDC_V1 = latest("funcionamiento_idc")  # the version a new draft gets


def test_the_same_item_answered_on_two_laptops_meets_as_one_answer_with_a_conflict(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"))
    sync_a = SyncEngine(DatabaseStore(a.database), MemoryTransport(server, device("a")))
    sync_b = SyncEngine(DatabaseStore(b.database), MemoryTransport(server, device("b")))
    visit_id = a.start_visit(instancia(a))
    assert sync_a.sync().rejected == ()
    assert sync_b.sync().rejected == ()  # laptop B has the draft too
    a.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    b.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.NO)})
    assert sync_a.sync().rejected == ()
    report = sync_b.sync()  # before: a UNIQUE constraint failure on every later sync of B
    assert report.rejected == () and report.unacknowledged == 0
    assert sync_b.sync().rejected == ()  # and B keeps syncing
    with server.begin() as session:
        answers = session.query(Record).filter_by(kind="checklist_response").all()
        conflicts = session.query(Conflict).filter_by(kind="checklist_response").all()
        assert [r.record_id for r in answers] == [answer_id(visit_id, "campanas")]
        assert answers[0].fields["answer"] == "si"  # the first to arrive is kept…
        assert [(c.field, c.other_value) for c in conflicts] == [("answer", "no")]  # …B's too
        assert session.query(Record).filter_by(kind="checklist").count() == 1
    seen_by_b = b.checklist(visit_id)
    assert seen_by_b is not None and seen_by_b.answers["campanas"].answer is Answer.YES


def test_a_pulled_record_referring_to_something_missing_waits_and_leaves_the_local_row(
    database: Database, profile_paths: ProfilePaths
) -> None:
    services = services_at(database, profile_paths)
    visit_id = services.start_visit(instancia(services))
    services.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    store = DatabaseStore(at(database, LATER))
    store.acknowledge(
        [Receipt(op_id=o.op_id, outcome=Outcome.APPLIED, version=1) for o in store.pending(100)]
    )
    # another laptop, with a newer app, moved the draft's checklist to a version not here
    missing = following("funcionamiento_idc").version
    fields = {"visit_id": str(visit_id), "form_id": "funcionamiento_idc", "form_version": missing,
              "deleted": False}  # fmt: skip
    pulled = record("checklist", checklist_id(visit_id), fields, 10, version=2)
    store.apply_page(page(pulled, cursor=10))
    with database.reader() as uow:
        rows = uow.session.query(ChecklistRow).filter_by(visit_id=visit_id).all()
        assert [(r.id, r.form_version, r.version) for r in rows] == [
            (checklist_id(visit_id), IDC_V1.version, 1)  # untouched, waiting for that version
        ]
    assert store.cursor() == 10
    view = services.checklist(visit_id)
    assert view is not None and view.pinned and set(view.answers) == {"campanas"}


def test_one_person_recorded_on_two_laptops_is_one_person_everywhere(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Two specialists record the same regidora (same DNI) offline: after syncing, both
    laptops find one person, and both actas keep their participant."""
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"), acta_series="E08")
    ana = Caller("ana", Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid4())
    beto = Caller("beto", Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid4())
    sync_a = SyncEngine(DatabaseStore(a.database), MemoryTransport(server, ana))
    sync_b = SyncEngine(DatabaseStore(b.database), MemoryTransport(server, beto))
    visit_a, visit_b = a.start_visit(instancia(a)), b.start_visit(instancia(b))
    a.save_participant(visit_a, person(name="María Núñez Quispe"))
    b.save_participant(visit_b, person(name="Maria Nuñez Q."))
    assert sync_a.sync().ok
    report = sync_b.sync()
    # the person became an alias of A's (and the instancia's create met A's)
    assert report.ok and report.merged == 2
    assert sync_a.sync().ok
    for services in (a, b):
        (found,) = services.find_persons("45678912")
        assert found.full_name == "María Núñez Quispe"  # the first one recorded
    assert [p.full_name for p in b.visit_detail(visit_b).participants] == ["Maria Nuñez Q."]
    assert [p.full_name for p in a.visit_detail(visit_a).participants] == ["María Núñez Quispe"]
    with server.begin() as session:
        people = session.query(Record).filter_by(kind="person").all()
        assert sorted(str(p.fields["alias_of"]) for p in people) == sorted(["None", str(found.id)])


def test_an_acta_number_held_by_another_local_visit_waits_and_syncing_goes_on(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Two laptops given the same acta series number their first actas alike. Before, the
    second laptop's pulls failed on the unique acta number at every sync from then on; then
    the server kept both actas with one number. Now the server refuses the second, saying
    why, and the laptop goes on syncing."""
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"))  # the same series, E07
    sync_a = SyncEngine(DatabaseStore(a.database), MemoryTransport(server, device("a")))
    store_b = DatabaseStore(b.database)
    sync_b = SyncEngine(store_b, MemoryTransport(server, device("b")))
    visit_a, visit_b = a.start_visit(instancia(a)), b.start_visit(instancia(b))
    assert a.visit_detail(visit_a).visit.acta_number == b.visit_detail(visit_b).visit.acta_number
    assert sync_a.sync().ok
    report = sync_b.sync()
    (refused,) = report.rejected  # B's acta: its number is A's on the server
    assert refused.record_id == visit_b
    assert "ya pertenece a otro registro" in refused.reason
    # A's waits, parked and reported, not applied over B's; it counts as received, so the
    # visits are not pulled again at every sync
    (parked,) = store_b.parked()
    assert parked.record.record_id == visit_a and "mismo valor único" in parked.reason
    assert report.unresolved == ()
    b.update_visit(visit_b, {"objective": "Instalar la instancia"})
    assert sync_b.sync().sent == 1  # B goes on syncing
    with laptop_b.reader() as uow:  # A's acta is not on B; B's own is untouched
        rows = uow.session.query(VisitRow.id, VisitRow.objective).all()
        assert rows == [(visit_b, "Instalar la instancia")]


def test_agreements_renumbered_on_one_laptop_arrive_whole_on_the_other(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"), acta_series="E08")
    sync_a = SyncEngine(DatabaseStore(a.database), MemoryTransport(server, device("a")))
    sync_b = SyncEngine(DatabaseStore(b.database), MemoryTransport(server, device("b")))
    visit_id = a.start_visit(instancia(a))
    due = dt.date(2026, 4, 30)
    first, second, third = (
        a.save_agreement(visit_id, AgreementInput(text, "Municipalidad", "", due))
        for text in ("Aprobar el plan", "Instalar la instancia", "Remitir el acta")
    )
    assert sync_a.sync().ok and sync_b.sync().ok
    a.remove_agreement(first)  # the others move up: «Instalar» is now 1, «Remitir» 2
    assert sync_a.sync().ok
    assert sync_b.sync().ok
    shown = [(g.number, g.description) for g in b.visit_detail(visit_id).agreements]
    assert shown == [(1, "Instalar la instancia"), (2, "Remitir el acta")]
    assert {second, third} == {g.id for g in b.visit_detail(visit_id).agreements}


def test_two_laptops_adding_agreement_3_offline_keep_both_numbered_alike(
    database: Database,
    profile_paths: ProfilePaths,
    laptop_b: Database,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Found by a session: both numbered 3, the server kept both, each laptop parked the other's
    forever and re-pulled agreements at every sync. Now both survive, numbered 3 and 4 the same
    way on both laptops and in the acta, and the next syncs have nothing to do."""
    a = services_at(database, profile_paths)
    b = services_at(laptop_b, ProfilePaths(tmp_path / "laptop-b"), acta_series="E08")
    store_a, store_b = DatabaseStore(a.database), DatabaseStore(b.database)
    sync_a = SyncEngine(store_a, MemoryTransport(server, device("a")))
    sync_b = SyncEngine(store_b, MemoryTransport(server, device("b")))
    visit_id = a.start_visit(instancia(a))
    due = dt.date(2026, 4, 30)
    for text in ("Aprobar el plan", "Instalar la instancia"):
        a.save_agreement(visit_id, AgreementInput(text, "Municipalidad", "", due))
    assert sync_a.sync().ok and sync_b.sync().ok
    a.save_agreement(visit_id, AgreementInput("Remitir el acta", "Municipalidad", "", due))
    b.save_agreement(visit_id, AgreementInput("Convocar a sesión", "Municipalidad", "", due))
    reports = [sync_a.sync(), sync_b.sync(), sync_a.sync()]
    assert all(r.ok and r.rejected == () for r in reports)
    shown_a = [(g.number, g.description) for g in a.visit_detail(visit_id).agreements]
    shown_b = [(g.number, g.description) for g in b.visit_detail(visit_id).agreements]
    assert shown_a == shown_b
    assert [n for n, _text in shown_a] == [1, 2, 3, 4]
    assert {text for _n, text in shown_a[2:]} == {"Remitir el acta", "Convocar a sesión"}
    for services in (a, b):  # the acta prints them so too
        record, _code = actas.acta_record(services.database, services.definitions, visit_id)
        assert [(g.number, g.description) for g in record.agreements] == shown_a
    for engine in (sync_a, sync_b):
        again = engine.sync()
        assert (again.sent, again.received, again.digest_mismatches) == (0, 0, ())
    for store in (store_a, store_b):
        assert store.parked() == []
