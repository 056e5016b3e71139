"""Annexes of a visit: files sealed into the profile, addressed by the SHA-256 of their content."""

import mimetypes
import uuid
from pathlib import Path

from instancias_desktop.db.files_key import files_key
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import Attachment
from instancias_desktop.domain.enums import AttachmentKind, AuditAction
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _, decimal_text
from instancias_desktop.services.drafts import editable_visit
from instancias_desktop.vault.annex_store import AnnexStore
from sync.kinds import ATTACHMENT


def _file_error(message: str) -> ValidationError:
    return ValidationError([FieldError("file", message)])


def annex_store(database: Database, root: Path) -> AnnexStore:
    """The profile's sealed annex files (their key lives in the encrypted database)."""
    return AnnexStore(root, files_key(database))


def store_file(store: AnnexStore, source: Path, limit_bytes: int) -> tuple[str, int]:
    """Seal a file into the store (once per content) and return its hash and size.

    The sealed copy goes to a temporary file that is synced and renamed, so the store never
    holds a partial file, whatever happens to the laptop during the copy.
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
    return store.add_file(source)


def attach_file(  # noqa: PLR0917 (one call site, the services facade)
    database: Database,
    store: AnnexStore,
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
        uow.audit.note(AuditAction.DELETED, ATTACHMENT.name, attachment_id)
        uow.commit()
