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
