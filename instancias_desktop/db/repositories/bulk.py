"""Fast inserts of many domain values at once (catalogue load, demo data, pulled pages)."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from instancias_desktop.db.base import Base, Syncable, stamp
from instancias_desktop.db.outbox import capture_bulk
from instancias_desktop.db.repositories.values import field_names


def insert_values(
    session: Session,
    model: type[Base],
    values: Iterable[Any],
    *,
    author: str | None = None,
    now: dt.datetime | None = None,
    derive: Callable[[Any], dict[str, Any]] | None = None,
) -> int:
    """Insert dataclass values into a model's table; syncable tables get their stamps.

    ``derive`` adds columns computed from each value (e.g. a search key).
    """
    rows: list[dict[str, Any]] = []
    names: Sequence[str] | None = None
    extra = stamp(author, now) if author is not None and now is not None else {}
    for value in values:
        if names is None:
            names = field_names(type(value))
        row = {name: getattr(value, name) for name in names}
        row.update(extra)
        if derive is not None:
            row.update(derive(value))
        rows.append(row)
    if rows:
        session.execute(insert(model), rows)
        if issubclass(model, Syncable):
            capture_bulk(session, model.__tablename__, rows)
    return len(rows)


def insert_stamped(
    session: Session,
    model: type[Base],
    values: Iterable[Any],
    author: str | None = None,
    derive: Callable[[Any], dict[str, Any]] | None = None,
) -> int:
    """Insert syncable values stamped by ``author`` (default: the unit of work's actor) and now."""
    info = session.info
    return insert_values(
        session, model, values, author=author or info["actor"], now=info["clock"](), derive=derive
    )
