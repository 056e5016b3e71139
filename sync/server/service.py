"""The sync service, independent of HTTP: push (with merge), pull, digest and conflicts.

Every function works inside the caller's transaction (``session``); the HTTP app and an
in-process transport both open one transaction per request and call these.
"""

import datetime as dt
import functools
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from sync import kinds
from sync.kind_schema import DELETED, Kind
from sync.kinds import ALIAS_FIELD, PERSON
from sync.protocol import (
    Action,
    ConflictRecord,
    Operation,
    Outcome,
    PushRequest,
    PushResponse,
    Receipt,
)
from sync.server import guard
from sync.server.access import Caller, Role
from sync.server.batch import Batch, MissingBaseError, Row
from sync.server.db import serialize_changes
from sync.server.merge import (
    DELETED_FIELD,
    MISSING,
    MergeResult,
    apply_fields,
    merge_fields,
    same_value,
)
from sync.server.people import admit_person
from sync.server.records import (
    ConflictNotFoundError,
    digest,
    fetch,
    last_change,
    made_by,
    new_conflict,
    open_conflicts,
    pull,
    resolve_conflict,
    seen_by,
)
from sync.server.store import JsonText

__all__ = [
    "Caller",
    "ConflictNotFoundError",
    "Role",
    "digest",
    "fetch",
    "hash_operation",
    "open_conflicts",
    "pull",
    "push",
    "resolve_conflict",
]

_RefusalError = guard.RefusalError


def push(session: Session, caller: Caller, request: PushRequest, now: dt.datetime) -> PushResponse:
    """Apply a batch in order; one receipt per operation, in that order (without ``op_id``).

    Serializes with every other push first (see ``db.serialize_changes``), so ``seq`` order is
    commit order. The batch is read in a few queries, decided in memory and written in bulk
    (``batch.Batch``): an operation is refused before it changes anything, so a refusal leaves
    no trace but its quarantine entry. Invalid operations are rejected with a Spanish reason.
    """
    serialize_changes(session)
    batch = Batch.read(session, request.operations, now)
    receipts = tuple(_push_one(batch, caller, operation) for operation in request.operations)
    batch.write()
    return PushResponse(receipts=receipts)


def hash_operation(operation: Operation) -> str:
    """SHA-256 (hex) of the operation's canonical form: what makes a replay "the same".

    The canonical form is its scalar parts and its fields as JSON with sorted keys. Raises
    ``ValueError`` for what JSON cannot hold (NaN, infinity, lone surrogates).
    """
    return _canonical(operation)[0]


def _canonical(operation: Operation) -> tuple[str, JsonText | None]:
    """The operation's hash, and its fields as JSON if they hold JSON values only.

    Fields parsed from a request always do: the text hashed is then the text stored.
    """
    foreign: list[object] = []

    def stringify(value: object) -> str:
        foreign.append(value)
        return str(value)

    fields = json.dumps(
        operation.fields,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=stringify,
    )
    parent = operation.parent_id.hex if operation.parent_id is not None else ""
    head = (
        f"{operation.op_id.hex}\x1f{operation.kind}\x1f{operation.record_id.hex}\x1f"
        f"{operation.action.value}\x1f{operation.base_version}\x1f{operation.scope}\x1f"
        f"{parent}\x1f{operation.made_at.isoformat()}\x1e"
    )
    digest = hashlib.sha256(f"{head}{fields}".encode()).hexdigest()
    return digest, None if foreign else JsonText(fields)


def _push_one(batch: Batch, caller: Caller, operation: Operation) -> Receipt:
    """Answer one operation: the stored receipt of a replay, or decide it."""
    try:
        content_hash, fields_json = _canonical(operation)
    except ValueError:
        return _reject(
            batch,
            caller,
            operation,
            "La operación contiene valores que no se pueden guardar (NaN, infinito o texto "
            "Unicode no válido). Corrija el dato en el equipo y vuelva a sincronizar.",
            log_hash=None,
        )
    logged = batch.logged.get(operation.op_id)
    if logged is not None:
        if logged.content_hash == content_hash and logged.username == caller.username:
            return logged.receipt
        return _reject(
            batch,
            caller,
            operation,
            f"El identificador de operación {operation.op_id} ya fue reutilizado con otro "
            "contenido. El equipo debe generar un identificador nuevo; exporte el diario de "
            "sincronización y comuníquese con soporte.",
            log_hash=None,
        )
    try:
        receipt = _apply(batch, caller, operation, fields_json)
    except _RefusalError as refusal:
        return _reject(batch, caller, operation, refusal.reason, log_hash=content_hash)
    batch.answered(operation, caller, receipt, content_hash)
    return receipt


