"""Domain values into rows and back: the fields are those of the value's dataclass."""

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy import String, type_coerce
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Base, Syncable

T = TypeVar("T")
S = TypeVar("S", bound=Syncable)


class _Identified(Protocol):
    @property
    def id(self) -> Any: ...


def field_names(value_type: type) -> tuple[str, ...]:
    """The fields of a domain dataclass, in order."""
    return tuple(f.name for f in dataclasses.fields(value_type))


def value_of(value_type: type[T], row: object) -> T:
    """The domain value a row holds."""
    return value_type(**{name: getattr(row, name) for name in field_names(value_type)})


def assign_changed(row: object, values: Mapping[str, object]) -> None:
    """Set only the fields that differ, so an unchanged save is no new version."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def save_value(session: Session, model: type[Base], value: _Identified, **derived: object) -> None:
    """Insert a value as a new row, or update the changed fields of the row with its id."""
    values: dict[str, object] = {name: getattr(value, name) for name in field_names(type(value))}
    values.update(derived)
    row = session.get(model, value.id)
    if row is None:
        session.add(model(**values))
    else:
        assign_changed(row, values)
    session.flush()


def as_text(column: Any, label: str) -> Any:
    """A column as stored, unconverted: a cheap dictionary key (ids) or ISO text (dates)."""
    return type_coerce(column, String).label(label)


def live_row(session: Session, model: type[S], record_id: uuid.UUID) -> S:
    """The row of a record that is not deleted (LookupError: none, or a tombstone)."""
    row = session.get(model, record_id)
    if row is None or row.deleted:
        raise LookupError(record_id)
    return row


def tombstone(session: Session, model: type[Syncable], record_id: uuid.UUID) -> None:
    """Delete a live record as a tombstone, through the ORM (stamped, versioned, sent)."""
    live_row(session, model, record_id).deleted = True
    session.flush()
