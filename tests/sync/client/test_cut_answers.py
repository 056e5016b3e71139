"""A connection cut at any byte of a request or of an answer is retried, never «call support».

Found by a session: a cut inside the answer's headers was not retried and the specialist was
told to call support. The real server behind a proxy that cuts the first connection at an exact
byte, then lets the retry through: every offset of the request's and of the answer's first
bytes (the status line and the headers) ends in the same page as without a cut.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cutting_proxy import Cut, CuttingProxy, Direction
from helpers.http_fixture import Reply, ScriptedServer, scripted_server
from helpers.records import operation

from sync.errors import SyncError
from sync.protocol import LoginRequest, PullRequest, PushRequest
from sync.server import auth, service
from sync.server.access import assign_territories, load_caller
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.transport_http import HttpTransport

PASSWORD = "clave-de-prueba-123"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """The real server with some records; (its port, a device token)."""
    folder: Path = tmp_path_factory.mktemp("cuts")
    engine = create_server_engine(f"sqlite:///{folder / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        auth.create_user(session, "ana", "especialista", PASSWORD, now)
        assign_territories(session, "ana", ["15"])
    with sessions.begin() as session:
        ana = load_caller(session, "ana")
    records = [operation("instancia"), *(operation("member") for _ in range(20))]
    with sessions.begin() as session:
        service.push(session, ana, PushRequest(operations=tuple(records)), now)
    with sessions.begin() as session:
        request = LoginRequest(username="ana", password=PASSWORD, device_name="Laptop")
        answer = auth.login(session, request, now)
        assert answer is not None
    with LocalServer(create_app(sessions)) as server:
        yield int(server.url.rsplit(":", 1)[1]), answer.token
    engine.dispose()


def pulled(url: str, token: str) -> list[str]:
    with HttpTransport(url, token, retries=2, sleep=lambda _s: None) as link:
        return [str(r.record_id) for r in link.pull(PullRequest(cursor=0)).records]


@pytest.mark.parametrize("direction", list(Direction), ids=lambda d: d.name)
def test_a_cut_at_any_byte_of_the_head_is_retried_and_ends_in_the_same_page(
    served: tuple[int, str], direction: Direction
) -> None:
    port, token = served
    with CuttingProxy("127.0.0.1", port, seed=1) as clean:
        expected = pulled(clean.url, token)
    assert len(expected) == 21
    failures: list[str] = []
    for offset in range(0, 260, 7):  # the request line, the headers, the first body bytes
        plan: list[Cut | None] = [Cut(direction, offset)]
        with CuttingProxy("127.0.0.1", port, seed=1, plan=plan) as proxy:
            try:
                got = pulled(proxy.url, token)
            except SyncError as error:
                failures.append(f"{offset}: {type(error).__name__} {error.code}")
                continue
            assert proxy.stats().cuts == 1, offset
        if got != expected:
            failures.append(f"{offset}: another page")
    assert failures == []


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running


def test_an_answer_whose_gzip_cannot_be_decoded_is_retried(scripted: ScriptedServer) -> None:
    page = b'{"protocol":2,"records":[],"next_cursor":0,"has_more":false}'
    garbled = b"\x1f\x8b\x08\x00" + bytes(40)  # a gzip header, then nothing that inflates
    scripted.replies.extend(
        [
            Reply(body=garbled, headers={"Content-Encoding": "gzip"}, compress=False),
            Reply(body=page),
        ]
    )
    with HttpTransport(scripted.url, "t0k3n", retries=2, sleep=lambda _s: None) as link:
        answer = link.pull(PullRequest(cursor=0))
    assert (answer.records, len(scripted.seen)) == ((), 2)
