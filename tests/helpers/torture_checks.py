"""What must hold once the torture is over and every laptop synced in quiet.

- every laptop equals the server's view of its scope, field by field (and version by version,
  through the digests); what it holds beyond is only what the server refused, listed to her,
  or an instancia of its catalogue nobody edited;
- nothing she typed is lost: her last value of every field she typed is on the server, in a
  version it kept, in a conflict, or in her list of refused changes;
- every change the server refused is listed on the laptop that sent it; every open conflict on
  the laptops of its author; nothing waits unstored (parked); «Sincronizado» only when true;
- every SQLite file passes ``integrity_check``.
"""

import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from helpers.torture import Laptop, Torture
from instancias_desktop.db.base import Base
from instancias_desktop.db.models.sync import OutboxRow
from instancias_desktop.db.outbox import REFUSED, declared_fields
from instancias_desktop.syncing import account
from instancias_desktop.syncing.store import DatabaseStore
from sync.kind_schema import DELETED
from sync.kinds import KINDS
from sync.protocol import DigestRequest, Outcome, Receipt
from sync.server import service
from sync.server.access import load_caller, visible_to
from sync.server.db import create_server_engine
from sync.server.store import Conflict, OperationLog, Quarantine, Record, RecordVersion

Key = tuple[str, uuid.UUID]


def problems(torture: Torture) -> list[str]:
    """Everything that does not hold (empty: all is well)."""
    engine = create_server_engine(torture.central.database_url)
    try:
        with Session(engine) as session:
            found: list[str] = []
            for laptop in torture.laptops:
                found += _converged(session, laptop)
                found += _told(session, laptop)
                found += _intact(laptop)
            found += _nothing_lost(session, torture)
            found += _no_lost_updates(session, torture)
            if engine.dialect.name == "sqlite":
                found += _integrity("servidor", session.execute(text("PRAGMA integrity_check")))
    finally:
        engine.dispose()
    return found


def _models() -> dict[str, type[Base]]:
    return {
        str(mapper.local_table.name): mapper.class_
        for mapper in Base.registry.mappers
        if str(mapper.local_table.name) in KINDS
    }


def _local(laptop: Laptop) -> dict[Key, dict[str, Any]]:
    """The laptop's synced rows, as the fields it would send."""
    held: dict[Key, dict[str, Any]] = {}
    with Session(laptop.services.database.engine) as session:
        for kind, model in _models().items():
            for row in session.scalars(select(model)):
                held[(kind, row.id)] = declared_fields(row)  # type: ignore[attr-defined]
    return held


def _refused(laptop: Laptop) -> list[tuple[str, uuid.UUID, dict[str, Any]]]:
    """The changes of this laptop the server refused: kind, record id, fields."""
    return [(kind, record_id, fields) for kind, record_id, _base, fields, state in
            _outbox(laptop) if state == REFUSED]  # fmt: skip


def _outbox(laptop: Laptop) -> list[tuple[str, uuid.UUID, int | None, dict[str, Any], str]]:
    """Every change this laptop recorded: kind, record id, base version, fields, state."""
    with Session(laptop.services.database.engine) as session:
        rows = session.execute(
            select(
                OutboxRow.kind, OutboxRow.record_id, OutboxRow.base_version, OutboxRow.fields,
                OutboxRow.state, OutboxRow.op_id,
            ).order_by(OutboxRow.seq)
        )  # fmt: skip
        return [(k, r, b, json.loads(f), st) for k, r, b, f, st, _op in rows]


def _updates(laptop: Laptop) -> list[tuple[uuid.UUID, str, uuid.UUID, int, dict[str, Any]]]:
    """The updates this laptop sent: op id, kind, record id, base version, fields."""
    with Session(laptop.services.database.engine) as session:
        rows = session.execute(
            select(
                OutboxRow.op_id, OutboxRow.kind, OutboxRow.record_id, OutboxRow.base_version,
                OutboxRow.fields,
            ).where(OutboxRow.base_version.is_not(None))
        )  # fmt: skip
        return [(op, k, r, b, json.loads(f)) for op, k, r, b, f in rows]


