"""A sync cut at every step, then a clean one: every change takes effect exactly once."""

import dataclasses
import datetime as dt
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
from helpers.profiles import open_profile
from helpers.records import fields_for, instancia_of
from helpers.sync_world import (
    Ids,
    Laptop,
    Ledger,
    Server,
    converged_problems,
    live_server,
    make_laptop,
    named_receipts,
)
from sqlalchemy.orm import Session

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import Answer, DocumentType, ParticipantRole
from instancias_desktop.domain.forms import FormRef, ItemAnswer
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.domain.visit_inputs import AgreementInput, ParticipantInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.syncing.store import DatabaseStore
from sync.client import SyncEngine
from sync.errors import Unreachable
from sync.memory_store import MemoryStore
from sync.protocol import (
    ChangePage,
    ConflictList,
    KindDigest,
    Operation,
    Outcome,
    PushRequest,
    Receipt,
)
from sync.server.access import Caller, assign_territories, load_caller
from sync.transport_http import HttpTransport
from sync.transport_memory import MemoryTransport

FIELD_NAMES = frozenset(
    {"status", "objective", "entity_name", "person_name", "post", "acta_content", "acta_hash"}
)
WANCHAQ = "080108"


class Office:
    """One server, laptops on faulty links, and the model's ledger of what they did and saw."""

    def __init__(self, folder: Path) -> None:
        self.server = Server(folder)
        self.ids = Ids()
        self.ledger = Ledger(FIELD_NAMES)
        self.laptops: list[Laptop] = []

    def laptop(self, name: str, username: str, *, batch: int = 2, page: int = 3) -> Laptop:
        """A new laptop of ``username``."""
        made = make_laptop(
            self.server, name, username, self.ids, self.ledger.arrivals, batch=batch, page=page
        )
        self.laptops.append(made)
        return made

    def note(self) -> None:
        """Let the ledger see what every laptop shows now."""
        self.ledger.observe(self.laptops)

    def problems(self) -> list[str]:
        """Lost or doubled writes, changed receipts (the stateful model's invariant)."""
        self.ledger.observe(self.laptops)
        return self.ledger.problems(self.server.snapshot(), self.laptops)

    def converge(self) -> list[str]:
        """Every laptop syncs twice without faults; what still differs from the server."""
        for _round in range(2):
            for laptop in self.laptops:
                laptop.link.disarm()
                assert laptop.engine.sync().ok
        return converged_problems(self.server.snapshot(), self.laptops)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    made = Office(tmp_path / "server")
    yield made
    made.server.dispose()


@dataclasses.dataclass(frozen=True)
class FieldWork:
    """What the laptop recorded offline: eight operations over six records."""

    member: uuid.UUID
    visit: uuid.UUID
    participant: uuid.UUID
    operations: tuple[Operation, ...]

    EXPECTED_VERSIONS: ClassVar[dict[str, int]] = {"member": 3, "visit": 2, "participant": 1}

    def key(self, kind: str) -> tuple[str, uuid.UUID]:
        """The server key of one of the three records."""
        return kind, {"member": self.member, "visit": self.visit}.get(kind, self.participant)


def with_instancia(store: MemoryStore) -> Operation:
    """The create of Wanchaq's instancia (its id derives from its unit: the same everywhere)."""
    fields = fields_for("instancia", scope=WANCHAQ)
    return store.create("instancia", fields, WANCHAQ, record_id=instancia_of(WANCHAQ))


def record_field_work(store: MemoryStore, noted: Callable[[], None] = lambda: None) -> FieldWork:
    """A member created and edited twice, a visit with a participant, finalized.

    ``noted`` runs after each change (the ledger notes what the laptop showed before the next).
    """
    with_instancia(store)
    noted()
    fields = fields_for("member", scope=WANCHAQ, entity_name="CEM", person_name="1")
    member = store.create("member", fields, WANCHAQ)
    noted()
    store.update("member", member.record_id, {"person_name": "2"})
    noted()
    store.update("member", member.record_id, {"entity_name": "CEM Wanchaq"})
    noted()
    fields = fields_for("visit", scope=WANCHAQ, objective="Instalar", acta_number="W-001")
    visit = store.create("visit", fields, WANCHAQ)
    noted()
    fields = fields_for("person", scope=WANCHAQ, document_number="45678912", full_name="María")
    person = store.create("person", fields, WANCHAQ)
    noted()
    fields = fields_for(
        "participant", scope=WANCHAQ, parent=visit.record_id, person_id=str(person.record_id),
        role="presidencia", position=1,
    )  # fmt: skip
    participant = store.create("participant", fields, WANCHAQ, parent_id=visit.record_id)
    noted()
    store.finalize(visit.record_id)
    noted()
    return FieldWork(
        member.record_id,
        visit.record_id,
        participant.record_id,
        tuple(store.operations()),
    )


