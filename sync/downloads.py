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


class PieceSink(Protocol):
    """Where a download keeps what arrives: resumable after a cut, checked whole at the end."""

    def held(self, chunk_size: int) -> int:
        """How many bytes from the start are already kept safely (from an earlier try)."""
        ...

    def resume(self, offset: int) -> None:
        """Drop anything kept past ``offset``; what comes next starts there."""
        ...

    def keep(self, data: bytes, *, last: bool) -> None:
        """Keep the next bytes (synced to disk); ``last``: the file ends with them."""
        ...

    def finish(self, sha256: str) -> bool:
        """Check the whole against its hash and put it in place; False (and dropped) if not."""
        ...


class FileSink:
    """The plain file a download fills: ``<file>.part`` until its SHA-256 is right."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.part = target.with_name(target.name + ".part")

    def held(self, chunk_size: int) -> int:
        return self.part.stat().st_size if self.part.exists() else 0

    def resume(self, offset: int) -> None:
        self.part.parent.mkdir(parents=True, exist_ok=True)
        with self.part.open("r+b" if self.part.exists() else "wb") as handle:
            handle.truncate(offset)

    def keep(self, data: bytes, *, last: bool) -> None:
        with self.part.open("ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def finish(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        with self.part.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            self.part.unlink()
            return False
        self.part.replace(self.target)
        return True


def download(
    link: Downloader,
    sha256: str,
    target: Path | PieceSink,
    on_piece: Callable[[int, int], None] | None = None,
) -> bool:
    """Fetch a file the server holds whole into ``target``; False when it is not there yet.

    Raises ``ValueError`` when what arrived does not match its SHA-256 (the pieces are then
    dropped, to be fetched again).
    """
    state = link.file_state(sha256)
    if state is None or not state.complete or state.size is None or not state.chunk_size:
        return False
    sink = FileSink(target) if isinstance(target, Path) else target
    size, chunk = state.size, state.chunk_size
    pieces = max(1, -(-size // chunk))
    first = min(sink.held(chunk), size) // chunk  # a piece cut short by a crash is fetched again
    sink.resume(first * chunk)
    for index in range(first, pieces):
        sink.keep(link.get_chunk(sha256, index), last=index == pieces - 1)
        if on_piece is not None:
            on_piece(index + 1, pieces)
    if not sink.finish(sha256):
        raise ValueError(f"{sha256[:12]}…: el archivo recibido no coincide con su huella")
    return True
