"""Attachments received piece by piece, each device's upload its own, each file kept private.

A file (named by its SHA-256) is read, and said to be held, only to those who can read a record
that names it: an annex of their own or of their territories. A device starts sending a file
after pushing the annex that names it; its pieces belong to its own upload, which no other
device can add to or wipe; when every piece is there the whole is checked and, if right,
becomes the file (a file another device completed first costs nothing more). A device may have
at most ``DAILY_QUOTA`` bytes of uploads started in a day; uploads untouched for a week are
dropped with their pieces.
"""

import datetime as dt
import hashlib
import uuid

from sqlalchemy import delete, func, insert, literal, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import UploadStart, UploadState
from sync.server.access import Caller, visible_to
from sync.server.store import (
    AttachmentChunk,
    AttachmentFile,
    FileName,
    Record,
    Upload,
    UploadChunk,
)

DAILY_QUOTA = 2 * 1024**3  # bytes of uploads a device may start in 24 hours
ABANDONED = dt.timedelta(days=7)  # an upload untouched this long is dropped


class UploadError(ValueError):
    """A piece or a file the server cannot take; the message (Spanish) says what happens."""


class NotNamedError(LookupError):
    """The caller cannot read any record naming this file (or there is none): not hers."""


class NotStartedError(UploadError):
    """No upload of this file by this device is under way (never started, or cleaned up)."""


class QuotaError(UploadError):
    """The device started more uploads today than its quota allows."""


def _pieces(size: int, chunk_size: int) -> int:
    return max(1, -(-size // chunk_size))


def may_read(session: Session, caller: Caller, sha256: str) -> bool:
    """Whether the caller can read a record that names the file."""
    statement = (
        select(literal(1))
        .select_from(FileName)
        .join(Record, (Record.kind == FileName.kind) & (Record.record_id == FileName.record_id))
        .where(FileName.sha256 == sha256, visible_to(caller))
        .limit(1)
    )
    return session.scalar(statement) is not None


def _require(session: Session, caller: Caller, sha256: str) -> None:
    if not may_read(session, caller, sha256):
        raise NotNamedError(sha256)


def _held(session: Session, sha256: str) -> AttachmentFile | None:
    file = session.get(AttachmentFile, sha256)
    return file if file is not None and file.complete else None


def _whole(file: AttachmentFile) -> UploadState:
    return UploadState(
        sha256=file.sha256, complete=True, size=file.size, chunk_size=file.chunk_size
    )


def _upload_of(session: Session, caller: Caller, sha256: str) -> Upload | None:
    return session.scalars(
        select(Upload).where(
            Upload.sha256 == sha256,
            Upload.device_id == _device(caller),
            Upload.completed_at.is_(None),
        )
    ).one_or_none()


def _device(caller: Caller) -> uuid.UUID:
    """The device behind a caller (in-process callers without one: by user name)."""
    return caller.device_id or uuid.uuid5(uuid.NAMESPACE_URL, f"user:{caller.username}")


def _progress(session: Session, upload: Upload) -> UploadState:
    held = session.scalars(
        select(UploadChunk.index)
        .where(UploadChunk.upload_id == upload.id)
        .order_by(UploadChunk.index)
    )
    return UploadState(sha256=upload.sha256, complete=False, received=tuple(held))


def start(
    session: Session, caller: Caller, sha256: str, request: UploadStart, now: dt.datetime
) -> UploadState:
    """Open (or resume) this device's upload of a file; answer what is already here."""
    _require(session, caller, sha256)
    held = _held(session, sha256)
    if held is not None:
        return _whole(held)
    clean_up(session, now)
    upload = _upload_of(session, caller, sha256)
    if upload is not None and (upload.chunk_size, upload.size) != (
        request.chunk_size,
        request.size,
    ):
        session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload.id))
        upload.chunk_size, upload.size = request.chunk_size, request.size  # its own pieces only
    if upload is None:
        _check_quota(session, caller, request.size, now)
        upload = Upload(
            id=uuid.uuid4(), sha256=sha256, device_id=_device(caller), username=caller.username,
            size=request.size, chunk_size=request.chunk_size, started_at=now, touched_at=now,
        )  # fmt: skip
        session.execute(  # a finished upload of the same file by this device is replaced
            delete(Upload).where(Upload.sha256 == sha256, Upload.device_id == _device(caller))
        )
        session.add(upload)
    upload.touched_at = now
    session.flush()
    return _progress(session, upload)


def _check_quota(session: Session, caller: Caller, size: int, now: dt.datetime) -> None:
    started = session.scalar(
        select(func.coalesce(func.sum(Upload.size), 0)).where(
            Upload.device_id == _device(caller), Upload.started_at > now - dt.timedelta(days=1)
        )
    )
    if int(started or 0) + size > DAILY_QUOTA:
        raise QuotaError(
            "Este equipo ya envió hoy el máximo de anexos que el servidor acepta por día "
            f"({DAILY_QUOTA // 1024**3} GB): los demás se enviarán mañana."
        )


