"""Catalogue updates the ministry publishes (ubigeo, entidades integrantes), applied here.

An update only adds and corrects: new territories come with their government units and
instancias (whose ids derive from the unit, so every laptop creates the same ones), changed
names and in-force flags are taken, new entity types are added and changed ones updated.
Nothing is deleted: what was recorded against a retired code keeps pointing to it.
"""

import tempfile
from pathlib import Path

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import utc_now
from instancias_desktop.domain.registry_seed import SeedOptions, government_units, instancia_for
from instancias_desktop.i18n import _
from instancias_desktop.services.catalogue_files import (
    CATALOGUE_AUTHOR,
    CATALOGUE_LABELS,
    ENTITY_TYPES,
    UBIGEO,
    CatalogueFileError,
    EntityTypeCatalogue,
    UbigeoCatalogue,
    read_entity_types,
    read_ubigeo,
)

_SUFFIX = {UBIGEO: ".json", ENTITY_TYPES: ".toml"}


def apply_catalogue(database: Database, key: str, content: str, options: SeedOptions) -> str:
    """Apply a published catalogue (key «ubigeo@INEI-2026»…); say, in Spanish, what changed."""
    name = key.split("@", 1)[0]
    if name not in _SUFFIX:
        return _("Catálogo {key} desconocido para esta versión de la aplicación.").format(key=key)
    with tempfile.TemporaryDirectory(prefix="catalogo-") as folder:
        path = Path(folder) / f"{name}{_SUFFIX[name]}"
        path.write_text(content, encoding="utf-8")
        try:
            catalogue = read_ubigeo(path) if name == UBIGEO else read_entity_types(path)
        except CatalogueFileError as error:
            return _("Catálogo {key} rechazado: {error}").format(key=key, error=error)
    label = CATALOGUE_LABELS[name]
    with database.unit_of_work(actor=CATALOGUE_AUTHOR, record=False) as uow:
        held = {info.name: info.version for info in uow.catalogue.versions()}
        if held.get(name) == catalogue.version:
            return _("Catálogo {label} {version}: ya estaba en este equipo.").format(
                label=label, version=catalogue.version
            )
        if isinstance(catalogue, UbigeoCatalogue):
            done = _update_ubigeo(uow, catalogue, options)
            source = catalogue.source
        else:
            done = _update_entity_types(uow, catalogue)
            source = key
        uow.catalogue.record_version(name, catalogue.version, source, utc_now())
        uow.commit()
    return _("Catálogo {label} actualizado a {version}: {done}.").format(
        label=label, version=catalogue.version, done=done
    )


def _update_ubigeo(uow: UnitOfWork, catalogue: UbigeoCatalogue, options: SeedOptions) -> str:
    held = uow.catalogue.territory_states()
    new = [t for t in catalogue.territories if t.code not in held]
    changed = [
        t for t in catalogue.territories if t.code in held and held[t.code] != (t.name, t.vigente)
    ]
    uow.catalogue.add_territories(new)
    uow.catalogue.update_territories(changed)
    units = uow.catalogue.unit_codes()
    fresh = [u for u in government_units(catalogue.territories, options) if u.code not in units]
    names = {t.code: t.name for t in catalogue.territories}
    uow.catalogue.add_government_units(fresh)
    uow.registry.add_instancias(instancia_for(u, names[u.ubigeo]) for u in fresh)
    return _("territorios nuevos: {new}, corregidos: {changed}; instancias nuevas: {units}").format(
        new=len(new), changed=len(changed), units=len(fresh)
    )


def _update_entity_types(uow: UnitOfWork, catalogue: EntityTypeCatalogue) -> str:
    updated, added = uow.catalogue.put_member_entity_types(catalogue.types)
    return _("entidades nuevas: {added}; datos corregidos: {updated}").format(
        added=added, updated=updated
    )