def _reject(
    batch: Batch, caller: Caller, operation: Operation, reason: str, *, log_hash: str | None
) -> Receipt:
    """Quarantine the operation; with a hash, its receipt is kept for replays too."""
    receipt = Receipt(outcome=Outcome.REJECTED, reason=reason)
    try:
        text = json.dumps(operation.model_dump(mode="json"), allow_nan=False, ensure_ascii=False)
        verbatim = json.loads(text.encode().decode())
    except ValueError:  # NaN or lone surrogates: no database keeps them
        verbatim = {"op_id": str(operation.op_id), "kind": operation.kind}
    batch.quarantined(verbatim, operation.op_id, caller, reason)
    if log_hash is not None:
        batch.answered(operation, caller, receipt, log_hash)
    return receipt


def _apply(
    batch: Batch, caller: Caller, operation: Operation, fields_json: JsonText | None
) -> Receipt:
    """Check and apply one operation; raise ``RefusalError`` before changing anything.

    ``fields_json``: the fields as JSON, when they hold JSON values only (stored as they are).
    """
    spec = kinds.kind_of(operation.kind)
    if spec is None:
        raise guard.unknown_kind(operation.kind)
    guard.check_made_at(operation)
    record = batch.row(operation.kind, operation.record_id)
    incoming = dict(operation.fields) if fields_json is not None else _json_fields(operation)
    if operation.action is Action.CREATE:
        if record is not None and spec.derive_id is not None:
            guard.check_create(batch, caller, spec, operation, incoming)
            return _meet(batch, caller, operation, record=record, incoming=incoming)
        if record is not None:
            raise _RefusalError(
                f"{spec.label}: ya existe en el servidor un registro con el identificador "
                f"{operation.record_id}; no se puede crear de nuevo. Sincronice para recibirlo."
            )
        return _create(batch, caller, spec, operation, incoming=incoming, fields_json=fields_json)
    if record is None:
        raise _RefusalError(
            f"{spec.label}: no existe en el servidor (quizá su creación fue rechazada): no se "
            "puede modificar ni eliminar. Sincronice para actualizar su equipo."
        )
    guard.check_reach(batch, caller, record)  # before saying anything about it
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
    checked = guard.check_change(batch, caller, spec, operation, record=record, fields=incoming)
    if operation.action is Action.DELETE:
        return _delete(batch, caller, operation, record)
    receipt = _update(batch, caller, operation, record, incoming)
    _reach(batch, record, checked.references)
    return receipt


def _create(
    batch: Batch,
    caller: Caller,
    spec: Kind,
    operation: Operation,
    *,
    incoming: dict[str, Any],
    fields_json: JsonText | None,
) -> Receipt:
    """A new record: checked, its unique values claimed, a person perhaps an alias."""
    checked = guard.check_create(batch, caller, spec, operation, incoming)
    _claim(batch, spec, operation.record_id, incoming)
    outcome = Outcome.APPLIED
    if spec.name == PERSON.name:
        outcome = admit_person(batch, caller, operation.record_id, incoming)
        if outcome is Outcome.MERGED:
            fields_json = None  # an alias gets a field the device did not send
    created = batch.create(operation, incoming, caller, fields_json)
    named = dict(checked.references)
    holder = incoming.get(ALIAS_FIELD)
    if outcome is Outcome.MERGED and isinstance(holder, str):  # aliased: reach the holder
        found = batch.row(PERSON.name, uuid.UUID(holder))
        if found is not None:
            named[ALIAS_FIELD] = found
    _reach(batch, created, named)
    if spec.file_field is not None:  # who reads this record may read its file
        batch.files.append((incoming[spec.file_field], spec.name, operation.record_id))
    return _receipt(outcome, 1)


