"""Declarative base, naming conventions and the columns every syncable row carries."""

import datetime as dt
import uuid

from sqlalchemy import Boolean, Integer, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from instancias_desktop.db.types import UtcDateTime

# Deterministic constraint names keep Alembic batch migrations on SQLite reproducible.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table of the local database."""

    metadata = MetaData(naming_convention=NAMING)


class Syncable:
    """Columns of a record that travels between laptops and the server."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


def stamp(author: str, now: dt.datetime) -> dict[str, object]:
    """The syncable columns of a new row, for bulk inserts that bypass the session hooks."""
    return {
        "created_at": now,
        "updated_at": now,
        "author": author,
        "updated_by": author,
        "version": 1,
        "deleted": False,
    }
