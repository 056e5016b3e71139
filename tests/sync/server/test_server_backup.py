"""A PostgreSQL backup as the deployment guide tells an IT office to make it, restored whole.

``pg_dump --format=custom`` of the server's database, ``pg_restore`` into a new one: every
table (records and their versions, conflicts, attachments' bytes, devices, the audit trail)
must come back identical, and the restored database must serve.
"""

import hashlib
import json
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from helpers.records import operation
from helpers.server_db import PASSWORD, ServerDb, login, named, server_database
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import URL, make_url

from sync.protocol import Outcome
from sync.server.access import load_caller
from sync.server.app import create_app
from sync.server.db import create_server_engine, session_factory
from sync.server.local import LocalServer
from sync.server.store import AttachmentChunk, Base, Conflict
from sync.server.throttle import LoginLimiter
from sync.transport_http import HttpTransport
from sync.uploads import upload


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Per table: its rows and a digest of their content, in key order."""
    found = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                count += 1
                for value in row:
                    shown = json.dumps(value, sort_keys=True, default=str) if isinstance(
                        value, dict | list) else value  # fmt: skip
                    digest.update(shown if isinstance(shown, bytes) else repr(shown).encode())
            found[table.name] = (count, digest.hexdigest())
    return found


def plain(url: URL, database: str | None = None) -> str:
    """The libpq form of ``url`` (for pg_dump and pg_restore), on ``database`` if given."""
    return (url.set(drivername="postgresql", query={}, database=database or url.database)
            .render_as_string(hide_password=False))  # fmt: skip


def seeded(server_db: ServerDb) -> None:
    """Records, a conflict, an attached file and its device: what a day of sync leaves."""
    app = create_app(session_factory(server_db.engine), limiter=LoginLimiter())
    server_db.add_user("ana", territories=["1501"])
    server_db.add_user("beto", territories=["1501"])
    with LocalServer(app) as server:
        token = str(login(server.url).json()["token"])
        data = bytes(range(256)) * 40
        sha = hashlib.sha256(data).hexdigest()
        named(server_db, "ana", sha, len(data))
        with HttpTransport(server.url, token) as link:
            assert upload(link, sha, len(data), lambda at, n: data[at : at + n],
                          chunk_size=1024).complete  # fmt: skip
    app.state.audit_trail.close()
    with server_db.factory.begin() as session:
        ana, beto = load_caller(session, "ana"), load_caller(session, "beto")
    seat = uuid.uuid4()
    server_db.push(ana, operation("member", seat, scope="150101"))
    for who, name in ((ana, "CEM Lima"), (beto, "Centro Emergencia Mujer Lima")):
        (done,) = server_db.push(
            who,
            operation(
                "member", seat, "update", base=1, scope="150101", fields={"entity_name": name}
            ),
        )
        assert done.outcome in {Outcome.APPLIED, Outcome.CONFLICT}, done  # fmt: skip


@contextmanager
def new_database(url: URL) -> Iterator[str]:
    """An empty database on the same PostgreSQL server, dropped afterwards."""
    name = f"restaurada_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_pg_dump_restores_every_record_file_and_conflict(tmp_path: Path) -> None:
    for server_db in server_database("postgresql", tmp_path):
        seeded(server_db)
        before = fingerprint(server_db.engine)
        assert before["conflicts"][0] == 1 and before["attachment_chunks"][0] >= 10
        url = make_url(server_db.url)
        schema = str(url.query["options"]).removeprefix("-csearch_path=")
        dump = tmp_path / "respaldo.dump"
        subprocess.run(["pg_dump", f"--dbname={plain(url)}", f"--schema={schema}",
                        "--format=custom", f"--file={dump}"], check=True)  # fmt: skip
        with new_database(url) as name:
            subprocess.run(["pg_restore", f"--dbname={plain(url, name)}", "--no-owner",
                            str(dump)], check=True)  # fmt: skip
            restored: dict[str, Any] = {"options": f"-csearch_path={schema}"}
            engine = create_server_engine(
                url.set(database=name, query=restored).render_as_string(hide_password=False)
            )
            try:
                assert fingerprint(engine) == before
                with session_factory(engine).begin() as session:  # the bytes themselves
                    pieces = session.scalars(select(AttachmentChunk).order_by(
                        AttachmentChunk.index)).all()  # fmt: skip
                    assert b"".join(p.data for p in pieces) == bytes(range(256)) * 40
                    (conflict,) = session.scalars(select(Conflict)).all()
                    assert conflict.other_value == "Centro Emergencia Mujer Lima"
                app = create_app(session_factory(engine), limiter=LoginLimiter())
                with LocalServer(app) as server:  # the restored copy serves
                    assert requests.get(f"{server.url}/health", timeout=10).json()["status"] == "ok"
                    assert login(server.url, "ana", PASSWORD).status_code == 200
                app.state.audit_trail.close()
            finally:
                engine.dispose()
