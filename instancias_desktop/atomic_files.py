"""Writing a file whole or not at all: a crash leaves the old file or the new one, never half."""

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a synced temporary file in the same folder, then rename it into place.

    The temporary name is unique, so two writers (two windows, two threads) never share one;
    if anything fails, the temporary file is removed and the target is untouched.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def shred(path: Path, chunk: int = 1 << 20) -> None:
    """Overwrite a file with zeros, sync, and remove it.

    On flash storage the drive may keep the old blocks elsewhere, out of any program's reach:
    this removes what the file system lets a program reach.
    """
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for start in range(0, size, chunk):
            handle.write(bytes(min(chunk, size - start)))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
