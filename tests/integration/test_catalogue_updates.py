"""Catalogue versions published on the server reach the laptop: territories, instancias, seats."""

import dataclasses
import json
from pathlib import Path

from helpers.app import services_at
from helpers.enrolment import write_enrolment
from helpers.laptops import device
from sqlalchemy.orm import Session, sessionmaker

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.registry_seed import instancia_id
from instancias_desktop.paths import ProfilePaths, resources_dir
from sync.server import published
from sync.server.app import utc_now
from sync.transport_memory import MemoryTransport

CATALOGUES = resources_dir() / "catalogues"


def ubigeo_2026() -> str:
    """The shipped ubigeo with a district created and another renamed, as INEI would."""
    data = json.loads((CATALOGUES / "ubigeo_inei.json").read_text(encoding="utf-8"))
    data["version"] = "INEI-2026 (prueba)"
    for entry in data["entries"]:
        if entry["code"] == "080108":
            entry["name"] = "Wanchaq (nombre corregido)"
    data["entries"].append({"code": "080109", "name": "Nuevo Horizonte", "vigente": True})
    return json.dumps(data, ensure_ascii=False)


def entity_types_2026() -> str:
    text = (CATALOGUES / "member_entity_types.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2026.1"', 'version = "2026.2"', 1)
    return text + (
        '\n[[entity_type]]\nlevel = "IDC"\ncode = "mesa_de_concertacion"\n'
        'label = "Mesa de Concertación para la Lucha contra la Pobreza"\nrule = "up_to"\n'
        "count = 1\n"
    )


def test_published_catalogues_update_the_registry_once(
    database: Database,
    profile_paths: ProfilePaths,
    server: sessionmaker[Session],
) -> None:
    services = services_at(database, profile_paths)
    laptop = dataclasses.replace(
        services, sync_link=lambda *_: MemoryTransport(server, device("a"))
    )
    write_enrolment(database)
    before = {i.id: i for i in services.list_instancias()}
    with server.begin() as session:  # what «admin publish-catalogue» does
        for key, content in (
            ("ubigeo@INEI-2026 (prueba)", ubigeo_2026()),
            ("entidades_integrantes@2026.2", entity_types_2026()),
            ("comisarias@2026", "{}"),  # a catalogue this app does not know
        ):
            published.publish(session, "catalogo", key, content, by="admin", now=utc_now())
    assert laptop.synchronize(lambda _s: None).complete
    lines = [e.message for e in reversed(laptop.sync_journal()) if e.event == "fichas"]
    assert lines == [
        "Catálogo Ubigeo actualizado a INEI-2026 (prueba): territorios nuevos: 1, corregidos: 1; "
        "instancias nuevas: 1.",
        "Catálogo Entidades integrantes actualizado a 2026.2: entidades nuevas: 1; datos "
        "corregidos: 0.",
        "Catálogo comisarias@2026 desconocido para esta versión de la aplicación.",
    ]
    after = {i.id: i for i in services.list_instancias()}
    (new,) = set(after) - set(before)
    assert new == instancia_id("MD080109")  # the same on every laptop
    assert after[new].name == "Instancia Distrital de Concertación de Nuevo Horizonte"
    assert {i.district_name for i in after.values() if i.ubigeo == "080108"} == {
        "Wanchaq (nombre corregido)"
    }
    with database.reader() as uow:
        seats = [t.code for t in uow.catalogue.member_entity_types(InstanciaLevel.IDC)]
    assert "mesa_de_concertacion" in seats
    assert "Ubigeo INEI-2026 (prueba)" in services.describe_profile()
    assert laptop.synchronize(lambda _s: None).complete  # received once
    assert [e.event for e in laptop.sync_journal()].count("fichas") == 3
    assert len(services.list_instancias()) == len(after)


def test_a_catalogue_the_app_cannot_read_is_refused_and_nothing_changes(
    database: Database,
    profile_paths: ProfilePaths,
    server: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    services = services_at(database, profile_paths)
    laptop = dataclasses.replace(
        services, sync_link=lambda *_: MemoryTransport(server, device("a"))
    )
    write_enrolment(database)
    count = len(services.list_instancias())
    broken = json.dumps({"version": "X", "source": "s", "entries": [{"code": "9", "name": ""}]})
    with server.begin() as session:
        published.publish(session, "catalogo", "ubigeo@X", broken, by="admin", now=utc_now())
    assert laptop.synchronize(lambda _s: None).complete
    (line,) = [e.message for e in laptop.sync_journal() if e.event == "fichas"]
    assert line.startswith("Catálogo ubigeo@X rechazado:")
    assert len(services.list_instancias()) == count
