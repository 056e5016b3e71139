"""One identity per profile: the acta names the specialist, never the operating system's login."""

import datetime as dt
import io
from pathlib import Path

import pytest
from helpers.app import COMPLETE, instancia, person
from helpers.profiles import open_profile
from pypdf import PdfReader

from instancias_desktop.domain.enums import AgreementState
from instancias_desktop.domain.finalization import IncompleteVisitError
from instancias_desktop.domain.follow_ups import FollowUpInput
from instancias_desktop.domain.sync_views import SignIn
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.identity import IDENTITY_MISSING
from instancias_desktop.settings import Settings
from sync.server import auth
from sync.server.access import assign_territories
from sync.server.app import create_app
from sync.server.db import create_server_engine, migrate, session_factory
from sync.server.local import LocalServer

PASSWORD = "clave-de-campo-2026"
LOGIN = "root"  # what the operating system calls the user of a shared laptop


def fresh_services(root: Path) -> AppServices:
    """A new profile, started by an operating-system login, as on a field laptop."""
    paths = ProfilePaths(root)
    opened = open_profile(paths, Settings(author=LOGIN))
    return AppServices(opened.database, paths, Settings(author=LOGIN, acta_series="R01"))


def acta_text(services: AppServices, visit_id: object) -> str:
    pdf = services.acta_document(visit_id).pdf  # type: ignore[arg-type]
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def ready_draft(services: AppServices) -> object:
    visit_id = services.start_visit(instancia(services))
    services.update_visit(visit_id, COMPLETE)
    services.save_participant(visit_id, person())
    return visit_id


def test_finalizing_asks_who_she_is_once_and_the_acta_prints_it(tmp_path: Path) -> None:
    services = fresh_services(tmp_path / "perfil")
    visit_id = ready_draft(services)
    with pytest.raises(IncompleteVisitError) as refused:
        services.finalize_visit(visit_id)  # type: ignore[arg-type]
    assert refused.value.missing == (IDENTITY_MISSING,)
    with pytest.raises(ValidationError) as bad:
        services.set_identity("  ", "Especialista")
    assert [e.field for e in bad.value.errors] == ["full_name"]
    services.set_identity("  María   Quispe Huamán ", "Especialista de la DPVLV")
    agreement = services.save_agreement(
        visit_id,  # type: ignore[arg-type]
        AgreementInput("Aprobar el reglamento", "Municipalidad", "", dt.date(2026, 12, 30)),
    )
    services.finalize_visit(visit_id)  # type: ignore[arg-type]
    text = acta_text(services, visit_id)
    assert "por María Quispe Huamán, Especialista de la DPVLV" in text
    assert f"por {LOGIN}" not in text
    services.record_follow_up(
        agreement, FollowUpInput(services.today(), AgreementState.IN_PROGRESS, note="Avanza")
    )
    (line,) = (a for a in services.agreement_lines() if a.id == agreement)
    assert [f.author for f in line.history] == ["María Quispe Huamán, Especialista de la DPVLV"]
    report = services.instancia_report(instancia(services)).pdf
    report_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report)).pages)
    assert "por María Quispe Huamán, Especialista de la DPVLV" in report_text
    services.close()


def test_enrolment_brings_her_name_and_keeps_her_drafts_hers(tmp_path: Path) -> None:
    engine = create_server_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        auth.create_user(
            session, "ana", "especialista", PASSWORD, dt.datetime.now(dt.UTC),
            full_name="Ana Torres Mamani", post="Especialista en Cusco",
        )  # fmt: skip
        assign_territories(session, "ana", ["08"])
    services = fresh_services(tmp_path / "perfil")
    services.set_identity("Ana Torres", "Especialista")  # typed before enrolment
    draft = ready_draft(services)
    assert [v.id for v in services.day_overview().drafts] == [draft]
    with LocalServer(create_app(sessions)) as server:
        services.enrol(SignIn(server.url, "ana", PASSWORD, "Laptop de Ana"))
        assert services.identity().username == "ana"
        # Inicio still lists her draft, before and after a sync stamps it as the server's user.
        assert [v.id for v in services.day_overview().drafts] == [draft]
        services.synchronize(lambda _p: None)
        assert [v.id for v in services.day_overview().drafts] == [draft]
        second = services.start_visit(instancia(services))
        assert {v.id for v in services.day_overview().drafts} == {draft, second}
    identity = services.identity()
    assert (identity.full_name, identity.post) == ("Ana Torres Mamani", "Especialista en Cusco")
    services.finalize_visit(draft)  # type: ignore[arg-type]
    assert "por Ana Torres Mamani, Especialista en Cusco" in acta_text(services, draft)
    services.close()
    # Opened again by the same login: the profile keeps its one identity.
    reopened = fresh_services(tmp_path / "perfil")
    assert reopened.identity().username == "ana"
    assert {v.id for v in reopened.day_overview().drafts} == {second}
    reopened.close()
    engine.dispose()
