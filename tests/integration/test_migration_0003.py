"""Migration 0003 (visit editing) on a database holding field work recorded at 0002."""

import ast
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from helpers.profiles import LOOSE_KEY, keyed_connection, loose_engine
from sqlalchemy import Connection, Engine, text

from instancias_desktop.db.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    upgrade_database,
)
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.services import participants, visits
from instancias_desktop.settings import Settings

BEFORE = "0002_registry_fieldwork"
STAMPED = dt.datetime(2026, 2, 3, 15, 0, tzinfo=dt.UTC)
INSTANCIA = uuid.UUID("00000000-0000-4000-8000-000000000001")
VISIT = uuid.UUID("00000000-0000-4000-8000-000000000002")
PERSON = uuid.UUID("00000000-0000-4000-8000-000000000003")
OLD_NUMBER = "N° 001-2026-MIMP/DGCVG-DPVLV-E07"
MIGRATION = MIGRATIONS_DIR / "versions" / "0003_visit_editing.py"


def _type(value: object) -> sa.types.TypeEngine[Any] | None:
    for kind, column_type in (
        (uuid.UUID, sa.Uuid()),
        (dt.datetime, sa.DateTime(timezone=True)),
        (dt.date, sa.Date()),
        (dt.time, sa.Time()),
    ):
        if isinstance(value, kind):
            return column_type
    return None


def insert(connection: Connection, table: str, **values: object) -> None:
    """A row written the way revision 0002 stores it (typed, without the app's models)."""
    columns = [sa.column(name, _type(value)) for name, value in values.items()]
    connection.execute(sa.table(table, *columns).insert().values(**values))


def stamped(connection: Connection, table: str, **values: object) -> None:
    """A syncable row, with the stamps every one of them carries."""
    stamps = {"created_at": STAMPED, "updated_at": STAMPED, "author": "demo",
              "updated_by": "demo", "version": 1, "deleted": False}  # fmt: skip
    insert(connection, table, **{**stamps, **values})


def agreement(number: int, description: str, deleted: bool = False) -> dict[str, object]:
    return {
        "id": uuid.uuid4(), "visit_id": VISIT, "number": number, "description": description,
        "responsible_entity": "Municipalidad Distrital de Wanchaq",
        "responsible_person": "Gerente de Desarrollo Social", "deadline": dt.date(2026, 4, 30),
        "verification_means": "Ordenanza publicada", "state": "pendiente", "deleted": deleted,
    }  # fmt: skip


def build_at_0002(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)
    with engine.begin() as connection:
        for code, name, level, parent in (
            ("08", "Cusco", "department", None),
            ("0801", "Cusco", "province", "08"),
            ("080108", "Wanchaq", "district", "0801"),
        ):
            insert(connection, "territory", code=code, name=name, level=level,
                   parent_code=parent, vigente=True)  # fmt: skip
        insert(connection, "government_unit", code="MD080108", kind="district",
               name="Municipalidad Distrital de Wanchaq", ubigeo="080108")  # fmt: skip
        stamped(connection, "instancia", id=INSTANCIA, level="IDC", unit_code="MD080108",
                name="Instancia Distrital de Concertación de Wanchaq", chair_name="",
                chair_post="", secretariat_unit="", secretariat_person="")  # fmt: skip
        stamped(connection, "visit", id=VISIT, instancia_id=INSTANCIA, acta_number=OLD_NUMBER,
                visit_date=dt.date(2026, 2, 3), start_time=dt.time(9), end_time=dt.time(11),
                place="Municipalidad", place_ubigeo="080108", modality="presencial",
                at_type="creacion", objective="", agenda="", development="", instruments="",
                diagnosis="", status="finalizada", finalized_at=STAMPED)  # fmt: skip
        stamped(connection, "person", id=PERSON, document_type="dni", document_number="45678912",
                full_name="María Núñez Quispe", sex="F", phone="", email="")  # fmt: skip
        stamped(connection, "agreement", **agreement(1, "Aprobar la ordenanza de creación"))
        stamped(connection, "agreement", **agreement(2, "Designar la secretaría técnica"))


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[tuple[Engine, list[tuple[Any, ...]], Path | None]]:
    """A database built at 0002 with field work, then opened by the app (upgraded to head)."""
    engine = loose_engine(tmp_path / "instancias.sqlite3")
    build_at_0002(engine)
    with engine.connect() as connection:
        agreements = [tuple(r) for r in connection.execute(text("SELECT * FROM agreement"))]
    report = upgrade_database(engine, tmp_path / "backups")
    assert (report.from_revision, report.to_revision) == (BEFORE, HEAD_REVISION)
    yield engine, agreements, report.backup
    engine.dispose()


