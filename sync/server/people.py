"""One person per document: a person created again elsewhere becomes an alias of the first.

Two laptops may record the same participant offline. The first person record that reaches
the server with a document (type and number) holds it; a later create with the same document
is stored with ``alias_of`` pointing to that one, so nothing that refers to either breaks,
and the blanks of the first are filled from the second.
"""

from __future__ import annotations  # Batch and Row are named for the type checker only

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from sync.kind_schema import DELETED
from sync.kinds import ALIAS_FIELD, PERSON
from sync.protocol import Action, Operation, Outcome
from sync.server.bulk import insert_rows
from sync.server.store import PersonDocument

if TYPE_CHECKING:  # the batch holds a Documents index from here: no import at run time
    from sync.server.access import Caller
    from sync.server.batch import Batch, Row

KEY_LENGTH = 60  # person_documents.document_key
# What a second record of a person may fill on the first: its declared fields, except those
# that say who the person is, point elsewhere or mark a tombstone.
_FILLABLE = frozenset(PERSON.fields) - {"document_type", "document_number", ALIAS_FIELD, DELETED}
_HELD = select(PersonDocument.document_key, PersonDocument.record_id).where(
    PersonDocument.document_key.in_(bindparam("keys", expanding=True))
)


def document_key(fields: dict[str, Any]) -> str | None:
    """``type:NUMBER`` of a person's fields, or None when they carry no document."""
    kind, number = fields.get("document_type"), fields.get("document_number")
    if not isinstance(kind, str) or not isinstance(number, str):
        return None
    key = f"{kind.strip().lower()}:{number.strip().upper()}"
    # No real document is this long; such a person is simply not matched (the index holds 60).
    return key if kind.strip() and number.strip() and len(key) <= KEY_LENGTH else None


def blanks_filled(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The values of ``other`` for the person fields ``first`` leaves blank ("" or null)."""
    return {
        name: value
        for name, value in other.items()
        if name in _FILLABLE and _blank(first.get(name)) and not _blank(value)
    }


def _blank(value: Any) -> bool:
    return value is None or value == ""


@dataclass
class Documents:
    """The document index as one batch reads and extends it."""

    held: dict[str, uuid.UUID] = field(default_factory=dict)
    _claimed: dict[str, uuid.UUID] = field(default_factory=dict)
    _stored: set[str] = field(default_factory=set)  # keys the table held before the batch

    @classmethod
    def read(cls, session: Session, operations: tuple[Operation, ...]) -> Documents:
        """Who holds the documents of the persons this batch creates."""
        keys = {
            key
            for operation in operations
            if operation.kind == PERSON.name and operation.action is Action.CREATE
            for key in (document_key(operation.fields),)
            if key is not None
        }
        found = cls()
        if keys:
            for key, record_id in session.execute(_HELD, {"keys": sorted(keys)}):
                found.held[key] = record_id
                found._stored.add(key)
        return found

    def claim(self, key: str, record_id: uuid.UUID) -> None:
        """``record_id`` holds the document from now on."""
        self.held[key] = record_id
        self._claimed[key] = record_id

    def write(self, session: Session) -> None:
        """Store the claims of this batch (a claim replaces one of a deleted person)."""
        if not self._claimed:
            return
        keys = sorted(self._claimed)
        replaced = [key for key in keys if key in self._stored]
        if replaced:
            session.execute(delete(PersonDocument).where(PersonDocument.document_key.in_(replaced)))
        insert_rows(
            session,
            PersonDocument.__table__,  # type: ignore[arg-type]
            [{"document_key": k, "record_id": self._claimed[k]} for k in keys],
        )


def admit_person(
    batch: Batch, caller: Caller, record_id: uuid.UUID, fields: dict[str, Any]
) -> Outcome:
    """A new person: the holder of its document, or an alias of the person who holds it.

    Only a holder the caller can read is aliased (the laptop must be able to receive it);
    as an alias, the new record fills the holder's blanks. Returns MERGED when aliased.
    """
    key = document_key(fields)
    if key is None:
        return Outcome.APPLIED
    holder = live_holder(batch, batch.documents.held.get(key))
    if holder is None or not batch.readable(caller, holder):
        if holder is None:
            batch.documents.claim(key, record_id)
        return Outcome.APPLIED
    fields[ALIAS_FIELD] = str(holder.record_id)
    filled = blanks_filled(holder.fields, fields)
    if filled:
        batch.bump(holder, caller, fields=filled, deleted=False)
    return Outcome.MERGED


def live_holder(batch: Batch, record_id: uuid.UUID | None) -> Row | None:
    """The person holding a document, following aliases; None if none or deleted."""
    seen: set[uuid.UUID] = set()
    while record_id is not None and record_id not in seen:
        seen.add(record_id)
        row = batch.row(PERSON.name, record_id)
        if row is None or row.deleted:
            return None
        alias = row.fields.get(ALIAS_FIELD)
        if alias is None:
            return row
        try:
            record_id = uuid.UUID(str(alias))
        except ValueError:  # not an id (written by hand): this one holds the document
            return row
    return None
