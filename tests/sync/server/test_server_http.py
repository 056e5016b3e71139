"""The real server over HTTP (uvicorn on 127.0.0.1): the contract of sync/README.md."""

import datetime as dt
import gzip
import json
import socket
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.records import instancia_of
from helpers.server_db import ServerDb, bearer, login, op, refused

from sync.protocol import MAX_BATCH, PushResponse
from sync.server import audit, auth
from sync.server.app import create_app
from sync.server.db import HEAD_REVISION, create_server_engine, session_factory
from sync.server.http_auth import WITHDRAWN, WITHDRAWN_MESSAGE
from sync.server.local import LocalServer
from sync.server.store import Conflict, Device, OperationLog, Quarantine, Record
from sync.server.throttle import LoginLimiter

NO_TOKEN = "Falta el token de acceso. Inicie sesión en este equipo para sincronizar."
BAD_TOKEN = (
    "El token de acceso no es válido o este equipo fue dado de baja. Inicie sesión de nuevo."
)
NO_AUTH = "no_autorizado"
PROTOCOL = (
    "La aplicación usa la versión 1 del protocolo de sincronización y el servidor la versión 2: "
    "actualice la aplicación para sincronizar."
)
ENDPOINTS = [
    ("post", "/v1/push", {"protocol": 2, "operations": []}),
    ("post", "/v1/pull", {"protocol": 2, "cursor": 0}),
    ("post", "/v1/digest", {"protocol": 2}),
    ("get", "/v1/conflicts", None),
    ("post", f"/v1/conflicts/{uuid.uuid4()}/resolved", None),
]


def wire(operation: Any) -> dict[str, Any]:
    return dict(operation.model_dump(mode="json"))


def nothing_stored(server_db: ServerDb) -> None:
    for model in (Record, OperationLog, Quarantine, Conflict):
        assert server_db.count(model) == 0, model.__tablename__


def test_health_and_openapi(live: str) -> None:
    health = requests.get(f"{live}/health", timeout=10).json()
    assert (health["status"], health["protocol"]) == ("ok", 2)
    assert health["database"]["revision"] == HEAD_REVISION and health["database"]["reachable"]
    document = requests.get(f"{live}/openapi.json", timeout=10).json()
    assert {"/v1/login", "/v1/push", "/v1/pull", "/v1/digest", "/v1/conflicts"} <= set(
        document["paths"]
    )
    assert "/v1/conflicts/{conflict_id}/resolved" in document["paths"]
    schemas = document["components"]["schemas"]
    assert {"PushRequest", "Operation", "PullRequest", "LoginRequest", "ErrorBody"} <= set(schemas)
    push_body = document["paths"]["/v1/push"]["post"]["requestBody"]
    assert push_body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PushRequest"
    }
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if path.startswith("/v1/") and path != "/v1/login":  # who may call it, and a 401
                assert operation["security"] == [{"bearer": []}], (method, path)
                assert "401" in operation["responses"], (method, path)
            if method in {"post", "put"} and "conflicts" not in path and "complete" not in path:
                assert operation["requestBody"]["required"] is True, (method, path)
            assert "422" not in operation["responses"] or "attachments" in path, (method, path)
    refused(requests.get(f"{live}/nada", timeout=10), 404, "no_encontrado")
    refused(requests.get(f"{live}/v1/push", timeout=10), 405, "metodo_no_permitido")
    # every method of the path, not only the first route's (two routes share this one)
    not_allowed = requests.delete(f"{live}/v1/attachments/{'0' * 64}", timeout=10)
    assert not_allowed.status_code == 405
    assert not_allowed.headers["Allow"] == "GET, POST"


