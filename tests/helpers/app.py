"""An app profile driven through its services at a fixed instant, as the integration tests do."""

import dataclasses
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import DocumentType, ParticipantRole
from instancias_desktop.domain.visit_inputs import ParticipantInput
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.settings import Settings

FIXED = dt.datetime(2026, 3, 10, 14, 30, tzinfo=dt.UTC)  # 09:30 of 10/03/2026 in Peru
TODAY = dt.date(2026, 3, 10)
ACTOR = "especialista.prueba"
SETTINGS = Settings(author=ACTOR, acta_series="E07")
WANCHAQ = "080108"  # an IDC whose unit is "Municipalidad Distrital de Wanchaq"
CUSCO = "0801"
COMPLETE = {
    "start_time": dt.time(9),
    "end_time": dt.time(11),
    "objective": "Instalar",
    "agenda": "1",
    "development": "Ok",
}


def at(database: Database, when: dt.datetime, actor: str = ACTOR) -> Database:
    """The same database, stamped by ``actor`` at the instant ``when``."""
    return Database(database.engine, actor=actor, clock=lambda: when)


def services_at(
    database: Database, paths: ProfilePaths, when: dt.datetime = FIXED, **settings: Any
) -> AppServices:
    """The app's services over ``database`` at ``when`` (settings overridden by keyword)."""
    return AppServices(at(database, when), paths, dataclasses.replace(SETTINGS, **settings))


def instancia(services: AppServices, ubigeo: str = WANCHAQ) -> uuid.UUID:
    """The id of the instancia of a territory."""
    return next(s.id for s in services.list_instancias() if s.ubigeo == ubigeo)


def rows(database: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    """The rows of a query, as tuples."""
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def person(
    dni: str = "45678912", name: str = "María Núñez Quispe", consent: bool = True
) -> ParticipantInput:
    """A participant as typed: a regidora who chairs."""
    return ParticipantInput(
        DocumentType.DNI, dni, name, "Municipalidad de Wanchaq", "Regidora",
        ParticipantRole.CHAIR, consent=consent,
    )  # fmt: skip
