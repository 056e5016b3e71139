"""One sync at a time per profile: a second one (another window, a scheduled run) waits out.

Two syncs of one laptop at once would push the same outbox twice and apply pages in an order
the cursor cannot follow. The lock is the operating system's on a file beside the database,
so a sync killed at any moment (power cut, task manager) leaves no stale lock behind.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from instancias_desktop.i18n import _
from sync.errors import SyncError


class SyncBusyError(SyncError):
    """Another sync of this profile is running."""

    default_message = _(
        "Ya hay una sincronización en curso en este equipo: espere a que termine; no se perdió "
        "nada."
    )


def _take(handle: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415

        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl  # noqa: PLC0415

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _release(handle: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415

        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl  # noqa: PLC0415

        fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def only_sync(path: Path) -> Iterator[None]:
    """Hold the profile's sync lock, or raise ``SyncBusyError`` at once if another holds it."""
    with path.open("a+b") as file:
        try:
            _take(file.fileno())
        except OSError:
            raise SyncBusyError() from None
        try:
            yield
        finally:
            _release(file.fileno())
