"""Fixtures shared by the integration tests: a central server and a second laptop."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.laptops import USER
from helpers.office import Office
from helpers.profiles import open_profile
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings
from sync.server.db import create_server_engine, migrate, session_factory


@pytest.fixture
def server(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A central server on its own SQLite database (a module may define its own instead)."""
    engine = create_server_engine(f"sqlite:///{tmp_path / 'servidor.sqlite3'}")
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def laptop_b(tmp_path: Path) -> Iterator[Database]:
    """The same specialist's second laptop: its own profile under ``tmp_path / "laptop-b"``."""
    opened = open_profile(ProfilePaths(tmp_path / "laptop-b"), Settings(author=USER))
    yield opened.database
    opened.database.dispose()


@pytest.fixture
def office(tmp_path: Path, _template_profile: Path) -> Iterator[Office]:
    """A central server with ana and beto (Cusco) and carla (Lima), and room for laptops."""
    made = Office(tmp_path, _template_profile)
    made.user("ana", ("08",))
    made.user("beto", ("08",))
    made.user("carla", ("15",))
    yield made
    made.close()
