"""Released checklist definitions copied into a profile's database (real SQLite, real forms/)."""

import dataclasses
import datetime as dt
import json
import logging
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from helpers.form_versions import following, latest
from helpers.profiles import open_profile, profile_engine
from sqlalchemy import Engine, select, text

from instancias_desktop.db.models import FormDefinitionRow
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.forms import FormRef
from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import ProfilePaths, forms_dir
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.form_catalogue import Definitions, install_bundled_forms
from instancias_desktop.settings import Settings

FIXED = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
ACTOR = "especialista.prueba"
WANCHAQ = "080108"  # an IDC
IDC_V1 = FormRef("funcionamiento_idc", 1)
IDC_NOW = latest(IDC_V1.form_id)  # the version a new visit gets
RELEASED_V2 = dt.date(2027, 1, 15)
CATALOGUE_LOG = "instancias_desktop.services.form_catalogue"
HASH_MISMATCH = (
    "ficha almacenada:1: contenido: el contenido no coincide con su huella SHA-256 registrada. "
    "Corrección: vuelva a recibir la ficha desde el servidor o reinstale la aplicación."
)


def rows(engine: Engine, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def stored_definitions(engine: Engine) -> list[tuple[Any, ...]]:
    return rows(engine, "SELECT * FROM form_definition ORDER BY form_id, version")


def bundled_releases() -> list[dict[str, Any]]:
    data = tomllib.loads((forms_dir() / "releases.toml").read_text(encoding="utf-8"))
    releases: list[dict[str, Any]] = data["release"]
    return releases


def copy_of_forms(tmp_path: Path) -> FormLibrary:
    root = tmp_path / "forms"
    shutil.copytree(forms_dir(), root)
    return FormLibrary(root)


def write_next_version(library: FormLibrary, form_id: str, old: str, new: str) -> Path:
    """The latest version copied as the next, one value changed, as forms/README.md says."""
    current, following_ = latest(form_id, library.root), following(form_id, library.root)
    source = library.path_of(form_id, current.version).read_text(encoding="utf-8")
    assert source.count(f"version = {current.version}") == 1
    assert old in source
    target = library.path_of(form_id, following_.version)
    target.write_text(
        source.replace(f"version = {current.version}", f"version = {following_.version}").replace(
            old, new, 1
        ),
        encoding="utf-8",
    )
    return target


def services_of(database: Database, paths: ProfilePaths) -> AppServices:
    return AppServices(database, paths, Settings(author=ACTOR, acta_series="E07"))


# ------------------------------------------------------------------- opening a profile
def test_a_new_profile_stores_every_released_definition_once(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "nuevo")
    before_opening = dt.datetime.now(dt.UTC)
    opened = open_profile(paths, Settings(author=ACTOR))
    engine = opened.database.engine
    try:
        stored = rows(
            engine,
            "SELECT form_id, version, content_hash, released_on, source, levels, title, content "
            "FROM form_definition ORDER BY form_id, version",
        )
        expected = sorted(
            (r["form"], r["version"], r["sha256"], r["released"].isoformat(), "bundled")
            for r in bundled_releases()
        )
        assert [r[:5] for r in stored] == expected
        assert len(stored) == len(bundled_releases())
        assert all(r[5] == r[0].removeprefix("funcionamiento_").upper() for r in stored)
        assert stored[0][6] == (
            "Lista de verificación del funcionamiento de la Instancia Distrital de Concertación"
        )
        assert all(content_hash(r[7]) == r[2] for r in stored)  # canonical JSON, verified
        with opened.database.reader() as uow:
            stamps = [uow.checklists.definition(FormRef(r[0], r[1])) for r in stored]
            assert all(s is not None and s.source == "bundled" for s in stamps)
            (idc,) = [s for s in stamps if s is not None and s.ref == IDC_V1]
            assert idc.levels == (InstanciaLevel.IDC,)
            stored_at = uow.session.scalars(select(FormDefinitionRow.stored_at)).all()
        written = stored_definitions(engine)
        assert len(stored_at) == len(bundled_releases())
        assert all(before_opening <= when <= dt.datetime.now(dt.UTC) for when in stored_at)
        assert install_bundled_forms(opened.database, FormLibrary(forms_dir())) == []
    finally:
        opened.database.dispose()
    reopened = open_profile(paths, Settings(author="otra.especialista"))
    try:
        assert stored_definitions(reopened.database.engine) == written  # nothing rewritten
    finally:
        reopened.database.dispose()


def test_a_stored_version_that_differs_from_the_bundled_one_is_kept(
    profile_paths: ProfilePaths, caplog: pytest.LogCaptureFixture
) -> None:
    engine = profile_engine(profile_paths)
    (content,) = rows(
        engine,
        "SELECT content FROM form_definition WHERE form_id = :f AND version = :v",
        f=IDC_NOW.form_id,
        v=IDC_NOW.version,
    )
    changed = json.loads(content[0])
    changed["title"] = "Ficha recibida del servidor"
    canonical = canonical_json(changed)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE form_definition SET content = :c, content_hash = :h, title = :t "
                "WHERE form_id = :f AND version = :v"
            ),
            {
                "c": canonical,
                "h": content_hash(canonical),
                "t": changed["title"],
                "f": IDC_NOW.form_id,
                "v": IDC_NOW.version,
            },
        )
    before = stored_definitions(engine)
    engine.dispose()
    with caplog.at_level(logging.INFO, logger=CATALOGUE_LOG):
        opened = open_profile(profile_paths, Settings(author=ACTOR))
    try:
        assert stored_definitions(opened.database.engine) == before
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert errors == [f"form {IDC_NOW}: the stored version differs from the bundled one; kept"]
        services = services_of(opened.database, profile_paths)
        wanchaq = next(s.id for s in services.list_instancias() if s.ubigeo == WANCHAQ)
        view = services.checklist(services.start_visit(wanchaq))
        assert view is not None
        assert (view.definition.ref, view.definition.title) == (
            IDC_NOW,
            "Ficha recibida del servidor",
        )
        assert view.definition.content_hash == content_hash(canonical)
    finally:
        opened.database.dispose()


