"""Fetching an attachment another laptop sent: piece by piece, resumable, checked whole.

The pieces are appended to ``<file>.part`` as they arrive (each synced to disk), so after a cut
the download goes on from the first piece missing; the file takes its name only once its
SHA-256 is right.
"""

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from sync.protocol import UploadState


@runtime_checkable
class Downloader(Protocol):
    """A transport that can fetch attachments."""

    def file_state(self, sha256: str) -> UploadState | None:
        """What the server holds of a file (None: nothing yet)."""
        ...

    def get_chunk(self, sha256: str, index: int) -> bytes:
        """One piece of a complete file."""
        ...


def download(
    link: Downloader,
    sha256: str,
    target: Path,
    on_piece: Callable[[int, int], None] | None = None,
) -> bool:
    """Fetch a file the server holds whole into ``target``; False when it is not there yet.

    Raises ``ValueError`` when what arrived does not match its SHA-256 (the pieces are then
    dropped, to be fetched again).
    """
    state = link.file_state(sha256)
    if state is None or not state.complete or state.size is None or not state.chunk_size:
        return False
    size, chunk = state.size, state.chunk_size
    pieces = max(1, -(-size // chunk))
    part = target.with_name(target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    have -= have % chunk  # a piece cut short by a crash is fetched again
    with part.open("r+b" if part.exists() else "wb") as handle:
        handle.truncate(have)
        handle.seek(have)
        for index in range(have // chunk, pieces):
            handle.write(link.get_chunk(sha256, index))
            handle.flush()
            os.fsync(handle.fileno())
            if on_piece is not None:
                on_piece(index + 1, pieces)
    digest = hashlib.sha256()
    with part.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink()
        raise ValueError(f"{sha256[:12]}…: el archivo recibido no coincide con su huella")
    part.replace(target)
    return True
