"""The three-way field merge: what an edit made on an older version changes, and what conflicts.

Pure functions over plain dictionaries, so the rules can be read and tested on their own.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DELETED_FIELD = "_deleted"  # the conflict field of an edit that met a concurrent delete


class _Missing:
    """The absence of a field (distinct from a field holding ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldConflict:
    """One field changed on both sides to different values: the server's value is kept."""

    field: str
    base_value: Any
    kept_value: Any
    other_value: Any


@dataclass(frozen=True)
class MergeResult:
    """The fields to write over the current ones, and the fields set aside."""

    applied: dict[str, Any] = field(default_factory=dict)
    conflicts: tuple[FieldConflict, ...] = ()

    @property
    def changes_anything(self) -> bool:
        """Whether applying this result writes a new version."""
        return bool(self.applied)


def merge_fields(
    base: Mapping[str, Any], current: Mapping[str, Any], incoming: Mapping[str, Any]
) -> MergeResult:
    """Three-way merge of ``incoming`` (changed fields, made on ``base``) into ``current``.

    Per field: unchanged on the server since the base → the incoming value is applied; equal
    to the current value → nothing to do; otherwise the current value is kept (the first to
    arrive wins, deterministically) and the incoming value is set aside as a conflict.
    Fields are visited in sorted order so the result never depends on dictionary order.
    """
    applied: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name in sorted(incoming):
        value = incoming[name]
        now = current.get(name, MISSING)
        was = base.get(name, MISSING)
        if _same(now, value):
            continue
        if _same(now, was):
            applied[name] = value
            continue
        conflicts.append(
            FieldConflict(
                field=name,
                base_value=None if was is MISSING else was,
                kept_value=None if now is MISSING else now,
                other_value=value,
            )
        )
    return MergeResult(applied=applied, conflicts=tuple(conflicts))


def apply_fields(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> MergeResult:
    """An edit made on the current version: every field that differs is applied."""
    applied = {
        name: incoming[name]
        for name in sorted(incoming)
        if not _same(current.get(name, MISSING), incoming[name])
    }
    return MergeResult(applied=applied)


def changed_in(before: Mapping[str, Any], after: Mapping[str, Any], name: str) -> bool:
    """Whether field ``name`` differs between two versions' fields."""
    return not _same(before.get(name, MISSING), after.get(name, MISSING))


def same_value(left: Any, right: Any) -> bool:
    """JSON equality of two field values (absent is ``MISSING``)."""
    return _same(left, right)


def _same(left: Any, right: Any) -> bool:
    """JSON equality: ``1`` and ``True`` differ, ``1`` and ``1.0`` do not; MISSING is unique."""
    if left is MISSING or right is MISSING:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(
            _same(a, b) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, dict | list | tuple) or isinstance(right, dict | list | tuple):
        return False
    return bool(left == right)
