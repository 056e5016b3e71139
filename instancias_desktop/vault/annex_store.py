"""The profile's annex files: sealed at rest, each named by the SHA-256 of its content.

Every write goes to a temporary file that is synced and renamed, so the store never holds a
partial file; a file from before encryption is sealed in place the same way.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from instancias_desktop.atomic_files import shred
from instancias_desktop.vault.sealed_files import HEADER, SEGMENT, TAG, Sealer, files_key, is_sealed

_CHUNK = 1 << 20
LEFTOVER = ".sin-cifrar"  # a plain file after its sealed copy took the name, until shredded


def attachment_file(store: Path, sha256: str) -> Path:
    """Where the content with this hash lives in a store: two-level, like git's objects."""
    return store / sha256[:2] / sha256


class AnnexStore:
    """Sealed annex files of one profile."""

    def __init__(self, root: Path, key: bytes) -> None:
        self.root = root
        self._sealer = Sealer(files_key(key))

    def path(self, sha256: str) -> Path:
        """Where the content with this hash is kept (sealed)."""
        return attachment_file(self.root, sha256)

    def has(self, sha256: str) -> bool:
        """Whether the content is in the store."""
        return self.path(sha256).is_file()

    def add_file(self, source: Path) -> tuple[str, int]:
        """Seal a file picked from disk into the store (once per content); its hash and size."""
        with source.open("rb") as origin:
            return self.add_chunks(iter(lambda: origin.read(_CHUNK), b""))

    def add_bytes(self, data: bytes) -> str:
        """Seal content the app made (a signed copy's PDF); its hash."""
        return self.add_chunks([data])[0]

    def add_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Seal content given in pieces; its hash and size."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(handle, "wb") as target:
                sha256, size = self._sealer.write(chunks, target)
                target.flush()
                os.fsync(target.fileno())
            final = self.path(sha256)
            final.parent.mkdir(exist_ok=True)
            if final.exists():
                tmp.unlink()
            else:
                tmp.replace(final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return sha256, size

    def content(self, sha256: str) -> bytes:
        """The whole content (checked against its hash)."""
        data = b"".join(self._sealer.segments(self.path(sha256)))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"{sha256[:12]}…: el anexo guardado no coincide con su huella")
        return data

    def piece(self, sha256: str, offset: int, length: int) -> bytes:
        """Part of the content, as a sync sends it piece by piece."""
        return self._sealer.read(self.path(sha256), offset, length)

    def seal_plain_files(self) -> int:
        """Seal, in place, the files stored before encryption; how many there were.

        Each sealed copy takes the plain file's name in one rename; the plain bytes, still
        reachable under a second name until then, are overwritten after. A crash leaves the
        plain file or the sealed one under the name; a plain leftover is shredded next time.
        """
        if not self.root.is_dir():
            return 0
        for leftover in self.root.glob(f"*/*{LEFTOVER}"):
            shred(leftover)
        sealed = 0
        for path in sorted(self.root.glob("*/*")):
            if path.is_file() and len(path.name) == 64 and not is_sealed(path):
                sealed += self._seal_in_place(path)
        return sealed

    def _seal_in_place(self, plain: Path) -> bool:
        handle, tmp_name = tempfile.mkstemp(dir=plain.parent, prefix=".sellando-")
        tmp, leftover = Path(tmp_name), plain.with_name(plain.name + LEFTOVER)
        try:
            with os.fdopen(handle, "wb") as target, plain.open("rb") as origin:
                sha256, _size = self._sealer.write(iter(lambda: origin.read(_CHUNK), b""), target)
                target.flush()
                os.fsync(target.fileno())
            if sha256 != plain.name:  # not what its name says: left alone, never lost
                tmp.unlink()
                return False
            leftover.unlink(missing_ok=True)
            leftover.hardlink_to(plain)
            tmp.replace(plain)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        shred(leftover)
        return True


class SealedSink:
    """A download sealed segment by segment as it arrives; named once its hash is right.

    Pieces of the size of a segment (what this app's uploads use) resume after a cut from the
    last whole segment; pieces of another size start over.
    """

    def __init__(self, store: AnnexStore, sha256: str) -> None:
        self._sealer = store._sealer
        self.final = store.path(sha256)
        self.part = self.final.with_name(self.final.name + ".part")
        self._header = b""
        self._index = 0
        self._pending = b""

    def held(self, chunk_size: int) -> int:
        if chunk_size != SEGMENT or not self.part.exists():
            return 0
        return (self.part.stat().st_size - HEADER) // (SEGMENT + TAG) * SEGMENT

    def resume(self, offset: int) -> None:
        self.part.parent.mkdir(parents=True, exist_ok=True)
        self._index, self._pending = offset // SEGMENT, b""
        if self._index == 0 or not self.part.exists():
            self._index, self._header = 0, Sealer.new_header()
            self.part.write_bytes(self._header)
            return
        with self.part.open("r+b") as handle:
            self._header = handle.read(HEADER)
            handle.truncate(HEADER + self._index * (SEGMENT + TAG))

    def keep(self, data: bytes, *, last: bool) -> None:
        self._pending += data
        with self.part.open("ab") as handle:
            while len(self._pending) > SEGMENT or (len(self._pending) == SEGMENT and not last):
                segment, self._pending = self._pending[:SEGMENT], self._pending[SEGMENT:]
                handle.write(self._sealer.seal(self._header, self._index, segment, last=False))
                self._index += 1
            if last:
                handle.write(self._sealer.seal(self._header, self._index, self._pending, last=True))
                self._pending = b""
            handle.flush()
            os.fsync(handle.fileno())

    def finish(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        try:
            for segment in self._sealer.segments(self.part):
                digest.update(segment)
        except ValueError:
            digest = hashlib.sha256(b"damaged")
        if digest.hexdigest() != sha256:
            self.part.unlink(missing_ok=True)
            return False
        self.part.replace(self.final)
        return True
