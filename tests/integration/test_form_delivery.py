"""Definitions delivered later by the central server are stored like bundled ones, never changed."""

import datetime as dt
import json

import pytest
from helpers.form_delivery import IDC_NEXT, LIBRARY, delivered_next
from helpers.form_versions import definition_count

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.forms import FormRef
from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.services.form_catalogue import store_delivered


def stored_rows(database: Database) -> dict[FormRef, str]:
    with database.reader() as uow:
        return uow.checklists.definition_hashes()


def test_a_delivered_version_is_checked_stored_once_and_marked_as_from_the_server(
    database: Database,
) -> None:
    canonical, digest = delivered_next()
    ref = store_delivered(database, LIBRARY.schema_file, canonical, digest, dt.date(2027, 1, 5))
    assert ref == IDC_NEXT
    assert stored_rows(database)[ref] == digest
    with database.reader() as uow:
        stored = uow.checklists.definition(ref)
        latest = uow.checklists.latest_for(stored.levels[0]) if stored else None
    assert stored is not None and stored.source == "server" and stored.content == canonical
    assert latest is not None and latest.ref == ref
    again = store_delivered(database, LIBRARY.schema_file, canonical, digest, dt.date(2027, 1, 5))
    assert again == ref and len(stored_rows(database)) == definition_count() + 1


def test_a_delivered_version_that_changes_a_stored_one_is_refused(database: Database) -> None:
    v1 = LIBRARY.check_file(LIBRARY.path_of("funcionamiento_idc", 1))
    data = json.loads(v1.canonical)
    data["title"] = "Otro título"
    canonical = canonical_json(data)
    before = stored_rows(database)
    with pytest.raises(FormDefinitionError) as caught:
        store_delivered(
            database, LIBRARY.schema_file, canonical, content_hash(canonical), dt.date(2027, 1, 5)
        )
    assert str(caught.value) == (
        "funcionamiento_idc v1:1: versión publicada: la versión 1 ya existe con otro contenido."
        " Corrección: publique los cambios como una versión nueva."
    )
    assert stored_rows(database) == before


def test_a_delivered_version_with_a_wrong_hash_or_a_broken_content_is_refused(
    database: Database,
) -> None:
    canonical, _digest = delivered_next()
    before = stored_rows(database)
    with pytest.raises(FormDefinitionError, match="no coincide con su huella SHA-256"):
        store_delivered(database, LIBRARY.schema_file, canonical, "0" * 64, dt.date(2027, 1, 5))
    broken = json.loads(canonical)
    broken["sections"][0]["items"][0]["weight"] = 11
    text = canonical_json(broken)
    with pytest.raises(FormDefinitionError, match="fuera del rango permitido"):
        store_delivered(
            database, LIBRARY.schema_file, text, content_hash(text), dt.date(2027, 1, 5)
        )
    assert stored_rows(database) == before
