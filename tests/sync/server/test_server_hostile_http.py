"""What a hostile or careless client sends over HTTP: refused clearly, nothing stored, no 500.

One test per class of failure a session found: a garbage token whose body was read anyway,
concurrent wrong passwords slipping past the limit, a stranger locking the real user out,
tokens that never expired or outlived a password reset, a cursor of 2^63, a list of 300,000
kinds, JSON nested hundreds of levels deep, a body that never ends, SQL errors that printed
personal data.
"""

import datetime as dt
import gzip
import json
import logging
import socket
import threading
import time
from typing import Any

import pytest
import requests
from helpers.server_db import ServerDb, bearer, login, op, refused
from sqlalchemy import text

from sync.server import auth, http_io, service
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.server.store import OperationLog, Quarantine, Record
from sync.server.throttle import HashGate, HashingBusyError, LoginLimiter, TooManyAttemptsError


def stored(server_db: ServerDb) -> tuple[int, int, int]:
    return server_db.count(Record), server_db.count(OperationLog), server_db.count(Quarantine)


def test_a_bad_token_is_refused_before_the_body_is_read(server_db: ServerDb, live: str) -> None:
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    garbage = b"\x1f\x8b esto no es gzip" * 1000
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    for bad in ("nada", "x" * 199, token[:-1] + ("A" if token[-1] != "A" else "B")):
        answer = requests.post(
            f"{live}/v1/push", data=garbage, headers={**headers, **bearer(bad)}, timeout=10
        )
        refused(answer, 401, "no_autorizado")  # not a 400 about the body: it was never read
    valid = requests.post(
        f"{live}/v1/push", data=garbage, headers={**headers, **bearer(token)}, timeout=10
    )
    refused(valid, 400, "solicitud_invalida")
    assert stored(server_db) == (0, 0, 0)


def test_wrong_passwords_at_once_stay_within_the_limit(server_db: ServerDb, live: str) -> None:
    server_db.add_user("ana", territories=["1501"])
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def guess(_n: int) -> None:
        barrier.wait(10)
        statuses.append(login(live, password="adivinanza-1").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses.count(401) <= 5 and statuses.count(401) + statuses.count(429) == 20
    refused(login(live), 429, "demasiados_intentos")  # the name is held back for new devices
    # (the limiter counts per address too: every test request comes from 127.0.0.1)


def test_a_known_device_is_not_locked_out_by_a_strangers_guesses(server_db: ServerDb) -> None:
    """The stranger and the specialist come from different addresses: the stranger's guesses
    hold back sign-ins under her name from new devices, never her own enrolled laptop."""
    server_db.add_user("ana", territories=["1501"])
    limiter = LoginLimiter(max_failures=5)
    with server_db.factory.begin() as session:
        request = auth.LoginRequest(username="ana", password="clave-segura-1", device_name="L")
        mine = auth.login(session, request, dt.datetime.now(dt.UTC))
    assert mine is not None
    for _ in range(5):
        limiter.failed(limiter.begin("ana", "203.0.113.9"))  # a stranger, elsewhere
    with pytest.raises(TooManyAttemptsError):
        limiter.begin("ana", "198.51.100.7")  # a new device of hers: held back
    with server_db.factory.begin() as session:
        known = auth.known_device(session, "ana", mine.token)
    assert known == mine.device_id
    limiter.succeeded(limiter.begin("ana", "198.51.100.7", known_device=known is not None))


def test_a_password_reset_revokes_her_devices_and_an_unused_token_expires(
    server_db: ServerDb, live: str
) -> None:
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    pull = {"protocol": 2, "cursor": 0}
    assert requests.post(f"{live}/v1/pull", json=pull, headers=bearer(token), timeout=10).ok
    with server_db.factory.begin() as session:
        assert auth.set_password(session, "ana", "otra-clave-99", dt.datetime.now(dt.UTC)) == 1
    after = requests.post(f"{live}/v1/pull", json=pull, headers=bearer(token), timeout=10)
    refused(after, 401, "no_autorizado")
    fresh = login(live, password="otra-clave-99").json()["token"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    app = create_app(server_db.factory, clock=lambda: later, limiter=LoginLimiter())
    with LocalServer(app) as future:
        old = requests.post(f"{future.url}/v1/pull", json=pull, headers=bearer(fresh), timeout=10)
        message = refused(old, 401, "no_autorizado")
    assert "venció por falta de uso" in message


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/pull", {"protocol": 2, "cursor": 2**63}),
        ("/v1/pull", {"protocol": 2, "cursor": 0, "kinds": ["visit"] * 300_000}),
        ("/v1/digest", {"protocol": 2, "kinds": ["person"] * 300_000}),
        ("/v1/published", {"protocol": 2, "cursor": 10**30}),
        ("/v1/records", {"protocol": 2, "keys": [{"kind": "visit", "record_id": "x"}] * 2000}),
    ],
    ids=["cursor 2^63", "300,000 kinds", "300,000 digests", "cursor 10^30", "2,000 keys"],
)
def test_bounds_on_cursors_and_lists_answer_400_not_500(
    server_db: ServerDb, live: str, path: str, body: dict[str, Any]
) -> None:
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    started = time.monotonic()
    answer = requests.post(f"{live}{path}", json=body, headers=bearer(token), timeout=30)
    assert answer.status_code in {400, 413}, answer.text
    assert time.monotonic() - started < 10


