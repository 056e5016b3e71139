"""Shorthands that build the fields of a kind declaration, and the limits the kinds share.

Standard library only: ``sync.kinds`` and ``sync.registry_kinds`` declare their kinds with them.
"""

from sync.kind_schema import DELETED, Field, FieldType

LONG_TEXT = 100_000  # a narrative part of an acta, a note
INT32 = 2**31 - 1
SHA256 = r"[0-9a-f]{64}"
DOCUMENT_TYPES = ("dni", "carne_extranjeria", "pasaporte", "otro")


def text(
    label: str, length: int, *, required: bool = False, fixed: bool = False, pattern: str = "",
    catalogue: str | None = None, unique: bool = False,
) -> Field:  # fmt: skip
    """A text field; a required one may not be empty."""
    return Field(
        FieldType.TEXT, label, required=required, max_length=length,
        min_length=1 if required else 0, pattern=pattern, catalogue=catalogue, fixed=fixed,
        default=None if required else "", unique=unique,
    )  # fmt: skip


def choice(label: str, values: tuple[str, ...], default: str | None = None) -> Field:
    """One value of a vocabulary; required unless it has a default."""
    return Field(FieldType.CHOICE, label, required=default is None, choices=values, default=default)


def ref(label: str, kind: str, *, required: bool = True, fixed: bool = True,
        same_parent: bool = False, sealed_target: bool = False, same_scope: bool = False,
        server_only: bool = False) -> Field:  # fmt: skip
    """The id of another synced record (required, or null when absent)."""
    return Field(
        FieldType.ID, label, required=required, nullable=not required, refers_to=kind,
        fixed=fixed, same_parent=same_parent, sealed_target=sealed_target, same_scope=same_scope,
        server_only=server_only,
    )  # fmt: skip


def number(label: str, maximum: int, *, minimum: int = 0, required: bool = True,
           nullable: bool = False, default: int | None = None) -> Field:  # fmt: skip
    """An integer within bounds."""
    return Field(
        FieldType.INTEGER, label, required=required, nullable=nullable, minimum=minimum,
        maximum=maximum, default=default,
    )  # fmt: skip


def date(label: str, *, required: bool = True) -> Field:
    """A calendar date (aaaa-mm-dd); null when not required and absent."""
    return Field(FieldType.DATE, label, required=required, nullable=not required)


def flag(label: str) -> Field:
    """A yes/no field, no when absent."""
    return Field(FieldType.BOOLEAN, label, default=False)


def fields(**declared: Field) -> dict[str, Field]:
    """The declared fields plus ``deleted`` (every kind's tombstone flag)."""
    return {**declared, DELETED: Field(FieldType.BOOLEAN, "eliminado", default=False)}
