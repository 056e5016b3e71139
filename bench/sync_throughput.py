"""Sync throughput over loopback HTTP: push 10,000 operations, pull them into an empty device."""

import argparse
import datetime as dt
import gc
import gzip
import json
import random
import socket
import statistics
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
from sqlalchemy import Column, Engine, Index, MetaData, Table, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.demo import vocabulary as words
from sync.client import SyncEngine, SyncReport
from sync.memory_store import MemoryStore
from sync.protocol import Operation
from sync.server import auth
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.store import Record
from sync.transport_http import HttpTransport

BUDGET = 5.0
RAW_RUNS = 3
PASSWORD = "clave-de-banco-123"
LIMA = ("150101", "150103", "150108", "150115", "150132", "150140")
NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
# One visit of a typical day: the visit, its participants, checklist answers and agreements.
DAY_SHAPE = (("participant", 8), ("checklist_response", 14), ("agreement", 3))

ANSWERS = ("si", "no", "parcial", "no_aplica")
EVIDENCE = ("Resolución de Alcaldía", "Ordenanza Municipal", "Acta de sesión", "Informe técnico")
# Free text is composed from fragments, so no two records carry the same sentences (as typed
# by people) while phrases recur (as they do): gzip gets realistic, not artificial, material.
SUBJECTS = (
    "La secretaría técnica",
    "La presidencia de la instancia",
    "El equipo del Centro Emergencia Mujer",
    "La DEMUNA",
    "La gerencia de desarrollo social",
    "La representante de la UGEL",
    "El comisario de la jurisdicción",
    "La coordinadora del establecimiento de salud",
)
VERBS = (
    "informó que se aprobó",
    "se comprometió a remitir",
    "presentó el avance de",
    "solicitó asistencia técnica para",
    "observó que falta actualizar",
    "propuso revisar",
)
OBJECTS = (
    "el plan de trabajo anual",
    "la ordenanza de creación de la instancia",
    "el reglamento interno",
    "la ruta de atención local frente a casos de violencia",
    "el directorio de integrantes acreditados",
    "el informe semestral de acciones",
    "la campaña de prevención en instituciones educativas",
    "las metas del Presupuesto Participativo",
)
COMPLEMENTS = (
    "antes del {date}",
    "en la sesión ordinaria del {date}",
    "con el oficio N.° {n}-2025-{unit}",
    "según el acta de sesión N.° {n}",
    "con el apoyo de {name}",
    "y dará cuenta en la próxima visita",
)
UNITS = ("MDSJL", "MDC", "MPH", "MDA", "GDS", "SGDH")


def _name(rng: random.Random) -> str:
    return (
        f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)} {rng.choice(words.SURNAMES)}"
    )


def _sentence(rng: random.Random, day: dt.date) -> str:
    complement = rng.choice(COMPLEMENTS).format(
        date=(day + dt.timedelta(days=rng.randrange(-90, 90))).strftime("%d/%m/%Y"),
        n=rng.randrange(1, 999),
        unit=rng.choice(UNITS),
        name=_name(rng),
    )
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {complement}."


def _fields(kind: str, rng: random.Random, visit_id: uuid.UUID | None, n: int) -> dict[str, Any]:
    """App-like fields (the local tables' columns) of one record, about 300–600 bytes as JSON."""
    day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(300))
    parent = str(visit_id)
    if kind == "visit":
        return {
            "instancia_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "acta_number": f"AT-{rng.choice(UNITS)}-2026-{rng.randrange(1, 9_999):06d}",
            "visit_date": day.isoformat(),
            "start_time": f"{rng.randrange(8, 12):02d}:{rng.choice((0, 15, 30, 45)):02d}:00",
            "end_time": f"{rng.randrange(12, 18):02d}:{rng.choice((0, 15, 30, 45)):02d}:00",
            "place": f"Local de la Municipalidad Distrital de {rng.choice(words.SURNAMES)}",
            "place_ubigeo": "",  # the visit's scope
            "modality": "virtual" if rng.random() < 0.15 else "presencial",
            "at_type": "fortalecimiento_capacidades",
            "objective": rng.choice(words.OBJECTIVES),
            "agenda": "1. Presentación.\n2. Revisión de la lista de verificación.\n3. Acuerdos.",
            "development": _sentence(rng, day),
            "status": "borrador",
        }
    if kind == "participant":
        post, role = rng.choice(words.POSTS)
        return {
            "visit_id": parent,
            "person_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "full_name": _name(rng),
            "document_type": "dni",
            "document_number": f"{rng.randrange(10_000_000, 80_000_000)}",
            "phone": f"9{rng.randrange(10_000_000, 99_999_999)}",
            "position": n,
            "entity": rng.choice(words.ENTITIES).format(n=rng.randrange(1, 999)),
            "post": post,
            "role": role,
            "consent": rng.random() < 0.95,
        }
    if kind == "checklist_response":
        return {
            "visit_id": parent,
            "item_code": f"funcionamiento_idc.{n // 5 + 1}.{n % 5 + 1}",
            "answer": rng.choice(ANSWERS),
            "evidence_type": rng.choice(EVIDENCE),
            "evidence_number": f"N.° {rng.randrange(1, 999):03d}-2025-{rng.choice(UNITS)}",
            "evidence_date": day.isoformat(),
            "note": _sentence(rng, day) if rng.random() < 0.6 else "Se verificó el original.",
            "option": "",
            "evidence_attachment_id": None,
        }
    return {
        "visit_id": parent,
        "number": n,
        "description": f"{rng.choice(words.AGREEMENTS)} {_sentence(rng, day)}",
        "responsible_entity": rng.choice(words.ENTITIES).format(n=rng.randrange(1, 999)),
        "responsible_person": _name(rng),
        "deadline": (day + dt.timedelta(days=rng.randrange(15, 120))).isoformat(),
        "verification_means": rng.choice(words.VERIFICATION),
        "state": rng.choice(("pendiente", "en_proceso")),
    }


