"""Edit the instancia's own record: members, norms, sessions, instruments and its schedule.

Each function is one action of the specialist, one transaction, and returns the instancia's
page as it is now. Input is checked first (ValidationError names each field to fix) and
nothing is written when it is refused.
"""

import datetime as dt
import mimetypes
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from instancias_desktop.db.uow import Database, UnitOfWork
from instancias_desktop.domain.clock import peru_today
from instancias_desktop.domain.enums import AuditAction, InstanciaLevel, NormType
from instancias_desktop.domain.instancia_records import (
    InstrumentInput,
    MemberInput,
    MemberView,
    NormRecordInput,
    SessionInput,
    clean_instrument,
    clean_member,
    clean_norm,
    clean_schedule,
    clean_session,
    norm_types,
)
from instancias_desktop.domain.validation import Collector
from instancias_desktop.domain.visit_views import InstanciaDetail
from instancias_desktop.i18n import _
from instancias_desktop.services.attachments import store_file
from instancias_desktop.services.instancias import instancia_detail
from instancias_desktop.vault.annex_store import AnnexStore
from sync.kinds import RECORD_FILE
from sync.registry_kinds import unit_scope


def _level(uow: UnitOfWork, instancia_id: uuid.UUID) -> InstanciaLevel:
    return uow.registry.header(instancia_id).level


def issued_norms(uow: UnitOfWork, instancia_id: uuid.UUID) -> tuple[NormType, ...]:
    """The norms the instancia's government issues."""
    header = uow.registry.header(instancia_id)
    return norm_types(header.level, unit_scope(header.unit_code))


def save_member(
    database: Database, instancia_id: uuid.UUID, data: MemberInput, editing: uuid.UUID | None
) -> InstanciaDetail:
    """Add a representative to a seat, or correct one's data."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        types = uow.catalogue.member_entity_types(_level(uow, instancia_id))
        cleaned = clean_member(data, frozenset(t.code for t in types), today)
        uow.records.save_member(instancia_id, cleaned, editing)
        uow.commit()
    return instancia_detail(database, instancia_id)


def change_representative(
    database: Database, member_id: uuid.UUID, data: MemberInput, on: dt.date
) -> InstanciaDetail:
    """A new representative takes the seat on ``on``: the old tenure ends, history keeps it.

    The entity, its type and the seat are the former tenure's, whatever ``data`` says.
    """
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        instancia_id = uow.records.owner("member", member_id)
        types = uow.catalogue.member_entity_types(_level(uow, instancia_id))
        old = next(m for m in uow.records.members(instancia_id) if m.id == member_id)
        same_seat = replace(
            data, entity_type_code=old.entity_type_code, entity_name=old.entity_name,
            seat=old.seat, since=on, until=None,
        )  # fmt: skip
        _check_change(old, on)
        cleaned = clean_member(same_seat, frozenset(t.code for t in types), today)
        uow.records.end_tenure(member_id, on)
        uow.records.save_member(instancia_id, cleaned, None)
        uow.commit()
    return instancia_detail(database, instancia_id)


def _check_change(old: MemberView, on: dt.date) -> None:
    errors = Collector()
    if old.until is not None:
        errors.add(
            "since",
            _("{name} dejó el asiento el {day}: cambie a quien lo ocupa ahora.").format(
                name=old.person_name or _("Ese representante"), day=old.until.strftime("%d/%m/%Y")
            ),
        )
    elif old.since is not None and on <= old.since:
        errors.add(
            "since",
            _("El cambio debe ser posterior al {day}, desde cuando está {name}.").format(
                day=old.since.strftime("%d/%m/%Y"), name=old.person_name or _("el actual")
            ),
        )
    errors.raise_if_any()


def save_norm(
    database: Database, instancia_id: uuid.UUID, data: NormRecordInput, editing: uuid.UUID | None
) -> InstanciaDetail:
    """Record a norm of the instancia (its creation, amendment, repeal, reglamento)."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        cleaned = clean_norm(data, issued_norms(uow, instancia_id), today)
        uow.records.save_norm(instancia_id, cleaned, editing)
        uow.commit()
    return instancia_detail(database, instancia_id)


def save_session(
    database: Database, instancia_id: uuid.UUID, data: SessionInput, editing: uuid.UUID | None
) -> InstanciaDetail:
    """Record a session with who attended."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        members = {m.id: m for m in uow.records.members(instancia_id)}
        stored = [s for s in uow.records.sessions(instancia_id) if s.id == editing]
        marked = stored[0].attendee_ids if stored else frozenset()
        cleaned = clean_session(data, members, today, marked)
        uow.records.save_session(instancia_id, cleaned, editing)
        uow.commit()
    return instancia_detail(database, instancia_id)


def save_instrument(
    database: Database, instancia_id: uuid.UUID, data: InstrumentInput, editing: uuid.UUID | None
) -> InstanciaDetail:
    """Record a reglamento interno, a plan or a report."""
    today = peru_today(database.clock())
    with database.unit_of_work() as uow:
        norms = frozenset(n.id for n in uow.records.norms(instancia_id))
        cleaned = clean_instrument(data, norms, today)
        uow.records.save_instrument(instancia_id, cleaned, editing)
        uow.commit()
    return instancia_detail(database, instancia_id)


def set_schedule(
    database: Database, instancia_id: uuid.UUID, dates: Mapping[str, dt.date | None]
) -> InstanciaDetail:
    """Set the agreed dates of the ordinance, the installation and the first session."""
    cleaned = clean_schedule(dates)
    with database.unit_of_work() as uow:
        if uow.records.set_schedule(instancia_id, cleaned):
            uow.commit()
    return instancia_detail(database, instancia_id)


def remove_record(database: Database, what: str, record_id: uuid.UUID) -> InstanciaDetail:
    """Remove a member, norm, session or instrument typed by mistake (on every laptop)."""
    with database.unit_of_work() as uow:
        instancia_id = uow.records.owner(what, record_id)
        uow.records.remove(what, record_id)
        uow.commit()
    return instancia_detail(database, instancia_id)


def attach_record_file(  # noqa: PLR0917 (one call site, the services facade)
    database: Database,
    store: AnnexStore,
    limit_bytes: int,
    what: str,
    record_id: uuid.UUID,
    source: Path,
) -> InstanciaDetail:
    """Seal a file from disk and link it to a norm, a session (its acta) or an instrument."""
    with database.reader() as uow:  # refuse early, before copying a large file
        uow.records.owner(what, record_id)
    sha256, size = store_file(store, source, limit_bytes)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    with database.unit_of_work() as uow:
        instancia_id = uow.records.owner(what, record_id)
        uow.records.add_file(instancia_id, what, record_id,
                             (source.name[:255], sha256, size, media_type))  # fmt: skip
        uow.commit()
    return instancia_detail(database, instancia_id)


def remove_record_file(database: Database, file_id: uuid.UUID) -> InstanciaDetail:
    """Withdraw a file linked by mistake."""
    with database.unit_of_work() as uow:
        instancia_id = uow.records.remove_file(file_id)
        uow.audit.note(AuditAction.DELETED, RECORD_FILE.name, file_id)
        uow.commit()
    return instancia_detail(database, instancia_id)