def _same(local: dict[str, Any], server: dict[str, Any]) -> list[str]:
    names = (set(local) | set(server)) - {DELETED}
    return sorted(name for name in names if local.get(name) != server.get(name))


def _converged(session: Session, laptop: Laptop) -> list[str]:
    caller = load_caller(session, laptop.username)
    visible = {(r.kind, r.record_id): r for r in session.scalars(select(Record).where(
        visible_to(caller)))}  # fmt: skip
    local = _local(laptop)
    refused = {(kind, record_id) for kind, record_id, _fields in _refused(laptop)}
    found = []
    for key, record in visible.items():
        mine = local.get(key)
        if mine is None:
            if not record.deleted:
                found.append(f"{laptop.name}: falta {key} que el servidor tiene")
            continue
        if bool(mine.get(DELETED)) != record.deleted:
            found.append(f"{laptop.name}: {key} borrado={mine.get(DELETED)} y en el servidor "
                         f"{record.deleted}")  # fmt: skip
        elif not record.deleted and (differ := _same(mine, record.fields)):
            found.append(f"{laptop.name}: {key} difiere en {differ}: "
                         f"{[(mine.get(n), record.fields.get(n)) for n in differ]}")  # fmt: skip
    for key, mine in local.items():
        if key in visible or key in refused:
            continue
        untouched = key[0] == "instancia" and not any(
            value for name, value in mine.items() if name not in {"unit_code", DELETED}
        )
        if not untouched and not mine.get(DELETED):
            found.append(f"{laptop.name}: tiene {key} que el servidor no tiene ni rechazó")
    theirs = service.digest(session, caller, DigestRequest()).digests
    mine_digests = DatabaseStore(laptop.services.database).digests(d.kind for d in theirs)
    for digest in theirs:
        if mine_digests[digest.kind] != digest:
            found.append(f"{laptop.name}: versiones de {digest.kind} distintas del servidor")
    return found


def _told(session: Session, laptop: Laptop) -> list[str]:
    """Refusals and conflicts listed to her; nothing parked; the state line true."""
    enrolled = account.enrolment_of(laptop.services.database)
    assert enrolled is not None
    device_id = enrolled[0].device_id
    quarantined = set(
        session.scalars(select(Quarantine.op_id).where(Quarantine.device_id == device_id))
    )
    listed = {r.op_id for r in laptop.services.refusals()}
    found = [f"{laptop.name}: rechazo {op} no listado" for op in sorted(quarantined - listed)]
    found += [f"{laptop.name}: lista {op} que el servidor no rechazó"
              for op in sorted(listed - quarantined)]  # fmt: skip
    open_ids = set(
        session.scalars(
            select(Conflict.conflict_id).where(
                Conflict.other_author == laptop.username, Conflict.resolved.is_(False)
            )
        )
    )
    shown = {c.conflict_id for c in laptop.services.open_conflicts()}
    if shown != open_ids:
        found.append(f"{laptop.name}: conflictos {len(shown)} mostrados, {len(open_ids)} abiertos")
    parked = laptop.services.received_not_stored()
    found += [f"{laptop.name}: sin guardar: {p.record}: {p.reason}" for p in parked]
    status = laptop.services.sync_status()
    if status.pending:
        found.append(f"{laptop.name}: {status.pending} cambios aún sin enviar")
    if status.synchronized != (not listed and not parked and not status.pending):
        found.append(f"{laptop.name}: «Sincronizado»={status.synchronized} no es cierto")
    return found


def _intact(laptop: Laptop) -> list[str]:
    with laptop.services.database.engine.connect() as connection:
        return _integrity(laptop.name, connection.execute(text("PRAGMA integrity_check")))


def _integrity(name: str, result: Iterable[Any]) -> list[str]:
    lines = [str(row[0]) for row in result]
    return [] if lines == ["ok"] else [f"{name}: integrity_check: {lines[:5]}"]


