"""Annex files encrypted at rest: AES-256-GCM in segments, each authenticated and in its place.

A sealed file is a header (a magic and a random prefix for the nonces) followed by segments of
``SEGMENT`` bytes of content, each encrypted with the nonce prefix + its index and bound to
the header, its index and whether it is the last (so no segment can be swapped, reordered,
dropped or the file cut short without the reading failing). Segments are the size of the
pieces a sync sends, so a piece is read, or received, one segment at a time. The store still
names each file by the SHA-256 of its content: deduplication and sync are unchanged.
"""

import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEGMENT = 256 * 1024  # = sync.protocol.CHUNK_SIZE: a sync piece is one segment
MAGIC = b"IDCA\x01"
HEADER = len(MAGIC) + 8
TAG = 16
_FILES = b"instancias-desktop: anexos"


class DamagedFileError(ValueError):
    """A sealed file that does not authenticate: damaged, cut short, or not this profile's."""


def files_key(data_key: bytes) -> bytes:
    """The annexes' own key, derived from the store's key (HKDF-SHA256, one block)."""
    prk = hmac.new(bytes(32), data_key, hashlib.sha256).digest()
    return hmac.new(prk, _FILES + b"\x01", hashlib.sha256).digest()


def is_sealed(path: Path) -> bool:
    """Whether a stored file is sealed (an annex from before encryption is not)."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class Sealer:
    """Seals and opens the segments of files with one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def new_header() -> bytes:
        """The header of a new sealed file."""
        return MAGIC + os.urandom(HEADER - len(MAGIC))

    def seal(self, header: bytes, index: int, content: bytes, *, last: bool) -> bytes:
        """One segment, encrypted and bound to its file, place and finality."""
        return self._aead.encrypt(_nonce(header, index), content, _bound(header, index, last))

    def open(self, header: bytes, index: int, sealed: bytes, *, last: bool) -> bytes:
        """One segment's content, or DamagedFileError."""
        try:
            return self._aead.decrypt(_nonce(header, index), sealed, _bound(header, index, last))
        except InvalidTag as error:
            raise DamagedFileError(f"segment {index} does not authenticate") from error

    def write(self, chunks: Iterable[bytes], out: BinaryIO) -> tuple[str, int]:
        """Seal content given in chunks of any size; (its SHA-256, its size)."""
        header = self.new_header()
        out.write(header)
        digest, size, index = hashlib.sha256(), 0, 0
        pending = b""
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            pending += chunk
            while len(pending) > SEGMENT:  # a full segment with more after it: not the last
                out.write(self.seal(header, index, pending[:SEGMENT], last=False))
                pending, index = pending[SEGMENT:], index + 1
        out.write(self.seal(header, index, pending, last=True))
        return digest.hexdigest(), size

    def segments(self, path: Path, first: int = 0) -> Iterator[bytes]:
        """The content of a sealed file, segment by segment, from segment ``first``."""
        with path.open("rb") as handle:
            header = handle.read(HEADER)
            if len(header) != HEADER or not header.startswith(MAGIC):
                raise DamagedFileError(f"{path.name} is not a sealed file")
            total = os.fstat(handle.fileno()).st_size - HEADER
            count = max(1, -(-total // (SEGMENT + TAG)))
            handle.seek(HEADER + first * (SEGMENT + TAG))
            for index in range(first, count):
                yield self.open(header, index, handle.read(SEGMENT + TAG), last=index == count - 1)

    def read(self, path: Path, offset: int, length: int) -> bytes:
        """``length`` bytes of content from ``offset`` (a sync piece: one segment)."""
        first = offset // SEGMENT
        out = b""
        for segment in self.segments(path, first):
            out += segment
            if len(out) >= offset - first * SEGMENT + length:
                break
        start = offset - first * SEGMENT
        return out[start : start + length]


def _nonce(header: bytes, index: int) -> bytes:
    return header[len(MAGIC) :] + index.to_bytes(4, "big")


def _bound(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
