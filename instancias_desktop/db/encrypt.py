"""An old plain profile database encrypted in place: a verified encrypted copy replaces it.

SQLCipher copies every table, index and the schema version into a new encrypted file
(``sqlcipher_export``); the copy is checked (integrity, and the same rows in every table)
before it takes the plain file's name in one atomic rename. A crash at any moment leaves the
plain file or the encrypted one under that name, never neither. The plain bytes are then
overwritten and removed; on flash storage the drive may keep old blocks elsewhere, which no
program can reach, so the app says so.
"""

import contextlib
import os
from pathlib import Path
from typing import Any

from instancias_desktop.atomic_files import shred
from instancias_desktop.db.cipher import apply_key, cipher_module

PLAIN_HEADER = b"SQLite format 3\x00"
WORKING = ".cifrando"  # the encrypted copy being made
LEFTOVER = ".sin-cifrar"  # the plain file after the swap, until it is overwritten


class EncryptionCheckError(RuntimeError):
    """The encrypted copy did not match the plain database; the plain file was kept."""


def is_plain(path: Path) -> bool:
    """Whether a database file exists unencrypted (a plain SQLite header)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except FileNotFoundError:
        return False


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Replace a plain database by its encrypted copy (checked first), then shred the plain one."""
    working, leftover = _sibling(path, WORKING), _sibling(path, LEFTOVER)
    working.unlink(missing_ok=True)
    counts = _settle_plain(path)
    _export(path, working, key)
    if _counts(working, key) != counts:
        working.unlink(missing_ok=True)
        raise EncryptionCheckError(f"the encrypted copy of {path} does not match it")
    leftover.unlink(missing_ok=True)
    leftover.hardlink_to(path)  # the plain bytes stay reachable, to be overwritten after
    working.replace(path)
    _sync_folder(path.parent)
    shred(leftover)


def finish_interrupted(path: Path) -> None:
    """After a crash: drop a half-made copy, shred a plain file left after the swap."""
    _sibling(path, WORKING).unlink(missing_ok=True)
    leftover = _sibling(path, LEFTOVER)
    if leftover.exists():
        shred(leftover)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _settle_plain(path: Path) -> dict[str, int]:
    """Fold the plain file's WAL into it, leave no WAL behind, and count its rows."""
    module = cipher_module()
    connection = module.connect(str(path), isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")  # -wal and -shm removed
        return _table_counts(connection)
    finally:
        connection.close()


def _export(path: Path, working: Path, key: bytes) -> None:
    module = cipher_module()
    connection = module.connect(str(path), isolation_level=None)
    try:
        connection.execute("ATTACH DATABASE ? AS cifrada KEY ?", (str(working), f"x'{key.hex()}'"))
        connection.execute("SELECT sqlcipher_export('cifrada')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA cifrada.user_version = {int(version)}")
        connection.execute("DETACH DATABASE cifrada")
    finally:
        connection.close()
    with working.open("rb") as handle:
        os.fsync(handle.fileno())


def _counts(path: Path, key: bytes) -> dict[str, int] | None:
    """The rows of every table of the encrypted copy; None if it is not sound."""
    connection = cipher_module().connect(str(path), isolation_level=None)
    try:
        apply_key(connection, key)
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return None
        return _table_counts(connection)
    finally:
        connection.close()


def _table_counts(connection: Any) -> dict[str, int]:
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows has no directory handles to sync)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
