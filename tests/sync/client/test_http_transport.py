"""HttpTransport against a real local HTTP server: gzip, token, retries, backoff, error mapping."""

import gzip
import json
import random
import socket
import uuid
from collections.abc import Callable, Iterator

import pytest
from helpers.http_fixture import Reply, ScriptedServer, Seen, scripted_server
from helpers.sync_fakes import NOW, FakeServer

from sync.client import SyncEngine
from sync.errors import (
    NotAuthorized,
    ProtocolMismatch,
    Refused,
    ServerFailure,
    SyncError,
    Unreachable,
)
from sync.memory_store import MemoryStore
from sync.protocol import (
    Action,
    ChangePage,
    ConflictList,
    DigestRequest,
    LoginResponse,
    Operation,
    Outcome,
    PullRequest,
    PushRequest,
    PushResponse,
    Receipt,
    UserInfo,
)
from sync.transport_http import HttpTransport

TOKEN = "t0k3n"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def transport(
    url: str,
    sleeps: Sleeps,
    *,
    retries: int = 3,
    backoff: float = 0.5,
    jitter: random.Random | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
) -> HttpTransport:
    return HttpTransport(
        url,
        TOKEN,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        jitter=jitter or random.Random(7),
        sleep=sleeps,
    )


def operation() -> Operation:
    return Operation(
        op_id=uuid.uuid4(),
        kind="instancia",
        record_id=uuid.uuid4(),
        action=Action.CREATE,
        fields={"name": "Instancia Provincial de Huánuco — «ñandú»"},
        scope="1001",
        made_at=NOW,
    )


def test_push_gzips_the_body_and_reads_a_gzipped_answer(server: ScriptedServer) -> None:
    op = operation()
    answer = PushResponse(receipts=(Receipt(op_id=op.op_id, outcome=Outcome.APPLIED, version=1),))
    server.script(Reply(200, answer))

    with transport(server.url, Sleeps()) as link:
        response = link.push(PushRequest(operations=(op,)))

    assert response == answer
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/v1/push")
    assert seen.headers["Content-Encoding"] == "gzip"
    assert seen.headers["Accept-Encoding"] == "gzip"
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert gzip.decompress(seen.raw) == seen.body
    assert PushRequest.model_validate_json(seen.body) == PushRequest(operations=(op,))
    sent = json.loads(seen.body)["operations"][0]  # nulls are defaults: not sent
    assert "base_version" not in sent and "parent_id" not in sent


def test_made_at_travels_in_whole_seconds() -> None:
    """The author's clock is shown to people: seconds are enough, and consecutive operations
    then share the text (it compresses)."""
    made = operation().model_copy(update={"made_at": NOW.replace(microsecond=987654)})
    again = Operation.model_validate_json(made.model_dump_json())
    assert again.made_at == NOW.replace(microsecond=0)
    assert Operation.model_validate(made.model_dump()).model_dump_json().count(".987") == 0


def test_login_sets_the_token_used_afterwards(server: ScriptedServer) -> None:
    user = UserInfo(username="ana", role="especialista", territories=("10",))
    login = LoginResponse(token="nuevo", device_id=uuid.uuid4(), user=user)
    server.script(Reply(200, login), Reply(200, ConflictList(conflicts=())))

    with HttpTransport(server.url, sleep=Sleeps()) as link:
        assert link.login("ana", "secreta", "Laptop 1") == login
        assert link.token == "nuevo"
        assert link.conflicts() == ConflictList(conflicts=())

    first, second = server.seen
    assert "Authorization" not in first.headers
    assert first.json() == {
        "protocol": 2,
        "username": "ana",
        "password": "secreta",
        "device_name": "Laptop 1",
    }
    assert (second.method, second.path, second.raw) == ("GET", "/v1/conflicts", b"")
    assert second.headers["Authorization"] == "Bearer nuevo"


