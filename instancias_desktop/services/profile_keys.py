"""Unlocking a profile: her passphrase gives the key that opens its encrypted database.

A wrong passphrase is slowed down (each try waits longer, up to half a minute) and never
counted toward erasing anything: a lost laptop is protected by the encryption, not by a
counter a thief could use to destroy her work.
"""

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from instancias_desktop.db.encrypt import is_plain
from instancias_desktop.domain.validation import FieldError, ValidationError
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import load_settings, save_settings
from instancias_desktop.vault import remembered
from instancias_desktop.vault.profile_key import (
    WrongPassphraseError,
    new_key_file,
    passphrase_problems,
    read_key_file,
    replace_key_file,
    wrap,
    write_key_file,
)

MAX_WAIT_S = 30.0


def needs_new_passphrase(paths: ProfilePaths) -> bool:
    """Whether the profile has no passphrase yet (a new profile, or an old plain one)."""
    return read_key_file(paths.key_file) is None


def create_key(paths: ProfilePaths, passphrase: str, repeated: str) -> bytes:
    """Set the profile's passphrase (first start): its key, and the key file kept beside it."""
    problems = passphrase_problems(passphrase, repeated)
    if problems:
        raise ValidationError([FieldError("passphrase", problem) for problem in problems])
    if read_key_file(paths.key_file) is not None:
        raise _refused(_("Este perfil ya tiene contraseña: use la suya para abrirlo."))
    key_file, key = new_key_file(passphrase)
    paths.ensure()
    try:
        write_key_file(paths.key_file, key_file)
    except FileExistsError:  # another window set it meanwhile: the same passphrase opens it
        return Unlocker(paths).unlock(passphrase)
    return key


@dataclass
class Unlocker:
    """Turns passphrases into the profile's key, slower after each wrong one."""

    paths: ProfilePaths
    sleep: Callable[[float], None] = time.sleep
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def unlock(self, passphrase: str) -> bytes:
        """The key, or ValidationError after a wait that doubles with each failure."""
        with self._lock:
            key_file = read_key_file(self.paths.key_file)
            if key_file is None:
                raise _refused(_("Este perfil aún no tiene contraseña."))
            if self.failures:
                self.sleep(min(MAX_WAIT_S, 2.0 ** (self.failures - 1)))
            try:
                key = key_file.unlock(passphrase)
            except WrongPassphraseError as error:
                self.failures += 1
                raise _refused(str(error)) from error
            self.failures = 0
            return key


def _refused(message: str) -> ValidationError:
    return ValidationError([FieldError("passphrase", message)])


PASSPHRASE_ENV = "INSTANCIAS_PASSPHRASE"  # for tools only (demo, benchmarks, tests), never the app


def tool_key(paths: ProfilePaths, passphrase: str) -> bytes:
    """For tools that prepare profiles: unlock one, or give a new one this passphrase."""
    if needs_new_passphrase(paths):
        return create_key(paths, passphrase, passphrase)
    return Unlocker(paths).unlock(passphrase)


@dataclass(frozen=True)
class StartKey:
    """What start-up knows before asking: a remembered key, and whether it could remember."""

    key: bytes | None  # kept on this computer, and still the profile's
    can_remember: bool
    new: bool  # the profile has no passphrase yet
    plain: bool = False  # an earlier version's unencrypted profile, to encrypt on opening


def start_key(paths: ProfilePaths) -> StartKey:
    """The key kept in the credential store, if it still opens this profile (worker thread)."""
    key_file = read_key_file(paths.key_file)
    kept = remembered.recall(paths.root) if key_file is not None else None
    key = kept if kept is not None and key_file is not None and key_file.opens(kept) else None
    plain = key_file is None and is_plain(paths.database)
    return StartKey(key, remembered.available(), key_file is None, plain)


def unlock_or_create(
    paths: ProfilePaths, unlocker: Unlocker, passphrase: str, repeated: str, *, remember: bool
) -> bytes:
    """The dialog's answer: the key (set on a new profile), kept on this computer if asked."""
    if needs_new_passphrase(paths):
        key = create_key(paths, passphrase, repeated)
    else:
        key = unlocker.unlock(passphrase)
    if remember:
        remembered.remember(paths.root, key)
    return key


def change_passphrase(paths: ProfilePaths, current: str, new: str, repeated: str) -> None:
    """Wrap the profile's key for a new passphrase: the key file alone is rewritten, atomically.

    The data stays encrypted with the same key; a crash leaves the old passphrase or the new
    one working, never neither. A key remembered on this computer keeps opening it.
    """
    problems = passphrase_problems(new, repeated)
    if problems:
        raise ValidationError([FieldError("new_passphrase", problem) for problem in problems])
    key = Unlocker(paths).unlock(current)
    replace_key_file(paths.key_file, wrap(key, new))


def remember_unsent(paths: ProfilePaths, pending: int, last_sync: dt.datetime | None) -> None:
    """Keep, outside the encrypted data, how much work waits for the server (a count only)."""
    current = load_settings(paths.settings)
    kept = dataclasses.replace(
        current,
        unsent_changes=pending,
        last_sync_at=last_sync.isoformat() if last_sync is not None else "",
    )
    if kept != current:
        save_settings(paths.settings, kept)


@dataclass(frozen=True)
class ForgottenProfile:
    """What starting over would leave behind, as known from the last close."""

    unsent: int  # -1: unknown (the app never closed cleanly since)
    last_sync: dt.datetime | None


def forgotten_profile(paths: ProfilePaths) -> ForgottenProfile:
    """What a forgotten passphrase costs: the changes not sent when the app last closed."""
    settings = load_settings(paths.settings)
    when = dt.datetime.fromisoformat(settings.last_sync_at) if settings.last_sync_at else None
    return ForgottenProfile(settings.unsent_changes, when)


SET_ASIDE = "perfil-sin-contrasena"  # where a locked-out profile's data is kept, never erased


def set_aside(paths: ProfilePaths, now: dt.datetime) -> Path:
    """Move the locked-out data (database, key file, backups, annexes) into a folder of its own.

    Nothing is erased: with the passphrase remembered some day, the folder opens as a profile.
    The profile then starts anew in the same place, asking for a new passphrase.
    """
    folder = paths.root / f"{SET_ASIDE}-{now.strftime('%Y%m%dT%H%M%S')}"
    folder.mkdir(parents=True, exist_ok=False)
    names = [paths.database.name, *(paths.database.name + s for s in ("-wal", "-shm"))]
    for path in [
        *(paths.root / n for n in names),
        paths.key_file,
        paths.backups,
        paths.attachments,
    ]:
        if path.exists():
            path.replace(folder / path.name)
    return folder
