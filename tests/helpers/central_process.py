"""The central server in its own process, as it runs in production: ``instancias-sync-server``.

Accounts are made with its ``admin`` commands; ``serve`` runs uvicorn on 127.0.0.1 on a free
port until ``stop()``, which ends it by its PID (SIGTERM, then SIGKILL if it lingers).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_COMMAND = str(Path(sys.executable).with_name("instancias-sync-server"))
START_SECONDS = 30.0


def free_port() -> int:
    """A port nobody listens on now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def central_database(folder: Path, postgresql: str | None) -> Iterator[str]:
    """A fresh server database: a schema of its own on ``postgresql`` (a scratch database's
    URL), dropped afterwards, or an SQLite file in ``folder``."""
    if not postgresql:
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'central.sqlite3'}"
        return
    schema = f"torture_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(postgresql).set(drivername="postgresql+psycopg"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(postgresql)
            .set(drivername="postgresql+psycopg")
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


CENTRAL_COMMAND = str(Path(sys.executable).with_name("instancias-central"))


class CentralProcess:
    """``instancias-sync-server serve`` over ``database_url``, with its log in ``folder``.

    ``command``: that command or ``CENTRAL_COMMAND`` (the sync API with the dashboard);
    ``options``: more of ``serve``'s options (``--workers 4``).
    """

    def __init__(self, database_url: str, folder: Path, command: str = SERVER_COMMAND,
                 options: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.database_url = database_url
        self.folder = folder
        self.command, self.options = command, options
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where it answers."""
        return f"http://127.0.0.1:{self.port}"

    def admin(self, *arguments: str, password: str | None = None) -> str:
        """Run one ``admin`` command (the password through a file, as an operator would)."""
        extra: list[str] = []
        if password is not None:
            secret = self.folder / "password.txt"
            secret.write_text(password + "\n", encoding="utf-8")
            extra = ["--password-file", str(secret)]
        done = subprocess.run(
            [SERVER_COMMAND, "admin", "--database-url", self.database_url, *arguments, *extra],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"admin {arguments} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def user(self, name: str, territories: tuple[str, ...], password: str) -> None:
        """An especialista with her territories."""
        self.admin("create-user", name, "--role", "especialista", password=password)
        self.admin("assign", name, *territories)

    def start(self) -> str:
        """Serve, and wait until ``/health`` answers; answer the URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = free_port()
            log = (self.folder / "server.log").open("ab")
            self._process = subprocess.Popen(
                [self.command, "serve", "--database-url", self.database_url, "--port",
                 str(self.port), *self.options],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            log.close()
            if self._wait_healthy():
                return self.url
            self.stop()
        raise RuntimeError(f"the server did not start: {self.log()[-2000:]}")

    def _wait_healthy(self) -> bool:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            try:
                if requests.get(f"{self.url}/health", timeout=2).ok:
                    return True
            except requests.RequestException:
                time.sleep(0.1)
        return False

    @property
    def pid(self) -> int:
        """The serving process's id."""
        assert self._process is not None
        return self._process.pid

    def log(self) -> str:
        """What the server printed."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """End the server by its PID."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=15)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
