"""The nginx example the deployment guide installs, in front of a server with three workers."""

from pathlib import Path

import pytest
import requests
from helpers.central_process import CENTRAL_COMMAND, CentralProcess, free_port
from helpers.reverse_proxy import ReverseProxy
from helpers.server_db import PASSWORD, server_database

from sync.errors import Refused
from sync.transport_http import HttpTransport


def test_the_shipped_site_passes_nginx_t_on_this_distribution(tmp_path: Path) -> None:
    checked = ReverseProxy(tmp_path / "nginx", free_port()).test_configuration()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_sign_ins_are_limited_once_for_every_worker(tmp_path: Path) -> None:
    """Each worker counts failures alone (three workers: three times as many); nginx counts
    them for all: of sixteen wrong passwords in a row, at most six reach the server."""
    for server_db in server_database("postgresql", tmp_path):
        server_db.add_user("ana", "especialista", ["08"])
        server = CentralProcess(server_db.url, tmp_path / "server", command=CENTRAL_COMMAND,
                                options=("--workers", "3"))  # fmt: skip
        try:
            server.start()
            with ReverseProxy(tmp_path / "nginx", server.port) as proxy:
                https = proxy.session()
                plain = requests.get(f"http://127.0.0.1:{proxy.http_port}/panel",
                                     allow_redirects=False, timeout=5)  # fmt: skip
                assert plain.status_code == 301
                assert plain.headers["Location"].startswith("https://")
                assert https.get(f"{proxy.url}/health", timeout=5).json()["status"] == "ok"
                wrong = {"username": "ana", "password": "equivocada", "device_name": "Laptop"}
                answers = [
                    https.post(f"{proxy.url}/v1/login", json=wrong, timeout=10) for _ in range(16)
                ]
                ours = [a for a in answers if "json" in a.headers.get("Content-Type", "")]
                held = [a for a in answers if a not in ours]
                assert 1 <= len(ours) <= 6, [a.status_code for a in answers]
                assert len(held) >= 10 and {a.status_code for a in held} == {429}
                laptop = HttpTransport(proxy.url, session=https, retries=0)
                with pytest.raises(Refused) as refused:
                    laptop.login("ana", PASSWORD, "Laptop de Ana")
                assert refused.value.status == 429
                assert "Demasiadas solicitudes seguidas" in str(refused.value)
        finally:
            server.stop()
