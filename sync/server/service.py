"""The sync service, independent of HTTP: push (with merge), pull, digest and conflicts.

Every function works inside the caller's transaction (``session``); the HTTP app and an
in-process transport both open one transaction per request and call these.
"""

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from sync.protocol import (
    Action,
    ConflictRecord,
    Operation,
    Outcome,
    PushRequest,
    PushResponse,
    Receipt,
)
from sync.server.access import Caller, Role, write_refusal
from sync.server.db import serialize_changes
from sync.server.merge import DELETED_FIELD, MergeResult, apply_fields, merge_fields
from sync.server.records import (
    ConflictNotFoundError,
    MissingBaseError,
    bump,
    digest,
    history_since,
    keep_conflicts,
    keep_version,
    last_author,
    made_by,
    new_conflict,
    next_seq,
    open_conflicts,
    pull,
    resolve_conflict,
    seen_by,
)
from sync.server.store import OperationLog, Quarantine, Record

__all__ = [
    "Caller",
    "ConflictNotFoundError",
    "Role",
    "digest",
    "hash_operation",
    "open_conflicts",
    "pull",
    "push",
    "resolve_conflict",
]

FINALIZED_KIND = "visit"
FINALIZED_STATUS = "finalizada"


class _RefusalError(Exception):
    """An operation that cannot be applied; its savepoint is rolled back."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def push(session: Session, caller: Caller, request: PushRequest, now: dt.datetime) -> PushResponse:
    """Apply a batch in order, one savepoint per operation; one receipt per operation.

    Serializes with every other push first (see ``db.serialize_changes``), so ``seq`` order is
    commit order. Invalid operations are rejected with a Spanish reason and quarantined.
    """
    serialize_changes(session)
    receipts = tuple(_push_one(session, caller, operation, now) for operation in request.operations)
    return PushResponse(receipts=receipts)


def hash_operation(operation: Operation) -> str:
    """SHA-256 (hex) of the operation's canonical JSON: what makes a replay "the same"."""
    canonical = json.dumps(
        operation.model_dump(mode="json"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _push_one(session: Session, caller: Caller, operation: Operation, now: dt.datetime) -> Receipt:
    """Answer one operation: the stored receipt of a replay, or apply it in a savepoint."""
    try:
        json.dumps(operation.fields, allow_nan=False, default=str)  # NaN would become null
        content_hash = hash_operation(operation)
    except ValueError:
        return _reject(
            session,
            caller,
            operation,
            now,
            "La operación contiene valores que no se pueden guardar (NaN, infinito o texto "
            "Unicode no válido). Corrija el dato en el equipo y vuelva a sincronizar.",
            log_hash=None,
        )
    logged = session.get(OperationLog, operation.op_id)
    if logged is not None:
        if logged.content_hash == content_hash and logged.username == caller.username:
            return Receipt.model_validate(logged.receipt)
        return _reject(
            session,
            caller,
            operation,
            now,
            f"El identificador de operación {operation.op_id} ya fue reutilizado con otro "
            "contenido. El equipo debe generar un identificador nuevo; exporte el diario de "
            "sincronización y comuníquese con soporte.",
            log_hash=None,
        )
    try:
        with session.begin_nested():
            receipt = _apply(session, caller, operation, now)
    except _RefusalError as refusal:
        return _reject(session, caller, operation, now, refusal.reason, log_hash=content_hash)
    _log(session, caller, operation, receipt, content_hash=content_hash, now=now)
    return receipt


def _reject(
    session: Session,
    caller: Caller,
    operation: Operation,
    now: dt.datetime,
    reason: str,
    *,
    log_hash: str | None,
) -> Receipt:
    """Quarantine the operation; with a hash, its receipt is kept for replays too."""
    receipt = Receipt(op_id=operation.op_id, outcome=Outcome.REJECTED, reason=reason)
    try:
        text = json.dumps(operation.model_dump(mode="json"), allow_nan=False, ensure_ascii=False)
        verbatim = json.loads(text.encode().decode())
    except ValueError:  # NaN or lone surrogates: no database keeps them
        verbatim = {"op_id": str(operation.op_id), "kind": operation.kind}
    session.add(
        Quarantine(
            op_id=operation.op_id,
            username=caller.username,
            device_id=caller.device_id,
            operation=verbatim,
            reason=reason,
            received_at=now,
        )
    )
    if log_hash is not None:
        _log(session, caller, operation, receipt, content_hash=log_hash, now=now)
    session.flush()
    return receipt


def _log(
    session: Session,
    caller: Caller,
    operation: Operation,
    receipt: Receipt,
    *,
    content_hash: str,
    now: dt.datetime,
) -> None:
    session.add(
        OperationLog(
            op_id=operation.op_id,
            device_id=caller.device_id,
            username=caller.username,
            content_hash=content_hash,
            receipt=receipt.model_dump(mode="json"),
            received_at=now,
        )
    )
    session.flush()


# Kinds whose ids derive from what they are (a visit's checklist, its answer to one item): two
# laptops create the same record, and their creates meet as a merge, never as a duplicate.
DERIVED_ID_KINDS = frozenset({"checklist", "checklist_response"})


def _apply(session: Session, caller: Caller, operation: Operation, now: dt.datetime) -> Receipt:
    """Check and apply one operation; raise ``_RefusalError`` to leave everything untouched."""
    record = session.get(Record, (operation.kind, operation.record_id))
    refusal = write_refusal(caller, record, operation.kind, operation.scope)
    if refusal is not None:
        raise _RefusalError(refusal)
    _refuse_if_finalized(session, operation, record)
    if operation.action is Action.CREATE:
        if record is not None and operation.kind in DERIVED_ID_KINDS and not record.deleted:
            return _meet(session, caller, operation, record, now)
        if record is not None:
            raise _RefusalError(
                f"Ya existe un registro «{operation.kind}» con el identificador "
                f"{operation.record_id}: no se puede crear de nuevo. Sincronice para recibirlo."
            )
        return _create(session, caller, operation, now)
    if record is None:
        raise _RefusalError(
            f"El registro «{operation.kind}» {operation.record_id} no existe en el servidor: "
            "no se puede modificar ni eliminar. Sincronice para actualizar su equipo."
        )
    if operation.base_version is None:
        raise _RefusalError(
            "La operación no indica la versión sobre la que se hizo el cambio. "
            "Actualice la aplicación y vuelva a sincronizar."
        )
    if operation.base_version > record.version:
        raise _RefusalError(
            f"La versión base {operation.base_version} es más nueva que la del servidor "
            f"({record.version}). Sincronice para recibir la versión vigente."
        )
    if operation.action is Action.DELETE:
        return _delete(session, caller, operation, record, now)
    return _update(session, caller, operation, record, now)


def _refuse_if_finalized(session: Session, operation: Operation, record: Record | None) -> None:
    """A finalized visit, and everything hanging from it, accepts no further change."""
    if record is not None and record.kind == FINALIZED_KIND and _is_finalized(record):
        raise _RefusalError(_finalized_reason(record.record_id))
    parents = {operation.parent_id, record.parent_id if record is not None else None}
    for parent_id in sorted(p for p in parents if p is not None):
        parent = session.get(Record, (FINALIZED_KIND, parent_id))
        if parent is not None and _is_finalized(parent):
            raise _RefusalError(_finalized_reason(parent_id))


def _is_finalized(record: Record) -> bool:
    return record.fields.get("status") == FINALIZED_STATUS


def _finalized_reason(visit_id: uuid.UUID) -> str:
    return (
        f"La visita {visit_id} está finalizada: su acta es inmutable y no admite cambios. "
        "Para corregirla, cree una adenda."
    )


def _create(session: Session, caller: Caller, operation: Operation, now: dt.datetime) -> Receipt:
    record = Record(
        kind=operation.kind,
        record_id=operation.record_id,
        version=1,
        fields=_json_fields(operation),
        deleted=False,
        scope=operation.scope,
        parent_id=operation.parent_id,
        owner=caller.username,
        updated_by=caller.username,
        seq=next_seq(session),
        updated_at=now,
    )
    session.add(record)
    keep_version(session, record, now, caller.device_id)
    return Receipt(op_id=operation.op_id, outcome=Outcome.APPLIED, version=1)


def _meet(
    session: Session, caller: Caller, operation: Operation, record: Record, now: dt.datetime
) -> Receipt:
    """Two devices created the same record (its id derives from what it is): merge them.

    They share no base: equal fields need nothing, a field only one of them has is taken, and
    a field both set differently keeps the server's value with the other in a conflict record.
    """
    result = merge_fields({}, record.fields, _json_fields(operation))
    conflicts = [
        new_conflict(
            operation,
            found.field,
            (found.base_value, found.kept_value, found.other_value),
            kept_author=record.updated_by,
            other_author=caller.username,
        )
        for found in result.conflicts
    ]
    if result.changes_anything:
        record.fields = {**record.fields, **result.applied}
        bump(session, caller, record, now)
    keep_conflicts(session, conflicts, now)
    outcome = Outcome.CONFLICT if conflicts else Outcome.MERGED
    return Receipt(
        op_id=operation.op_id, outcome=outcome, version=record.version, conflicts=tuple(conflicts)
    )


def _update(
    session: Session, caller: Caller, operation: Operation, record: Record, now: dt.datetime
) -> Receipt:
    """Apply on the current version, or merge three-way against the base version."""
    incoming = _json_fields(operation)
    conflicts: list[ConflictRecord] = []
    revive = False
    if operation.base_version == record.version:
        # Made on the tombstone itself: only an explicit revival («deleted»: false) by a writer
        # of the record brings it back (an answer cleared, then given again).
        if record.deleted and incoming.get("deleted") is not False:
            raise _RefusalError(
                "El registro fue eliminado: no se puede modificar. "
                "Sincronice para actualizar su equipo."
            )
        result: MergeResult = apply_fields(record.fields, incoming)
        revive = record.deleted
        outcome = Outcome.APPLIED
    else:
        assert operation.base_version is not None
        try:
            history = history_since(session, record, operation.base_version)
        except MissingBaseError as error:
            raise _RefusalError(
                f"El servidor no conserva la versión base {operation.base_version} de este "
                "registro. Sincronice para recibir la versión vigente y repita el cambio."
            ) from error
        known, others = seen_by(history, caller)
        own_tombstone = record.deleted and made_by(history[-1], caller)
        if own_tombstone and incoming.get("deleted") is not False:
            raise _RefusalError(
                "El registro fue eliminado: no se puede modificar. "
                "Sincronice para actualizar su equipo."
            )
        result = merge_fields(known, record.fields, incoming)
        for found in result.conflicts:
            conflicts.append(
                new_conflict(
                    operation,
                    found.field,
                    (found.base_value, found.kept_value, found.other_value),
                    kept_author=last_author(history, found.field),
                    other_author=caller.username,
                )
            )
        revive = record.deleted  # the edit beats the concurrent delete, flagged
        if revive and not own_tombstone:
            conflicts.append(
                new_conflict(
                    operation,
                    DELETED_FIELD,
                    (False, False, True),
                    kept_author=caller.username,
                    other_author=record.updated_by,
                    other_made_at=history[-1].created_at,
                )
            )
        # Only the device's own earlier versions came between: as if made on the current one.
        outcome = Outcome.CONFLICT if conflicts else Outcome.MERGED if others else Outcome.APPLIED
    if result.changes_anything or revive:
        record.fields = {**record.fields, **result.applied}
        record.deleted = False
        bump(session, caller, record, now)
    keep_conflicts(session, conflicts, now)
    return Receipt(
        op_id=operation.op_id, outcome=outcome, version=record.version, conflicts=tuple(conflicts)
    )


def _delete(
    session: Session, caller: Caller, operation: Operation, record: Record, now: dt.datetime
) -> Receipt:
    """A tombstone on the current version; on an older one the edit wins and it is flagged."""
    stale = operation.base_version != record.version
    if stale and operation.base_version is not None and operation.base_version < record.version:
        try:  # versions the device made itself since its base do not make it stale
            _known, others = seen_by(history_since(session, record, operation.base_version), caller)
            stale = others > 0
        except MissingBaseError:
            pass
    if record.deleted:  # deleted meanwhile by someone else too: nothing to do, nothing lost
        outcome = Outcome.MERGED if stale else Outcome.APPLIED
        return Receipt(op_id=operation.op_id, outcome=outcome, version=record.version)
    if stale:
        flagged = new_conflict(
            operation,
            DELETED_FIELD,
            (False, False, True),
            kept_author=record.updated_by,
            other_author=caller.username,
        )
        keep_conflicts(session, [flagged], now)
        return Receipt(
            op_id=operation.op_id,
            outcome=Outcome.CONFLICT,
            version=record.version,
            conflicts=(flagged,),
        )
    record.deleted = True
    bump(session, caller, record, now)
    return Receipt(op_id=operation.op_id, outcome=Outcome.APPLIED, version=record.version)


def _json_fields(operation: Operation) -> dict[str, Any]:
    """The operation's fields as plain JSON values (what the database stores)."""
    fields: dict[str, Any] = operation.model_dump(mode="json", include={"fields"})["fields"]
    return fields
