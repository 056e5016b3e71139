"""Released checklist definitions: copied into each profile, built once per version when used."""

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from instancias_desktop.db.repositories.checklists import StoredDefinition
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.forms import FormDefinition, FormRef
from instancias_desktop.formdefs.errors import FormDefinitionError, FormError
from instancias_desktop.formdefs.library import FormLibrary, Release
from instancias_desktop.formdefs.load import check_delivered, definition_from_stored
from instancias_desktop.i18n import _

log = logging.getLogger(__name__)
PUBLISHED_FORM = "ficha"  # the kind the server publishes checklist definitions as
BUNDLED = "bundled"
SERVER = "server"
FORMS_AUTHOR = "fichas"

if TYPE_CHECKING:  # pydantic loads with the sync, not when the profile opens
    from sync.protocol import PublishedDocument


class Definitions:
    """Domain definitions built from stored versions, kept per (version, hash) for the session."""

    def __init__(self) -> None:
        self._built: dict[tuple[FormRef, str], FormDefinition] = {}
        self._lock = threading.Lock()

    def of(self, stored: StoredDefinition) -> FormDefinition:
        """The definition a stored version holds (its hash is verified the first time)."""
        key = (stored.ref, stored.content_hash)
        with self._lock:
            built = self._built.get(key)
        if built is None:
            built = definition_from_stored(stored.content, stored.content_hash)
            with self._lock:
                self._built[key] = built
        return built


def deliver_published(
    database: Database, schema_file: Path, documents: Sequence["PublishedDocument"]
) -> list[str]:
    """Keep the form definitions the ministry published; say, in Spanish, what was done.

    A version already here stays as it is (drafts keep their pinned version); one that does
    not pass the checks of this app is refused and said so, and the others still arrive.
    """
    today = peru_today(database.clock())
    done = []
    for document in documents:
        if document.kind != PUBLISHED_FORM:
            continue
        try:
            ref = store_delivered(database, schema_file, document.content, document.sha256, today)
        except FormDefinitionError as error:
            done.append(_("Ficha {key} rechazada: {error}").format(key=document.key, error=error))
        else:
            done.append(
                _("Ficha recibida: {form} versión {version}.").format(
                    form=ref.form_id, version=ref.version
                )
            )
    return done


def install_bundled_forms(database: Database, library: FormLibrary) -> list[FormRef]:
    """Store the released versions the profile lacks; a stored version is never replaced.

    Only new versions are read and checked, so an ordinary start reads releases.toml alone.
    A bundled file that fails its checks is logged and left out: the rest of the app works.
    """
    with database.reader() as uow:
        stored = uow.checklists.definition_hashes()
    missing: list[tuple[Release, StoredDefinition]] = []
    for release in library.releases():
        ref = FormRef(release.form_id, release.version)
        if ref in stored:
            if stored[ref] != release.sha256:
                log.error("form %s: the stored version differs from the bundled one; kept", ref)
            continue
        try:
            checked = library.check_file(library.path_of(release.form_id, release.version))
        except (FormDefinitionError, OSError) as error:  # broken or missing: the rest still works
            log.error("form %s not installed:\n%s", ref, error)
            continue
        form = checked.definition
        missing.append(
            (
                release,
                StoredDefinition(
                    ref,
                    form.title,
                    form.levels,
                    checked.canonical,
                    checked.content_hash,
                    release.released,
                    BUNDLED,
                ),
            )
        )
    if not missing:
        return []
    installed = []
    with database.unit_of_work(actor=FORMS_AUTHOR) as uow:
        present = uow.checklists.definition_hashes()  # another window may have stored some
        for _release, definition in missing:
            if definition.ref not in present:
                uow.checklists.store_definition(definition, database.clock())
                installed.append(definition.ref)
        uow.commit()
    log.info("forms installed: %s", ", ".join(str(r) for r in installed))
    return installed


def store_delivered(
    database: Database,
    schema_file: Path,
    canonical: str,
    content_hash: str,
    released_on: dt.date,
) -> FormRef:
    """Keep a version delivered by the central server (canonical JSON and its SHA-256).

    It is checked like a bundled file; a version already stored with the same hash is a no-op,
    and one stored with a different content is refused: a released version never changes.
    """
    checked = check_delivered(canonical, content_hash, schema_file)
    form = checked.definition
    with database.unit_of_work(actor=FORMS_AUTHOR) as uow:
        stored = uow.checklists.definition_hashes().get(form.ref)
        if stored == content_hash:
            return form.ref
        if stored is not None:
            raise FormDefinitionError(
                [
                    FormError(
                        str(form.ref),
                        1,
                        _("versión publicada"),
                        _("la versión {version} ya existe con otro contenido.").format(
                            version=form.version
                        ),
                        _("publique los cambios como una versión nueva."),
                    )
                ]
            )
        uow.checklists.store_definition(
            StoredDefinition(
                form.ref,
                form.title,
                form.levels,
                checked.canonical,
                content_hash,
                released_on,
                SERVER,
            ),
            database.clock(),
        )
        uow.commit()
    return form.ref
