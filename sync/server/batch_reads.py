"""How a pushed batch reads what it touches: a few queries whatever the batch's size.

The receipts of op ids seen before, the records of each kind (one parameter per query, however
many ids), the kinds of the ids a batch creates, and the records and unique values its
operations name.
"""

import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Uuid,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute

from sync.kinds import KINDS, VISIT
from sync.protocol import Action, Operation
from sync.server.claims import ClaimKey
from sync.server.store import OperationLog, Record

PARENT_KIND = VISIT.name  # the kind a child record's ``parent_id`` names


ROW_COLUMNS = (
    Record.kind,
    Record.record_id,
    Record.version,
    Record.fields,
    Record.deleted,
    Record.scope,
    Record.parent_id,
    Record.owner,
    Record.updated_by,
    Record.updated_at,
    Record.device_id,
)


def _one_of(column: QueryableAttribute[uuid.UUID], postgresql: bool) -> ColumnElement[bool]:
    """``column`` is one of the ids bound as ``ids``: one parameter, however many ids.

    PostgreSQL gets a uuid array (``= ANY``); SQLite a JSON array of the ids as it stores them
    (32 hex digits) read by ``json_each``. An expanding IN would render, bind and plan one
    placeholder per id on every batch.
    """
    if postgresql:
        return column == any_(bindparam("ids", type_=ARRAY(Uuid())))
    listed: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam("ids"))
    )
    return column.in_(listed)


def ids_param(postgresql: bool, ids: Iterable[uuid.UUID]) -> object:
    """The value of the ``ids`` parameter of ``_one_of``."""
    if postgresql:
        return list(ids)
    return json.dumps([i.hex for i in ids])


def _queries(postgresql: bool) -> tuple[Select[Any], Select[Any], Select[uuid.UUID, str]]:
    """The reads of a batch: receipts of op ids seen before, records of one kind, kinds of ids.

    The last one finds the ids a batch creates under another kind (never reused across kinds).
    """
    logged = select(
        OperationLog.op_id, OperationLog.username, OperationLog.content_hash, OperationLog.receipt
    ).where(_one_of(OperationLog.op_id, postgresql))
    rows = select(*ROW_COLUMNS).where(
        Record.kind == bindparam("kind"), _one_of(Record.record_id, postgresql)
    )
    taken = select(Record.record_id, Record.kind).where(_one_of(Record.record_id, postgresql))
    return logged, rows, taken


# Built once per dialect, so each batch reuses the compiled statements.
QUERIES = {False: _queries(postgresql=False), True: _queries(postgresql=True)}


def named_records(
    operation: Operation, parsed: dict[str, uuid.UUID]
) -> Iterable[tuple[str, uuid.UUID]]:
    """(kind, id) of the records an operation's fields name (well-formed ids only).

    ``parsed`` keeps each id's text and value: the checks read the same ids again.
    """
    spec = KINDS.get(operation.kind)
    if spec is None:
        return
    for name, target in spec.references():
        value = operation.fields.get(name)
        if isinstance(value, str):
            try:
                known = parsed.get(value)
                if known is None:
                    known = parsed[value] = uuid.UUID(value)
                yield target, known
            except ValueError:
                continue


def claim_keys(operations: Iterable[Operation]) -> Iterable[ClaimKey]:
    """The unique values the creates of a batch hold."""
    for operation in operations:
        if operation.action is not Action.CREATE:
            continue
        spec = KINDS.get(operation.kind)
        for name in spec.unique_fields if spec is not None else ():
            value = operation.fields.get(name)
            if isinstance(value, str):
                yield (operation.kind, name, value)
