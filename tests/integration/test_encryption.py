"""A lost laptop reveals nothing: the profile's database and its backups are encrypted at rest."""

import contextlib
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from helpers.acta_fixtures import instancia, person, services_at
from helpers.profiles import open_profile, passphrase, profile_engine, profile_key
from sqlalchemy import text

from instancias_desktop.db.encrypt import LEFTOVER, WORKING, is_plain
from instancias_desktop.db.engine import create_local_engine
from instancias_desktop.db.migrate import MIGRATIONS_DIR, upgrade_database
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AttachmentKind, DocumentType
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services import profile
from instancias_desktop.services.api import ProfileOpenError
from instancias_desktop.settings import Settings
from instancias_desktop.vault.profile_key import WrongPassphraseError, read_key_file

NAME, DNI = "María Núñez Quispe", "45678912"
SECRETS = (NAME.encode("utf-8"), DNI.encode("ascii"), "Núñez".encode("utf-16-le"))


def _record_a_participant(database: Database, paths: ProfilePaths) -> None:
    services = services_at(database, paths)
    visit_id = services.start_visit(instancia(services))
    services.save_participant(visit_id, person(DNI, NAME))


def _files(paths: ProfilePaths) -> list[Path]:
    return [p for p in paths.root.rglob("*") if p.is_file() and "sqlite3" in p.name]


def _leaks(path: Path) -> list[bytes]:
    raw = path.read_bytes()
    return [secret for secret in SECRETS if secret in raw]


def test_the_database_its_wal_and_its_backups_hold_no_name_or_dni(
    database: Database, profile_paths: ProfilePaths
) -> None:
    _record_a_participant(database, profile_paths)
    files = _files(profile_paths)
    assert profile_paths.database in files
    assert any(p.name.endswith("-wal") for p in files)  # written, not yet checkpointed
    database.dispose()
    engine = profile_engine(profile_paths)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:  # as an older version left it: the next opening backs up
        config.attributes["connection"] = connection
        command.downgrade(config, "0012_registry_figures")
    report = upgrade_database(engine, profile_paths.backups)
    engine.dispose()
    assert report.backup is not None
    for path in [*_files(profile_paths), report.backup]:
        assert not path.read_bytes().startswith(b"SQLite format 3"), path
        assert _leaks(path) == [], path
    with profile_engine(profile_paths).connect() as connection:  # and the key reads it all
        names = connection.execute(text("SELECT full_name FROM person")).scalars().all()
    assert NAME in names


