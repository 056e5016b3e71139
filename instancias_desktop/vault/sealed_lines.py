"""Lines of a text file sealed one by one (AES-256-GCM): a log that reveals nothing on disk.

Each line is ``s1:`` and the base64 of a random nonce and the ciphertext, bound to the file's
purpose. A line is appended whole and read alone: a line cut by a crash or altered does not
open, and the others still do.
"""

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = b"s1:"
_NONCE = 12


def lines_key(data_key: bytes, purpose: bytes) -> bytes:
    """A key of its own for one file's lines, derived from a profile key (HKDF-SHA256)."""
    prk = hmac.new(bytes(32), data_key, hashlib.sha256).digest()
    return hmac.new(prk, b"instancias-desktop: " + purpose + b"\x01", hashlib.sha256).digest()


def seal_line(key: bytes, plain: bytes, purpose: bytes) -> bytes:
    """One sealed line (without its newline)."""
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, plain, purpose)
    return PREFIX + base64.b64encode(nonce + sealed)


def open_line(key: bytes, line: bytes, purpose: bytes) -> bytes | None:
    """The plain bytes of a sealed line; None when it is not one or does not authenticate."""
    if not line.startswith(PREFIX):
        return None
    try:
        raw = base64.b64decode(line[len(PREFIX) :], validate=True)
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], purpose)
    except (binascii.Error, InvalidTag, ValueError):
        return None
