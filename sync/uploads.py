"""Sending one attachment in pieces: only what the server lacks, resumable after any cut.

The server answers which pieces of the file (named by its SHA-256) it already holds: the whole
file (the same content came from another laptop: nothing is sent) or some pieces (those sent
before a cut: they are not sent again).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sync.protocol import CHUNK_SIZE, UploadState

Reader = Callable[[int, int], bytes]  # (offset, length) -> the bytes of the file there
PieceSink = Callable[[int, int], None]  # (pieces sent so far, pieces to send)


@runtime_checkable
class Uploader(Protocol):
    """A transport that can send attachments."""

    def start_upload(self, sha256: str, size: int, chunk_size: int) -> UploadState:
        """Start or resume; the answer says what the server holds."""
        ...

    def put_chunk(self, sha256: str, index: int, data: bytes) -> None:
        """Send one piece."""
        ...

    def complete_upload(self, sha256: str) -> UploadState:
        """Ask the server to check the whole file."""
        ...


@dataclass(frozen=True)
class Uploaded:
    """What one upload did."""

    complete: bool
    pieces_sent: int
    bytes_sent: int


def upload(
    link: Uploader,
    sha256: str,
    size: int,
    read: Reader,
    *,
    chunk_size: int = CHUNK_SIZE,
    on_piece: PieceSink | None = None,
) -> Uploaded:
    """Send the pieces of a file the server lacks, then have it check the whole."""
    state = link.start_upload(sha256, size, chunk_size)
    if state.complete:
        return Uploaded(complete=True, pieces_sent=0, bytes_sent=0)
    pieces = max(1, -(-size // chunk_size))
    missing = [n for n in range(pieces) if n not in set(state.received)]
    sent = sent_bytes = 0
    for index in missing:
        offset = index * chunk_size
        data = read(offset, min(chunk_size, size - offset))
        link.put_chunk(sha256, index, data)
        sent, sent_bytes = sent + 1, sent_bytes + len(data)
        if on_piece is not None:
            on_piece(sent, len(missing))
    final = link.complete_upload(sha256)
    return Uploaded(complete=final.complete, pieces_sent=sent, bytes_sent=sent_bytes)
