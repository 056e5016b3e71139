"""Checks a definition against forms/schema.json and says, in Spanish, what to fix and where."""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from instancias_desktop.formdefs.errors import FormError
from instancias_desktop.formdefs.locate import LineIndex
from instancias_desktop.i18n import _

_PLACES = {
    "sections": "sección {n}",
    "items": "ítem {n}",
    "options": "opción {n}",
    "bands": "tramo {n}",
    "stage_rules": "regla de estado {n}",
}
_TYPES = {
    "string": "un texto entre comillas",
    "integer": "un número entero",
    "number": "un número",
    "array": "una lista entre corchetes",
    "object": "una tabla",
    "boolean": "true o false",
}


def where(path: Sequence[str | int]) -> str:
    """A readable place: 'sección 2, ítem 3, weight'."""
    parts: list[str] = []
    keys: list[str] = []
    for step in path:
        if isinstance(step, int) and keys and keys[-1] in _PLACES:
            owner = keys.pop()
            parts.extend([".".join(keys)] if keys else [])
            parts.append(_(_PLACES[owner]).format(n=step + 1))
            keys = []
        elif isinstance(step, int):
            keys[-1] += f"[{step + 1}]"
        else:
            keys.append(step)
    if keys:
        parts.append(".".join(keys))
    return ", ".join(parts) or _("ficha")


def _key(path: Sequence[str | int]) -> str:
    """The key written in the file for the value at path (dotted after the last table)."""
    keys: list[str] = []
    for step in path:
        keys = [] if isinstance(step, int) else [*keys, step]
    return ".".join(keys) or _("la ficha")


@cache
def _validator(schema_file: Path) -> Any:
    import jsonschema  # noqa: PLC0415 # only when a definition is checked, not at start-up

    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _quoted(values: Sequence[object]) -> str:
    return ", ".join(str(v) for v in values)


def _required(error: Any) -> tuple[str, str]:
    match = re.search(r"'([^']+)' is a required property", error.message)
    name = match.group(1) if match else "?"
    described = error.schema.get("properties", {}).get(name, {}).get("description", "")
    return (
        _("falta la clave «{name}».").format(name=name),
        _("agregue {name} = … ({description}).").format(name=name, description=described),
    )


def _unexpected(error: Any) -> list[str]:
    """The keys an additionalProperties error is about (none for other errors)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    return sorted(set(error.instance) - set(error.schema.get("properties", {})))


def _additional(error: Any) -> tuple[str, str]:
    allowed = sorted(error.schema.get("properties", {}))
    extra = _unexpected(error)
    return (
        _("la clave «{name}» no existe en el esquema.").format(name=_quoted(extra)),
        _("revise cómo está escrita; las claves permitidas aquí son: {allowed}.").format(
            allowed=_quoted(allowed)
        ),
    )


def _range(error: Any, key: str) -> tuple[str, str]:
    low, high = error.schema.get("minimum"), error.schema.get("maximum")
    whole = error.schema.get("type") == "integer"
    return (
        _("«{key}» = {value} está fuera del rango permitido.").format(
            key=key, value=error.instance
        ),
        (
            _("use un número entero entre {low} y {high}.")
            if whole
            else _("use un número entre {low} y {high}.")
        ).format(low=low, high=high),
    )


def _message(error: Any, key: str) -> tuple[str, str]:
    kind = error.validator
    described = error.schema.get("description", "")
    handlers: dict[str, Callable[[], tuple[str, str]]] = {
        "required": lambda: _required(error),
        "additionalProperties": lambda: _additional(error),
        "minimum": lambda: _range(error, key),
        "maximum": lambda: _range(error, key),
        "type": lambda: (
            _("«{key}» debe ser {kind}.").format(key=key, kind=_(_TYPES[error.validator_value])),
            _("escriba {description}.").format(description=described),
        ),
        "enum": lambda: (
            _("«{key}» tiene el valor «{value}», que no es válido.").format(
                key=key, value=error.instance
            ),
            _("use uno de estos valores: {values}.").format(values=_quoted(error.validator_value)),
        ),
        "const": lambda: (
            _("«{key}» debe valer {value}.").format(key=key, value=error.validator_value),
            _("escriba {key} = {value}.").format(key=key, value=error.validator_value),
        ),
        "pattern": lambda: (
            _("«{value}» no es un identificador válido.").format(value=error.instance),
            _(
                "use solo letras minúsculas sin tildes, números y guiones bajos,"
                " empezando por una letra."
            ),
        ),
        "minItems": lambda: (
            _("«{key}» tiene menos elementos de los necesarios.").format(key=key),
            _("agregue al menos {n}: {description}.").format(
                n=error.validator_value, description=described
            ),
        ),
        "minLength": lambda: (
            _("«{key}» está vacío.").format(key=key),
            _("escriba {description}.").format(description=described),
        ),
        "uniqueItems": lambda: (
            _("«{key}» repite un valor.").format(key=key),
            _("deje cada valor una sola vez."),
        ),
        "minProperties": lambda: (
            _("«{key}» está vacía.").format(key=key),
            _("indique item y at_least, o levels."),
        ),
        "dependentRequired": lambda: (
            _("«{key}» indica solo una de las claves item y at_least.").format(key=key),
            _("escriba las dos: el ítem anterior y la respuesta mínima que necesita."),
        ),
    }
    handler = handlers.get(kind)
    return handler() if handler else (str(error.message), _("revise el valor según el esquema."))


def check_structure(
    data: Mapping[str, object], schema_file: Path, file: str, lines: LineIndex
) -> list[FormError]:
    """Every way the data departs from the schema, one error each, in file order."""
    errors = []
    for error in _validator(schema_file).iter_errors(data):
        path = list(error.absolute_path)
        problem, fix = _message(error, _key(path))
        line = lines.line_of([*path, *_unexpected(error)[:1]])  # an unknown key: its own line
        errors.append(FormError(file, line, where(path), problem, fix))
    return sorted(set(errors))