def test_retries_502_503_504_with_exponential_backoff_and_bounded_jitter(
    server: ScriptedServer,
) -> None:
    page = ChangePage(records=(), next_cursor=0, has_more=False)
    server.script(Reply(503), Reply(502), Reply(504), Reply(200, page))
    sleeps = Sleeps()

    with transport(server.url, sleeps) as link:
        assert link.pull(PullRequest(cursor=0)) == page

    assert len(server.seen) == 4
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        ceiling = 0.5 * 2**attempt
        assert ceiling / 2 <= delay <= ceiling
    assert {seen.body for seen in server.seen} == {server.seen[0].body}  # the same request again


def test_jitter_spreads_the_delays_and_the_cap_bounds_them(server: ScriptedServer) -> None:
    server.fallback = lambda seen: Reply(503)
    delays = []
    for seed in (1, 2):
        sleeps = Sleeps()
        link = transport(server.url, sleeps, retries=2, jitter=random.Random(seed))
        with link, pytest.raises(Unreachable):
            link.digest(DigestRequest())
        delays.append(tuple(sleeps))
    assert delays[0] != delays[1]

    sleeps = Sleeps()
    with (
        transport(server.url, sleeps, retries=2, backoff=100.0) as link,
        pytest.raises(Unreachable),
    ):
        link.digest(DigestRequest())
    assert all(30.0 <= delay <= 60.0 for delay in sleeps)


def test_retry_after_is_honoured(server: ScriptedServer) -> None:
    server.script(
        Reply(503, headers={"Retry-After": "3"}), Reply(200, {"protocol": 2, "digests": []})
    )
    sleeps = Sleeps()
    with transport(server.url, sleeps) as link:
        link.digest(DigestRequest())
    assert sleeps == [3.0]


def test_gives_up_after_the_retries(server: ScriptedServer) -> None:
    server.fallback = lambda seen: Reply(503)
    sleeps = Sleeps()
    with transport(server.url, sleeps, retries=2) as link, pytest.raises(Unreachable) as raised:
        link.conflicts()
    assert len(server.seen) == 3
    assert len(sleeps) == 2
    assert raised.value.status == 503
    assert "no está disponible" in str(raised.value)


def test_connection_refused_is_retried_then_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with (
        transport(f"http://127.0.0.1:{port}", sleeps) as link,
        pytest.raises(Unreachable) as raised,
    ):
        link.pull(PullRequest(cursor=0))
    assert len(sleeps) == 3
    assert all(0.25 * 2**n <= delay <= 0.5 * 2**n for n, delay in enumerate(sleeps))
    assert "Revise su conexión" in str(raised.value)
    assert raised.value.code == "ConnectionError"


def test_a_read_timeout_is_retried(server: ScriptedServer) -> None:
    page = ChangePage(records=(), next_cursor=4, has_more=False)
    server.script(Reply(200, page, delay=0.6), Reply(200, page))
    sleeps = Sleeps()
    with transport(server.url, sleeps, timeout=(2.0, 0.2)) as link:
        assert link.pull(PullRequest(cursor=4)) == page
    assert len(server.seen) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, "solicitud_invalida", Refused),
        (401, "no_autorizado", NotAuthorized),
        (409, "protocolo", ProtocolMismatch),
        (413, "demasiado_grande", Refused),
        (429, "demasiados_intentos", Refused),
        (500, "error_interno", ServerFailure),
    ],
)
def test_refusals_are_not_retried_and_carry_the_server_message(
    server: ScriptedServer, status: int, code: str, error: type[SyncError]
) -> None:
    message = f"Mensaje del servidor {status}: revise y vuelva a intentar."
    server.script(Reply(status, {"error": code, "message": message}, headers={"Retry-After": "30"}))
    sleeps = Sleeps()
    with transport(server.url, sleeps) as link, pytest.raises(error) as raised:
        link.push(PushRequest(operations=(operation(),)))
    assert len(server.seen) == 1
    assert sleeps == []
    assert (str(raised.value), raised.value.code, raised.value.status) == (message, code, status)
    if status == 429:
        assert isinstance(raised.value, Refused)
        assert raised.value.retry_after == 30.0


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, NotAuthorized, "inicie sesión de nuevo"),
        (409, ProtocolMismatch, "actualice la aplicación"),
        (404, Refused, "rechazó"),
    ],
)
def test_a_refusal_without_error_body_gets_a_spanish_default(
    server: ScriptedServer, status: int, error: type[SyncError], words: str
) -> None:
    server.script(Reply(status, b"<html>proxy</html>"))
    with transport(server.url, Sleeps()) as link, pytest.raises(error, match=words):
        link.conflicts()


