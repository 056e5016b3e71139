"""The server's audit trail: every sign-in, push, read, download, refusal and admin act.

Each entry names the user, the device and the address, and holds counts, codes and
fingerprints: never a person's name or document number.
"""

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import threading
import uuid
from pathlib import Path

import requests
from helpers.server_db import T0, ServerDb, bearer, login, named, op
from sqlalchemy import select

from sync.kinds import PERSON
from sync.protocol import FetchRequest, PullRequest, PushRequest, RecordKey
from sync.server import audit, auth
from sync.server.__main__ import main
from sync.server.admin_audit import admin_actor
from sync.server.app import create_app
from sync.server.audit import Action, AuditTrail
from sync.server.db import session_factory
from sync.server.local import LocalServer
from sync.server.store import AuditEntry
from sync.transport_http import HttpTransport
from sync.uploads import upload

NAME, DNI = "Rosa Elvira Quispe Mamani", "40112233"


def trail(server_db: ServerDb, **filters: object) -> list[audit.Entry]:
    server_db.flush_audit()
    with server_db.factory.begin() as session:
        return audit.query(session, **filters)  # type: ignore[arg-type]


def every_detail(server_db: ServerDb) -> str:
    server_db.flush_audit()
    with server_db.factory.begin() as session:
        rows = session.scalars(select(AuditEntry)).all()
        return "\n".join(f"{r.actor}|{r.detail}|{r.address}" for r in rows)


def test_each_access_over_http_leaves_an_entry_without_personal_values(
    server_db: ServerDb, live: str
) -> None:
    server_db.add_user("ana", territories=["1501"])
    server_db.add_user("beto", territories=["16"])
    assert login(live, password="no-es-la-clave").status_code == 401
    assert login(live, username=DNI, password=NAME).status_code == 401  # a name typed wrong
    signed = login(live).json()
    token, device = signed["token"], uuid.UUID(signed["device_id"])
    other = login(live, username="beto").json()["token"]

    person = op(PERSON.name, fields={"full_name": NAME, "document_number": DNI})
    data = os.urandom(3000)
    sha = hashlib.sha256(data).hexdigest()
    named(server_db, "ana", sha, len(data))
    with HttpTransport(live, token) as link:
        receipts = link.push(PushRequest(operations=(person,))).receipts
        page = link.pull(PullRequest(cursor=0))
        link.fetch(FetchRequest(keys=(RecordKey(kind=PERSON.name, record_id=person.record_id),)))
        link.conflicts()
        assert upload(link, sha, len(data), lambda at, n: data[at : at + n], chunk_size=1024)
        assert link.get_chunk(sha, 0) == data[:1024]
    hidden = requests.get(
        f"{live}/v1/attachments/{sha}/chunks/0", headers=bearer(other), timeout=10
    )
    assert hidden.status_code == 404  # beto's territory names no such annex

    entries = trail(server_db)
    ana = [(e.action, e.device_id) for e in entries if e.actor == "ana"]
    assert (Action.SIGN_IN, device) in ana
    for action in (
        Action.PUSH,
        Action.PULL,
        Action.READ_RECORDS,
        Action.READ_CONFLICTS,
        Action.ANNEX_UPLOAD,
        Action.ANNEX_DOWNLOAD,
    ):
        assert (action, device) in ana, action
    refused_logins = [e for e in entries if e.action == Action.SIGN_IN_REFUSED]
    assert [(e.actor, json.loads(e.detail)["motivo"]) for e in refused_logins] == [
        ("ana", "contrasena_incorrecta"),
        (audit.UNKNOWN_ACTOR, "usuario_desconocido"),
    ]
    (push,) = [e for e in entries if e.action == Action.PUSH]
    assert json.loads(push.detail) == {"operaciones": 1, receipts[0].outcome.value: 1}
    (pull,) = [e for e in entries if e.action == Action.PULL]
    assert json.loads(pull.detail)["cambios"] == len(page.records) > 0
    (denied,) = [e for e in entries if e.action == Action.ACCESS_REFUSED]
    assert denied.actor == "beto" and json.loads(denied.detail) == {"ruta": "anexo", "archivo": sha}
    assert {e.address for e in entries} == {"127.0.0.1"}
    text = every_detail(server_db)
    assert NAME not in text and DNI not in text and "Quispe" not in text


