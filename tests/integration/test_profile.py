import datetime as dt
from collections import Counter

from sqlalchemy import select

from instancias_desktop.db.models import InstanciaRow
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.entities import StageEvent
from instancias_desktop.domain.enums import InstanciaLevel, Stage, UnitKind
from instancias_desktop.domain.ubigeo import UbigeoLevel
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.instancias import list_instancias, territory_options
from instancias_desktop.services.profile import open_profile
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


def test_an_action_that_fails_leaves_nothing_behind(database: Database) -> None:
    target = list_instancias(database)[0]
    with database.unit_of_work() as uow:
        uow.registry.add_stage_events([StageEvent(target.id, Stage.CREATED, dt.date(2025, 1, 1))])
        # no commit: the unit of work ends as if the user cancelled or the app crashed
    assert (
        next(r for r in list_instancias(database) if r.id == target.id).stage is Stage.NOT_CREATED
    )
