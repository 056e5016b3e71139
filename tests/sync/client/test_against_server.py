"""The engine through both real transports against the real server (SQLite file).

The same tests run in-process (MemoryTransport over the service layer) and over HTTP
(HttpTransport against the FastAPI app served by uvicorn on 127.0.0.1, random port).
Skipped when the server package is not installed.
"""

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.records import fields_for, instancia_of, operation
from helpers.server_db import writing

pytest.importorskip("sync.server.service")
pytest.importorskip("uvicorn")

import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sync.client import SyncEngine, Transport
from sync.errors import NotAuthorized, ProtocolMismatch, Unreachable
from sync.memory_store import MemoryStore
from sync.protocol import LoginRequest, Outcome, PushRequest
from sync.server import auth, service
from sync.server.access import assign_territories, load_caller
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.store import Device
from sync.transport_http import HttpTransport
from sync.transport_memory import MemoryTransport

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
PASSWORD = "clave-de-prueba-123"
LIMA, CUSCO = "150101", "080101"


class Deployment:
    """A migrated server database with users, and transports to it of one kind."""

    def __init__(self, sessions: sessionmaker[Session], mode: str, url: str) -> None:
        self.sessions = sessions
        self.mode = mode
        self.url = url
        self.links: list[HttpTransport | MemoryTransport] = []

    def token(self, username: str) -> str:
        request = LoginRequest(username=username, password=PASSWORD, device_name="Laptop")
        with self.sessions.begin() as session:
            answer = auth.login(session, request, dt.datetime.now(dt.UTC))  # served live
        assert answer is not None
        return answer.token

    def link(self, token: str) -> HttpTransport | MemoryTransport:
        made: HttpTransport | MemoryTransport
        if self.mode == "http":
            made = HttpTransport(self.url, token, retries=0)
        else:
            made = MemoryTransport(self.sessions, token, clock=lambda: NOW)
        self.links.append(made)
        return made

    def device(self, username: str) -> tuple[MemoryStore, HttpTransport | MemoryTransport]:
        return MemoryStore(username), self.link(self.token(username))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine = create_server_engine(f"sqlite:///{tmp_path_factory.mktemp('server') / 'sync.db'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for username, role, territories in [
            ("ana", "especialista", ["15"]),
            ("beto", "especialista", ["15"]),
            ("carla", "especialista", ["08"]),
        ]:
            auth.create_user(session, username, role, PASSWORD, NOW)
            assign_territories(session, username, territories)
    with sessions.begin() as session:
        ana = load_caller(session, "ana")
    with sessions.begin() as session:  # the instancia the members belong to
        seed = PushRequest(operations=(operation("instancia", scope=LIMA),))
        service.push(session, ana, seed, NOW)
    yield sessions
    engine.dispose()


@pytest.fixture(scope="module")
def http_url(database: sessionmaker[Session]) -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(database), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    host, port = listener.getsockname()
    yield f"http://{host}:{port}"
    server.should_exit = True
    thread.join()
    listener.close()


@pytest.fixture(params=["memory", "http"])
def deployment(
    request: pytest.FixtureRequest, database: sessionmaker[Session], tmp_path: Path
) -> Iterator[Deployment]:
    url = request.getfixturevalue("http_url") if request.param == "http" else ""
    made = Deployment(database, request.param, url)
    yield made
    for link in made.links:
        link.close()


def member(**fields: Any) -> dict[str, Any]:
    return fields_for("member", scope=LIMA, **fields)


def test_two_devices_merge_conflict_and_converge(deployment: Deployment) -> None:
    ana, ana_link = deployment.device("ana")
    beto, beto_link = deployment.device("beto")
    record = ana.create("member", member(entity_name="X", person_name="1"), LIMA)
    ana.update("member", record.record_id, {"person_name": "2"})
    ana.update("member", record.record_id, {"person_name": "3"})  # chained, no self-conflict
    first = SyncEngine(ana, ana_link).sync()
    assert first.ok
    assert (first.applied, first.conflicts) == (3, 0)
    assert SyncEngine(beto, beto_link).sync().ok

    beto.update("member", record.record_id, {"entity_name": "Beto", "person_name": "4"})
    ana.update("member", record.record_id, {"entity_name": "Ana"})
    assert SyncEngine(beto, beto_link).sync().ok
    report = SyncEngine(ana, ana_link).sync()
    assert SyncEngine(beto, beto_link).sync().ok

    assert report.ok
    assert report.conflicts == 1
    assert any(c.record_id == record.record_id for c in report.open_conflicts)
    shown = ana.get("member", record.record_id)
    assert shown == beto.get("member", record.record_id)
    assert shown is not None
    assert (shown.fields["entity_name"], shown.fields["person_name"]) == ("Beto", "4")
    assert ana.digests(()) == beto.digests(())


