"""One synchronization of the laptop with the central server, reported as it goes.

Runs the sync engine over the profile's database and the enrolled server; tells the screen
how far it got (stage, counts, bytes); writes the journal; and says «sincronizado» only when
the server confirmed every change made here.
"""

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from instancias_desktop import __version__
from instancias_desktop.db.repositories import sync_records
from instancias_desktop.db.uow import Database
from instancias_desktop.domain.sync_views import ParkedView, Rejection, SyncProgress, SyncSummary
from instancias_desktop.i18n import _, decimal_text, n_
from instancias_desktop.syncing import attachments, conflicts, refusals, withdrawal
from instancias_desktop.syncing.account import enrolment_of
from instancias_desktop.syncing.attachments import NO_FILES, FilesSent
from instancias_desktop.syncing.journal import SyncJournal
from instancias_desktop.syncing.lock import only_sync
from instancias_desktop.syncing.refusals import restore_server_versions
from instancias_desktop.syncing.store import DatabaseStore
from sync.app_versions import AppNotice, HealthSource, UpdateRequired, app_notice
from sync.client import SyncEngine, SyncReport, Transport
from sync.downloads import Downloader
from sync.errors import DeviceWithdrawn, SyncError
from sync.kinds import KINDS
from sync.protocol import PublishedDocument
from sync.publications import PublicationSource, receive
from sync.transport_http import HttpTransport
from sync.uploads import Uploader

ProgressSink = Callable[[SyncProgress], None]
ExchangeSink = Callable[[int, int], None]
LinkFactory = Callable[[str, str, ExchangeSink], Transport]
LAST_SYNC, LAST_RESULT = sync_records.LAST_SYNC, sync_records.LAST_RESULT
PUBLISHED_CURSOR = "published.cursor"  # the last published document received
Deliver = Callable[[Sequence[PublishedDocument]], list[str]]  # what it did, in Spanish
STAGES = {
    "push": _("Enviando cambios"),
    "pull": _("Recibiendo cambios"),
    "verify": _("Comprobando con el servidor"),
    "conflicts": _("Revisando conflictos"),
    "files": _("Enviando anexos"),
    "fetch": _("Recibiendo anexos"),
}


class NotEnrolledError(SyncError):
    """The laptop has not signed in to a server yet."""

    default_message = _(
        "Este equipo aún no está inscrito en el servidor de sincronización: escriba la "
        "dirección del servidor, su usuario y su contraseña en «Sincronización»."
    )


def http_link(server_url: str, token: str, on_exchange: ExchangeSink) -> Transport:
    """The real transport, counting the bytes of every exchange."""
    return HttpTransport(server_url, token, on_exchange=on_exchange)


def server_reachable(database: Database, timeout: float = 5) -> bool:
    """Whether the enrolled server answers now (one quick try: no retries, short timeouts)."""
    enrolled = enrolment_of(database)
    if enrolled is None:
        return False
    with HttpTransport(enrolled[0].server_url, retries=0, timeout=(timeout, timeout)) as link:
        try:
            link.health()
        except SyncError:
            return False
    return True


