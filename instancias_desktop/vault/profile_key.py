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
_WRAP = b"instancias-desktop: clave envuelta"


class WrongPassphraseError(ValueError):
    """The passphrase does not open this profile (message in Spanish)."""


@dataclass(frozen=True)
class KeyFile:
    """The profile's key, wrapped by one derived from her passphrase; how to check either.

    The key that encrypts the data is random and never changes; the passphrase only unwraps
    it. Changing the passphrase therefore rewrites this small file, atomically, and nothing
    else: a crash leaves the old file or the new one, and either opens the same data.
    """

    salt: bytes
    cost: int
    block: int
    parallel: int
    wrapped: bytes  # the key, XOR the first half of what scrypt gives (a pad used once)
    wrap_check: bytes  # HMAC of the wrapped key with the second half: the passphrase is right
    key_check: bytes  # HMAC made with the key itself: a remembered key is this profile's

    def _derive(self, passphrase: str) -> bytes:
        return hashlib.scrypt(
            passphrase.encode("utf-8"), salt=self.salt, n=self.cost, r=self.block,
            p=self.parallel, maxmem=256 * 1024 * 1024, dklen=2 * KEY_BYTES,
        )  # fmt: skip

    def opens(self, key: bytes) -> bool:
        """Whether this is the profile's key."""
        return hmac.compare_digest(_check_of(key), self.key_check)

    def unlock(self, passphrase: str) -> bytes:
        """The profile's key, or WrongPassphraseError."""
        derived = self._derive(passphrase)
        pad, mac = derived[:KEY_BYTES], derived[KEY_BYTES:]
        if not hmac.compare_digest(_wrap_check(mac, self.wrapped), self.wrap_check):
            raise WrongPassphraseError(
                _("La contraseña no es la de este perfil. Revise mayúsculas y el teclado.")
            )
        return bytes(a ^ b for a, b in zip(self.wrapped, pad, strict=True))


def _check_of(key: bytes) -> bytes:
    return hmac.new(key, _CHECK, hashlib.sha256).digest()


def _wrap_check(mac: bytes, wrapped: bytes) -> bytes:
    return hmac.new(mac, _WRAP + wrapped, hashlib.sha256).digest()


def wrap(key: bytes, passphrase: str, cost: int = COST) -> KeyFile:
    """The key wrapped for a passphrase, under a fresh salt (``cost``: tests take less)."""
    draft = KeyFile(os.urandom(SALT_BYTES), cost, BLOCK, PARALLEL, b"", b"", b"")
    derived = draft._derive(passphrase)
    pad, mac = derived[:KEY_BYTES], derived[KEY_BYTES:]
    wrapped = bytes(a ^ b for a, b in zip(key, pad, strict=True))
    return KeyFile(
        draft.salt, cost, BLOCK, PARALLEL, wrapped, _wrap_check(mac, wrapped), _check_of(key)
    )


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
    """A new profile's random key, and the key file that wraps it for the passphrase."""
    key = os.urandom(KEY_BYTES)
    return wrap(key, passphrase, cost), key


def read_key_file(path: Path) -> KeyFile | None:
    """The profile's key file, or None when the profile has none yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    raw = {name: base64.b64decode(data[name]) for name in _BINARY}
    return KeyFile(
        raw["sal"], int(data["n"]), int(data["r"]), int(data["p"]), raw["clave_envuelta"],
        raw["verificador_envoltura"], raw["verificador_clave"],
    )  # fmt: skip


_BINARY = ("sal", "clave_envuelta", "verificador_envoltura", "verificador_clave")


def _encoded(key_file: KeyFile) -> bytes:
    binary = (key_file.salt, key_file.wrapped, key_file.wrap_check, key_file.key_check)
    text = {
        name: base64.b64encode(v).decode("ascii") for name, v in zip(_BINARY, binary, strict=True)
    }
    data = {
        "formato": 2, "kdf": "scrypt", "n": key_file.cost, "r": key_file.block,
        "p": key_file.parallel, **text,
    }  # fmt: skip
    return json.dumps(data, indent=2).encode("utf-8")


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Keep a new profile's key file: whole or not at all, and never over another one.

    FileExistsError when the profile got one meanwhile (two windows on a new profile): the
    first one set stays, and the database it encrypts with it.
    """
    staged = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        write_atomically(staged, _encoded(key_file))
        path.hardlink_to(staged)  # atomic, and refused when the file exists
    finally:
        staged.unlink(missing_ok=True)


def replace_key_file(path: Path, key_file: KeyFile) -> None:
    """Put a rewrapped key file in place of the old one (a crash leaves one or the other)."""
    write_atomically(path, _encoded(key_file))
