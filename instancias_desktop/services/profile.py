"""Open a profile: its database at the current schema, with the catalogues loaded on first use."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from instancias_desktop.db.encrypt import encrypt_in_place, finish_interrupted, is_plain
from instancias_desktop.db.engine import KeyRefusedError, check_key, create_local_engine
from instancias_desktop.db.migrate import DatabaseRefusedError, MigrationReport, upgrade_database
from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import utc_now
from instancias_desktop.domain.enums import AuditAction
from instancias_desktop.domain.registry_seed import SeedOptions, government_units, instancia_for
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.i18n import _
from instancias_desktop.paths import ProfilePaths, forms_dir, path_room_problem, resources_dir
from instancias_desktop.services.api import ProfileOpenError
from instancias_desktop.services.app_services import AppServices
from instancias_desktop.services.attachments import annex_store
from instancias_desktop.services.catalogue_files import (
    CATALOGUE_AUTHOR,
    ENTITY_TYPES,
    UBIGEO,
    CatalogueFileError,
    read_entity_types,
    read_ubigeo,
)
from instancias_desktop.services.form_catalogue import install_bundled_forms
from instancias_desktop.services.identity import profile_actor
from instancias_desktop.settings import Settings, ensure_acta_series
from instancias_desktop.syncing.journal import JOURNAL_FILE, SyncJournal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedProfile:
    """The database of a profile, ready for use, and what opening it did."""

    database: Database
    migration: MigrationReport
    catalogues_loaded: bool


def open_profile(
    paths: ProfilePaths,
    settings: Settings,
    announce: Callable[[str], None] = lambda _s: None,
    *,
    key: bytes,
) -> OpenedProfile:
    """Encrypt an old plain profile, migrate (backing up first), load catalogues when new.

    ``key`` is the profile's (services.profile_keys); ``announce`` hears, in Spanish, each step
    that may take a while.
    """
    if problem := path_room_problem(paths.root):
        raise ProfileOpenError(problem)
    paths.ensure()
    encrypt_plain_files(paths, key, announce)
    engine = create_local_engine(paths.database, key)
    try:
        check_key(engine)
        migration = upgrade_database(engine, paths.backups, announce=announce)
        database = Database(engine, actor=settings.author)
        database.actor = profile_actor(database, settings.author)
        if migration.from_revision is None:
            announce(_("Primera apertura: cargando el catálogo de ubigeos y las instancias…"))
        loaded = load_catalogues_if_missing(database, SeedOptions(settings.cercado_has_idc))
        install_bundled_forms(database, FormLibrary(forms_dir()))
        with database.unit_of_work(record=False) as uow:  # who opened it, and when
            uow.audit.note(AuditAction.OPENED)
            uow.commit()
        sealed = annex_store(database, paths.attachments).seal_plain_files()
        if sealed:
            log.info("sealed %d annex files stored before encryption", sealed)
        journal = SyncJournal.of_profile(database, paths.logs / JOURNAL_FILE)
        if journal.seal_plain_lines():
            log.info("sealed the sync journal written before encryption")
    except KeyRefusedError as error:
        engine.dispose()
        raise _refused_key() from error
    except (DatabaseRefusedError, CatalogueFileError) as error:
        engine.dispose()
        raise ProfileOpenError(str(error)) from error
    except Exception:
        engine.dispose()
        raise
    return OpenedProfile(database, migration, loaded)


def open_services(
    paths: ProfilePaths,
    settings: Settings,
    announce: Callable[[str], None] = lambda _s: None,
    *,
    key: bytes,
) -> AppServices:
    """The services of an opened profile, for the screens."""
    settings = ensure_acta_series(paths.ensure().settings, settings)
    return AppServices(open_profile(paths, settings, announce, key=key).database, paths, settings)


def encrypt_plain_files(paths: ProfilePaths, key: bytes, announce: Callable[[str], None]) -> None:
    """An old profile's plain database and backups, encrypted in place (once, crash-safe)."""
    finish_interrupted(paths.database)
    plain = [p for p in (paths.database, *sorted(paths.backups.glob("*.sqlite3"))) if is_plain(p)]
    if plain:
        announce(_("Cifrando los datos del perfil (una sola vez)…"))
    for path in plain:
        finish_interrupted(path)
        encrypt_in_place(path, key)
        log.info("encrypted %s", path.name)


def _refused_key() -> ProfileOpenError:
    return ProfileOpenError(
        _(
            "La base de datos del perfil no se abre con esta contraseña (o está dañada). Nada "
            "se modificó. Si olvidó la contraseña, los datos de este equipo no se pueden "
            "recuperar: cree un perfil nuevo y sincronice para recibir lo que está en el "
            "servidor."
        )
    )


def load_catalogues_if_missing(database: Database, options: SeedOptions) -> bool:
    """First start: territory, units, one instancia per unit, entity types; one transaction.

    The check and the load share the writing transaction, so two windows opened at once on a
    new profile load the catalogues once.
    """
    with database.reader() as uow:
        if _has_catalogues(uow):
            return False
    catalogues = resources_dir() / "catalogues"
    ubigeo = read_ubigeo(catalogues / "ubigeo_inei.json")
    entity_types = read_entity_types(catalogues / "member_entity_types.toml")
    with database.unit_of_work(actor=CATALOGUE_AUTHOR, record=False) as uow:
        if _has_catalogues(uow):  # another window loaded them meanwhile
            return False
        units = government_units(ubigeo.territories, options)
        names = {t.code: t.name for t in ubigeo.territories}
        now = utc_now()
        uow.catalogue.add_territories(ubigeo.territories)
        uow.catalogue.add_government_units(units)
        uow.registry.add_instancias(instancia_for(u, names[u.ubigeo]) for u in units)
        uow.catalogue.add_member_entity_types(entity_types.types)
        uow.catalogue.record_version(UBIGEO, ubigeo.version, ubigeo.source, now)
        uow.catalogue.record_version(
            ENTITY_TYPES, entity_types.version, "member_entity_types.toml", now
        )
        uow.commit()
    log.info("catalogues loaded: %d territories, %d units", len(ubigeo.territories), len(units))
    return True


def _has_catalogues(uow: UnitOfWork) -> bool:
    return any(info.name == UBIGEO for info in uow.catalogue.versions())