def _claim(batch: Batch, spec: Kind, record_id: uuid.UUID, fields: dict[str, Any]) -> None:
    """Hold the record's unique values (an acta number), or refuse: another record has one."""
    for name in spec.unique_fields:
        key = (spec.name, name, str(fields[name]))
        holder = batch.claims.holder(key)
        if holder is not None and holder != record_id:
            raise _RefusalError(
                f"{spec.label}: «{spec.field_label(name)}» {fields[name]} ya pertenece a otro "
                "registro en el servidor. Revise la serie de numeración de este equipo y "
                "comuníquese con su supervisor."
            )
        batch.claims.claim(key, record_id)


def _reach(batch: Batch, record: Row, named: Mapping[str, Row]) -> None:
    """What a record names becomes readable in its territory, and is sent again there.

    A person reached brings the person it is another record of (``alias_of``): a laptop that
    receives one must be able to receive the other.
    """
    waiting = list(named.values())
    seen: set[tuple[str, int]] = set()
    while waiting:
        target = waiting.pop()
        if (target.kind, target.record_id.int) in seen:
            continue
        seen.add((target.kind, target.record_id.int))
        if not target.scope.startswith(record.scope) and batch.reaches.add(
            target.kind, target.record_id, record.scope
        ):
            batch.touch(target)
        alias = target.fields.get(ALIAS_FIELD) if target.kind == PERSON.name else None
        if isinstance(alias, str):
            try:
                holder = batch.row(PERSON.name, uuid.UUID(alias))
            except ValueError:
                holder = None
            if holder is not None:
                waiting.append(holder)


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _meet(
    batch: Batch, caller: Caller, operation: Operation, *, record: Row, incoming: dict[str, Any]
) -> Receipt:
    """Two devices created the same record (its id derives from what it is): merge them.

    Their common base is a new record's defaults: a field only one of them changed from its
    default is taken, and a field both set differently keeps the server's value with the other
    in a conflict record. Meeting a tombstone revives it with this create, flagged.
    """
    spec = kinds.KINDS[operation.kind]
    base = spec.defaults()
    # A create carries every field: one still at its default was not changed on that device,
    # nor one left blank ("" where the default is none: an instancia edited on one laptop
    # arrives with its other fields empty, and they must not conflict with anyone's).
    changed = {
        k: v
        for k, v in incoming.items()
        if not same_value(base.get(k, MISSING), v) and not (_blank(v) and _blank(base.get(k)))
    }
    result = merge_fields(base, record.fields, changed)
    conflicts = [
        new_conflict(
            operation,
            found.field,
            (found.base_value, found.kept_value, found.other_value),
            kept_author=record.updated_by,
            other_author=caller.username,
            devices=(record.device_id, caller.device_id),
        )
        for found in result.conflicts
        if found.field != DELETED
    ]
    revived = record.deleted and incoming.get(DELETED) is not True
    if revived:
        conflicts.append(
            new_conflict(
                operation,
                DELETED_FIELD,
                (False, False, True),
                kept_author=caller.username,
                other_author=record.updated_by,
                devices=(caller.device_id, record.device_id),
            )
        )
    applied = {k: v for k, v in result.applied.items() if k != DELETED}
    if applied or revived:
        batch.bump(record, caller, fields={**applied, DELETED: False} if revived else applied,
                   deleted=record.deleted and not revived)  # fmt: skip
    batch.conflicts(conflicts)
    outcome = Outcome.CONFLICT if conflicts else Outcome.MERGED
    return Receipt(outcome=outcome, version=record.version, conflicts=tuple(conflicts))


_DELETED_REFUSAL = (
    "El registro fue eliminado: no se puede modificar. Sincronice para actualizar su equipo."
)


