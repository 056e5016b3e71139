"""Killing the app while a visit is typed loses at most the field being typed; the file is sound."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from helpers.profiles import keyed_connection, profile_key

from instancias_desktop.paths import HOME_ENV, ProfilePaths

SCRIPT = Path(__file__).with_name("crash_app.py")
OBJECTIVE = "Objetivo guardado antes del corte: instalar la instancia."
TYPED = "Desarrollo escrito mientras se corta la luz; señal débil en el distrito. "


def test_a_killed_app_leaves_the_draft_intact(profile_paths: ProfilePaths) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", HOME_ENV: str(profile_paths.root)}
    with subprocess.Popen(
        [sys.executable, str(SCRIPT), str(profile_paths.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("SAVED "), line
            visit_id = uuid.UUID(line.split()[1])
            time.sleep(2.5)  # typing goes on, with saves in between
            assert process.poll() is None, "the app must still be running when it is killed"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with keyed_connection(profile_paths.database, profile_key(profile_paths)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        row = connection.execute(
            "SELECT objective, development, status, deleted FROM visit WHERE id = ?",
            (visit_id.hex,),
        ).fetchone()
    connection.close()
    assert row is not None, "the draft survived the kill"
    objective, development, status, deleted = row
    assert (objective, status, deleted) == (OBJECTIVE, "borrador", 0)
    # What was stored of the field being typed is exactly what was typed, up to some point.
    repeated = TYPED * (len(development) // len(TYPED) + 1)
    assert repeated.startswith(development)
    assert len(development) > 0, "saves happened while typing went on"
