"""Canonical JSON delivered or stored: hash verified, same values as the TOML file."""

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from instancias_desktop.domain.enums import InstanciaLevel, Stage
from instancias_desktop.domain.forms import (
    AnswerType,
    Band,
    Condition,
    EvidenceRule,
    FormItem,
    Option,
    StageRule,
)
from instancias_desktop.formdefs.build import canonical_json, content_hash
from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.formdefs.load import check_delivered, definition_from_stored
from instancias_desktop.paths import forms_dir

LIBRARY = FormLibrary(forms_dir())
FILES = LIBRARY.files()
MISMATCH = (
    ":1: contenido: el contenido no coincide con su huella SHA-256 registrada. Corrección:"
    " vuelva a recibir la ficha desde el servidor o reinstale la aplicación."
)
HASH_MISMATCH = "ficha recibida" + MISMATCH  # delivered by the server
STORED_MISMATCH = "ficha almacenada" + MISMATCH  # read back from the profile's database


def _canonical(path: Path) -> str:
    return canonical_json(tomllib.loads(path.read_text(encoding="utf-8")))


def _ids(path: Path) -> str:
    return path.parent.name


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_delivered_canonical_json_gives_the_definition_of_the_file(path: Path) -> None:
    canonical = _canonical(path)
    delivered = check_delivered(canonical, content_hash(canonical), LIBRARY.schema_file)
    from_file = LIBRARY.check_file(path)
    assert delivered.definition == from_file.definition
    assert (delivered.canonical, delivered.content_hash) == (
        from_file.canonical,
        from_file.content_hash,
    )


def test_delivered_content_that_does_not_match_its_hash_is_refused() -> None:
    canonical = _canonical(FILES[0])
    changed = canonical.replace('"weight":10', '"weight":9', 1)
    assert changed != canonical
    with pytest.raises(FormDefinitionError) as raised:
        check_delivered(changed, content_hash(canonical), LIBRARY.schema_file)
    assert str(raised.value) == HASH_MISMATCH
    with pytest.raises(FormDefinitionError) as raised:
        check_delivered(canonical, "0" * 64, LIBRARY.schema_file)
    assert [str(e) for e in raised.value.errors] == [HASH_MISMATCH]


def test_delivered_content_with_its_hash_is_still_checked() -> None:
    data = json.loads(_canonical(LIBRARY.path_of("funcionamiento_idc", 1)))
    data["sections"][0]["items"][0]["weight"] = 12
    canonical = canonical_json(data)
    with pytest.raises(FormDefinitionError) as raised:
        check_delivered(canonical, content_hash(canonical), LIBRARY.schema_file)
    assert str(raised.value) == (
        "ficha recibida:1: sección 1, ítem 1, weight: «weight» = 12 está fuera del rango"
        " permitido. Corrección: use un número entero entre 0 y 10."
    )


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_a_stored_definition_is_the_same_as_the_one_read_from_its_file(path: Path) -> None:
    checked = LIBRARY.check_file(path)
    stored = definition_from_stored(checked.canonical, checked.content_hash)
    assert stored == checked.definition
    for field in dataclasses.fields(stored):
        if field.compare:
            assert getattr(stored, field.name) == getattr(checked.definition, field.name), field
    assert stored.items == checked.definition.items
    assert all(stored.item(item.code) == item for item in checked.definition.items)


def test_a_stored_definition_whose_hash_does_not_match_is_refused() -> None:
    checked = LIBRARY.check_file(FILES[0])
    with pytest.raises(FormDefinitionError) as raised:
        definition_from_stored(checked.canonical + " ", checked.content_hash)
    assert str(raised.value) == STORED_MISMATCH


def test_the_file_values_become_domain_values() -> None:
    irc = LIBRARY.check_file(LIBRARY.path_of("funcionamiento_irc", 1)).definition
    assert irc.levels == (InstanciaLevel.IRC,)
    assert irc.partial_credit == 0.5
    assert irc.bands == (Band(0.0, "Incipiente"), Band(40.0, "En proceso"), Band(75.0, "Adecuado"))
    assert irc.stage_rules[0] == StageRule(Stage.CREATED, ("norma_creacion",), 0.0)
    assert irc.stage_rules[2] == StageRule(
        Stage.FUNCTIONING,
        ("norma_creacion", "instalacion", "reglamento_interno", "sesiones"),
        60.0,
    )
    assert irc.item("observatorio_etapa") == FormItem(
        code="observatorio_etapa",
        number=17,
        text="Etapa en la que se encuentra el Observatorio Regional",
        answer_type=AnswerType.CHOICE,
        weight=4,
        options=(
            Option("diseno", "Diseño", 0.34),
            Option("implementacion", "Implementación", 0.67),
            Option("gestion_estrategica", "Gestión estratégica", 1.0),
        ),
        when=Condition(item="observatorio", at_least="si"),
        evidence=EvidenceRule((), ("Informe", "Plan de trabajo del observatorio")),
        basis="gob.pe 51923 (tres etapas)",
    )
    observatorio = irc.item("observatorio")
    assert observatorio is not None
    assert observatorio.when == Condition(levels=(InstanciaLevel.IRC,))
    assert observatorio.evidence.required_when == ("si",)
    norma = irc.item("norma_creacion")
    assert norma is not None
    assert (norma.number, norma.answer_type, norma.not_applicable, norma.assumption) == (
        1,
        AnswerType.YES_PARTIAL_NO,
        True,
        False,
    )