def test_login_ok_and_wrong_password(server_db: ServerDb, live: str) -> None:
    server_db.add_user("ana", territories=["1501", "1502"])
    answer = login(live)
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"] == {
        "username": "ana",
        "role": "especialista",
        "territories": ["1501", "1502"],
        "full_name": "",  # not recorded by the administrator yet
        "post": "",
    }
    assert body["protocol"] == 2
    uuid.UUID(body["device_id"])
    message = refused(login(live, password="equivocada"), 401, "no_autorizado")
    assert message == "Usuario o contraseña incorrectos."
    refused(login(live, username="nadie"), 401, "no_autorizado")
    assert server_db.count(Device) == 1


def test_login_is_rate_limited(server_db: ServerDb, live: str) -> None:
    server_db.add_user("ana", territories=["1501"])
    for _ in range(5):
        refused(login(live, password="equivocada"), 401, "no_autorizado")
    limited = login(live)  # even the right password waits
    message = refused(limited, 429, "demasiados_intentos")
    assert "Espere" in message
    assert 1 <= int(limited.headers["Retry-After"]) <= 300
    refused(login(live, username="otra"), 429, "demasiados_intentos")  # same address
    assert server_db.count(Device) == 0


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_needs_a_valid_token(
    server_db: ServerDb, live: str, method: str, path: str, body: Any
) -> None:
    server_db.add_user("ana", territories=["1501"])
    reset = login(live).json()["token"]  # its password is then changed: sign in again
    second = login(live).json()  # then withdrawn by the administrator: it must lock itself
    withdrawn = second["token"]
    with server_db.factory.begin() as session:
        auth.set_password(session, "ana", "otra-clave-segura", dt.datetime.now(dt.UTC))
        assert auth.revoke_device(session, uuid.UUID(second["device_id"]), dt.datetime.now(dt.UTC))
    cases = [({}, NO_TOKEN, NO_AUTH), ({"Authorization": "Basic abc"}, NO_TOKEN, NO_AUTH)]
    cases += [(bearer("desconocido"), BAD_TOKEN, NO_AUTH), (bearer(reset), BAD_TOKEN, NO_AUTH)]
    cases += [(bearer(withdrawn), WITHDRAWN_MESSAGE, WITHDRAWN)]
    for headers, message, code in cases:
        answer = requests.request(method, f"{live}{path}", json=body, headers=headers, timeout=10)
        assert refused(answer, 401, code) == message
        assert answer.headers["WWW-Authenticate"] == "Bearer"
    nothing_stored(server_db)
    server_db.flush_audit()
    with server_db.factory.begin() as session:
        trail = audit.query(session, actions=[audit.Action.ACCESS_REFUSED])
    assert [(e.actor, json.loads(e.detail)["token"]) for e in trail] == [
        (audit.UNKNOWN_ACTOR, "sin_token"),  # twice within the minute: one entry
        (audit.UNKNOWN_ACTOR, "desconocido"),
        ("ana", "revocado"),
        ("ana", "dado_de_baja"),
    ]
    assert {json.loads(e.detail)["ruta"] for e in trail} == {path}


