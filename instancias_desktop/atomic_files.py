"""Writing a file whole or not at all: a crash leaves the old file or the new one, never half."""

import os
import tempfile
import time
from pathlib import Path

from instancias_desktop.i18n import _

# Windows refuses to replace a file another program holds open (a PDF viewer, Excel), and an
# antivirus or the search indexer holds a new file for a moment: retry briefly, then say so.
_REPLACE_PAUSES = (0.05, 0.1, 0.15)


class FileInUseError(PermissionError):
    """The target could not be replaced: another program holds it (said in Spanish)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "No se pudo reemplazar «{name}»: otro programa lo tiene abierto (por ejemplo, "
                "el visor de PDF o Excel). Ciérrelo y vuelva a intentarlo, o elija otro nombre."
            ).format(name=path.name)
        )
        self.path = path


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
        _replace(Path(tmp_name), path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _replace(source: Path, target: Path) -> None:
    """Rename ``source`` onto ``target``, waiting out a brief hold; FileInUseError if it stays."""
    for pause in _REPLACE_PAUSES:
        try:
            source.replace(target)
        except PermissionError:
            time.sleep(pause)
        else:
            return
    try:
        source.replace(target)
    except PermissionError as error:
        raise FileInUseError(target) from error


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
