"""Attachments received piece by piece: resumable after a cut, stored once per content.

A device says it will send a file (its SHA-256, size and piece size); the server answers what
it already holds: the whole file (nothing to send: the same content came from anywhere) or
which pieces. Pieces that arrived are kept, so a cut costs only the piece under way. When every
piece is there, the server checks the SHA-256 of the whole before calling it complete.
"""

import datetime as dt
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import UploadStart, UploadState
from sync.server.access import Caller
from sync.server.store import AttachmentChunk, AttachmentFile


class UploadError(ValueError):
    """A piece or a file the server cannot take; the message (Spanish) says what happens."""


def _pieces(file: AttachmentFile) -> int:
    return max(1, -(-file.size // file.chunk_size))


def _state(session: Session, file: AttachmentFile) -> UploadState:
    if file.complete:
        return UploadState(
            sha256=file.sha256, complete=True, size=file.size, chunk_size=file.chunk_size
        )
    held = session.scalars(
        select(AttachmentChunk.index)
        .where(AttachmentChunk.sha256 == file.sha256)
        .order_by(AttachmentChunk.index)
    )
    return UploadState(sha256=file.sha256, complete=False, received=tuple(held))


def start(
    session: Session, caller: Caller, sha256: str, request: UploadStart, now: dt.datetime
) -> UploadState:
    """Open (or find) the upload of a file; answer what is already here."""
    file = session.get(AttachmentFile, sha256)
    if file is not None and not file.complete and file.chunk_size != request.chunk_size:
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == sha256))
        file.chunk_size, file.size = request.chunk_size, request.size  # pieces of another size
    if file is None:
        file = AttachmentFile(
            sha256=sha256,
            size=request.size,
            chunk_size=request.chunk_size,
            complete=False,
            started_by=caller.username,
            started_at=now,
        )
        if not _added(session, file):  # another device started the same file meanwhile
            file = session.get(AttachmentFile, sha256)
            assert file is not None
    session.flush()
    return _state(session, file)


def _added(session: Session, row: AttachmentFile | AttachmentChunk) -> bool:
    """Insert in a savepoint; False when the same key arrived meanwhile (the same content)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def state(session: Session, sha256: str) -> UploadState | None:
    """What the server holds of a file (None: nothing)."""
    file = session.get(AttachmentFile, sha256)
    return _state(session, file) if file is not None else None


def chunk(session: Session, sha256: str, index: int) -> bytes | None:
    """One piece of a complete file (None: no such piece)."""
    file = session.get(AttachmentFile, sha256)
    if file is None or not file.complete:
        return None
    found = session.get(AttachmentChunk, (sha256, index))
    return found.data if found is not None else None


def put_chunk(session: Session, sha256: str, index: int, data: bytes) -> None:
    """Keep one piece (a piece already held is kept as it is)."""
    file = session.get(AttachmentFile, sha256)
    if file is None:
        raise UploadError("El envío de este archivo no se inició. Sincronice de nuevo.")
    if file.complete or session.get(AttachmentChunk, (sha256, index)) is not None:
        return
    pieces = _pieces(file)
    expected = file.chunk_size if index < pieces - 1 else file.size - file.chunk_size * index
    if not 0 <= index < pieces or len(data) != expected:
        raise UploadError(
            f"La parte {index} del archivo no tiene el tamaño esperado ({expected} bytes). "
            "Se enviará de nuevo en la próxima sincronización."
        )
    _added(session, AttachmentChunk(sha256=sha256, index=index, data=data))


DAMAGED = (
    "El archivo llegó dañado (su huella SHA-256 no coincide) y se descartó; "
    "se enviará de nuevo en la próxima sincronización."
)


def complete(session: Session, sha256: str) -> tuple[UploadState, str]:
    """Check the whole file against its SHA-256: (its state, "" or why it was dropped).

    A damaged file's pieces are dropped in this transaction, to be sent again: the caller
    commits, then refuses the request with the reason.
    """
    file = session.get(AttachmentFile, sha256)
    if file is None:
        raise UploadError("El envío de este archivo no se inició. Sincronice de nuevo.")
    if file.complete:
        return _state(session, file), ""
    state = _state(session, file)
    if len(state.received) < _pieces(file):
        return state, ""  # the device sends what is missing, then asks again
    digest = hashlib.sha256()
    for data in session.scalars(
        select(AttachmentChunk.data)
        .where(AttachmentChunk.sha256 == sha256)
        .order_by(AttachmentChunk.index)
    ):
        digest.update(data)
    if digest.hexdigest() != sha256:
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == sha256))
        session.flush()
        return _state(session, file), DAMAGED
    file.complete = True
    session.flush()
    return _state(session, file), ""
