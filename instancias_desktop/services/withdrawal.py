"""A laptop the administrator withdrew: what it still holds, the export, and the erasure.

The specialist sees how many changes and annex files the server never received, seals them in
a file for her supervisor under a passphrase she chooses, and then erases the profile. The
erasure overwrites what the file system lets a program reach (see ``atomic_files.shred``).
"""

import shutil
from pathlib import Path

from instancias_desktop.atomic_files import shred, write_atomically
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AuditAction
from instancias_desktop.domain.sync_views import Withdrawal
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.syncing import withdrawal
from instancias_desktop.syncing.account import enrolment_of
from instancias_desktop.syncing.attachments import waiting_files
from instancias_desktop.syncing.store import DatabaseStore
from instancias_desktop.vault import remembered
from sync.unsent_package import MIN_PASSPHRASE, SUFFIX, PackageError, seal

PACKAGE_SUFFIX = SUFFIX


def withdrawal_of(database: Database, paths: ProfilePaths) -> Withdrawal | None:
    """The laptop's withdrawal, or None while the server still accepts it."""
    since = withdrawal.withdrawn_at(database)
    if since is None:
        return None
    enrolled = enrolment_of(database)
    return Withdrawal(
        since=since,
        username=enrolled[0].username if enrolled else "",
        changes=DatabaseStore(database).waiting(),
        files=len(waiting_files(database, paths.attachments)),
    )


def export_unsent(
    database: Database, paths: ProfilePaths, target: Path, passphrase: str, repeated: str
) -> Path:
    """Seal the unsent changes and annexes in ``target`` (``.cambios``); audited.

    ``ValidationError`` when the passphrase is short or not repeated alike; nothing is written.
    """
    if passphrase != repeated:
        raise _refused(_("Las dos contraseñas no coinciden: escríbalas de nuevo."))
    if len(passphrase) < MIN_PASSPHRASE:
        raise _refused(
            _("La contraseña del archivo debe tener al menos {n} caracteres.").format(
                n=MIN_PASSPHRASE
            )
        )
    if target.suffix != PACKAGE_SUFFIX:
        target = target.with_name(target.name + PACKAGE_SUFFIX)
    package = withdrawal.unsent_package(database, paths.attachments)
    try:
        data = seal(package, passphrase)
    except PackageError as error:
        raise _refused(str(error)) from None
    write_atomically(target, data)
    with database.unit_of_work(record=False) as uow:
        uow.audit.note(
            AuditAction.EXPORTED,
            lista="cambios no enviados",
            filas=len(package.operations),
            anexos=len(package.files),
        )
        uow.commit()
    return target


def erase_profile(paths: ProfilePaths) -> int:
    """Overwrite and remove every file of the profile (its database already released).

    Sealed exports (``.cambios``) saved inside the profile folder are kept: they are what
    the supervisor is waiting for. Answers how many files were erased.
    """
    remembered.forget(paths.root)
    erased = 0
    for path in sorted(paths.root.rglob("*"), reverse=True):  # files before their folders
        if path.is_symlink() or (path.is_file() and path.suffix != PACKAGE_SUFFIX):
            if path.is_symlink():
                path.unlink()
            else:
                shred(path)
            erased += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if paths.root.is_dir() and not any(paths.root.iterdir()):
        shutil.rmtree(paths.root, ignore_errors=True)
    return erased


def _refused(message: str) -> ValidationError:
    return ValidationError([FieldError("passphrase", message)])