def test_annex_files_hold_no_name_or_dni_and_read_back_whole(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    services = services_at(database, profile_paths)
    visit_id = services.start_visit(instancia(services))
    scan = tmp_path / "lista de asistencia.txt"
    scan.write_text(f"Lista de asistencia\n1. {NAME}, DNI {DNI}\n" * 2000, encoding="utf-8")
    services.attach_file(visit_id, scan, AttachmentKind.ATTENDANCE)
    (annex,) = services.visit_detail(visit_id).attachments
    stored = [p for p in profile_paths.attachments.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [annex.sha256]
    assert _leaks(stored[0]) == []
    assert services.annex_content(annex.sha256) == scan.read_bytes()


def test_the_wrong_key_opens_nothing_and_changes_nothing(
    database: Database, profile_paths: ProfilePaths
) -> None:
    database.dispose()
    before = profile_paths.database.read_bytes()
    with pytest.raises(ProfileOpenError, match="no se abre con esta contraseña"):
        profile.open_profile(profile_paths, Settings(), key=bytes(32))
    assert profile_paths.database.read_bytes() == before
    opened = open_profile(profile_paths, Settings())  # the right one still does
    opened.database.dispose()


def _plain_profile(root: Path) -> ProfilePaths:
    """A profile as versions before encryption left it: plain database, plain backup."""
    paths = ProfilePaths(root).ensure()
    engine = create_local_engine(paths.database, None)
    upgrade_database(engine, paths.backups)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (id, document_type, document_number, full_name, sex, phone,"
                " email, search_key, created_at, updated_at, author, updated_by, version,"
                " deleted) VALUES (:id, 'dni', :dni, :name, 'F', '', '', '', '2026-01-05',"
                " '2026-01-05', 'ana', 'ana', 1, 0)"
            ),
            {"id": os.urandom(16).hex(), "dni": DNI, "name": NAME},
        )
    engine.dispose()
    annex = f"Acta firmada: {NAME}, DNI {DNI}".encode()
    sha = hashlib.sha256(annex).hexdigest()
    (paths.attachments / sha[:2]).mkdir(parents=True)
    (paths.attachments / sha[:2] / sha).write_bytes(annex)  # an annex stored in plain
    with sqlite3.connect(paths.database) as plain:  # a backup as VACUUM INTO made them
        plain.execute("VACUUM INTO ?", (str(paths.backups / "antes.sqlite3"),))
    plain.close()
    assert is_plain(paths.database) and is_plain(paths.backups / "antes.sqlite3")
    return paths


def _kill_after_go(script: list[str], delay: float) -> None:
    """Run ``python -c script…``; once it says «go», SIGKILL it ``delay`` seconds later."""
    with subprocess.Popen(
        [sys.executable, "-c", *script], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "go"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)


def _assert_person_kept(paths: ProfilePaths, said: Callable[[str], None] = print) -> None:
    opened = open_profile(paths, Settings(), said)
    try:
        with opened.database.reader() as uow:
            found = uow.participants.person_by_document(DocumentType.DNI, DNI)
        assert found is not None and found.full_name == NAME
    finally:
        opened.database.dispose()


def test_a_plain_profile_is_encrypted_on_opening_and_keeps_every_row(tmp_path: Path) -> None:
    paths = _plain_profile(tmp_path / "antiguo")
    said: list[str] = []
    _assert_person_kept(paths, said.append)
    assert said[0] == "Cifrando los datos del perfil (una sola vez)…"
    for path in _files(paths):
        assert not is_plain(path) and _leaks(path) == [], path
    (annex,) = [p for p in paths.attachments.rglob("*") if p.is_file()]
    assert _leaks(annex) == []  # sealed in place, under the same name
    leftovers = [p.name for p in paths.root.rglob("*") if p.name.endswith((WORKING, LEFTOVER))]
    assert leftovers == []


KILL_ENCRYPTION = """
import sys
from pathlib import Path
from instancias_desktop.db.encrypt import encrypt_in_place
print("go", flush=True)
encrypt_in_place(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
"""


def test_a_kill_at_any_moment_of_the_encryption_never_loses_the_profile(tmp_path: Path) -> None:
    template = _plain_profile(tmp_path / "plantilla")
    key = profile_key(template)
    chance = random.Random(20261206)
    outcomes = []
    for attempt in range(8):
        paths = ProfilePaths(tmp_path / f"intento-{attempt}")
        subprocess.run(["cp", "-a", str(template.root), str(paths.root)], check=True)
        _kill_after_go([KILL_ENCRYPTION, str(paths.database), key.hex()], chance.uniform(0, 0.12))
        outcomes.append("cifrado" if not is_plain(paths.database) else "sin cifrar")
        _assert_person_kept(paths)  # the opening finishes or redoes it, whichever is due
        assert not is_plain(paths.database)
    assert len(outcomes) == 8, outcomes


CHANGE = """
import sys
from pathlib import Path
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.profile_keys import change_passphrase
paths = ProfilePaths(Path(sys.argv[1]))
print("go", flush=True)
while True:
    change_passphrase(paths, sys.argv[2], sys.argv[3], sys.argv[3])
    change_passphrase(paths, sys.argv[3], sys.argv[2], sys.argv[2])
"""


def test_a_kill_while_changing_the_passphrase_leaves_one_of_them_opening_the_same_data(
    database: Database, profile_paths: ProfilePaths
) -> None:
    _record_a_participant(database, profile_paths)
    database.dispose()
    old, new = passphrase(), "otra frase para el perfil"
    key = profile_key(profile_paths)
    chance = random.Random(7)
    for _attempt in range(6):
        _kill_after_go([CHANGE, str(profile_paths.root), old, new], chance.uniform(0, 0.2))
        key_file = read_key_file(profile_paths.key_file)
        assert key_file is not None
        opened = []
        for typed in (old, new):
            with contextlib.suppress(WrongPassphraseError):
                opened.append(key_file.unlock(typed))
        assert opened == [key], "exactly one passphrase opens it, with the data's own key"
        leftovers = [p.name for p in profile_paths.root.iterdir() if p.name.endswith(".tmp")]
        assert len(leftovers) <= 1  # at most a temporary file, never a half key file
    _assert_person_kept(profile_paths)