def record_day(
    store: MemoryStore,
    rng: random.Random,
    visits: int,
    shape: tuple[tuple[str, int], ...] = DAY_SHAPE,
    limit: int | None = None,
    scopes: tuple[str, ...] = LIMA,
) -> list[Operation]:
    """Record ``visits`` visits with their children in ``store`` (at most ``limit`` operations)."""
    made: list[Operation] = []
    wanted = [("visit", 0)] + [(kind, n) for kind, count in shape for n in range(1, count + 1)]
    for _ in range(visits):
        scope = rng.choice(scopes)
        visit_id: uuid.UUID | None = None
        for kind, n in wanted:
            if limit is not None and len(made) >= limit:
                return made
            fields = _fields(kind, rng, visit_id, n)
            if kind == "visit":
                fields["place_ubigeo"] = scope
            operation = store.create(kind, fields, scope, visit_id)
            visit_id = visit_id or operation.record_id
            made.append(operation)
    return made


def record_operations(
    store: MemoryStore, count: int, seed: int, scopes: tuple[str, ...] = LIMA
) -> list[Operation]:
    """Exactly ``count`` create operations shaped like typical days (1 visit : 25 children)."""
    per_visit = 1 + sum(n for _, n in DAY_SHAPE)
    visits = -(-count // per_visit)
    return record_day(store, random.Random(seed), visits, limit=count, scopes=scopes)


def plain_records(operations: list[Operation]) -> list[dict[str, Any]]:
    """The records as an application would export them: plain JSON objects, no sync metadata."""
    return [
        {
            "kind": op.kind,
            "id": str(op.record_id),
            "parent_id": str(op.parent_id) if op.parent_id else None,
            "scope": op.scope,
            **op.fields,
        }
        for op in operations
    ]


def gzip_plain_bytes(operations: list[Operation]) -> int:
    """Size of gzip (level 9, as one document) of the records' plain JSON."""
    document = json.dumps(plain_records(operations), ensure_ascii=False, separators=(",", ":"))
    return len(gzip.compress(document.encode(), mtime=0))


def field_sizes(operations: list[Operation]) -> list[int]:
    """Bytes of each operation's fields as compact JSON."""
    return [
        len(json.dumps(op.fields, ensure_ascii=False, separators=(",", ":")).encode())
        for op in operations
    ]


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
    # proto IPPROTO_TCP, as uvicorn.run's own sockets: asyncio sets TCP_NODELAY on accepted
    # connections only then. A bare socket.socket() (proto 0) leaves Nagle on, and every small
    # answer waits ~40 ms for the client's delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(sessions), log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    host, port = listener.getsockname()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join()
        listener.close()


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
    store = MemoryStore(username, new_id=lambda: uuid.UUID(int=ids.getrandbits(128), version=4))
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


# ---------------------------------------------------------------------------- the peer


def raw_insert_seconds(engine: Engine, operations: list[Operation], owner: str) -> float:
    """SQLAlchemy Core executemany of the same rows into a scratch table like ``records``."""
    metadata = MetaData()
    columns = [
        Column(
            c.name,
            c.type,
            primary_key=c.primary_key,
            nullable=c.nullable,
            unique=bool(c.unique),
            index=bool(c.index),
        )
        for c in Record.__table__.columns
    ]
    table = Table("bench_raw_records", metadata, *columns)
    Index("ix_bench_raw_records_kind_scope", table.c.kind, table.c.scope)
    rows = [
        {
            "kind": op.kind,
            "record_id": op.record_id,
            "version": 1,
            "fields": op.fields,
            "deleted": False,
            "scope": op.scope,
            "parent_id": op.parent_id,
            "owner": owner,
            "updated_by": owner,
            "seq": n,
            "updated_at": NOW,
        }
        for n, op in enumerate(operations, start=1)
    ]
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        gc.collect()
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(insert(table), rows)
        return time.perf_counter() - started
    finally:
        metadata.drop_all(engine)


# ---------------------------------------------------------------------------- the bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite file)")
    parser.add_argument("--ops", type=int, default=10_000, help="operations pushed")
    parser.add_argument("--batch", type=int, default=200, help="operations per push")
    parser.add_argument("--page", type=int, default=500, help="records per pulled page")
    parser.add_argument("--seed", type=int, default=20260310)
    args = parser.parse_args()

    log = WireLog()
    with scratch_database(args.database_url) as url:
        engine, sessions = open_server_database(url)
        backend = engine.dialect.name
        add_user(sessions, "bench", ["15"])
        with serve_in_thread(sessions) as base_url:
            source = sign_in(base_url, "bench", "Laptop A", log, seed=args.seed)
            target = sign_in(base_url, "bench", "Laptop B", log, seed=args.seed + 1)
            operations = record_operations(source.store, args.ops, args.seed)
            sizes = field_sizes(operations)
            raw = [raw_insert_seconds(engine, operations, "bench") for _ in range(RAW_RUNS)]
            raw_s = statistics.median(raw)

            gc.collect()
            mark = log.mark()
            pushed = timed_sync(source, batch=args.batch, page=args.page)
            push_log = log.of(source.name, mark)
            gc.collect()
            mark = log.mark()
            pulled = timed_sync(target, batch=args.batch, page=args.page)
            pull_log = log.of(target.name, mark)
            source.transport.close()
            target.transport.close()
        engine.dispose()

    count = len(operations)
    received = len(target.store.records())
    failures = [
        problem
        for problem, bad in (
            (f"push: {len(pushed.report.rejected)} rejected", pushed.report.rejected),
            (f"push: only {pushed.report.applied} applied", pushed.report.applied != count),
            (f"pull: {received} records on the second device", received != count),
            ("a sync did not finish clean", not (pushed.report.ok and pulled.report.ok)),
        )
        if bad
    ]
    push_rate, pull_rate, raw_rate = count / pushed.push, count / pulled.pull, count / raw_s
    push_ratio, pull_ratio = pushed.push / raw_s, pulled.pull / raw_s
    worst = max(push_ratio, pull_ratio)

    print(
        f"{backend}: {count:,} operations (visits with participants, checklist answers,"
        f" agreements), fields {min(sizes)}–{max(sizes)} bytes, median"
        f" {statistics.median(sizes):.0f}; batch {args.batch}, page {args.page}"
    )
    print(
        f"raw bulk insert (Core executemany, same rows, scratch table like records):"
        f" {raw_s * 1000:7.0f} ms, {raw_rate:9,.0f} records/s"
        f" (median of {RAW_RUNS}: {', '.join(f'{s * 1000:.0f}' for s in raw)} ms)"
    )
    print(
        f"push, device A:  {pushed.push * 1000:7.0f} ms, {push_rate:9,.0f} records/s,"
        f" {sum(1 for e in push_log if e.path == '/v1/push')} requests,"
        f" ratio {push_ratio:.2f}"
    )
    print(
        f"pull, device B:  {pulled.pull * 1000:7.0f} ms, {pull_rate:9,.0f} records/s,"
        f" {sum(1 for e in pull_log if e.path == '/v1/pull')} requests,"
        f" ratio {pull_ratio:.2f}"
    )
    print(
        f"device A's whole sync {pushed.total:.2f} s (its pull-back of its own"
        f" {pushed.report.received:,} records {pushed.pull:.2f} s, digest+conflicts"
        f" {pushed.rest * 1000:.0f} ms); device B's whole sync {pulled.total:.2f} s"
        f" (digest+conflicts {pulled.rest * 1000:.0f} ms)"
    )
    for problem in failures:
        print(f"FAILED: {problem}")
    print(
        json.dumps(
            {
                "bench": "sync_throughput",
                "database": backend,
                "records": count,
                "push_records_per_s": round(push_rate),
                "pull_records_per_s": round(pull_rate),
                "raw_records_per_s": round(raw_rate),
                "push_ratio": round(push_ratio, 2),
                "pull_ratio": round(pull_ratio, 2),
                "ratio": round(worst, 2),
                "budget": BUDGET,
                "within_budget": worst <= BUDGET,
                "push_s": round(pushed.push, 3),
                "pull_s": round(pulled.pull, 3),
                "raw_s": round(raw_s, 4),
                "errors": len(failures),
            }
        )
    )


if __name__ == "__main__":
    main()
