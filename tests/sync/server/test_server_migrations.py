"""The server's own migrations: they build exactly the models' schema, once, and refuse newer."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sync_server_support import ServerDb

from sync.server.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    SchemaRefusedError,
    current_revision,
    migrate,
)
from sync.server.store import Base


def test_head_revision_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_migrations_build_the_models_schema(server_db: ServerDb) -> None:
    with server_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(server_db.engine) == HEAD_REVISION
    assert migrate(server_db.engine) == HEAD_REVISION  # nothing to do the second time


def test_a_newer_schema_is_refused(server_db: ServerDb) -> None:
    with server_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    with pytest.raises(SchemaRefusedError, match="más reciente que este servidor"):
        migrate(server_db.engine)
