"""``instancias-sync-server admin …`` called through main(argv) with a fake standard input."""

import io
import uuid
from pathlib import Path

import pytest
from helpers.admin_cli import run
from helpers.server_db import ServerDb, op
from sqlalchemy import select

from sync.kinds import PARTICIPANT, VISIT
from sync.protocol import LoginRequest
from sync.server import auth
from sync.server.__main__ import build_parser, default_database_url, main
from sync.server.access import load_caller
from sync.server.admin_audit import admin_actor
from sync.server.store import AuditEntry


def can_login(server_db: ServerDb, name: str, password: str) -> bool:
    with server_db.factory.begin() as session:
        request = LoginRequest(username=name, password=password, device_name="prueba")
        return auth.login(session, request, auth.dt.datetime.now(auth.dt.UTC)) is not None


def test_users_territories_passwords_and_devices(server_db: ServerDb, tmp_path: Path) -> None:
    url = server_db.url
    assert run(url, "create-user", "ana", "--role", "especialista", stdin="clave-segura\n") == (
        0,
        "Usuario «ana» creado (especialista).\n",
        "",
    )
    code, _, err = run(url, "create-user", "ana", "--role", "supervisor", stdin="otra-clave\n")
    assert (code, err) == (1, "Error: El usuario «ana» ya existe.\n")
    code, _, err = run(url, "create-user", "beto", "--role", "supervisor", stdin="")
    assert code == 1
    assert "Falta la contraseña" in err
    secret = tmp_path / "clave.txt"
    secret.write_text("desde-archivo\n", encoding="utf-8")
    assert (
        run(url, "create-user", "sup", "--role", "supervisor", "--password-file", str(secret))[0]
        == 0
    )
    assert can_login(server_db, "sup", "desde-archivo")
    code, _, err = run(
        url, "create-user", "x", "--role", "supervisor", "--password-file", str(tmp_path / "no")
    )
    assert code == 1
    assert "No se pudo leer" in err

    assert run(url, "assign", "ana", "1501", "150101") == (
        0,
        "Territorios de «ana»: 1501, 150101.\n",
        "",
    )
    assert run(url, "assign", "ana", "--replace", "16")[1] == "Territorios de «ana»: 16.\n"
    code, _, err = run(url, "assign", "ana", "1")
    assert code == 1
    assert "Ubigeo no válido: 1" in err
    with server_db.factory.begin() as session:
        assert load_caller(session, "ana").territories == ("16",)

    assert run(url, "reset-password", "ana", stdin="nueva-clave\n")[0] == 0
    assert can_login(server_db, "ana", "nueva-clave")
    assert not can_login(server_db, "ana", "clave-segura")
    code, _, err = run(url, "reset-password", "ana", stdin="corta\n")
    assert (code, "al menos 8" in err) == (1, True)

    code, out, _ = run(url, "list-devices", "ana")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "ID_EQUIPO\tUSUARIO\tNOMBRE\tREGISTRADO\tESTADO"
    device_id = lines[1].split("\t")[0]
    assert lines[1].endswith("\tactivo")
    assert run(url, "revoke-device", device_id) == (
        0,
        f"Equipo {device_id} dado de baja: su token ya no sirve.\n",
        "",
    )
    (revoked,) = [line for line in run(url, "list-devices")[1].splitlines() if device_id in line]
    assert "\tdado de baja " in revoked
    assert run(url, "list-devices", "nadie")[1] == "No hay equipos registrados.\n"
    code, _, err = run(url, "revoke-device", str(uuid.uuid4()))
    assert (code, "No existe el equipo" in err) == (1, True)
    code, _, err = run(url, "revoke-device", "no-es-un-id")
    assert (code, "no es un identificador" in err) == (2, True)


def test_usage_errors_exit_with_2(server_db: ServerDb, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(server_db.url, "create-user", "ana", "--role", "jefe")[0] == 2
    assert "uso incorrecto" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["admin", "--database-url", server_db.url]) == 2
    code, _, err = run("mysql://nadie/nada", "list-devices")
    assert code == 2
    assert "no es válida" in err
    assert build_parser().parse_args(["serve"]).port == 8765
    assert build_parser().parse_args(["serve"]).token_days == 90
    assert build_parser().parse_args(["serve", "--token-days", "30"]).token_days == 30
    assert main(["serve", "--token-days", "0"]) == 2
    assert "al menos 1" in capsys.readouterr().err


def test_the_default_database_lives_in_the_servers_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_database_url()
    assert url == f"sqlite:///{tmp_path / 'instancias_sync_server' / 'sync.sqlite3'}"
    assert main(["admin", "list-devices"], stdout=io.StringIO()) == 0
    assert (tmp_path / "instancias_sync_server" / "sync.sqlite3").exists()


def test_the_quarantine_is_listed_and_a_record_withdrawn_as_an_audited_tombstone(
    server_db: ServerDb,
) -> None:
    url = server_db.url
    ana = server_db.add_user("ana", territories=["1501"])
    inst = server_db.instancia(ana)
    visit, person = op("visit"), op("person")
    child = op("participant", fields={"person_id": str(person.record_id)}, parent=visit.record_id)
    server_db.push(ana, visit, person, child, op("visit", scope="160101"))
    code, out, _ = run(url, "list-quarantine", "--user", "ana")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("RECIBIDA\tUSUARIO\tTIPO")
    assert len(lines) == 2 and "\tana\tvisit\t" in lines[1] and "no está en el servidor" in lines[1]
    assert run(url, "list-quarantine", "--user", "nadie")[1] == "No hay operaciones rechazadas.\n"

    code, out, _ = run(url, "withdraw", "visit", str(visit.record_id), "--reason", "duplicada")
    assert code == 0 and out.startswith("Retirados 2 registro(s)")
    pulled = {r.record_id: r for r in server_db.pull(ana).records}
    assert pulled[visit.record_id].deleted and pulled[child.record_id].deleted
    assert not pulled[inst].deleted and not pulled[person.record_id].deleted
    with server_db.factory.begin() as session:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retirar").order_by(AuditEntry.id)
        ).all()
        actor = admin_actor()
        assert actor.startswith("admin:") and len(actor) > len("admin:")
        assert [(a.actor, a.action, a.kind) for a in audit] == [
            (actor, "retirar", VISIT.name),
            (actor, "retirar", PARTICIPANT.name),
        ]
        assert "duplicada" in audit[0].detail
    again = run(url, "withdraw", "visit", str(visit.record_id), "--reason", "otra vez")
    assert again[1].startswith("El registro «visit»") and "ya estaba eliminado" in again[1]
    code, _, err = run(url, "withdraw", "visit", str(uuid.uuid4()), "--reason", "x")
    assert code == 1 and "No existe el registro" in err
    assert run(url, "withdraw", "visit", "no-es-id", "--reason", "x")[0] == 2
    assert run(url, "withdraw", "expediente", str(uuid.uuid4()), "--reason", "x")[0] == 2
