"""The sync benchmarks' rig: a real server on loopback HTTP, devices, what crossed the wire."""

import gc
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import uvicorn
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sync_data import NOW

from sync.client import SyncEngine, SyncReport
from sync.memory_store import MemoryStore
from sync.op_ids import OpIds
from sync.server import auth
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.transport_http import HttpTransport

PASSWORD = "clave-de-banco-123"
STOP_TIMEOUT = 30.0


# ---------------------------------------------------------------------------- the wire


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its answer as they crossed the wire (bodies as sent)."""

    method: str
    path: str
    status: int
    request_body: int  # bytes, gzip included
    response_body: int  # bytes, gzip included (Content-Length)
    header_bytes: int  # request and response header lines (approximate)
    seconds: float
    device: str
    error: str = ""  # the exception of an attempt that got no answer (status 0)


@dataclass
class WireLog:
    """Every exchange of every counting session, thread-safe."""

    exchanges: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, exchange: Exchange) -> None:
        with self.lock:
            self.exchanges.append(exchange)

    def of(self, device: str, since: int = 0) -> list[Exchange]:
        with self.lock:
            return [e for e in self.exchanges[since:] if e.device == device]

    def mark(self) -> int:
        with self.lock:
            return len(self.exchanges)


class CountingSession(requests.Session):
    """A ``requests.Session`` that logs each exchange's body sizes and its duration."""

    def __init__(self, log: WireLog, device: str) -> None:
        super().__init__()
        self.log = log
        self.device = device

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        body = request.body or b""
        path = (request.path_url or "").split("?")[0]
        try:
            response = super().send(request, **kwargs)
            content = response.content  # read the whole answer inside the timing
        except requests.RequestException as error:  # logged as status 0, then retried or raised
            seconds = time.perf_counter() - started
            self.log.add(
                Exchange(
                    method=request.method or "",
                    path=path,
                    status=0,
                    request_body=len(body.encode() if isinstance(body, str) else body),
                    response_body=0,
                    header_bytes=0,
                    seconds=seconds,
                    device=self.device,
                    error=type(error).__name__,
                )
            )
            raise
        seconds = time.perf_counter() - started
        wire = response.headers.get("Content-Length")
        headers = sum(len(k) + len(v) + 4 for k, v in request.headers.items())
        headers += sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        self.log.add(
            Exchange(
                method=request.method or "",
                path=path,
                status=response.status_code,
                request_body=len(body.encode() if isinstance(body, str) else body),
                response_body=int(wire) if wire is not None else len(content),
                header_bytes=headers + len(path) + 40,
                seconds=seconds,
                device=self.device,
            )
        )
        return response


# ---------------------------------------------------------------------------- the server


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


@contextmanager
def scratch_database(url: str | None) -> Iterator[str]:
    """A fresh server database: an SQLite file in a temporary folder, or a new PostgreSQL
    schema (``search_path`` set in the URL) dropped at the end; nothing else is touched."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
            yield f"sqlite:///{Path(folder) / 'sync.sqlite3'}"
        return
    if not is_postgresql(url):
        raise SystemExit("--database-url must be postgresql+psycopg://… (SQLite is the default)")
    schema = f"bench_sync_{uuid.uuid4().hex[:10]}"
    admin = create_server_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def open_server_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = create_server_engine(url)
    migrate(engine)
    return engine, session_factory(engine)


def add_user(sessions: sessionmaker[Session], username: str, territories: list[str]) -> None:
    with sessions.begin() as session:
        auth.create_user(session, username, "especialista", PASSWORD, NOW)
        assign_territories(session, username, territories)


@contextmanager
def serve_in_thread(sessions: sessionmaker[Session]) -> Iterator[str]:
    """The FastAPI app under uvicorn in a thread, on 127.0.0.1 and a free port."""
    with LocalServer(create_app(sessions)) as server:
        yield server.url


def serve_child(url: str) -> None:
    """In the child process: serve ``url`` on a free port of 127.0.0.1 and print that port."""
    engine = create_server_engine(url)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(session_factory(engine)),
        log_level="warning",
        lifespan="off",
        access_log=False,
        backlog=4096,
    )
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    gc.collect()
    gc.freeze()  # as ``instancias-sync-server serve`` does
    uvicorn.Server(config).run(sockets=[listener])
    engine.dispose()


@contextmanager
def serve_in_child(url: str, server_log: Path) -> Iterator[str]:
    """The server in its own process (its own GIL, as in production), stopped by its PID.

    Its stderr (uvicorn's log, tracebacks of unexpected errors) goes to ``server_log``.
    """
    with server_log.open("w") as errors:
        child = subprocess.Popen(
            [sys.executable, __file__, url],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if not line.startswith("PORT "):
                raise RuntimeError(f"the server did not start: {line!r}")
            port = int(line.split()[1])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            child.terminate()  # SIGTERM to this child only: uvicorn shuts down gracefully
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextmanager
def serve_command(url: str, workers: int, server_log: Path) -> Iterator[str]:
    """``instancias-sync-server serve --workers N`` as an IT office runs it, stopped by its PID
    (SIGTERM: uvicorn's supervisor stops its workers); answers once ``/health`` says ok."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = Path(sys.executable).with_name("instancias-sync-server")
    with server_log.open("w") as errors:
        child = subprocess.Popen(
            [str(command), "serve", "--database-url", url, "--port", str(port), "--workers",
             str(workers)],
            stdout=errors, stderr=errors,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while not _healthy(base):
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: see {server_log}")
                time.sleep(0.1)
            yield base
        finally:
            child.terminate()
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/health", timeout=2).ok
    except requests.RequestException:
        return False


@dataclass
class Device:
    """One laptop: its local store and its HTTP transport through a counting session."""

    name: str
    store: MemoryStore
    transport: HttpTransport
    session: CountingSession


def sign_in(base_url: str, username: str, name: str, log: WireLog, seed: int = 0) -> Device:
    """A device signed in over HTTP (its login is logged under the name ``login``).

    Its store draws op and record ids from ``seed``, so a run is repeatable byte for byte.
    """
    session = CountingSession(log, name)
    transport = HttpTransport(base_url, session=session, timeout=(5, 120))
    session.device = "login"
    transport.login(username, PASSWORD, name)
    session.device = name
    ids = random.Random(seed)
    ops = OpIds(uuid.UUID(int=ids.getrandbits(128)))  # as the app numbers its changes
    store = MemoryStore(
        username,
        new_id=lambda: uuid.UUID(int=ids.getrandbits(128), version=4),
        new_op_id=ops.next,
    )
    return Device(name, store, transport, session)


@dataclass(frozen=True)
class TimedSync:
    """A ``sync()`` run with the time at which each stage last reported progress."""

    report: SyncReport
    total: float
    push: float  # from the start to the last pushed batch acknowledged
    pull: float  # from the end of the push to the last pulled page applied
    rest: float  # digests and conflicts


def timed_sync(device: Device, *, batch: int, page: int) -> TimedSync:
    marks: dict[str, float] = {}

    def progress(stage: str, _done: int, _total: int | None) -> None:
        marks.setdefault(f"first_{stage}", time.perf_counter())
        marks[stage] = time.perf_counter()

    engine = SyncEngine(
        device.store, device.transport, batch=batch, page=page, on_progress=progress
    )
    started = time.perf_counter()
    report = engine.sync()
    ended = time.perf_counter()
    pushed = marks.get("push", started)
    pulled = marks.get("pull", pushed)
    return TimedSync(report, ended - started, pushed - started, pulled - pushed, ended - pulled)


if __name__ == "__main__":  # the child of ``serve_in_child``
    serve_child(sys.argv[1])
