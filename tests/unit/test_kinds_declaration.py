"""The declaration of record kinds (sync.kinds) and the app's tables say the same thing.

The server checks every operation against the declaration; the laptop stores what it receives
in its tables. A column the declaration does not know would never travel; a field the table
cannot hold would stop every laptop that receives it. Adding a kind, a field or a vocabulary
value in one place only fails here.
"""

import datetime as dt
import uuid

import pytest
from sqlalchemy import BigInteger, Boolean, Date, Enum, Integer, String, Text, Time, Uuid
from sqlalchemy.sql.schema import Column

import instancias_desktop.db.models  # noqa: F401  (every table loaded)
from instancias_desktop.db.base import Syncable
from instancias_desktop.db.outbox import synced_model
from instancias_desktop.db.types import UtcDateTime
from instancias_desktop.domain import agreements, forms, registry_seed
from sync import kinds
from sync.kind_schema import Field, FieldType, Kind

BOOKKEEPING = {"id", "created_at", "updated_at", "author", "updated_by", "version"}
ADMINISTRATION = {"specialist", "territory_assignment"}  # the server's, never pushed


def columns(kind: Kind) -> dict[str, Column[object]]:
    model = synced_model(kind.name)
    return dict(model.__table__.columns.items())  # type: ignore[attr-defined]


def test_every_synced_table_is_declared_and_every_declared_kind_has_a_table() -> None:
    tables = {model.__tablename__ for model in Syncable.__subclasses__()}  # type: ignore[attr-defined]
    assert tables - ADMINISTRATION == set(kinds.KINDS)


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_every_column_travels_or_is_declared_local(kind: Kind) -> None:
    held = set(columns(kind)) - BOOKKEEPING
    assert set(kind.fields) <= held, f"declared but not stored: {set(kind.fields) - held}"
    assert held - set(kind.fields) == kind.local_columns


_TYPES: dict[FieldType, tuple[type, ...]] = {
    FieldType.TEXT: (String, Text),
    FieldType.INTEGER: (Integer, BigInteger),
    FieldType.BOOLEAN: (Boolean,),
    FieldType.DATE: (Date,),
    FieldType.TIME: (Time,),
    FieldType.INSTANT: (UtcDateTime,),
    FieldType.ID: (Uuid,),
    FieldType.CHOICE: (Enum,),
}


def _field_matches(name: str, field: Field, column: Column[object]) -> list[str]:
    wrong = []
    if not isinstance(column.type, _TYPES[field.type]):
        wrong.append(f"{name}: {field.type} but the column is {column.type!r}")
    length = getattr(column.type, "length", None)
    if field.type is FieldType.TEXT and length and field.max_length != length:
        wrong.append(f"{name}: {field.max_length} characters, the column {length}")
    if field.type is FieldType.CHOICE:
        stored = set(column.type.enums)  # type: ignore[attr-defined]
        if not set(field.choices) <= stored:
            wrong.append(f"{name}: values {set(field.choices) - stored} the column cannot hold")
    if field.nullable != bool(column.nullable):
        wrong.append(f"{name}: nullable {field.nullable}, the column {column.nullable}")
    targets = {fk.column.table.name for fk in column.foreign_keys}
    if field.refers_to is not None and targets != {field.refers_to}:
        wrong.append(f"{name}: refers to {field.refers_to}, the column to {targets}")
    if field.refers_to is None and targets & set(kinds.KINDS):
        wrong.append(f"{name}: the column refers to a synced table the field does not name")
    return wrong


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_each_field_has_the_column_type_length_vocabulary_and_reference(kind: Kind) -> None:
    held = columns(kind)
    problems = [p for name, f in kind.fields.items() for p in _field_matches(name, f, held[name])]
    assert problems == []


def test_stored_agreement_states_are_the_declared_vocabulary() -> None:
    assert tuple(s.value for s in agreements.STORABLE_STATES) == kinds.AGREEMENT_STATES


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_the_declared_rules_name_declared_fields(kind: Kind) -> None:
    for name in (kind.parent, kind.scope_from):
        assert name is None or name in kind.fields
    if kind.parent is not None:  # a record hangs from the visit its parent field names
        assert kind.fields[kind.parent].refers_to == kinds.VISIT.name
    visit_pointers = {
        name
        for name, field in kind.fields.items()
        if field.refers_to == kinds.VISIT.name and not field.sealed_target
    }
    # Every other field naming a visit is the parent: a finalized acta seals it by any path.
    assert visit_pointers <= {kind.parent}


def test_derived_ids_are_the_ones_the_app_gives() -> None:
    visit = uuid.uuid4()
    assert registry_seed.instancia_id("MD080108") == kinds.instancia_id("MD080108")
    assert forms.checklist_id(visit) == kinds.checklist_id(visit)
    assert forms.answer_id(visit, "campanas") == kinds.answer_id(visit, "campanas")
    assert kinds.unit_scope("MD080108") == "080108"
    assert kinds.unit_scope("GR08") == "08"
    assert kinds.unit_scope("MML") == "1501"


@pytest.mark.parametrize(
    ("field_type", "good", "bad"),
    [
        (FieldType.DATE, "2027-02-28", ["28/02/2027", "2027-02-30", "2027-2-28", 20270228]),
        (FieldType.TIME, "09:30:00", ["9:30", "25:00", "09:30:00+05:00", None]),
        (FieldType.INSTANT, dt.datetime(2026, 3, 1, tzinfo=dt.UTC).isoformat(),
         ["2026-03-01T00:00:00", "ayer", 1]),
        (FieldType.ID, str(uuid.uuid4()), [str(uuid.uuid4()).upper(), "x", 5]),
        (FieldType.INTEGER, 5, [2**70, True, 5.0, "5"]),
        (FieldType.BOOLEAN, False, [0, "false", None]),
    ],
)  # fmt: skip
def test_values_are_checked_by_type(field_type: FieldType, good: object, bad: list[object]) -> None:
    field = Field(field_type, "campo", maximum=1000)
    assert field.problem(good) is None
    for value in bad:
        assert field.problem(value) is not None, value