def others_work(store: MemoryStore, count: int = 5) -> list[uuid.UUID]:
    """Records another laptop pushed before: they make the pull run over several pages."""
    with_instancia(store)
    return [
        store.create(
            "member", fields_for("member", scope=WANCHAQ, person_name=f"Beto {n}"), WANCHAQ
        ).record_id
        for n in range(count)
    ]


def assert_exactly_once(office: Office, laptop: Laptop, work: FieldWork) -> None:
    """Each operation answered once, the same receipt on both sides, versions not doubled."""
    snapshot = office.server.snapshot()
    assert office.problems() == []
    for operation in work.operations:
        receipt = laptop.store.receipt(operation.op_id)
        assert receipt is not None
        assert receipt == snapshot.log[operation.op_id].receipt
        # The instancia's create meets the one another laptop sent first, if any.
        expected = (
            {Outcome.APPLIED, Outcome.MERGED}
            if operation.kind == "instancia"
            else {Outcome.APPLIED}
        )
        assert receipt.outcome in expected
    mine = {op.op_id for op in work.operations}
    assert len([op_id for op_id in snapshot.log if op_id in mine]) == len(mine)
    for kind, version in FieldWork.EXPECTED_VERSIONS.items():
        state = snapshot.records[work.key(kind)]
        assert (state.version, state.deleted) == (version, False)
        assert sorted(snapshot.versions[work.key(kind)]) == list(range(1, version + 1))
    member = snapshot.records[work.key("member")].fields
    assert (member["entity_name"], member["person_name"]) == ("CEM Wanchaq", "2")
    assert snapshot.records[work.key("visit")].fields["status"] == "finalizada"


# Calls of the cut sync: push ×4 (eight operations, batches of two), pull ×4 (ten records,
# pages of three), digest, conflicts.
CALLS = [*(f"push {n}" for n in range(1, 5)), *(f"pull {n}" for n in range(1, 5)), "digest",
         "conflicts"]  # fmt: skip


@pytest.mark.parametrize("mode", ["request", "response"])
@pytest.mark.parametrize("call", range(len(CALLS)), ids=CALLS)
def test_a_sync_cut_at_any_call_is_completed_exactly_once_by_the_next(
    office: Office, call: int, mode: str
) -> None:
    beto, ana = office.laptop("beto", "beto"), office.laptop("ana", "ana")
    others = others_work(beto.store)
    assert beto.engine.sync().ok
    work = record_field_work(ana.store, office.note)
    office.ledger.observe(office.laptops)

    ana.link.arm(call, mode)
    with pytest.raises(Unreachable):
        ana.engine.sync()
    assert [name for name, _request in ana.link.calls] == [c.split()[0] for c in CALLS[: call + 1]]
    assert office.problems() == []

    report = ana.engine.sync()
    assert report.ok
    assert_exactly_once(office, ana, work)
    for receipt in ana.link.lost_receipts:  # a replay got the answer that was lost, unchanged
        assert receipt.op_id is not None
        assert ana.store.receipt(receipt.op_id) == receipt
    assert {r.record_id for r in ana.store.records("member")} >= {*others, work.member}
    assert office.converge() == []


def test_a_lost_request_reaches_nothing_and_the_next_sync_sends_it_all(office: Office) -> None:
    """(i) The first push never arrives: the server holds nothing, the next sync sends all."""
    ana = office.laptop("ana", "ana")
    work = record_field_work(ana.store, office.note)
    ana.link.arm(0, "request")
    with pytest.raises(Unreachable):
        ana.engine.sync()
    before = office.server.snapshot()
    assert (before.log, before.records) == ({}, {})
    assert len(ana.store.pending(100)) == 8

    report = ana.engine.sync()
    assert (report.ok, report.sent, report.applied, report.rejected) == (True, 8, 8, ())
    assert_exactly_once(office, ana, work)


