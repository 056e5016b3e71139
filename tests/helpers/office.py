"""A central server (SQLite file) and real app profiles that sync with it in-process.

Each laptop is a copy of the template profile, enrolled, syncing through the app's own runner
over ``MemoryTransport`` as its user and device; the user's territories are read from the
server at every request, so a supervisor's change takes effect at the next sync.
"""

import dataclasses
import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from helpers.app import FIXED, SETTINGS, at
from helpers.profiles import open_profile
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import SyncSummary
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings
from instancias_desktop.syncing import runner
from instancias_desktop.syncing.journal import SyncJournal
from sync.server import auth
from sync.server.access import Caller, assign_territories, load_caller
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.store import Device
from sync.transport_memory import MemoryTransport

PASSWORD = "clave-de-prueba-123"


@dataclasses.dataclass
class Laptop:
    """One enrolled profile of one user."""

    name: str
    username: str
    device_id: uuid.UUID
    database: Database
    services: AppServices
    paths: ProfilePaths
    sessions: sessionmaker[Session]

    def caller(self, session: Session) -> Caller:
        """Who this laptop is on the server, with the territories assigned now."""
        return load_caller(session, self.username, self.device_id)

    def sync(self, *, files: bool = False) -> SyncSummary:
        """One sync through the app's runner (annexes left for another sync, unless ``files``)."""
        return runner.synchronize(
            self.database,
            SyncJournal.of_profile(self.database, self.paths.logs / "sincronizacion.jsonl"),
            lambda _step: None,
            link=lambda *_: MemoryTransport(self.sessions, self.caller, clock=lambda: FIXED),
            files=self.paths.attachments if files else None,
        )

    def journal(self) -> list[str]:
        """The journal's lines, newest first."""
        return [
            e.message
            for e in SyncJournal.of_profile(
                self.database, self.paths.logs / "sincronizacion.jsonl"
            ).entries()
        ]


class Office:
    """The server and the laptops of a test."""

    def __init__(self, folder: Path, template: Path) -> None:
        self.folder = folder
        self.template = template
        self.engine: Engine = create_server_engine(f"sqlite:///{folder / 'central.sqlite3'}")
        migrate(self.engine)
        self.sessions = session_factory(self.engine)
        self.laptops: list[Laptop] = []

    def user(self, username: str, territories: tuple[str, ...], role: str = "especialista") -> None:
        """A server account."""
        with self.sessions.begin() as session:
            auth.create_user(session, username, role, PASSWORD, FIXED)
            assign_territories(session, username, territories)

    def assign(self, username: str, territories: tuple[str, ...]) -> None:
        """A supervisor extends the user's territories."""
        with self.sessions.begin() as session:
            assign_territories(session, username, territories)

    def laptop(self, username: str, name: str, **settings: Any) -> Laptop:
        """A fresh profile of ``username``, enrolled (as after a real sign-in)."""
        root = self.folder / name
        shutil.copytree(self.template, root)
        paths = ProfilePaths(root)
        opened = open_profile(paths, Settings(author=username))
        database = at(opened.database, FIXED, username)
        device_id = uuid.uuid5(uuid.NAMESPACE_URL, f"device:{name}")
        with database.unit_of_work(record=False) as uow:
            for key, value in {
                "server_url": "https://central.example", "username": username,
                "device_id": str(device_id), "device_name": name,
                "enrolled_at": FIXED.isoformat(), "token": f"token-{name}",
            }.items():  # fmt: skip
                uow.sync.set_value(f"enrolment.{key}", value)
            uow.commit()
        series = settings.pop("acta_series", f"T{len(self.laptops):02d}")
        sessions = self.sessions
        with sessions.begin() as session:  # the server knows the laptop as after its sign-in
            session.add(Device(id=device_id, username=username, name=name, created_at=FIXED,
                               token_hash=auth.token_digest(f"token-{name}")))  # fmt: skip

        def caller(session: Session) -> Caller:
            return load_caller(session, username, device_id)

        services = AppServices(
            database,
            paths,
            dataclasses.replace(SETTINGS, author=username, acta_series=series),
            sync_link=lambda *_: MemoryTransport(sessions, caller, clock=lambda: FIXED),
        )
        made = Laptop(name, username, device_id, database, services, paths, self.sessions)
        self.laptops.append(made)
        return made

    def close(self) -> None:
        """Close every database."""
        for laptop in self.laptops:
            laptop.database.dispose()
        self.engine.dispose()

    @staticmethod
    def now() -> dt.datetime:
        """The instant every laptop and the server use."""
        return FIXED
