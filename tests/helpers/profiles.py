"""Profiles for tests, encrypted as the app makes them; the passphrase of INSTANCIAS_PASSPHRASE.

The app reads a passphrase only from its unlock dialog; tests, like the demo and the
benchmarks, take it from the environment (a fixed one when unset). Test profiles get a cheap
key derivation (they are thrown away) and each key is derived once per run.
"""

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from instancias_desktop.db.cipher import apply_key, cipher_module
from instancias_desktop.db.engine import create_local_engine
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import profile
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.profile import OpenedProfile
from instancias_desktop.services.profile_keys import PASSPHRASE_ENV
from instancias_desktop.settings import Settings
from instancias_desktop.vault.profile_key import (
    KeyFile,
    new_key_file,
    read_key_file,
    write_key_file,
)

DEFAULT_PASSPHRASE = "frase de prueba de los tests 2026"
CHEAP_COST = 2**10  # scrypt's N for throwaway profiles (the app's default is 2**16)
# For a database file outside any profile (a migration test): a fixed key.
LOOSE_KEY = hashlib.sha256(b"instancias-desktop: clave de archivos sueltos de prueba").digest()


def passphrase() -> str:
    """The tests' passphrase: INSTANCIAS_PASSPHRASE when set."""
    return os.environ.get(PASSPHRASE_ENV) or DEFAULT_PASSPHRASE


def profile_key(paths: ProfilePaths) -> bytes:
    """The profile's key; a profile without a key file gets one (cheap to derive)."""
    key_file = read_key_file(paths.key_file)
    if key_file is None:
        paths.ensure()
        key_file, key = new_key_file(passphrase(), cost=CHEAP_COST)
        try:
            write_key_file(paths.key_file, key_file)
            return key
        except FileExistsError:  # another process of the test set it meanwhile
            key_file = read_key_file(paths.key_file)
            assert key_file is not None
    return _derived(key_file, passphrase())


@functools.lru_cache(maxsize=64)
def _derived(key_file: KeyFile, typed: str) -> bytes:
    return key_file.unlock(typed)


def open_profile(
    paths: ProfilePaths, settings: Settings, announce: Callable[[str], None] = lambda _s: None
) -> OpenedProfile:
    """The app's opening of a profile, with the tests' key."""
    return profile.open_profile(paths, settings, announce, key=profile_key(paths))


def profile_engine(paths: ProfilePaths) -> Engine:
    """An engine on a profile's database, with its key (tests that look at rows directly)."""
    return create_local_engine(paths.database, profile_key(paths))


def loose_engine(path: Path) -> Engine:
    """An engine on a database file outside a profile, encrypted with a fixed test key."""
    return create_local_engine(path, LOOSE_KEY)


def open_services(
    paths: ProfilePaths, settings: Settings, announce: Callable[[str], None] = lambda _s: None
) -> AppServices:
    """The app's services over a profile, with the tests' key."""
    return profile.open_services(paths, settings, announce, key=profile_key(paths))


def keyed_connection(path: Path, key: bytes) -> Any:
    """A DB-API connection (sqlite3's interface) to an encrypted file, for raw checks."""
    connection = cipher_module().connect(str(path))
    apply_key(connection, key)
    return connection