# ------------------------------------------------------------- new releases in the bundle
def test_only_the_new_release_is_installed_and_a_broken_one_is_left_out(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = copy_of_forms(tmp_path)
    idc_new, ipc_new = following("funcionamiento_idc"), following("funcionamiento_ipc")
    idc_file = write_next_version(library, "funcionamiento_idc", "weight = 3", "weight = 4")
    release = library.publish(idc_file, RELEASED_V2)
    ipc_file = write_next_version(library, "funcionamiento_ipc", "weight = 3", "weight = 4")
    library.publish(ipc_file, RELEASED_V2)
    ipc_file.write_text(
        ipc_file.read_text(encoding="utf-8").replace("weight = 4", "weight = 2"), encoding="utf-8"
    )  # changed after it was published
    before = stored_definitions(database.engine)
    at_fixed = Database(database.engine, actor=ACTOR, clock=lambda: FIXED)
    with caplog.at_level(logging.INFO, logger=CATALOGUE_LOG):
        installed = install_bundled_forms(at_fixed, library)
    assert installed == [idc_new]
    after = stored_definitions(database.engine)
    assert [r for r in after if r[:2] != (idc_new.form_id, idc_new.version)] == before
    (new,) = rows(
        database.engine,
        "SELECT content_hash, released_on, source, levels, stored_at FROM form_definition "
        "WHERE form_id = :f AND version = :v",
        f=idc_new.form_id,
        v=idc_new.version,
    )
    assert new[:4] == (release.sha256, "2027-01-15", "bundled", "IDC")
    assert dt.datetime.fromisoformat(new[4]).replace(tzinfo=dt.UTC) == FIXED
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"form {ipc_new} not installed:\n"
        f"forms/funcionamiento_ipc/v{ipc_new.version}.toml:1: versión publicada: la versión "
        f"{ipc_new.version} ya fue publicada el 15/01/2027 y su contenido cambió. Corrección: "
        "deshaga el cambio; para cambiar la ficha cópiela como "
        f"v{ipc_new.version + 1}.toml, edite la copia y publíquela."
    ]
    assert f"forms installed: {idc_new}" in caplog.messages
    assert install_bundled_forms(at_fixed, library) == []
    assert stored_definitions(database.engine) == after