@dataclass
class _Meter:
    """Counts and bytes so far, told to the screen at every step."""

    sink: ProgressSink
    pending: int
    stage: str = STAGES["push"]
    done: int = 0
    total: int | None = None
    sent_bytes: int = 0
    received_bytes: int = 0

    def __post_init__(self) -> None:
        self.total = self.pending  # sending comes first

    def exchange(self, sent: int, received: int) -> None:
        self.sent_bytes += sent  # called on the sync's own thread, like stage_reached
        self.received_bytes += received
        self.tell()

    def stage_reached(self, stage: str, done: int, total: int | None) -> None:
        self.stage = STAGES.get(stage, stage)
        self.done = done
        self.total = self.pending if stage == "push" else total
        self.tell()

    def piece(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.tell()

    def tell(self) -> None:
        self.sink(
            SyncProgress(self.stage, self.done, self.total, self.sent_bytes, self.received_bytes)
        )


def synchronize(
    database: Database,
    journal: SyncJournal,
    progress: ProgressSink,
    *,
    link: LinkFactory = http_link,
    files: Path | None = None,
    deliver: Deliver | None = None,
) -> SyncSummary:
    """Push, pull, compare digests, fetch conflicts, send the annexes; journal it all.

    ``files`` is the profile's attachment store (None: annexes are left for another sync);
    ``deliver`` keeps what the ministry published (form definitions) and says what it did.

    A ``SyncError`` (no connection, refused token…) is journaled and raised: nothing is lost,
    the next sync resumes where this one stopped.
    """
    enrolled = enrolment_of(database)
    if enrolled is None:
        raise NotEnrolledError()
    if withdrawal.withdrawn_at(database) is not None:
        raise DeviceWithdrawn()  # known already: the server is not asked again
    lock = database.file.with_name(database.file.name + ".sync-lock") if database.file else None
    with only_sync(lock) if lock is not None else contextlib.nullcontext():
        with database.unit_of_work() as uow:  # her plan made before it travelled goes too
            if uow.planning.queue_unsent(uow.actor):
                uow.commit()
        return _synchronize(database, journal, progress, link=link, files=files, deliver=deliver)


def _synchronize(
    database: Database,
    journal: SyncJournal,
    progress: ProgressSink,
    *,
    link: LinkFactory,
    files: Path | None,
    deliver: Deliver | None,
) -> SyncSummary:
    enrolled = enrolment_of(database)
    if enrolled is None:
        raise NotEnrolledError()
    enrolment, token = enrolled
    store = DatabaseStore(database)
    meter = _Meter(progress, pending=store.waiting())
    journal.write(
        "inicio",
        _("Sincronización con {url} como {user}: {changes} por enviar.").format(
            url=enrolment.server_url,
            user=enrolment.username,
            changes=n_("{n} cambio", "{n} cambios", meter.pending),
        ),
        database.clock(),
    )
    transport = link(enrolment.server_url, token, meter.exchange)
    engine = SyncEngine(store, transport, on_progress=meter.stage_reached)
    notice = AppNotice()
    try:
        if isinstance(transport, HealthSource):  # the server may hold this version back
            notice = app_notice(transport.health(), __version__)
            if notice.required is not None:
                raise UpdateRequired(__version__, notice.required)
        resolved = conflicts.tell_server(database, transport)
        if resolved:
            journal.write(
                "conflicto",
                _("Conflictos resueltos en este equipo comunicados al servidor: {n}.").format(
                    n=resolved
                ),
                database.clock(),
            )
        report = engine.sync()
        restore_server_versions(store, transport)
        _journal_report(journal, database, report, meter)  # kept even if the annexes fail
        if deliver is not None and isinstance(transport, PublicationSource):
            _receive_publications(database, journal, transport, deliver)
        store.retry_parked()  # a catalogue or a form may have arrived
        sent_files = NO_FILES
        if files is not None and isinstance(transport, Uploader):
            meter.stage_reached("files", 0, None)
            sent_files = attachments.send_files(database, files, transport, meter.piece)
        if files is not None and isinstance(transport, Downloader):
            meter.stage_reached("fetch", 0, None)
            got, problems = attachments.fetch_files(database, files, transport, meter.piece)
            _journal_fetched(journal, database, got, problems)
    except SyncError as error:
        if isinstance(error, DeviceWithdrawn):
            withdrawal.mark_withdrawn(database)
        journal.write("error", str(error), database.clock())
        _remember(database, str(error))
        raise
    still_parked = refusals.parked(database, store)
    _journal_parked(journal, database, still_parked)
    with database.reader() as uow:
        open_refusals = uow.refusals.count()
    summary = _summary(report, store.waiting(), sent_files, len(still_parked), open_refusals)
    if notice.available is not None:
        summary = dataclasses.replace(summary, message=summary.message + " " + _(
            "Hay una versión nueva de la aplicación ({version}); pida la actualización a "
            "soporte."
        ).format(version=notice.available))  # fmt: skip
    _journal_files(journal, database, sent_files)
    journal.write("fin", summary.message, database.clock())
    _remember(database, summary.message)
    return summary


def _summary(
    report: SyncReport, still_waiting: int, files: FilesSent, parked: int, refused: int
) -> SyncSummary:
    rejected = tuple(Rejection(r.kind, r.record_id, r.reason) for r in report.rejected)
    confirmed = report.applied + report.merged + report.conflicts
    complete = (
        report.ok
        and still_waiting == 0
        and not rejected
        and files.waiting == 0
        and not parked
        and not refused
    )
    if complete:
        message = _("Sincronizado: el servidor confirmó {sent}; {got}.").format(
            sent=n_("el cambio enviado", "los {n} cambios enviados", report.sent),
            got=n_("se recibió {n} registro", "se recibieron {n} registros", report.received),
        )
        if files.files:
            message = message[:-1] + _("; {n}.").format(
                n=n_("se envió {n} anexo", "se enviaron {n} anexos", files.files)
            )
    else:
        parts = []
        if files.waiting:
            parts.append(n_("{n} anexo por enviar", "{n} anexos por enviar", files.waiting))
        if still_waiting:
            parts.append(
                n_("{n} cambio aún sin confirmar", "{n} cambios aún sin confirmar", still_waiting)
            )
        if rejected or refused:
            parts.append(
                n_(
                    "{n} rechazado por el servidor (pestaña «Rechazos»)",
                    "{n} rechazados por el servidor (pestaña «Rechazos»)",
                    max(len(rejected), refused),
                )
            )
        if parked:
            parts.append(
                n_(
                    "{n} registro recibido aún no se pudo guardar en este equipo",
                    "{n} registros recibidos aún no se pudieron guardar en este equipo",
                    parked,
                )
            )
        if report.unresolved:
            parts.append(
                _("datos que no coinciden con el servidor: {kinds}").format(
                    kinds=", ".join(report.unresolved)
                )
            )
        message = _("Sincronización incompleta: {what}.").format(what="; ".join(parts))
    if report.open_conflicts:
        message += " " + n_(
            "{n} conflicto por revisar.", "{n} conflictos por revisar.", len(report.open_conflicts)
        )
    return SyncSummary(
        complete=complete,
        sent=report.sent,
        confirmed=confirmed,
        received=report.received,
        rejected=rejected,
        conflicts=len(report.open_conflicts),
        message=message,
    )


def _receive_publications(
    database: Database, journal: SyncJournal, source: PublicationSource, deliver: Deliver
) -> None:
    """New form definitions and the like: kept page by page, the cursor with each page."""
    with database.reader() as uow:
        cursor = int(uow.sync.value(PUBLISHED_CURSOR) or 0)

    def take(documents: Sequence[PublishedDocument]) -> None:
        for line in deliver(documents):
            journal.write("fichas", line, database.clock())
        with database.unit_of_work(record=False) as uow:
            uow.sync.set_value(PUBLISHED_CURSOR, str(documents[-1].seq))
            uow.commit()

    receive(source, cursor, take)


def _journal_fetched(
    journal: SyncJournal, database: Database, got: int, problems: tuple[str, ...]
) -> None:
    now = database.clock()
    if got:
        journal.write("anexos", _("Anexos recibidos de otros equipos: {n}.").format(n=got), now)
    for problem in problems:
        journal.write("error", _("Anexo no recibido: {why}").format(why=problem), now)


def _journal_files(journal: SyncJournal, database: Database, files: FilesSent) -> None:
    now = database.clock()
    if files.files or files.pieces or files.waiting:
        journal.write(
            "anexos",
            _("Anexos: {done} enviados completos ({pieces} partes), {left} por enviar.").format(
                done=files.files, pieces=files.pieces, left=files.waiting
            ),
            now,
        )
    for reason in files.refused:
        journal.write("rechazo", _("Anexo {reason}").format(reason=reason), now)


def _journal_report(
    journal: SyncJournal, database: Database, report: SyncReport, meter: _Meter
) -> None:
    now = database.clock()
    journal.write(
        "envío",
        _(
            "Enviados {sent} cambios: {applied} aplicados, {merged} combinados, "
            "{conflicts} con conflicto, {rejected} rechazados ({kb} kB enviados)."
        ).format(
            sent=report.sent,
            applied=report.applied,
            merged=report.merged,
            conflicts=report.conflicts,
            rejected=len(report.rejected),
            kb=decimal_text(meter.sent_bytes / 1000),
        ),
        now,
    )
    with database.reader() as uow:
        named = [(uow.names.name(r.kind, r.record_id), r.reason) for r in report.rejected]
    for name, reason in named:
        journal.write("rechazo", _("{record}: {reason}").format(record=name, reason=reason), now)
    journal.write(
        "recepción",
        _("Recibidos: {records} ({kb} kB).").format(
            records=n_("{n} registro", "{n} registros", report.received),
            kb=decimal_text(meter.received_bytes / 1000),
        ),
        now,
    )
    for conflict in report.open_conflicts:
        spec = KINDS.get(conflict.kind)
        with database.reader() as uow:
            name = uow.names.name(conflict.kind, conflict.record_id)
        journal.write(
            "conflicto",
            _("{record}, campo «{field}»: se conservó el valor de {kept}.").format(
                record=name,
                field=spec.field_label(conflict.field) if spec is not None else conflict.field,
                kept=conflict.kept_author,
            ),
            now,
        )


def _journal_parked(journal: SyncJournal, database: Database, parked: Sequence[ParkedView]) -> None:
    """Every record still waiting to be stored here, said again at each sync until it goes in."""
    now = database.clock()
    for waiting in parked:
        journal.write(
            "en espera",
            _("Recibido, aún sin guardar en este equipo: {record}: {reason}.").format(
                record=waiting.record, reason=waiting.reason
            ),
            now,
        )


def _remember(database: Database, result: str) -> None:
    with database.unit_of_work(record=False) as uow:
        uow.sync.set_value(LAST_SYNC, database.clock().isoformat())
        uow.sync.set_value(LAST_RESULT, result)
        uow.commit()