def state(session: Session, caller: Caller, sha256: str) -> UploadState | None:
    """What the server holds of a file the caller may read (None: nothing she can have)."""
    if not may_read(session, caller, sha256):
        return None
    held = _held(session, sha256)
    return _whole(held) if held is not None else None


def chunk(session: Session, caller: Caller, sha256: str, index: int) -> bytes | None:
    """One piece of a complete file the caller may read (None: no such piece for her)."""
    if _held(session, sha256) is None or not may_read(session, caller, sha256):
        return None
    found = session.get(AttachmentChunk, (sha256, index))
    return found.data if found is not None else None


def put_chunk(
    session: Session, caller: Caller, sha256: str, index: int, *, data: bytes, now: dt.datetime
) -> None:
    """Keep one piece of this device's upload (a piece already held is kept as it is)."""
    if _held(session, sha256) is not None:
        return  # the file is here whole already
    upload = _upload_of(session, caller, sha256)
    if upload is None:
        raise NotStartedError("El envío de este archivo no se inició. Sincronice de nuevo.")
    pieces = _pieces(upload.size, upload.chunk_size)
    expected = upload.chunk_size if index < pieces - 1 else upload.size - upload.chunk_size * index
    if not 0 <= index < pieces or len(data) != expected:
        raise UploadError(
            f"La parte {index} del archivo no tiene el tamaño esperado ({expected} bytes). "
            "Se enviará de nuevo en la próxima sincronización."
        )
    upload.touched_at = now
    if session.get(UploadChunk, (upload.id, index)) is None:
        try:
            with session.begin_nested():
                session.add(UploadChunk(upload_id=upload.id, index=index, data=data))
        except IntegrityError:  # the same piece arrived meanwhile (a retried request)
            pass
    session.flush()


DAMAGED = (
    "El archivo llegó dañado (su huella SHA-256 no coincide) y se descartó; "
    "se enviará de nuevo en la próxima sincronización."
)


def complete(
    session: Session, caller: Caller, sha256: str, now: dt.datetime
) -> tuple[UploadState, str]:
    """Check this device's whole upload against its SHA-256: (its state, "" or why dropped).

    A damaged upload's pieces are dropped in this transaction, to be sent again: the caller
    commits, then refuses the request with the reason.
    """
    held = _held(session, sha256)
    if held is not None:
        return _whole(held), ""
    upload = _upload_of(session, caller, sha256)
    if upload is None:
        raise NotStartedError("El envío de este archivo no se inició. Sincronice de nuevo.")
    progress = _progress(session, upload)
    if len(progress.received) < _pieces(upload.size, upload.chunk_size):
        return progress, ""  # the device sends what is missing, then asks again
    digest = hashlib.sha256()
    for data in session.scalars(
        select(UploadChunk.data)
        .where(UploadChunk.upload_id == upload.id)
        .order_by(UploadChunk.index)
    ):
        digest.update(data)
    if digest.hexdigest() != sha256:
        session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload.id))
        session.flush()
        return _progress(session, upload), DAMAGED
    _keep(session, upload)
    upload.completed_at = upload.touched_at = now
    session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload.id))
    session.flush()
    file = _held(session, sha256)
    assert file is not None
    return _whole(file), ""


def _keep(session: Session, upload: Upload) -> None:
    """The checked pieces become the file (unless another device's upload made it first)."""
    try:
        with session.begin_nested():
            session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == upload.sha256))
            session.execute(delete(AttachmentFile).where(AttachmentFile.sha256 == upload.sha256))
            session.add(
                AttachmentFile(
                    sha256=upload.sha256, size=upload.size, chunk_size=upload.chunk_size,
                    complete=True, started_by=upload.username, started_at=upload.started_at,
                )
            )  # fmt: skip
            session.flush()
            session.execute(
                insert(AttachmentChunk).from_select(
                    ["sha256", "index", "data"],
                    select(literal(upload.sha256), UploadChunk.index, UploadChunk.data).where(
                        UploadChunk.upload_id == upload.id
                    ),
                )
            )
    except IntegrityError:  # another device completed the same content meanwhile
        pass


def clean_up(session: Session, now: dt.datetime) -> int:
    """Drop uploads untouched for a week (their pieces go with them); how many."""
    stale = select(Upload.id).where(Upload.touched_at < now - ABANDONED)
    session.execute(delete(UploadChunk).where(UploadChunk.upload_id.in_(stale)))
    gone = session.execute(delete(Upload).where(Upload.touched_at < now - ABANDONED))
    return int(getattr(gone, "rowcount", 0) or 0)


def name_files(session: Session, names: list[tuple[str, str, uuid.UUID]]) -> None:
    """Remember which records name which files (an annex pushed: sha256, kind, id)."""
    if not names:
        return
    existing = {
        (sha, kind, record_id)
        for sha, kind, record_id in session.execute(
            select(FileName.sha256, FileName.kind, FileName.record_id).where(
                tuple_(FileName.sha256, FileName.kind, FileName.record_id).in_(names)
            )
        )
    }
    fresh = [n for n in dict.fromkeys(names) if n not in existing]
    if fresh:
        session.execute(
            insert(FileName), [{"sha256": s, "kind": k, "record_id": r} for s, k, r in fresh]
        )
