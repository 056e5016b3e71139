import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers.profiles import loose_engine, profile_engine
from sqlalchemy import text

from instancias_desktop.db import models  # noqa: F401
from instancias_desktop.db.base import Base
from instancias_desktop.db.encrypt import is_plain
from instancias_desktop.db.engine import create_local_engine
from instancias_desktop.db.migrate import (
    MIGRATIONS_DIR,
    DatabaseRefusedError,
    current_revision,
    upgrade_database,
)
from instancias_desktop.db.revision import HEAD_REVISION
from instancias_desktop.paths import ProfilePaths


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_constant_is_alembics_single_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD_REVISION]


def test_migrating_an_empty_file_builds_the_whole_schema_without_backup(tmp_path: Path) -> None:
    engine = loose_engine(tmp_path / "db.sqlite3")
    report = upgrade_database(engine, tmp_path / "backups")
    assert (report.from_revision, report.to_revision, report.backup) == (None, HEAD_REVISION, None)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as connection:
        tables = {
            r[0]
            for r in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
        assert set(Base.metadata.tables) <= tables
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_the_migrations_produce_exactly_the_models(tmp_path: Path) -> None:
    engine = loose_engine(tmp_path / "db.sqlite3")
    upgrade_database(engine, tmp_path / "backups")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_an_older_schema_is_backed_up_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    engine = loose_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_catalogues")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO territory (code, name, level, vigente) "
                "VALUES ('02', 'Áncash', 'department', 1)"
            )
        )
    report = upgrade_database(engine, tmp_path / "backups")
    engine.dispose()
    assert report.from_revision == "0001_catalogues"
    assert report.backup is not None and report.backup.parent == tmp_path / "backups"
    assert not is_plain(report.backup)  # encrypted like the database it copies
    copy = loose_engine(report.backup)
    with copy.connect() as backup:
        assert backup.exec_driver_sql("SELECT version_num FROM alembic_version").one() == (
            "0001_catalogues",
        )
        assert backup.exec_driver_sql("SELECT name FROM territory").all() == [("Áncash",)]
        assert backup.exec_driver_sql("PRAGMA integrity_check").one() == ("ok",)
    copy.dispose()


def test_a_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    engine = loose_engine(path)
    upgrade_database(engine, tmp_path / "backups")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_del_futuro'"))
    engine.dispose()
    before = digest(path)
    engine = loose_engine(path)
    with pytest.raises(DatabaseRefusedError) as caught:
        upgrade_database(engine, tmp_path / "backups")
    engine.dispose()
    assert str(caught.value) == (
        "La base de datos usa el esquema «0099_del_futuro», más reciente que esta versión "
        "de la aplicación. Actualice la aplicación para abrirla; no se modificó nada."
    )
    assert digest(path) == before
    assert not any((tmp_path / "backups").glob("*"))


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "otra.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notas (texto TEXT)")
    connection.close()
    engine = create_local_engine(path, None)  # a plain file: its schema is what is refused
    with pytest.raises(DatabaseRefusedError, match="no es una base de datos de esta aplicación"):
        upgrade_database(engine, tmp_path / "backups")
    engine.dispose()


PROBE_TEMPLATE = '''"""Probe: a batch migration that rebuilds a table other tables reference."""

import sqlalchemy as sa
from alembic import op

revision = "9999_probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("territory") as batch:
        batch.add_column(sa.Column("probe", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("territory") as batch:
        batch.drop_column("probe")
'''


def test_a_batch_migration_of_a_referenced_table_runs_on_real_data(
    tmp_path: Path, profile_paths: ProfilePaths
) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    probe = PROBE_TEMPLATE.replace("{head}", HEAD_REVISION)
    (migrations / "versions" / "9999_probe.py").write_text(probe, encoding="utf-8")
    engine = profile_engine(profile_paths)
    report = upgrade_database(engine, profile_paths.backups, migrations, head="9999_probe")
    assert (report.from_revision, report.to_revision) == (HEAD_REVISION, "9999_probe")
    assert report.backup is not None
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM territory")).scalar() == 2114
        assert connection.execute(text("SELECT count(*) FROM government_unit")).scalar() == 1917
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_paths_with_url_characters_stay_inside_the_profile(tmp_path: Path) -> None:
    folder = tmp_path / "perfil?v2 50%25 avance#1"
    folder.mkdir()
    engine = loose_engine(folder / "instancias.sqlite3")
    upgrade_database(engine, folder / "backups")
    engine.dispose()
    assert (folder / "instancias.sqlite3").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]
