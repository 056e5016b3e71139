"""The vocabulary of the record-kind declaration: field types, fields, kinds, and value checks.

``sync.kinds`` declares every synced kind with these types; the server checks each operation
with ``Kind.problems`` and the app checks each pulled record the same way. Standard library only,
so the app's domain, its database layer and the server can all read it.
"""

import datetime as dt
import functools
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

INT64 = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates and instants outside are typing or clock errors
# Matched whole (fullmatch): "$" alone would let a final newline through.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+([+-][0-9]{2}:[0-9]{2}|Z)")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DELETED = "deleted"  # every kind carries it: true on a tombstone


class FieldType(StrEnum):
    """What a field holds on the wire (JSON)."""

    TEXT = "texto"
    INTEGER = "entero"
    BOOLEAN = "verdadero o falso"
    DATE = "fecha (aaaa-mm-dd)"
    TIME = "hora (hh:mm)"
    INSTANT = "fecha y hora con zona horaria"
    ID = "identificador"
    CHOICE = "valor de una lista"


class Writers(StrEnum):
    """Who may change a record once it exists."""

    AUTHOR = "author"  # its author only (a visit and what hangs from it, a person)
    TERRITORY = "territory"  # any specialist of its territory, and supervisors (shared)


@dataclass(frozen=True)
class Field:
    """One field of a kind: its type and the rules its value must meet.

    ``refers_to`` names the kind of the record the value identifies (None: no record);
    ``catalogue`` names the local catalogue it identifies (territory, government unit, form),
    which the server does not hold: a laptop without that entry parks the record.
    ``fixed`` fields are set when the record is created and never change.
    """

    type: FieldType
    label: str  # Spanish, for the person who reads a refusal
    required: bool = False  # must be given when the record is created
    nullable: bool = False
    max_length: int = 0  # TEXT: characters
    min_length: int = 0
    minimum: int = 0  # INTEGER
    maximum: int = INT64
    choices: tuple[str, ...] = ()  # CHOICE
    pattern: str = ""  # TEXT: a regular expression the whole value matches
    refers_to: str | None = None
    catalogue: str | None = None
    fixed: bool = False
    default: Any = None  # the value a record has when it was created without the field
    same_parent: bool = False  # the record it names belongs to the same visit as this one
    same_scope: bool = False  # the record it names is of the same territory as this one
    sealed_target: bool = False  # it names a finalized acta of the same instancia (an addendum)
    unique: bool = False  # only one record of the kind may hold a value (the first to arrive)
    server_only: bool = False  # set by the server alone: a client sends it empty (null)

    def problem(self, value: Any) -> str | None:
        """Why ``value`` cannot be stored in this field (Spanish), or None when it can."""
        if value is None:
            return None if self.nullable else "no puede quedar vacío"
        check = _CHECKS[self.type]
        return check(self, value)

    @functools.cached_property
    def accepts(self) -> Callable[[Any], bool]:
        """A quick test that passes the values ``problem`` has nothing against (most of them).

        Push validates tens of thousands of values a second: the common case is answered
        without building a message; anything it does not pass goes through ``problem``.
        """
        check = self._quick()
        if self.nullable:
            return lambda v: v is None or check(v)
        return check

    def _quick(self) -> Callable[[Any], bool]:
        if self.type is FieldType.TEXT:
            return self._quick_text()
        if self.type is FieldType.CHOICE:
            allowed = frozenset(self.choices)
            return lambda v: type(v) is str and v in allowed
        if self.type is FieldType.INTEGER:
            low, high = self.minimum, self.maximum
            return lambda v: type(v) is int and low <= v <= high
        quick: dict[FieldType, Callable[[Any], bool]] = {
            FieldType.BOOLEAN: lambda v: v is True or v is False,
            FieldType.ID: lambda v: type(v) is str and _ID.fullmatch(v) is not None,
            FieldType.DATE: lambda v: (
                type(v) is str and _DATE.fullmatch(v) is not None and (_date(self, v) is None)
            ),
        }
        return quick.get(self.type, lambda v: self.problem(v) is None)

    def _quick_text(self) -> Callable[[Any], bool]:
        longest, shortest = self.max_length, self.min_length
        if self.pattern:
            compiled = re.compile(self.pattern)
            return lambda v: (
                type(v) is str
                and compiled.fullmatch(v) is not None
                and shortest <= len(v) <= longest
                and "\x00" not in v
            )
        if shortest:
            return lambda v: type(v) is str and shortest <= len(v) <= longest and "\x00" not in v
        return lambda v: type(v) is str and len(v) <= longest and "\x00" not in v