def test_a_lost_answer_is_replayed_with_the_original_receipts(office: Office) -> None:
    """(ii) The server committed the second batch but its answer was lost: the same two
    operations go again, identical, and get exactly the receipts the server first gave.
    """
    ana = office.laptop("ana", "ana")
    work = record_field_work(ana.store, office.note)
    ana.link.arm(1, "response")
    with pytest.raises(Unreachable):
        ana.engine.sync()
    (lost,) = ana.link.lost_answers
    first_pushes = ana.link.requests("push")
    committed = office.server.snapshot()
    assert set(committed.log) == {op.op_id for op in work.operations[:4]}  # both batches
    assert [ana.store.receipt(op.op_id) is None for op in work.operations] == [False] * 2 + [
        True
    ] * 6
    member_version = committed.records[work.key("member")].version

    report = ana.engine.sync()
    resent: PushRequest = ana.link.requests("push")[len(first_pushes)]
    assert resent.operations == first_pushes[1].operations  # the same ops, byte for byte
    assert [ana.store.receipt(op.op_id) for op in resent.operations] == named_receipts(
        first_pushes[1], lost
    )
    assert (report.sent, report.applied) == (6, 6)
    assert member_version == 3  # the second edit was in the lost batch: applied once only
    assert_exactly_once(office, ana, work)


def test_a_pull_cut_after_the_first_page_resumes_from_the_stored_cursor(office: Office) -> None:
    """(iii) The link dies after the first page: the next sync asks from that page's cursor."""
    beto, ana = office.laptop("beto", "beto"), office.laptop("ana", "ana", page=3)
    others = others_work(beto.store, count=8)
    assert beto.engine.sync().ok
    ana.link.arm(1, "request")  # ana has nothing to push: call 0 is page 1, call 1 page 2
    with pytest.raises(Unreachable):
        ana.engine.sync()
    first_page_cursor = ana.store.cursor()
    assert first_page_cursor > 0
    assert len(ana.store.records()) == 3

    report = ana.engine.sync()
    resumed = ana.link.requests("pull")[2]
    assert resumed.cursor == first_page_cursor
    assert (report.ok, report.received, report.digest_mismatches) == (True, 6, ())
    assert {r.record_id for r in ana.store.records()} == {*others, instancia_of(WANCHAQ)}
    assert converged_problems(office.server.snapshot(), [ana]) == []


class PowerCutError(RuntimeError):
    """The laptop lost power."""


class ExplodingRecords(tuple[Any, ...]):
    """A page's records that cut the power after ``survive`` of them were applied."""

    survive = 1

    def __iter__(self) -> Iterator[Any]:
        for number, record in enumerate(super().__iter__()):
            if number == self.survive:
                raise PowerCutError
            yield record


class DyingStore:
    """The laptop's MemoryStore, whose next page application dies halfway through."""

    def __init__(self, inner: MemoryStore) -> None:
        self.inner = inner
        self.armed = True

    def apply_page(self, page: ChangePage) -> None:
        """Apply the page, but lose power after its first record if armed."""
        if self.armed and len(page.records) > 1:
            self.armed = False
            page = page.model_copy(update={"records": ExplodingRecords(page.records)})
        self.inner.apply_page(page)

    def pending(self, limit: int) -> list[Operation]:
        return self.inner.pending(limit)

    def waiting(self) -> int:
        return self.inner.waiting()

    def mark_sent(self, op_ids: Sequence[uuid.UUID]) -> None:
        self.inner.mark_sent(op_ids)

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        self.inner.acknowledge(receipts)

    def cursor(self) -> int:
        return self.inner.cursor()

    def digests(self, kinds: Sequence[str]) -> dict[str, KindDigest]:
        return self.inner.digests(kinds)

    def forget_kind(self, kind: str) -> None:
        self.inner.forget_kind(kind)

    def record_conflicts(self, conflicts: ConflictList) -> None:
        self.inner.record_conflicts(conflicts)


