"""A file another program holds: what Windows does to a PDF a viewer has open, made on Linux.

Windows refuses to replace or delete a file that a viewer or Excel holds open. Linux has no
such lock; the immutable attribute (``chattr +i``, root on ext4, as on the CI machine) makes
the kernel refuse the same rename with the same PermissionError.
"""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held_open(path: Path, content: bytes | None = None) -> Iterator[Path]:
    """While inside, ``path`` cannot be replaced, renamed over or removed.

    ``content``: write the file first (a copy the viewer opened earlier).
    """
    if content is not None:
        path.write_bytes(content)
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
