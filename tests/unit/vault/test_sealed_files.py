"""Annex files sealed at rest: every size round-trips, any tampering is caught, pieces read."""

import hashlib
import io
import os
from pathlib import Path

import pytest

from instancias_desktop.vault.annex_store import AnnexStore
from instancias_desktop.vault.sealed_files import HEADER, SEGMENT, TAG, DamagedFileError, Sealer

KEY = bytes(range(32))
SIZES = (0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 5)


def _sealed(content: bytes, tmp_path: Path, pieces: int = 7) -> Path:
    step = max(1, len(content) // pieces)
    chunks = [content[i : i + step] for i in range(0, len(content), step)] or [b""]
    out = io.BytesIO()
    sha, size = Sealer(KEY).write(chunks, out)
    assert (sha, size) == (hashlib.sha256(content).hexdigest(), len(content))
    path = tmp_path / sha
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("size", SIZES)
def test_every_size_comes_back_whole_and_by_pieces(tmp_path: Path, size: int) -> None:
    content = os.urandom(size)
    path = _sealed(content, tmp_path)
    sealer = Sealer(KEY)
    assert b"".join(sealer.segments(path)) == content
    for offset in range(0, size, SEGMENT):  # the sync's pieces
        assert sealer.read(path, offset, SEGMENT) == content[offset : offset + SEGMENT]
    assert sealer.read(path, 5, 10) == content[5:15]
    if size >= 64:
        assert content[:64] not in path.read_bytes()


def test_a_changed_cut_or_reordered_file_does_not_open(tmp_path: Path) -> None:
    content = os.urandom(3 * SEGMENT + 5)
    path = _sealed(content, tmp_path)
    raw = path.read_bytes()
    seg = SEGMENT + TAG
    flipped = bytearray(raw)
    flipped[HEADER + 10] ^= 1
    cut = raw[: HEADER + 2 * seg]  # two whole segments, the rest gone
    swapped = raw[:HEADER] + raw[HEADER + seg : HEADER + 2 * seg] + raw[HEADER : HEADER + seg]
    swapped += raw[HEADER + 2 * seg :]
    other_key = Sealer(bytes(32))
    for damaged in (bytes(flipped), cut, swapped):
        path.write_bytes(damaged)
        with pytest.raises(DamagedFileError):
            b"".join(Sealer(KEY).segments(path))
    path.write_bytes(raw)
    with pytest.raises(DamagedFileError):
        b"".join(other_key.segments(path))


def test_the_store_seals_plain_files_from_before_in_place(tmp_path: Path) -> None:
    store = AnnexStore(tmp_path / "attachments", KEY)
    content = b"Acta firmada de Maria Nunez 45678912 " * 1000
    sha = hashlib.sha256(content).hexdigest()
    plain = store.path(sha)
    plain.parent.mkdir(parents=True)
    plain.write_bytes(content)
    stray = plain.parent / ("0" * 64)  # a file whose content is not its name: left alone
    stray.write_bytes(b"otra cosa")
    assert store.seal_plain_files() == 1
    assert b"45678912" not in plain.read_bytes()
    assert store.content(sha) == content
    assert stray.read_bytes() == b"otra cosa"
    assert sorted(p.name for p in plain.parent.iterdir()) == sorted([sha, "0" * 64])
    assert store.seal_plain_files() == 0  # nothing twice; the stray stays as it was
