"""``instancias-central serve`` as an IT office runs it: migrated, summaries built, serving."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from helpers.records import operation
from helpers.server_db import server_database
from sqlalchemy import func, select

from central.summary_tables import state, visits
from sync.server.store import Record


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_builds_the_summaries_before_it_answers(tmp_path: Path) -> None:
    for server_db in server_database("sqlite", tmp_path):
        sara = server_db.add_user("sara", "supervisor")
        server_db.instancia(sara, "080108")
        server_db.push(sara, operation("visit", scope="080108"))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--database-url", server_db.url,
             "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy(),
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
            with server_db.factory.begin() as session:
                built = session.execute(select(state.c.last_seq)).scalar_one()
                assert built == session.scalar(select(func.max(Record.seq)))
                assert session.scalar(select(func.count()).select_from(visits)) == 1
            signin = requests.get(f"http://127.0.0.1:{port}/panel/ingresar", timeout=5)
            assert signin.status_code == 200 and "Ingresar" in signin.text
        finally:
            server.terminate()  # by its PID
            _, said = server.communicate(timeout=30)
        assert "Preparando los resúmenes del panel" in said.decode()
