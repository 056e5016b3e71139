"""One specialist's laptops as devices of the central server, for the sync integration tests."""

import uuid
from dataclasses import dataclass
from pathlib import Path

from helpers.app import services_at
from helpers.enrolment import write_enrolment
from instancias_desktop.db.uow import Database
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from sync.server.access import Caller, Role

USER = "especialista.prueba"


def device(name: str) -> Caller:
    """The same specialist on one of her laptops (each laptop is its own device)."""
    return Caller(
        USER, Role.ESPECIALISTA, territories=("08",), device_id=uuid.uuid5(uuid.NAMESPACE_URL, name)
    )


@dataclass(frozen=True)
class EnrolledPair:
    """Her two laptops, both enrolled: A on the test's profile, B on ``laptop-b``."""

    a: AppServices
    b: AppServices
    b_paths: ProfilePaths


def enrolled_pair(
    database: Database, paths: ProfilePaths, laptop_b: Database, folder: Path
) -> EnrolledPair:
    """The services of both laptops (B numbers its actas in its own series), enrolled."""
    b_paths = ProfilePaths(folder / "laptop-b")
    pair = EnrolledPair(
        services_at(database, paths), services_at(laptop_b, b_paths, acta_series="E08"), b_paths
    )
    for db in (database, laptop_b):
        write_enrolment(db)
    return pair
