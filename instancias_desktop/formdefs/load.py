"""Reads a definition (a TOML file in forms/, or canonical JSON from the database) and checks it."""

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instancias_desktop.domain.forms import FormDefinition
from instancias_desktop.formdefs.build import canonical_json, content_hash, definition_from
from instancias_desktop.formdefs.errors import FormDefinitionError, FormError
from instancias_desktop.formdefs.locate import LineIndex
from instancias_desktop.formdefs.semantics import check_semantics
from instancias_desktop.formdefs.structure import check_structure
from instancias_desktop.i18n import _

SCHEMA_NAME = "schema.json"


@dataclass(frozen=True)
class CheckedDefinition:
    """A definition that passed every check, with its canonical content and hash."""

    definition: FormDefinition
    canonical: str
    content_hash: str


def _syntax_error(file: str, error: tomllib.TOMLDecodeError) -> FormError:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    line = int(match.group(1)) if match else 1
    return FormError(
        file,
        line,
        _("sintaxis"),
        _("el archivo no es TOML válido ({detail}).").format(detail=str(error)),
        _("revise esa línea: comillas, corchetes y el signo = entre la clave y el valor."),
    )


def check_data(
    data: dict[str, Any], schema_file: Path, file: str, text: str = ""
) -> CheckedDefinition:
    """Check parsed content against the schema and the cross-references; raise with every error."""
    lines = LineIndex(text)
    errors = check_structure(data, schema_file, file, lines)
    if not errors:
        errors = check_semantics(data, file, lines)
    if errors:
        raise FormDefinitionError(errors)
    canonical = canonical_json(data)
    digest = content_hash(canonical)
    return CheckedDefinition(definition_from(data, digest), canonical, digest)


def read_definition(path: Path, schema_file: Path, file: str | None = None) -> CheckedDefinition:
    """A definition file, checked; ``file`` is the name to report (the path by default)."""
    name = file or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problem = _("el archivo no está en UTF-8.")
        fix = _("guárdelo con la codificación UTF-8.")
        raise FormDefinitionError([FormError(name, 1, _("archivo"), problem, fix)]) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FormDefinitionError([_syntax_error(name, error)]) from error
    return check_data(data, schema_file, name, text)


def check_delivered(canonical: str, expected_hash: str, schema_file: Path) -> CheckedDefinition:
    """A definition delivered as canonical JSON (by the server): hash, schema and references."""
    _verify_hash(canonical, expected_hash, _("ficha recibida"))
    return check_data(json.loads(canonical), schema_file, _("ficha recibida"))


def definition_from_stored(canonical: str, expected_hash: str) -> FormDefinition:
    """A definition checked when it was stored: only its hash is verified before building it."""
    _verify_hash(canonical, expected_hash, _("ficha almacenada"))
    return definition_from(json.loads(canonical), expected_hash)


def _verify_hash(canonical: str, expected_hash: str, name: str) -> None:
    if content_hash(canonical) != expected_hash:
        problem = _("el contenido no coincide con su huella SHA-256 registrada.")
        fix = _("vuelva a recibir la ficha desde el servidor o reinstale la aplicación.")
        raise FormDefinitionError([FormError(name, 1, _("contenido"), problem, fix)])
