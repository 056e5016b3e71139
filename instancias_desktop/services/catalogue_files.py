"""Read the shipped catalogue files (ubigeo JSON, member-entity TOML) into domain values."""

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instancias_desktop.domain.enums import InstanciaLevel
from instancias_desktop.domain.membership import Cardinality, MemberEntityType
from instancias_desktop.domain.ubigeo import Territory, check_ubigeo
from instancias_desktop.i18n import _
from sync.registry_kinds import ENTITY_TYPE

# Names under which the database records each catalogue's version, and how screens call them.
UBIGEO = "ubigeo"
ENTITY_TYPES = "entidades_integrantes"
CATALOGUE_LABELS = {UBIGEO: _("Ubigeo"), ENTITY_TYPES: _("Entidades integrantes")}
CATALOGUE_AUTHOR = "catalogo"  # the author stamped on what catalogues create


class CatalogueFileError(ValueError):
    """A catalogue file is damaged or malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class UbigeoCatalogue:
    """The territorial catalogue as shipped."""

    version: str
    source: str
    territories: tuple[Territory, ...]


@dataclass(frozen=True)
class EntityTypeCatalogue:
    """The member-entity types as shipped."""

    version: str
    types: tuple[MemberEntityType, ...]


def read_ubigeo(path: Path) -> UbigeoCatalogue:
    """Parse and check the ubigeo catalogue; parents always come before their children."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["entries"]
        version, source = str(raw["version"]), str(raw["source"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CatalogueFileError(
            _("No se pudo leer el catálogo de ubigeos {path}: {error}").format(
                path=path, error=error
            )
        ) from error
    territories = []
    for index, entry in enumerate(entries, start=1):
        code = str(entry.get("code", ""))
        problem = check_ubigeo(code) or (None if entry.get("name") else _("falta el nombre"))
        if problem:
            raise CatalogueFileError(
                _("{path}, entrada {index}: {problem}").format(
                    path=path, index=index, problem=problem
                )
            )
        territories.append(Territory(code, str(entry["name"]), bool(entry.get("vigente", True))))
    territories.sort(key=lambda t: (len(t.code), t.code))
    return UbigeoCatalogue(version, source, tuple(territories))


def read_entity_types(path: Path) -> EntityTypeCatalogue:
    """Parse and check the member-entity types, reporting the first bad entry with its fix."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueFileError(
            _("No se pudo leer {path}: {error}").format(path=path, error=error)
        ) from error
    types = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(raw.get("entity_type", []), start=1):
        entity_type = _entity_type(path, index, entry)
        key = (entity_type.level, entity_type.code)
        if key in seen:
            raise CatalogueFileError(
                _("{path}, entidad {index}: el código «{code}» se repite en {level}.").format(
                    path=path, index=index, code=entity_type.code, level=entity_type.level
                )
            )
        seen.add(key)
        types.append(entity_type)
    return EntityTypeCatalogue(str(raw.get("version", "")), tuple(types))


def _entity_type(path: Path, index: int, entry: dict[str, Any]) -> MemberEntityType:
    def fail(message: str) -> CatalogueFileError:
        return CatalogueFileError(
            _("{path}, entidad {index}: {message}").format(path=path, index=index, message=message)
        )

    try:
        level = InstanciaLevel(str(entry.get("level")))
    except ValueError:
        raise fail(_("«level» debe ser IRC, IPC o IDC.")) from None
    try:
        rule = Cardinality(str(entry.get("rule")))
    except ValueError:
        raise fail(_("«rule» debe ser exactly, up_to o if_any.")) from None
    count = entry.get("count")
    if not isinstance(count, int) or count < 1:
        raise fail(_("«count» debe ser un número entero mayor que 0."))
    if not entry.get("code") or not entry.get("label"):
        raise fail(_("faltan «code» o «label»."))
    if not re.fullmatch(ENTITY_TYPE, str(entry["code"])):  # as the server checks a member
        raise fail(
            _("«code» lleva minúsculas, dígitos o «_», y empieza con una letra: «{code}».").format(
                code=entry["code"]
            )
        )
    return MemberEntityType(
        code=str(entry["code"]),
        level=level,
        label=str(entry["label"]),
        cardinality=rule,
        count=count,
        position=index,
        note=str(entry.get("note", "")),
        assumption=bool(entry.get("assumption", False)),
    )
