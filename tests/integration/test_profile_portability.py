"""A profile where Windows puts one: under a user name with «ñ» and spaces, every step works.

The install's own self-check (``instancias-desktop comprobar``: window, catalogues, an annex
whose name has «ñ», a finalized visit, its acta kept twice and printed, enrolment and a
sync) runs as a
separate process against the real server, and every path it leaves in the profile fits the
room ``paths.PATH_ROOM`` promises under Windows' 260 characters.
"""

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from helpers.gui_central import PASSWORD, USER, central_database
from sqlalchemy import select

from instancias_desktop.paths import PATH_ROOM
from sync.server.app import create_app
from sync.server.local import LocalServer
from sync.server.store import AttachmentFile


def test_a_profile_under_a_spanish_user_name_does_everything(tmp_path: Path) -> None:
    root = tmp_path / "Users" / "María Peña Ñahui" / "AppData" / "Local" / "MIMP" / "instancias"
    secret = tmp_path / "clave de María.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    with central_database(tmp_path) as sessions, LocalServer(create_app(sessions)) as server:
        done = subprocess.run(
            [sys.executable, "-m", "instancias_desktop", "comprobar", "--data-dir", str(root),
             "--server", server.url, "--user", USER, "--password-file", str(secret)],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True, text=True, encoding="utf-8", timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        with sessions() as session:
            files = session.scalars(select(AttachmentFile)).all()
    assert "Comprobación completa." in done.stdout
    assert re.search(r"Impresión: [1-9]\d* página", done.stdout)  # printed through Qt
    assert str(root / "exports" / "acta-") in done.stdout  # kept where she looks for it
    annex = "Lista de asistencia de la comprobación.\n".encode()  # what the check annexes
    assert [(f.sha256, f.size) for f in files] == [(hashlib.sha256(annex).hexdigest(), len(annex))]
    made = [path.relative_to(root) for path in root.rglob("*")]
    assert any(path.parts[0] == "attachments" for path in made)
    longest = max(made, key=lambda path: len(str(path)))
    assert len(str(longest)) <= PATH_ROOM, longest
    assert [p.name for p in (root / "exports").iterdir()] == [
        p.name for p in (root / "exports").glob("acta-*.pdf")
    ] and len(list((root / "exports").iterdir())) == 1  # the same acta twice: one file
