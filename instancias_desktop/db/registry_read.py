"""The registry's summaries read with the standard library's sqlite3: no SQLAlchemy import.

One implementation serves twice: the registry repository runs it on its session's own
connection (same transaction), and the start-up runs it on a read-only connection to show the
registry while SQLAlchemy is still loading (about a third of a second on a field laptop).
Values are decoded as SQLAlchemy stores them in SQLite: UUIDs as 32 hex digits, dates as ISO
text, enums by value.
"""

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop.db.cipher import apply_key, cipher_module
from instancias_desktop.db.revision import HEAD_REVISION
from instancias_desktop.domain.enums import InstanciaLevel, Stage, UnitKind
from instancias_desktop.domain.readmodels import CatalogueInfo, InstanciaSummary
from instancias_desktop.domain.stages import DatedStage, current_stage
from instancias_desktop.domain.ubigeo import Territory, UbigeoLevel, capital_code
from sync.kinds import INSTANCIA, STAGE_EVENT, VISIT

# Tables are named like the record kinds they hold (sync/kinds.py).
_INSTANCIAS = f"""
SELECT i.id, i.level, i.name, u.name, u.kind, u.ubigeo
FROM {INSTANCIA.name} AS i JOIN government_unit AS u ON u.code = i.unit_code
WHERE i.deleted = 0 {{one}}
ORDER BY u.ubigeo, i.level
"""
_STAGES = f"""
SELECT instancia_id, stage, event_date, sequence, created_at
FROM {STAGE_EVENT.name} WHERE deleted = 0 {{one}}
"""
_VISITS = f"""
SELECT instancia_id, count(*), max(visit_date)
FROM {VISIT.name} WHERE deleted = 0 {{one}}
GROUP BY instancia_id
"""


@dataclass(frozen=True)
class TerritoryRead:
    """What the registry's territory filters show: the catalogue, and her own territories."""

    departments: tuple[Territory, ...]
    provinces: tuple[Territory, ...]
    catalogues: tuple[CatalogueInfo, ...]
    names: dict[str, str]  # every territory's name, by code


def read_summaries(
    connection: sqlite3.Connection, instancia_id: uuid.UUID | None = None
) -> list[InstanciaSummary]:
    """Every live instancia (or just one) with territory names, stage and visit figures."""
    names = dict(connection.execute("SELECT code, name FROM territory").fetchall())
    one, params = ("AND {column} = ?", (instancia_id.hex,)) if instancia_id else ("", ())
    stages = _latest_stages(connection, one.format(column="instancia_id"), params)
    visits = {
        owner: (count, _date(last))
        for owner, count, last in connection.execute(
            _VISITS.format(one=one.format(column="instancia_id")), params
        )
    }
    result = []
    for id_, level, name, unit_name, kind, ubigeo in connection.execute(
        _INSTANCIAS.format(one=one.format(column="i.id")), params
    ):
        latest = stages.get(id_)
        count, last = visits.get(id_, (0, None))
        result.append(
            InstanciaSummary(
                id=uuid.UUID(id_),
                level=InstanciaLevel(level),
                name=name,
                unit_name=unit_name,
                unit_kind=UnitKind(kind),
                ubigeo=ubigeo,
                department_name=names.get(ubigeo[:2], ""),
                province_name=names.get(ubigeo[:4], "") if len(ubigeo) >= 4 else "",
                district_name=names.get(ubigeo, "") if len(ubigeo) == 6 else "",
                stage=latest.stage if latest else Stage.NOT_CREATED,
                stage_date=latest.event_date if latest else None,
                visit_count=count,
                last_visit_date=last,
                capital_name=names.get(capital_code(ubigeo), ""),
            )
        )
    return result


def read_territories(connection: sqlite3.Connection) -> TerritoryRead:
    """Departments and provinces in force, by code; the catalogues loaded; every name."""
    in_force: dict[str, list[Territory]] = {UbigeoLevel.DEPARTMENT: [], UbigeoLevel.PROVINCE: []}
    names = {}
    for code, name, level, vigente in connection.execute(
        "SELECT code, name, level, vigente FROM territory ORDER BY code"
    ):
        names[code] = name
        if vigente and level in in_force:
            in_force[level].append(Territory(code, name, True))
    catalogues = tuple(
        CatalogueInfo(*row)
        for row in connection.execute(
            "SELECT name, version, source FROM catalogue_version ORDER BY name"
        )
    )
    return TerritoryRead(
        departments=tuple(in_force[UbigeoLevel.DEPARTMENT]),
        provinces=tuple(in_force[UbigeoLevel.PROVINCE]),
        catalogues=catalogues,
        names=names,
    )


def read_setting(connection: sqlite3.Connection, key: str) -> str | None:
    """A stored sync setting (the enrolment's territories and role among them)."""
    row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def open_current(path: Path, key: bytes) -> sqlite3.Connection | None:
    """A read-only connection to a profile's database already at this app's schema.

    None when there is nothing to show yet without the full opening: no file, another schema
    (it will be migrated first), no catalogues, a plain file (it will be encrypted first), or
    a file that cannot be read. Never writes.
    """
    if not path.is_file():
        return None
    module = cipher_module()
    try:
        connection: sqlite3.Connection = module.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=5
        )  # the same interface as sqlite3's
        apply_key(connection, key)
    except module.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        loaded = connection.execute("SELECT 1 FROM catalogue_version LIMIT 1").fetchone()
    except module.Error:  # not this schema yet, or not encrypted with this key
        connection.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION or loaded is None:
        connection.close()
        return None
    return connection


def _latest_stages(
    connection: sqlite3.Connection, one: str, params: tuple[str, ...]
) -> dict[str, DatedStage]:
    history: dict[str, list[DatedStage]] = {}
    for owner, stage, event_date, sequence, created in connection.execute(
        _STAGES.format(one=one), params
    ):
        recorded = dt.datetime.fromisoformat(created).replace(tzinfo=dt.UTC)
        history.setdefault(owner, []).append(
            DatedStage(Stage(stage), dt.date.fromisoformat(event_date), sequence, recorded)
        )
    latest = {key: current_stage(events) for key, events in history.items()}
    return {key: value for key, value in latest.items() if value is not None}


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)
