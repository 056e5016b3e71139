"""Annexes of a visit: files copied into the profile, addressed by the SHA-256 of their content."""

import hashlib
import mimetypes
import os
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import Attachment
from instancias_desktop.domain.enums import AttachmentKind
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _, decimal_text
from instancias_desktop.paths import attachment_file
from instancias_desktop.services.drafts import editable_visit

_CHUNK = 1 << 20


stored_path = attachment_file  # where the content with this hash lives in the store


def _file_error(message: str) -> ValidationError:
    return ValidationError([FieldError("file", message)])


def store_file(store: Path, source: Path, limit_bytes: int) -> tuple[str, int]:
    """Copy a file into the store (once per content) and return its hash and size.

    The copy goes to a temporary file that is synced and renamed, so the store never holds a
    partial file, whatever happens to the laptop during the copy.
    """
    if not source.is_file():
        raise _file_error(_("No se encontró el archivo {path}.").format(path=source))
    size = source.stat().st_size
    if size > limit_bytes:
        raise _file_error(
            _(
                "El archivo pesa {size} MB y el límite es {limit} MB. Reduzca la imagen o "
                "escanee con menor resolución."
            ).format(size=decimal_text(size / 1e6), limit=limit_bytes // 1_000_000)
        )
    with source.open("rb") as origin:
        return _store_chunks(store, iter(lambda: origin.read(_CHUNK), b"")), size


def store_bytes(store: Path, data: bytes) -> str:
    """Keep content made by the app (a signed copy's combined PDF) in the store; its hash."""
    return _store_chunks(store, [data])


def _store_chunks(store: Path, chunks: Iterable[bytes]) -> str:
    """Write the content to a temporary file, synced, then renamed: never a partial file."""
    store.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as target:
            for chunk in chunks:
                digest.update(chunk)
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        final = stored_path(store, digest.hexdigest())
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            tmp.unlink()
        else:
            tmp.replace(final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def attach_file(  # noqa: PLR0917 (one call site, the services facade)
    database: Database,
    store: Path,
    limit_bytes: int,
    visit_id: uuid.UUID,
    source: Path,
    kind: AttachmentKind,
) -> uuid.UUID:
    """Annex a file picked from disk to a draft visit."""
    with database.reader() as uow:  # refuse early, before copying a large file
        editable_visit(uow, visit_id)
    sha256, size = store_file(store, source, limit_bytes)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    attachment = Attachment(visit_id, kind, source.name[:255], sha256, size, media_type)
    with database.unit_of_work() as uow:
        editable_visit(uow, visit_id)
        uow.visits.add_attachment(attachment)
        uow.commit()
    return attachment.id


def remove_attachment(database: Database, attachment_id: uuid.UUID) -> None:
    """Unlink an annex from its draft visit."""
    with database.unit_of_work() as uow:
        editable_visit(uow, uow.visits.attachment_visit(attachment_id))
        uow.visits.remove_attachment(attachment_id)
        uow.checklists.forget_attachment(attachment_id)  # no longer evidence of any answer
        uow.commit()
