"""Many rows into one table with one driver call, each value converted as SQLAlchemy would.

A push writes thousands of rows per batch. SQLAlchemy's executemany builds and processes the
parameters of each row through its general machinery, which cost more than validating the
operations did; here each column's bind processor (the dialect's own: UUIDs, UTC instants,
JSON) is looked up once per statement and applied in one tight loop.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Dialect, Table, insert
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None
Statement = tuple[str, tuple[str, ...], tuple[Processor, ...]]


@functools.lru_cache(maxsize=64)
def _statement(table: Table, dialect: Dialect, keys: tuple[str, ...]) -> Statement:
    """The INSERT of these columns, its parameter order, and each parameter's processor."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    names = tuple(compiled.positiontup or ()) if dialect.positional else tuple(compiled.params)
    columns = {column.key: column for column in table.columns}
    processors = tuple(
        _remembering(columns[name].type._cached_bind_processor(dialect)) for name in names
    )
    return str(compiled), names, processors


def _remembering(processor: Processor) -> Processor:
    """The processor, answering at once for the value it just converted.

    A batch's instant, its device and its author recur on every row.
    """
    if processor is None:
        return None
    last: list[Any] = [_NOTHING, None]

    def convert(value: Any) -> Any:
        if value is last[0]:
            return last[1]
        converted = processor(value)
        last[0], last[1] = value, converted
        return converted

    return convert


_NOTHING = object()


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (all with the same keys) into ``table`` in one executemany."""
    if not rows:
        return
    connection = session.connection()
    sql, names, processors = _statement(table, connection.dialect, tuple(rows[0]))
    pairs = tuple(zip(names, processors, strict=True))
    if connection.dialect.positional:
        params: list[Any] = [
            tuple(row[name] if proc is None else proc(row[name]) for name, proc in pairs)
            for row in rows
        ]
    else:
        params = [
            {name: row[name] if proc is None else proc(row[name]) for name, proc in pairs}
            for row in rows
        ]
    connection.exec_driver_sql(sql, params)
