"""Two indexes one batch reads and extends: unique values (claims) and cross-territory reach.

Claims: a value only one record may hold (a visit's acta number), kept by the first record
that arrives with it; another laptop's copy of the number would stop every laptop that
receives both. Reach: a record named by a record of another territory (a person first
recorded in Cusco, named by a participant in Wanchaq) becomes readable there too, so every
laptop that receives the participant also receives the person it names.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session

from sync.server.bulk import insert_rows
from sync.server.store import Claim, Reach

ClaimKey = tuple[str, str, str]  # kind, field, value


@dataclass
class Claims:
    """Who holds each unique value the batch touches."""

    held: dict[ClaimKey, uuid.UUID] = field(default_factory=dict)
    _new: dict[ClaimKey, uuid.UUID] = field(default_factory=dict)

    @classmethod
    def read(cls, session: Session, keys: Iterable[ClaimKey]) -> "Claims":
        """The holders of these values (one query)."""
        found = cls()
        wanted = sorted(set(keys))
        if wanted:
            statement = select(Claim.kind, Claim.field, Claim.value, Claim.record_id).where(
                tuple_(Claim.kind, Claim.field, Claim.value).in_(wanted)
            )
            for kind, name, value, record_id in session.execute(statement):
                found.held[(kind, name, value)] = record_id
        return found

    def holder(self, key: ClaimKey) -> uuid.UUID | None:
        """The record holding the value, or None when it is free."""
        return self.held.get(key)

    def claim(self, key: ClaimKey, record_id: uuid.UUID) -> None:
        """``record_id`` holds the value from now on."""
        self.held[key] = record_id
        self._new[key] = record_id

    def write(self, session: Session) -> None:
        """Store this batch's claims."""
        rows = [
            {"kind": k, "field": f, "value": v, "record_id": r}
            for (k, f, v), r in self._new.items()
        ]
        insert_rows(session, Claim.__table__, rows)  # type: ignore[arg-type]


_REACH = select(Reach.kind, Reach.record_id, Reach.scope).where(
    Reach.record_id.in_(bindparam("ids", expanding=True))
)


@dataclass
class Reaches:
    """The extra territories where the records the batch touches are readable."""

    scopes: dict[tuple[str, uuid.UUID], set[str]] = field(default_factory=dict)
    _new: set[tuple[str, uuid.UUID, str]] = field(default_factory=set)

    @classmethod
    def read(cls, session: Session, ids: Iterable[uuid.UUID]) -> "Reaches":
        """The reach of these records (one query)."""
        found = cls()
        wanted = sorted(set(ids), key=lambda i: i.int)
        if wanted:
            for kind, record_id, scope in session.execute(_REACH, {"ids": wanted}):
                found.scopes.setdefault((kind, record_id), set()).add(scope)
        return found

    def extend(self, session: Session, ids: Iterable[uuid.UUID]) -> None:
        """Read the reach of more records (rows the batch read after it began)."""
        more = Reaches.read(session, ids)
        for key, scopes in more.scopes.items():
            self.scopes.setdefault(key, set()).update(scopes)

    def of(self, kind: str, record_id: uuid.UUID) -> set[str]:
        """The territories where the record is readable besides its own scope."""
        return self.scopes.get((kind, record_id), set())

    def add(self, kind: str, record_id: uuid.UUID, scope: str) -> bool:
        """Make the record readable in ``scope``; False when it already was."""
        held = self.scopes.setdefault((kind, record_id), set())
        if scope in held:
            return False
        held.add(scope)
        self._new.add((kind, record_id, scope))
        return True

    def write(self, session: Session) -> None:
        """Store this batch's new reach."""
        rows = [{"kind": k, "record_id": r, "scope": s} for k, r, s in sorted(self._new)]
        insert_rows(session, Reach.__table__, rows)  # type: ignore[arg-type]
