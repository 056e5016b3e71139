"""The servers as an IT office runs them: migrated, summaries built, one or several workers."""

import contextlib
import io
from pathlib import Path

import pytest
import requests
from helpers.central_process import CENTRAL_COMMAND, SERVER_COMMAND, CentralProcess
from helpers.records import operation
from helpers.server_db import PASSWORD, bearer, login, server_database
from sqlalchemy import func, select

from central.summary_tables import state, visits
from sync.protocol import PushRequest
from sync.server.__main__ import main as server_main
from sync.server.store import Record


def workers_of(pid: int) -> int:
    """How many workers ``pid`` started (its children that run multiprocessing's spawn; its
    resource tracker is a child too, and no worker), read from /proc."""
    found = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a process that ended between the listing and the read
        found += parent == pid and b"spawn_main" in command
    return found


def test_central_serve_builds_the_summaries_before_it_answers(tmp_path: Path) -> None:
    for server_db in server_database("sqlite", tmp_path):
        sara = server_db.add_user("sara", "supervisor")
        server_db.instancia(sara, "080108")
        server_db.push(sara, operation("visit", scope="080108"))
        announce = ("--app-minimum", "0.1", "--app-latest", "0.2.0")
        server = CentralProcess(server_db.url, tmp_path / "central", command=CENTRAL_COMMAND,
                                options=announce)  # fmt: skip
        try:
            base = server.start()
            announced = requests.get(f"{base}/health", timeout=5).json()["app"]
            assert announced == {"minimum": "0.1", "latest": "0.2.0"}
            with server_db.factory.begin() as session:
                built = session.execute(select(state.c.last_seq)).scalar_one()
                assert built == session.scalar(select(func.max(Record.seq)))
                assert session.scalar(select(func.count()).select_from(visits)) == 1
            signin = requests.get(f"{base}/panel/ingresar", timeout=5)
            assert signin.status_code == 200 and "Ingresar" in signin.text
        finally:
            server.stop()  # by its PID
        assert "Preparando los resúmenes del panel" in server.log()


@pytest.mark.parametrize("command", [SERVER_COMMAND, CENTRAL_COMMAND])
def test_several_workers_on_postgresql_serve_the_laptops(tmp_path: Path, command: str) -> None:
    for server_db in server_database("postgresql", tmp_path):
        ana = server_db.add_user("ana", "especialista", ["08"])
        server_db.instancia(ana, "080108")  # the members below belong to it
        server = CentralProcess(server_db.url, tmp_path / "server", command=command,
                                options=("--workers", "3"))  # fmt: skip
        try:
            base = server.start()
            assert workers_of(server.pid) == 3
            health = requests.get(f"{base}/health", timeout=10).json()
            assert health["status"] == "ok" and health["database"]["dialect"] == "postgresql"
            token = login(base, "ana", PASSWORD).json()["token"]
            for _ in range(6):  # spread over the workers: each finds the same database
                body = PushRequest(operations=(operation("member", scope="080108"),))
                pushed = requests.post(f"{base}/v1/push", headers=bearer(token), timeout=30,
                                       json=body.model_dump(mode="json"))  # fmt: skip
                assert pushed.json()["receipts"][0]["outcome"] == "applied", pushed.text
        finally:
            server.stop()
        assert server_db.count(Record) == 7  # the instancia and its six members


def test_a_version_that_is_not_one_is_refused_in_spanish() -> None:
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        code = server_main(["serve", "--app-minimum", "pronto"], stderr=said)
    assert code == 2 and "«pronto» no es una versión" in said.getvalue()