def test_an_answer_that_is_not_the_protocol_is_a_server_failure(server: ScriptedServer) -> None:
    server.script(Reply(200, b"{not json"), Reply(200, {"protocol": 2, "receipts": [], "x": 1}))
    with transport(server.url, Sleeps()) as link:
        for _ in range(2):
            with pytest.raises(ServerFailure, match="tuvo un problema"):
                link.push(PushRequest(operations=()))


def test_an_answer_of_another_protocol_version_is_refused(server: ScriptedServer) -> None:
    server.script(Reply(200, {"protocol": 3, "conflicts": []}))
    with transport(server.url, Sleeps()) as link, pytest.raises(ProtocolMismatch):
        link.conflicts()


def test_without_a_token_nothing_is_sent(server: ScriptedServer) -> None:
    with HttpTransport(server.url) as link, pytest.raises(NotAuthorized):
        link.conflicts()
    assert server.seen == []


def test_health_and_mark_resolved(server: ScriptedServer) -> None:
    conflict_id = uuid.uuid4()
    server.script(Reply(200, {"status": "ok", "protocol": 2}), Reply(204))
    with transport(server.url.rstrip("/") + "/", Sleeps()) as link:
        assert link.health() == {"status": "ok", "protocol": 2}
        link.mark_resolved(conflict_id)
    health, resolved = server.seen
    assert "Authorization" not in health.headers
    assert (resolved.method, resolved.path) == ("POST", f"/v1/conflicts/{conflict_id}/resolved")


def serve_fake(fake: FakeServer) -> Callable[[Seen], Reply]:
    def route(seen: Seen) -> Reply:
        user = seen.headers["Authorization"].removeprefix("Bearer ")
        if seen.path == "/v1/push":
            return Reply(200, fake.push(PushRequest.model_validate_json(seen.body), user))
        if seen.path == "/v1/pull":
            return Reply(200, fake.pull(PullRequest.model_validate_json(seen.body), user))
        if seen.path == "/v1/digest":
            return Reply(200, fake.digest(DigestRequest.model_validate_json(seen.body), user))
        return Reply(200, fake.open_conflicts(user))

    return route


def test_the_engine_syncs_two_devices_over_http(server: ScriptedServer) -> None:
    fake = FakeServer()
    server.fallback = serve_fake(fake)
    ana, beto = MemoryStore("ana"), MemoryStore("beto")
    record = ana.create("instancia", {"name": "IRC", "chair": "X"}, "1001")
    with (
        HttpTransport(server.url, "ana") as ana_link,
        HttpTransport(server.url, "beto") as beto_link,
    ):
        assert SyncEngine(ana, ana_link).sync().ok
        assert SyncEngine(beto, beto_link).sync().ok
        beto.update("instancia", record.record_id, {"chair": "Beto"})
        ana.update("instancia", record.record_id, {"chair": "Ana"})
        assert SyncEngine(beto, beto_link).sync().ok
        report = SyncEngine(ana, ana_link).sync()
        assert SyncEngine(beto, beto_link).sync().ok

    assert report.ok
    assert report.conflicts == 1
    assert [c.other_value for c in report.open_conflicts] == ["Ana"]
    assert ana.get("instancia", record.record_id) == beto.get("instancia", record.record_id)


@pytest.mark.parametrize("url", ["servidor-sin-esquema", "ftp://servidor", "http://"])
def test_an_invalid_server_address_is_a_clear_error_without_retries(url: str) -> None:
    sleeps = Sleeps()
    with transport(url, sleeps) as link, pytest.raises(SyncError, match="no es válida"):
        link.conflicts()
    assert sleeps == []


def test_a_tls_failure_is_not_retried(server: ScriptedServer) -> None:
    sleeps = Sleeps()
    link = transport(server.url.replace("http://", "https://"), sleeps)
    with link, pytest.raises(Unreachable, match="certificado TLS"):
        link.conflicts()
    assert sleeps == []