def test_push_pull_digest_and_conflicts_over_http(
    server_db: ServerDb, live: str, token: str
) -> None:
    other = server_db.add_user("bea", territories=["1601"])
    foreign = op("instancia", scope="160101", fields={"chair_name": "secreto"})
    server_db.push(other, foreign)
    rid = instancia_of("150101")
    operations = [
        wire(op("instancia", fields={"chair_name": "A"})),
        wire(op("instancia", scope="160102")),
    ]
    answer = requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": operations},
        headers=bearer(token),
        timeout=10,
    )
    assert answer.json()["receipts"][0] == {
        "outcome": "applied",
        "version": 1,
        "reason": "",
        "conflicts": [],
    }  # no op id, no nulls: by position
    receipts = PushResponse.model_validate(answer.json()).receipts
    assert [r.outcome for r in receipts] == ["applied", "rejected"]
    assert "fuera de su ámbito" in receipts[1].reason
    # another territory's record: neither editable nor visible
    edit = wire(
        op(
            "instancia",
            foreign.record_id,
            "update",
            base=1,
            scope="160101",
            fields={"chair_name": "x"},
        )
    )
    answer = requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": [edit]},
        headers=bearer(token),
        timeout=10,
    )
    assert answer.json()["receipts"][0]["outcome"] == "rejected"
    page = requests.post(
        f"{live}/v1/pull", json={"protocol": 2, "cursor": 0}, headers=bearer(token), timeout=10
    ).json()
    assert [r["record_id"] for r in page["records"]] == [str(rid)]
    digests = requests.post(
        f"{live}/v1/digest",
        json={"protocol": 2, "kinds": ["instancia"]},
        headers=bearer(token),
        timeout=10,
    ).json()
    assert digests["digests"][0]["count"] == 1
    # a conflict set aside for ana, listed, then marked resolved
    server_db.push(
        server_db.add_user("sup", role="supervisor"),
        op("instancia", rid, "update", base=1, fields={"chair_name": "B"}),
    )
    mine = wire(op("instancia", rid, "update", base=1, fields={"chair_name": "C"}))
    requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": [mine]},
        headers=bearer(token),
        timeout=10,
    )
    listed = requests.get(f"{live}/v1/conflicts", headers=bearer(token), timeout=10).json()
    (conflict,) = listed["conflicts"]
    assert (conflict["kept_value"], conflict["other_value"], conflict["other_author"]) == (
        "B",
        "C",
        "ana",
    )
    done = requests.post(
        f"{live}/v1/conflicts/{conflict['conflict_id']}/resolved", headers=bearer(token), timeout=10
    )
    assert done.status_code == 204
    assert done.content == b""
    assert (
        requests.get(f"{live}/v1/conflicts", headers=bearer(token), timeout=10).json()["conflicts"]
        == []
    )
    refused(
        requests.post(
            f"{live}/v1/conflicts/{uuid.uuid4()}/resolved", headers=bearer(token), timeout=10
        ),
        404,
        "no_encontrado",
    )
    refused(
        requests.post(
            f"{live}/v1/conflicts/no-es-uuid/resolved", headers=bearer(token), timeout=10
        ),
        400,
        "solicitud_invalida",
    )


BAD_BODIES: list[tuple[str, bytes, int, str, list[str]]] = [
    ("malformed", b'{"protocol": 2, "operations": [', 400, "solicitud_invalida", ["JSON"]),
    ("not an object", b"[1, 2]", 400, "solicitud_invalida", ["objeto JSON"]),
    ("empty", b"", 400, "solicitud_invalida", ["cuerpo"]),
    ("nan", b'{"protocol": 2, "operations": [], "x": NaN}', 400, "solicitud_invalida", ["NaN"]),
    (
        "latin-1",
        '{"protocol": 2, "operations": ["ñ"]}'.encode("latin-1"),
        400,
        "solicitud_invalida",
        ["UTF-8"],
    ),
    (
        "wrong types",
        b'{"protocol": 2, "operations": "muchas"}',
        400,
        "solicitud_invalida",
        ["operations: debe ser una lista"],
    ),
    (
        "unknown field",
        b'{"protocol": 2, "operations": [], "extra": 1}',
        400,
        "solicitud_invalida",
        ["extra: campo no permitido"],
    ),
    (
        "missing field",
        b'{"protocol": 2}',
        400,
        "solicitud_invalida",
        ["operations: falta este campo"],
    ),
    (
        "protocol as text",
        b'{"protocol": "uno", "operations": []}',
        400,
        "solicitud_invalida",
        ["protocol"],
    ),
    ("protocol 1", b'{"protocol": 1, "operations": []}', 409, "protocolo", [PROTOCOL]),
    ("protocol 1 and junk", b'{"protocol": 1, "nada": true}', 409, "protocolo", [PROTOCOL]),
    (
        "surrogate",
        b'{"protocol": 2, "operations": ["\\ud800"]}',
        400,
        "solicitud_invalida",
        ["Unicode"],
    ),
]


