"""The server's own migrations: they build exactly the models' schema, once, and refuse newer."""

import datetime as dt
import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers.server_db import ServerDb
from sqlalchemy import BindParameter, Connection, Uuid, bindparam, select, text

from sync.server.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    SchemaRefusedError,
    current_revision,
    migrate,
)
from sync.server.store import Base, PersonDocument, Record, RecordVersion, UtcDateTime


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


def _alembic(connection: Connection, verb: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    getattr(command, verb)(config, revision)


def _typed(*names: str) -> list[BindParameter[object]]:
    types = {"rid": Uuid(), "device": Uuid(), "when": UtcDateTime()}
    return [bindparam(name, type_=types[name]) for name in names]


def test_0002_keeps_the_current_version_only_in_records(server_db: ServerDb) -> None:
    """A 0001 database, whose history held every version, comes out with superseded ones only
    and the device of each current version on its record."""
    laptop, other = uuid.uuid4(), uuid.uuid4()
    rid = uuid.uuid4()
    when = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with server_db.engine.begin() as connection:
        _alembic(connection, "downgrade", "0001_initial")
        connection.execute(
            text(
                "INSERT INTO records (kind, record_id, version, fields, deleted, scope, "
                "parent_id, owner, updated_by, seq, updated_at) VALUES ('visit', :rid, 2, "
                "'{\"a\": 2}', false, '1501', NULL, 'ana', 'ana', 7, :when)"
            ).bindparams(*_typed("rid", "when")),
            {"rid": rid, "when": when},
        )
        for version, device in ((1, other), (2, laptop)):
            connection.execute(
                text(
                    "INSERT INTO record_versions (kind, record_id, version, fields, deleted, "
                    "updated_by, created_at, device_id) VALUES ('visit', :rid, :v, :f, false, "
                    "'ana', :when, :device)"
                ).bindparams(*_typed("rid", "when", "device")),
                {
                    "rid": rid,
                    "v": version,
                    "f": f'{{"a": {version}}}',
                    "when": when,
                    "device": device,
                },
            )
    migrate(server_db.engine)
    with server_db.factory() as session:
        record = session.get(Record, ("visit", rid))
        assert record is not None
        assert (record.version, record.device_id, record.fields) == (2, laptop, {"a": 2})
        kept = session.scalars(select(RecordVersion)).all()
        assert [(v.version, v.device_id, v.fields) for v in kept] == [(1, other, {"a": 1})]
    with server_db.engine.begin() as connection:  # and back: every version in the history again
        _alembic(connection, "downgrade", "0001_initial")
        versions = connection.execute(
            text("SELECT version FROM record_versions ORDER BY version")
        ).scalars()
        assert list(versions) == [1, 2]
        _alembic(connection, "upgrade", HEAD_REVISION)


def test_0003_indexes_the_persons_already_held(server_db: ServerDb) -> None:
    """Each document is held by its first live, non-alias person (oldest change number)."""
    first, later, alias = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    when = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    people = [
        (later, 9, '{"document_type": "dni", "document_number": "41223344"}'),
        (first, 3, '{"document_type": "dni", "document_number": "41223344"}'),
        (alias, 2, f'{{"document_type": "ce", "document_number": "X1", "alias_of": "{first}"}}'),
    ]
    with server_db.engine.begin() as connection:
        _alembic(connection, "downgrade", "0002_current_version_in_records")
        for rid, seq, fields in people:
            connection.execute(
                text(
                    "INSERT INTO records (kind, record_id, version, fields, deleted, scope, "
                    "parent_id, owner, updated_by, seq, updated_at) VALUES ('person', :rid, 1, "
                    ":fields, false, '1501', NULL, 'ana', 'ana', :seq, :when)"
                ).bindparams(*_typed("rid", "when")),
                {"rid": rid, "fields": fields, "seq": seq, "when": when},
            )
    migrate(server_db.engine)
    with server_db.factory() as session:
        held = session.execute(select(PersonDocument.document_key, PersonDocument.record_id))
        assert list(held) == [("dni:41223344", first)]
