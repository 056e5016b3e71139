"""Every access leaves a trace on the laptop: opened, finalized, produced, exported, deleted."""

import json
from pathlib import Path

import pytest
from helpers.acta_fixtures import instancia, person, services_at
from helpers.gui_visits import finalize
from helpers.profiles import open_profile, profile_engine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import AuditAction
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.settings import Settings
from sync.kinds import VISIT

NAME, DNI = "Teodora Quispe Mamani", "71234567"


def test_each_audited_action_leaves_an_entry_without_personal_values(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    services = services_at(database, profile_paths)
    opened = open_profile(profile_paths, Settings())  # the app's opening notes it
    opened.database.dispose()
    visit_id = services.start_visit(instancia(services))
    services.save_participant(visit_id, person(DNI, NAME))
    finalize(services, visit_id)
    services.acta_document(visit_id)
    services.export_visits(services.list_visits(), tmp_path / "visitas.csv")
    draft = services.start_visit(instancia(services))
    services.delete_draft(draft)

    trail = list(reversed(services.audit_trail()))
    actions = [(e.action, e.kind, e.record_id) for e in trail]
    assert (AuditAction.OPENED, "", None) in actions
    assert actions[-4:] == [
        (AuditAction.FINALIZED, VISIT.name, visit_id),
        (AuditAction.PRODUCED, VISIT.name, visit_id),
        (AuditAction.EXPORTED, "", None),
        (AuditAction.DELETED, VISIT.name, draft),
    ]
    exported = json.loads(trail[-2].detail)
    assert exported == {"datos_personales": 1, "filas": 1, "formato": "csv", "lista": "Visitas"}
    assert all(e.actor == "especialista.prueba" and e.at.tzinfo for e in trail[-4:])
    written = " ".join(f"{e.kind} {e.detail} {e.actor}" for e in trail)
    assert NAME not in written and DNI not in written


def test_the_trail_is_append_only(database: Database, profile_paths: ProfilePaths) -> None:
    database.dispose()
    engine = profile_engine(profile_paths)
    for statement in ("UPDATE audit_entry SET actor = 'otra'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="no se modifica"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entry")).scalar() >= 1
    engine.dispose()