@pytest.mark.parametrize(
    ("name", "raw", "status", "error", "says"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
def test_bad_push_bodies_are_refused_and_nothing_is_stored(
    server_db: ServerDb,
    live: str,
    token: str,
    name: str,
    raw: bytes,
    status: int,
    error: str,
    says: list[str],
) -> None:
    headers = {**bearer(token), "Content-Type": "application/json"}
    message = refused(
        requests.post(f"{live}/v1/push", data=raw, headers=headers, timeout=10), status, error
    )
    for text in says:
        assert text in message
    nothing_stored(server_db)


def test_a_nul_character_refuses_its_operation_alone(
    server_db: ServerDb, live: str, token: str
) -> None:
    """Text pasted from a PDF can carry U+0000, which no database keeps: that change is refused
    (kept in quarantine, escaped), the rest of the batch goes in and the laptop keeps syncing."""
    pasted = wire(op("member"))
    pasted["fields"]["entity_name"] = "Gerencia\u0000 de Desarrollo Social"
    answer = requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": [wire(op("instancia")), pasted, wire(op("member"))]},
        headers=bearer(token),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    instancia, first, second = answer.json()["receipts"]
    assert first["outcome"] == "rejected" and "caracteres nulos" in first["reason"]
    assert instancia["outcome"] == second["outcome"] == "applied", second
    assert server_db.count(Record) == 2
    assert server_db.count(Quarantine) == 1


def test_wrong_operation_fields_are_named(server_db: ServerDb, live: str, token: str) -> None:
    bad = wire(op())
    bad.update(kind="Mal Tipo", record_id="x", made_at="ayer", sobra=1)
    del bad["scope"]
    answer = requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": [bad]},
        headers=bearer(token),
        timeout=10,
    )
    message = refused(answer, 400, "solicitud_invalida")
    for text in (
        "operations.0.kind: formato no válido",
        "operations.0.record_id: debe ser un identificador UUID",
        "operations.0.made_at: debe ser una fecha y hora ISO 8601",
        "operations.0.scope: falta este campo",
        "operations.0.sobra: campo no permitido",
    ):
        assert text in message
    for path, body in [
        ("/v1/pull", {"protocol": 2, "cursor": -1}),
        ("/v1/digest", {"protocol": 2, "kinds": [1]}),
    ]:
        refused(
            requests.post(f"{live}{path}", json=body, headers=bearer(token), timeout=10),
            400,
            "solicitud_invalida",
        )
    refused(
        requests.post(f"{live}/v1/login", json={"protocol": 2, "username": "a\u0000"}, timeout=10),
        400,
        "solicitud_invalida",
    )
    refused(
        requests.post(
            f"{live}/v1/pull", json={"protocol": 1, "cursor": 0}, headers=bearer(token), timeout=10
        ),
        409,
        "protocolo",
    )
    nothing_stored(server_db)


def test_oversized_batches_and_bodies_are_refused(
    server_db: ServerDb, live: str, token: str
) -> None:
    batch = [wire(op()) for _ in range(MAX_BATCH + 1)]
    answer = requests.post(
        f"{live}/v1/push",
        json={"protocol": 2, "operations": batch},
        headers=bearer(token),
        timeout=30,
    )
    assert f"{MAX_BATCH + 1} operaciones" in refused(answer, 413, "demasiado_grande")
    big = json.dumps({"protocol": 2, "operations": [wire(op(fields={"texto": "x" * 8_100_000}))]})
    answer = requests.post(
        f"{live}/v1/push",
        data=big,
        headers={**bearer(token), "Content-Type": "application/json"},
        timeout=30,
    )
    assert "8 MB" in refused(answer, 413, "demasiado_grande")
    bomb = gzip.compress(big.encode())
    answer = requests.post(
        f"{live}/v1/push",
        data=bomb,
        headers={**bearer(token), "Content-Encoding": "gzip"},
        timeout=30,
    )
    refused(answer, 413, "demasiado_grande")
    broken = requests.post(
        f"{live}/v1/push",
        data=b"no es gzip",
        headers={**bearer(token), "Content-Encoding": "gzip"},
        timeout=10,
    )
    refused(broken, 400, "solicitud_invalida")
    other = requests.post(
        f"{live}/v1/push",
        data=b"{}",
        headers={**bearer(token), "Content-Encoding": "br"},
        timeout=10,
    )
    refused(other, 400, "solicitud_invalida")
    nothing_stored(server_db)


def test_gzip_both_ways(server_db: ServerDb, live: str, token: str) -> None:
    operations = [wire(op("instancia"))]
    operations += [wire(op(fields={"entity_name": f"Entidad {n}" * 5})) for n in range(29)]
    body = gzip.compress(json.dumps({"protocol": 2, "operations": operations}).encode())
    answer = requests.post(
        f"{live}/v1/push",
        data=body,
        headers={**bearer(token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
        timeout=10,
    )
    assert [r["outcome"] for r in answer.json()["receipts"]] == ["applied"] * 30
    page = requests.post(
        f"{live}/v1/pull",
        json={"protocol": 2, "cursor": 0},
        headers={**bearer(token), "Accept-Encoding": "gzip"},
        timeout=10,
    )
    assert page.headers["Content-Encoding"] == "gzip"
    assert len(page.json()["records"]) == 30


def test_the_same_batch_posted_five_times_in_parallel_is_applied_once(
    server_db: ServerDb, live: str, token: str
) -> None:
    rid = server_db.instancia(server_db.add_user("bea", territories=["1501"]))
    server_db.push(
        server_db.add_user("carla", territories=["1501"]),
        op("instancia", rid, "update", base=1, fields={"chair_name": "B"}),
    )
    operations = [wire(op()) for _ in range(20)]
    operations.append(wire(op("instancia", rid, "update", base=1, fields={"chair_name": "C"})))
    operations.append(wire(op(scope="2401")))
    body = {"protocol": 2, "operations": operations}
    start = threading.Barrier(5)
    answers: list[Any] = [None] * 5

    def post(slot: int) -> None:
        start.wait()
        answers[slot] = requests.post(
            f"{live}/v1/push", json=body, headers=bearer(token), timeout=60
        )

    threads = [threading.Thread(target=post, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [200] * 5
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies)
    outcomes = [r["outcome"] for r in bodies[0]["receipts"]]
    assert outcomes == ["applied"] * 20 + ["conflict", "rejected"]
    assert server_db.count(Record) == 21
    assert server_db.count(OperationLog) == 22 + 2
    assert (server_db.count(Conflict), server_db.count(Quarantine)) == (1, 1)


def test_health_says_when_the_database_cannot_serve(tmp_path: Path) -> None:
    """An IT office's monitor sees 503 and why: a schema never migrated, a database gone."""
    with socket.socket() as probe:  # a port where no database listens
        probe.bind(("127.0.0.1", 0))
        nowhere = probe.getsockname()[1]
    for url, reachable in (
        (f"sqlite:///{tmp_path / 'nunca-migrada.sqlite3'}", True),
        (f"postgresql+psycopg://nadie@127.0.0.1:{nowhere}/central", False),
    ):
        engine = create_server_engine(url)
        app = create_app(session_factory(engine), limiter=LoginLimiter())
        try:
            with LocalServer(app) as server:
                answer = requests.get(f"{server.url}/health", timeout=30)
        finally:
            app.state.audit_trail.close()
            engine.dispose()
        assert answer.status_code == 503, url
        said = answer.json()
        assert said["status"] == "error" and said["database"]["reachable"] is reachable
        assert said["database"]["expected"] == HEAD_REVISION
        assert said["database"].get("revision") is None
