"""The sync journal names people («Participante María … del acta …»): sealed on disk."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers.profiles import open_profile, profile_key

from instancias_desktop.db.uow import Database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings
from instancias_desktop.syncing.journal import JOURNAL_FILE, SyncJournal

NAME = "Teodora Quispe Mamani"
WHEN = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


def test_the_journal_file_holds_no_name_and_only_its_profile_reads_it(
    database: Database, laptop_b: Database, tmp_path: Path
) -> None:
    journal = SyncJournal.of_profile(database, tmp_path / JOURNAL_FILE)
    journal.write("rechazo", f"Participante {NAME} del acta N° 001-2026: sin consentimiento.", WHEN)
    raw = journal.path.read_bytes()
    assert b"Quispe" not in raw and "Quispe".encode("utf-16-le") not in raw
    assert [e.message for e in journal.entries()] == [
        f"Participante {NAME} del acta N° 001-2026: sin consentimiento."
    ]
    other = SyncJournal.of_profile(laptop_b, journal.path)  # another profile's key
    assert other.entries() == ()


def _plain_journal(paths: ProfilePaths) -> None:
    """A journal as versions before its sealing wrote it: one JSON object per line."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    lines = [
        {"at": WHEN.isoformat(), "event": "inicio", "message": "Sincronización con el servidor."},
        {"at": WHEN.isoformat(), "event": "rechazo", "message": f"Persona {NAME} (documento 1)"},
    ]
    (paths.logs / JOURNAL_FILE).write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )


def test_an_earlier_plain_journal_is_sealed_when_the_profile_opens(
    profile_paths: ProfilePaths,
) -> None:
    _plain_journal(profile_paths)
    opened = open_profile(profile_paths, Settings())
    try:
        raw = (profile_paths.logs / JOURNAL_FILE).read_bytes()
        assert b"Quispe" not in raw and raw.startswith(b"s1:")
        entries = SyncJournal.of_profile(opened.database, profile_paths.logs / JOURNAL_FILE)
        assert [e.event for e in entries.entries()] == ["rechazo", "inicio"]
        assert [p.name for p in profile_paths.logs.iterdir() if "jsonl" in p.name] == [JOURNAL_FILE]
    finally:
        opened.database.dispose()


KILLED_SEALING = """
import os, signal, sys
sys.path[:0] = [{root!r}, {tests!r}]
from pathlib import Path
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings
from helpers.profiles import open_profile
real_replace = Path.replace
def replace(self, target):
    result = real_replace(self, target)
    stepped_aside = str(target).endswith(".sin-cifrar")
    took_over = self.name.endswith(".sellado")
    if (stepped_aside, took_over)[{kill_after} - 1]:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
Path.replace = replace
open_profile(ProfilePaths(Path({root_dir!r})), Settings())
"""


def test_a_kill_while_sealing_an_old_journal_loses_no_line(profile_paths: ProfilePaths) -> None:
    project = Path(__file__).resolve().parents[2]
    for kill_after in (1, 2):  # after the plain journal stepped aside; after the copy took over
        _plain_journal(profile_paths)
        script = KILLED_SEALING.format(
            root=str(project), tests=str(project / "tests"), kill_after=kill_after,
            root_dir=str(profile_paths.root),
        )  # fmt: skip
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        killed = subprocess.run([sys.executable, "-c", script], env=env, check=False)
        assert killed.returncode == -signal.SIGKILL
        opened = open_profile(profile_paths, Settings())
        try:
            journal = SyncJournal.of_profile(opened.database, profile_paths.logs / JOURNAL_FILE)
            assert [e.event for e in journal.entries()] == ["rechazo", "inicio"], kill_after
            for path in profile_paths.logs.iterdir():
                assert b"Quispe" not in path.read_bytes(), path
        finally:
            opened.database.dispose()
        assert profile_key(profile_paths)  # the profile still opens with its key
