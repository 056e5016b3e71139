"""Migration 0007: each instancia gets the id derived from its unit; what refers to it follows."""

import uuid
from pathlib import Path

from helpers.profiles import open_profile, profile_engine
from sqlalchemy import text

from instancias_desktop.db.migrate import upgrade_database
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings

REVISION_0016_COLUMNS = {
    "member": ("document_type", "document_number", "post", "designation_document",
               "designated_on", "until"),
    "instancia": ("target_creation_on", "target_installation_on", "target_first_session_on"),
}  # fmt: skip


def test_instancia_ids_become_the_same_on_every_device(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    opened = open_profile(paths, Settings(author="ana"))
    opened.database.dispose()
    engine = profile_engine(paths)
    with engine.begin() as connection:  # as an older profile had them: random ids, referenced
        connection.execute(text("PRAGMA foreign_keys = OFF"))
        connection.execute(text("DELETE FROM alembic_version"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0006_acta_snapshot')"))
        connection.execute(text("DROP TABLE outbox"))
        connection.execute(text("DROP TABLE sync_state"))
        connection.execute(text("DROP TABLE sync_seen"))
        for table in ("agreement_follow_up", "plan_entry", "territory_figure", "priority_weights"):
            connection.execute(text(f"DROP TABLE {table}"))  # 0008
        connection.execute(text("DROP TABLE signed_copy"))  # 0013
        connection.execute(text("DROP TABLE audit_entry"))  # 0015
        for table in ("instancia_file", "session_attendance", "instrument", "instancia_session"):
            connection.execute(text(f"DROP TABLE {table}"))  # 0016
        for table, columns in REVISION_0016_COLUMNS.items():
            for column in columns:
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        rows = connection.execute(text("SELECT id, unit_code FROM instancia LIMIT 3")).all()
        olds = {}
        for current, code in rows:
            old = uuid.uuid4().hex
            olds[code] = old
            connection.execute(
                text("UPDATE instancia SET id = :old WHERE id = :id"), {"old": old, "id": current}
            )
        code = rows[0][1]
        connection.execute(
            text(
                "INSERT INTO stage_event (id, instancia_id, stage, event_date, evidence,"
                " created_at, updated_at, author, updated_by, version, deleted)"
                " VALUES (:id, :inst, 'creada',"
                " '2026-01-05', 'Ordenanza', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 'ana',"
                " 'ana', 1, 0)"
            ),
            {"id": uuid.uuid4().hex, "inst": olds[code]},
        )
    upgrade_database(engine, paths.backups)
    with engine.connect() as connection:
        for unit_code, old in olds.items():
            new = connection.scalar(
                text("SELECT id FROM instancia WHERE unit_code = :c"), {"c": unit_code}
            )
            assert uuid.UUID(new) == instancia_id(unit_code) != uuid.UUID(old)
        referenced = connection.scalar(text("SELECT instancia_id FROM stage_event"))
        assert uuid.UUID(referenced) == instancia_id(code)
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()