def test_a_file_that_is_not_toml_is_left_out_and_the_rest_installed(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = copy_of_forms(tmp_path)
    idc_new, irc_new = following("funcionamiento_idc"), following("funcionamiento_irc")
    stored_before = rows(database.engine, "SELECT form_id, version FROM form_definition")
    for form_id in ("funcionamiento_idc", "funcionamiento_irc"):
        library.publish(
            write_next_version(library, form_id, "weight = 3", "weight = 4"), RELEASED_V2
        )
    broken = library.path_of(irc_new.form_id, irc_new.version)
    broken.write_text(broken.read_text(encoding="utf-8") + "\nweight = = 5\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger=CATALOGUE_LOG):
        installed = install_bundled_forms(database, library)
    assert installed == [idc_new]
    (error,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert error.startswith(
        f"form {irc_new} not installed:\nforms/funcionamiento_irc/v{irc_new.version}.toml:"
    )
    assert "sintaxis: el archivo no es TOML válido" in error
    stored = rows(database.engine, "SELECT form_id, version FROM form_definition ORDER BY 1, 2")
    assert stored == sorted([*stored_before, (idc_new.form_id, idc_new.version)])


def test_a_released_file_gone_missing_is_left_out_and_the_rest_installed(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = copy_of_forms(tmp_path)
    idc_new, irc_new = following("funcionamiento_idc"), following("funcionamiento_irc")
    for form_id in ("funcionamiento_idc", "funcionamiento_irc"):
        library.publish(
            write_next_version(library, form_id, "weight = 3", "weight = 4"), RELEASED_V2
        )
    library.path_of(irc_new.form_id, irc_new.version).unlink()  # e.g. left out of an installer
    with caplog.at_level(logging.ERROR, logger=CATALOGUE_LOG):
        installed = install_bundled_forms(database, library)
    assert installed == [idc_new]
    (error,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert error.startswith(f"form {irc_new} not installed:")


# ---------------------------------------------------------------- building definitions
def test_definitions_refuse_a_stored_content_that_does_not_match_its_hash(
    database: Database,
) -> None:
    with database.reader() as uow:
        stored = uow.checklists.definition(IDC_V1)
    assert stored is not None
    definitions = Definitions()
    built = definitions.of(stored)
    assert (built.ref, built.content_hash, len(built.items)) == (IDC_V1, stored.content_hash, 14)
    assert definitions.of(stored) is built  # built once per version and hash
    tampered = dataclasses.replace(
        stored, content=stored.content.replace('"weight":10', '"weight":1')
    )
    assert tampered.content != stored.content
    for bad in (tampered, dataclasses.replace(stored, content_hash="0" * 64)):
        with pytest.raises(FormDefinitionError) as caught:
            Definitions().of(bad)
        assert str(caught.value) == HASH_MISMATCH
        assert [(e.where, e.line) for e in caught.value.errors] == [("contenido", 1)]


def test_a_tampered_stored_definition_is_refused_when_a_checklist_uses_it(
    database: Database, profile_paths: ProfilePaths
) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE form_definition SET content = replace(content, :old, :new) "
                "WHERE form_id = 'funcionamiento_idc'"
            ),
            {"old": '"weight":10', "new": '"weight":1'},
        )
    services = services_of(database, profile_paths)
    wanchaq = next(s.id for s in services.list_instancias() if s.ubigeo == WANCHAQ)
    visit_id = services.start_visit(wanchaq)
    with pytest.raises(FormDefinitionError) as caught:
        services.checklist(visit_id)
    assert str(caught.value) == HASH_MISMATCH
