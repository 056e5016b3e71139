import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

from alembic import command
from alembic.config import Config
from helpers.profiles import open_profile, profile_engine
from sqlalchemy import select

from instancias_desktop.db.migrate import MIGRATIONS_DIR
from instancias_desktop.db.models import InstanciaRow
from instancias_desktop.db.revision import HEAD_REVISION
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import StageEvent
from instancias_desktop.domain.enums import InstanciaLevel, Stage, UnitKind
from instancias_desktop.domain.ubigeo import UbigeoLevel
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.instancias import list_instancias, territory_options
from instancias_desktop.settings import Settings


def test_first_start_loads_the_national_catalogue_and_registry(database: Database) -> None:
    with database.unit_of_work() as uow:
        assert uow.catalogue.count_territories() == {
            UbigeoLevel.DEPARTMENT: 25,
            UbigeoLevel.PROVINCE: 196,
            UbigeoLevel.DISTRICT: 1891,
        }
        assert uow.catalogue.count_territories(vigente_only=False)[UbigeoLevel.DISTRICT] == 1893
        assert uow.catalogue.count_government_units() == {
            UnitKind.REGIONAL: 26,
            UnitKind.PROVINCIAL: 196,
            UnitKind.DISTRICT: 1695,
        }
        assert uow.registry.count_instancias() == {
            InstanciaLevel.IRC: 26,
            InstanciaLevel.IPC: 196,
            InstanciaLevel.IDC: 1695,
        }
        assert {c.name for c in uow.catalogue.versions()} == {"ubigeo", "entidades_integrantes"}
        assert len(uow.catalogue.member_entity_types(InstanciaLevel.IDC)) == 13


def test_reopening_a_profile_loads_nothing_twice(profile_paths: ProfilePaths) -> None:
    opened = open_profile(profile_paths, Settings())
    assert opened.catalogues_loaded is False
    assert len(list_instancias(opened.database)) == 1917
    opened.database.dispose()


def test_every_instancia_starts_not_created_with_its_territory(database: Database) -> None:
    rows = list_instancias(database)
    assert Counter(r.stage for r in rows) == {Stage.NOT_CREATED: 1917}
    san_jeronimo = next(r for r in rows if r.ubigeo == "080104")
    assert (
        san_jeronimo.department_name,
        san_jeronimo.province_name,
        san_jeronimo.district_name,
    ) == (
        "Cusco",
        "Cusco",
        "San Jerónimo",
    )
    assert san_jeronimo.unit_name == "Municipalidad Distrital de San Jerónimo"
    options = territory_options(database)
    assert len(options.departments) == 25 and len(options.provinces) == 196


def test_stage_is_derived_from_the_latest_event(database: Database) -> None:
    target = next(
        r for r in list_instancias(database) if r.ubigeo == "1301" and r.level is InstanciaLevel.IPC
    )
    with database.unit_of_work() as uow:
        uow.registry.add_stage_events(
            [
                StageEvent(target.id, Stage.INSTALLED, dt.date(2024, 4, 2)),
                StageEvent(target.id, Stage.CREATED, dt.date(2023, 9, 14)),
            ]
        )
        uow.commit()
    updated = next(r for r in list_instancias(database) if r.id == target.id)
    assert (updated.stage, updated.stage_date) == (Stage.INSTALLED, dt.date(2024, 4, 2))


def test_syncable_rows_are_stamped_and_versioned(database: Database) -> None:
    with database.unit_of_work() as uow:
        row = uow.session.scalars(
            select(InstanciaRow).where(InstanciaRow.unit_code == "MP0801")
        ).one()
        assert row.author == "catalogo" and row.version == 1 and row.deleted is False
        assert row.created_at.tzinfo is dt.UTC
        created = row.created_at
        row.chair_name = "Alcaldesa de prueba"
        uow.commit()
    with database.unit_of_work() as uow:
        row = uow.session.scalars(
            select(InstanciaRow).where(InstanciaRow.unit_code == "MP0801")
        ).one()
        assert (row.chair_name, row.version) == ("Alcaldesa de prueba", 2)
        assert row.updated_at >= created and row.created_at == created


def test_same_day_hitos_recorded_later_win(database: Database) -> None:
    target = next(r for r in list_instancias(database) if r.ubigeo == "0801")
    day = dt.date(2025, 3, 8)
    for stage in (Stage.CREATED, Stage.INSTALLED):  # two actions on the same day
        with database.unit_of_work() as uow:
            uow.registry.add_stage_events([StageEvent(target.id, stage, day)])
            uow.commit()
    shown = next(r for r in list_instancias(database) if r.id == target.id)
    assert (shown.stage, shown.stage_date) == (Stage.INSTALLED, day)


TESTS = Path(__file__).resolve().parent.parent  # the helpers package, for child processes
OPEN_ONCE = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from instancias_desktop.paths import resolve_profile
from helpers.profiles import open_profile
from instancias_desktop.settings import Settings
opened = open_profile(resolve_profile(sys.argv[1]), Settings())
print(opened.catalogues_loaded, opened.migration.from_revision, opened.migration.backup)
opened.database.dispose()
"""


def test_two_app_processes_opening_a_new_profile_set_it_up_once(tmp_path: Path) -> None:
    root = tmp_path / "nuevo"
    command = [sys.executable, "-c", OPEN_ONCE, str(root)]
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2))
    outputs = sorted(process.communicate(timeout=60)[0].split() for process in (first, second))
    assert (first.returncode, second.returncode) == (0, 0)
    # The catalogues are loaded once. The slower process may start after the faster one has
    # migrated (it then finds the current schema) or while it migrates (it waits for the lock):
    # either way nothing is migrated twice and no backup of a database being created is made.
    assert [loaded for loaded, _, _ in outputs] == ["False", "True"]
    assert {revision for _, revision, _ in outputs} <= {"None", HEAD_REVISION}
    assert [backup for _, _, backup in outputs] == ["None", "None"]
    assert not any(ProfilePaths(root).backups.iterdir())
    opened = open_profile(ProfilePaths(root), Settings())
    assert len(list_instancias(opened.database)) == 1917
    opened.database.dispose()


OPEN_LIGHT = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from instancias_desktop.paths import resolve_profile
from helpers.profiles import open_services
from instancias_desktop.settings import Settings
services = open_services(resolve_profile(sys.argv[1]), Settings())
services.list_instancias()
services.close()
print(sorted(m for m in ("reportlab", "requests", "pydantic", "openpyxl") if m in sys.modules))
"""


def test_opening_a_profile_loads_no_pdf_http_or_sync_code(tmp_path: Path) -> None:
    """What the registry needs, and no more: PDF, HTTP and sync code load when first used."""
    command = [sys.executable, "-c", OPEN_LIGHT, str(tmp_path / "perfil")]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_opening_says_what_takes_time_first_use_and_update(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "perfil")
    said: list[str] = []
    open_profile(paths, Settings(), said.append).database.dispose()
    assert said == ["Primera apertura: cargando el catálogo de ubigeos y las instancias…"]
    engine = profile_engine(paths)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:  # as an older version of the app left it
        config.attributes["connection"] = connection
        command.downgrade(config, "0009_convergence")
    engine.dispose()
    said.clear()
    open_profile(paths, Settings(), said.append).database.dispose()
    assert said == [
        "Actualizando la base de datos a esta versión de la aplicación (primero se guarda una "
        "copia de seguridad); puede tardar unos segundos…"
    ]
    said.clear()
    open_profile(paths, Settings(), said.append).database.dispose()
    assert said == []  # an ordinary start says nothing: it is quick
