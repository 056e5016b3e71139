"""The cutting proxy before a real HTTP server: whole bodies when quiet, never a wrong one."""

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from helpers.cutting_proxy import THREAD_PREFIX, Cut, CuttingProxy, Direction

BODY = b"".join(b"line %04d of the known body\n" % i for i in range(2000 // 28 + 1))[:2000]
TIMEOUT = 5.0
# A seed whose first 30 cuts fall in every region: inside the request, inside the response's
# status line and headers, inside the body, and after the whole response.
SEED = 11
# Offsets below this lie inside the request and inside the response headers (both are longer);
# offsets in [BODY_START, BODY_END) lie inside the body. The test checks these bounds.
SHORT = 100
BODY_START, BODY_END = 400, 1900
CONNECTION_ERRORS = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


class _BodyHandler(BaseHTTPRequestHandler):
    timeout = 10  # a request cut half-way never holds a handler thread for long

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


class _BodyServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the handler threads
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _BodyHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection cut by the proxy: expected, nothing to report."""


@pytest.fixture
def target() -> Iterator[tuple[str, int]]:
    """A tiny HTTP server on 127.0.0.1 that answers ``BODY`` to every GET."""
    server = _BodyServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="test-body-server"
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _get(url: str) -> bytes | None:
    """The body of a GET, or None when the connection failed."""
    try:
        response = requests.get(f"{url}/body", timeout=TIMEOUT)
    except CONNECTION_ERRORS:
        return None
    assert response.status_code == 200
    return response.content


def _proxy_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


def _wait_until(condition: Callable[[], bool]) -> None:
    """Poll ``condition`` (another thread makes it true) for up to TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def test_a_quiet_proxy_passes_every_request_whole(target: tuple[str, int]) -> None:
    with CuttingProxy(*target, seed=1) as proxy:
        bodies = [_get(proxy.url) for _ in range(10)]
        stats = proxy.stats()

    assert bodies == [BODY] * 10
    assert stats.connections == 10
    assert stats.cuts_planned == stats.cuts == 0
    assert stats.bytes_to_client > 10 * len(BODY)
    assert stats.bytes_to_server > 0
    assert proxy.decisions() == [None] * 10


def test_cut_connections_fail_or_bring_the_whole_body_never_a_wrong_one(
    target: tuple[str, int],
) -> None:
    with CuttingProxy(*target, seed=SEED) as proxy:
        # A quiet first request measures the sizes of one request and one response.
        assert _get(proxy.url) == BODY
        sizes = proxy.stats()
        request_size, response_size = sizes.bytes_to_server, sizes.bytes_to_client

        proxy.cut_rate = 1.0
        bodies = [_get(proxy.url) for _ in range(30)]
        stats = proxy.stats()
        decisions = proxy.decisions()

        # A quiet phase afterwards: the proxy passes everything again.
        proxy.cut_rate = 0.0
        assert [_get(proxy.url) for _ in range(5)] == [BODY] * 5
        assert proxy.stats().cuts == stats.cuts

    assert all(body in (None, BODY) for body in bodies), "a truncated body was accepted"
    assert stats.connections == 31
    assert stats.cuts_planned == 30
    assert stats.cuts > 0
    # A cut that happened always fails its request; a cut past the end leaves it whole.
    assert bodies.count(None) == stats.cuts
    assert decisions[0] is None
    cuts = [cut for cut in decisions[1:] if cut is not None]
    assert len(cuts) == 30
    for cut, body in zip(cuts, bodies, strict=True):
        size = request_size if cut.direction is Direction.TO_SERVER else response_size
        assert (body is None) == (cut.offset < size), cut

    # The seed puts cuts in every region of the exchange.
    headers_size = response_size - len(BODY)
    assert request_size > SHORT
    assert headers_size > SHORT
    assert headers_size <= BODY_START
    assert response_size >= BODY_END
    to_server = [cut.offset for cut in cuts if cut.direction is Direction.TO_SERVER]
    to_client = [cut.offset for cut in cuts if cut.direction is Direction.TO_CLIENT]
    assert any(o < SHORT for o in to_server), "no cut inside the request"
    assert any(o < SHORT for o in to_client), "no cut inside the status line and headers"
    assert any(BODY_START <= o < BODY_END for o in to_client), "no cut inside the body"
    assert any(o >= response_size for o in to_client), "no cut after the whole response"


def _decisions(target: tuple[str, int], seed: int, cut_rate: float) -> list[Cut | None]:
    with CuttingProxy(*target, seed=seed, cut_rate=cut_rate) as proxy:
        for _ in range(20):
            _get(proxy.url)
        return proxy.decisions()


def test_the_same_seed_gives_the_same_decisions(target: tuple[str, int]) -> None:
    first = _decisions(target, seed=42, cut_rate=1.0)
    second = _decisions(target, seed=42, cut_rate=1.0)
    other_seed = _decisions(target, seed=43, cut_rate=1.0)
    half = _decisions(target, seed=42, cut_rate=0.5)

    assert len(first) == 20
    assert all(cut is not None and 0 <= cut.offset < 4096 for cut in first)
    assert first == second
    assert other_seed != first
    # The draws do not depend on the rate: a connection cut at 0.5 is cut the same way at 1.0.
    assert any(cut is None for cut in half)
    assert any(cut is not None for cut in half)
    assert all(cut is None or cut == full for cut, full in zip(half, first, strict=True))


def test_stop_ends_every_thread_and_connection(target: tuple[str, int]) -> None:
    assert _proxy_threads() == []
    proxy = CuttingProxy(*target, seed=5, cut_rate=0.5)
    url = proxy.start()
    assert url == proxy.url == f"http://127.0.0.1:{proxy.port}"
    for _ in range(6):
        assert _get(url) in (None, BODY)
    # A connection left open and idle: its pumps are blocked in recv.
    idle = socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT)
    try:
        _wait_until(lambda: proxy.stats().connections == 7)
        _wait_until(lambda: any(t.name.endswith("-6-to-client") for t in _proxy_threads()))
        assert len(_proxy_threads()) >= 3  # the accept thread and the idle connection's pumps

        proxy.stop()

        assert _proxy_threads() == []
        # The idle client sees its connection end (a reset, or at least an end of stream).
        with contextlib.suppress(ConnectionResetError):
            assert idle.recv(1) == b""
    finally:
        idle.close()
    proxy.stop()  # idempotent
    assert _proxy_threads() == []


def test_cut_rate_must_be_a_probability(target: tuple[str, int]) -> None:
    with pytest.raises(ValueError, match="cut_rate"):
        CuttingProxy(*target, seed=0, cut_rate=1.5)
    proxy = CuttingProxy(*target, seed=0)
    with pytest.raises(ValueError, match="cut_rate"):
        proxy.cut_rate = -0.1
    proxy.cut_rate = 0.25
    assert proxy.cut_rate == 0.25
    proxy.stop()  # never started: nothing to do
    with pytest.raises(RuntimeError, match="only once"):
        proxy.start()
