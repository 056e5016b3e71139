"""A laptop the administrator withdrew: it learns so, packs its unsent work, and is erased.

Over the real HTTP server: the specialist's laptop syncs once, keeps working offline, is
withdrawn (lost, then found); at its next contact it stops syncing for good; the changes and
the annex the server never received travel in a sealed file the supervisor applies; the
profile is then overwritten and removed.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from helpers.app import instancia, person
from helpers.profiles import open_profile
from helpers.server_db import writing
from sqlalchemy import select

from instancias_desktop.domain.enums import AttachmentKind
from instancias_desktop.domain.sync_views import DeviceWithdrawnError, SignIn
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from sync.kinds import VISIT
from sync.server import auth
from sync.server.__main__ import main as server_main
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer
from sync.server.store import AttachmentFile, AuditEntry, Record
from sync.unsent_package import PackageError, open_sealed

PASSWORD = "clave-de-campo-2026"
FILE_PASSPHRASE = "entregar-a-la-supervisora"
NAME, DNI = "Rosa Elvira Quispe Mamani", "40112233"


def services_of(root: Path) -> AppServices:
    paths = ProfilePaths(root)
    opened = open_profile(paths, Settings(author="ana"))
    return AppServices(opened.database, paths, Settings(author="ana", acta_series="R01"))


def test_a_withdrawn_laptop_locks_exports_its_unsent_work_and_is_erased(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = create_server_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        auth.create_user(session, "ana", "especialista", PASSWORD, dt.datetime.now(dt.UTC))
        assign_territories(session, "ana", ["08"])
    services = services_of(tmp_path / "perfil")
    with LocalServer(create_app(sessions)) as server:
        services.enrol(SignIn(server.url, "ana", PASSWORD, "Laptop de Ana"))
        services.synchronize(lambda _p: None)
        assert services.withdrawal() is None
        # Offline, she keeps working: a visit with a participant and a photo of the session.
        visit = services.start_visit(instancia(services))
        services.save_participant(visit, person(DNI, NAME))
        photo = tmp_path / "sesion.jpg"
        photo.write_bytes(b"\xff\xd8\xff" + b"foto de la sesion" * 500)
        services.attach_file(visit, photo, AttachmentKind.PHOTO)
        unsent = services.sync_status().pending
        with writing(sessions) as session:
            (device,) = auth.list_devices(session, "ana")
            auth.revoke_device(session, device.id, dt.datetime.now(dt.UTC))
        with pytest.raises(DeviceWithdrawnError, match="dado de baja"):
            services.synchronize(lambda _p: None)
    withdrawal = services.withdrawal()
    assert withdrawal is not None and withdrawal.username == "ana"
    assert (withdrawal.changes, withdrawal.files) == (unsent, 1) and unsent >= 3
    # Known now: the next attempt does not even reach for the server (it is not running).
    with pytest.raises(DeviceWithdrawnError):
        services.synchronize(lambda _p: None)

    target = tmp_path / "entrega" / "cambios-ana"
    target.parent.mkdir()
    with pytest.raises(ValidationError, match="no coinciden"):
        services.export_unsent(target, FILE_PASSPHRASE, FILE_PASSPHRASE + "x")
    with pytest.raises(ValidationError, match="al menos 10"):
        services.export_unsent(target, "corta", "corta")
    assert not list(target.parent.iterdir())  # nothing half-written
    written = services.export_unsent(target, FILE_PASSPHRASE, FILE_PASSPHRASE)
    assert written.name == "cambios-ana.cambios"
    raw = written.read_bytes()
    assert DNI.encode() not in raw and b"Quispe" not in raw  # sealed
    with pytest.raises(PackageError, match="contraseña no corresponde"):
        open_sealed(raw, "otra-contrasena-larga")
    package = open_sealed(raw, FILE_PASSPHRASE)
    assert package.username == "ana" and len(package.operations) == unsent
    assert len(package.files) == 1
    assert services.audit_trail(5)[0].action.value == "exportacion"

    # The supervisor applies it: the records and the photo reach the server as hers.
    passphrase_file = tmp_path / "clave-archivo.txt"
    passphrase_file.write_text(FILE_PASSPHRASE + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = server_main(
        ["admin", "--database-url", url, "import-unsent", str(written),
         "--password-file", str(passphrase_file)],
        stdout=out, stderr=err,
    )  # fmt: skip
    assert code == 0, err.getvalue()
    assert (
        f"{unsent} operación(es)" in out.getvalue()
        and "1 anexo(s) guardado(s) de 1" in out.getvalue()
    )
    with sessions.begin() as session:
        assert session.get(Record, (VISIT.name, visit)) is not None
        assert session.scalar(select(AttachmentFile.sha256)) == next(iter(package.files))
        admin_acts = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "administracion")
        )
        assert any('"import-unsent"' in detail for detail in admin_acts)

    # Then the laptop is erased: nothing of the profile remains but what it exported.
    root = services.paths.root
    services.paths.exports.mkdir(exist_ok=True)
    kept_inside = services.paths.exports / "copia.cambios"
    kept_inside.write_bytes(raw)
    erased = services.erase_profile()
    assert erased >= 3
    left = [p for p in root.rglob("*") if p.is_file()]
    assert left == [kept_inside]
    assert written.read_bytes() == raw
    services.close()  # the app closes it after erasing: nothing is recreated
    assert not services.paths.database.exists()
    engine.dispose()