def store_state(store: MemoryStore) -> tuple[Any, ...]:
    """Everything a page application may change, as plain values."""
    records = sorted(
        (r.kind, r.record_id, r.version, json.dumps(r.fields)) for r in store.records()
    )
    return store.cursor(), store.pages_applied, records, store.digests(())


def test_a_crash_while_applying_a_page_leaves_the_store_as_it_was(office: Office) -> None:
    """(iv) Power lost between applying a page's records and storing its cursor."""
    beto, ana = office.laptop("beto", "beto"), office.laptop("ana", "ana", page=4)
    others = others_work(beto.store, count=6)
    assert beto.engine.sync().ok
    ana.store.create("visit", fields_for("visit", scope=WANCHAQ), WANCHAQ)
    assert ana.engine.sync().ok  # ana holds all six at cursor c
    beto_edits = [beto.store.update("member", i, {"person_name": "8"}) for i in others]
    assert all(beto_edits)
    assert beto.engine.sync().ok
    before = store_state(ana.store)
    dying = DyingStore(ana.store)

    with pytest.raises(PowerCutError):
        SyncEngine(dying, ana.link, page=4).sync()
    assert store_state(ana.store) == before  # not one record, not the cursor

    report = SyncEngine(dying, ana.link, page=4).sync()
    assert (report.ok, report.received, report.digest_mismatches) == (True, 6, ())
    assert {r.fields["person_name"] for r in ana.store.records("member")} == {"8"}
    assert converged_problems(office.server.snapshot(), [ana, beto]) == []


# ----------------------------------------------------------- the same batch, five at once


@pytest.fixture
def live_url(office: Office) -> Iterator[str]:
    server = live_server(office.server.sessions)
    url = server.start()
    yield url
    server.stop()


def run_in_parallel(count: int, work: Any) -> list[Any]:
    """Run ``work(n)`` in ``count`` threads released together; answers in order."""
    barrier = threading.Barrier(count)
    answers: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=10)
            answers[number] = work(number)
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return answers


def test_five_laptops_replaying_one_batch_at_once_over_http_apply_it_once(
    office: Office, live_url: str
) -> None:
    """(v) Five devices of ana hold the same outbox (same ids, same clock) and sync at once."""
    stores = []
    for _ in range(5):
        ids = Ids()
        stores.append(MemoryStore("ana", clock=ids.clock, new_id=ids.new_id))
    works = [record_field_work(store) for store in stores]
    assert all(work.operations == works[0].operations for work in works)  # the same six ops
    tokens = [office.server.token("ana", f"Laptop {n}") for n in range(5)]
    links = [HttpTransport(live_url, token, retries=0) for token in tokens]
    try:
        reports = run_in_parallel(5, lambda n: SyncEngine(stores[n], links[n], batch=6).sync())
    finally:
        for link in links:
            link.close()

    assert all(report.ok and report.rejected == () for report in reports)
    snapshot = office.server.snapshot()
    work = works[0]
    assert set(snapshot.log) == {op.op_id for op in work.operations}
    receipts = [[store.receipt(op.op_id) for op in work.operations] for store in stores]
    assert all(each == receipts[0] for each in receipts)
    assert receipts[0] == [snapshot.log[op.op_id].receipt for op in work.operations]
    for kind, version in FieldWork.EXPECTED_VERSIONS.items():
        assert snapshot.records[work.key(kind)].version == version
    assert len(snapshot.records) == 5


def test_one_push_posted_five_times_at_once_gets_five_identical_answers(
    office: Office, live_url: str
) -> None:
    """(v) The raw request, five times in parallel with ``requests``: applied once."""
    store = MemoryStore("ana", clock=office.ids.clock, new_id=office.ids.new_id)
    work = record_field_work(store)
    body = PushRequest(operations=work.operations).model_dump_json()
    headers = {
        "Authorization": f"Bearer {office.server.token('ana')}",
        "Content-Type": "application/json",
    }

    def post(_number: int) -> tuple[int, Any]:
        answer = requests.post(f"{live_url}/v1/push", data=body, headers=headers, timeout=30)
        return answer.status_code, answer.json()

    answers = run_in_parallel(5, post)
    assert {status for status, _body in answers} == {200}
    assert all(answer == answers[0] for answer in answers)
    snapshot = office.server.snapshot()
    assert len(snapshot.log) == 8
    assert [r["outcome"] for r in answers[0][1]["receipts"]] == ["applied"] * 8
    assert snapshot.records[work.key("member")].version == 3


