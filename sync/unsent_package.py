"""A withdrawn laptop's unsent changes, sealed in one file for the supervisor.

A laptop the administrator withdrew cannot push any more; what it had not sent travels in a
file instead: the operations it would have pushed (exactly as the wire carries them) and the
annex files the server does not have yet. The file is encrypted with a passphrase the
specialist chooses and tells her supervisor apart (scrypt, then AES-256-GCM over the whole,
its header authenticated too); the supervisor applies it with ``admin import-unsent``, where
every operation meets the same checks as a push.
"""

import base64
import datetime as dt
import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import TypeAdapter

from sync.protocol import Operation

MAGIC = b"INSTANCIAS-CAMBIOS-NO-ENVIADOS/1\n"
SUFFIX = ".cambios"
MIN_PASSPHRASE = 10
SCRYPT = {"n": 2**16, "r": 8, "p": 1}
_MAXMEM = 256 * 1024 * 1024
_CHANGES = "cambios.json"  # whose, when, how many
_OPERATIONS_FILE = "operaciones.json"  # as a push carries them
_FILES = "anexos/"
_OPERATIONS = TypeAdapter(tuple[Operation, ...])  # any number: a push batch has its limit


class PackageError(ValueError):
    """A file that cannot be opened; the message (Spanish) says why."""


@dataclass(frozen=True)
class UnsentPackage:
    """What a laptop had not sent, and whose it was."""

    username: str
    device_id: uuid.UUID | None
    exported_at: dt.datetime
    operations: tuple[Operation, ...]
    files: Mapping[str, bytes] = field(default_factory=dict)  # SHA-256 (hex) -> content


def seal(package: UnsentPackage, passphrase: str, *, cost: Mapping[str, int] = SCRYPT) -> bytes:
    """The package encrypted under ``passphrase`` (at least ``MIN_PASSPHRASE`` characters)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PackageError(
            f"La contraseña del archivo debe tener al menos {MIN_PASSPHRASE} caracteres."
        )
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps(
        {"kdf": "scrypt", **cost, "salt": _b64(salt), "nonce": _b64(nonce)}, sort_keys=True
    ).encode()
    key = _key(passphrase, salt, cost)
    sealed = AESGCM(key).encrypt(nonce, _zipped(package), MAGIC + header)
    return MAGIC + len(header).to_bytes(4, "big") + header + sealed


def open_sealed(data: bytes, passphrase: str) -> UnsentPackage:
    """The package inside ``data``; ``PackageError`` for a wrong passphrase or a damaged file."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise PackageError("El archivo no es un paquete de cambios no enviados de Instancias.")
    at = len(MAGIC)
    size = int.from_bytes(data[at : at + 4], "big")
    header_bytes = data[at + 4 : at + 4 + size]
    try:
        header = json.loads(header_bytes)
        cost = {name: int(header[name]) for name in ("n", "r", "p")}
        salt, nonce = _unb64(header["salt"]), _unb64(header["nonce"])
    except (ValueError, KeyError, TypeError) as error:
        raise PackageError(f"El archivo está dañado ({error.__class__.__name__}).") from None
    if not (2**14 <= cost["n"] <= 2**20 and cost["r"] <= 16 and cost["p"] <= 4):
        raise PackageError("El archivo pide un costo de clave fuera de lo admitido.")
    try:
        plain = AESGCM(_key(passphrase, salt, cost)).decrypt(
            nonce, data[at + 4 + size :], MAGIC + header_bytes
        )
    except (InvalidTag, ValueError):
        raise PackageError(
            "La contraseña no corresponde a este archivo, o el archivo fue alterado."
        ) from None
    return _unzipped(plain)


def _zipped(package: UnsentPackage) -> bytes:
    changes = {
        "usuario": package.username,
        "equipo": str(package.device_id) if package.device_id else None,
        "exportado": package.exported_at.isoformat(),
        "operaciones": len(package.operations),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_CHANGES, json.dumps(changes, ensure_ascii=False, indent=1))
        archive.writestr(_OPERATIONS_FILE, _OPERATIONS.dump_json(package.operations))
        for sha, content in sorted(package.files.items()):
            archive.writestr(_FILES + sha, content, zipfile.ZIP_STORED)
    return buffer.getvalue()


def _unzipped(plain: bytes) -> UnsentPackage:
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as archive:
            changes = json.loads(archive.read(_CHANGES))
            operations = _OPERATIONS.validate_json(archive.read(_OPERATIONS_FILE))
            files = {
                name.removeprefix(_FILES): archive.read(name)
                for name in archive.namelist()
                if name.startswith(_FILES)
            }
        device = changes.get("equipo")
        package = UnsentPackage(
            username=str(changes["usuario"]),
            device_id=uuid.UUID(device) if device else None,
            exported_at=dt.datetime.fromisoformat(changes["exportado"]),
            operations=operations,
            files=files,
        )
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise PackageError(
            f"El contenido del archivo está dañado ({error.__class__.__name__})."
        ) from None
    for sha, content in package.files.items():
        if hashlib.sha256(content).hexdigest() != sha:
            raise PackageError(f"El anexo {sha[:12]}… del archivo está dañado.")
    return package


def _key(passphrase: str, salt: bytes, cost: Mapping[str, int]) -> bytes:
    return hashlib.scrypt(
        passphrase.encode(), salt=salt, n=cost["n"], r=cost["r"], p=cost["p"], maxmem=_MAXMEM,
        dklen=32,
    )  # fmt: skip


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
