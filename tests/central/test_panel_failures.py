"""A dashboard page that cannot be served says so in a page, and nothing is half done."""

import datetime as dt
import sqlite3
from pathlib import Path

import requests
from helpers.panel import csrf_of, serving, sign_in
from helpers.server_db import PASSWORD, server_database

from central.app import create_central_app
from sync.server import auth
from sync.server.throttle import LoginLimiter

T0 = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)


def test_signing_out_while_the_database_is_locked_keeps_the_session_and_says_why(
    tmp_path: Path,
) -> None:
    for server_db in server_database("sqlite", tmp_path, busy_seconds=0.3):
        with server_db.factory.begin() as session:
            auth.create_user(session, "sede", "sede", PASSWORD, T0)
        app = create_central_app(server_db.factory, limiter=LoginLimiter())
        with serving(app) as base:
            browser = sign_in(base, "sede", PASSWORD)
            token = csrf_of(browser.get(f"{base}/panel/", timeout=10).text)
            holder = sqlite3.connect(tmp_path / "server.sqlite3", timeout=5, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock beyond 0.3 s
            try:
                busy = browser.post(f"{base}/panel/salir", data={"csrf": token}, timeout=10)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
            assert busy.headers["content-type"].startswith("text/html")
            assert "El servidor está ocupado. Vuelva a cargar la página" in busy.text
            # Nothing was done: the session still opens the panel, and «Salir» works now.
            assert "sede (Sede)" in browser.get(f"{base}/panel/", timeout=10).text
            left = browser.post(f"{base}/panel/salir", data={"csrf": token}, timeout=10)
            assert left.status_code == 200 and left.url.endswith("/panel/ingresar")
            again = requests.get(f"{base}/panel/", cookies=dict(browser.cookies), timeout=10,
                                 allow_redirects=False)  # fmt: skip
            assert again.status_code == 303
            # The sync API keeps answering its clients in JSON.
            api = requests.post(f"{base}/v1/login", data="x", timeout=10)
            assert api.headers["content-type"].startswith("application/json")


def test_an_unexpected_failure_on_a_page_is_a_spanish_page_without_details(
    tmp_path: Path,
) -> None:
    for server_db in server_database("sqlite", tmp_path):
        app = create_central_app(server_db.factory, limiter=LoginLimiter())

        @app.get("/panel/prueba-de-falla")
        def broken() -> None:
            raise RuntimeError("secreto interno 12345")

        with serving(app) as base:
            answer = requests.get(f"{base}/panel/prueba-de-falla", timeout=10)
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "Ocurrió un error en el servidor. Vuelva a cargar la página" in answer.text
    assert "secreto interno" not in answer.text and 'lang="es-PE"' in answer.text
