"""The registry shown before the profile opens is exactly what the services show once it is open."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from helpers.acta_fixtures import execute
from helpers.app import rows
from helpers.enrolment import sign_in
from helpers.profiles import LOOSE_KEY, open_services, profile_key
from sqlalchemy import text

from instancias_desktop.demo.__main__ import main as demo_main
from instancias_desktop.domain.entities import StageEvent
from instancias_desktop.domain.enums import Stage
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.api import RegistryView
from instancias_desktop.services.registry_scope import registry_preview
from instancias_desktop.settings import Settings


def _opened_view(paths: ProfilePaths) -> RegistryView:
    services = open_services(paths, Settings())
    try:
        return RegistryView(services.territory_options(), services.list_instancias())
    finally:
        services.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def worked(profile_paths: ProfilePaths) -> ProfilePaths:
    """A profile with visits, stage histories (ties included), deletions and an enrolment."""
    assert demo_main(["--data-dir", str(profile_paths.root), "--visits", "200"]) == 0
    services = open_services(profile_paths, Settings())
    database = services.database
    target = next(s.id for s in services.list_instancias() if s.stage is Stage.NOT_CREATED)
    with database.unit_of_work() as uow:  # one day, two events: the unsent one is the later
        uow.registry.add_stage_events(
            [
                StageEvent(target, Stage.CREATED, dt.date(2026, 2, 1)),
                StageEvent(target, Stage.INSTALLED, dt.date(2026, 2, 1)),
            ]
        )
        uow.commit()
    execute(
        database,
        "UPDATE stage_event SET sequence = 7 WHERE instancia_id = :id AND stage = 'creada'",
        id=target.hex,
    )
    execute(database, "UPDATE visit SET deleted = 1 WHERE rowid % 9 = 0")
    execute(database, "UPDATE instancia SET deleted = 1 WHERE rowid = 3")
    sign_in(database, territories=("08", "1501"))
    services.close()
    (profile_paths.root / "target").write_text(target.hex)
    return profile_paths


def test_the_preview_equals_the_opened_profiles_registry(worked: ProfilePaths) -> None:
    preview = registry_preview(worked.database, profile_key(worked))
    assert preview is not None
    assert preview == _opened_view(worked)
    assert preview.options.assigned == ("08", "1501")
    assert preview.options.assigned_names == "Cusco, Lima"
    target = next(s for s in preview.rows if s.id.hex == (worked.root / "target").read_text())
    assert (target.stage, target.stage_date) == (Stage.INSTALLED, dt.date(2026, 2, 1))
    services = open_services(worked, Settings())
    live = rows(services.database, "SELECT count(*) FROM visit WHERE deleted = 0")[0][0]
    live_instancias = rows(services.database, "SELECT count(*) FROM instancia WHERE deleted = 0")
    services.close()
    assert 0 < sum(s.visit_count for s in preview.rows) == live
    assert len(preview.rows) == live_instancias[0][0]


def test_a_supervisor_previews_the_whole_country(profile_paths: ProfilePaths) -> None:
    services = open_services(profile_paths, Settings())
    sign_in(services.database, role="supervisor", territories=("08",))
    services.close()
    preview = registry_preview(profile_paths.database, profile_key(profile_paths))
    assert preview is not None
    assert preview.options.assigned == ()
    assert preview == _opened_view(profile_paths)


def test_nothing_is_previewed_or_written_before_the_full_opening_is_due(tmp_path: Path) -> None:
    missing = tmp_path / "nuevo" / "instancias.sqlite3"
    assert registry_preview(missing, LOOSE_KEY) is None
    assert not missing.parent.exists(), "a missing profile is not created by a preview"
    paths = ProfilePaths(tmp_path / "viejo")
    _opened_view(paths)
    services = open_services(paths, Settings())
    with services.database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0011_synced_plan'"))
    services.close()
    before = _digest(paths.database)
    assert registry_preview(paths.database, profile_key(paths)) is None, (
        "an older schema is migrated first"
    )
    assert _digest(paths.database) == before


def test_a_profile_without_catalogues_is_not_previewed(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "sin-catalogos")
    _opened_view(paths)
    services = open_services(paths, Settings())
    execute(services.database, "DELETE FROM catalogue_version")
    services.close()
    assert registry_preview(paths.database, profile_key(paths)) is None