def test_a_withdrawn_device_cannot_sign_in_again_with_its_token(
    server_db: ServerDb, live: str
) -> None:
    server_db.add_user("ana", territories=["1501"])
    first = login(live).json()
    with server_db.factory.begin() as session:
        auth.revoke_device(session, uuid.UUID(first["device_id"]), T0)
    again = login(live, device_token=first["token"])
    assert again.status_code == 403 and again.json()["error"] == "equipo_dado_de_baja"
    assert "dado de baja" in again.json()["message"]
    (entry,) = trail(server_db, actions=[Action.SIGN_IN_REFUSED])
    assert (entry.actor, entry.device_id) == ("ana", uuid.UUID(first["device_id"]))
    fresh = login(live)  # from a new profile, with her password, she may start again
    assert fresh.status_code == 200 and fresh.json()["device_id"] != first["device_id"]


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["admin", "--database-url", url, *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_admin_acts_are_audited_and_the_trail_is_queried_and_pruned(
    server_db: ServerDb, tmp_path: Path
) -> None:
    secret = tmp_path / "clave.txt"
    secret.write_text("clave-muy-secreta-1\n", encoding="utf-8")
    assert run(server_db.url, "create-user", "ana", "--role", "especialista",
               "--password-file", str(secret), "--full-name", NAME)[0] == 0  # fmt: skip
    assert run(server_db.url, "assign", "ana", "1501")[0] == 0
    code, out, _ = run(server_db.url, "audit", "--action", "administracion")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("FECHA\tUSUARIO\tEQUIPO")
    assert len(lines) == 3 and all(f"\t{admin_actor()}\t" in line for line in lines[1:])
    assert '"comando":"create-user"' in lines[1] and '"usuario":"ana"' in lines[1]
    assert '"territorios":["1501"]' in lines[2]
    assert NAME not in out and "clave-muy-secreta" not in every_detail(server_db)

    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    with server_db.factory.begin() as session:
        session.add(audit.entry(old, Action.PULL, "ana", detail={"cambios": 3}))
    code, out, _ = run(server_db.url, "audit", "--user", "ana", "--until", f"{old:%Y-%m-%d}")
    assert code == 0 and len(out.splitlines()) == 2 and '"cambios":3' in out
    assert run(server_db.url, "audit", "--user", "nadie")[1].startswith("No hay entradas")
    assert run(server_db.url, "audit", "--since", "ayer")[0] == 2  # a date it cannot read
    code, out, _ = run(server_db.url, "prune-audit", "--keep-days", "30")
    assert code == 0 and "1 entrada(s)" in out
    assert not trail(server_db, actor="ana")
    assert run(server_db.url, "prune-audit", "--keep-days", "0")[0] == 2


def test_the_server_keeps_its_trail_only_as_long_as_configured(server_db: ServerDb) -> None:
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with server_db.factory.begin() as session:
        for days in (400, 100, 1):
            session.add(audit.entry(now - dt.timedelta(days=days), Action.PULL, "ana"))
    kept_a_year = AuditTrail(session_factory(server_db.engine), lambda: now, keep_days=365)
    kept_a_year.note_apart(Action.PULL, "ana")
    assert kept_a_year.flush()
    ages = sorted((now - e.at).days for e in trail(server_db))
    assert ages == [0, 1, 100]  # the entry of 400 days ago is gone; the new one is written
    for_ever = AuditTrail(session_factory(server_db.engine), lambda: now, keep_days=None)
    for_ever.note_apart(Action.PULL, "ana")
    assert for_ever.flush()
    assert len(trail(server_db)) == 4  # kept for ever when no retention is set


def test_a_flood_of_refusals_is_one_entry_a_minute_with_its_count(
    server_db: ServerDb, live: str
) -> None:
    for _ in range(25):  # a hostile client hammering with made-up tokens
        answer = requests.post(f"{live}/v1/pull", json={"protocol": 2, "cursor": 0},
                               headers=bearer("inventado"), timeout=10)  # fmt: skip
        assert answer.status_code == 401
    (entry,) = trail(server_db, actions=[Action.ACCESS_REFUSED])
    assert json.loads(entry.detail) == {"ruta": "/v1/pull", "token": "desconocido"}

    seconds = [0.0]
    alone = AuditTrail(
        session_factory(server_db.engine), lambda: dt.datetime.now(dt.UTC), ticks=lambda: seconds[0]
    )
    for at in (0.0, 10.0, 20.0, 59.0, 61.0, 70.0, 200.0):
        seconds[0] = at
        alone.note_refusal(Action.ACCESS_REFUSED, None, "desconocido", address="10.0.0.9")
    alone.note_refusal(Action.ACCESS_REFUSED, None, "desconocido", address="10.0.0.8")
    assert alone.flush()
    written = [
        json.loads(e.detail) for e in trail(server_db) if e.address and "10.0.0." in e.address
    ]
    assert written == [{}, {audit.SKIPPED: 3}, {audit.SKIPPED: 1}, {}]  # .9 at 0, 61, 200; .8


def test_a_read_never_waits_for_its_audit_entry_to_be_written(
    server_db: ServerDb, live: str, token: str
) -> None:
    """On SQLite a pull would otherwise wait for the one write lock, behind every push."""
    if server_db.dialect == "sqlite":  # another writer holds the one write lock
        blocker = sqlite3.connect(str(server_db.engine.url.database), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        release = blocker.close
    else:  # another transaction holds the audit table
        held = server_db.engine.connect()
        held.begin()
        held.exec_driver_sql("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")
        release = held.close
    try:
        answer = requests.post(
            f"{live}/v1/pull", json={"protocol": 2, "cursor": 0}, headers=bearer(token),
            timeout=10,
        )  # fmt: skip
        assert answer.status_code == 200, answer.text  # answered while the trail waits
    finally:
        release()
    assert [e.actor for e in trail(server_db, actions=[Action.PULL])] == ["ana"]  # then written


def test_a_stopped_test_server_writes_its_trail_and_leaves_no_writer(
    server_db: ServerDb,
) -> None:
    """LocalServer runs no lifespan: its stop does what the app's shutdown would."""
    server_db.add_user("ana", territories=["1501"])
    others = set(threading.enumerate())  # writers other tests' apps may have left
    app = create_app(session_factory(server_db.engine))
    server = LocalServer(app)
    base = server.start()
    assert login(base, password="no-es-la-clave").status_code == 401  # an entry on its way
    writers = [t for t in set(threading.enumerate()) - others if t.name == "audit"]
    assert writers, "the refusal started the trail's writer"
    server.stop()
    assert not any(t.is_alive() for t in writers)
    assert [e.action for e in trail(server_db)][-1:] == [Action.SIGN_IN_REFUSED]
