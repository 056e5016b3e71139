"""The key that encrypts a profile, derived from her passphrase with scrypt.

The key file (``clave.json`` in the profile folder) holds no secret: the salt, the cost
parameters and a check value (an HMAC made with the key) that tells a wrong passphrase apart
without touching the database. The key itself is never written anywhere but the credential
store, and only when she asks the app to remember it on this computer.
"""

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop.atomic_files import write_atomically
from instancias_desktop.i18n import _

KEY_BYTES = 32  # AES-256
SALT_BYTES = 16
# scrypt: about 0.15 s and 64 MiB on a field laptop; stored, so later files may cost more.
COST, BLOCK, PARALLEL = 2**16, 8, 1
MIN_LENGTH = 10
_CHECK = b"instancias-desktop: verificador de la clave del perfil"


class WrongPassphraseError(ValueError):
    """The passphrase does not open this profile (message in Spanish)."""


@dataclass(frozen=True)
class KeyFile:
    """How a profile's key is derived from its passphrase, and how to check it."""

    salt: bytes
    cost: int
    block: int
    parallel: int
    check: bytes

    def derive(self, passphrase: str) -> bytes:
        """The key this passphrase gives (right or wrong: ``opens`` tells)."""
        return hashlib.scrypt(
            passphrase.encode("utf-8"), salt=self.salt, n=self.cost, r=self.block,
            p=self.parallel, maxmem=256 * 1024 * 1024, dklen=KEY_BYTES,
        )  # fmt: skip

    def opens(self, key: bytes) -> bool:
        """Whether this is the profile's key."""
        return hmac.compare_digest(_check_of(key), self.check)

    def unlock(self, passphrase: str) -> bytes:
        """The profile's key, or WrongPassphraseError."""
        key = self.derive(passphrase)
        if not self.opens(key):
            raise WrongPassphraseError(
                _("La contraseña no es la de este perfil. Revise mayúsculas y el teclado.")
            )
        return key


def _check_of(key: bytes) -> bytes:
    return hmac.new(key, _CHECK, hashlib.sha256).digest()


def passphrase_problems(passphrase: str, repeated: str) -> list[str]:
    """Why a new passphrase cannot be used (Spanish), or nothing."""
    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(
            _("Use al menos {n} caracteres (una frase corta es fácil de recordar).").format(
                n=MIN_LENGTH
            )
        )
    elif passphrase.strip() != passphrase:
        problems.append(_("No empiece ni termine la contraseña con espacios."))
    if passphrase != repeated:
        problems.append(_("Las dos contraseñas no coinciden: escríbala igual en ambos campos."))
    return problems


def new_key_file(passphrase: str, cost: int = COST) -> tuple[KeyFile, bytes]:
    """A fresh salt for a new passphrase: the key file to keep and the key it gives.

    ``cost``: scrypt's N; only tests' throwaway profiles take less than the default.
    """
    draft = KeyFile(os.urandom(SALT_BYTES), cost, BLOCK, PARALLEL, b"")
    key = draft.derive(passphrase)
    return KeyFile(draft.salt, cost, BLOCK, PARALLEL, _check_of(key)), key


def read_key_file(path: Path) -> KeyFile | None:
    """The profile's key file, or None when the profile has none yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return KeyFile(
        base64.b64decode(data["sal"]), int(data["n"]), int(data["r"]), int(data["p"]),
        base64.b64decode(data["verificador"]),
    )  # fmt: skip


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Keep a new profile's key file: whole or not at all, and never over another one.

    FileExistsError when the profile got one meanwhile (two windows on a new profile): the
    first one set stays, and the database it encrypts with it.
    """
    data = {
        "formato": 1, "kdf": "scrypt", "n": key_file.cost, "r": key_file.block,
        "p": key_file.parallel, "sal": base64.b64encode(key_file.salt).decode("ascii"),
        "verificador": base64.b64encode(key_file.check).decode("ascii"),
    }  # fmt: skip
    staged = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        write_atomically(staged, json.dumps(data, indent=2).encode("utf-8"))
        path.hardlink_to(staged)  # atomic, and refused when the file exists
    finally:
        staged.unlink(missing_ok=True)