# ------------------------------------------------- end to end with the app's own database

FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)
IDC_V1 = FormRef("funcionamiento_idc", 1)
COMPLETE = {
    "start_time": dt.time(9),
    "end_time": dt.time(11),
    "objective": "Instalar",
    "agenda": "1",
    "development": "Ok",
}


@dataclasses.dataclass
class AppLaptop:
    """A real app profile: its database, services and sync engine."""

    database: Database
    services: AppServices
    store: DatabaseStore
    engine: SyncEngine


def signed_in(username: str) -> Callable[[Session], Caller]:
    """A MemoryTransport caller resolved in each request, with the territories assigned now."""
    return lambda session: load_caller(session, username)


@pytest.fixture
def app_laptops(
    _template_profile: Path, tmp_path: Path, office: Office
) -> Iterator[tuple[AppLaptop, AppLaptop]]:
    with office.server.sessions.begin() as session:
        assign_territories(session, "beto", ["0801"])  # both cover the province of Cusco
    opened = []
    for username, series in (("ana", "A01"), ("beto", "B01")):
        root = tmp_path / f"laptop-{username}"
        shutil.copytree(_template_profile, root)
        paths = ProfilePaths(root)
        base = open_profile(paths, Settings(author=username)).database
        database = Database(base.engine, actor=username, clock=lambda: FIXED)
        store = DatabaseStore(database)
        opened.append(
            AppLaptop(
                database,
                AppServices(database, paths, Settings(author=username, acta_series=series)),
                store,
                SyncEngine(store, MemoryTransport(office.server.sessions, signed_in(username))),
            )
        )
    yield opened[0], opened[1]
    for laptop in opened:
        laptop.database.engine.dispose()


def test_a_visit_recorded_on_one_app_laptop_arrives_whole_on_another(
    app_laptops: tuple[AppLaptop, AppLaptop],
) -> None:
    ana, beto = app_laptops
    wanchaq = instancia_id("MD080108")  # the same id on every laptop (registry seed)
    assert any(summary.id == wanchaq for summary in beto.services.list_instancias())
    visit_id = ana.services.start_visit(wanchaq)
    ana.services.update_visit(visit_id, COMPLETE)
    for dni, name, role in (
        ("45678912", "María Núñez Quispe", ParticipantRole.CHAIR),
        ("41234567", "José Huamán Ccori", ParticipantRole.MEMBER),
    ):
        ana.services.save_participant(
            visit_id,
            ParticipantInput(
                DocumentType.DNI, dni, name, "Municipalidad de Wanchaq", "Regidor", role, True
            ),
        )
    ana.services.save_agreement(
        visit_id,
        AgreementInput(
            "Aprobar el plan de trabajo", "Municipalidad", "Alcalde", dt.date(2026, 4, 30)
        ),
    )
    ana.services.save_checklist_answers(visit_id, IDC_V1, {"campanas": ItemAnswer(Answer.YES)})
    ana.services.finalize_visit(visit_id)

    sent = ana.engine.sync()
    assert (sent.ok, sent.rejected, sent.conflicts) == (True, (), 0)
    assert sent.sent > 0
    received = beto.engine.sync()
    assert (received.ok, received.rejected, received.digest_mismatches) == (True, (), ())

    mine, theirs = ana.services.visit_detail(visit_id), beto.services.visit_detail(visit_id)
    assert theirs.finalized
    assert [p.full_name for p in theirs.participants] == [p.full_name for p in mine.participants]
    assert len(theirs.participants) == 2
    assert [a.description for a in theirs.agreements] == ["Aprobar el plan de trabajo"]
    assert theirs.visit == mine.visit
    assert beto.services.checklist(visit_id) == ana.services.checklist(visit_id) is not None
    assert ana.store.digests(()) == beto.store.digests(())
    for laptop in (ana, beto):
        again = laptop.engine.sync()
        assert (again.ok, again.sent, again.received) == (True, 0, 0)