def test_the_upgrade_fills_the_search_key_and_keeps_the_agreements(
    migrated: tuple[Engine, list[tuple[Any, ...]], Path | None],
) -> None:
    engine, agreements_before, backup = migrated
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT id, search_key FROM person")).all()
        assert [tuple(k) for k in keys] == [(PERSON.hex, "maria nunez quispe 45678912")]
        after = [tuple(r) for r in connection.execute(text("SELECT * FROM agreement"))]
        assert sorted(after) == sorted(agreements_before)
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        acta_parts = connection.execute(
            text("SELECT acta_series, acta_year, acta_sequence, acta_number FROM visit")
        ).all()
        assert [tuple(r) for r in acta_parts] == [("", 0, 0, OLD_NUMBER)]
        assert connection.execute(text("SELECT count(*) FROM acta_counter")).scalar() == 0
    assert backup is not None
    with keyed_connection(backup, LOOSE_KEY) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (BEFORE,)
    copy.close()


def test_the_migrated_data_reads_through_the_app(
    migrated: tuple[Engine, list[tuple[Any, ...]], Path | None],
) -> None:
    database = Database(migrated[0], actor="especialista.prueba")
    (found,) = participants.find_persons(database, "NUÑEZ maria")
    assert (found.id, found.document_number, found.last_role) == (PERSON, "45678912", None)
    with database.reader() as uow:
        shown = uow.visits.agreements(dt.date(2026, 3, 1), visit_id=VISIT)
    assert [(a.number, a.description, a.state) for a in shown] == [
        (1, "Aprobar la ordenanza de creación", AgreementState.PENDING),
        (2, "Designar la secretaría técnica", AgreementState.PENDING),
    ]
    assert visits.visit_detail(database, VISIT).visit.acta_number == OLD_NUMBER


def test_agreement_numbers_only_order_them_after_0009(
    migrated: tuple[Engine, list[tuple[Any, ...]], Path | None],
) -> None:
    """0003 made live numbers unique; 0009 lets two live agreements share one (two laptops
    of one specialist may add number 3 offline): the acta numbers them by (number, id)."""
    engine = migrated[0]
    with engine.connect() as connection:
        index_sql = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'uq_agreement_live_number'")
        ).scalar()
        constraints = connection.execute(text("PRAGMA index_list(agreement)")).all()
    assert index_sql is None
    assert [c[1] for c in constraints if c[3] == "u"] == []  # the 0002 constraint is gone
    with engine.begin() as connection:
        stamped(connection, "agreement", **agreement(1, "Anulado", deleted=True))
        stamped(connection, "agreement", **agreement(2, "Duplicado"))
    database = Database(engine, actor="especialista.prueba")
    with database.reader() as uow:
        shown = uow.visits.agreements(dt.date(2026, 3, 1), visit_id=VISIT)
    assert [a.number for a in shown] == [1, 2, 3]
    assert len({a.description for a in shown}) == 3


def test_the_migration_is_frozen() -> None:
    tree = ast.parse(MIGRATION.read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported
    assert not [m for m in imported if m and m.startswith("instancias_desktop")]


def test_numbers_given_before_the_migration_are_not_given_again(
    migrated: tuple[Engine, list[tuple[Any, ...]], Path | None],
) -> None:
    fixed = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)
    database = Database(migrated[0], actor="especialista.prueba", clock=lambda: fixed)
    # 0007 gives the instancia the id derived from its unit, the same on every device
    new = visits.start_visit(database, Settings(acta_series="E07"), instancia_id("MD080108"))
    assert (
        visits.visit_detail(database, new).visit.acta_number == "N° 002-2026-MIMP/DGCVG-DPVLV-E07"
    )