def _text(spec: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "debe ser texto"
    if "\x00" in value:
        return "contiene caracteres nulos"
    if len(value) > spec.max_length:
        return f"admite hasta {spec.max_length} caracteres (tiene {len(value)})"
    if len(value) < spec.min_length:
        return "no puede quedar vacío"
    if spec.pattern and re.fullmatch(spec.pattern, value) is None:
        return "no tiene el formato esperado"
    return None


def _integer(spec: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "debe ser un número entero"
    if not spec.minimum <= value <= spec.maximum:
        return f"debe estar entre {spec.minimum} y {spec.maximum}"
    return None


def _boolean(_spec: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else "debe ser verdadero o falso"


def _date(_spec: Field, value: Any) -> str | None:
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        return "debe ser una fecha aaaa-mm-dd"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return "no es una fecha que exista"
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"está fuera de los años admitidos ({FIRST_YEAR}–{LAST_YEAR})"


def _time(_spec: Field, value: Any) -> str | None:
    if not isinstance(value, str) or _TIME.fullmatch(value) is None:
        return "debe ser una hora hh:mm"
    try:
        dt.time.fromisoformat(value)
    except ValueError:
        return "no es una hora válida"
    return None


def _instant(_spec: Field, value: Any) -> str | None:
    if not isinstance(value, str) or _INSTANT.fullmatch(value) is None:
        return "debe ser una fecha y hora ISO 8601 con zona horaria"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return "no es una fecha y hora válida"
    if moment.tzinfo is None:
        return "debe indicar la zona horaria"
    return None if FIRST_YEAR <= moment.year <= LAST_YEAR else "está fuera de los años admitidos"


def _identifier(_spec: Field, value: Any) -> str | None:
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        return "debe ser un identificador (UUID en minúsculas)"
    return None


def _choice(spec: Field, value: Any) -> str | None:
    if not isinstance(value, str) or value not in spec.choices:
        return f"debe ser uno de: {', '.join(spec.choices)}"
    return None


_CHECKS: dict[FieldType, Callable[[Field, Any], str | None]] = {
    FieldType.TEXT: _text,
    FieldType.INTEGER: _integer,
    FieldType.BOOLEAN: _boolean,
    FieldType.DATE: _date,
    FieldType.TIME: _time,
    FieldType.INSTANT: _instant,
    FieldType.ID: _identifier,
    FieldType.CHOICE: _choice,
}


@dataclass(frozen=True)
class FieldProblem:
    """One field of an operation or record that cannot be stored, and why (Spanish)."""

    field: str
    label: str
    reason: str

    def __str__(self) -> str:
        return f"«{self.label}» ({self.field}) {self.reason}"


Deriver = Callable[[Mapping[str, Any]], uuid.UUID | None]
Scoper = Callable[[Mapping[str, Any]], str | None]
# A rule on a whole record: its fields (after the change), and the fields of the records it
# names, by the field that names them; the reason in Spanish, or None when it holds.
RecordRule = Callable[[Mapping[str, Any], Mapping[str, Mapping[str, Any]]], str | None]


@dataclass(frozen=True)
class Kind:
    """A kind of synced record: its fields and the rules the server applies to it.

    ``parent`` names the field that says which visit the record belongs to: the operation's
    ``parent_id`` must equal it, only the visit's author writes it, and a finalized visit seals
    it; an ``after_seal`` kind (the signed copy) is the reverse: it hangs only from a finalized
    visit, the one record such a visit accepts. ``file_field`` names the field that holds the
    SHA-256 of a file the record names (whoever reads the record may read the file).
    ``scope_from`` names the reference whose record gives the scope (its territory);
    ``own_scope`` derives the scope from the record's own fields (an instancia from its unit);
    neither: the author chooses it within her territories (a person). ``derive_id`` gives the
    id a record must have, from its fields (the same on every laptop), or None if it has none.
    """

    name: str
    label: str  # Spanish, singular, with its article: «el acuerdo»
    fields: Mapping[str, Field]
    writers: Writers = Writers.AUTHOR
    parent: str | None = None
    scope_from: str | None = None
    own_scope: Scoper | None = None
    derive_id: Deriver | None = None
    append_only: bool = False  # never edited: corrected by a new record (or deleted)
    local_columns: frozenset[str] = frozenset()  # columns of the app's table that never travel
    apply_order: int = 4  # parents before children when a page is applied
    after_seal: bool = False  # hangs only from a finalized visit, never from a draft
    file_field: str | None = None  # the SHA-256 of the file the record names
    rules: tuple[RecordRule, ...] = ()  # what the fields must meet together (server-checked)

    def references(self) -> tuple[tuple[str, str], ...]:
        """(field, kind) of every field that identifies another synced record."""
        return self._references

    @functools.cached_property
    def _references(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, spec.refers_to) for name, spec in self.fields.items() if spec.refers_to)

    @functools.cached_property
    def server_only_fields(self) -> tuple[str, ...]:
        """The fields only the server sets (a client sends them empty)."""
        return tuple(name for name, spec in self.fields.items() if spec.server_only)

    @functools.cached_property
    def _required(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.fields.items() if spec.required)

    @functools.cached_property
    def _accepts(self) -> dict[str, Callable[[Any], bool]]:
        return {name: spec.accepts for name, spec in self.fields.items()}

    def problems(self, fields: Mapping[str, Any], *, complete: bool) -> list[FieldProblem]:
        """Every field that cannot be stored (empty: they can be stored as they are).

        A field is unknown, missing (``complete``: a whole record), or of the wrong type or value.
        """
        checks = self._accepts
        for name, value in fields.items():
            check = checks.get(name)
            if check is None or not check(value):
                break
        else:
            if not complete or self._required <= fields.keys():
                return []
        found = []
        for name, value in fields.items():
            spec = self.fields.get(name)
            if spec is None:
                found.append(FieldProblem(name, name, "no es un campo de este tipo de registro"))
                continue
            reason = spec.problem(value)
            if reason is not None:
                found.append(FieldProblem(name, spec.label, reason))
        if complete:
            found.extend(
                FieldProblem(name, spec.label, "falta: es obligatorio")
                for name, spec in self.fields.items()
                if spec.required and name not in fields
            )
        return found

    def broken_rules(
        self, fields: Mapping[str, Any], named: Mapping[str, Mapping[str, Any]]
    ) -> list[str]:
        """Why the record as a whole cannot be stored (empty: every rule holds)."""
        return [reason for rule in self.rules if (reason := rule(fields, named)) is not None]

    @functools.cached_property
    def unique_fields(self) -> tuple[str, ...]:
        """The fields whose value only one record of the kind may hold."""
        return tuple(name for name, spec in self.fields.items() if spec.unique)

    def defaults(self) -> dict[str, Any]:
        """The values of a record created without its optional fields."""
        return {name: spec.default for name, spec in self.fields.items() if not spec.required}

    def field_label(self, name: str) -> str:
        """The Spanish label of a field (its name when it is not declared)."""
        spec = self.fields.get(name)
        return spec.label if spec is not None else name
