"""The shared data of an instancia (chair, technical secretariat) edited through the services."""

import json
import uuid
from typing import Any

import pytest
from helpers.app import ACTOR, WANCHAQ, instancia, rows, services_at
from sqlalchemy import select

from instancias_desktop.db.models import OutboxRow
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.validation import ValidationError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.app_services import AppServices
from sync.kinds import INSTANCIA

DATA = ("chair_name", "chair_post", "secretariat_unit", "secretariat_person")


@pytest.fixture
def services(database: Database, profile_paths: ProfilePaths) -> AppServices:
    return services_at(database, profile_paths)


def outbox(database: Database) -> list[tuple[str, uuid.UUID, str, int | None, dict[str, Any]]]:
    """(kind, record, action, base version, fields) of every outbox entry, in order."""
    with database.reader() as uow:
        return [
            (r.kind, r.record_id, r.action, r.base_version, json.loads(r.fields))
            for r in uow.session.scalars(select(OutboxRow).order_by(OutboxRow.seq))
        ]


def shown(services: AppServices, instancia_id: uuid.UUID) -> tuple[str, ...]:
    detail = services.instancia_detail(instancia_id)
    return tuple(getattr(detail, name) for name in DATA)


def version(database: Database, instancia_id: uuid.UUID) -> int:
    ((found,),) = rows(
        database, "SELECT version FROM instancia WHERE id = :id", id=instancia_id.hex
    )
    return int(found)


def test_the_data_is_saved_stripped_shown_and_sent_field_by_field(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    assert shown(services, wanchaq) == ("", "", "", "")

    detail = services.update_instancia(
        wanchaq, {"chair_name": "  Rosa Quispe Huamán ", "chair_post": "Alcaldesa distrital"}
    )

    assert (detail.summary.id, detail.chair_name, detail.chair_post) == (
        wanchaq, "Rosa Quispe Huamán", "Alcaldesa distrital",
    )  # fmt: skip
    assert shown(services, wanchaq) == ("Rosa Quispe Huamán", "Alcaldesa distrital", "", "")
    # The server does not know this instancia yet: its create goes, carrying the edit.
    ((kind, record, action, base, fields),) = outbox(database)
    assert (kind, record, action, base) == ("instancia", wanchaq, "create", None)
    assert fields == {
        "chair_name": "Rosa Quispe Huamán", "chair_post": "Alcaldesa distrital",
        "secretariat_unit": "", "secretariat_person": "", "unit_code": "MD080108",
        "deleted": False, "target_creation_on": None, "target_installation_on": None,
        "target_first_session_on": None,
    }  # fmt: skip

    # The next edit sends exactly what changed (the chair as stored is left out).
    services.update_instancia(
        wanchaq,
        {"chair_name": "Rosa Quispe Huamán", "secretariat_unit": "Gerencia de Desarrollo Social"},
    )
    services.update_instancia(wanchaq, {"chair_post": "   "})  # emptied: no data

    assert [entry[2:] for entry in outbox(database)[1:]] == [
        ("update", 1, {"secretariat_unit": "Gerencia de Desarrollo Social"}),
        ("update", 1, {"chair_post": ""}),
    ]
    assert shown(services, wanchaq) == (
        "Rosa Quispe Huamán", "", "Gerencia de Desarrollo Social", "",
    )  # fmt: skip
    ((author,),) = rows(database, "SELECT updated_by FROM instancia WHERE id = :id", id=wanchaq.hex)
    assert author == ACTOR


def test_values_equal_to_the_stored_ones_write_nothing(
    services: AppServices, database: Database
) -> None:
    wanchaq = instancia(services)
    services.update_instancia(wanchaq, {"secretariat_person": "Luis Mamani"})
    before, stamp = outbox(database), version(database, wanchaq)

    detail = services.update_instancia(
        wanchaq, {"secretariat_person": " Luis Mamani  ", "chair_name": ""}
    )
    services.update_instancia(wanchaq, {})

    assert detail.secretariat_person == "Luis Mamani"
    assert outbox(database) == before
    assert version(database, wanchaq) == stamp


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"chair_post": "x" * (INSTANCIA.fields["chair_post"].max_length + 1)},
            "chair_post",
            "«Presidencia (cargo)» admite hasta {limit} caracteres; tiene {n}.",
        ),
        (
            {"unit_code": "MD150101"},
            "unit_code",
            "«unit_code» no es un dato editable de la instancia",
        ),
        ({"chair_name": None}, "chair_name", "«Presidencia (nombre)» debe ser texto."),
        (
            {"secretariat_unit": "a\x00b"},
            "secretariat_unit",
            "tiene caracteres que el acta no puede imprimir: «\x00» (U+0000)",
        ),
    ],
)
def test_a_refused_change_says_why_in_spanish_and_writes_nothing(
    services: AppServices, database: Database, changes: dict[str, Any], field: str, expected: str
) -> None:
    wanchaq = instancia(services, WANCHAQ)
    services.update_instancia(wanchaq, {"chair_name": "Rosa Quispe"})
    before, stamp = outbox(database), version(database, wanchaq)

    with pytest.raises(ValidationError) as refused:
        services.update_instancia(wanchaq, {"secretariat_person": "Luis Mamani", **changes})

    (error,) = refused.value.errors
    limit = INSTANCIA.fields["chair_post"].max_length
    assert error.field == field
    assert expected.format(limit=limit, n=limit + 1) in error.message
    assert shown(services, wanchaq) == ("Rosa Quispe", "", "", "")
    assert outbox(database) == before
    assert version(database, wanchaq) == stamp


def test_every_refused_field_is_named_at_once(services: AppServices) -> None:
    too_long = {name: "x" * (INSTANCIA.fields[name].max_length + 1) for name in DATA}
    with pytest.raises(ValidationError) as refused:
        services.update_instancia(instancia(services), {**too_long, "nombre": "x"})
    assert [e.field for e in refused.value.errors] == [*DATA, "nombre"]
    assert "Secretaría técnica (persona)" in str(refused.value)


def test_an_unknown_instancia_is_not_created(services: AppServices, database: Database) -> None:
    with pytest.raises(LookupError):
        services.update_instancia(uuid.uuid4(), {"chair_name": "Nadie"})
    assert outbox(database) == []
