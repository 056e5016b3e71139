"""Migration 0011: plan entries become synced records, stamped as the profile's user's."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from helpers.profiles import open_profile, profile_engine
from sqlalchemy import text

from instancias_desktop.db.migrate import MIGRATIONS_DIR, upgrade_database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings


def test_an_earlier_plan_is_kept_and_becomes_the_enrolled_users(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    opened = open_profile(paths, Settings(author="root"))
    opened.database.dispose()
    engine = profile_engine(paths)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010_open_start_time")
        instancia = connection.scalar(text("SELECT id FROM instancia LIMIT 1"))
        connection.execute(
            text(
                "INSERT INTO plan_entry (id, instancia_id, planned_on, position, note,"
                " created_at) VALUES ('00000000000000000000000000000001', :i, '2026-03-16',"
                " 1, 'Llevar la ordenanza', '2026-03-10 15:00:00')"
            ),
            {"i": instancia},
        )
        connection.execute(
            text("INSERT INTO sync_state (key, value) VALUES ('enrolment.username', 'ana')")
        )
    upgrade_database(engine, paths.backups)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT note, author, updated_by, version, deleted, updated_at FROM plan_entry")
        ).one()
    assert tuple(row) == (
        "Llevar la ordenanza", "ana", "ana", 1, 0, "2026-03-10 15:00:00",
    )  # fmt: skip
    engine.dispose()