def _nothing_lost(session: Session, torture: Torture) -> list[str]:
    """Her last value of every field she typed went somewhere she or the server shows."""
    refused = {
        laptop.name: {(k, r, f, json.dumps(v)) for k, r, fields in _refused(laptop)
                      for f, v in fields.items()}
        for laptop in torture.laptops
    }  # fmt: skip
    found = []
    for (name, kind, record_id, field), value in torture.ledger.items():
        if (kind, record_id, field, json.dumps(value)) in refused[name]:
            continue  # listed to her as refused, with what she typed
        if _kept(session, kind, record_id, field, value):
            continue
        record = session.get(Record, (kind, record_id))
        now = None if record is None else record.fields.get(field)
        found.append(f"perdido: {name} escribió {value!r} en {kind}.{field} {record_id}; "
                     f"el servidor tiene {now!r}")  # fmt: skip
    return found


def _kept(session: Session, kind: str, record_id: uuid.UUID, field: str, value: str) -> bool:
    record = session.get(Record, (kind, record_id))
    if record is not None and record.fields.get(field) == value:
        return True
    versions = session.scalars(
        select(RecordVersion.fields).where(
            RecordVersion.kind == kind, RecordVersion.record_id == record_id
        )
    )
    if any(fields.get(field) == value for fields in versions):
        return True
    conflicts = session.scalars(
        select(Conflict).where(
            Conflict.kind == kind, Conflict.record_id == record_id, Conflict.field == field
        )
    )
    return any(value in (c.kept_value, c.other_value) for c in conflicts)


Versions = dict[int, tuple[dict[str, Any], uuid.UUID | None]]  # number: fields, device


def _no_lost_updates(session: Session, torture: Torture) -> list[str]:
    """No update made on an older version silently replaced a change its device had not seen.

    For each update the server accepted and each typed field it did not set aside: its value
    is in the version the receipt names, and the value the device knew (its base, plus what it
    made itself since) was still the value just before; else the server had to keep the other
    one and set this one aside in a conflict (a three-way merge, field by field).
    """
    receipts = {op_id: Receipt.model_validate(stored) for op_id, stored in
                session.execute(select(OperationLog.op_id, OperationLog.receipt))}  # fmt: skip
    history: dict[Key, Versions] = {}
    for table in (RecordVersion, Record):
        for kind, record_id, number, fields, device in session.execute(
            select(table.kind, table.record_id, table.version, table.fields, table.device_id)
        ):
            history.setdefault((kind, record_id), {})[number] = (fields, device)
    typed = {(kind, field) for _laptop, kind, _id, field in torture.ledger}
    found = []
    for laptop in torture.laptops:
        enrolled = account.enrolment_of(laptop.services.database)
        assert enrolled is not None
        device = enrolled[0].device_id
        for op_id, kind, record_id, base, fields in _updates(laptop):
            receipt = receipts.get(op_id)
            if receipt is None or receipt.outcome is Outcome.REJECTED:
                continue
            versions = history[(kind, record_id)]
            set_aside = {conflict.field for conflict in receipt.conflicts}
            assert receipt.version is not None
            for field, value in fields.items():
                if (kind, field) not in typed or field in set_aside:
                    continue
                found += overwrote(laptop.name, device, versions, base, receipt.version,
                                    (kind, record_id, field, value))  # fmt: skip
    return found


def overwrote(
    name: str,
    device: uuid.UUID,
    versions: Versions,
    base: int,
    made: int,
    change: tuple[str, uuid.UUID, str, Any],
) -> list[str]:
    """What is wrong with a change the server accepted: missing from the version its receipt
    names, or made on ``base`` over a change its device had not seen (empty: nothing)."""
    kind, record_id, field, value = change
    if versions[made][0].get(field) != value:
        return [f"{name}: su cambio de {kind}.{field} {record_id} fue aceptado pero la versión "
                f"{made} no lo tiene"]  # fmt: skip
    known = versions[base][0].get(field)
    for number in range(base + 1, made):
        fields, author = versions[number]
        if author == device and fields.get(field) != versions[number - 1][0].get(field):
            known = fields.get(field)  # what this device made itself, it had seen
    before = versions[made - 1][0].get(field)
    if before != known and value != before:
        return [f"{name}: su cambio de {kind}.{field} {record_id} (hecho sobre la versión {base}) "
                f"reemplazó {before!r} sin verlo y sin conflicto"]  # fmt: skip
    return []