def nested(depth: int) -> str:
    """JSON text nested `depth` times, written by hand: json.dumps itself gives up past ~1000."""
    return '{"a": [' * depth + '"fondo"' + "]}" * depth


@pytest.mark.parametrize("depth", [60, 150, 1000])
def test_json_nested_hundreds_of_levels_deep_stores_nothing_but_its_refusal(
    server_db: ServerDb, live: str, depth: int
) -> None:
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    operation = json.loads(op("member").model_dump_json())
    operation["fields"]["entity_name"] = "HUECO"
    raw = json.dumps({"protocol": 2, "operations": [operation]}).replace('"HUECO"', nested(depth))
    answer = requests.post(
        f"{live}/v1/push",
        data=gzip.compress(raw.encode()),
        headers={**bearer(token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code in {200, 400}, answer.text
    if answer.status_code == 200:  # parsed: refused as a value, kept only in quarantine
        (receipt,) = answer.json()["receipts"]
        assert receipt["outcome"] == "rejected" and "debe ser texto" in receipt["reason"]
    assert server_db.count(Record) == 0
    pull = requests.post(
        f"{live}/v1/pull", json={"protocol": 2, "cursor": 0}, headers=bearer(token), timeout=10
    )
    assert pull.status_code == 200  # everyone keeps syncing


def receive_all(connection: socket.socket) -> str:
    """Everything the server says until it closes (head and body may come in separate packets)."""
    pieces = []
    while piece := connection.recv(4096):
        pieces.append(piece)
    return b"".join(pieces).decode(errors="replace")


def test_a_body_that_stalls_or_never_ends_is_given_up(
    server_db: ServerDb, live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_io, "IDLE_SECONDS", 0.5)
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    host, port = live.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            (
                f"POST /v1/push HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                '{"protocol": 2, "operations": ['
            ).encode()
        )
        started = time.monotonic()
        answer = receive_all(raw)
    assert answer.startswith("HTTP/1.1 408"), answer
    assert "solicitud_lenta" in answer
    assert time.monotonic() - started < 5
    assert stored(server_db) == (0, 0, 0)


def test_errors_never_print_the_values_of_sql_parameters(
    server_db: ServerDb,
    live: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Personal data (names, documents) must not reach the server's log with an error: not as
    a bound parameter, nor quoted back by the database in its message ("Failing row contains")."""
    assert server_db.engine.hide_parameters
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]

    def failing_pull(session: Any, *_args: Any) -> None:
        session.execute(
            text("INSERT INTO users (username, password_hash) VALUES (:name, NULL)"),
            {"name": "45678912 María Quispe"},
        )

    monkeypatch.setattr(service, "pull", failing_pull)
    with caplog.at_level(logging.DEBUG):
        answer = requests.post(
            f"{live}/v1/pull", json={"protocol": 2, "cursor": 0}, headers=bearer(token), timeout=10
        )
    assert refused(answer, 500, "error_interno")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "SQLSTATE" in logged and "INSERT INTO users" in logged  # the error is still traceable
    assert "45678912" not in logged and "Quispe" not in logged
    assert "45678912" not in answer.text


def test_a_password_being_checked_never_holds_back_a_push(
    server_db: ServerDb, live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash ran under the write lock: every login stalled every push. Here a sign-in is
    held in the middle of its password check while another device pushes and pulls."""
    server_db.add_user("ana", territories=["1501"])
    token = login(live).json()["token"]
    entered, release = threading.Event(), threading.Event()
    real = auth.password_matches

    def held(*args: Any) -> bool:
        entered.set()
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(auth, "password_matches", held)
    signing_in = threading.Thread(target=lambda: login(live, device_name="Otra"))
    signing_in.start()
    try:
        assert entered.wait(10)
        body = {"protocol": 2, "operations": [json.loads(op("instancia").model_dump_json())]}
        pushed = requests.post(f"{live}/v1/push", json=body, headers=bearer(token), timeout=10)
        assert pushed.status_code == 200 and pushed.json()["receipts"][0]["outcome"] == "applied"
    finally:
        release.set()
        signing_in.join(30)


def test_at_most_two_passwords_are_hashed_at_once() -> None:
    """Concurrent sign-ins cannot make the server hash (and hold memory for) many at a time."""
    gate = HashGate(slots=2, patience=0.05)
    inside, release = threading.Barrier(3), threading.Event()

    def hold() -> None:
        with gate.slot():
            inside.wait(10)
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for holder in holders:
        holder.start()
    inside.wait(10)  # both slots taken
    with pytest.raises(HashingBusyError), gate.slot():
        pass
    release.set()
    for holder in holders:
        holder.join(10)
    with gate.slot():  # free again
        pass
