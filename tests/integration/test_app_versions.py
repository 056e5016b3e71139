"""The server announces app versions: below the minimum a laptop does not sync, and says why;
below the latest it syncs and says a newer one exists. Nothing updates itself."""

from pathlib import Path

import pytest
from helpers.app import instancia
from helpers.profiles import open_profile
from helpers.server_db import specialist_server
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop import __version__
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from sync.app_versions import app_notice
from sync.protocol import version_key
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.server.store import Record

PASSWORD = "clave-de-campo-2026"


def later(version: str) -> str:
    """A version after ``version`` («0.1.0» → «0.1.1»)."""
    parts = version_key(version)
    assert parts is not None, version
    return ".".join(map(str, (*parts[:-1], parts[-1] + 1)))


@pytest.mark.parametrize(
    ("announced", "current", "required", "available"),
    [
        ({}, "0.1.0", None, None),
        ({"minimum": "0.1.0", "latest": "0.2.0"}, "0.1.0", None, "0.2.0"),
        ({"minimum": "0.10.0"}, "0.9.5", "0.10.0", None),  # numbers, not text: 10 > 9
        ({"minimum": "0.1.0", "latest": "0.1.0"}, "0.1.0", None, None),
        ({"minimum": "1.0"}, "1.0.0+dev", None, None),  # a developer's build: never held back
        ({"minimum": "no-es-version"}, "0.1.0", None, None),
    ],
)
def test_what_an_announcement_means(
    announced: dict[str, str], current: str, required: str | None, available: str | None
) -> None:
    notice = app_notice({"status": "ok", "app": announced}, current)
    assert (notice.required, notice.available) == (required, available)


def test_a_laptop_below_the_minimum_keeps_its_work_and_says_why(tmp_path: Path) -> None:
    with specialist_server(tmp_path, PASSWORD) as sessions:
        held_back_then_told(sessions, tmp_path)


def held_back_then_told(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    services = AppServices(open_profile(paths, Settings(author="ana")).database, paths,
                           Settings(author="ana", acta_series="V01"))  # fmt: skip
    newer = later(__version__)
    held_back = create_app(sessions, app_versions={"minimum": newer, "latest": newer})
    with LocalServer(held_back) as server:
        services.enrol(SignIn(server.url, "ana", PASSWORD, "Laptop de Ana"))
        services.start_visit(instancia(services))
        waiting = services.sync_status().pending
        with pytest.raises(Exception, match=f"pide la {newer} o posterior") as refused:
            services.synchronize(lambda _p: None)
        port = int(server.url.rsplit(":", 1)[1])
    assert f"({__version__}) ya no puede sincronizar" in str(refused.value)
    assert services.sync_status().pending == waiting > 0  # nothing sent, nothing lost
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0

    told = create_app(sessions, app_versions={"minimum": __version__, "latest": newer})
    with LocalServer(told, port=port):  # the same address, now announcing a lower minimum
        summary = services.synchronize(lambda _p: None)
    assert summary.complete and services.sync_status().pending == 0
    assert f"Hay una versión nueva de la aplicación ({newer})" in summary.message
    held_back.state.audit_trail.close()
    told.state.audit_trail.close()