def _update(
    batch: Batch, caller: Caller, operation: Operation, record: Row, incoming: dict[str, Any]
) -> Receipt:
    """Apply on the current version, or merge three-way against the base version."""
    conflicts: list[ConflictRecord] = []
    if operation.base_version == record.version:
        # Made on the tombstone itself: only an explicit revival («deleted»: false) by a writer
        # of the record brings it back (an answer cleared, then given again).
        if record.deleted and incoming.get(DELETED) is not False:
            raise _RefusalError(_DELETED_REFUSAL)
        result: MergeResult = apply_fields(record.fields, incoming)
        outcome = Outcome.APPLIED
    else:
        assert operation.base_version is not None
        try:
            history = batch.history(record, operation.base_version)
        except MissingBaseError as error:
            raise _RefusalError(
                f"El servidor no conserva la versión base {operation.base_version} de este "
                "registro. Sincronice para recibir la versión vigente y repita el cambio."
            ) from error
        known, others = seen_by(history, caller)
        own_tombstone = record.deleted and made_by(history[-1], caller)
        if own_tombstone and incoming.get(DELETED) is not False:
            raise _RefusalError(_DELETED_REFUSAL)
        if others and kinds.is_finalized(record.kind, incoming):
            # Sealing what she never saw would print one acta and keep another.
            raise _RefusalError(
                "El acta cambió en el servidor después de la versión que se finalizó en este "
                "equipo: sincronice, revise el acta y finalícela de nuevo."
            )
        result = merge_fields(known, record.fields, incoming)
        for found in result.conflicts:
            kept = last_change(history, found.field)
            conflicts.append(
                new_conflict(
                    operation,
                    found.field,
                    (found.base_value, found.kept_value, found.other_value),
                    kept_author=kept.updated_by,
                    other_author=caller.username,
                    devices=(kept.device_id, caller.device_id),
                )
            )
        revives = result.changes_anything or incoming.get(DELETED) is False
        if record.deleted and not own_tombstone and revives:  # the edit beats the delete, flagged
            conflicts.append(
                new_conflict(
                    operation,
                    DELETED_FIELD,
                    (False, False, True),
                    kept_author=caller.username,
                    other_author=record.updated_by,
                    other_made_at=history[-1].created_at,
                    devices=(caller.device_id, history[-1].device_id),
                )
            )
        # Only the device's own earlier versions came between: as if made on the current one.
        outcome = Outcome.CONFLICT if conflicts else Outcome.MERGED if others else Outcome.APPLIED
    after = {**record.fields, **result.applied}
    if kinds.is_finalized(record.kind, after):
        guard.check_seal(kinds.KINDS[record.kind], after)  # what is stored must match its seal
    revived = record.deleted and (result.changes_anything or incoming.get(DELETED) is False)
    if result.changes_anything or revived:
        batch.bump(record, caller, fields=result.applied, deleted=False)
    batch.conflicts(conflicts)
    return Receipt(outcome=outcome, version=record.version, conflicts=tuple(conflicts))


def _delete(batch: Batch, caller: Caller, operation: Operation, record: Row) -> Receipt:
    """A tombstone on the current version; on an older one the edit wins and it is flagged."""
    stale = operation.base_version != record.version
    if stale and operation.base_version is not None and operation.base_version < record.version:
        try:  # versions the device made itself since its base do not make it stale
            _known, others = seen_by(batch.history(record, operation.base_version), caller)
            stale = others > 0
        except MissingBaseError:
            pass
    if record.deleted:  # deleted meanwhile by someone else too: nothing to do, nothing lost
        outcome = Outcome.MERGED if stale else Outcome.APPLIED
        return _receipt(outcome, record.version)
    if stale:
        flagged = new_conflict(
            operation,
            DELETED_FIELD,
            (False, False, True),
            kept_author=record.updated_by,
            other_author=caller.username,
            devices=(record.device_id, caller.device_id),
        )
        batch.conflicts([flagged])
        return Receipt(
            outcome=Outcome.CONFLICT,
            version=record.version,
            conflicts=(flagged,),
        )
    batch.bump(record, caller, deleted=True)
    return _receipt(Outcome.APPLIED, record.version)


@functools.lru_cache(maxsize=256)
def _receipt(outcome: Outcome, version: int) -> Receipt:
    """A receipt without conflicts; immutable, so equal ones are shared."""
    return Receipt(outcome=outcome, version=version)


def _json_fields(operation: Operation) -> dict[str, Any]:
    """The operation's fields as plain JSON values (what the database stores)."""
    fields: dict[str, Any] = operation.model_dump(mode="json", include={"fields"})["fields"]
    return fields
