"""Shared fixtures: every test gets its own profile folder; Qt runs offscreen."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The demo and child processes read the profiles' passphrase from here, as tools do.
os.environ.setdefault("INSTANCIAS_PASSPHRASE", "frase de prueba de los tests 2026")

from helpers.profiles import open_profile

from instancias_desktop.db.uow import Database
from instancias_desktop.paths import HOME_ENV, ProfilePaths
from instancias_desktop.services.identity import set_identity
from instancias_desktop.settings import Settings

GUI_DIR = Path(__file__).parent / "gui"
SPECIALIST = ("Rosa Huamán Quispe", "Especialista de la DPVLV")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/gui as ``gui``."""
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's profile."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "default-profile"))


@pytest.fixture(autouse=True, scope="session")
def _no_credential_store() -> Iterator[None]:
    """No test may read or write the real user's keychain: tests that need one bring their own."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture(scope="session")
def _template_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated profile with the real catalogues, built once and copied per test."""
    root = tmp_path_factory.mktemp("template")
    opened = open_profile(ProfilePaths(root), Settings(author="plantilla"))
    set_identity(opened.database, *SPECIALIST)  # who finalizes the actas of every test
    opened.database.dispose()
    return root


@pytest.fixture
def profile_paths(_template_profile: Path, tmp_path: Path) -> ProfilePaths:
    """A fresh copy of the template profile."""
    root = tmp_path / "profile"
    shutil.copytree(_template_profile, root)
    return ProfilePaths(root)


@pytest.fixture
def database(profile_paths: ProfilePaths) -> Iterator[Database]:
    """The opened database of a fresh profile (catalogues loaded, no field work)."""
    opened = open_profile(profile_paths, Settings(author="especialista.prueba"))
    yield opened.database
    opened.database.dispose()
