"""Synchronization as the specialist sees it: enrol once, sync, read and export the journal."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from instancias_desktop.db.repositories.sync_records import WAITING
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.conflict_views import ConflictChoice, ConflictView
from instancias_desktop.domain.registry_seed import SeedOptions
from instancias_desktop.domain.sync_views import (
    DeviceWithdrawnError,
    JournalEntry,
    ParkedView,
    RefusalView,
    SignIn,
    SyncFailedError,
    SyncProgress,
    SyncStatus,
    SyncSummary,
)
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import ProfilePaths, forms_dir
from instancias_desktop.services import catalogue_updates, form_catalogue, identity, priority
from instancias_desktop.syncing import account, conflicts, runner, withdrawal
from instancias_desktop.syncing import refusals as refusal_lists
from instancias_desktop.syncing.journal import JOURNAL_FILE, SyncJournal
from instancias_desktop.syncing.store import DatabaseStore
from sync.errors import DeviceWithdrawn, SyncError
from sync.protocol import PublishedDocument

CATALOGUE_KIND = "catalogo"  # what the server publishes catalogue updates as
WEIGHTS_KIND = "pesos"  # and the priority weights


def journal_of(database: Database, paths: ProfilePaths) -> SyncJournal:
    """The profile's sync journal (sealed with a key kept in its database)."""
    return SyncJournal.of_profile(database, paths.logs / JOURNAL_FILE)


def sync_status(database: Database) -> SyncStatus:
    """Enrolled or not, what waits for the server, and how the last sync ended."""
    enrolled = account.enrolment_of(database)
    with database.reader() as uow:
        states = uow.sync.states()
        refused = uow.refusals.count()
        last_at = uow.sync.value(runner.LAST_SYNC)
        last_result = uow.sync.value(runner.LAST_RESULT) or ""
    return SyncStatus(
        enrolment=enrolled[0] if enrolled else None,
        pending=sum(states.get(state, 0) for state in WAITING),
        rejected=refused,
        in_conflict=len(conflicts.open_conflicts(database)),
        last_sync=dt.datetime.fromisoformat(last_at) if last_at else None,
        last_result=last_result,
        parked=len(DatabaseStore(database).parked()),
    )


def enrol(database: Database, paths: ProfilePaths, sign_in: SignIn) -> SyncStatus:
    """Sign the laptop in to the server (once); journaled."""
    try:
        enrolment = account.enrol(database, sign_in)
    except DeviceWithdrawn as error:
        withdrawal.mark_withdrawn(database)
        raise DeviceWithdrawnError(str(error)) from error
    except SyncError as error:
        raise SyncFailedError(str(error)) from error
    identity.adopt_server_identity(
        database, enrolment.username, enrolment.full_name, enrolment.post
    )
    journal_of(database, paths).write(
        "inscripción",
        f"Equipo «{enrolment.device_name}» inscrito en {enrolment.server_url} "
        f"como {enrolment.username}.",
        database.clock(),
    )
    return sync_status(database)


def synchronize(
    database: Database,
    paths: ProfilePaths,
    progress: Callable[[SyncProgress], None],
    link: runner.LinkFactory = runner.http_link,
    options: SeedOptions = SeedOptions(),  # noqa: B008  (immutable)
) -> SyncSummary:
    """One full sync with the enrolled server, reported through ``progress``."""
    try:
        schema = FormLibrary(forms_dir()).schema_file
        return runner.synchronize(
            database,
            journal_of(database, paths),
            progress,
            link=link,
            files=paths.attachments,
            deliver=lambda documents: _deliver(database, schema, options, documents),
        )
    except DeviceWithdrawn as error:
        raise DeviceWithdrawnError(str(error)) from error
    except SyncError as error:
        raise SyncFailedError(str(error)) from error


def _deliver(
    database: Database, schema: Path, options: SeedOptions, documents: Sequence[PublishedDocument]
) -> list[str]:
    """What the ministry published, in publishing order: form versions and catalogues."""
    done: list[str] = []
    for document in documents:
        if document.kind == CATALOGUE_KIND:
            done.append(
                catalogue_updates.apply_catalogue(database, document.key, document.content, options)
            )
        elif document.kind == WEIGHTS_KIND:
            done.append(priority.apply_published_weights(database, document.key, document.content))
        else:
            done.extend(form_catalogue.deliver_published(database, schema, [document]))
    return done


def server_reachable(database: Database) -> bool:
    """Whether the enrolled server answers now."""
    return runner.server_reachable(database)


def open_conflicts(database: Database) -> tuple[ConflictView, ...]:
    """The conflicts the specialist still has to look at."""
    return conflicts.open_conflicts(database)


def resolve_conflict(
    database: Database, conflict_id: uuid.UUID, choice: ConflictChoice, text: str = ""
) -> None:
    """Keep the current value, take this laptop's again, or write a merged text."""
    conflicts.resolve(database, conflict_id, choice, text)


def refusals(database: Database) -> tuple[RefusalView, ...]:
    """Changes the server refused that she has not dismissed, oldest first."""
    return refusal_lists.refusals(database)


def received_not_stored(database: Database) -> tuple[ParkedView, ...]:
    """Records received but not stored here yet, and why."""
    return refusal_lists.parked(database, DatabaseStore(database))


def dismiss_refusals(database: Database, op_ids: Sequence[uuid.UUID]) -> int:
    """She read these refusals."""
    return refusal_lists.dismiss(database, op_ids)


def resend_refusals(database: Database, op_ids: Sequence[uuid.UUID]) -> int:
    """Send these refused changes again at the next sync."""
    return refusal_lists.resend(database, op_ids)


def journal(database: Database, paths: ProfilePaths, limit: int = 500) -> tuple[JournalEntry, ...]:
    """The newest journal entries, newest first."""
    return journal_of(database, paths).entries(limit)


def export_journal(database: Database, paths: ProfilePaths, target: Path) -> Path:
    """Write the whole journal as text where the specialist chose (for support)."""
    return journal_of(database, paths).export(target)