def test_out_of_scope_and_finalized_are_rejected_with_reasons(deployment: Deployment) -> None:
    ana, ana_link = deployment.device("ana")
    outside = ana.create(
        "instancia", fields_for("instancia", scope=CUSCO), CUSCO, record_id=instancia_of(CUSCO)
    )
    visit = ana.create("visit", fields_for("visit", scope=LIMA), LIMA)
    first = SyncEngine(ana, ana_link).sync()
    assert first.ok
    assert [(r.record_id, "fuera de su ámbito" in r.reason) for r in first.rejected] == [
        (outside.record_id, True)
    ]
    assert ana.get("instancia", outside.record_id) is None
    ana_again = MemoryStore("ana")
    second_link = deployment.link(deployment.token("ana"))
    assert SyncEngine(ana_again, second_link).sync().ok
    ana.finalize(visit.record_id)
    ana_again.update("visit", visit.record_id, {"objective": "otro"})
    assert SyncEngine(ana, ana_link).sync().ok

    report = SyncEngine(ana_again, second_link).sync()

    assert report.ok
    assert len(report.rejected) == 1
    assert "adenda" in report.rejected[0].reason
    shown = ana_again.get("visit", visit.record_id)
    assert shown is not None
    assert shown.fields["status"] == "finalizada"


class LosingLink:
    """Delivers every request, loses the answer of the n-th call."""

    def __init__(self, inner: Transport, lose: set[int]) -> None:
        self.inner = inner
        self.lose = lose
        self.number = 0

    def _pass(self, call: Callable[[], Any]) -> Any:
        answer = call()
        self.number += 1
        if self.number - 1 in self.lose:
            raise Unreachable()
        return answer

    def push(self, request: Any, waiting: int | None = None) -> Any:
        return self._pass(lambda: self.inner.push(request, waiting))

    def pull(self, request: Any) -> Any:
        return self._pass(lambda: self.inner.pull(request))

    def digest(self, request: Any) -> Any:
        return self._pass(lambda: self.inner.digest(request))

    def conflicts(self) -> Any:
        return self._pass(self.inner.conflicts)


def test_a_lost_push_answer_is_replayed_without_duplicates(deployment: Deployment) -> None:
    ana, ana_link = deployment.device("ana")
    created = [ana.create("member", member(), LIMA) for _ in range(5)]
    losing = LosingLink(ana_link, {1})
    with pytest.raises(Unreachable):
        SyncEngine(ana, losing, batch=2).sync()
    report = SyncEngine(ana, losing, batch=2).sync()
    assert report.ok
    assert report.sent == 3
    assert all(ana.receipt(op.op_id).outcome is Outcome.APPLIED for op in created)  # type: ignore[union-attr]
    fresh = MemoryStore("ana")
    assert SyncEngine(fresh, ana_link).sync().ok
    mine = {op.record_id for op in created}
    assert {r.record_id for r in fresh.records("member")} >= mine
    assert {r.version for r in fresh.records("member") if r.record_id in mine} == {1}


def test_a_revoked_device_and_another_protocol_are_refused(deployment: Deployment) -> None:
    ana, link = deployment.device("ana")
    with pytest.raises(ProtocolMismatch, match="actualice la aplicación"):
        link.push(PushRequest(protocol=1, operations=()))
    with writing(deployment.sessions) as session:
        devices = auth.list_devices(session, "ana")
        for device in devices:
            auth.revoke_device(session, device.id, NOW)
    ana.create("member", member(), LIMA)
    with pytest.raises(NotAuthorized):
        SyncEngine(ana, link).sync()
    assert len(ana.pending(10)) == 1


def test_each_push_tells_the_server_what_its_outbox_still_holds(deployment: Deployment) -> None:
    token = deployment.token("ana")
    ana, link = MemoryStore("ana"), deployment.link(token)

    def said() -> tuple[int | None, bool]:
        with deployment.sessions.begin() as session:
            device = session.scalars(
                select(Device).where(Device.token_hash == auth.token_digest(token))
            ).one()
            return device.outbox_waiting, device.outbox_reported_at is not None

    assert said() == (None, False)  # nothing said yet: the dashboard shows «—»
    for _ in range(5):
        ana.create("member", member(), LIMA)
    with pytest.raises(Unreachable):  # 2 sent (3 left), 2 more sent, then the answer is lost
        SyncEngine(ana, LosingLink(link, {1}), batch=2).sync()
    assert said() == (1, True)
    SyncEngine(ana, link, batch=2).sync()
    assert said() == (0, True)
